//! 教职工名册 with breakdown charts, and a teacher's page with their history and the forms
//! that start from a teacher (propose an award, open a conduct case).

use super::crumbs;
use crate::error::PageResult;
use crate::form::{round_trip, Round};
use crate::list::{Choices, Filter, List, Paging};
use crate::page::{render, Chrome};
use crate::pages::charts::count_chart;
use crate::pages::nonempty;
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

/// The roll's request: the filters as typed or picked (a township or school by name or by
/// code from a link) and the paging; every value is text.
#[derive(Deserialize, Default)]
pub struct RollQuery {
    township: Option<String>,
    school: Option<String>,
    stage: Option<String>,
    post: Option<String>,
    subject: Option<String>,
    title: Option<String>,
    age: Option<String>,
    channel: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

#[derive(Template)]
#[template(path = "teachers_roll.html")]
struct RollPage {
    chrome: Chrome,
    roll: RollOverview,
    charts: Vec<String>,
    list: List,
}

fn chart(title: &str, counts: &[RollCount], top: usize) -> String {
    let rows: Vec<(String, u64)> = counts
        .iter()
        .take(top)
        .map(|c| (c.label.clone(), c.count as u64))
        .collect();
    count_chart(title, &rows)
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The service's filter of a request, its township and school resolved, and whether a
/// picker refused its value.
async fn roll_filter(
    state: &AppState,
    account: &emis_app::auth::Account,
    q: &RollQuery,
) -> Result<(RollFilter, crate::list::Place), emis_app::AppError> {
    let choices = Choices::of(state, account).await?;
    let place = choices.place(account, q.township.as_deref(), q.school.as_deref());
    let refused = !place.township.error.is_empty() || !place.school.error.is_empty();
    let filter = RollFilter {
        township: place.township.code.clone(),
        // A refused pick admits no member (no school's code is "-"), so the totals and the
        // charts show nothing, as the list does.
        school: if refused {
            Some("-".to_string())
        } else {
            place.school.code.clone()
        },
        stage: nonempty(&q.stage),
        post: nonempty(&q.post),
        subject: nonempty(&q.subject),
        title: nonempty(&q.title),
        age: nonempty(&q.age),
        channel: nonempty(&q.channel),
        sort: q.paging.sort(service::ROLL_SORTS),
        desc: q.paging.desc(),
    };
    Ok((filter, place))
}

pub async fn roll(Ctx { state, caller }: Ctx, Query(q): Query<RollQuery>) -> PageResult {
    let account = caller.account()?;
    let (filter, place) = roll_filter(&state, account, &q).await?;
    let overview = |page: i64| {
        service::overview(
            &state.db,
            account,
            &filter,
            state.clock.today(),
            page,
            q.paging.size(),
        )
    };
    let mut roll = overview(q.paging.page()).await?;
    if roll.page.items.is_empty() && roll.page.total > 0 {
        // Past the last page (a kept link, a typed jump): the last page.
        roll = overview(roll.page.pages()).await?;
    }
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
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let stages: Vec<&str> = emis_domain::registry::SchoolType::ALL
        .iter()
        .map(|t| t.label())
        .collect();
    let posts: Vec<&str> = PostType::ALL.iter().map(|p| p.label()).collect();
    let channels: Vec<&str> = RecruitChannel::ALL.iter().map(|c| c.label()).collect();
    let mut filters = place.pickers;
    filters.extend([
        Filter::labels("stage", "学校类型", &text(&q.stage), "全部", &stages),
        Filter::labels("post", "岗位", &text(&q.post), "全部", &posts),
        Filter::labels(
            "subject",
            "学科",
            &text(&q.subject),
            "全部",
            &strs(&roll.subjects),
        ),
        Filter::labels(
            "title",
            "职称",
            &text(&q.title),
            "全部",
            &strs(&roll.titles),
        ),
        Filter::labels("age", "年龄段", &text(&q.age), "全部", AGE_BANDS),
        Filter::labels("channel", "补充渠道", &text(&q.channel), "全部", &channels),
    ]);
    // School then name unless a column is asked for (sorted in the service).
    let list = List::new(
        "/teachers",
        filters,
        &q.paging,
        service::ROLL_SORTS,
        roll.page.total,
    )
    .with_export("/teachers/export");
    let chrome = Chrome::new(
        &caller,
        "教职工名册",
        "teachers",
        &[crumbs(), ("教职工名册", "/teachers")],
    )?;
    Ok(render(&RollPage {
        chrome,
        charts,
        roll,
        list,
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
    let (filter, place) = roll_filter(&state, account, &q).await?;
    for picked in [&place.township, &place.school] {
        if !picked.error.is_empty() {
            return Err(emis_app::AppError::Refused(picked.error.clone()).into());
        }
    }
    service::write_roll(
        &state.db,
        account,
        &filter,
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
