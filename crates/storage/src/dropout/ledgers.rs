//! 台账 the ledgers over a snapshot's persons (school-age, suspected, dropout), filtered
//! and scoped.

use super::{PersonRow, PERSON_COLUMNS};
use crate::sql::{rows_as, Sql};
use crate::{Db, Result};
use emis_domain::access::Scope;

/// Which ledger a query lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ledger {
    /// 适龄儿童: every compulsory-age person.
    SchoolAge,
    /// 疑似辍学: compulsory-age persons whose ID number is not on the roll.
    Suspected,
    /// 辍学 (在籍不在校): on the roll as 转出 or 毕业.
    NotInSchool,
}

impl Ledger {
    pub fn parse(raw: &str) -> Option<Ledger> {
        match raw {
            "school-age" | "适龄儿童" => Some(Ledger::SchoolAge),
            "suspected" | "疑似辍学" => Some(Ledger::Suspected),
            "dropout" | "not-in-school" | "辍学" => Some(Ledger::NotInSchool),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Ledger::SchoolAge => "school-age",
            Ledger::Suspected => "suspected",
            Ledger::NotInSchool => "dropout",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Ledger::SchoolAge => "适龄儿童",
            Ledger::Suspected => "疑似辍学",
            Ledger::NotInSchool => "辍学（在籍不在校）",
        }
    }
}

pub const FINDING_SUSPECTED: &str = "疑似辍学";
pub const FINDING_PROBABLE: &str = "疑似匹配待确认";
pub const FINDING_NOT_IN_SCHOOL: &str = "在籍不在校";

/// What a ledger lists: which ledger of which snapshot (the latest when none), and the
/// filters of the page. The page, its export and the API all read a ledger through this.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerQuery {
    pub ledger: Ledger,
    /// Snapshot date; the latest snapshot when `None`.
    pub snapshot: Option<String>,
    /// 户籍乡镇 code.
    pub township: Option<String>,
    /// 学校标识码: the school the child is on the roll of, or matched to.
    pub school: Option<String>,
    /// A name (or its beginning) or a full ID number.
    pub q: Option<String>,
}

impl LedgerQuery {
    /// The whole ledger of the latest snapshot.
    pub fn of(ledger: Ledger) -> LedgerQuery {
        LedgerQuery {
            ledger,
            snapshot: None,
            township: None,
            school: None,
            q: None,
        }
    }

    /// From request parameters: blanks are no filter, an unknown ledger is 疑似辍学.
    pub fn from_params(
        ledger: Option<&str>,
        snapshot: Option<&str>,
        township: Option<&str>,
        school: Option<&str>,
        q: Option<&str>,
    ) -> LedgerQuery {
        let given = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        LedgerQuery {
            ledger: ledger.and_then(Ledger::parse).unwrap_or(Ledger::Suspected),
            snapshot: given(snapshot),
            township: given(township),
            school: given(school),
            q: given(q),
        }
    }
}

/// A ledger's rows, limited to the scope (a township sees its own 户籍乡镇; a school the
/// children whose case is assigned to it, or who are on its roll).
pub async fn ledger(
    db: &Db,
    scope: &Scope,
    snapshot_id: i64,
    query: &LedgerQuery,
    limit: i64,
) -> Result<Vec<PersonRow>> {
    ledger_page(db, scope, snapshot_id, query, limit, 0).await
}

/// `limit` rows of a ledger from `offset`, in its order (township, then the roll's row).
pub async fn ledger_page(
    db: &Db,
    scope: &Scope,
    snapshot_id: i64,
    query: &LedgerQuery,
    limit: i64,
    offset: i64,
) -> Result<Vec<PersonRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {PERSON_COLUMNS} FROM population_persons p WHERE p.snapshot_id = "
    ));
    ledger_where(&mut sql, scope, snapshot_id, query);
    sql.push(" ORDER BY p.township_code, p.source_row LIMIT ")
        .bind_int(limit)
        .push(" OFFSET ")
        .bind_int(offset.max(0));
    rows_as(&sql.fetch_all(db).await?)
}

/// How many people a ledger lists with its filters.
pub async fn ledger_count(
    db: &Db,
    scope: &Scope,
    snapshot_id: i64,
    query: &LedgerQuery,
) -> Result<i64> {
    let mut sql = Sql::count("FROM population_persons p WHERE p.snapshot_id = ");
    ledger_where(&mut sql, scope, snapshot_id, query);
    sql.fetch_count(db).await
}

fn ledger_where(sql: &mut Sql, scope: &Scope, snapshot_id: i64, query: &LedgerQuery) {
    sql.bind_int(snapshot_id);
    match query.ledger {
        Ledger::SchoolAge => {
            sql.push(" AND p.finding IS NOT NULL");
        }
        Ledger::Suspected => {
            sql.push(" AND p.finding IN ('疑似辍学', '疑似匹配待确认')");
        }
        Ledger::NotInSchool => {
            sql.push(" AND p.finding = '在籍不在校'");
        }
    }
    if let Some(t) = &query.township {
        sql.push(" AND p.township_code = ").bind_text(t.clone());
    }
    if let Some(school) = &query.school {
        sql.push(" AND p.school_code = ").bind_text(school.clone());
    }
    if let Some(q) = &query.q {
        let prefix: String = q.chars().filter(|c| !matches!(c, '%' | '_')).collect();
        sql.push(" AND (p.id_number = ")
            .bind_text(q.to_ascii_uppercase())
            .push(" OR p.name LIKE ")
            .bind_text(format!("{prefix}%"))
            .push(")");
    }
    person_scope(sql, scope);
}

fn person_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        // A region reads no county's records (`Scope::county` is its own code).
        Scope::Region { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::County { .. } => {}
        Scope::Township { township, .. } => {
            sql.push(" AND p.township_code = ")
                .bind_text(township.clone());
        }
        Scope::School { school, .. } | Scope::Class { school, .. } => {
            sql.push(" AND (p.school_code = ")
                .bind_text(school.clone())
                .push(" OR p.id_number IN (SELECT person_id_number FROM dropout_cases WHERE school_code = ")
                .bind_text(school.clone())
                .push("))");
        }
    }
}
