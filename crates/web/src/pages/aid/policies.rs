//! 资助政策 pages: the policy catalog of a year, its edit form and copying a year's catalog.

use super::crumbs;
use crate::error::PageResult;
use crate::error::{PageError, WebError};
use crate::form::round_trip;
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use emis_app::aid as service;
use emis_app::registry::FieldError;
use emis_domain::aid::{yuan, Amount, Conditions, Policy, PolicyForm};
use emis_domain::registry::{Grade, Hardship, SchoolType, UrbanRural};
use serde::Deserialize;

pub struct CatalogLine {
    pub code: String,
    pub name: String,
    pub grades: String,
    pub who: String,
    pub amount: String,
    pub quota: String,
    /// 依据文件: the 文号, linked to the register when registered.
    pub document: Option<emis_app::documents::DocLink>,
}

#[derive(Template)]
#[template(path = "aid_policies.html")]
struct PoliciesPage {
    chrome: Chrome,
    year: i32,
    rows: Vec<CatalogLine>,
    can_edit: bool,
    /// The code of the policy being edited, empty for a new one.
    editing: String,
    form: PolicyForm,
    /// The condition fields as checkboxes, ticked from the form.
    grade_groups: Vec<(&'static str, Vec<Choice>)>,
    school_types: Vec<Choice>,
    hardships: Vec<Choice>,
    settings: Vec<Choice>,
    vocational_years: Vec<Choice>,
    error_field: String,
    error: String,
}

/// One checkbox of the policy form: its label (the value sent) and whether it is ticked.
pub struct Choice {
    pub label: &'static str,
    pub checked: bool,
}

fn choices(labels: impl IntoIterator<Item = &'static str>, ticked: &str) -> Vec<Choice> {
    let ticked: Vec<&str> = ticked
        .split(|c: char| matches!(c, '、' | ',' | '，' | ';' | '；') || c.is_whitespace())
        .collect();
    labels
        .into_iter()
        .map(|label| Choice {
            label,
            checked: ticked.contains(&label),
        })
        .collect()
}

fn amount_text(a: &Amount) -> String {
    match a {
        Amount::PerTerm { fen } => format!("每学期 {} 元", yuan(*fen)),
        Amount::PerDay {
            spring_fen,
            autumn_fen,
            days,
        } => format!(
            "春季每天 {} 元、秋季每天 {} 元 × {days} 天",
            yuan(*spring_fen),
            yuan(*autumn_fen)
        ),
        Amount::ByStage { amounts } => amounts
            .iter()
            .map(|(s, f)| format!("{} 每学期 {} 元", s.label(), yuan(*f)))
            .collect::<Vec<_>>()
            .join("；"),
        Amount::Tiers { tiers } => format!(
            "分档 {} 元/学期",
            tiers
                .iter()
                .map(|t| yuan(t.fen))
                .collect::<Vec<_>>()
                .join(" / ")
        ),
    }
}

fn catalog_line(p: &Policy, register: &emis_app::documents::Register) -> CatalogLine {
    CatalogLine {
        document: register.link(p.document.as_deref()),
        code: p.code.clone(),
        name: p.name.clone(),
        grades: if p.grades.is_empty() {
            "全部".into()
        } else {
            p.grades
                .iter()
                .map(|g| g.label())
                .collect::<Vec<_>>()
                .join("、")
        },
        // In words when the condition fields express the rule, as rule data otherwise.
        who: Conditions::of(&p.who)
            .map(|c| c.describe())
            .unwrap_or_else(|| serde_json::to_string(&p.who).unwrap_or_default()),
        amount: amount_text(&p.amount),
        quota: p
            .quota
            .map(|q| format!("春季 {} / 秋季 {}", q.spring, q.autumn))
            .unwrap_or_else(|| "不限".into()),
    }
}

#[derive(Deserialize, Default)]
pub struct PoliciesQuery {
    year: Option<i32>,
    edit: Option<String>,
    done: Option<String>,
}

/// County officers and administrators keep the catalog (the route table gates the forms).
fn keeps_catalog(account: &emis_app::auth::Account) -> bool {
    account
        .role
        .permits(emis_domain::access::Permission::KeepAidPolicies)
}

#[allow(clippy::too_many_arguments)]
async fn policies_page(
    state: &AppState,
    caller: &Caller,
    year: i32,
    editing: String,
    form: Option<PolicyForm>,
    error: Option<FieldError>,
    flash: Option<String>,
) -> PageResult {
    let account = caller.account()?;
    let list = service::catalog(&state.db, account.county(), year).await?;
    let register = emis_app::documents::Register::load(&state.db, account.county()).await?;
    let form = form.unwrap_or_else(|| {
        list.iter()
            .find(|p| p.code == editing)
            .map(PolicyForm::of)
            .unwrap_or_else(|| PolicyForm {
                amount_kind: "per_term".into(),
                ..PolicyForm::default()
            })
    });
    let chrome = Chrome::new(
        caller,
        "资助政策目录",
        "aid_policies",
        &[crumbs(), ("政策目录", "/aid/policies")],
    )?
    .with_flash(flash);
    let (error_field, error) = error
        .map(|e| (e.field.to_string(), e.reason))
        .unwrap_or_default();
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut grade_groups: Vec<(&'static str, Vec<Choice>)> = Vec::new();
    for g in Grade::IN_SCHOOL_ORDER {
        let choice = choices([g.label()], &form.grades).remove(0);
        match grade_groups.last_mut() {
            Some((stage, list)) if *stage == g.stage().label() => list.push(choice),
            _ => grade_groups.push((g.stage().label(), vec![choice])),
        }
    }
    Ok((
        status,
        render(&PoliciesPage {
            chrome,
            year,
            rows: list.iter().map(|p| catalog_line(p, &register)).collect(),
            can_edit: keeps_catalog(account),
            editing,
            grade_groups,
            school_types: choices(
                SchoolType::ALL.iter().map(|t| t.label()),
                &form.school_types,
            ),
            hardships: choices(
                Hardship::ALL
                    .iter()
                    .filter(|h| **h != Hardship::None)
                    .map(|h| h.label()),
                &form.hardship,
            ),
            settings: choices(UrbanRural::ALL.iter().map(|u| u.label()), &form.settings),
            vocational_years: choices(["1", "2", "3"], &form.vocational_years),
            form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

/// `/aid/policies?year=&edit=code`: the year's catalog, with the edit form for officers.
pub async fn policies(Ctx { state, caller }: Ctx, Query(q): Query<PoliciesQuery>) -> PageResult {
    let flash = q.done.map(|d| format!("已保存：{d}"));
    policies_page(
        &state,
        &caller,
        q.year.unwrap_or(2021),
        q.edit.unwrap_or_default(),
        None,
        None,
        flash,
    )
    .await
}

#[derive(Deserialize)]
struct PolicySubmit {
    year: String,
    #[serde(default)]
    editing: String,
    #[serde(flatten)]
    form: PolicyForm,
}

fn year_of(raw: &str) -> Result<i32, PageError> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| bad(format!("年度“{raw}”应为四位年份，如 2022")))
}

fn bad(message: String) -> PageError {
    PageError(WebError::Message(StatusCode::UNPROCESSABLE_ENTITY, message))
}

/// The submitted form, with the values of a field's ticked checkboxes (repeated keys)
/// joined by 、 the way the text fields list them.
fn policy_submit(body: &str) -> Result<PolicySubmit, PageError> {
    let mut fields = serde_json::Map::new();
    for (key, value) in crate::session::form_pairs(body) {
        match fields.get_mut(&key) {
            Some(serde_json::Value::String(seen)) => {
                seen.push('、');
                seen.push_str(&value);
            }
            _ => {
                fields.insert(key, serde_json::Value::String(value));
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| bad(format!("表单无法读取：{e}")))
}

/// `POST /aid/policies`: add or edit one policy of a year.
pub async fn save_policy(Ctx { state, caller }: Ctx, body: String) -> PageResult {
    let submit = policy_submit(&body)?;
    let account = caller.account()?;
    let year = year_of(&submit.year)?;
    let outcome = service::save_policy(
        &state.db,
        &account.scope,
        year,
        &submit.form,
        &account.actor(&caller.source),
    )
    .await;
    round_trip(
        outcome,
        |p| {
            let name = crate::session::urlencode(&p.name);
            format!("/aid/policies?year={year}&done={name}")
        },
        |e| {
            policies_page(
                &state,
                &caller,
                year,
                submit.editing,
                Some(submit.form),
                Some(e),
                None,
            )
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct CopySubmit {
    from: String,
    to: String,
}

/// `POST /aid/policies/copy`: a year's catalog copied to another year.
pub async fn copy_policies(
    Ctx { state, caller }: Ctx,
    Form(submit): Form<CopySubmit>,
) -> PageResult {
    let account = caller.account()?;
    let (from, to) = (year_of(&submit.from)?, year_of(&submit.to)?);
    service::copy_catalog(
        &state.db,
        &account.scope,
        from,
        to,
        &account.actor(&caller.source),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/aid/policies?year={to}&done={}",
        crate::session::urlencode(&format!("{from}年目录已复制到{to}年"))
    ))
    .into_response())
}
