//! 安全管理 JSON API under `/api/v1/safety`: the same services and scope as the pages.
//! Bodies are JSON; a refused step answers 422 with the field and the reason in Chinese.

use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::session::Caller;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use emis_app::safety as service;
use emis_app::safety::queries::{self, HazardQuery};
use emis_domain::identity::mask_phone;
use serde::Deserialize;
use serde_json::{json, Value};

type ApiResult = Result<Json<Value>, ApiError>;

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
) -> ApiResult {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let d = service::dashboard_of_year(&state.db, a, state.clock.today(), year).await?;
    Ok(Json(json!({"year": year, "dashboard": d})))
}

pub async fn coverage(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let (c, schools) = service::coverage_by_level(
        &state.db,
        &a.scope,
        year,
        service::until_of(year, state.clock.today()),
    )
    .await?;
    let rows: Vec<Value> = c
        .iter()
        .map(|t| {
            json!({"township": t.township_code, "township_name": t.township_name,
                "dangerous_waters": t.dangerous_waters, "equipped_waters": t.equipped_waters, "equipped_rate": t.equipped_rate(),
                "patrol_required": t.patrol_required, "patrol_compliant": t.patrol_compliant, "patrol_rate": t.patrol_rate(),
                "on_roll": t.on_roll, "letters_signed": t.signed, "letter_rate": t.letter_rate()})
        })
        .collect();
    let schools: Vec<Value> = schools
        .iter()
        .map(|s| {
            json!({"school": s.school_code, "school_name": s.school_name, "township": s.township_code,
                "on_roll": s.on_roll, "letters_signed": s.signed, "letter_rate": s.letter_rate(),
                "ten_haves_done": s.ten_haves_done})
        })
        .collect();
    Ok(Json(
        json!({"year": year, "townships": rows, "schools": schools}),
    ))
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
) -> ApiResult {
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
    let page = queries::hazards(&state.db, a, &q).await?;
    Ok(Json(json!(page)))
}

pub async fn hazard(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let h = service::visible_hazard(&state.db, a, id).await?;
    let evidence = queries::hazard_evidence(&state.db, &h).await?;
    let overdue = service::overdue(&h, state.clock.today());
    Ok(Json(
        json!({"hazard": h, "overdue": overdue, "evidence": evidence}),
    ))
}

