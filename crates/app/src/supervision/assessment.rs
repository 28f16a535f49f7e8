//! 中小学绩效目标管理评估: the supervision office keeps a scheme per year (weighted items,
//! each scored from a figure the system holds for the school or by an inspector), the
//! inspectors enter their scores, the office computes every school's total and rank and
//! publishes them. Published results are frozen; a school reads its own result beside the
//! county's averages and nothing else, and only once published.

use crate::auth::Account;
use crate::documents::DocLink;
use crate::fields::invalid;
use crate::{AppError, Result};
use chrono::{Datelike, NaiveDate};
use emis_domain::access::{Permission, Scope};
use emis_domain::class_size::Band;
use emis_domain::safety::Area;
use emis_domain::supervision::assessment::{
    self as rules, Item, Metric, SchoolFigures, SchoolResult, Source,
};
use emis_domain::term::Term;
use emis_storage::audit::Entry;
use emis_storage::supervision as store;
use emis_storage::Db;
use std::collections::{BTreeMap, HashMap};

/// The scheme of a year: the stored one, or the default a year starts from.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SchemeView {
    pub year: i32,
    pub items: Vec<Item>,
    /// How each item is scored, for the page.
    pub described: Vec<String>,
    /// The items as the text form edits them, one a line.
    pub text: String,
    /// Whether the office saved it (false: the default, not yet saved).
    pub saved: bool,
    /// The 文号 the scheme was issued under, linked to the register when registered.
    pub document: Option<DocLink>,
}

/// A year's stored scheme: its items and the 文号 it was issued under.
async fn stored_scheme(
    db: &Db,
    county: &str,
    year: i32,
) -> Result<Option<(Vec<Item>, Option<String>)>> {
    match store::scheme(db, county, year).await? {
        Some(s) => {
            let items = serde_json::from_str(&s.items_json).map_err(|e| {
                AppError::Refused(format!("stored assessment scheme of {year}: {e}"))
            })?;
            Ok(Some((items, s.document)))
        }
        None => Ok(None),
    }
}

async fn items_of(db: &Db, county: &str, year: i32) -> Result<Option<Vec<Item>>> {
    Ok(stored_scheme(db, county, year)
        .await?
        .map(|(items, _)| items))
}

pub async fn scheme(db: &Db, account: &Account, year: i32) -> Result<SchemeView> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let stored = stored_scheme(db, county, year).await?;
    let saved = stored.is_some();
    let (items, document) = stored.unwrap_or_else(|| (rules::default_scheme(), None));
    let register = crate::documents::Register::load(db, county).await?;
    Ok(SchemeView {
        year,
        described: items.iter().map(Item::describe).collect(),
        text: items.iter().map(Item::line).collect::<Vec<_>>().join("\n"),
        items,
        saved,
        document: register.link(document.as_deref()),
    })
}

/// The scheme as the form sends it: one item a line.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct SchemeForm {
    pub year: String,
    /// `名称，分值，来源` a line (来源: 督学评分, or a metric with 比率 / 达到 N / 每个扣 N).
    pub items: String,
    /// 依据文号: the document the scheme is issued under; may be empty.
    pub document: String,
}

fn year_of(raw: &str, today: NaiveDate) -> Result<i32> {
    raw.trim()
        .trim_end_matches('年')
        .parse()
        .ok()
        .filter(|y| (2000..=today.year() + 1).contains(y))
        .ok_or_else(|| invalid("year", format!("年度应为2000–{}的年份", today.year() + 1)))
}

