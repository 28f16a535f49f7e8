//! Registry storage: counties and org units, schools, students and their per-term roll,
//! classes, staff. Bulk writes go in multi-row statements inside the caller's transaction.

use crate::sql::{
    county_rows, insert_json, insert_many, json_array_functions, json_rows, Json, Label,
};
use crate::{Db, Result, StorageError, Tx};
use emis_domain::divisions::County;
use emis_domain::registry::{
    Grade, Hardship, Ownership, PostType, RecruitChannel, School, SchoolType, Sex, StaffRecord,
    StudentRecord, StudentStatus, UrbanRural,
};
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

/// The county's import counter, read before an import checks its rows against the database.
pub async fn import_seq(db: &Db, county: &str) -> Result<i64> {
    let seq: Option<i64> = sqlx::query_scalar("SELECT import_seq FROM counties WHERE code = $1")
        .bind(county)
        .fetch_optional(db.pool())
        .await?;
    seq.ok_or_else(|| StorageError::NoCounty(county.to_string()))
}

/// Advances the county's import counter inside the import's write transaction, as its first
/// statement, if it still reads `seen`. The update takes the county row's write lock, so a
/// second import waits here for the first to commit and then finds the counter moved on:
/// `false` means another import wrote since `seen` and this one must check again.
pub async fn claim_import(tx: &mut Tx, county: &str, seen: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE counties SET import_seq = import_seq + 1 WHERE code = $1 AND import_seq = $2",
    )
    .bind(county)
    .bind(seen)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Creates the county with its townships as org units; does nothing if it exists.
pub async fn ensure_county(db: &Db, county: &County) -> Result<bool> {
    let mut tx = db.begin().await?;
    let exists: Option<String> = sqlx::query_scalar("SELECT code FROM counties WHERE code = $1")
        .bind(county.code)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO counties (code, name, full_name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(county.code)
        .bind(county.name)
        .bind(county.full_name)
        .bind(crate::now_text())
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO org_units (code, county, parent_code, kind, name) VALUES ($1, $2, NULL, 'county', $3)")
        .bind(county.code)
        .bind(county.code)
        .bind(county.name)
        .execute(&mut *tx)
        .await?;
    for township in county.townships {
        sqlx::query("INSERT INTO org_units (code, county, parent_code, kind, name) VALUES ($1, $2, $3, 'township', $4)")
            .bind(township.code)
            .bind(county.code)
            .bind(county.code)
            .bind(township.name)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The county codes present, oldest first.
pub async fn counties(db: &Db) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT code FROM counties ORDER BY created_at, code")
            .fetch_all(db.pool())
            .await?,
    )
}

/// The one county of a single-county database (the usual deployment).
pub async fn default_county(db: &Db) -> Result<String> {
    counties(db)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| StorageError::NoCounty(String::new()))
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct OrgUnit {
    pub code: String,
    pub parent_code: Option<String>,
    pub kind: String,
    pub name: String,
}

pub async fn org_unit(db: &Db, code: &str) -> Result<Option<OrgUnit>> {
    Ok(
        sqlx::query_as("SELECT code, parent_code, kind, name FROM org_units WHERE code = $1")
            .bind(code)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// The classes (grade, number) a school has had on its roll in any term.
pub async fn school_classes(db: &Db, school: &str) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT grade, number FROM classes WHERE school_code = $1 ORDER BY grade, number",
    )
    .bind(school)
    .fetch_all(db.pool())
    .await?)
}

/// A `schools` row, its labels decoded into the domain's enums.
#[derive(sqlx::FromRow)]
struct SchoolRow {
    code: String,
    name: String,
    #[sqlx(try_from = "Label")]
    school_type: SchoolType,
    township_code: String,
    #[sqlx(try_from = "Label")]
    urban_rural: UrbanRural,
    #[sqlx(try_from = "Label")]
    ownership: Ownership,
    boarding: i64,
}

impl From<SchoolRow> for School {
    fn from(r: SchoolRow) -> School {
        School {
            code: r.code,
            name: r.name,
            school_type: r.school_type,
            township_code: r.township_code,
            urban_rural: r.urban_rural,
            ownership: r.ownership,
            boarding: r.boarding != 0,
        }
    }
}