pub async fn record(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(form): ApiJson<service::HazardForm>,
) -> ApiResult {
    let a = caller.account()?;
    let id =
        service::record_hazard(&state.db, a, &form, &caller.source, state.clock.today()).await?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn assign(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form: service::AssignForm = crate::extract::parse(&bytes)?;
    service::assign(&state.db, a, id, &form, &caller.source).await?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn rectify(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form: service::RectifyForm = crate::extract::parse(&bytes)?;
    service::rectify(&state.db, a, id, &form, None, &caller.source).await?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn close(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form: service::ReviewForm = crate::extract::parse(&bytes)?;
    service::close(&state.db, a, id, &form, &caller.source, state.clock.today()).await?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn send_back(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let form: service::ReviewForm = crate::extract::parse(&bytes)?;
    service::send_back(&state.db, a, id, &form, &caller.source).await?;
    hazard(State(state), Extension(caller), Path(id)).await
}

pub async fn waters(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    let a = caller.account()?;
    let waters = queries::waters(&state.db, a).await?;
    let rows: Vec<Value> = waters
        .iter()
        .map(|w| {
            json!({"water": w, "dangerous": emis_domain::safety::drowning::is_dangerous(&w.risk),
                "complete": w.measures.complete(), "missing": w.measures.missing()})
        })
        .collect();
    Ok(Json(json!({"items": rows, "total": rows.len()})))
}

pub async fn water(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let w = service::visible_water(&state.db, a, id).await?;
    let chain: Vec<Value> = queries::water_chain(&state.db, a, &w)
        .await?
        .into_iter()
        .map(|c| json!({"level": c.level, "village": c.village, "role": c.role, "person": c.person, "phone": mask_phone(&c.phone)}))
        .collect();
    Ok(Json(
        json!({"water": w, "complete": w.measures.complete(), "chain": chain}),
    ))
}

pub async fn patrols(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let (_, check) = service::patrol_check(
        &state.db,
        &a.scope,
        year,
        service::until_of(year, state.clock.today()),
    )
    .await?;
    Ok(Json(
        json!({"year": year, "required": check.required_days, "compliant": check.compliant_days,
        "rate": check.rate(), "missing": check.missing}),
    ))
}

pub async fn record_patrol(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(form): ApiJson<service::PatrolForm>,
) -> ApiResult {
    let a = caller.account()?;
    service::record_patrol(&state.db, a, &form, &caller.source).await?;
    Ok(Json(json!({"ok": true})))
}

pub async fn sign_letter(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(mut form): ApiJson<service::LetterForm>,
) -> ApiResult {
    let a = caller.account()?;
    if form.year == 0 {
        form.year = service::default_year(&state.db, a.county(), state.clock.today()).await?;
    }
    service::sign_letter(&state.db, a, &form, &caller.source).await?;
    Ok(Json(json!({"ok": true})))
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
) -> ApiResult {
    let a = caller.account()?;
    service::visible_hazard(&state.db, a, id).await?;
    let (fields, (name, bytes)) = multipart_with_file(&state, request).await?;
    let stage = crate::pages::safety::value(&fields, "stage");
    let upload = service::Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let evidence = service::add_evidence(&state.db, a, id, &stage, &upload, &caller.source).await?;
    let mut reply = hazard(State(state), Extension(caller), Path(id)).await?;
    reply.0["evidence_id"] = json!(evidence);
    Ok(reply)
}

pub async fn add_water(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(form): ApiJson<service::WaterForm>,
) -> ApiResult {
    let a = caller.account()?;
    let id = service::add_water(&state.db, a, &form, &caller.source).await?;
    water(State(state), Extension(caller), Path(id)).await
}

/// Measures as JSON flags: `{"risk": "高", "sign": true, "pole": true, …}`.
#[derive(Deserialize, Default)]
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
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::visible_water(&state.db, a, id).await?;
    let form: MeasuresBody = crate::extract::parse(&bytes)?;
    service::save_measures(&state.db, a, id, &form.form(), &caller.source).await?;
    water(State(state), Extension(caller), Path(id)).await
}

fn link_json(a: &emis_app::auth::Account, c: &queries::ChainRow) -> Value {
    json!({"id": c.id, "level": c.level, "township": c.township_code, "water_id": c.water_id,
        "village": c.village, "school": c.school_code, "class": c.class_label, "role": c.role,
        "person": c.person, "phone": mask_phone(&c.phone), "keeps": service::chain::keeps(a, c)})
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
) -> ApiResult {
    let a = caller.account()?;
    let links = service::chain::links(&state.db, a, p.level.as_deref()).await?;
    let items: Vec<Value> = links.iter().map(|c| link_json(a, c)).collect();
    Ok(Json(json!({"total": items.len(), "items": items})))
}

/// A new link: the target (`level` 水域 / 村 / 学校 / 班级 with `water`, `township` and
/// `village`, `school`, `grade` and `class_number`) and the person (`role`, `person`, `phone`).
#[derive(Deserialize)]
pub struct LinkBody {
    #[serde(flatten)]
    target: service::chain::TargetForm,
    #[serde(flatten)]
    person: service::ChainForm,
}

async fn link_reply(state: &AppState, a: &emis_app::auth::Account, id: i64) -> ApiResult {
    let link = service::chain::visible_link(&state.db, a, id).await?;
    Ok(Json(json!({"link": link_json(a, &link)})))
}

pub async fn add_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<LinkBody>,
) -> ApiResult {
    let a = caller.account()?;
    let id = service::chain::add_link(&state.db, a, &b.target, &b.person, &caller.source).await?;
    link_reply(&state, a, id).await
}

pub async fn edit_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::chain::visible_link(&state.db, a, id).await?;
    let form: service::ChainForm = crate::extract::parse(&bytes)?;
    service::chain::edit_link(&state.db, a, id, &form, &caller.source).await?;
    link_reply(&state, a, id).await
}

pub async fn remove_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let link = service::chain::remove_link(&state.db, a, id, &caller.source).await?;
    Ok(Json(json!({"removed": link_json(a, &link)})))
}

/// The full phone of a link (audited), for those who keep it.
pub async fn reveal_link(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let link = service::chain::reveal_phone(&state.db, a, id, &caller.source).await?;
    Ok(Json(
        json!({"id": link.id, "person": link.person, "phone": link.phone}),
    ))
}

fn shift_json(r: &queries::RosterRow) -> Value {
    json!({"id": r.id, "water_id": r.water_id, "patroller": r.patroller, "phone": mask_phone(&r.phone),
        "slot": r.slot, "from_day": r.from_day, "to_day": r.to_day})
}

/// A water's patrol roster (phones masked).
pub async fn roster(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let w = service::visible_water(&state.db, a, id).await?;
    let items: Vec<Value> = queries::water_roster(&state.db, a, &w)
        .await?
        .iter()
        .map(shift_json)
        .collect();
    Ok(Json(json!({"water_id": w.id, "items": items})))
}