/// Saves a year's scheme (the supervision office), audited; refused once the year's
/// results are published.
pub async fn save_scheme(
    db: &Db,
    account: &Account,
    form: &SchemeForm,
    today: NaiveDate,
    source: &str,
) -> Result<i32> {
    crate::require(account.role, Permission::KeepAssessment)?;
    let county = account.county();
    let year = year_of(&form.year, today)?;
    emis_domain::limits::check_len("考核方案", &form.items, emis_domain::limits::FREE_TEXT * 4)
        .map_err(|m| invalid("items", m))?;
    let items = rules::parse_scheme(&form.items).map_err(|m| invalid("items", m))?;
    let document = crate::documents::basis("document", &form.document)?;
    if published(db, county, year).await? {
        return Err(invalid(
            "items",
            format!("{year}年考核结果已公布，方案不能再修改"),
        ));
    }
    let json = serde_json::to_string(&items).map_err(|e| AppError::Refused(e.to_string()))?;
    let mut tx = db.begin().await?;
    store::save_scheme(
        &mut tx,
        county,
        year,
        &json,
        document.as_deref(),
        &account.username,
    )
    .await?;
    Entry::new(county, "update", "assessment_scheme", &year.to_string())
        .after_json(&serde_json::json!({"items": items, "document": document}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(year)
}

async fn published(db: &Db, county: &str, year: i32) -> Result<bool> {
    Ok(store::results(db, county, year)
        .await?
        .is_some_and(|r| r.published_at.is_some()))
}

/// An inspector's scores for one school: item name → points, as the form sends them.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ScoreForm {
    pub year: String,
    pub school: String,
    pub scores: BTreeMap<String, String>,
    pub note: String,
}

/// Records the inspectors' scores of one school (the supervision office), each within its
/// item's weight; blank ones are left as they were. Audited.
pub async fn record_scores(
    db: &Db,
    account: &Account,
    form: &ScoreForm,
    today: NaiveDate,
    source: &str,
) -> Result<usize> {
    crate::require(account.role, Permission::KeepAssessment)?;
    let county = account.county();
    let year = year_of(&form.year, today)?;
    let school = emis_storage::registry::schools(db, county)
        .await?
        .into_iter()
        .find(|s| s.code == form.school.trim())
        .ok_or_else(|| invalid("school", "请选择本县的学校"))?;
    if published(db, county, year).await? {
        return Err(invalid(
            "school",
            format!("{year}年考核结果已公布，评分不能再修改"),
        ));
    }
    let items = items_of(db, county, year)
        .await?
        .unwrap_or_else(rules::default_scheme);
    let note = Some(form.note.trim().to_string()).filter(|n| !n.is_empty());
    let mut rows = Vec::new();
    for (name, raw) in &form.scores {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let item = items
            .iter()
            .find(|i| i.name == *name && i.source == Source::Inspector)
            .ok_or_else(|| {
                invalid(
                    "scores",
                    format!("“{name}”不是本年度方案中由督学评分的指标"),
                )
            })?;
        let score: f64 = raw
            .parse()
            .ok()
            .filter(|s: &f64| s.is_finite() && *s >= 0.0 && *s <= item.weight)
            .ok_or_else(|| {
                invalid(
                    "scores",
                    format!("“{name}”的得分“{raw}”应为0–{}之间的数", item.weight),
                )
            })?;
        rows.push(store::Score {
            school_code: school.code.clone(),
            item: name.clone(),
            score: (score * 100.0).round() as i64,
            note: note.clone(),
        });
    }
    if rows.is_empty() {
        return Err(invalid("scores", "请至少填写一项得分"));
    }
    let mut tx = db.begin().await?;
    store::save_scores(&mut tx, county, year, &rows, &account.username).await?;
    Entry::new(county, "update", "assessment_score", &school.code)
        .after_json(&rows)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(rows.len())
}

/// Every school's metrics for a year, as the scheme's items read them. A metric that does
/// not apply to a school (课后服务 where there is no compulsory grade) reads as met.
pub async fn metrics(
    db: &Db,
    county: &str,
    year: i32,
    today: NaiveDate,
) -> Result<HashMap<String, HashMap<Metric, f64>>> {
    let schools = emis_storage::registry::schools(db, county).await?;
    let scope = Scope::County {
        county: county.to_string(),
    };
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or(today)
        .min(today);
    let hazards = emis_storage::safety::hazards(
        db,
        &scope,
        &emis_storage::safety::HazardQuery {
            area: Area::Safety,
            from: Some(format!("{year}-01-01")),
            to: Some(format!("{year}-12-31")),
            per_page: 0,
            ..Default::default()
        },
    )
    .await?
    .items;
    let mut found: HashMap<&str, (u32, u32, u32)> = HashMap::new();
    for h in &hazards {
        let e = found.entry(h.school_code.as_str()).or_default();
        e.0 += 1;
        e.1 += u32::from(h.status.is_closed());
        e.2 += u32::from(crate::safety::overdue(h, year_end));
    }
    // Large classes of the latest term of the year with classes.
    let rules = emis_storage::enrollment::settings(db, county).await?;
    let mut large: HashMap<String, u32> = HashMap::new();
    for term in [Term::autumn(year), Term::spring(year)] {
        let classes = emis_storage::enrollment::class_sizes(db, &scope, &term.code()).await?;
        if classes.is_empty() {
            continue;
        }
        for c in classes {
            let size = u32::try_from(c.size).unwrap_or(0);
            if matches!(rules.band_of(c.grade, size), Band::Large | Band::Oversize) {
                *large.entry(c.school_code).or_default() += 1;
            }
        }
        break;
    }
    let after_school: HashMap<String, bool> =
        match emis_storage::double_reduction::after_school_terms(db, county, year)
            .await?
            .last()
        {
            Some(term) => emis_storage::double_reduction::after_school(db, county, term)
                .await?
                .into_iter()
                .map(|r| (r.school_code, r.offered))
                .collect(),
            None => HashMap::new(),
        };
    let mut forms: HashMap<String, (u32, u32)> = HashMap::new();
    for (respondent, due, submitted) in
        emis_storage::forms::deadlines_in_year(db, county, year).await?
    {
        let e = forms.entry(respondent).or_default();
        e.0 += 1;
        let on_time = match (&submitted, &due) {
            (Some(s), Some(d)) => s.get(..10).unwrap_or(s) <= d.as_str(),
            (Some(_), None) => true,
            (None, _) => false,
        };
        e.1 += u32::from(on_time);
    }
    Ok(schools
        .iter()
        .map(|s| {
            let (n, closed, overdue) = found.get(s.code.as_str()).copied().unwrap_or_default();
            let compulsory = s.school_type.grades().iter().any(|g| g.is_compulsory());
            let share = |part: u32, whole: u32| {
                if whole == 0 {
                    1.0
                } else {
                    f64::from(part) / f64::from(whole)
                }
            };
            let (tasks, on_time) = forms.get(&s.code).copied().unwrap_or_default();
            let m = HashMap::from([
                (Metric::HazardsRectified, share(closed, n)),
                (Metric::HazardsOverdue, f64::from(overdue)),
                (
                    Metric::LargeClasses,
                    f64::from(large.get(&s.code).copied().unwrap_or(0)),
                ),
                (
                    Metric::AfterSchoolOffered,
                    if !compulsory || after_school.get(&s.code).copied().unwrap_or(false) {
                        1.0
                    } else {
                        0.0
                    },
                ),
                (Metric::FormsOnTime, share(on_time, tasks)),
            ]);
            (s.code.clone(), m)
        })
        .collect())
}

/// The results of a year as stored: the scheme they were computed with and every school.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Computed {
    pub items: Vec<Item>,
    pub results: Vec<SchoolResult>,
}

