//! Trainings (培训项目) and their participants (参训教师), and the person-time counts.

use crate::lists::scope_filter;
use crate::sql::{insert_many, rows_as, Flag, Label, Sql};
use crate::{Db, Result, Tx};
use emis_domain::access::Scope;
use emis_domain::teachers::TrainingLevel;
use std::collections::HashMap;

/// A training as stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct TrainingRow {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "Label")]
    pub level: TrainingLevel,
    pub start_date: String,
    pub end_date: String,
}

/// A training to insert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTraining {
    pub name: String,
    pub level: TrainingLevel,
    pub start_date: String,
    pub end_date: String,
}

/// One participant row: the training by (name, start date), the teacher by ID number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParticipantRow {
    pub training_id: i64,
    pub id_number: String,
    /// Tenths of an hour.
    pub hours: i64,
    pub completed: bool,
}

/// The county's trainings by (name, start date).
pub async fn trainings_by_key(
    db: &Db,
    county: &str,
) -> Result<HashMap<(String, String), TrainingRow>> {
    let rows: Vec<TrainingRow> = crate::sql::county_rows(
        db,
        "SELECT id, name, level, start_date, end_date FROM trainings WHERE county = $1",
        county,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|t| ((t.name.clone(), t.start_date.clone()), t))
        .collect())
}

/// Every stored participant: (training, ID number) → (hours, completed).
pub async fn participant_facts(
    db: &Db,
    county: &str,
) -> Result<HashMap<(i64, String), (i64, bool)>> {
    #[derive(sqlx::FromRow)]
    struct Fact {
        training_id: i64,
        id_number: String,
        hours: i64,
        #[sqlx(try_from = "Flag")]
        completed: bool,
    }
    let rows: Vec<Fact> = crate::sql::county_rows(
        db,
        "SELECT training_id, id_number, hours, completed FROM training_participants WHERE county = $1",
        county,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|f| ((f.training_id, f.id_number), (f.hours, f.completed)))
        .collect())
}

/// Inserts new trainings and returns every training's id by (name, start date).
pub async fn insert_trainings(
    tx: &mut Tx,
    county: &str,
    trainings: &[NewTraining],
    source: &str,
) -> Result<HashMap<(String, String), i64>> {
    insert_many(
        tx,
        "trainings",
        &[
            "county",
            "name",
            "level",
            "start_date",
            "end_date",
            "source",
        ],
        "",
        trainings,
        |q, t| {
            q.bind(county)
                .bind(&t.name)
                .bind(t.level.label())
                .bind(&t.start_date)
                .bind(&t.end_date)
                .bind(source)
        },
    )
    .await?;
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, start_date FROM trainings WHERE county = $1")
            .bind(county)
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, start)| ((name, start), id))
        .collect())
}

/// Writes participants; a stored (training, teacher) pair takes the new hours and 结业.
pub async fn write_participants(tx: &mut Tx, county: &str, rows: &[ParticipantRow]) -> Result<()> {
    insert_many(
        tx,
        "training_participants",
        &["county", "training_id", "id_number", "hours", "completed"],
        "ON CONFLICT (county, training_id, id_number) DO UPDATE SET hours = excluded.hours, completed = excluded.completed",
        rows,
        |q, p| {
            q.bind(county)
                .bind(p.training_id)
                .bind(&p.id_number)
                .bind(p.hours)
                .bind(i64::from(p.completed))
        },
    )
    .await
}

/// Person-times, distinct persons and hours of one group (a level, a school, a township).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct PersonTimes {
    /// The group's key: a level's label, a school's or township's code.
    pub key: String,
    /// The school's or township's name (the level's label again for levels).
    pub name: String,
    pub person_times: i64,
    pub persons: i64,
    /// Tenths of an hour.
    pub hours: i64,
}

/// How person-times are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainingGroup {
    Level,
    School,
    Township,
}

