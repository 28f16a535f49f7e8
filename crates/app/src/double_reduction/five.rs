//! 五项管理: each school's self-check of a term read against the rules, the findings by
//! item for the scope, and the form a school fills for itself.

use crate::auth::Account;
use crate::fields::{invalid, number_in};
use crate::Result;
use emis_domain::access::{Permission, Scope};
use emis_domain::double_reduction::five::{findings, Finding, FiveItem, SelfCheck};
use emis_domain::term::Term;
use emis_storage::audit::Entry;
use emis_storage::{double_reduction as store, registry, Db};
use std::collections::HashMap;

/// One school's self-check as read.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SchoolFive {
    pub code: String,
    pub name: String,
    pub township_code: String,
    /// `None`: nothing reported for the term.
    pub check: Option<SelfCheck>,
    pub findings: Vec<Finding>,
}

/// A term's self-checks in a scope.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct FivePicture {
    pub term: String,
    pub schools: Vec<SchoolFive>,
    pub reported: usize,
    pub compliant: usize,
    /// Schools with a finding, by item, in the order of the items.
    pub by_item: Vec<(FiveItem, usize)>,
}

/// The schools of primary, junior or senior grades a scope admits.
async fn schools_of(db: &Db, scope: &Scope) -> Result<Vec<emis_domain::registry::School>> {
    Ok(registry::schools(db, scope.county())
        .await?
        .into_iter()
        .filter(|s| scope.admits_school(&s.code, &s.township_code))
        .filter(|s| s.school_type != emis_domain::registry::SchoolType::Kindergarten)
        .collect())
}

pub async fn picture(db: &Db, account: &Account, term: &str) -> Result<FivePicture> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    let checks: HashMap<String, SelfCheck> = store::five_checks(db, account.county(), term)
        .await?
        .into_iter()
        .collect();
    let mut schools: Vec<SchoolFive> = schools_of(db, &account.scope)
        .await?
        .into_iter()
        .map(|s| {
            let check = checks.get(&s.code).cloned();
            SchoolFive {
                findings: check
                    .as_ref()
                    .map(|c| findings(s.school_type, c))
                    .unwrap_or_default(),
                code: s.code,
                name: s.name,
                township_code: s.township_code,
                check,
            }
        })
        .collect();
    // Not reported, then with findings, then compliant.
    schools.sort_by_key(|s| (s.check.is_some(), s.findings.is_empty(), s.code.clone()));
    let by_item = FiveItem::ALL
        .iter()
        .map(|item| {
            let n = schools
                .iter()
                .filter(|s| s.findings.iter().any(|f| f.item == *item))
                .count();
            (*item, n)
        })
        .collect();
    Ok(FivePicture {
        term: term.to_string(),
        reported: schools.iter().filter(|s| s.check.is_some()).count(),
        compliant: schools
            .iter()
            .filter(|s| s.check.is_some() && s.findings.is_empty())
            .count(),
        by_item,
        schools,
    })
}

/// The self-check form: figures as written (blank where the school has no such grades),
/// ticks as `on`.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct FiveForm {
    pub school: String,
    pub term: String,
    pub homework_g12: String,
    pub homework_g36: String,
    pub homework_junior: String,
    pub sleep_primary: String,
    pub sleep_junior: String,
    pub sleep_senior: String,
    pub phones_out_of_class: Option<String>,
    pub reading_reviewed: Option<String>,
    pub pe_primary: String,
    pub pe_junior: String,
    pub pe_senior: String,
    pub no_written_exams_g12: Option<String>,
}

impl FiveForm {
    fn read(&self) -> Result<SelfCheck> {
        let minutes = |field: &'static str, label: &str, raw: &str| -> Result<Option<u32>> {
            match raw.trim() {
                "" => Ok(None),
                v => Ok(Some(number_in(field, label, v, 0, 600)? as u32)),
            }
        };
        let lessons = |field: &'static str, label: &str, raw: &str| -> Result<Option<u32>> {
            match raw.trim() {
                "" => Ok(None),
                v => Ok(Some(number_in(field, label, v, 0, 30)? as u32)),
            }
        };
        let hours = |field: &'static str, label: &str, raw: &str| -> Result<Option<u32>> {
            match raw.trim() {
                "" => Ok(None),
                v => emis_domain::teachers::hours::parse_hours(v)
                    .filter(|t| *t <= 240)
                    .map(Some)
                    .ok_or_else(|| {
                        invalid(field, format!("{label}“{v}”应为0–24的小时数，最多一位小数"))
                    }),
            }
        };
        let ticked = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
        Ok(SelfCheck {
            homework_g12: minutes("homework_g12", "一二年级书面作业时长", &self.homework_g12)?,
            homework_g36: minutes("homework_g36", "三至六年级书面作业时长", &self.homework_g36)?,
            homework_junior: minutes("homework_junior", "初中书面作业时长", &self.homework_junior)?,
            sleep_primary: hours("sleep_primary", "小学睡眠时间", &self.sleep_primary)?,
            sleep_junior: hours("sleep_junior", "初中睡眠时间", &self.sleep_junior)?,
            sleep_senior: hours("sleep_senior", "高中睡眠时间", &self.sleep_senior)?,
            phones_out_of_class: ticked(&self.phones_out_of_class),
            reading_reviewed: ticked(&self.reading_reviewed),
            pe_primary: lessons("pe_primary", "小学体育课", &self.pe_primary)?,
            pe_junior: lessons("pe_junior", "初中体育课", &self.pe_junior)?,
            pe_senior: lessons("pe_senior", "高中体育课", &self.pe_senior)?,
            no_written_exams_g12: ticked(&self.no_written_exams_g12),
        })
    }
}

/// Records a school's self-check (a school for itself, a township or the county for
/// theirs), audited; returns the findings it has.
pub async fn save(
    db: &Db,
    account: &Account,
    form: &FiveForm,
    source: &str,
) -> Result<Vec<Finding>> {
    crate::require(account.role, Permission::RecordAfterSchool)?;
    let county = account.county();
    let school = schools_of(db, &account.scope)
        .await?
        .into_iter()
        .find(|s| s.code == form.school.trim())
        .ok_or_else(|| invalid("school", "请选择本范围内的中小学校"))?;
    let term = Term::parse(&form.term).ok_or_else(|| invalid("term", "请选择学期"))?;
    let check = form.read()?;
    let found = findings(school.school_type, &check);
    let mut tx = db.begin().await?;
    store::write_five_check(
        &mut tx,
        county,
        &school.code,
        &term.code(),
        &check,
        &account.username,
    )
    .await?;
    Entry::new(
        county,
        "update",
        "five_check",
        &format!("{}/{}", school.code, term.code()),
    )
    .after_json(&serde_json::json!({"check": check, "findings": found}))
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(found)
}