pub async fn add_shift(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::visible_water(&state.db, a, id).await?;
    let form: service::roster::RosterForm = crate::extract::parse(&bytes)?;
    let shift = service::roster::add_shift(&state.db, a, id, &form, &caller.source).await?;
    let entry = service::roster::visible_entry(&state.db, a, shift).await?;
    Ok(Json(json!({"shift": shift_json(&entry)})))
}

pub async fn edit_shift(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::roster::visible_entry(&state.db, a, id).await?;
    let form: service::roster::RosterForm = crate::extract::parse(&bytes)?;
    service::roster::edit_shift(&state.db, a, id, &form, &caller.source).await?;
    let entry = service::roster::visible_entry(&state.db, a, id).await?;
    Ok(Json(json!({"shift": shift_json(&entry)})))
}

pub async fn remove_shift(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let water = service::roster::remove_shift(&state.db, a, id, &caller.source).await?;
    Ok(Json(json!({"removed": id, "water_id": water})))
}

/// The patrol check against the roster: missing patrols with who was due, roster gaps.
pub async fn patrol_report(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let r = service::roster::patrol_report(
        &state.db,
        &a.scope,
        year,
        service::until_of(year, state.clock.today()),
    )
    .await?;
    Ok(Json(
        json!({"year": year, "rate": r.compliance.rate(), "report": r}),
    ))
}

/// One 十有 item: `{"year": 2021, "org": "431224104", "item": "工作班子", "done": true,
/// "evidence": "溆政办发〔2021〕12号"}`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TenHaveBody {
    year: i32,
    org: String,
    item: String,
    done: bool,
    evidence: String,
}

pub async fn ten_haves(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let items = queries::ten_haves(&state.db, a, year).await?;
    let files = queries::ten_have_files(&state.db, a, year).await?;
    Ok(Json(json!({"year": year, "items": items, "files": files})))
}

/// A 十有 evidence file's bytes, if its township or school is in the scope (audited).
pub async fn ten_have_file(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    let a = caller.account()?;
    let (meta, bytes) = service::ten_have_file(&state.db, a, id, &caller.source).await?;
    let ascii_name = format!("ten-have-{id}");
    Ok(crate::pages::safety::file_response(
        &meta.mime,
        &meta.file_name,
        &ascii_name,
        bytes,
    ))
}

/// A 十有 evidence file (multipart: `year`, `org`, `item`, `file`); type and size are
/// checked by content; the reply carries the new file's id.
pub async fn upload_ten_have_file(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    request: axum::extract::Request,
) -> ApiResult {
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
    Ok(Json(json!({"ok": true, "file_id": id, "year": year})))
}

pub async fn set_ten_have(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<TenHaveBody>,
) -> ApiResult {
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

pub async fn inspections(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<YearParams>,
) -> ApiResult {
    let a = caller.account()?;
    let year = year_of(&state, a.county(), p.year).await?;
    let items = queries::inspections(&state.db, a, year, None, 5000).await?;
    Ok(Json(
        json!({"year": year, "total": items.len(), "items": items}),
    ))
}

/// `{"title": "安全隐患大排查大整治", "planned_on": "2021-06-01", "checklist": ["消防设施", …]}`;
/// an empty checklist takes the county's standard one.
#[derive(Deserialize, Default)]
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
) -> ApiResult {
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
    Ok(Json(json!({"id": id})))
}

/// `{"year": 2021, "month": 7}`: the monthly inspection of every school in the scope.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MonthlyBody {
    year: i32,
    month: u32,
}

pub async fn schedule_monthly(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(b): ApiJson<MonthlyBody>,
) -> ApiResult {
    let a = caller.account()?;
    let n = service::schedule_monthly(&state.db, a, b.year, b.month, &caller.source).await?;
    Ok(Json(json!({"scheduled": n})))
}

/// An inspection or campaign with each school's progress on its checklist.
pub async fn inspection(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> ApiResult {
    let a = caller.account()?;
    let i = service::checklist::visible_inspection(&state.db, a, id).await?;
    let progress = service::checklist::progress(&state.db, a, &i).await?;
    Ok(Json(json!({"inspection": i, "schools": progress})))
}

/// `{"school": "…", "items": ["消防设施", …], "checked_on": "2021-06-08", "note": "…"}`.
pub async fn record_checks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> ApiResult {
    let a = caller.account()?;
    service::checklist::visible_inspection(&state.db, a, id).await?;
    let form: service::checklist::ChecksForm = crate::extract::parse(&bytes)?;
    service::checklist::record_checks(&state.db, a, id, &form, &caller.source, state.clock.today())
        .await?;
    inspection(State(state), Extension(caller), Path(id)).await
}
