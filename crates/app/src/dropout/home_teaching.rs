//! 送教上门 home teaching: plans for children taught at home and the visits logged on them.

use super::field_err;
use crate::auth::Account;
use crate::registry::check_lengths;
use crate::{AppError, Result};
use emis_domain::access::Permission;
use emis_domain::dates::parse_date;
use emis_domain::identity::IdNumber;
use emis_domain::limits::{FREE_TEXT, NAME, SHORT_TEXT};
use emis_domain::term::Term;
use emis_storage::audit::Entry;
use emis_storage::dropout as store;
use emis_storage::Db;
use serde::Serialize;

#[derive(Clone, Debug, Default, serde::Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default)]
pub struct PlanForm {
    pub id_number: String,
    pub term: String,
    pub teachers: String,
    pub plan: String,
}

/// Creates or updates a home-teaching plan for a student on the term's roll in the scope.
pub async fn save_plan(db: &Db, account: &Account, form: &PlanForm, source: &str) -> Result<i64> {
    crate::require(account.role, Permission::WorkDropoutCases)?;
    check_lengths(&[
        ("teachers", "帮扶教师", &form.teachers, SHORT_TEXT),
        ("plan", "帮扶计划", &form.plan, FREE_TEXT),
    ])?;
    let county = account.county();
    let Some(term) = Term::parse(form.term.trim()) else {
        return Err(field_err("term", "学期应如 2021-autumn").into());
    };
    let id_number = match IdNumber::parse(&form.id_number) {
        Ok(id) => id.as_str().to_string(),
        Err(e) => return Err(field_err("id_number", e.to_string()).into()),
    };
    let Some(store::TermEntry {
        school_code, name, ..
    }) = store::student_in_term(db, county, &id_number, &term.code()).await?
    else {
        return Err(field_err("id_number", "该学生不在本学期学籍中").into());
    };
    let schools = emis_storage::registry::schools(db, county).await?;
    let township = schools
        .iter()
        .find(|s| s.code == school_code)
        .map(|s| s.township_code.clone())
        .unwrap_or_default();
    if !account.scope.admits_school(&school_code, &township) {
        return Err(field_err("id_number", "该学生不在您的管理范围内").into());
    }
    if form.teachers.trim().is_empty() {
        return Err(field_err("teachers", "请填写送教教师").into());
    }
    let plan = store::PlanRow {
        student_id_number: id_number.clone(),
        name,
        school_code,
        term: term.code(),
        teachers: form.teachers.trim().to_string(),
        plan: form.plan.trim().to_string(),
        ..store::PlanRow::default()
    };
    let mut tx = db.begin().await?;
    store::insert_plans(&mut tx, county, std::slice::from_ref(&plan)).await?;
    let id = store::plan_ids(&mut tx, county)
        .await?
        .get(&(id_number.clone(), term.code()))
        .copied()
        .unwrap_or_default();
    let key = id.to_string();
    Entry::new(county, "home_teaching.plan", "home_teaching_plan", &key)
        .after_json(&plan)
        .record(&mut tx, &account.actor(source))
        .await?;
    emis_storage::commit(tx).await?;
    Ok(id)
}

#[derive(Clone, Debug, Default, serde::Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default)]
pub struct HomeVisitForm {
    pub date: String,
    pub hours: String,
    pub teacher: String,
    pub content: String,
}

/// Logs a home-teaching visit on a plan in the scope.
pub async fn log_home_visit(
    db: &Db,
    account: &Account,
    plan_id: i64,
    form: &HomeVisitForm,
    source: &str,
) -> Result<()> {
    let plan = store::plan_in_scope(db, &account.scope, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::require(account.role, Permission::WorkDropoutCases)?;
    check_lengths(&[
        ("teacher", "家访教师", &form.teacher, NAME),
        ("content", "家访内容", &form.content, FREE_TEXT),
    ])?;
    let Some(date) = parse_date(form.date.trim()) else {
        return Err(field_err("date", "日期无法识别，应如 2021-10-08").into());
    };
    if let Some(term) = Term::parse(&plan.term) {
        if Term::containing(date) != term {
            return Err(field_err("date", format!("日期不在{}内", term.label())).into());
        }
    }
    let hours: f64 = match form.hours.trim().parse() {
        Ok(h) if h > 0.0 && h <= 12.0 => h,
        _ => return Err(field_err("hours", "课时应为0到12之间的小时数").into()),
    };
    if form.teacher.trim().is_empty() {
        return Err(field_err("teacher", "请填写送教教师").into());
    }
    if form.content.trim().is_empty() {
        return Err(field_err("content", "请填写送教内容").into());
    }
    let visit = store::HomeVisitRow {
        plan_id,
        visit_date: date.to_string(),
        minutes: (hours * 60.0).round() as i64,
        teacher: form.teacher.trim().to_string(),
        content: form.content.trim().to_string(),
        ..store::HomeVisitRow::default()
    };
    let mut tx = db.begin().await?;
    store::insert_home_visits(&mut tx, account.county(), std::slice::from_ref(&visit)).await?;
    let key = plan_id.to_string();
    Entry::new(
        account.county(),
        "home_teaching.visit",
        "home_teaching_plan",
        &key,
    )
    .after_json(&visit)
    .record(&mut tx, &account.actor(source))
    .await?;
    emis_storage::commit(tx).await?;
    Ok(())
}