pub async fn schools(db: &Db, county: &str) -> Result<Vec<School>> {
    let rows: Vec<SchoolRow> = county_rows(db, "SELECT code, name, school_type, township_code, urban_rural, ownership, boarding FROM schools WHERE county = $1 ORDER BY code", county).await?;
    Ok(rows.into_iter().map(School::from).collect())
}

/// Inserts or updates schools (and their org units) by school code.
pub async fn upsert_schools(tx: &mut Tx, county: &str, schools: &[School]) -> Result<()> {
    insert_many(
        tx,
        "org_units",
        &["code", "county", "parent_code", "kind", "name"],
        "ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code, name = excluded.name",
        schools,
        |q, s| {
            q.bind(&s.code)
                .bind(county)
                .bind(&s.township_code)
                .bind("school")
                .bind(&s.name)
        },
    )
    .await?;
    insert_many(
        tx,
        "schools",
        &["code", "county", "township_code", "name", "school_type", "urban_rural", "ownership", "boarding"],
        "ON CONFLICT (code) DO UPDATE SET township_code = excluded.township_code, name = excluded.name, \
         school_type = excluded.school_type, urban_rural = excluded.urban_rural, ownership = excluded.ownership, \
         boarding = excluded.boarding",
        schools,
        |q, s| {
            q.bind(&s.code)
                .bind(county)
                .bind(&s.township_code)
                .bind(&s.name)
                .bind(s.school_type.label())
                .bind(s.urban_rural.label())
                .bind(s.ownership.label())
                .bind(i64::from(s.boarding))
        },
    )
    .await?;
    Ok(())
}

/// A student's stored identity, keyed by ID number, for diffing an import against.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredStudent {
    pub id: i64,
    pub id_number: String,
    pub student_no: Option<String>,
    pub name: String,
    pub sex: String,
    pub birth_date: String,
    pub ethnicity: Option<String>,
    pub household_township: Option<String>,
    pub hardship: String,
    pub disability: Option<String>,
}

pub async fn load_students(db: &Db, county: &str) -> Result<HashMap<String, StoredStudent>> {
    // One JSON text for the whole roll (150,000 rows in a county): see `json_array_functions`.
    let (aggregate, row) = json_array_functions(db.backend());
    let text: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT CAST({aggregate}({row}(id, id_number, student_no, name, sex, birth_date, ethnicity, \
         household_township, hardship, disability)) AS TEXT) FROM students WHERE county = $1"
    )))
    .bind(county)
    .fetch_one(db.pool())
    .await?;
    type Columns = (
        i64,
        String,
        Option<String>,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
    );
    Ok(json_rows::<Columns>(text)?
        .into_iter()
        .map(
            |(
                id,
                id_number,
                student_no,
                name,
                sex,
                birth_date,
                ethnicity,
                household_township,
                hardship,
                disability,
            )| {
                let s = StoredStudent {
                    id,
                    id_number,
                    student_no,
                    name,
                    sex,
                    birth_date,
                    ethnicity,
                    household_township,
                    hardship,
                    disability,
                };
                (s.id_number.clone(), s)
            },
        )
        .collect())
}

/// A student's roll entry for one term.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEnrollment {
    pub id_number: String,
    pub school_code: String,
    pub school_name: String,
    pub grade: String,
    pub class_number: i64,
    pub boarding: bool,
    pub status: String,
}

pub async fn load_enrollments(
    db: &Db,
    county: &str,
    term: &str,
) -> Result<HashMap<String, StoredEnrollment>> {
    let (aggregate, row) = json_array_functions(db.backend());
    let text: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT CAST({aggregate}({row}(s.id_number, e.school_code, sc.name, e.grade, c.number, e.boarding, e.status)) AS TEXT) \
         FROM enrollments e JOIN students s ON s.id = e.student_id JOIN classes c ON c.id = e.class_id \
         JOIN schools sc ON sc.code = e.school_code WHERE e.county = $1 AND e.term = $2"
    )))
    .bind(county)
    .bind(term)
    .fetch_one(db.pool())
    .await?;
    type Columns = (String, String, String, String, i64, i64, String);
    Ok(json_rows::<Columns>(text)?
        .into_iter()
        .map(
            |(id_number, school_code, school_name, grade, class_number, boarding, status)| {
                let e = StoredEnrollment {
                    id_number,
                    school_code,
                    school_name,
                    grade,
                    class_number,
                    boarding: boarding != 0,
                    status,
                };
                (e.id_number.clone(), e)
            },
        )
        .collect())
}

