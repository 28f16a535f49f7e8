//! 防溺水覆盖情况: by township and by school, the dangerous waters equipped, the summer
//! patrols kept, the parents' letters signed and the 十有 in place; and its export.

use crate::Result;
use chrono::NaiveDate;
use emis_domain::access::Scope;
use emis_domain::dates::parse_date;
use emis_domain::safety::drowning;
use emis_storage::safety::{self as store, WaterRow};
use emis_storage::Db;
use std::path::Path;

#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct TownshipCoverage {
    pub township_code: String,
    pub township_name: String,
    pub dangerous_waters: usize,
    pub equipped_waters: usize,
    pub patrol_required: u32,
    pub patrol_compliant: u32,
    pub on_roll: i64,
    pub signed: i64,
}

impl TownshipCoverage {
    pub fn equipped_rate(&self) -> Option<f64> {
        drowning::rate(self.equipped_waters, self.dangerous_waters)
    }
    pub fn patrol_rate(&self) -> Option<f64> {
        drowning::rate(
            self.patrol_compliant as usize,
            self.patrol_required as usize,
        )
    }
    pub fn letter_rate(&self) -> Option<f64> {
        drowning::rate(self.signed as usize, self.on_roll as usize)
    }
}

/// The summer patrol check of a year for the scope, up to `until`.
pub async fn patrol_check(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<(Vec<WaterRow>, drowning::PatrolCompliance)> {
    let (waters, _, check) = patrol_facts(db, scope, year, until).await?;
    Ok((waters, check))
}

/// The waters, the summer patrol logs (water, day, slot) and their compliance.
#[allow(clippy::type_complexity)]
pub(super) async fn patrol_facts(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<(
    Vec<WaterRow>,
    Vec<(i64, NaiveDate, String)>,
    drowning::PatrolCompliance,
)> {
    let waters = store::waters(db, scope, None).await?;
    let dangerous: Vec<i64> = waters
        .iter()
        .filter(|w| drowning::is_dangerous(&w.risk) && !w.measures.backfilled)
        .map(|w| w.id)
        .collect();
    let logs: Vec<(i64, NaiveDate, String)> = store::patrol_days(
        db,
        scope,
        &format!("{year}-07-01"),
        &format!("{year}-08-31"),
    )
    .await?
    .into_iter()
    .filter_map(|(w, d, slot)| Some((w, parse_date(&d)?, slot)))
    .collect();
    let patrols: Vec<(i64, NaiveDate)> = logs.iter().map(|(w, d, _)| (*w, *d)).collect();
    let check = drowning::patrol_compliance(&dangerous, &patrols, year, until);
    Ok((waters, logs, check))
}

/// Drowning-prevention coverage by township for a year (letters from the autumn term).
pub async fn coverage(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<Vec<TownshipCoverage>> {
    let letters = store::letter_coverage(db, scope, &format!("{year}-autumn")).await?;
    coverage_with(db, scope, year, until, &letters).await
}

/// Coverage by township with the letters already counted per school.
async fn coverage_with(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
    letters: &[store::LetterCoverage],
) -> Result<Vec<TownshipCoverage>> {
    let county = emis_domain::divisions::county(scope.county());
    let (waters, check) = patrol_check(db, scope, year, until).await?;
    let mut out: Vec<TownshipCoverage> = Vec::new();
    let entry = |out: &mut Vec<TownshipCoverage>, code: &str| -> usize {
        if let Some(i) = out.iter().position(|t| t.township_code == code) {
            return i;
        }
        out.push(TownshipCoverage {
            township_code: code.to_string(),
            township_name: county
                .and_then(|c| c.township(code))
                .map(|t| t.name.to_string())
                .unwrap_or_else(|| code.to_string()),
            ..TownshipCoverage::default()
        });
        out.len() - 1
    };
    let mut town_of = std::collections::HashMap::new();
    for w in &waters {
        town_of.insert(w.id, w.township_code.clone());
        if drowning::is_dangerous(&w.risk) {
            let i = entry(&mut out, &w.township_code);
            out[i].dangerous_waters += 1;
            if w.measures.complete() {
                out[i].equipped_waters += 1;
            }
        }
    }
    let per_water = drowning::summer_days(year)
        .into_iter()
        .filter(|d| *d <= until)
        .count() as u32;
    for w in &waters {
        if drowning::is_dangerous(&w.risk) && !w.measures.backfilled {
            let i = entry(&mut out, &w.township_code);
            out[i].patrol_required += per_water;
            out[i].patrol_compliant += per_water;
        }
    }
    for m in &check.missing {
        if let Some(code) = town_of.get(&m.water) {
            let i = entry(&mut out, code);
            out[i].patrol_compliant = out[i].patrol_compliant.saturating_sub(1);
        }
    }
    for l in letters {
        let i = entry(&mut out, &l.township_code);
        out[i].on_roll += l.on_roll;
        out[i].signed += l.signed;
    }
    out.sort_by(|a, b| a.township_code.cmp(&b.township_code));
    Ok(out)
}

/// Drowning-prevention coverage of one school: parents' letters signed and 十有 in place;
/// the waters and patrols are its township's.
#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct SchoolCoverage {
    pub school_code: String,
    pub school_name: String,
    pub township_code: String,
    pub on_roll: i64,
    pub signed: i64,
    pub ten_haves_done: usize,
}

impl SchoolCoverage {
    pub fn letter_rate(&self) -> Option<f64> {
        drowning::rate(self.signed as usize, self.on_roll as usize)
    }
}

/// Coverage by township and by school of the scope (autumn-term letters, the year's 十有):
/// the letters, the costliest query here, are counted once for both levels.
pub async fn coverage_by_level(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<(Vec<TownshipCoverage>, Vec<SchoolCoverage>)> {
    let letters = store::letter_coverage(db, scope, &format!("{year}-autumn")).await?;
    let towns = coverage_with(db, scope, year, until, &letters).await?;
    let schools = school_coverage_with(db, scope, year, letters).await?;
    Ok((towns, schools))
}

async fn school_coverage_with(
    db: &Db,
    scope: &Scope,
    year: i32,
    letters: Vec<store::LetterCoverage>,
) -> Result<Vec<SchoolCoverage>> {
    let mut done: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for t in store::ten_haves(db, scope, year).await? {
        if t.done {
            *done.entry(t.org_code).or_default() += 1;
        }
    }
    Ok(letters
        .into_iter()
        .map(|l| SchoolCoverage {
            ten_haves_done: done.get(&l.school_code).copied().unwrap_or(0),
            school_code: l.school_code,
            school_name: l.school_name,
            township_code: l.township_code,
            on_roll: l.on_roll,
            signed: l.signed,
        })
        .collect())
}

/// The columns of the coverage export (防溺水工作覆盖情况).
pub const COVERAGE_COLUMNS: &[&str] = &[
    "层级",
    "乡镇",
    "学校",
    "重点水域",
    "设施齐全",
    "设施到位率",
    "应巡查（水域·日）",
    "达标（水域·日）",
    "巡查达标率",
    "在籍学生",
    "家长已签收",
    "签收率",
    "十有落实（项）",
];

fn percent(rate: Option<f64>) -> String {
    emis_domain::indicators::Value::percent(rate)
}

/// Each township followed by its schools, in the export's columns.
pub async fn coverage_rows(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
) -> Result<Vec<Vec<String>>> {
    let (towns, schools) = coverage_by_level(db, scope, year, until).await?;
    let mut rows = Vec::new();
    for t in &towns {
        rows.push(vec![
            "乡镇".into(),
            t.township_name.clone(),
            String::new(),
            t.dangerous_waters.to_string(),
            t.equipped_waters.to_string(),
            percent(t.equipped_rate()),
            t.patrol_required.to_string(),
            t.patrol_compliant.to_string(),
            percent(t.patrol_rate()),
            t.on_roll.to_string(),
            t.signed.to_string(),
            percent(t.letter_rate()),
            String::new(),
        ]);
        for s in schools
            .iter()
            .filter(|s| s.township_code == t.township_code)
        {
            rows.push(vec![
                "学校".into(),
                t.township_name.clone(),
                s.school_name.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                s.on_roll.to_string(),
                s.signed.to_string(),
                percent(s.letter_rate()),
                format!("{}/{}", s.ten_haves_done, drowning::TEN_HAVES.len()),
            ]);
        }
    }
    Ok(rows)
}

pub async fn write_coverage(
    db: &Db,
    scope: &Scope,
    year: i32,
    until: NaiveDate,
    path: &Path,
) -> Result<u64> {
    let rows = coverage_rows(db, scope, year, until).await?;
    Ok(emis_io::write_sheet(
        path,
        "防溺水覆盖情况",
        COVERAGE_COLUMNS,
        rows,
    )?)
}
