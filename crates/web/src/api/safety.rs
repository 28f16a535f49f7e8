//! 安全管理 JSON API under `/api/v1/safety`: the same services and scope as the pages.
//! Bodies are JSON; a refused step answers 422 with the field and the reason in Chinese.

use super::schema::Download;
use super::{ApiResult, Created, Done};
use crate::error::ApiError;
use crate::extract::{ApiJson, JsonBody};
use crate::session::Caller;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use emis_app::safety as service;
use emis_app::safety::queries::{
    self, EvidenceRow, HazardQuery, HazardRow, InspectionRow, Page, TenHaveFile, TenHaveRow,
    WaterRow,
};
use emis_domain::identity::mask_phone;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
pub struct YearParams {
    year: Option<i32>,
}

async fn year_of(state: &AppState, county: &str, year: Option<i32>) -> Result<i32, ApiError> {
    Ok(match year {
        Some(y) => y,
        None => service::default_year(&state.db, county, state.clock.today()).await?,
    })
}

pub async fn dashboard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult<DashboardOfYear> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let dashboard = service::dashboard_of_year(&state.db, a, state.clock.today(), year).await?;
    Ok(Json(DashboardOfYear { year, dashboard }))
}

#[derive(Serialize, JsonSchema)]
pub struct DashboardOfYear {
    year: i32,
    dashboard: service::Dashboard,
}

/// A township's drowning-prevention coverage of the year.
#[derive(Serialize, JsonSchema)]
pub struct TownshipRates {
    township: String,
    township_name: String,
    dangerous_waters: usize,
    equipped_waters: usize,
    equipped_rate: f64,
    patrol_required: u32,
    patrol_compliant: u32,
    patrol_rate: f64,
    on_roll: i64,
    letters_signed: i64,
    letter_rate: f64,
}

/// A school's letters signed and 十有 items done.
#[derive(Serialize, JsonSchema)]
pub struct SchoolRates {
    school: String,
    school_name: String,
    township: String,
    on_roll: i64,
    letters_signed: i64,
    letter_rate: f64,
    ten_haves_done: usize,
}

#[derive(Serialize, JsonSchema)]
pub struct Coverage {
    year: i32,
    townships: Vec<TownshipRates>,
    schools: Vec<SchoolRates>,
}

pub async fn coverage(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult<Coverage> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let (c, schools) = service::coverage_by_level(
        &state.db,
        &a.scope,
        year,
        service::until_of(year, state.clock.today()),
    )
    .await?;
    let townships = c
        .into_iter()
        .map(|t| TownshipRates {
            equipped_rate: t.equipped_rate(),
            patrol_rate: t.patrol_rate(),
            letter_rate: t.letter_rate(),
            township: t.township_code,
            township_name: t.township_name,
            dangerous_waters: t.dangerous_waters,
            equipped_waters: t.equipped_waters,
            patrol_required: t.patrol_required,
            patrol_compliant: t.patrol_compliant,
            on_roll: t.on_roll,
            letters_signed: t.signed,
        })
        .collect();
    let schools = schools
        .into_iter()
        .map(|s| SchoolRates {
            letter_rate: s.letter_rate(),
            school: s.school_code,
            school_name: s.school_name,
            township: s.township_code,
            on_roll: s.on_roll,
            letters_signed: s.signed,
            ten_haves_done: s.ten_haves_done,
        })
        .collect();
    Ok(Json(Coverage {
        year,
        townships,
        schools,
    }))
}