/// Completed (training, teacher) pairs of trainings starting in `year`, grouped, for the
/// teachers of the scope (by their school on the staff roll).
pub async fn person_times(
    db: &Db,
    scope: &Scope,
    year: i32,
    group: TrainingGroup,
) -> Result<Vec<PersonTimes>> {
    let (key, name, join) = match group {
        TrainingGroup::Level => ("t.level", "t.level", ""),
        TrainingGroup::School => ("st.school_code", "sc.name", ""),
        TrainingGroup::Township => (
            "sc.township_code",
            "COALESCE(o.name, sc.township_code)",
            " LEFT JOIN org_units o ON o.county = sc.county AND o.code = sc.township_code",
        ),
    };
    let mut sql = Sql::new(&format!(
        "SELECT {key} AS key, {name} AS name, CAST(COUNT(*) AS BIGINT) AS person_times, \
         CAST(COUNT(DISTINCT p.id_number) AS BIGINT) AS persons, CAST(COALESCE(SUM(p.hours), 0) AS BIGINT) AS hours \
         FROM training_participants p JOIN trainings t ON t.county = p.county AND t.id = p.training_id \
         JOIN staff st ON st.county = p.county AND st.id_number = p.id_number \
         JOIN schools sc ON sc.county = st.county AND sc.code = st.school_code{join} \
         WHERE p.county = "
    ));
    sql.bind_text(scope.county())
        .push(" AND p.completed = 1 AND t.start_date >= ")
        .bind_text(format!("{year}-01-01"))
        .push(" AND t.start_date <= ")
        .bind_text(format!("{year}-12-31"));
    scope_filter(&mut sql, scope, "st.school_code");
    sql.push(&format!(" GROUP BY {key}, {name} ORDER BY {key}"));
    rows_as(&sql.fetch_all(db).await?)
}

/// The county's person-times and distinct persons in `year`, over every participant
/// (whether or not still on the staff roll): the indicators' count.
pub async fn year_person_times(db: &Db, county: &str, year: i32) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT p.id_number) AS BIGINT) \
         FROM training_participants p JOIN trainings t ON t.county = p.county AND t.id = p.training_id \
         WHERE p.county = $1 AND p.completed = 1 AND t.start_date >= $2 AND t.start_date <= $3",
    )
    .bind(county)
    .bind(format!("{year}-01-01"))
    .bind(format!("{year}-12-31"))
    .fetch_one(db.pool())
    .await?)
}

/// A training in a list, with its participant counts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct TrainingListRow {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "Label")]
    pub level: TrainingLevel,
    pub start_date: String,
    pub end_date: String,
    pub participants: i64,
    pub completed: i64,
}

/// The trainings of a year with participants in the scope, newest first.
pub async fn trainings_of_year(
    db: &Db,
    scope: &Scope,
    year: i32,
    level: Option<TrainingLevel>,
) -> Result<Vec<TrainingListRow>> {
    let mut sql = Sql::new(
        "SELECT t.id, t.name, t.level, t.start_date, t.end_date, CAST(COUNT(*) AS BIGINT) AS participants, \
         CAST(COALESCE(SUM(p.completed), 0) AS BIGINT) AS completed \
         FROM trainings t JOIN training_participants p ON p.county = t.county AND p.training_id = t.id \
         JOIN staff st ON st.county = p.county AND st.id_number = p.id_number WHERE t.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND t.start_date >= ")
        .bind_text(format!("{year}-01-01"))
        .push(" AND t.start_date <= ")
        .bind_text(format!("{year}-12-31"));
    if let Some(level) = level {
        sql.push(" AND t.level = ").bind_text(level.label());
    }
    scope_filter(&mut sql, scope, "st.school_code");
    sql.push(" GROUP BY t.id, t.name, t.level, t.start_date, t.end_date ORDER BY t.start_date DESC, t.id DESC");
    rows_as(&sql.fetch_all(db).await?)
}

/// One training and its participants in the scope.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct ParticipantListRow {
    pub id_number: String,
    pub name: String,
    pub school_code: String,
    pub school_name: String,
    pub hours: i64,
    #[sqlx(try_from = "Flag")]
    pub completed: bool,
}

pub async fn training(db: &Db, county: &str, id: i64) -> Result<Option<TrainingRow>> {
    crate::sql::county_row_by(
        db,
        "SELECT id, name, level, start_date, end_date FROM trainings WHERE county = $1 AND id = $2",
        county,
        id,
    )
    .await
}

