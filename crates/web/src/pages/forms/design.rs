//! 报表设计: a form designed field by field in the browser (no JSON): name, period and
//! respondents, a row per field (type, required, bounds, unit, choices, prefill, lock) and a
//! row per cross-field check. `?code=` opens a form's latest version to save its next one;
//! each save leaves a few blank rows for more.

use super::crumbs;
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::session::{Caller, Ctx};
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::forms::definitions;
use emis_domain::forms::{CrossCheck, Definition, Field, FieldType, PeriodKind, RespondentKind};

/// Blank rows offered below the form's own.
const BLANK_FIELDS: usize = 5;
const BLANK_CHECKS: usize = 3;

/// A field row as the designer shows and posts it (text as typed).
#[derive(Clone, Debug, Default)]
pub struct FieldRow {
    pub code: String,
    pub label: String,
    pub kind: String,
    pub required: bool,
    pub min: String,
    pub max: String,
    pub unit: String,
    pub choices: String,
    pub prefill: String,
    pub locked: bool,
}

/// The designer's whole state.
#[derive(Clone, Debug, Default)]
pub struct Design {
    pub code: String,
    pub title: String,
    pub period: String,
    pub respondent: String,
    pub fields: Vec<FieldRow>,
    /// (rule, message)
    pub checks: Vec<(String, String)>,
}

impl Design {
    fn of(def: &Definition) -> Design {
        let number = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_default();
        Design {
            code: def.code.clone(),
            title: def.title.clone(),
            period: kind_code(def.period).into(),
            respondent: respondent_code(def.respondent).into(),
            fields: def
                .fields
                .iter()
                .map(|f| FieldRow {
                    code: f.code.clone(),
                    label: f.label.clone(),
                    kind: type_code(f.kind).into(),
                    required: f.required,
                    min: number(f.min),
                    max: number(f.max),
                    unit: f.unit.clone().unwrap_or_default(),
                    choices: f.choices.join("、"),
                    prefill: f.prefill.clone().unwrap_or_default(),
                    locked: f.locked,
                })
                .collect(),
            checks: def
                .checks
                .iter()
                .map(|c| (c.rule.clone(), c.message.clone()))
                .collect(),
        }
    }

    /// The posted rows (`field_code_3`, `check_rule_1`, …), blank rows dropped.
    fn posted(pairs: &[(String, String)]) -> Design {
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        let rows = |prefix: &str| -> usize {
            pairs
                .iter()
                .filter_map(|(k, _)| k.strip_prefix(prefix)?.parse::<usize>().ok())
                .max()
                .map_or(0, |n| n + 1)
                .min(emis_domain::forms::MAX_FIELDS + BLANK_FIELDS)
        };
        let fields = (0..rows("field_code_"))
            .map(|i| FieldRow {
                code: get(&format!("field_code_{i}")),
                label: get(&format!("field_label_{i}")),
                kind: get(&format!("field_type_{i}")),
                required: get(&format!("field_required_{i}")) == "on",
                min: get(&format!("field_min_{i}")),
                max: get(&format!("field_max_{i}")),
                unit: get(&format!("field_unit_{i}")),
                choices: get(&format!("field_choices_{i}")),
                prefill: get(&format!("field_prefill_{i}")),
                locked: get(&format!("field_locked_{i}")) == "on",
            })
            .filter(|f| !f.code.is_empty() || !f.label.is_empty())
            .collect();
        let checks = (0..rows("check_rule_"))
            .map(|i| {
                (
                    get(&format!("check_rule_{i}")),
                    get(&format!("check_message_{i}")),
                )
            })
            .filter(|(rule, message)| !rule.is_empty() || !message.is_empty())
            .collect();
        Design {
            code: get("code"),
            title: get("title"),
            period: get("period"),
            respondent: get("respondent"),
            fields,
            checks,
        }
    }