/// One student's identity row for `insert_json`, in its column order: seventeen columns,
/// more than serde writes a tuple of, so the array is written here.
struct IdentityJson<'a> {
    county: &'a str,
    record: &'a StudentRecord,
}

impl serde::Serialize for IdentityJson<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let s = self.record;
        let n = &s.national;
        let flag = |f: Option<bool>| f.map(i64::from);
        let mut t = serializer.serialize_tuple(17)?;
        t.serialize_element(self.county)?;
        t.serialize_element(&s.id_number)?;
        t.serialize_element(&s.student_no)?;
        t.serialize_element(&s.name)?;
        t.serialize_element(s.sex.label())?;
        t.serialize_element(&s.birth_date.to_string())?;
        t.serialize_element(&s.ethnicity)?;
        t.serialize_element(&s.household_township)?;
        t.serialize_element(s.hardship.label())?;
        t.serialize_element(&s.disability)?;
        t.serialize_element(&n.left_behind.map(|l| l.label()))?;
        t.serialize_element(&flag(n.migrant))?;
        t.serialize_element(&flag(n.orphan))?;
        t.serialize_element(&n.household_type)?;
        t.serialize_element(&n.overseas)?;
        t.serialize_element(&n.nationality)?;
        t.serialize_element(&n.aux_no)?;
        t.end()
    }
}

