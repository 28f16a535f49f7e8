//! 工作室: 名师名校长工作室 and 学科工作室 with their hosts, members and activities.

use crate::sql::{county_rows, insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::teachers::StudioKind;

/// A studio as stored, with its host's name and school and its counts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct StudioRow {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "Label")]
    pub kind: StudioKind,
    pub subject: Option<String>,
    pub host_id_number: String,
    pub host_name: Option<String>,
    pub host_school: Option<String>,
    pub founded_on: String,
    pub closed_on: Option<String>,
    pub members: i64,
    pub activities: i64,
}

const STUDIO_SELECT: &str = "SELECT s.id, s.name, s.kind, s.subject, s.host_id_number, st.name AS host_name, sc.name AS host_school, \
     s.founded_on, s.closed_on, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM studio_members m WHERE m.studio_id = s.id) AS members, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM studio_activities a WHERE a.studio_id = s.id) AS activities \
     FROM studios s LEFT JOIN staff st ON st.county = s.county AND st.id_number = s.host_id_number \
     LEFT JOIN schools sc ON sc.county = st.county AND sc.code = st.school_code WHERE s.county = $1";

pub async fn studios(db: &Db, county: &str) -> Result<Vec<StudioRow>> {
    county_rows(
        db,
        sqlx::AssertSqlSafe(format!("{STUDIO_SELECT} ORDER BY s.kind DESC, s.name")),
        county,
    )
    .await
}

pub async fn studio(db: &Db, county: &str, id: i64) -> Result<Option<StudioRow>> {
    crate::sql::county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{STUDIO_SELECT} AND s.id = $2")),
        county,
        id,
    )
    .await
}

/// A studio to write (the `studios` import): members replace the stored ones.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewStudio {
    pub name: String,
    pub kind: StudioKind,
    pub subject: Option<String>,
    pub host_id_number: String,
    pub founded_on: String,
    pub closed_on: Option<String>,
    pub members: Vec<String>,
}

/// The stored studios as they would be written again (for "unchanged" on re-import).
pub async fn stored_studios(db: &Db, county: &str) -> Result<Vec<NewStudio>> {
    #[derive(sqlx::FromRow)]
    struct Stored {
        id: i64,
        name: String,
        #[sqlx(try_from = "Label")]
        kind: StudioKind,
        subject: Option<String>,
        host_id_number: String,
        founded_on: String,
        closed_on: Option<String>,
    }
    let studios: Vec<Stored> = county_rows(
        db,
        "SELECT id, name, kind, subject, host_id_number, founded_on, closed_on FROM studios WHERE county = $1",
        county,
    )
    .await?;
    let members: Vec<(i64, String)> = county_rows(
        db,
        "SELECT studio_id, id_number FROM studio_members WHERE county = $1 ORDER BY id",
        county,
    )
    .await?;
    Ok(studios
        .into_iter()
        .map(|s| NewStudio {
            members: members
                .iter()
                .filter(|(id, _)| *id == s.id)
                .map(|(_, m)| m.clone())
                .collect(),
            name: s.name,
            kind: s.kind,
            subject: s.subject,
            host_id_number: s.host_id_number,
            founded_on: s.founded_on,
            closed_on: s.closed_on,
        })
        .collect())
}

/// Writes studios by name (a stored name takes the new values and members).
pub async fn write_studios(tx: &mut Tx, county: &str, studios: &[NewStudio]) -> Result<()> {
    for s in studios {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO studios (county, name, kind, subject, host_id_number, founded_on, closed_on) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (county, name) DO UPDATE SET kind = excluded.kind, subject = excluded.subject, host_id_number = excluded.host_id_number, \
             founded_on = excluded.founded_on, closed_on = excluded.closed_on RETURNING id",
        )
        .bind(county)
        .bind(&s.name)
        .bind(s.kind.label())
        .bind(&s.subject)
        .bind(&s.host_id_number)
        .bind(&s.founded_on)
        .bind(&s.closed_on)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query("DELETE FROM studio_members WHERE studio_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        insert_many(
            tx,
            "studio_members",
            &["county", "studio_id", "id_number"],
            "",
            &s.members,
            |q, m| q.bind(county).bind(id).bind(m),
        )
        .await?;
    }
    Ok(())
}

/// A studio member with their school.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct MemberRow {
    pub id_number: String,
    pub name: Option<String>,
    pub school_name: Option<String>,
}

pub async fn members(db: &Db, county: &str, studio: i64) -> Result<Vec<MemberRow>> {
    crate::sql::county_rows_by(db, "SELECT m.id_number, st.name, sc.name AS school_name FROM studio_members m \
         LEFT JOIN staff st ON st.county = m.county AND st.id_number = m.id_number \
         LEFT JOIN schools sc ON sc.county = st.county AND sc.code = st.school_code WHERE m.county = $1 AND m.studio_id = $2 ORDER BY m.id", county, studio).await
}

/// An activity of a studio.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct ActivityRow {
    pub held_on: String,
    pub title: String,
    pub participants: i64,
    pub created_by: String,
}

pub async fn activities(db: &Db, county: &str, studio: i64) -> Result<Vec<ActivityRow>> {
    crate::sql::county_rows_by(db, "SELECT held_on, title, participants, created_by FROM studio_activities WHERE county = $1 AND studio_id = $2 ORDER BY held_on DESC, id DESC", county, studio).await
}

pub async fn add_activities(
    tx: &mut Tx,
    county: &str,
    studio: i64,
    rows: &[ActivityRow],
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "studio_activities",
        &[
            "county",
            "studio_id",
            "held_on",
            "title",
            "participants",
            "created_by",
            "created_at",
        ],
        "",
        rows,
        |q, a| {
            q.bind(county)
                .bind(studio)
                .bind(&a.held_on)
                .bind(&a.title)
                .bind(a.participants)
                .bind(&a.created_by)
                .bind(now.clone())
        },
    )
    .await
}

/// Studios of a kind active at the end of a day (founded on or before, not yet closed).
pub async fn active_studios(db: &Db, county: &str, kind: StudioKind, on: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM studios WHERE county = $1 AND kind = $2 AND founded_on <= $3 \
         AND (closed_on IS NULL OR closed_on > $4)",
    )
    .bind(county)
    .bind(kind.label())
    .bind(on)
    .bind(on)
    .fetch_one(db.pool())
    .await?)
}

/// The studios a teacher hosts or belongs to: (studio id, name, role).
pub async fn studios_of_teacher(
    db: &Db,
    county: &str,
    id_number: &str,
) -> Result<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, name, '主持人' FROM studios WHERE county = $1 AND host_id_number = $2 \
         UNION ALL SELECT s.id, s.name, '成员' FROM studio_members m JOIN studios s ON s.county = m.county AND s.id = m.studio_id \
         WHERE m.county = $3 AND m.id_number = $4",
    )
    .bind(county)
    .bind(id_number)
    .bind(county)
    .bind(id_number)
    .fetch_all(db.pool())
    .await?)
}

/// The county's studios' ids by name, inside the writing transaction.
pub async fn studio_ids(
    tx: &mut Tx,
    county: &str,
) -> Result<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT name, id FROM studios WHERE county = $1")
        .bind(county)
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows.into_iter().collect())
}
