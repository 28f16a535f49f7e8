//! 分配方案 pages: the runs, a new (what-if) run, a run with its placements, publishing
//! and comparing two runs.

use super::{bad, bar_chart, run_id, year_of};
use crate::error::PageError;
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::pages::nonempty;
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use emis_app::enrollment as service;
use emis_app::enrollment::queries::{self, Masked};
use emis_domain::enrollment::{Comparison, ScenarioChange};
use emis_domain::registry::Grade;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "enrollment_runs.html")]
struct RunsPage {
    chrome: Chrome,
    runs: Vec<queries::RunRow>,
    can_plan: bool,
    schools: Vec<(String, String)>,
    communities: Vec<(String, String)>,
}

pub async fn runs(Ctx { state, caller }: Ctx) -> PageResult {
    let account = caller.account()?;
    let runs = service::runs(&state.db, account).await?;
    let schools = queries::entry_schools(&state.db, account).await?;
    let communities = queries::communities(&state.db, account)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let chrome = Chrome::new(
        &caller,
        "派位方案",
        "runs",
        &[
            ("招生与班额", "/enrollment"),
            ("派位方案", "/enrollment/runs"),
        ],
    )?;
    Ok(render(&RunsPage {
        chrome,
        runs,
        can_plan: account
            .role
            .permits(emis_domain::access::Permission::PlanEnrollment),
        schools,
        communities,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct RunForm {
    name: String,
    grade: String,
    year: Option<String>,
    add_school: Option<String>,
    add_classes: Option<String>,
    move_community: Option<String>,
    move_to: Option<String>,
}

/// The what-if changes of the run form.
fn changes_of(f: &RunForm, grade: Grade) -> Result<Vec<ScenarioChange>, PageError> {
    let mut changes = Vec::new();
    if let (Some(school), Some(n)) = (nonempty(&f.add_school), nonempty(&f.add_classes)) {
        let n: i32 = n.parse().map_err(|_| bad("增加班数应为整数"))?;
        if n != 0 {
            changes.push(ScenarioChange::AddClasses {
                school_code: school,
                grade,
                n,
            });
        }
    }
    if let (Some(community), Some(to)) = (nonempty(&f.move_community), nonempty(&f.move_to)) {
        changes.push(ScenarioChange::MoveCommunity {
            community,
            to_school: to,
        });
    }
    Ok(changes)
}

pub async fn create_run(Ctx { state, caller }: Ctx, Form(f): Form<RunForm>) -> PageResult {
    let account = caller.account()?;
    let grade =
        service::parse_entry_grade(&f.grade).ok_or_else(|| bad("年级应为一年级或七年级"))?;
    let changes = changes_of(&f, grade)?;
    let id = service::run_allocation(
        &state.db,
        account,
        year_of(&f.year),
        grade,
        &f.name,
        changes,
        &caller.source,
    )
    .await?;
    Ok(Redirect::to(&format!("/enrollment/runs/{id}")).into_response())
}

struct SchoolLine {
    code: String,
    name: String,
    classes_planned: u32,
    capacity: u32,
    zone_applicants: u32,
    placed_zone: u32,
    placed_overflow: u32,
    placed: u32,
    free_places: u32,
    classes_needed: u32,
    largest_class: u32,
}

struct PlacementLine {
    id: String,
    name: String,
    community: String,
    school: String,
    kind: String,
    rank: i64,
    reason: String,
}

#[derive(Template)]
#[template(path = "enrollment_run.html")]
struct RunPage {
    chrome: Chrome,
    run: queries::RunRow,
    changes: Vec<String>,
    schools: Vec<SchoolLine>,
    placements: Vec<PlacementLine>,
    unplaced: Vec<(String, String)>,
    school: String,
    balanced: Vec<service::BalancedView>,
    can_plan: bool,
    can_form: bool,
    warnings: Vec<String>,
    chart: String,
}

#[derive(Deserialize, Default)]
pub struct RunQuery {
    school: Option<String>,
}

pub async fn run(
    Ctx { state, caller }: Ctx,
    Path(raw): Path<String>,
    Query(q): Query<RunQuery>,
) -> PageResult {
    let account = caller.account()?;
    let id = run_id(&raw)?;
    let view = queries::run(&state.db, account, id).await?.into_inner();
    let names: std::collections::HashMap<String, String> =
        emis_app::registry::queries::county_schools(&state.db, account.county())
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
    let name_of = |c: &str| names.get(c).cloned().unwrap_or_else(|| c.to_string());
    let school = nonempty(&q.school);
    let placements = queries::placements(&state.db, account, id, school.as_deref())
        .await?
        .into_iter()
        .take(500)
        .map(Masked::into_inner)
        .map(|p| PlacementLine {
            id: p.id_number,
            name: p.name,
            community: p.community,
            school: p
                .school_code
                .as_deref()
                .map(name_of)
                .unwrap_or_else(|| "未安排".into()),
            kind: p.kind,
            rank: p.rank,
            reason: p.reason,
        })
        .collect();
    let schools: Vec<SchoolLine> = view
        .result
        .schools
        .iter()
        .map(|s| SchoolLine {
            name: name_of(&s.school_code),
            code: s.school_code.clone(),
            classes_planned: s.classes_planned,
            capacity: s.capacity,
            zone_applicants: s.zone_applicants,
            placed_zone: s.placed_zone,
            placed_overflow: s.placed_overflow,
            placed: s.placed,
            free_places: s.free_places,
            classes_needed: s.classes_needed,
            largest_class: s.largest_class,
        })
        .collect();
    let chart = bar_chart(
        "各校学位与录取人数",
        ["计划学位", "录取"],
        &schools
            .iter()
            .map(|s: &SchoolLine| (s.name.clone(), s.capacity, s.placed))
            .collect::<Vec<_>>(),
    );
    let unplaced = view
        .result
        .unplaced
        .iter()
        .take(200)
        .map(|u| (u.applicant_id.clone(), u.message.clone()))
        .collect();
    let balanced = service::balanced(&state.db, account, id).await?;
    let chrome = Chrome::new(
        &caller,
        &format!("派位方案：{}", view.run.name),
        "runs",
        &[
            ("招生与班额", "/enrollment"),
            ("派位方案", "/enrollment/runs"),
        ],
    )?;
    let can_form = account
        .role
        .permits(emis_domain::access::Permission::FormClasses);
    Ok(render(&RunPage {
        chrome,
        changes: view.changes.iter().map(ScenarioChange::describe).collect(),
        warnings: view.result.warnings.clone(),
        run: view.run,
        schools,
        placements,
        unplaced,
        school: school.unwrap_or_default(),
        chart,
        balanced,
        can_plan: account
            .role
            .permits(emis_domain::access::Permission::PlanEnrollment),
        can_form,
    })?
    .into_response())
}

pub async fn publish(Ctx { state, caller }: Ctx, Path(raw): Path<String>) -> PageResult {
    let account = caller.account()?;
    let id = run_id(&raw)?;
    service::publish(&state.db, account, id, &caller.source).await?;
    Ok(Redirect::to(&format!("/enrollment/runs/{id}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
}

#[derive(Template)]
#[template(path = "enrollment_compare.html")]
struct ComparePage {
    chrome: Chrome,
    runs: Vec<queries::RunRow>,
    a: i64,
    b: i64,
    cmp: Option<Comparison>,
    /// (school, classes delta, capacity delta, placed delta)
    schools: Vec<(String, i64, i64, i64)>,
    /// (masked id, school in A, school in B, reason in B), the first 300
    changed: Vec<(String, String, String, String)>,
}

pub async fn compare(Ctx { state, caller }: Ctx, Query(q): Query<CompareQuery>) -> PageResult {
    let account = caller.account()?;
    let runs = service::runs(&state.db, account).await?;
    let (a, b) = (nonempty(&q.a), nonempty(&q.b));
    let cmp = match (&a, &b) {
        (Some(a), Some(b)) => Some(
            queries::compare(&state.db, account, run_id(a)?, run_id(b)?)
                .await?
                .into_inner(),
        ),
        _ => None,
    };
    let names: std::collections::HashMap<String, String> =
        emis_app::registry::queries::county_schools(&state.db, account.county())
            .await?
            .into_iter()
            .map(|s| (s.code, s.name))
            .collect();
    let name = |c: &Option<String>| match c {
        Some(c) => names.get(c).cloned().unwrap_or_else(|| c.clone()),
        None => "未安排".to_string(),
    };
    let (schools, changed) = match &cmp {
        Some(c) => (
            c.schools
                .iter()
                .map(|s| {
                    (
                        name(&Some(s.school_code.clone())),
                        s.classes_delta,
                        s.capacity_delta,
                        s.placed_delta,
                    )
                })
                .collect(),
            c.changed
                .iter()
                .take(300)
                .map(|p| {
                    (
                        p.applicant_id.clone(),
                        name(&p.before_school),
                        name(&p.after_school),
                        p.after_reason.clone(),
                    )
                })
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let chrome = Chrome::new(
        &caller,
        "方案比较",
        "runs",
        &[
            ("招生与班额", "/enrollment"),
            ("派位方案", "/enrollment/runs"),
        ],
    )?;
    Ok(render(&ComparePage {
        chrome,
        runs,
        a: a.as_deref().and_then(|x| x.parse().ok()).unwrap_or(0),
        b: b.as_deref().and_then(|x| x.parse().ok()).unwrap_or(0),
        cmp,
        schools,
        changed,
    })?
    .into_response())
}
