//! 数据采集: the forms the bureau sends to schools and township offices. An officer defines
//! a form (`definitions`, every version kept), sends it for a period (`assignments`, one
//! task per respondent), each respondent fills its task with the values the system already
//! holds prefilled (`tasks`, `prefill`), and the officer watches completeness, sends a
//! response back and reads the results; the submitted values feed `form.CODE.FIELD`.

pub mod assignments;
pub mod definitions;
pub mod prefill;
pub mod sheets;
pub mod tasks;

pub use emis_domain::forms::{Completeness, Definition, Refusal, TaskStatus};
pub use emis_storage::forms::{AssignmentRow, DefinitionRow, TaskRow};

use crate::Result;
use emis_domain::forms::response::Answer;
use emis_domain::indicators::Value;
use emis_storage::{forms as store, Db};
use std::collections::{BTreeMap, HashMap};

/// The respondent codes a definition's tasks go to, and their names.
pub(crate) async fn respondents(
    db: &Db,
    county: &str,
    kind: emis_domain::forms::RespondentKind,
) -> Result<Vec<(String, String)>> {
    Ok(match kind {
        emis_domain::forms::RespondentKind::School => emis_storage::registry::schools(db, county)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect(),
        emis_domain::forms::RespondentKind::Township => emis_domain::divisions::county(county)
            .map(|c| {
                c.townships
                    .iter()
                    .map(|t| (t.code.to_string(), t.name.to_string()))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// `form.CODE.FIELD` of a year: each numeric field summed over the respondents, each
/// respondent counted once with its latest submitted response of the year (a monthly
/// form's December, or its latest month submitted).
pub async fn indicators(db: &Db, county: &str, year: i32) -> Result<Vec<(String, Value)>> {
    let submitted = store::submitted_in_year(db, county, year).await?;
    // (form, respondent) → its latest period's task.
    let mut latest: HashMap<(&str, &str), &TaskRow> = HashMap::new();
    for t in &submitted {
        let key = (t.code.as_str(), t.respondent.as_str());
        if latest.get(&key).is_none_or(|l| l.period < t.period) {
            latest.insert(key, t);
        }
    }
    let mut definitions: HashMap<(String, i64), Definition> = HashMap::new();
    let mut sums: BTreeMap<(String, String), (i64, bool)> = BTreeMap::new();
    for t in latest.values() {
        let key = (t.code.clone(), t.version);
        if !definitions.contains_key(&key) {
            definitions.insert(
                key.clone(),
                definitions::stored(db, county, &t.code, t.version).await?,
            );
        }
        let def = &definitions[&key];
        let answers: BTreeMap<String, String> =
            serde_json::from_str(&t.answers_json).unwrap_or_default();
        for f in def.fields.iter().filter(|f| f.kind.is_numeric()) {
            let Some(Ok(Some(answer))) = answers
                .get(&f.code)
                .map(|raw| emis_domain::forms::response::read_answer(f, raw))
            else {
                continue;
            };
            let entry = sums
                .entry((t.code.clone(), f.code.clone()))
                .or_insert((0, f.kind == emis_domain::forms::FieldType::Decimal));
            entry.0 += answer.hundredths().unwrap_or(0);
        }
    }
    Ok(sums
        .into_iter()
        .map(|((form, field), (hundredths, decimal))| {
            let value = if decimal {
                Value::Hundredths(hundredths)
            } else {
                Value::Count(hundredths / 100)
            };
            (format!("form.{form}.{field}"), value)
        })
        .collect())
}

/// Prefilled values of a respondent, as answers.
pub(crate) type Prefilled = BTreeMap<String, Answer>;
