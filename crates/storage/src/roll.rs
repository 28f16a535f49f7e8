//! The stored roll as a student import compares against it: a county's 150,000 students
//! and a term's 150,000 roll entries held in about 40 MB instead of 250 MB.
//!
//! A full `StoredStudent` is ten owned strings, each a separate allocation; the compare
//! only asks "is this row the same as stored?" and, for the rows that are not, what was
//! stored (for the audit log and the hardship rule). So each row's fields are packed into
//! one string (`Packed`), the JSON text of the roll is walked row by row without building
//! a vector of rows, and two packs are equal exactly when their fields are.

use crate::sql::json_array_functions;
use crate::{Db, Result};
use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use sqlx::AssertSqlSafe;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::marker::PhantomData;

/// Text fields packed into one allocation: each as its byte length, `:` and the text, or
/// `-` where there is none. The encoding is unambiguous, so equal packs mean equal fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Packed(Box<str>);

impl Packed {
    pub fn new<'a>(fields: impl IntoIterator<Item = Option<&'a str>>) -> Packed {
        let mut out = String::new();
        for field in fields {
            match field {
                Some(text) => {
                    let _ = write!(out, "{}:{text}", text.len());
                }
                None => out.push('-'),
            }
        }
        Packed(out.into_boxed_str())
    }

    /// Whether the pack holds exactly these fields (`Packed::new(fields) == self`, without
    /// building the pack: the compare runs once per row of a 150,000-row sheet).
    pub fn holds<'a>(&self, fields: impl IntoIterator<Item = Option<&'a str>>) -> bool {
        let mut rest = &*self.0;
        for field in fields {
            let after = match field {
                None => rest.strip_prefix('-'),
                Some(text) => rest
                    .split_once(':')
                    .filter(|(len, _)| len.parse() == Ok(text.len()))
                    .and_then(|(_, after)| after.strip_prefix(text)),
            };
            match after {
                Some(after) => rest = after,
                None => return false,
            }
        }
        rest.is_empty()
    }

    /// The field at `index` (`None` where it was none or is past the end).
    pub fn get(&self, index: usize) -> Option<&str> {
        let mut rest = &*self.0;
        for i in 0.. {
            if let Some(after) = rest.strip_prefix('-') {
                if i == index {
                    return None;
                }
                rest = after;
                continue;
            }
            let (len, after) = rest.split_once(':')?;
            let len: usize = len.parse().ok()?;
            let (text, after) = (after.get(..len)?, after.get(len..)?);
            if i == index {
                return Some(text);
            }
            rest = after;
        }
        None
    }
}

/// A stored student for the compare: the row id and the identity fields in the order of
/// `StoredIdentity::FIELDS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredIdentity {
    pub id: i64,
    pub fields: Packed,
}

impl StoredIdentity {
    /// The packed fields' columns, in order.
    pub const FIELDS: [&'static str; 15] = [
        "student_no",
        "name",
        "sex",
        "birth_date",
        "ethnicity",
        "household_township",
        "hardship",
        "disability",
        "left_behind",
        "migrant",
        "orphan",
        "household_type",
        "overseas",
        "nationality",
        "aux_no",
    ];

    /// The stored value of a column named in `FIELDS`.
    pub fn field(&self, column: &str) -> Option<&str> {
        let index = Self::FIELDS.iter().position(|c| *c == column)?;
        self.fields.get(index)
    }
}

/// A stored roll entry for the compare, fields in the order of `StoredPlacement::FIELDS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPlacement {
    pub fields: Packed,
}

impl StoredPlacement {
    /// The packed fields' columns, in order (`boarding` as `0`/`1`).
    pub const FIELDS: [&'static str; 5] =
        ["school_code", "grade", "class_number", "boarding", "status"];

    pub fn school_code(&self) -> &str {
        self.fields.get(0).unwrap_or_default()
    }
}

/// The county's students by ID number.
pub async fn identities(db: &Db, county: &str) -> Result<HashMap<String, StoredIdentity>> {
    let (aggregate, row) = json_array_functions(db.backend());
    let text: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT CAST({aggregate}({row}(id_number, id, student_no, name, sex, birth_date, ethnicity, \
         household_township, hardship, disability, left_behind, CAST(migrant AS TEXT), CAST(orphan AS TEXT), \
         household_type, overseas, nationality, aux_no)) AS TEXT) FROM students WHERE county = $1"
    )))
    .bind(county)
    .fetch_one(db.pool())
    .await?;
    let mut out = HashMap::with_capacity(rows_in(text.as_deref(), 90));
    each_row(text.as_deref(), |r: IdentityRow| {
        let fields = Packed::new([
            r.2.as_deref(),
            Some(&*r.3),
            Some(&*r.4),
            Some(&*r.5),
            r.6.as_deref(),
            r.7.as_deref(),
            Some(&*r.8),
            r.9.as_deref(),
            r.10.as_deref(),
            r.11.as_deref(),
            r.12.as_deref(),
            r.13.as_deref(),
            r.14.as_deref(),
            r.15.as_deref(),
            r.16.as_deref(),
        ]);
        out.insert(r.0.into_owned(), StoredIdentity { id: r.1, fields });
    })?;
    Ok(out)
}