/// Writes students (identity) and their roll entries for the records' terms.
/// Returns nothing; the caller decided beforehand which records change.
pub async fn write_students(tx: &mut Tx, county: &str, records: &[&StudentRecord]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    // One identity row per student (a file may hold the same student in two terms; an
    // upsert may not touch a row twice), the last one given wins.
    let mut seen = std::collections::HashSet::with_capacity(records.len());
    let mut identities: Vec<&StudentRecord> = records
        .iter()
        .rev()
        .filter(|r| seen.insert(r.id_number.as_str()))
        .copied()
        .collect();
    identities.reverse();
    // The ids come back from the upsert itself: no second pass over the county's students.
    let returned = insert_json(
        tx,
        "students",
        &[
            ("county", Json::Text),
            ("id_number", Json::Text),
            ("student_no", Json::Text),
            ("name", Json::Text),
            ("sex", Json::Text),
            ("birth_date", Json::Text),
            ("ethnicity", Json::Text),
            ("household_township", Json::Text),
            ("hardship", Json::Text),
            ("disability", Json::Text),
            ("left_behind", Json::Text),
            ("migrant", Json::Int),
            ("orphan", Json::Int),
            ("household_type", Json::Text),
            ("overseas", Json::Text),
            ("nationality", Json::Text),
            ("aux_no", Json::Text),
        ],
        "ON CONFLICT (county, id_number) DO UPDATE SET student_no = excluded.student_no, name = excluded.name, \
         sex = excluded.sex, birth_date = excluded.birth_date, ethnicity = excluded.ethnicity, \
         household_township = excluded.household_township, hardship = excluded.hardship, disability = excluded.disability, \
         left_behind = excluded.left_behind, migrant = excluded.migrant, orphan = excluded.orphan, \
         household_type = excluded.household_type, overseas = excluded.overseas, \
         nationality = excluded.nationality, aux_no = excluded.aux_no \
         RETURNING id, id_number",
        &identities,
        |s| IdentityJson { county, record: s },
    )
    .await?;
    let student_ids: HashMap<String, i64> = returned
        .iter()
        .map(|row| (row.get("id_number"), row.get("id")))
        .collect();

    // Classes are formed from the rows: (school, term, grade, number).
    let mut class_keys: Vec<(String, String, &'static str, i64)> = records
        .iter()
        .map(|s| {
            (
                s.school_code.clone(),
                s.term.code(),
                s.grade.label(),
                i64::from(s.class_number),
            )
        })
        .collect();
    class_keys.sort();
    class_keys.dedup();
    insert_many(
        tx,
        "classes",
        &["county", "school_code", "term", "grade", "number"],
        "ON CONFLICT (school_code, term, grade, number) DO NOTHING",
        &class_keys,
        |q, (school, term, grade, number)| {
            q.bind(county)
                .bind(school)
                .bind(term)
                .bind(*grade)
                .bind(*number)
        },
    )
    .await?;

    let mut terms: Vec<String> = records.iter().map(|s| s.term.code()).collect();
    terms.sort();
    terms.dedup();
    let mut class_ids: HashMap<(String, String, String, i64), i64> = HashMap::new();
    for term in &terms {
        let rows = sqlx::query(
            "SELECT id, school_code, grade, number FROM classes WHERE county = $1 AND term = $2",
        )
        .bind(county)
        .bind(term)
        .fetch_all(&mut **tx)
        .await?;
        for r in rows {
            class_ids.insert(
                (
                    r.get("school_code"),
                    term.clone(),
                    r.get("grade"),
                    r.get("number"),
                ),
                r.get("id"),
            );
        }
    }

    insert_json(
        tx,
        "enrollments",
        &[
            ("student_id", Json::Int),
            ("term", Json::Text),
            ("county", Json::Text),
            ("school_code", Json::Text),
            ("class_id", Json::Int),
            ("grade", Json::Text),
            ("boarding", Json::Int),
            ("status", Json::Text),
        ],
        "ON CONFLICT (student_id, term) DO UPDATE SET school_code = excluded.school_code, class_id = excluded.class_id, \
         grade = excluded.grade, boarding = excluded.boarding, status = excluded.status",
        records,
        |s| {
            let term = s.term.code();
            let class_id = class_ids
                .get(&(
                    s.school_code.clone(),
                    term.clone(),
                    s.grade.label().to_string(),
                    i64::from(s.class_number),
                ))
                .copied()
                .unwrap_or_default();
            let student_id = student_ids
                .get(s.id_number.as_str())
                .copied()
                .unwrap_or_default();
            (
                student_id,
                term,
                county,
                &s.school_code,
                class_id,
                s.grade.label(),
                i64::from(s.boarding),
                s.status.label(),
            )
        },
    )
    .await?;
    // Classes emptied by moves are dropped so that class counts stay true.
    sqlx::query(
        "DELETE FROM classes WHERE county = $1 AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.class_id = classes.id)",
    )
    .bind(county)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A `staff` row, its labels decoded into the domain's enums.
#[derive(sqlx::FromRow)]
struct StaffRow {
    school_code: String,
    name: String,
    #[sqlx(try_from = "Label")]
    sex: Sex,
    id_number: String,
    #[sqlx(try_from = "Label")]
    post_type: PostType,
    subject: Option<String>,
    title: Option<String>,
    channel: Option<String>,
    start_date: Option<String>,
}

/// A staff member's stored record, keyed by ID number.
pub async fn load_staff(db: &Db, county: &str) -> Result<HashMap<String, StaffRecord>> {
    let rows: Vec<StaffRow> = county_rows(db, "SELECT school_code, name, sex, id_number, post_type, subject, title, channel, start_date FROM staff WHERE county = $1", county).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = StaffRecord {
                school_code: r.school_code,
                name: r.name,
                sex: r.sex,
                id_number: r.id_number,
                post_type: r.post_type,
                subject: r.subject,
                title: r.title,
                channel: r.channel.as_deref().and_then(RecruitChannel::parse),
                start_date: r.start_date.and_then(|d| d.parse().ok()),
            };
            (s.id_number.clone(), s)
        })
        .collect())
}

pub async fn write_staff(tx: &mut Tx, county: &str, records: &[&StaffRecord]) -> Result<()> {
    insert_many(
        tx,
        "staff",
        &["county", "school_code", "id_number", "name", "sex", "post_type", "subject", "title", "channel", "start_date"],
        "ON CONFLICT (county, id_number) DO UPDATE SET school_code = excluded.school_code, name = excluded.name, sex = excluded.sex, \
         post_type = excluded.post_type, subject = excluded.subject, title = excluded.title, channel = excluded.channel, \
         start_date = excluded.start_date",
        records,
        |q, s| {
            q.bind(county)
                .bind(&s.school_code)
                .bind(&s.id_number)
                .bind(&s.name)
                .bind(s.sex.label())
                .bind(s.post_type.label())
                .bind(&s.subject)
                .bind(&s.title)
                .bind(s.channel.map(|c| c.label()))
                .bind(s.start_date.map(|d| d.to_string()))
        },
    )
    .await?;
    Ok(())
}

