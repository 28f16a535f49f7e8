//! 九长责任链: the named people of a water, village, school or class; and the villages
//! and classes they may be attached to.

use super::township_filter;
use crate::sql::{insert_many, rows_as, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;

#[derive(Clone, Debug, Default, serde::Serialize, sqlx::FromRow)]
pub struct ChainRow {
    pub id: i64,
    pub level: String,
    pub township_code: String,
    pub water_id: Option<i64>,
    pub village: Option<String>,
    pub school_code: Option<String>,
    pub class_label: Option<String>,
    pub role: String,
    pub person: String,
    pub phone: String,
}

pub async fn write_chain(tx: &mut Tx, county: &str, rows: &[ChainRow]) -> Result<()> {
    insert_many(
        tx,
        "drowning_chain",
        &[
            "county",
            "level",
            "township_code",
            "water_id",
            "village",
            "school_code",
            "class_label",
            "role",
            "person",
            "phone",
        ],
        "",
        rows,
        |q, c| {
            q.bind(county)
                .bind(&c.level)
                .bind(&c.township_code)
                .bind(c.water_id)
                .bind(c.village.clone())
                .bind(c.school_code.clone())
                .bind(c.class_label.clone())
                .bind(&c.role)
                .bind(&c.person)
                .bind(&c.phone)
        },
    )
    .await?;
    Ok(())
}

/// The filters and page of the chain's list (`chain_page`).
#[derive(Clone, Debug, Default)]
pub struct ChainQuery {
    pub level: Option<String>,
    pub township: Option<String>,
    pub school: Option<String>,
    /// A name (prefix) of the person.
    pub person: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

/// A page of the chain the scope sees, filtered and counted in the database. `own` is a
/// school's (school, None) or a 班主任's (school, its class label): the links of other
/// schools (and of other classes) are not listed, those above the school are.
pub async fn chain_page(
    db: &Db,
    scope: &Scope,
    q: &ChainQuery,
    own: Option<(&str, Option<&str>)>,
) -> Result<crate::lists::Page<ChainRow>> {
    let (page, per_page) = crate::lists::bounded(q.page, q.per_page);
    let filter = |sql: &mut Sql| {
        sql.bind_text(scope.county());
        township_filter(sql, scope, "c.township_code");
        if let Some((school, class)) = own {
            sql.push(" AND (c.school_code IS NULL OR (c.school_code = ")
                .bind_text(school);
            if let Some(label) = class {
                sql.push(" AND (c.class_label IS NULL OR c.class_label = ")
                    .bind_text(label)
                    .push(")");
            }
            sql.push("))");
        }
        if let Some(l) = &q.level {
            sql.push(" AND c.level = ").bind_text(l.clone());
        }
        if let Some(t) = &q.township {
            sql.push(" AND c.township_code = ").bind_text(t.clone());
        }
        if let Some(s) = &q.school {
            sql.push(" AND c.school_code = ").bind_text(s.clone());
        }
        if let Some(p) = q.person.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            sql.push(" AND c.person >= ")
                .bind_text(p)
                .push(" AND c.person < ")
                .bind_text(format!("{p}\u{10FFFF}"));
        }
    };
    let mut count = Sql::count("FROM drowning_chain c WHERE c.county = ");
    filter(&mut count);
    let total = count.fetch_count(db).await?;
    let mut sql = Sql::new(&format!(
        "SELECT {CHAIN_COLUMNS} FROM drowning_chain c WHERE c.county = "
    ));
    filter(&mut sql);
    sql.push(" ORDER BY c.township_code, c.id")
        .page(page, per_page);
    Ok(crate::lists::Page {
        items: rows_as(&sql.fetch_all(db).await?)?,
        total,
        page,
        per_page,
    })
}

/// The chain the scope sees, optionally of one water body or school.
pub async fn chain(
    db: &Db,
    scope: &Scope,
    water_id: Option<i64>,
    school: Option<&str>,
) -> Result<Vec<ChainRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {CHAIN_COLUMNS} FROM drowning_chain c WHERE c.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "c.township_code");
    if let Some(w) = water_id {
        sql.push(" AND c.water_id = ").bind_int(w);
    }
    if let Some(s) = school {
        sql.push(" AND c.school_code = ").bind_text(s);
    }
    sql.push(" ORDER BY c.township_code, c.id LIMIT 5000");
    rows_as(&sql.fetch_all(db).await?)
}

const CHAIN_COLUMNS: &str = "c.id, c.level, c.township_code, c.water_id, c.village, c.school_code, c.class_label, c.role, c.person, c.phone";

/// One 九长 link if its township lies in the scope (the service narrows further).
pub async fn chain_link(db: &Db, scope: &Scope, id: i64) -> Result<Option<ChainRow>> {
    let mut sql = Sql::new(&format!(
        "SELECT {CHAIN_COLUMNS} FROM drowning_chain c WHERE c.county = "
    ));
    sql.bind_text(scope.county());
    township_filter(&mut sql, scope, "c.township_code");
    sql.push(" AND c.id = ").bind_int(id);
    Ok(rows_as(&sql.fetch_all(db).await?)?.into_iter().next())
}

pub async fn insert_chain(tx: &mut Tx, county: &str, c: &ChainRow) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO drowning_chain (county, level, township_code, water_id, village, school_code, class_label, role, person, phone) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(county)
    .bind(&c.level)
    .bind(&c.township_code)
    .bind(c.water_id)
    .bind(c.village.clone())
    .bind(c.school_code.clone())
    .bind(c.class_label.clone())
    .bind(&c.role)
    .bind(&c.person)
    .bind(&c.phone)
    .fetch_one(&mut **tx)
    .await?)
}

/// Changes who holds a link (the target stays).
pub async fn update_chain(tx: &mut Tx, c: &ChainRow) -> Result<()> {
    sqlx::query("UPDATE drowning_chain SET role = $1, person = $2, phone = $3 WHERE id = $4")
        .bind(&c.role)
        .bind(&c.person)
        .bind(&c.phone)
        .bind(c.id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete_chain(tx: &mut Tx, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM drowning_chain WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The villages known for townships of the county, (township code, village), sorted: those of
/// the registered waters and of the latest 户籍 roll (population snapshot). Empty where
/// neither names a village.
pub async fn known_villages(
    db: &Db,
    county: &str,
    township: Option<&str>,
) -> Result<Vec<(String, String)>> {
    let mut sql = Sql::new(
        "SELECT DISTINCT township_code, village FROM (\
         SELECT township_code, village FROM water_bodies WHERE county = ",
    );
    sql.bind_text(county)
        .push(
            " UNION SELECT township_code, village FROM population_persons \
             WHERE village IS NOT NULL AND village <> '' AND snapshot_id = \
             (SELECT MAX(id) FROM population_snapshots WHERE county = ",
        )
        .bind_text(county)
        .push(")) v WHERE 1 = 1");
    if let Some(t) = township {
        sql.push(" AND township_code = ").bind_text(t);
    }
    sql.push(" ORDER BY township_code, village");
    #[derive(sqlx::FromRow)]
    struct Village {
        township_code: String,
        village: String,
    }
    Ok(rows_as::<Village>(&sql.fetch_all(db).await?)?
        .into_iter()
        .map(|v| (v.township_code, v.village))
        .collect())
}