/// The county's roll entries of one term by the student's ID number.
pub async fn placements(
    db: &Db,
    county: &str,
    term: &str,
) -> Result<HashMap<String, StoredPlacement>> {
    let (aggregate, row) = json_array_functions(db.backend());
    let text: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT CAST({aggregate}({row}(s.id_number, e.school_code, e.grade, c.number, e.boarding, e.status)) AS TEXT) \
         FROM enrollments e JOIN students s ON s.county = e.county AND s.id = e.student_id JOIN classes c ON c.county = e.county AND c.id = e.class_id \
         WHERE e.county = $1 AND e.term = $2"
    )))
    .bind(county)
    .bind(term)
    .fetch_one(db.pool())
    .await?;
    let mut out = HashMap::with_capacity(rows_in(text.as_deref(), 50));
    each_row(text.as_deref(), |r: PlacementRow| {
        let fields = Packed::new([
            Some(&*r.1),
            Some(&*r.2),
            Some(&*r.3.to_string()),
            Some(if r.4 != 0 { "1" } else { "0" }),
            Some(&*r.5),
        ]);
        out.insert(r.0.into_owned(), StoredPlacement { fields });
    })?;
    Ok(out)
}

/// One row of `identities`' JSON, borrowed from the text where it has no escapes.
#[derive(serde::Deserialize)]
struct IdentityRow<'a>(
    #[serde(borrow)] Cow<'a, str>,
    i64,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Cow<'a, str>,
    #[serde(borrow)] Cow<'a, str>,
    #[serde(borrow)] Cow<'a, str>,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Cow<'a, str>,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Option<Cow<'a, str>>,
);

/// One row of `placements`' JSON.
#[derive(serde::Deserialize)]
struct PlacementRow<'a>(
    #[serde(borrow)] Cow<'a, str>,
    #[serde(borrow)] Cow<'a, str>,
    #[serde(borrow)] Cow<'a, str>,
    i64,
    i64,
    #[serde(borrow)] Cow<'a, str>,
);

/// About how many rows a JSON text of rows of about `row_bytes` each holds, to size a map
/// once instead of growing it (a growing map briefly holds its old and new tables).
fn rows_in(text: Option<&str>, row_bytes: usize) -> usize {
    text.map_or(0, |t| t.len() / row_bytes)
}

/// Calls `each` with every element of a JSON array of rows, one at a time (no vector of
/// all rows is built); no text is no rows.
fn each_row<'de, T: Deserialize<'de>>(text: Option<&'de str>, each: impl FnMut(T)) -> Result<()> {
    struct Elements<T, F>(F, PhantomData<T>);
    impl<'de, T: Deserialize<'de>, F: FnMut(T)> Visitor<'de> for Elements<T, F> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON array of rows")
        }
        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> std::result::Result<(), A::Error> {
            while let Some(row) = seq.next_element::<T>()? {
                (self.0)(row);
            }
            Ok(())
        }
    }
    let Some(text) = text else { return Ok(()) };
    let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
    let mut reader = serde_json::Deserializer::from_str(text);
    reader
        .deserialize_seq(Elements(each, PhantomData))
        .map_err(decode)?;
    reader.end().map_err(decode)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Packed;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_pack_gives_back_its_fields(fields in proptest::collection::vec(proptest::option::of(".{0,12}"), 0..9)) {
            let packed = Packed::new(fields.iter().map(|f| f.as_deref()));
            for (i, field) in fields.iter().enumerate() {
                prop_assert_eq!(packed.get(i), field.as_deref());
            }
            prop_assert_eq!(packed.get(fields.len()), None);
        }

        #[test]
        fn packs_are_equal_exactly_when_their_fields_are(
            a in proptest::collection::vec(proptest::option::of("[-:0-9a]{0,3}"), 0..4),
            b in proptest::collection::vec(proptest::option::of("[-:0-9a]{0,3}"), 0..4),
        ) {
            let pa = Packed::new(a.iter().map(|f| f.as_deref()));
            let pb = Packed::new(b.iter().map(|f| f.as_deref()));
            prop_assert_eq!(pa == pb, a == b);
            prop_assert_eq!(pa.holds(b.iter().map(|f| f.as_deref())), a == b);
        }
    }
}
