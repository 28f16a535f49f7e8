//! 荣誉与竞赛.

use crate::sql::{county_rows, insert_many, Label};
use crate::{Db, Result, Tx};
use emis_domain::honours::{HonourKind, Level, SubjectKind};
use std::collections::HashMap;

/// An honour as stored, with its school's name and township.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct HonourRow {
    pub id: i64,
    #[sqlx(try_from = "Label")]
    pub subject_kind: SubjectKind,
    /// The school's code, the person's ID number (masked before it is shown) or the team.
    pub subject_key: String,
    pub school_code: Option<String>,
    pub school_name: Option<String>,
    pub township_code: Option<String>,
    pub person_name: Option<String>,
    pub title: String,
    #[sqlx(try_from = "Label")]
    pub kind: HonourKind,
    #[sqlx(try_from = "Label")]
    pub level: Level,
    pub granted_by: String,
    pub granted_on: String,
    pub prize: Option<String>,
    /// '' when the honour names no event.
    pub event: String,
    pub recorded_by: String,
}

/// Every honour of the county, the latest first.
pub async fn honours(db: &Db, county: &str) -> Result<Vec<HonourRow>> {
    county_rows(
        db,
        "SELECT h.id, h.subject_kind, h.subject_key, h.school_code, s.name AS school_name, \
         s.township_code, h.person_name, h.title, h.kind, h.level, h.granted_by, h.granted_on, \
         h.prize, h.event, h.recorded_by FROM honours h LEFT JOIN schools s ON s.county = h.county AND s.code = h.school_code \
         WHERE h.county = $1 ORDER BY h.granted_on DESC, h.title, h.id",
        county,
    )
    .await
}

/// An honour as the import and the form write it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewHonour {
    pub subject_kind: SubjectKind,
    pub subject_key: String,
    pub school_code: Option<String>,
    pub person_name: Option<String>,
    pub title: String,
    pub kind: HonourKind,
    pub level: Level,
    pub granted_by: String,
    pub granted_on: String,
    pub prize: Option<String>,
    pub event: String,
}

impl NewHonour {
    /// The key one honour is stored once by.
    pub fn key(&self) -> (String, String, String, String, String) {
        (
            self.subject_kind.label().to_string(),
            self.subject_key.clone(),
            self.title.clone(),
            self.event.clone(),
            self.granted_on.clone(),
        )
    }
}

/// The stored honours' keys (an import writes only what is new).
pub async fn keys(
    db: &Db,
    county: &str,
) -> Result<std::collections::HashSet<(String, String, String, String, String)>> {
    #[derive(sqlx::FromRow)]
    struct Key {
        subject_kind: String,
        subject_key: String,
        title: String,
        event: String,
        granted_on: String,
    }
    let rows: Vec<Key> = county_rows(
        db,
        "SELECT subject_kind, subject_key, title, event, granted_on FROM honours WHERE county = $1",
        county,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|k| {
            (
                k.subject_kind,
                k.subject_key,
                k.title,
                k.event,
                k.granted_on,
            )
        })
        .collect())
}

/// Writes honours; one already stored (same subject, title, event and day) is left.
pub async fn insert_honours(tx: &mut Tx, county: &str, rows: &[NewHonour], by: &str) -> Result<()> {
    let now = crate::now_text();
    insert_many(
        tx,
        "honours",
        &[
            "county",
            "subject_kind",
            "subject_key",
            "school_code",
            "person_name",
            "title",
            "kind",
            "level",
            "granted_by",
            "granted_on",
            "prize",
            "event",
            "recorded_by",
            "recorded_at",
        ],
        "ON CONFLICT (county, subject_kind, subject_key, title, event, granted_on) DO NOTHING",
        rows,
        |q, h| {
            q.bind(county)
                .bind(h.subject_kind.label())
                .bind(&h.subject_key)
                .bind(&h.school_code)
                .bind(&h.person_name)
                .bind(&h.title)
                .bind(h.kind.label())
                .bind(h.level.label())
                .bind(&h.granted_by)
                .bind(&h.granted_on)
                .bind(&h.prize)
                .bind(&h.event)
                .bind(by)
                .bind(now.clone())
        },
    )
    .await
}

/// Students named by ID number: (name, the school of their latest term) for each found.
pub async fn students_by_id(
    db: &Db,
    county: &str,
    ids: &[String],
) -> Result<HashMap<String, (String, String)>> {
    #[derive(sqlx::FromRow)]
    struct Found {
        id_number: String,
        name: String,
        school_code: String,
        term: String,
    }
    let mut out: HashMap<String, (String, String, Option<emis_domain::term::Term>)> =
        HashMap::new();
    // Bounded statements: an import file holds at most some thousands of people.
    for chunk in ids.chunks(500) {
        let mut sql = crate::sql::Sql::new(
            "SELECT s.id_number, s.name, e.school_code, e.term FROM students s \
             JOIN enrollments e ON e.county = s.county AND e.student_id = s.id WHERE s.county = ",
        );
        sql.bind_text(county).push(" AND s.id_number IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_text(id.clone());
        }
        sql.push(")");
        let found: Vec<Found> = crate::sql::rows_as(&sql.fetch_all(db).await?)?;
        for f in found {
            let term = emis_domain::term::Term::parse(&f.term);
            let entry =
                out.entry(f.id_number)
                    .or_insert((f.name.clone(), f.school_code.clone(), term));
            if term > entry.2 {
                *entry = (f.name, f.school_code, term);
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|(id, (name, school, _))| (id, (name, school)))
        .collect())
}
