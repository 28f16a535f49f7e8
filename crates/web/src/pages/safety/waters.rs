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
    /// (longitude, latitude) when both read as degrees.
    pub position: Option<(f64, f64)>,
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
            position: match (&w.longitude, &w.latitude) {
                (Some(lon), Some(lat)) => lon
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .zip(lat.trim().parse::<f64>().ok())
                    .filter(|(x, y)| x.abs() <= 180.0 && y.abs() <= 90.0),
                _ => None,
            },
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
    /// The waters on their coordinates (none without any).
    plot: Option<String>,
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
    let plot = waters_plot(
        &format!("{}水域分布", crate::page::scope_title(account)),
        &rows,
    );
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
            plot,
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

/// The waters on their coordinates, a map without tiles: one point per water coloured by
/// its township (named in the legend), ringed in red when it is dangerous and not fully
/// equipped, each linking to the water's page. `None` when no water has coordinates.
fn waters_plot(title: &str, rows: &[WaterLine]) -> Option<String> {
    use emis_domain::text::escape_markup as esc;
    const PALETTE: [&str; 10] = [
        "#409eff", "#67c23a", "#e6a23c", "#909399", "#9b59b6", "#1abc9c", "#34495e", "#d35400",
        "#16a085", "#8e44ad",
    ];
    let placed: Vec<(&WaterLine, (f64, f64))> = rows
        .iter()
        .filter_map(|w| w.position.map(|p| (w, p)))
        .collect();
    if placed.is_empty() {
        return None;
    }
    let mut townships: Vec<&str> = Vec::new();
    for (w, _) in &placed {
        if !townships.contains(&w.township.as_str()) {
            townships.push(&w.township);
        }
    }
    // Equirectangular: a degree of longitude is cos(latitude) of a degree of latitude.
    let mean_lat = placed.iter().map(|(_, p)| p.1).sum::<f64>() / placed.len() as f64;
    let squeeze = mean_lat.to_radians().cos();
    let xs = placed.iter().map(|(_, p)| p.0 * squeeze);
    let ys = placed.iter().map(|(_, p)| p.1);
    let (x0, x1) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let (y0, y1) = ys.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let (width, plot_h, top, left) = (760.0_f64, 380.0_f64, 34.0, 16.0);
    let legend_rows = townships.len().div_ceil(5) as f64;
    let height = top + plot_h + 12.0 + legend_rows * 20.0;
    let plot_w = width - 2.0 * left;
    // One scale for both axes keeps the shape of the county; a single point sits centred.
    let span = ((x1 - x0) / plot_w).max((y1 - y0) / plot_h).max(1e-9);
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-label=\"{t}\"><text x=\"0\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{t}</text><rect x=\"{left}\" y=\"{top}\" width=\"{plot_w}\" height=\"{plot_h}\" fill=\"#f5f7fa\" stroke=\"#dcdfe6\"/>",
        t = esc(title)
    );
    for (w, (lon, lat)) in &placed {
        let x = left + plot_w / 2.0 + (lon * squeeze - cx) / span * 0.94;
        let y = top + plot_h / 2.0 - (lat - cy) / span * 0.94;
        let colour = PALETTE[townships.iter().position(|t| *t == w.township).unwrap_or(0) % 10];
        let ring = if w.dangerous && !w.complete {
            " stroke=\"#f56c6c\" stroke-width=\"2.5\""
        } else {
            ""
        };
        svg.push_str(&format!(
            "<a href=\"/safety/waters/{id}\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{colour}\"{ring}><title>{name}（{township}，{risk}）</title></circle></a>",
            id = w.id,
            name = esc(&w.name),
            township = esc(&w.township),
            risk = esc(&w.risk),
        ));
    }
    for (i, township) in townships.iter().enumerate() {
        let x = left + (i % 5) as f64 * 150.0;
        let y = top + plot_h + 24.0 + (i / 5) as f64 * 20.0;
        svg.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
            x + 5.0,
            y - 4.0,
            PALETTE[i % 10],
            x + 14.0,
            y,
            esc(township)
        ));
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn water(id: i64, township: &str, position: Option<(f64, f64)>, open_risk: bool) -> WaterLine {
        WaterLine {
            id,
            township: township.into(),
            village: String::new(),
            name: format!("山塘{id}"),
            kind: "山塘".into(),
            risk: "高".into(),
            dangerous: open_risk,
            measures: Vec::new(),
            complete: false,
            missing: String::new(),
            coordinates: String::new(),
            position,
        }
    }

    #[test]
    fn waters_are_placed_by_their_coordinates() {
        assert_eq!(waters_plot("水域", &[water(1, "卢峰镇", None, true)]), None);
        let rows = [
            water(1, "卢峰镇", Some((110.59, 27.90)), true),
            water(2, "龙潭镇", Some((110.80, 27.60)), false),
            water(3, "龙潭镇", None, false),
        ];
        let svg = waters_plot("各乡镇水域分布", &rows).expect("a plot");
        assert_eq!(svg.matches("<a href=\"/safety/waters/").count(), 2);
        // West is left and north is up: 卢峰镇's water lies left of and above 龙潭镇's.
        let centre = |id: i64| -> (f64, f64) {
            let at = svg
                .find(&format!("/safety/waters/{id}\""))
                .expect("the point");
            let read = |attr: &str| -> f64 {
                let from = at + svg[at..].find(attr).expect(attr) + attr.len();
                let to = from + svg[from..].find('"').expect("end");
                svg[from..to].parse().expect("number")
            };
            (read("cx=\""), read("cy=\""))
        };
        let (a, b) = (centre(1), centre(2));
        assert!(a.0 < b.0 && a.1 < b.1, "{a:?} {b:?}");
        // Only the dangerous, not equipped water is ringed; both townships in the legend.
        assert_eq!(svg.matches("stroke=\"#f56c6c\"").count(), 1);
        assert!(svg.contains(">卢峰镇</text>") && svg.contains(">龙潭镇</text>"));
    }
}