pub async fn participants(
    db: &Db,
    scope: &Scope,
    training: i64,
) -> Result<Vec<ParticipantListRow>> {
    let mut sql = Sql::new(
        "SELECT p.id_number, st.name, st.school_code, sc.name AS school_name, p.hours, p.completed \
         FROM training_participants p JOIN staff st ON st.county = p.county AND st.id_number = p.id_number \
         JOIN schools sc ON sc.county = st.county AND sc.code = st.school_code WHERE p.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND p.training_id = ")
        .bind_int(training);
    scope_filter(&mut sql, scope, "st.school_code");
    sql.push(" ORDER BY st.school_code, st.name");
    rows_as(&sql.fetch_all(db).await?)
}

/// A teacher's trainings, newest first.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct TeacherTrainingRow {
    pub training_id: i64,
    pub name: String,
    #[sqlx(try_from = "Label")]
    pub level: TrainingLevel,
    pub start_date: String,
    pub end_date: String,
    pub hours: i64,
    #[sqlx(try_from = "Flag")]
    pub completed: bool,
}

pub async fn trainings_of_teacher(
    db: &Db,
    county: &str,
    id_number: &str,
) -> Result<Vec<TeacherTrainingRow>> {
    crate::sql::county_rows_by(db, "SELECT t.id AS training_id, t.name, t.level, t.start_date, t.end_date, p.hours, p.completed \
         FROM training_participants p JOIN trainings t ON t.county = p.county AND t.id = p.training_id \
         WHERE p.county = $1 AND p.id_number = $2 ORDER BY t.start_date DESC, t.id DESC", county, id_number).await
}

/// Completed hours (tenths) per teacher of the scope in trainings starting between two
/// dates; teachers with none are absent.
pub async fn hours_by_teacher(
    db: &Db,
    scope: &Scope,
    from: &str,
    to: &str,
) -> Result<HashMap<String, i64>> {
    let mut sql = Sql::new(
        "SELECT p.id_number, CAST(SUM(p.hours) AS BIGINT) AS hours \
         FROM training_participants p JOIN trainings t ON t.county = p.county AND t.id = p.training_id \
         JOIN staff st ON st.county = p.county AND st.id_number = p.id_number WHERE p.county = ",
    );
    sql.bind_text(scope.county())
        .push(" AND p.completed = 1 AND t.start_date >= ")
        .bind_text(from)
        .push(" AND t.start_date <= ")
        .bind_text(to);
    scope_filter(&mut sql, scope, "st.school_code");
    sql.push(" GROUP BY p.id_number");
    let rows: Vec<(String, i64)> = rows_as(&sql.fetch_all(db).await?)?;
    Ok(rows.into_iter().collect())
}

/// Every participant row in the import's layout (the `trainings` export).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ParticipantExportRow {
    pub training: String,
    #[sqlx(try_from = "Label")]
    pub level: TrainingLevel,
    pub start_date: String,
    pub end_date: String,
    pub id_number: String,
    pub name: Option<String>,
    pub school_code: Option<String>,
    pub hours: i64,
    #[sqlx(try_from = "Flag")]
    pub completed: bool,
}

pub async fn participant_export(db: &Db, county: &str) -> Result<Vec<ParticipantExportRow>> {
    crate::sql::county_rows(
        db,
        "SELECT t.name AS training, t.level, t.start_date, t.end_date, p.id_number, st.name, st.school_code, p.hours, p.completed \
         FROM training_participants p JOIN trainings t ON t.county = p.county AND t.id = p.training_id \
         LEFT JOIN staff st ON st.county = p.county AND st.id_number = p.id_number \
         WHERE p.county = $1 ORDER BY t.start_date, t.name, p.id",
        county,
    )
    .await
}

/// The latest year that has a training (the pages' default year).
pub async fn latest_training_year(db: &Db, county: &str) -> Result<Option<i32>> {
    let latest: Option<String> =
        sqlx::query_scalar("SELECT MAX(start_date) FROM trainings WHERE county = $1")
            .bind(county)
            .fetch_one(db.pool())
            .await?;
    Ok(latest.and_then(|d| d.get(0..4)?.parse().ok()))
}
