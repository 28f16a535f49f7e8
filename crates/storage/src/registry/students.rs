//! Students' identity and roll as an import reads and writes them.

use super::*;

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
         FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id JOIN classes c ON c.county = e.county AND c.id = e.class_id \
         JOIN schools sc ON sc.county = e.county AND sc.code = e.school_code WHERE e.county = $1 AND e.term = $2"
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

/// A student record to write, with what the caller found stored before the write: what is
/// not stored yet is inserted plainly, the rest is upserted (an upsert probes its key
/// before it inserts: about 0.4 s of a 150,000-row import on PostgreSQL).
#[derive(Clone, Copy, Debug)]
pub struct RollWrite<'a> {
    pub record: &'a StudentRecord,
    /// The student's identity (by ID number) was not stored.
    pub new_student: bool,
    /// The student's roll entry for the record's term was not stored.
    pub new_entry: bool,
}

impl<'a> RollWrite<'a> {
    /// A record written whatever is stored (an upsert of both).
    pub fn upsert(record: &'a StudentRecord) -> RollWrite<'a> {
        RollWrite {
            record,
            new_student: false,
            new_entry: false,
        }
    }
}

const IDENTITY_COLUMNS: [(&str, Json); 17] = [
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
];

const ENTRY_COLUMNS: [(&str, Json); 8] = [
    ("student_id", Json::Int),
    ("term", Json::Text),
    ("county", Json::Text),
    ("school_code", Json::Text),
    ("class_id", Json::Int),
    ("grade", Json::Text),
    ("boarding", Json::Int),
    ("status", Json::Text),
];

/// A plain insert of rows found new meets one written since they were read, by a writer
/// that took no import turn (`claim_import`): the write is refused, for the import to read
/// again.
fn written_meanwhile(e: StorageError) -> StorageError {
    match &e {
        StorageError::Sql(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            StorageError::WrittenMeanwhile
        }
        _ => e,
    }
}

/// Writes students (identity) and their roll entries for the records' terms.
/// Returns nothing; the caller decided beforehand which records change.
pub async fn write_students(tx: &mut Tx, county: &str, writes: &[RollWrite<'_>]) -> Result<()> {
    if writes.is_empty() {
        return Ok(());
    }
    // One identity row per student (a file may hold the same student in two terms; an
    // upsert may not touch a row twice), the last one given wins.
    let mut seen = std::collections::HashSet::with_capacity(writes.len());
    let mut identities: Vec<&RollWrite> = writes
        .iter()
        .rev()
        .filter(|w| seen.insert(w.record.id_number.as_str()))
        .collect();
    identities.reverse();
    let (new, stored): (Vec<&RollWrite>, Vec<&RollWrite>) =
        identities.into_iter().partition(|w| w.new_student);
    // The ids come back from the writes themselves: no second pass over the county's students.
    let mut returned = insert_json(
        tx,
        "students",
        &IDENTITY_COLUMNS,
        "RETURNING id, id_number",
        &new,
        |w| IdentityJson {
            county,
            record: w.record,
        },
    )
    .await
    .map_err(written_meanwhile)?;
    returned.extend(
        insert_json(
            tx,
            "students",
            &IDENTITY_COLUMNS,
            "ON CONFLICT (county, id_number) DO UPDATE SET student_no = excluded.student_no, name = excluded.name, \
             sex = excluded.sex, birth_date = excluded.birth_date, ethnicity = excluded.ethnicity, \
             household_township = excluded.household_township, hardship = excluded.hardship, disability = excluded.disability, \
             left_behind = excluded.left_behind, migrant = excluded.migrant, orphan = excluded.orphan, \
             household_type = excluded.household_type, overseas = excluded.overseas, \
             nationality = excluded.nationality, aux_no = excluded.aux_no \
             RETURNING id, id_number",
            &stored,
            |w| IdentityJson {
                county,
                record: w.record,
            },
        )
        .await?,
    );
    let student_ids: HashMap<String, i64> = returned
        .iter()
        .map(|row| (row.get("id_number"), row.get("id")))
        .collect();

    // Classes are formed from the rows: (school, term, grade, number).
    let mut class_keys: Vec<(String, String, &'static str, i64)> = writes
        .iter()
        .map(|w| {
            let s = w.record;
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
        "ON CONFLICT (county, school_code, term, grade, number) DO NOTHING",
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

    let mut terms: Vec<String> = writes.iter().map(|w| w.record.term.code()).collect();
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

    let (new, stored): (Vec<&RollWrite>, Vec<&RollWrite>) =
        writes.iter().partition(|w| w.new_entry);
    insert_json(tx, "enrollments", &ENTRY_COLUMNS, "", &new, |w| {
        entry_row(county, w.record, &class_ids, &student_ids)
    })
    .await
    .map_err(written_meanwhile)?;
    insert_json(
        tx,
        "enrollments",
        &ENTRY_COLUMNS,
        "ON CONFLICT (county, student_id, term) DO UPDATE SET school_code = excluded.school_code, class_id = excluded.class_id, \
         grade = excluded.grade, boarding = excluded.boarding, status = excluded.status",
        &stored,
        |w| entry_row(county, w.record, &class_ids, &student_ids),
    )
    .await?;
    // Classes emptied by moves are dropped so that class counts stay true.
    sqlx::query(
        "DELETE FROM classes WHERE county = $1 AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.county = classes.county AND e.class_id = classes.id)",
    )
    .bind(county)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One roll entry's row for `insert_json`, in `ENTRY_COLUMNS`' order.
#[allow(clippy::type_complexity)]
fn entry_row<'a>(
    county: &'a str,
    s: &'a StudentRecord,
    class_ids: &HashMap<(String, String, String, i64), i64>,
    student_ids: &HashMap<String, i64>,
) -> (
    i64,
    String,
    &'a str,
    &'a str,
    i64,
    &'static str,
    i64,
    &'static str,
) {
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
}
