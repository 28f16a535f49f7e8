//! 教职工名册 with breakdown charts, and a teacher's page with their history and the forms
//! that start from a teacher (propose an award, open a conduct case).

use super::crumbs;
use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::page::{render, Chrome, Pager};
use crate::pages::charts::count_chart;
use crate::session::{Caller, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::teachers::roll::{
    self as service, RollCount, RollFilter, RollOverview, TeacherHistory,
};
use emis_app::teachers::{awards, conduct};
use emis_domain::access::Permission;
use emis_domain::registry::{PostType, RecruitChannel};
use emis_domain::teachers::{AGE_BANDS, AWARD_TITLES};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct RollQuery {
    #[serde(flatten)]
    filter: RollFilter,
    /// Text: a flattened query reads every value as text.
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "teachers_roll.html")]
struct RollPage {
    chrome: Chrome,
    roll: RollOverview,
    filter: RollFilter,
    charts: Vec<String>,
    export_href: String,
    townships: Vec<(String, String)>,
    schools: Vec<(String, String)>,
    posts: Vec<&'static str>,
    channels: Vec<&'static str>,
    ages: Vec<&'static str>,
    stages: Vec<&'static str>,
    pager: Pager,
}

fn chart(title: &str, counts: &[RollCount], top: usize) -> String {
    let rows: Vec<(String, u64)> = counts
        .iter()
        .take(top)
        .map(|c| (c.label.clone(), c.count as u64))
        .collect();
    count_chart(title, &rows)
}