/// Counts for status lines and tests.
pub async fn count(db: &Db, table: &str, county: &str) -> Result<i64> {
    let table = match table {
        "schools" | "students" | "staff" | "classes" | "enrollments" | "audit_log" | "users" => {
            table
        }
        _ => return Err(StorageError::UnknownTable(table.to_string())),
    };
    Ok(sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {table} WHERE county = $1"
    )))
    .bind(county)
    .fetch_one(db.pool())
    .await?)
}

/// A roll row of `roll`, its labels decoded into the domain's enums.
#[derive(sqlx::FromRow)]
struct RollRow {
    school_code: String,
    name: String,
    #[sqlx(try_from = "Label")]
    sex: Sex,
    id_number: String,
    student_no: Option<String>,
    #[sqlx(try_from = "Label")]
    grade: Grade,
    class_number: i64,
    birth_date: String,
    ethnicity: Option<String>,
    household_township: Option<String>,
    boarding: i64,
    #[sqlx(try_from = "Label")]
    hardship: Hardship,
    disability: Option<String>,
    #[sqlx(try_from = "Label")]
    status: StudentStatus,
    left_behind: Option<String>,
    migrant: Option<i64>,
    orphan: Option<i64>,
    household_type: Option<String>,
    overseas: Option<String>,
    nationality: Option<String>,
    aux_no: Option<String>,
}

/// The roll of one term as records, ordered by school, grade, class and name.
pub async fn roll(db: &Db, county: &str, term: &str) -> Result<Vec<StudentRecord>> {
    let Some(term_value) = emis_domain::term::Term::parse(term) else {
        return Err(StorageError::BadTerm(term.to_string()));
    };
    let rows: Vec<RollRow> = sqlx::query_as(
        "SELECT e.school_code, s.name, s.sex, s.id_number, s.student_no, e.grade, c.number AS class_number, s.birth_date, \
         s.ethnicity, s.household_township, e.boarding, s.hardship, s.disability, e.status, \
         s.left_behind, s.migrant, s.orphan, s.household_type, s.overseas, s.nationality, s.aux_no \
         FROM enrollments e JOIN students s ON s.id = e.student_id JOIN classes c ON c.id = e.class_id \
         WHERE e.county = $1 AND e.term = $2 ORDER BY e.school_code, c.grade, c.number, s.id_number",
    )
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|r| record_of(r, term_value)).collect())
}

/// The students of a filtered list (`lists::students`' filters and order, every match) as
/// records with every column of the import template: what a page's 导出 writes.
pub async fn roll_of(
    db: &Db,
    scope: &emis_domain::access::Scope,
    q: &crate::lists::StudentQuery,
) -> Result<Vec<StudentRecord>> {
    let Some(term_value) = emis_domain::term::Term::parse(&q.term) else {
        return Err(StorageError::BadTerm(q.term.clone()));
    };
    let mut sql = crate::sql::Sql::new(
        "SELECT e.school_code, s.name, s.sex, s.id_number, s.student_no, e.grade, c.number AS class_number, s.birth_date, \
         s.ethnicity, s.household_township, e.boarding, s.hardship, s.disability, e.status, \
         s.left_behind, s.migrant, s.orphan, s.household_type, s.overseas, s.nationality, s.aux_no \
         FROM enrollments e JOIN students s ON s.id = e.student_id JOIN classes c ON c.id = e.class_id",
    );
    crate::lists::student_where(&mut sql, scope, q);
    sql.push(&format!(" ORDER BY {}", crate::lists::student_order(q)));
    let rows: Vec<RollRow> = crate::sql::rows_as(&sql.fetch_all(db).await?)?;
    Ok(rows.into_iter().map(|r| record_of(r, term_value)).collect())
}

fn record_of(r: RollRow, term_value: emis_domain::term::Term) -> StudentRecord {
    StudentRecord {
        school_code: r.school_code,
        name: r.name,
        sex: r.sex,
        id_number: r.id_number,
        student_no: r.student_no,
        grade: r.grade,
        class_number: u32::try_from(r.class_number).unwrap_or(0),
        birth_date: r.birth_date.parse().unwrap_or_default(),
        ethnicity: r.ethnicity,
        household_township: r.household_township,
        boarding: r.boarding != 0,
        hardship: r.hardship,
        disability: r.disability,
        status: r.status,
        term: term_value,
        national: emis_domain::national::NationalFacts {
            left_behind: r
                .left_behind
                .as_deref()
                .and_then(emis_domain::national::LeftBehind::parse),
            migrant: r.migrant.map(|f| f != 0),
            orphan: r.orphan.map(|f| f != 0),
            household_type: r.household_type,
            overseas: r.overseas,
            nationality: r.nationality,
            aux_no: r.aux_no,
        },
    }
}