    /// The definition the rows describe; a number that is not one is refused by its row.
    fn definition(&self) -> Result<Definition, String> {
        let period = match self.period.as_str() {
            "once" => PeriodKind::Once,
            "year" => PeriodKind::Year,
            "term" => PeriodKind::Term,
            "month" => PeriodKind::Month,
            _ => return Err("请选择填报周期".into()),
        };
        let respondent = match self.respondent.as_str() {
            "township" => RespondentKind::Township,
            _ => RespondentKind::School,
        };
        let mut fields = Vec::with_capacity(self.fields.len());
        for (n, f) in self.fields.iter().enumerate() {
            let at = format!("第{}个填报项", n + 1);
            let number = |raw: &str, what: &str| -> Result<Option<f64>, String> {
                match raw {
                    "" => Ok(None),
                    raw => raw
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .map(Some)
                        .ok_or_else(|| format!("{at}的{what}“{raw}”不是数字")),
                }
            };
            let kind = TYPES
                .iter()
                .find(|(code, _)| *code == f.kind)
                .map(|(_, t)| *t)
                .ok_or_else(|| format!("{at}：请选择类型"))?;
            fields.push(Field {
                code: f.code.clone(),
                label: f.label.clone(),
                kind,
                required: f.required,
                min: number(&f.min, "最小值")?,
                max: number(&f.max, "最大值")?,
                unit: (!f.unit.is_empty()).then(|| f.unit.clone()),
                choices: f
                    .choices
                    .split(['、', ',', '，', '\n'])
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect(),
                prefill: (!f.prefill.is_empty()).then(|| f.prefill.clone()),
                locked: f.locked,
            });
        }
        Ok(Definition {
            code: self.code.clone(),
            title: self.title.clone(),
            period,
            respondent,
            fields,
            checks: self
                .checks
                .iter()
                .map(|(rule, message)| CrossCheck {
                    rule: rule.clone(),
                    message: message.clone(),
                })
                .collect(),
        })
    }
}

/// The field types as the designer offers them: (code, type).
const TYPES: &[(&str, FieldType)] = &[
    ("integer", FieldType::Integer),
    ("decimal", FieldType::Decimal),
    ("text", FieldType::Text),
    ("date", FieldType::Date),
    ("choice", FieldType::Choice),
    ("bool", FieldType::Bool),
];

fn type_code(kind: FieldType) -> &'static str {
    TYPES
        .iter()
        .find(|(_, t)| *t == kind)
        .map_or("integer", |(c, _)| c)
}

fn kind_code(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Once => "once",
        PeriodKind::Year => "year",
        PeriodKind::Term => "term",
        PeriodKind::Month => "month",
    }
}

fn respondent_code(kind: RespondentKind) -> &'static str {
    match kind {
        RespondentKind::School => "school",
        RespondentKind::Township => "township",
    }
}

#[derive(Template)]
#[template(path = "forms_design.html")]
struct DesignPage {
    chrome: Chrome,
    d: Design,
    /// (code, label) of each choice list.
    types: Vec<(&'static str, &'static str)>,
    periods: Vec<(&'static str, &'static str)>,
    prefills: &'static [(&'static str, &'static str)],
    error: String,
}

async fn design_page(
    caller: &Caller,
    mut d: Design,
    error: String,
    flash: Option<String>,
) -> PageResult {
    d.fields
        .extend(std::iter::repeat_with(FieldRow::default).take(BLANK_FIELDS));
    d.checks
        .extend(std::iter::repeat_with(Default::default).take(BLANK_CHECKS));
    let chrome = Chrome::new(
        caller,
        "设计报表",
        "forms",
        &[crumbs(), ("设计报表", "/forms/design")],
    )?
    .with_flash(flash);
    let code = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        code,
        render(&DesignPage {
            chrome,
            d,
            types: TYPES.iter().map(|(c, t)| (*c, t.label())).collect(),
            periods: [
                PeriodKind::Once,
                PeriodKind::Year,
                PeriodKind::Term,
                PeriodKind::Month,
            ]
            .iter()
            .map(|k| (kind_code(*k), k.label()))
            .collect(),
            prefills: emis_domain::forms::PREFILLS,
            error,
        })?,
    )
        .into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct DesignQuery {
    code: Option<String>,
    saved: Option<i64>,
}

/// The designer: blank, or a form's latest version to save its next one.
pub async fn design(Ctx { state, caller }: Ctx, Query(q): Query<DesignQuery>) -> PageResult {
    let account = caller.account()?;
    let d = match q.code.as_deref() {
        Some(code) => definitions::latest(&state.db, account.county(), code)
            .await?
            .map(|(_, def)| Design::of(&def))
            .unwrap_or_default(),
        None => Design {
            period: "year".into(),
            respondent: "school".into(),
            ..Design::default()
        },
    };
    let flash = q.saved.map(|v| format!("已保存第{v}版，可以下发了。"));
    design_page(&caller, d, String::new(), flash).await
}

/// Saves the designed form (a new form, or the next version of one).
pub async fn save_design(
    Ctx { state, caller }: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let account = caller.account()?;
    let d = Design::posted(&pairs);
    let def = match d.definition() {
        Ok(def) => def,
        Err(reason) => return design_page(&caller, d, reason, None).await,
    };
    match definitions::define_built(&state.db, account, &def, &caller.source).await {
        Ok(done) => Ok(axum::response::Redirect::to(&format!(
            "/forms/design?code={}&saved={}",
            done.code, done.version
        ))
        .into_response()),
        Err(emis_app::AppError::Refused(reason)) => design_page(&caller, d, reason, None).await,
        Err(e) => Err(e.into()),
    }
}
