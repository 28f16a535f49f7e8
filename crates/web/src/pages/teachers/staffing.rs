//! 编制: the staffing picture of the scope (township and school lines, the subjects without a
//! teacher) and the county's standard and hours requirement.

use super::crumbs;
use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome};
use crate::pages::charts::bar_chart;
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::Query;
use axum::response::IntoResponse;
use axum::Form;
use emis_app::teachers::staffing::{self as service, StaffingPicture};
use emis_app::AppError;
use emis_domain::access::Permission;
use emis_domain::registry::Stage;
use emis_domain::teachers::hours::HoursRequirement;
use emis_domain::teachers::staffing::StaffingStandard;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct StaffingQuery {
    term: Option<String>,
    done: Option<String>,
}

/// The standard as the form shows it (ratios as 1:13.5 figures, hours as numbers).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StandardForm {
    preschool: String,
    primary: String,
    junior: String,
    senior: String,
    hours: String,
    cycle_years: String,
    cycle_start: String,
}

impl StandardForm {
    fn of(standard: &StaffingStandard, hours: &HoursRequirement) -> StandardForm {
        let ratio = |stage| standard.display(stage).trim_start_matches("1:").to_string();
        StandardForm {
            preschool: ratio(Stage::Preschool),
            primary: ratio(Stage::Primary),
            junior: ratio(Stage::Junior),
            senior: ratio(Stage::Senior),
            hours: hours.hours.to_string(),
            cycle_years: hours.cycle_years.to_string(),
            cycle_start: hours.cycle_start.to_string(),
        }
    }

    fn read(&self) -> emis_app::Result<(StaffingStandard, HoursRequirement)> {
        let ratio = |field: &'static str, label: &str, raw: &str| {
            StaffingStandard::parse_ratio(raw).ok_or_else(|| AppError::Invalid {
                field,
                message: format!("{label}师生比“{raw}”应为1–60之间、最多一位小数的数，如 13.5"),
            })
        };
        let number = |field: &'static str, label: &str, raw: &str, lo: i64, hi: i64| {
            raw.trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (lo..=hi).contains(n))
                .ok_or_else(|| AppError::Invalid {
                    field,
                    message: format!("{label}应为{lo}–{hi}的整数"),
                })
        };
        Ok((
            StaffingStandard {
                preschool: ratio("preschool", "幼儿园", &self.preschool)?,
                primary: ratio("primary", "小学", &self.primary)?,
                junior: ratio("junior", "初中", &self.junior)?,
                senior: ratio("senior", "高中", &self.senior)?,
            },
            HoursRequirement {
                hours: number("hours", "每周期学时", &self.hours, 1, 2000)? as u32,
                cycle_years: number("cycle_years", "周期年数", &self.cycle_years, 1, 10)? as u32,
                cycle_start: number("cycle_start", "周期起始年", &self.cycle_start, 2000, 2100)?
                    as i32,
            },
        ))
    }
}

#[derive(Template)]
#[template(path = "teachers_staffing.html")]
struct StaffingPage {
    chrome: Chrome,
    p: StaffingPicture,
    term_label: String,
    chart: String,
    can_keep: bool,
    form: StandardForm,
    error_field: String,
    error: String,
}

async fn staffing_page(
    state: &AppState,
    caller: &Caller,
    term: Option<&str>,
    mut round: Round<StandardForm>,
) -> PageResult {
    let account = caller.account()?;
    let p = service::picture(&state.db, account, term).await?;
    let bars: Vec<(String, u32, u32)> = p
        .townships
        .iter()
        .map(|t| (t.name.clone(), t.staffing.required, t.staffing.actual))
        .collect();
    let scope_title = crate::page::scope_title(account);
    let chart = bar_chart(
        &format!("{scope_title}专任教师：应配与实有"),
        ["应配", "实有"],
        &bars,
    );
    let term_label = p
        .term
        .as_deref()
        .and_then(emis_domain::term::Term::parse)
        .map(|t| t.label())
        .unwrap_or_else(|| "（无学籍数据）".into());
    let chrome = Chrome::new(
        caller,
        "编制与缺编",
        "staffing",
        &[crumbs(), ("编制与缺编", "/teachers/staffing")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    let form = if error_field.is_empty() {
        let (standard, hours) = service::settings(&state.db, account).await?;
        StandardForm::of(&standard, &hours)
    } else {
        round.form
    };
    Ok((
        code,
        render(&StaffingPage {
            chrome,
            term_label,
            chart,
            can_keep: account.role.permits(Permission::KeepTeachers),
            form,
            error_field,
            error,
            p,
        })?,
    )
        .into_response())
}

pub async fn staffing(Ctx { state, caller }: Ctx, Query(q): Query<StaffingQuery>) -> PageResult {
    let round = Round {
        flash: q.done.map(|_| "编制标准与继续教育要求已保存。".to_string()),
        ..Round::default()
    };
    staffing_page(&state, &caller, q.term.as_deref(), round).await
}

pub async fn save_standard(
    Ctx { state, caller }: Ctx,
    Form(form): Form<StandardForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = match form.read() {
        Ok((standard, hours)) => {
            service::set_standard(&state.db, account, standard, hours, &caller.source).await
        }
        Err(e) => Err(e),
    };
    round_trip(
        outcome,
        |()| "/teachers/staffing?done=1".to_string(),
        |e| staffing_page(&state, &caller, None, Round::refused(form, e)),
    )
    .await
}