/// The latest term that has roll data, if any.
pub async fn latest_term(db: &Db, county: &str) -> Result<Option<String>> {
    let mut terms: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT term FROM classes WHERE county = $1")
            .bind(county)
            .fetch_all(db.pool())
            .await?;
    terms.sort_by_key(|t| emis_domain::term::Term::parse(t));
    Ok(terms.pop())
}

/// Copies a term's classes and roll into another term, leaving out the students whose id
/// is a multiple of `leave_out_every` (the demo's earlier year: the same classes a year
/// back, thinned). Two set-based statements, so a roll of 150,000 is copied in the
/// database without a round trip per row. Returns the roll entries written; nothing is
/// written when the target term has classes already.
pub async fn copy_roll(
    tx: &mut Tx,
    county: &str,
    from_term: &str,
    to_term: &str,
    leave_out_every: i64,
) -> Result<u64> {
    let present: Option<i64> =
        sqlx::query_scalar("SELECT id FROM classes WHERE county = $1 AND term = $2 LIMIT 1")
            .bind(county)
            .bind(to_term)
            .fetch_optional(&mut **tx)
            .await?;
    if present.is_some() {
        return Ok(0);
    }
    sqlx::query(
        "INSERT INTO classes (county, school_code, term, grade, number) \
         SELECT county, school_code, $3, grade, number FROM classes WHERE county = $1 AND term = $2",
    )
    .bind(county)
    .bind(from_term)
    .bind(to_term)
    .execute(&mut **tx)
    .await?;
    let written = sqlx::query(
        "INSERT INTO enrollments (student_id, term, county, school_code, class_id, grade, boarding, status) \
         SELECT e.student_id, $3, e.county, e.school_code, t.id, e.grade, e.boarding, e.status \
         FROM enrollments e JOIN classes f ON f.id = e.class_id \
         JOIN classes t ON t.county = f.county AND t.school_code = f.school_code AND t.term = $4 \
          AND t.grade = f.grade AND t.number = f.number \
         WHERE e.county = $1 AND e.term = $2 AND e.student_id % $5 <> 0",
    )
    .bind(county)
    .bind(from_term)
    .bind(to_term)
    .bind(to_term)
    .bind(leave_out_every.max(2))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(written)
}

/// Sets a student's roll status for a term.
pub async fn set_status(tx: &mut Tx, student_id: i64, term: &str, status: &str) -> Result<()> {
    sqlx::query("UPDATE enrollments SET status = $1 WHERE student_id = $2 AND term = $3")
        .bind(status)
        .bind(student_id)
        .bind(term)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves a student's roll entry for a term into an existing class of another school; false
/// (nothing changed) when the school has no such class in the term. Transfers never create
/// classes.
pub async fn transfer(
    tx: &mut Tx,
    student_id: i64,
    term: &str,
    school: &str,
    grade: &str,
    class_number: i64,
) -> Result<bool> {
    let class_id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM classes WHERE school_code = $1 AND term = $2 AND grade = $3 AND number = $4",
    )
    .bind(school)
    .bind(term)
    .bind(grade)
    .bind(class_number)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(class_id) = class_id else {
        return Ok(false);
    };
    sqlx::query("UPDATE enrollments SET school_code = $1, class_id = $2, grade = $3 WHERE student_id = $4 AND term = $5")
        .bind(school)
        .bind(class_id)
        .bind(grade)
        .bind(student_id)
        .bind(term)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// Students on the roll (在读, 休学, 送教上门) of a term by school: the one count other
/// modules check their figures against.
pub async fn students_on_roll_by_school(
    db: &Db,
    county: &str,
    term: &str,
) -> Result<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT school_code, CAST(COUNT(*) AS BIGINT) FROM enrollments WHERE county = $1 AND term = $2 \
         AND status IN {} GROUP BY school_code",
        crate::indicators::ON_ROLL
    )))
    .bind(county)
    .bind(term)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().collect())
}
