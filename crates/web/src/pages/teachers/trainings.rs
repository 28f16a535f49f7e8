//! 教师培训: person-times by level, township and school; the year's trainings; a training's
//! participants; the teachers behind on continuing-education hours.

use super::{crumbs, year_of};
use crate::error::PageResult;
use crate::page::{render, Chrome};
use crate::pages::charts::count_chart;
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use emis_app::masked::Masked;
use emis_app::teachers::trainings::{self as service, BehindRow, TrainingSummary};
use emis_app::teachers::{ParticipantListRow, TrainingListRow, TrainingRow};
use emis_domain::teachers::TrainingLevel;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct TrainingsQuery {
    year: Option<i32>,
    level: Option<String>,
}

#[derive(Template)]
#[template(path = "teachers_trainings.html")]
struct TrainingsPage {
    chrome: Chrome,
    year: i32,
    level: String,
    levels: Vec<&'static str>,
    summary: TrainingSummary,
    chart: String,
    trainings: Vec<TrainingListRow>,
}

pub async fn trainings(Ctx { state, caller }: Ctx, Query(q): Query<TrainingsQuery>) -> PageResult {
    let account = caller.account()?;
    let year = year_of(&state, account.county(), q.year).await?;
    let level = q.level.as_deref().and_then(TrainingLevel::parse);
    let summary = service::summary(&state.db, account, year).await?;
    let trainings = service::list(&state.db, account, year, level).await?;
    let chart = count_chart(
        &format!("{}{year}年培训人次：按级别", account.org_name),
        &summary
            .by_level
            .iter()
            .map(|p| (p.name.clone(), p.person_times as u64))
            .collect::<Vec<_>>(),
    );
    let chrome = Chrome::new(
        &caller,
        "教师培训",
        "trainings",
        &[crumbs(), ("教师培训", "/teachers/trainings")],
    )?;
    Ok(render(&TrainingsPage {
        chrome,
        year,
        level: level.map(|l| l.label().to_string()).unwrap_or_default(),
        levels: TrainingLevel::ALL.iter().map(|l| l.label()).collect(),
        summary,
        chart,
        trainings,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "teachers_training.html")]
struct TrainingPage {
    chrome: Chrome,
    training: TrainingRow,
    participants: Vec<Masked<ParticipantListRow>>,
    completed: usize,
}

pub async fn training(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let (training, participants) = service::detail(&state.db, account, id).await?;
    let chrome = Chrome::new(
        &caller,
        &training.name,
        "trainings",
        &[
            crumbs(),
            ("教师培训", "/teachers/trainings"),
            (&training.name, &format!("/teachers/trainings/{id}")),
        ],
    )?;
    Ok(render(&TrainingPage {
        chrome,
        completed: participants.iter().filter(|p| p.completed).count(),
        training,
        participants,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "teachers_behind.html")]
struct BehindPage {
    chrome: Chrome,
    year: i32,
    cycle: (i32, i32),
    due: u32,
    /// The first `BEHIND_SHOWN`, fewest hours first.
    rows: Vec<Masked<BehindRow>>,
    total: usize,
}

/// The list shows at most this many; the count says how many in all.
const BEHIND_SHOWN: usize = 500;

pub async fn behind(Ctx { state, caller }: Ctx, Query(q): Query<super::YearQuery>) -> PageResult {
    let account = caller.account()?;
    let year = year_of(&state, account.county(), q.year).await?;
    let (cycle, due, mut rows) = service::behind(&state.db, account, year).await?;
    let total = rows.len();
    rows.truncate(BEHIND_SHOWN);
    let chrome = Chrome::new(
        &caller,
        "继续教育学时不足",
        "trainings",
        &[
            crumbs(),
            ("教师培训", "/teachers/trainings"),
            ("学时不足", "/teachers/trainings/behind"),
        ],
    )?;
    Ok(render(&BehindPage {
        chrome,
        year,
        cycle,
        due,
        rows,
        total,
    })?
    .into_response())
}