pub async fn roll(Ctx { state, caller }: Ctx, Query(q): Query<RollQuery>) -> PageResult {
    let account = caller.account()?;
    let roll = service::overview(
        &state.db,
        account,
        &q.filter,
        state.clock.today(),
        q.page.as_deref().and_then(|p| p.parse().ok()).unwrap_or(1),
        50,
    )
    .await?;
    let scope_name = &account.org_name;
    let charts = vec![
        chart(
            &format!("{scope_name}教职工：补充渠道"),
            &roll.by_channel,
            10,
        ),
        chart(&format!("{scope_name}教职工：年龄段"), &roll.by_age, 10),
        chart(&format!("{scope_name}教职工：职称"), &roll.by_title, 10),
        chart(
            &format!("{scope_name}专任教师：任教学科（前15）"),
            &roll.by_subject,
            15,
        ),
        chart(&format!("{scope_name}教职工：学校类型"), &roll.by_stage, 10),
        chart(&format!("{scope_name}教职工：岗位类别"), &roll.by_post, 10),
    ];
    let townships = emis_app::registry::queries::townships(&state.db, account).await?;
    let schools = emis_app::registry::queries::schools_in_scope(&state.db, account)
        .await?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let f = &q.filter;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let params = [
        ("township", text(&f.township)),
        ("school", text(&f.school)),
        ("stage", text(&f.stage)),
        ("post", text(&f.post)),
        ("subject", text(&f.subject)),
        ("title", text(&f.title)),
        ("age", text(&f.age)),
        ("channel", text(&f.channel)),
    ];
    let export_href = format!(
        "/teachers/export?{}",
        params
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::session::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
    );
    let pager = Pager::new(
        "/teachers",
        &params,
        roll.page.page,
        roll.page.pages(),
        roll.page.total,
    );
    let chrome = Chrome::new(
        &caller,
        "教职工名册",
        "teachers",
        &[crumbs(), ("教职工名册", "/teachers")],
    )?;
    Ok(render(&RollPage {
        chrome,
        charts,
        export_href,
        townships,
        schools,
        posts: PostType::ALL.iter().map(|p| p.label()).collect(),
        channels: RecruitChannel::ALL.iter().map(|c| c.label()).collect(),
        ages: AGE_BANDS.to_vec(),
        stages: emis_domain::registry::SchoolType::ALL
            .iter()
            .map(|t| t.label())
            .collect(),
        filter: q.filter,
        roll,
        pager,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "teachers_teacher.html")]
struct TeacherPage {
    chrome: Chrome,
    t: TeacherHistory,
    can_propose: bool,
    can_conduct: bool,
    titles: Vec<&'static str>,
    award: awards::Proposal,
    case: conduct::ConductCaseForm,
    campaigns: Vec<(i64, String)>,
    error_field: String,
    error: String,
}

async fn teacher_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    award: Round<awards::Proposal>,
    case: Round<conduct::ConductCaseForm>,
) -> PageResult {
    let account = caller.account()?;
    let year = super::year_of(state, account.county(), None).await?;
    let t = service::teacher(&state.db, account, id, year, state.clock.today()).await?;
    let can_conduct = account.role.permits(Permission::HandleConduct);
    let campaigns = if can_conduct {
        conduct::book(&state.db, account)
            .await?
            .campaigns
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect()
    } else {
        Vec::new()
    };
    let mut award = award;
    let mut case = case;
    let flash = award.flash.take().or(case.flash.take());
    let (code, error_field, error) = match award.error_parts() {
        (c, f, e) if !f.is_empty() => (c, f, e),
        _ => case.error_parts(),
    };
    let chrome = Chrome::new(
        caller,
        &t.teacher.name,
        "teachers",
        &[
            crumbs(),
            ("教职工名册", "/teachers"),
            (&t.teacher.name, &format!("/teachers/{id}")),
        ],
    )?
    .with_flash(flash);
    Ok((
        code,
        render(&TeacherPage {
            chrome,
            can_propose: account.role.permits(Permission::ProposeAwards),
            can_conduct,
            titles: AWARD_TITLES.to_vec(),
            award: award.form,
            case: case.form,
            campaigns,
            error_field,
            error,
            t,
        })?,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn teacher(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let flash = match q.done.as_deref() {
        Some("award") => Some("表彰推荐已提交。".to_string()),
        Some("case") => Some("师德师风案件已登记。".to_string()),
        _ => None,
    };
    let award = Round {
        flash,
        ..Round::default()
    };
    teacher_page(&state, &caller, id, award, Round::default()).await
}

pub async fn propose_award(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(mut form): Form<awards::Proposal>,
) -> PageResult {
    let account = caller.account()?;
    form.staff = id.to_string();
    let outcome = awards::propose(
        &state.db,
        account,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |_| format!("/teachers/{id}?done=award"),
        |e| {
            teacher_page(
                &state,
                &caller,
                id,
                Round::refused(form, e),
                Round::default(),
            )
        },
    )
    .await
}

pub async fn open_conduct_case(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(mut form): Form<conduct::ConductCaseForm>,
) -> PageResult {
    let account = caller.account()?;
    form.staff = id.to_string();
    let outcome = conduct::open_case(
        &state.db,
        account,
        &form,
        state.clock.today(),
        &caller.source,
    )
    .await;
    round_trip(
        outcome,
        |case| format!("/teachers/conduct/{case}?done=open"),
        |e| {
            teacher_page(
                &state,
                &caller,
                id,
                Round::default(),
                Round::refused(form, e),
            )
        },
    )
    .await
}

/// The filtered roll as xlsx (every member, ID numbers masked), audited as an export.
pub async fn export_roll(Ctx { state, caller }: Ctx, Query(q): Query<RollQuery>) -> PageResult {
    let account = caller.account()?;
    let dir = tempfile::tempdir().map_err(crate::pages::internal)?;
    let path = dir.path().join("teachers.xlsx");
    service::write_roll(
        &state.db,
        account,
        &q.filter,
        state.clock.today(),
        &path,
        &caller.source,
    )
    .await?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(crate::pages::internal)?;
    Ok(crate::download::xlsx(
        bytes,
        "staff-roll.xlsx",
        "教职工名册.xlsx",
    ))
}