/// Computes and ranks every school of the county for a year with the year's scheme and
/// stores the result (the supervision office), audited; refused once published.
pub async fn compute(
    db: &Db,
    account: &Account,
    year: i32,
    today: NaiveDate,
    source: &str,
) -> Result<usize> {
    crate::require(account.role, Permission::KeepAssessment)?;
    let county = account.county();
    if published(db, county, year).await? {
        return Err(invalid(
            "year",
            format!("{year}年考核结果已公布，不能重新计算"),
        ));
    }
    let computed = compute_figures(db, county, year, today).await?;
    let json = serde_json::to_string(&computed).map_err(|e| AppError::Refused(e.to_string()))?;
    let mut tx = db.begin().await?;
    store::save_results(&mut tx, county, year, &json, &account.username).await?;
    Entry::new(county, "update", "assessment_results", &year.to_string())
        .after_json(&serde_json::json!({"schools": computed.results.len()}))
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(computed.results.len())
}

/// The computation itself, without storing it (the benchmark measures it).
pub async fn compute_figures(
    db: &Db,
    county: &str,
    year: i32,
    today: NaiveDate,
) -> Result<Computed> {
    let items = items_of(db, county, year)
        .await?
        .unwrap_or_else(rules::default_scheme);
    let (mut metrics, scores, schools) = (
        metrics(db, county, year, today).await?,
        store::scores(db, county, year).await?,
        emis_storage::registry::schools(db, county).await?,
    );
    let figures = schools
        .into_iter()
        .map(|s| {
            let inspector = scores
                .get(&s.code)
                .map(|m| {
                    m.iter()
                        .map(|(item, h)| (item.clone(), *h as f64 / 100.0))
                        .collect()
                })
                .unwrap_or_default();
            let f = SchoolFigures {
                metrics: metrics.remove(&s.code).unwrap_or_default(),
                inspector,
            };
            (s.code, s.name, f)
        })
        .collect();
    Ok(Computed {
        results: rules::compute(&items, figures),
        items,
    })
}

