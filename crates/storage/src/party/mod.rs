//! 党建 storage: branches with their secretary, people with their dated stages, and the
//! branches' meeting logs.

use crate::sql::{county_row_by, county_rows, county_rows_by, insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::party::{MeetingKind, PartyStage};
use std::collections::HashMap;

/// A branch with its secretary and how many people and meetings it has.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct BranchRow {
    pub id: i64,
    pub name: String,
    /// The secretary's account (username); `None` until one is named.
    pub secretary: Option<String>,
    pub people: i64,
    pub meetings: i64,
}

const BRANCH_SELECT: &str = "SELECT b.id, b.name, b.secretary, \
     (SELECT COUNT(*) FROM party_people p WHERE p.county = b.county AND p.branch_id = b.id) AS people, \
     (SELECT COUNT(*) FROM party_meetings m WHERE m.county = b.county AND m.branch_id = b.id) AS meetings \
     FROM party_branches b WHERE b.county = $1";

pub async fn branches(db: &Db, county: &str) -> Result<Vec<BranchRow>> {
    county_rows(
        db,
        sqlx::AssertSqlSafe(format!("{BRANCH_SELECT} ORDER BY b.id")),
        county,
    )
    .await
}

pub async fn branch(db: &Db, county: &str, id: i64) -> Result<Option<BranchRow>> {
    county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{BRANCH_SELECT} AND b.id = $2")),
        county,
        id,
    )
    .await
}

/// Adds the branches not stored yet (by name) and returns every branch's id by name.
pub async fn ensure_branches(
    tx: &mut Tx,
    county: &str,
    names: &[String],
    by: &str,
) -> Result<HashMap<String, i64>> {
    let now = crate::now_text();
    insert_many(
        tx,
        "party_branches",
        &["county", "name", "updated_by", "updated_at"],
        "ON CONFLICT (county, name) DO NOTHING",
        names,
        |q, name| {
            q.bind(county)
                .bind(name.clone())
                .bind(by.to_string())
                .bind(now.clone())
        },
    )
    .await?;
    let ids: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, id FROM party_branches WHERE county = $1")
            .bind(county)
            .fetch_all(&mut **tx)
            .await?;
    Ok(ids.into_iter().collect())
}

/// Adds a branch or names its secretary (`None`: none); the branch's id.
pub async fn save_branch(
    tx: &mut Tx,
    county: &str,
    name: &str,
    secretary: Option<&str>,
    by: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO party_branches (county, name, secretary, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (county, name) DO UPDATE SET \
         secretary = excluded.secretary, updated_by = excluded.updated_by, updated_at = excluded.updated_at \
         RETURNING id",
    )
    .bind(county)
    .bind(name)
    .bind(secretary)
    .bind(by)
    .bind(crate::now_text())
    .fetch_one(&mut **tx)
    .await?)
}

/// A person in party development, with their branch's name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct PartyPersonRow {
    pub id: i64,
    pub id_number: String,
    pub name: String,
    pub branch_id: i64,
    pub branch: String,
}

const PERSON_SELECT: &str = "SELECT p.id, p.id_number, p.name, p.branch_id, b.name AS branch \
     FROM party_people p JOIN party_branches b ON b.county = p.county AND b.id = p.branch_id WHERE p.county = $1";

pub async fn people(db: &Db, county: &str) -> Result<Vec<PartyPersonRow>> {
    county_rows(
        db,
        sqlx::AssertSqlSafe(format!("{PERSON_SELECT} ORDER BY p.id")),
        county,
    )
    .await
}

pub async fn people_of_branch(db: &Db, county: &str, branch: i64) -> Result<Vec<PartyPersonRow>> {
    county_rows_by(
        db,
        sqlx::AssertSqlSafe(format!(
            "{PERSON_SELECT} AND p.branch_id = $2 ORDER BY p.id"
        )),
        county,
        branch,
    )
    .await
}

pub async fn person(db: &Db, county: &str, id: i64) -> Result<Option<PartyPersonRow>> {
    county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{PERSON_SELECT} AND p.id = $2")),
        county,
        id,
    )
    .await
}

pub async fn person_by_id_number(
    db: &Db,
    county: &str,
    id_number: &str,
) -> Result<Option<PartyPersonRow>> {
    county_row_by(
        db,
        sqlx::AssertSqlSafe(format!("{PERSON_SELECT} AND p.id_number = $2")),
        county,
        id_number.to_string(),
    )
    .await
}

/// A person as an import or the form writes them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewPerson {
    pub id_number: String,
    pub name: String,
    pub branch_id: i64,
}

