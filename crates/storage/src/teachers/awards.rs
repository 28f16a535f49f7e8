//! 表彰奖励: proposals through to grants, and the year's totals against the fund.

use crate::lists::scope_filter;
use crate::sql::{insert_many, rows_as, Label, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use emis_domain::teachers::awards::AwardStatus;

/// An award (or a proposal for one) as stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct AwardRow {
    pub id: i64,
    pub id_number: String,
    pub name: String,
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    pub title: String,
    pub granting_body: String,
    pub year: i64,
    pub granted_on: Option<String>,
    pub fen: i64,
    #[sqlx(try_from = "Label")]
    pub status: AwardStatus,
    pub merits: String,
    /// Why the reviewer should look twice (a sanction within the bar period).
    pub conduct_flag: Option<String>,
    pub sent_back_reason: Option<String>,
    pub proposed_by: String,
    pub checked_by: Option<String>,
    pub granted_by: Option<String>,
}

const AWARD_SELECT: &str = "SELECT a.id, a.id_number, a.name, a.school_code, COALESCE(sc.name, a.school_code) AS school_name, a.township_code, \
     a.title, a.granting_body, a.year, a.granted_on, a.fen, a.status, a.merits, a.conduct_flag, a.sent_back_reason, \
     a.proposed_by, a.checked_by, a.granted_by FROM awards a LEFT JOIN schools sc ON sc.county = a.county AND sc.code = a.school_code";

/// The awards of a year in the scope, optionally of one status.
pub async fn awards(
    db: &Db,
    scope: &Scope,
    year: i32,
    status: Option<AwardStatus>,
) -> Result<Vec<AwardRow>> {
    let mut sql = Sql::new(AWARD_SELECT);
    sql.push(" WHERE a.county = ")
        .bind_text(scope.county())
        .push(" AND a.year = ")
        .bind_int(i64::from(year));
    if let Some(s) = status {
        sql.push(" AND a.status = ").bind_text(s.label());
    }
    scope_filter(&mut sql, scope, "a.school_code");
    sql.push(" ORDER BY a.status, a.school_code, a.id");
    rows_as(&sql.fetch_all(db).await?)
}

pub async fn award(db: &Db, county: &str, id: i64) -> Result<Option<AwardRow>> {
    crate::sql::county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{AWARD_SELECT} WHERE a.county = $1 AND a.id = $2")),
        county,
        id,
    )
    .await
}

/// A teacher's awards, newest first.
pub async fn awards_of_teacher(db: &Db, county: &str, id_number: &str) -> Result<Vec<AwardRow>> {
    crate::sql::county_rows_by(
        db,
        sqlx::AssertSqlSafe(format!(
        "{AWARD_SELECT} WHERE a.county = $1 AND a.id_number = $2 ORDER BY a.year DESC, a.id DESC"
    )),
        county,
        id_number,
    )
    .await
}

/// An award to insert: a proposal from the web or a granted award from the import.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewAward {
    pub id_number: String,
    pub name: String,
    pub school_code: String,
    pub township_code: String,
    pub title: String,
    pub granting_body: String,
    pub year: i64,
    pub granted_on: Option<String>,
    pub fen: i64,
    pub status: AwardStatus,
    pub merits: String,
    pub conduct_flag: Option<String>,
}

/// Inserts awards; an award of the same teacher, title and year is left as stored.
pub async fn insert_awards(tx: &mut Tx, county: &str, rows: &[NewAward], by: &str) -> Result<()> {
    let now = crate::now_text();
    let granted = |a: &NewAward| a.status == AwardStatus::Granted;
    insert_many(
        tx,
        "awards",
        &[
            "county",
            "id_number",
            "name",
            "school_code",
            "township_code",
            "title",
            "granting_body",
            "year",
            "granted_on",
            "fen",
            "status",
            "merits",
            "conduct_flag",
            "proposed_by",
            "proposed_at",
            "granted_by",
            "granted_at",
        ],
        "ON CONFLICT (county, id_number, title, year) DO NOTHING",
        rows,
        |q, a| {
            q.bind(county)
                .bind(&a.id_number)
                .bind(&a.name)
                .bind(&a.school_code)
                .bind(&a.township_code)
                .bind(&a.title)
                .bind(&a.granting_body)
                .bind(a.year)
                .bind(&a.granted_on)
                .bind(a.fen)
                .bind(a.status.label())
                .bind(&a.merits)
                .bind(&a.conduct_flag)
                .bind(by)
                .bind(now.clone())
                .bind(granted(a).then_some(by))
                .bind(granted(a).then(|| now.clone()))
        },
    )
    .await
}

/// Keys of the county's awards: (ID number, title, year).
pub async fn award_keys(
    db: &Db,
    county: &str,
) -> Result<std::collections::HashSet<(String, String, i64)>> {
    let rows: Vec<(String, String, i64)> = crate::sql::county_rows(
        db,
        "SELECT id_number, title, year FROM awards WHERE county = $1",
        county,
    )
    .await?;
    Ok(rows.into_iter().collect())
}

/// Records a decision: the new status, who took it, and the reason when sent back; a grant
/// records its date.
pub async fn decide_award(
    tx: &mut Tx,
    county: &str,
    id: i64,
    status: AwardStatus,
    reason: Option<&str>,
    by: &str,
    today: &str,
) -> Result<()> {
    let now = crate::now_text();
    let (who, when) = match status {
        AwardStatus::Checked => ("checked_by", "checked_at"),
        _ => ("granted_by", "granted_at"),
    };
    let granted_on = (status == AwardStatus::Granted).then_some(today);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE awards SET status = $1, sent_back_reason = $2, {who} = $3, {when} = $4, \
         granted_on = COALESCE($5, granted_on) WHERE county = $6 AND id = $7"
    )))
    .bind(status.label())
    .bind(reason)
    .bind(by)
    .bind(now)
    .bind(granted_on)
    .bind(county)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A sent-back proposal proposed again: its status, amount, merits and flag from `award`.
pub async fn repropose_award(
    tx: &mut Tx,
    county: &str,
    id: i64,
    award: &NewAward,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE awards SET status = $1, fen = $2, merits = $3, conduct_flag = $4, sent_back_reason = NULL, \
         proposed_by = $5, proposed_at = $6, checked_by = NULL, checked_at = NULL WHERE county = $7 AND id = $8",
    )
    .bind(award.status.label())
    .bind(award.fen)
    .bind(&award.merits)
    .bind(&award.conduct_flag)
    .bind(by)
    .bind(crate::now_text())
    .bind(county)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Granted awards of a year: (distinct teacher and title pairs, fen).
pub async fn granted_totals(db: &Db, county: &str, year: i32) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(fen), 0) AS BIGINT) FROM awards \
         WHERE county = $1 AND year = $2 AND status = '已授予'",
    )
    .bind(county)
    .bind(i64::from(year))
    .fetch_one(db.pool())
    .await?)
}

/// The id of a teacher's award for a title and year, inside the writing transaction.
pub async fn award_id(
    tx: &mut Tx,
    county: &str,
    id_number: &str,
    title: &str,
    year: i64,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM awards WHERE county = $1 AND id_number = $2 AND title = $3 AND year = $4",
    )
    .bind(county)
    .bind(id_number)
    .bind(title)
    .bind(year)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The years that have awards, oldest first.
pub async fn award_years(db: &Db, county: &str) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = crate::sql::county_rows(
        db,
        "SELECT DISTINCT year FROM awards WHERE county = $1 ORDER BY year",
        county,
    )
    .await?;
    Ok(rows.into_iter().map(|(y,)| y).collect())
}