/// Publishes a year's computed results (the supervision office), audited; from then on
/// they are frozen and each school reads its own.
pub async fn publish(db: &Db, account: &Account, year: i32, source: &str) -> Result<()> {
    crate::require(account.role, Permission::KeepAssessment)?;
    let county = account.county();
    if store::results(db, county, year).await?.is_none() {
        return Err(invalid("year", format!("{year}年尚未计算考核结果")));
    }
    let mut tx = db.begin().await?;
    if !store::publish(&mut tx, county, year, &account.username).await? {
        return Err(invalid("year", format!("{year}年考核结果已公布")));
    }
    Entry::new(county, "publish", "assessment_results", &year.to_string())
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}

/// What an account reads of a year's results.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ResultsView {
    pub year: i32,
    pub items: Vec<Item>,
    /// The schools the account may read (all for the county; its own for a township or a
    /// school, and only once published).
    pub results: Vec<SchoolResult>,
    /// The county's average points per item and total.
    pub item_averages: Vec<f64>,
    pub average: f64,
    pub schools: usize,
    pub computed_at: Option<String>,
    pub published_at: Option<String>,
}

pub async fn results(db: &Db, account: &Account, year: i32) -> Result<ResultsView> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let county = account.county();
    let empty = || ResultsView {
        year,
        items: Vec::new(),
        results: Vec::new(),
        item_averages: Vec::new(),
        average: 0.0,
        schools: 0,
        computed_at: None,
        published_at: None,
    };
    let Some(row) = store::results(db, county, year).await? else {
        return Ok(empty());
    };
    // Before publication only the county's own offices read the draft.
    if row.published_at.is_none() && !account.scope.is_county() {
        return Ok(empty());
    }
    let computed: Computed = serde_json::from_str(&row.results_json)
        .map_err(|e| AppError::Refused(format!("stored assessment results of {year}: {e}")))?;
    let (item_averages, average) = rules::averages(&computed.items, &computed.results);
    let schools = computed.results.len();
    let townships: HashMap<String, String> = emis_storage::registry::schools(db, county)
        .await?
        .into_iter()
        .map(|s| (s.code, s.township_code))
        .collect();
    let results = computed
        .results
        .into_iter()
        .filter(|r| {
            let township = townships.get(&r.school_code).map_or("", String::as_str);
            account.scope.admits_school(&r.school_code, township)
        })
        .collect();
    Ok(ResultsView {
        year,
        items: computed.items,
        results,
        item_averages,
        average,
        schools,
        computed_at: Some(row.computed_at),
        published_at: row.published_at,
    })
}