/// Writes people by ID number (a stored one takes the new name and branch) and returns every
/// person's id by ID number.
pub async fn write_people(
    tx: &mut Tx,
    county: &str,
    rows: &[NewPerson],
) -> Result<HashMap<String, i64>> {
    insert_many(
        tx,
        "party_people",
        &["county", "id_number", "name", "branch_id"],
        "ON CONFLICT (county, id_number) DO UPDATE SET name = excluded.name, branch_id = excluded.branch_id",
        rows,
        |q, r| {
            q.bind(county)
                .bind(r.id_number.clone())
                .bind(r.name.clone())
                .bind(r.branch_id)
        },
    )
    .await?;
    let ids: Vec<(String, i64)> =
        sqlx::query_as("SELECT id_number, id FROM party_people WHERE county = $1")
            .bind(county)
            .fetch_all(&mut **tx)
            .await?;
    Ok(ids.into_iter().collect())
}

/// A stage reached, as stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct StageRow {
    pub person_id: i64,
    #[sqlx(try_from = "Label")]
    pub stage: PartyStage,
    pub reached_on: String,
    pub recorded_by: String,
}

/// Every stage of the county, by person then stage date.
pub async fn stages(db: &Db, county: &str) -> Result<Vec<StageRow>> {
    county_rows(
        db,
        "SELECT person_id, stage, reached_on, recorded_by FROM party_stages WHERE county = $1 \
         ORDER BY person_id, reached_on, id",
        county,
    )
    .await
}

pub async fn stages_of(db: &Db, county: &str, person: i64) -> Result<Vec<StageRow>> {
    county_rows_by(
        db,
        "SELECT person_id, stage, reached_on, recorded_by FROM party_stages \
         WHERE county = $1 AND person_id = $2 ORDER BY reached_on, id",
        county,
        person,
    )
    .await
}

/// A stage to record.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewStage {
    pub person_id: i64,
    pub stage: PartyStage,
    pub reached_on: String,
}

/// Records stages; a stage already recorded for the person takes the new date.
pub async fn write_stages(tx: &mut Tx, county: &str, rows: &[NewStage], by: &str) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "party_stages",
        &[
            "county",
            "person_id",
            "stage",
            "reached_on",
            "recorded_by",
            "recorded_at",
        ],
        "ON CONFLICT (county, person_id, stage) DO UPDATE SET reached_on = excluded.reached_on, \
         recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        rows,
        |q, r| {
            q.bind(county)
                .bind(r.person_id)
                .bind(r.stage.label())
                .bind(r.reached_on.clone())
                .bind(by.to_string())
                .bind(now.clone())
        },
    )
    .await
}

/// (stage, branch id, persons) reaching each stage in the year, by branch.
pub async fn stage_counts_of_year(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Vec<(PartyStage, i64, i64)>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT s.stage, p.branch_id, COUNT(DISTINCT s.person_id) FROM party_stages s \
         JOIN party_people p ON p.county = s.county AND p.id = s.person_id \
         WHERE s.county = $1 AND s.reached_on >= $2 AND s.reached_on <= $3 \
         GROUP BY s.stage, p.branch_id",
    )
    .bind(county)
    .bind(format!("{year}-01-01"))
    .bind(format!("{year}-12-31"))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(stage, branch, n)| Some((PartyStage::parse(&stage)?, branch, n)))
        .collect())
}

/// A meeting of a branch as logged.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub held_on: String,
    #[sqlx(try_from = "Label")]
    pub kind: MeetingKind,
    pub topic: String,
    /// 应到人数.
    pub expected: i64,
    /// 实到人数.
    pub attended: i64,
    pub recorded_by: String,
}

pub async fn meetings_of(db: &Db, county: &str, branch: i64) -> Result<Vec<MeetingRow>> {
    county_rows_by(
        db,
        "SELECT id, held_on, kind, topic, expected, attended, recorded_by FROM party_meetings \
         WHERE county = $1 AND branch_id = $2 ORDER BY held_on DESC, id DESC",
        county,
        branch,
    )
    .await
}

/// A meeting to log.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewMeeting {
    pub branch_id: i64,
    pub held_on: String,
    pub kind: MeetingKind,
    pub topic: String,
    pub expected: i64,
    pub attended: i64,
}

pub async fn write_meetings(
    tx: &mut Tx,
    county: &str,
    rows: &[NewMeeting],
    by: &str,
) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "party_meetings",
        &[
            "county",
            "branch_id",
            "held_on",
            "kind",
            "topic",
            "expected",
            "attended",
            "recorded_by",
            "recorded_at",
        ],
        "",
        rows,
        |q, r| {
            q.bind(county)
                .bind(r.branch_id)
                .bind(r.held_on.clone())
                .bind(r.kind.label())
                .bind(r.topic.clone())
                .bind(r.expected)
                .bind(r.attended)
                .bind(by.to_string())
                .bind(now.clone())
        },
    )
    .await
}
