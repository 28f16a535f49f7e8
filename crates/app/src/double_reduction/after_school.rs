//! 课后服务: each compulsory-stage school's service in a term with its shortfall against
//! 5+2, the rates by township and for the scope, and a school's own record.

use crate::auth::Account;
use crate::fields::{invalid, number_in};
use crate::{AppError, Result};
use emis_domain::access::{Permission, Scope};
use emis_domain::double_reduction::after_school::{
    above_roll, figures_without_service, Rates, Service,
};
use emis_domain::term::Term;
use emis_storage::audit::Entry;
use emis_storage::double_reduction::{self as store, AfterSchoolRow};
use emis_storage::{registry, Db};
use std::collections::{BTreeMap, HashMap};

/// One compulsory-stage school in a term.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SchoolService {
    pub code: String,
    pub name: String,
    pub township_code: String,
    pub township: String,
    pub on_roll: u32,
    /// `None`: nothing recorded for the term.
    pub service: Option<Service>,
    pub teachers: Option<i64>,
    /// Why it misses 5+2 (or that nothing is recorded).
    pub shortfall: Option<String>,
}

/// A term's service in a scope.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AfterSchoolPicture {
    pub term: String,
    pub total: Rates,
    pub townships: Vec<(String, String, Rates)>,
    pub schools: Vec<SchoolService>,
}

/// The picture of a term for the schools a scope admits.
pub async fn rates_of(db: &Db, scope: &Scope, term: &str) -> Result<AfterSchoolPicture> {
    let county = scope.county();
    let records: HashMap<String, AfterSchoolRow> = store::after_school(db, county, term)
        .await?
        .into_iter()
        .map(|r| (r.school_code.clone(), r))
        .collect();
    let roll = registry::students_on_roll_by_school(db, county, term).await?;
    let names: HashMap<String, String> = emis_storage::lists::townships(db, scope)
        .await?
        .into_iter()
        .collect();
    let mut total = Rates::default();
    let mut by_township: BTreeMap<String, Rates> = BTreeMap::new();
    let mut schools = Vec::new();
    for s in registry::schools(db, county).await? {
        let compulsory = s.school_type.grades().iter().any(|g| g.is_compulsory());
        if !compulsory || !scope.admits_school(&s.code, &s.township_code) {
            continue;
        }
        let record = records.get(&s.code);
        let service = record.map(|r| Service {
            offered: r.offered,
            days_a_week: u32::try_from(r.days_a_week).unwrap_or(0),
            minutes_a_day: u32::try_from(r.minutes_a_day).unwrap_or(0),
            students: u32::try_from(r.students).unwrap_or(0),
        });
        let on_roll = u32::try_from(roll.get(&s.code).copied().unwrap_or(0)).unwrap_or(0);
        total.add(service.as_ref(), on_roll);
        by_township
            .entry(s.township_code.clone())
            .or_default()
            .add(service.as_ref(), on_roll);
        schools.push(SchoolService {
            township: names
                .get(&s.township_code)
                .cloned()
                .unwrap_or_else(|| s.township_code.clone()),
            shortfall: match &service {
                Some(sv) => sv.shortfall(),
                None => Some("未填报".into()),
            },
            teachers: record.and_then(|r| r.teachers),
            code: s.code,
            name: s.name,
            township_code: s.township_code,
            on_roll,
            service,
        });
    }
    // The schools missing the standard first.
    schools.sort_by(|a, b| {
        b.shortfall
            .is_some()
            .cmp(&a.shortfall.is_some())
            .then(a.code.cmp(&b.code))
    });
    Ok(AfterSchoolPicture {
        term: term.to_string(),
        total,
        townships: by_township
            .into_iter()
            .map(|(code, rates)| {
                (
                    names.get(&code).cloned().unwrap_or_else(|| code.clone()),
                    code,
                    rates,
                )
            })
            .map(|(name, code, rates)| (code, name, rates))
            .collect(),
        schools,
    })
}

/// The picture for the account (any signed-in role but a class teacher).
pub async fn picture(db: &Db, account: &Account, term: &str) -> Result<AfterSchoolPicture> {
    crate::require(account.role, Permission::WholeSchoolReads)?;
    rates_of(db, &account.scope, term).await
}

/// A school's record as the form sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ServiceForm {
    pub school: String,
    pub term: String,
    /// 是 / 否 (or on / 1).
    pub offered: String,
    pub days_a_week: String,
    pub minutes_a_day: String,
    pub students: String,
    pub teachers: String,
}

/// Records a school's service for a term (a school for itself, a township or the county for
/// theirs); 参加学生数 above the school's roll is refused naming the roll. Audited.
pub async fn save(db: &Db, account: &Account, form: &ServiceForm, source: &str) -> Result<()> {
    crate::require(account.role, Permission::RecordAfterSchool)?;
    let county = account.county();
    let school = registry::schools(db, county)
        .await?
        .into_iter()
        .find(|s| s.code == form.school.trim())
        .filter(|s| account.scope.admits_school(&s.code, &s.township_code))
        .ok_or_else(|| invalid("school", "请选择本范围内的义务教育学校"))?;
    if !school
        .school_type
        .grades()
        .iter()
        .any(|g| g.is_compulsory())
    {
        return Err(invalid(
            "school",
            format!("{}不是义务教育学校，不填报课后服务", school.name),
        ));
    }
    let term = Term::parse(&form.term).ok_or_else(|| invalid("term", "请选择学期"))?;
    let offered = matches!(form.offered.trim(), "是" | "on" | "1" | "true");
    let days = number_in("days_a_week", "每周天数", &form.days_a_week, 0, 7)?;
    let minutes = number_in(
        "minutes_a_day",
        "每天时长(分钟)",
        &form.minutes_a_day,
        0,
        600,
    )?;
    let students = number_in("students", "参加学生数", &form.students, 0, 100_000)?;
    let teachers = match form.teachers.trim() {
        "" => None,
        raw => Some(number_in("teachers", "参与教师数", raw, 0, 10_000)?),
    };
    if let Some(refusal) = figures_without_service(offered, days, minutes, students) {
        return Err(invalid("offered", refusal.to_string()));
    }
    let on_roll = registry::students_on_roll_by_school(db, county, &term.code())
        .await?
        .get(&school.code)
        .copied()
        .unwrap_or(0);
    if let Some(refusal) = above_roll(students, on_roll, &term.label()) {
        return Err(invalid("students", refusal.to_string()));
    }
    let row = AfterSchoolRow {
        school_code: school.code.clone(),
        term: term.code(),
        offered,
        days_a_week: days,
        minutes_a_day: minutes,
        students,
        teachers,
        fee_fen: None,
    };
    let before = store::after_school(db, county, &term.code())
        .await?
        .into_iter()
        .find(|r| r.school_code == school.code);
    let mut tx = db.begin().await?;
    store::write_after_school(
        &mut tx,
        county,
        std::slice::from_ref(&row),
        &account.username,
    )
    .await?;
    Entry::new(
        county,
        "update",
        "after_school",
        &format!("{}/{}", school.code, term.code()),
    )
    .before_json(&before)
    .after_json(&row)
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await.map_err(AppError::from)
}
