//! 水域: the water list, registering a water, and a water's page with its measures.

use super::chain::ChainLine;
use super::crumbs;
use crate::error::PageResult;
use crate::form::form_error;
use crate::form::{round_trip, SplitRefusal};
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::registry::FieldError;
use emis_app::safety::queries;
use emis_app::safety::{self as service};
use emis_domain::access::Permission;
use emis_domain::safety::drowning;
use serde::Deserialize;

pub struct WaterLine {
    pub id: i64,
    pub township: String,
    pub village: String,
    pub name: String,
    pub kind: String,
    pub risk: String,
    pub dangerous: bool,
    pub measures: Vec<(&'static str, bool)>,
    pub complete: bool,
    pub missing: String,
    pub coordinates: String,
}

impl From<queries::WaterRow> for WaterLine {
    fn from(w: queries::WaterRow) -> Self {
        WaterLine {
            id: w.id,
            township: w.township_name,
            village: w.village,
            name: w.name,
            kind: w.kind,
            dangerous: drowning::is_dangerous(&w.risk),
            risk: w.risk,
            measures: drowning::MEASURES
                .iter()
                .map(|(k, label)| (*label, w.measures.flag(k)))
                .collect(),
            complete: w.measures.complete(),
            missing: w.measures.missing().join("、"),
            coordinates: match (w.longitude, w.latitude) {
                (Some(lon), Some(lat)) => format!("{lon}, {lat}"),
                _ => String::new(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "safety_waters.html")]
struct WatersPage {
    chrome: Chrome,
    measure_names: Vec<&'static str>,
    rows: Vec<WaterLine>,
    dangerous: usize,
    equipped: usize,
    can_keep: bool,
    township_fixed: bool,
    townships: Vec<(&'static str, &'static str)>,
    kinds: Vec<&'static str>,
    risks: Vec<&'static str>,
    form: service::WaterForm,
    error_field: String,
    error: String,
}

async fn waters_page(
    state: &AppState,
    caller: &Caller,
    form: service::WaterForm,
    error: Option<FieldError>,
) -> PageResult {
    let account = caller.account()?;
    let rows: Vec<WaterLine> = queries::waters(&state.db, account)
        .await?
        .into_iter()
        .map(WaterLine::from)
        .collect();
    let dangerous = rows.iter().filter(|w| w.dangerous).count();
    let equipped = rows.iter().filter(|w| w.dangerous && w.complete).count();
    let chrome = Chrome::new(
        caller,
        "水域与防护设施",
        "waters",
        &[crumbs(), ("水域", "/safety/waters")],
    )?;
    let (code, error_field, error) = form_error(error);
    Ok((
        code,
        render(&WatersPage {
            chrome,
            measure_names: drowning::MEASURES.iter().map(|m| m.1).collect(),
            rows,
            dangerous,
            equipped,
            can_keep: account.role.permits(Permission::KeepWaters),
            township_fixed: matches!(account.scope, emis_domain::access::Scope::Township { .. }),
            townships: emis_domain::divisions::county(account.county())
                .map(|c| c.townships.iter().map(|t| (t.code, t.name)).collect())
                .unwrap_or_default(),
            kinds: drowning::WATER_KINDS.to_vec(),
            risks: drowning::RISK_LEVELS.to_vec(),
            form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

pub async fn waters(Ctx { state, caller }: Ctx) -> PageResult {
    waters_page(&state, &caller, service::WaterForm::default(), None).await
}

pub async fn add_water(
    Ctx { state, caller }: Ctx,
    Form(form): Form<service::WaterForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::add_water(&state.db, account, &form, &caller.source).await;
    round_trip(
        outcome,
        |id| format!("/safety/waters/{id}"),
        |e| waters_page(&state, &caller, form, Some(e)),
    )
    .await
}

#[derive(Template)]
#[template(path = "safety_water.html")]
struct WaterPage {
    chrome: Chrome,
    w: WaterLine,
    risks: Vec<&'static str>,
    chain: Vec<ChainLine>,
    roster: Vec<queries::RosterRow>,
    patrols: Vec<queries::PatrolRow>,
    can_keep: bool,
    heads: Vec<&'static str>,
    slots: Vec<&'static str>,
    roster_form: service::roster::RosterForm,
    /// The shift being edited (0: the form adds one).
    editing: i64,
    roster_gaps: Vec<NaiveDateRange>,
    error_form: String,
    error_field: String,
    error: String,
}

/// Summer days a roster leaves short of two slots, shown as runs of days.
pub struct NaiveDateRange {
    pub from: String,
    pub to: String,
    pub days: usize,
}

/// What a water page shows besides the records: a message, a refused form, a shift in edit.
#[derive(Default)]
pub struct WaterShown {
    pub(super) flash: Option<String>,
    pub(super) error: Option<(&'static str, FieldError)>,
    pub(super) roster_form: Option<service::roster::RosterForm>,
    pub(super) editing: i64,
}

impl WaterShown {
    pub(super) fn flash(message: &str) -> Self {
        WaterShown {
            flash: Some(message.to_string()),
            ..WaterShown::default()
        }
    }
    pub(super) fn error(form: &'static str, e: FieldError) -> Self {
        WaterShown {
            error: Some((form, e)),
            ..WaterShown::default()
        }
    }
}

/// Runs of consecutive days.
fn runs(days: &[chrono::NaiveDate]) -> Vec<NaiveDateRange> {
    let mut out: Vec<(chrono::NaiveDate, chrono::NaiveDate, usize)> = Vec::new();
    for d in days {
        match out.last_mut() {
            Some((_, to, n)) if to.succ_opt() == Some(*d) => {
                *to = *d;
                *n += 1;
            }
            _ => out.push((*d, *d, 1)),
        }
    }
    out.into_iter()
        .map(|(from, to, days)| NaiveDateRange {
            from: from.to_string(),
            to: to.to_string(),
            days,
        })
        .collect()
}

pub(super) async fn water_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    shown: WaterShown,
) -> PageResult {
    let account = caller.account()?;
    let w = service::visible_water(&state.db, account, id).await?;
    let chain = queries::water_chain(&state.db, account, &w)
        .await?
        .into_iter()
        .map(|c| {
            let keeps = service::chain::keeps(account, &c);
            let c = c.into_inner();
            ChainLine {
                id: c.id,
                keeps,
                level: c.level,
                target: c.village.unwrap_or_default(),
                role: c.role,
                person: c.person,
                phone: c.phone,
            }
        })
        .collect();
    let patrols = queries::patrols(&state.db, account, "0000", "9999", Some(id), 60).await?;
    let entries = queries::water_roster(&state.db, account, &w).await?;
    let year = service::default_year(&state.db, account.county(), state.clock.today()).await?;
    let shifts: Vec<drowning::Shift> = entries
        .iter()
        .filter_map(|r| {
            Some(drowning::Shift {
                water: id,
                slot: r.slot.clone(),
                from: emis_domain::dates::parse_date(&r.from_day)?,
                to: emis_domain::dates::parse_date(&r.to_day)?,
                patroller: r.patroller.clone(),
            })
        })
        .collect();
    let roster_gaps = if drowning::is_dangerous(&w.risk) && !w.measures.backfilled {
        runs(&drowning::roster_gaps(
            &shifts,
            id,
            year,
            chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_else(|| state.clock.today()),
        ))
    } else {
        Vec::new()
    };
    let roster_form = shown.roster_form.unwrap_or_else(|| {
        entries
            .iter()
            .find(|r| r.id == shown.editing)
            .map(|r| service::roster::RosterForm {
                patroller: r.patroller.clone(),
                phone: String::new(),
                slot: r.slot.clone(),
                from_day: r.from_day.clone(),
                to_day: r.to_day.clone(),
            })
            .unwrap_or_else(|| service::roster::RosterForm {
                from_day: format!("{year}-07-01"),
                to_day: format!("{year}-08-31"),
                ..Default::default()
            })
    });
    let roster = entries
        .into_iter()
        .map(queries::Masked::into_inner)
        .collect();
    let title = w.name.clone();
    let href = format!("/safety/waters/{id}");
    let chrome = Chrome::new(
        caller,
        &title,
        "waters",
        &[crumbs(), ("水域", "/safety/waters"), (&title, &href)],
    )?
    .with_flash(shown.flash);
    let (error_form, error) = match shown.error {
        Some((form, e)) => (form.to_string(), Some(e)),
        None => (String::new(), None),
    };
    let (code, error_field, error) = form_error(error);
    Ok((
        code,
        render(&WaterPage {
            chrome,
            w: WaterLine::from(w),
            risks: drowning::RISK_LEVELS.to_vec(),
            chain,
            roster,
            patrols,
            can_keep: account.role.permits(Permission::KeepWaters),
            heads: drowning::NINE_HEADS.to_vec(),
            slots: drowning::PATROL_SLOTS.to_vec(),
            roster_form,
            editing: shown.editing,
            roster_gaps,
            error_form,
            error_field,
            error,
        })?,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct EditQuery {
    edit: Option<i64>,
    done: Option<String>,
}

pub async fn water(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> PageResult {
    let shown = WaterShown {
        editing: q.edit.unwrap_or(0),
        flash: (q.done.as_deref() == Some("roster"))
            .then(|| "巡查排班已保存，已记入审计日志。".to_string()),
        ..WaterShown::default()
    };
    water_page(&state, &caller, id, shown).await
}

pub async fn save_measures(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<service::MeasuresForm>,
) -> PageResult {
    let account = caller.account()?;
    let shown = match service::save_measures(&state.db, account, id, &form, &caller.source)
        .await
        .split_refusal()?
    {
        Ok(()) => WaterShown::flash("防护措施已保存。"),
        Err(e) => WaterShown::error("measures", e),
    };
    water_page(&state, &caller, id, shown).await
}