#[derive(Deserialize, Default)]
pub struct HazardParams {
    status: Option<String>,
    grade: Option<String>,
    category: Option<String>,
    school: Option<String>,
    overdue: Option<bool>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn hazards(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<HazardParams>,
) -> ApiResult<Page<HazardRow>> {
    let a = caller.account()?;
    let q = HazardQuery {
        status: p.status,
        grade: p.grade,
        category: p.category,
        school: p.school,
        overdue_on: p
            .overdue
            .unwrap_or(false)
            .then(|| state.clock.today().to_string()),
        from: p.from,
        to: p.to,
        q: p.q,
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(50).clamp(1, 500),
        ..HazardQuery::default()
    };
    Ok(Json(queries::hazards(&state.db, a, &q).await?))
}

/// A hazard with its evidence files and whether it is past its deadline.
#[derive(Serialize, JsonSchema)]
pub struct Hazard {
    hazard: HazardRow,
    overdue: bool,
    evidence: Vec<EvidenceRow>,
}

pub async fn hazard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult<Hazard> {
    let a = caller.account()?;
    let hazard = service::visible_hazard(&state.db, a, id).await?;
    let evidence = queries::hazard_evidence(&state.db, &hazard).await?;
    let overdue = service::overdue(&hazard, state.clock.today());
    Ok(Json(Hazard {
        hazard,
        overdue,
        evidence,
    }))
}

pub async fn record(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(form): ApiJson<service::HazardForm>,
) -> ApiResult<Hazard> {
    let a = caller.account()?;
    let id =
        service::record_hazard(&state.db, a, &form, &caller.source, state.clock.today()).await?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn assign(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: JsonBody<service::AssignForm>,
) -> ApiResult<Hazard> {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form = body.parse()?;
    service::assign(&state.db, a, id, &form, &caller.source).await?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn rectify(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: JsonBody<service::RectifyForm>,
) -> ApiResult<Hazard> {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form = body.parse()?;
    service::rectify(&state.db, a, id, &form, None, &caller.source).await?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn close(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: JsonBody<service::ReviewForm>,
) -> ApiResult<Hazard> {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form = body.parse()?;
    service::close(&state.db, a, id, &form, &caller.source, state.clock.today()).await?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn send_back(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: JsonBody<service::ReviewForm>,
) -> ApiResult<Hazard> {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form = body.parse()?;
    service::send_back(&state.db, a, id, &form, &caller.source).await?;
    hazard(State(state), Extension(caller), Path(id)).await
}

/// A water with whether it is dangerous and what of its measures is missing.
#[derive(Serialize, JsonSchema)]
pub struct WaterItem {
    water: WaterRow,
    dangerous: bool,
    complete: bool,
    /// What is missing of 一牌一杆一圈一绳 (empty when complete).
    missing: Vec<&'static str>,
}

#[derive(Serialize, JsonSchema)]
pub struct Waters {
    items: Vec<WaterItem>,
    total: usize,
}

pub async fn waters(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Waters> {
    let a = caller.account()?;
    let items: Vec<WaterItem> = queries::waters(&state.db, a)
        .await?
        .into_iter()
        .map(|water| WaterItem {
            dangerous: emis_domain::safety::drowning::is_dangerous(&water.risk),
            complete: water.measures.complete(),
            missing: water.measures.missing(),
            water,
        })
        .collect();
    Ok(Json(Waters {
        total: items.len(),
        items,
    }))
}

/// A 九长 link of a water (phone masked).
#[derive(Serialize, JsonSchema)]
pub struct WaterLink {
    level: String,
    village: Option<String>,
    role: String,
    person: String,
    phone: String,
}

/// A water with its 九长.
#[derive(Serialize, JsonSchema)]
pub struct Water {
    water: WaterRow,
    complete: bool,
    chain: Vec<WaterLink>,
}

pub async fn water(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult<Water> {
    let a = caller.account()?;
    let water = service::visible_water(&state.db, a, id).await?;
    let chain = queries::water_chain(&state.db, a, &water)
        .await?
        .into_iter()
        .map(|c| WaterLink {
            phone: mask_phone(&c.phone),
            level: c.level,
            village: c.village,
            role: c.role,
            person: c.person,
        })
        .collect();
    Ok(Json(Water {
        complete: water.measures.complete(),
        water,
        chain,
    }))
}

/// The summer patrol check of a year: the days with at least two patrols of the required.
#[derive(Serialize, JsonSchema)]
pub struct Patrols {
    year: i32,
    required: u32,
    compliant: u32,
    rate: f64,
    missing: Vec<emis_domain::safety::drowning::MissingPatrol>,
}

pub async fn patrols(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult<Patrols> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let (_, check) = service::patrol_check(
        &state.db,
        &a.scope,
        year,
        service::until_of(year, state.clock.today()),
    )
    .await?;
    Ok(Json(Patrols {
        year,
        required: check.required_days,
        compliant: check.compliant_days,
        rate: check.rate(),
        missing: check.missing,
    }))
}

pub async fn record_patrol(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(form): ApiJson<service::PatrolForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    service::record_patrol(&state.db, a, &form, &caller.source).await?;
    Ok(Json(Done { ok: true }))
}

pub async fn sign_letter(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(mut form): ApiJson<service::LetterForm>,
) -> ApiResult<Done> {
    let a = caller.account()?;
    if form.year == 0 {
        form.year = service::default_year(&state.db, a.county(), state.clock.today()).await?;
    }
    service::sign_letter(&state.db, a, &form, &caller.source).await?;
    Ok(Json(Done { ok: true }))
}

// ---------------------------------------------------------------- writes beyond the hazard workflow

/// A multipart body's text fields and its file, refused next to `file` when there is none.
async fn multipart_with_file(
    state: &AppState,
    request: axum::extract::Request,
) -> Result<(Vec<(String, String)>, (String, Vec<u8>)), ApiError> {
    let (fields, file) = crate::pages::safety::read_multipart(state, request)
        .await
        .map_err(ApiError)?;
    let file = file.ok_or_else(|| {
        ApiError::from(emis_app::AppError::Invalid {
            field: "file",
            message: "请选择要上传的照片或 PDF".into(),
        })
    })?;
    Ok((fields, file))
}

/// A hazard photo or PDF (multipart: `file`, optional `stage` 发现 / 整改); size and type
/// are checked by content.
pub async fn upload_evidence(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    request: axum::extract::Request,
) -> ApiResult<EvidenceAdded> {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let (fields, (name, bytes)) = multipart_with_file(&state, request).await?;
    let stage = crate::pages::safety::value(&fields, "stage");
    let upload = service::Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let evidence = service::add_evidence(&state.db, a, id, &stage, &upload, &caller.source).await?;
    let Json(hazard) = hazard(State(state), Extension(caller), Path(id)).await?;
    Ok(Json(EvidenceAdded {
        hazard,
        evidence_id: evidence,
    }))
}

/// The hazard with the new evidence file's id.
#[derive(Serialize, JsonSchema)]
pub struct EvidenceAdded {
    #[serde(flatten)]
    hazard: Hazard,
    evidence_id: i64,
}

pub async fn add_water(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(form): ApiJson<service::WaterForm>,
) -> ApiResult<Water> {
    let a = caller.account()?;
    let id = service::add_water(&state.db, a, &form, &caller.source).await?;
    water(State(state), Extension(caller), Path(id)).await
}

/// Measures as JSON flags: `{"risk": "高", "sign": true, "pole": true, …}`.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct MeasuresBody {
    risk: String,
    sign: bool,
    pole: bool,
    ring: bool,
    rope: bool,
    rail: bool,
    backfilled: bool,
    closed: bool,
}

impl MeasuresBody {
    fn form(&self) -> service::MeasuresForm {
        let flag = |on: bool| on.then(|| "1".to_string());
        service::MeasuresForm {
            risk: self.risk.clone(),
            sign: flag(self.sign),
            pole: flag(self.pole),
            ring: flag(self.ring),
            rope: flag(self.rope),
            rail: flag(self.rail),
            backfilled: flag(self.backfilled),
            closed: flag(self.closed),
        }
    }
}

pub async fn save_measures(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: JsonBody<MeasuresBody>,
) -> ApiResult<Water> {
    let a = caller.account()?;
    service::visible_water(&state.db, a, id).await?;
    let form = body.parse()?;
    service::save_measures(&state.db, a, id, &form.form(), &caller.source).await?;
    water(State(state), Extension(caller), Path(id)).await
}

/// A 九长 link (phone masked); `keeps`: the account may edit it and see the phone.
#[derive(Serialize, JsonSchema)]
pub struct Link {
    id: i64,
    level: String,
    township: String,
    water_id: Option<i64>,
    village: Option<String>,
    school: Option<String>,
    class: Option<String>,
    role: String,
    person: String,
    phone: String,
    keeps: bool,
}

impl Link {
    fn of(a: &emis_app::auth::Account, c: queries::ChainRow) -> Link {
        Link {
            keeps: service::chain::keeps(a, &c),
            phone: mask_phone(&c.phone),
            id: c.id,
            level: c.level,
            township: c.township_code,
            water_id: c.water_id,
            village: c.village,
            school: c.school_code,
            class: c.class_label,
            role: c.role,
            person: c.person,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct Links {
    total: usize,
    items: Vec<Link>,
}

#[derive(Deserialize, Default)]
pub struct LevelParams {
    level: Option<String>,
}

/// The 九长 links the account sees (phones masked).
pub async fn chain(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<LevelParams>,
) -> ApiResult<Links> {
    let a = caller.account()?;
    let links = service::chain::links(&state.db, a, p.level.as_deref()).await?;
    let items: Vec<Link> = links.into_iter().map(|c| Link::of(a, c)).collect();
    Ok(Json(Links {
        total: items.len(),
        items,
    }))
}

/// A new link: the target (`level` 水域 / 村 / 学校 / 班级 with `water`, `township` and
/// `village`, `school`, `grade` and `class_number`) and the person (`role`, `person`, `phone`).
#[derive(Deserialize, JsonSchema)]
pub struct LinkBody {
    #[serde(flatten)]
    target: service::chain::TargetForm,
    #[serde(flatten)]
    person: service::ChainForm,
}

#[derive(Serialize, JsonSchema)]
pub struct LinkReply {
    link: Link,
}

async fn link_reply(
    state: &AppState,
    a: &emis_app::auth::Account,
    id: i64,
) -> ApiResult<LinkReply> {
    let link = service::chain::visible_link(&state.db, a, id).await?;
    Ok(Json(LinkReply {
        link: Link::of(a, link),
    }))
}

pub async fn add_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<LinkBody>,
) -> ApiResult<LinkReply> {
    let a = caller.account()?;
    let id = service::chain::add_link(&state.db, a, &b.target, &b.person, &caller.source).await?;
    link_reply(&state, a, id).await
}

pub async fn edit_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: JsonBody<service::ChainForm>,
) -> ApiResult<LinkReply> {
    let a = caller.account()?;
    service::chain::visible_link(&state.db, a, id).await?;
    let form = body.parse()?;
    service::chain::edit_link(&state.db, a, id, &form, &caller.source).await?;
    link_reply(&state, a, id).await
}

pub async fn remove_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult<LinkRemoved> {
    let a = caller.account()?;
    let link = service::chain::remove_link(&state.db, a, id, &caller.source).await?;
    Ok(Json(LinkRemoved {
        removed: Link::of(a, link),
    }))
}

#[derive(Serialize, JsonSchema)]
pub struct LinkRemoved {
    removed: Link,
}

/// A link's full phone.
#[derive(Serialize, JsonSchema)]
pub struct LinkPhone {
    id: i64,
    person: String,
    phone: String,
}

/// The full phone of a link (audited), for those who keep it.
pub async fn reveal_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult<LinkPhone> {
    let a = caller.account()?;
    let link = service::chain::reveal_phone(&state.db, a, id, &caller.source).await?;
    Ok(Json(LinkPhone {
        id: link.id,
        person: link.person,
        phone: link.phone,
    }))
}

/// A roster shift (phone masked).
#[derive(Serialize, JsonSchema)]
pub struct Shift {
    id: i64,
    water_id: i64,
    patroller: String,
    phone: String,
    slot: String,
    from_day: String,
    to_day: String,
}

impl Shift {
    fn of(r: queries::RosterRow) -> Shift {
        Shift {
            phone: mask_phone(&r.phone),
            id: r.id,
            water_id: r.water_id,
            patroller: r.patroller,
            slot: r.slot,
            from_day: r.from_day,
            to_day: r.to_day,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct Roster {
    water_id: i64,
    items: Vec<Shift>,
}

#[derive(Serialize, JsonSchema)]
pub struct ShiftReply {
    shift: Shift,
}

/// A shift removed, and its water.
#[derive(Serialize, JsonSchema)]
pub struct ShiftRemoved {
    removed: i64,
    water_id: i64,
}

/// A water's patrol roster (phones masked).
pub async fn roster(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult<Roster> {
    let a = caller.account()?;
    let w = service::visible_water(&state.db, a, id).await?;
    let items = queries::water_roster(&state.db, a, &w)
        .await?
        .into_iter()
        .map(Shift::of)
        .collect();
    Ok(Json(Roster {
        water_id: w.id,
        items,
    }))
}

pub async fn add_shift(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: JsonBody<service::roster::RosterForm>,
) -> ApiResult<ShiftReply> {
    let a = caller.account()?;
    service::visible_water(&state.db, a, id).await?;
    let form = body.parse()?;
    let shift = service::roster::add_shift(&state.db, a, id, &form, &caller.source).await?;
    let entry = service::roster::visible_entry(&state.db, a, shift).await?;
    Ok(Json(ShiftReply {
        shift: Shift::of(entry),
    }))
}

pub async fn edit_shift(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: JsonBody<service::roster::RosterForm>,
) -> ApiResult<ShiftReply> {
    let a = caller.account()?;
    service::roster::visible_entry(&state.db, a, id).await?;
    let form = body.parse()?;
    service::roster::edit_shift(&state.db, a, id, &form, &caller.source).await?;
    let entry = service::roster::visible_entry(&state.db, a, id).await?;
    Ok(Json(ShiftReply {
        shift: Shift::of(entry),
    }))
}

pub async fn remove_shift(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult<ShiftRemoved> {
    let a = caller.account()?;
    let water = service::roster::remove_shift(&state.db, a, id, &caller.source).await?;
    Ok(Json(ShiftRemoved {
        removed: id,
        water_id: water,
    }))
}

/// The patrol check against the roster: missing patrols with who was due, roster gaps.
#[derive(Serialize, JsonSchema)]
pub struct PatrolReportOfYear {
    year: i32,
    rate: f64,
    report: service::roster::PatrolReport,
}

pub async fn patrol_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult<PatrolReportOfYear> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let r = service::roster::patrol_report(
        &state.db,
        &a.scope,
        year,
        service::until_of(year, state.clock.today()),
    )
    .await?;
    Ok(Json(PatrolReportOfYear {
        year,
        rate: r.compliance.rate(),
        report: r,
    }))
}

/// One 十有 item: `{"year": 2021, "org": "431224104", "item": "工作班子", "done": true,
/// "evidence": "溆政办发〔2021〕12号"}`.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct TenHaveBody {
    year: i32,
    org: String,
    item: String,
    done: bool,
    evidence: String,
}

/// The 十有 items of a year in the scope, and their evidence files.
#[derive(Serialize, JsonSchema)]
pub struct TenHaves {
    year: i32,
    items: Vec<TenHaveRow>,
    files: Vec<TenHaveFile>,
}

pub async fn ten_haves(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult<TenHaves> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let items = queries::ten_haves(&state.db, a, year).await?;
    let files = queries::ten_have_files(&state.db, a, year).await?;
    Ok(Json(TenHaves { year, items, files }))
}

/// A 十有 evidence file's bytes, if its township or school is in the scope (audited).
pub async fn ten_have_file(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Download, ApiError> {
    let a = caller.account()?;
    let (meta, bytes) = service::ten_have_file(&state.db, a, id, &caller.source).await?;
    let ascii_name = format!("ten-have-{id}");
    Ok(Download(crate::pages::safety::file_response(
        &meta.mime,
        &meta.file_name,
        &ascii_name,
        bytes,
    )))
}

/// A 十有 evidence file (multipart: `year`, `org`, `item`, `file`); type and size are
/// checked by content; the reply carries the new file's id.
pub async fn upload_ten_have_file(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    request: axum::extract::Request,
) -> ApiResult<TenHaveFileAdded> {
    let a = caller.account()?;
    let (fields, (name, bytes)) = multipart_with_file(&state, request).await?;
    let field = |k: &str| crate::pages::safety::value(&fields, k);
    let year = year_of(&state, a.county(), field("year").trim().parse().ok()).await?;
    let upload = service::Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let id = service::add_ten_have_file(
        &state.db,
        a,
        year,
        &field("org"),
        &field("item"),
        &upload,
        &caller.source,
    )
    .await?;
    Ok(Json(TenHaveFileAdded {
        ok: true,
        file_id: id,
        year,
    }))
}

#[derive(Serialize, JsonSchema)]
pub struct TenHaveFileAdded {
    ok: bool,
    file_id: i64,
    year: i32,
}

pub async fn set_ten_have(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<TenHaveBody>,
) -> ApiResult<TenHaves> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), (b.year != 0).then_some(b.year)).await?;
    let form = service::TenHaveForm {
        year,
        org: b.org,
        item: b.item,
        done: b.done.then(|| "1".to_string()),
        evidence: b.evidence,
    };
    service::set_ten_have(&state.db, a, &form, &caller.source).await?;
    ten_haves(
        State(state),
        Extension(caller),
        Query(YearParams { year: Some(year) }),
    )
    .await
}

#[derive(Serialize, JsonSchema)]
pub struct Inspections {
    year: i32,
    total: usize,
    items: Vec<InspectionRow>,
}

pub async fn inspections(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult<Inspections> {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let items = queries::inspections(&state.db, a, year, None, 5000).await?;
    Ok(Json(Inspections {
        year,
        total: items.len(),
        items,
    }))
}

/// `{"title": "安全隐患大排查大整治", "planned_on": "2021-06-01", "checklist": ["消防设施", …]}`;
/// an empty checklist takes the county's standard one.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct CampaignBody {
    title: String,
    planned_on: String,
    checklist: Vec<String>,
}

pub async fn schedule_campaign(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<CampaignBody>,
) -> ApiResult<Created> {
    let a = caller.account()?;
    let id = service::schedule_campaign(
        &state.db,
        a,
        &b.title,
        &b.planned_on,
        &b.checklist.join("\n"),
        &caller.source,
    )
    .await?;
    Ok(Json(Created { id }))
}

/// `{"year": 2021, "month": 7}`: the monthly inspection of every school in the scope.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct MonthlyBody {
    year: i32,
    month: u32,
}

pub async fn schedule_monthly(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<MonthlyBody>,
) -> ApiResult<Scheduled> {
    let a = caller.account()?;
    let n = service::schedule_monthly(&state.db, a, b.year, b.month, &caller.source).await?;
    Ok(Json(Scheduled { scheduled: n }))
}

/// How many monthly inspections were scheduled.
#[derive(Serialize, JsonSchema)]
pub struct Scheduled {
    scheduled: usize,
}

/// An inspection or campaign with each school's progress on its checklist.
#[derive(Serialize, JsonSchema)]
pub struct Inspection {
    inspection: InspectionRow,
    schools: Vec<service::checklist::SchoolProgress>,
}

/// An inspection or campaign with each school's progress on its checklist.
pub async fn inspection(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult<Inspection> {
    let a = caller.account()?;
    let inspection = service::checklist::visible_inspection(&state.db, a, id).await?;
    let schools = service::checklist::progress(&state.db, a, &inspection).await?;
    Ok(Json(Inspection {
        inspection,
        schools,
    }))
}

/// `{"school": "…", "items": ["消防设施", …], "checked_on": "2021-06-08", "note": "…"}`.
pub async fn record_checks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: JsonBody<service::checklist::ChecksForm>,
) -> ApiResult<Inspection> {
    let a = caller.account()?;
    service::checklist::visible_inspection(&state.db, a, id).await?;
    let form = body.parse()?;
    service::checklist::record_checks(&state.db, a, id, &form, &caller.source, state.clock.today())
        .await?;
    inspection(State(state), Extension(caller), Path(id)).await
}
