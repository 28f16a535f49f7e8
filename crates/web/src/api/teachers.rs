//! 教师队伍 JSON API under `/api/v1/teachers`: the roll and a teacher's history, the staffing
//! picture, trainings, 公费定向师范生, studios and the award workflow, over the same services
//! and scope as the pages.

use super::{ApiResult, Created};
use crate::extract::ApiJson;
use crate::session::Ctx;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::masked::Masked;
use emis_app::teachers::{awards, roll, staffing, studios, trainees, trainings};
use emis_app::teachers::{AwardRow, StudioRow};
use emis_domain::teachers::awards::{AwardDecision, AwardStatus};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
pub struct RollParams {
    #[serde(flatten)]
    filter: roll::RollFilter,
    page: Option<String>,
    per_page: Option<String>,
}

/// The staff roll of the caller's scope: breakdowns and one page of members (`?township=
/// &school=&stage=&post=&subject=&title=&age=&channel=&page=&per_page=`).
pub async fn roll(
    Ctx { state, caller }: Ctx,
    Query(p): Query<RollParams>,
) -> ApiResult<roll::RollOverview> {
    let a = caller.account()?;
    let number =
        |v: &Option<String>, default| v.as_deref().and_then(|v| v.parse().ok()).unwrap_or(default);
    Ok(Json(
        roll::overview(
            &state.db,
            a,
            &p.filter,
            state.clock.today(),
            number(&p.page, 1),
            number(&p.per_page, 50),
        )
        .await?,
    ))
}

/// One member of staff with their history (trainings, moves, studios, awards; conduct cases
/// only for the roles that handle them).
pub async fn teacher(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Query(p): Query<YearParams>,
) -> ApiResult<roll::TeacherHistory> {
    let a = caller.account()?;
    let year = match p.year {
        Some(y) => y,
        None => {
            emis_app::teachers::default_year(&state.db, a.county(), state.clock.today()).await?
        }
    };
    Ok(Json(
        roll::teacher(&state.db, a, id, year, state.clock.today()).await?,
    ))
}

#[derive(Deserialize, Default)]
pub struct TermParams {
    term: Option<String>,
}

pub async fn staffing(
    Ctx { state, caller }: Ctx,
    Query(p): Query<TermParams>,
) -> ApiResult<staffing::StaffingPicture> {
    let a = caller.account()?;
    Ok(Json(
        staffing::picture(&state.db, a, p.term.as_deref()).await?,
    ))
}

#[derive(Deserialize, Default)]
pub struct YearParams {
    year: Option<i32>,
}

pub async fn trainings(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<trainings::TrainingSummary> {
    let a = caller.account()?;
    let year = match p.year {
        Some(y) => y,
        None => {
            emis_app::teachers::default_year(&state.db, a.county(), state.clock.today()).await?
        }
    };
    Ok(Json(trainings::summary(&state.db, a, year).await?))
}

pub async fn trainees(
    Ctx { state, caller }: Ctx,
    Query(p): Query<YearParams>,
) -> ApiResult<Vec<trainees::TraineeView>> {
    let a = caller.account()?;
    Ok(Json(
        trainees::list(&state.db, a, p.year.map(i64::from), state.clock.today()).await?,
    ))
}

pub async fn studios(Ctx { state, caller }: Ctx) -> ApiResult<Vec<Masked<StudioRow>>> {
    let a = caller.account()?;
    Ok(Json(studios::list(&state.db, a).await?))
}

/// The awards of a year with the fund.
#[derive(Serialize, JsonSchema)]
pub struct Awards {
    fund: awards::Fund,
    awards: Vec<Masked<AwardRow>>,
}

#[derive(Deserialize, Default)]
pub struct AwardParams {
    year: Option<i32>,
    status: Option<String>,
}

pub async fn awards(Ctx { state, caller }: Ctx, Query(p): Query<AwardParams>) -> ApiResult<Awards> {
    let a = caller.account()?;
    let year = match p.year {
        Some(y) => y,
        None => {
            emis_app::teachers::default_year(&state.db, a.county(), state.clock.today()).await?
        }
    };
    let status = p.status.as_deref().and_then(AwardStatus::parse);
    Ok(Json(Awards {
        fund: awards::fund(&state.db, a.county(), year).await?,
        awards: awards::list(&state.db, a, year, status).await?,
    }))
}

/// Proposes a teacher of the caller's scope: `{"staff": "12", "title": "优秀教师",
/// "granting_body": "溆浦县教育局", "amount": "5000", "merits": "…"}`.
pub async fn propose(
    Ctx { state, caller }: Ctx,
    ApiJson(body): ApiJson<awards::Proposal>,
) -> ApiResult<Created> {
    let a = caller.account()?;
    let id = awards::propose(&state.db, a, &body, state.clock.today(), &caller.source).await?;
    Ok(Json(Created { id }))
}

/// A reviewer's decision: `{"decision": "通过"}` or `{"decision": "退回", "reason": "…"}`.
#[derive(Deserialize, JsonSchema)]
pub struct AwardDecisionBody {
    /// 通过 or 退回.
    decision: String,
    #[serde(default)]
    reason: String,
}

/// The award's status after the decision.
#[derive(Serialize, JsonSchema)]
pub struct AwardDecided {
    status: AwardStatus,
}

pub async fn decide(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AwardDecisionBody>,
) -> ApiResult<AwardDecided> {
    let a = caller.account()?;
    let decision = match body.decision.trim() {
        "通过" | "pass" => AwardDecision::Pass,
        "退回" | "back" => AwardDecision::SendBack,
        other => {
            return Err(emis_app::AppError::Invalid {
                field: "decision",
                message: format!("决定“{other}”应为 通过 或 退回"),
            }
            .into())
        }
    };
    let status = awards::decide(
        &state.db,
        a,
        id,
        decision,
        &body.reason,
        state.clock.today(),
        &caller.source,
    )
    .await?;
    Ok(Json(AwardDecided { status }))
}
