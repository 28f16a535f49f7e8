//! The 九长 responsibility chain of a water.

use crate::api::ApiResult;
use crate::extract::{ApiJson, JsonBody};
use crate::session::Ctx;
use crate::AppState;
use axum::extract::{Path, Query};
use axum::Json;
use emis_app::safety as service;
use emis_app::safety::queries::{self, ChainRow, Masked};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    fn of(a: &emis_app::auth::Account, c: Masked<ChainRow>) -> Link {
        let keeps = service::chain::keeps(a, &c);
        let c = c.into_inner();
        Link {
            keeps,
            phone: c.phone,
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
pub async fn chain(Ctx { state, caller }: Ctx, Query(p): Query<LevelParams>) -> ApiResult<Links> {
    let a = caller.account()?;
    let links = queries::chain_links(&state.db, a, p.level.as_deref()).await?;
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

pub(super) async fn link_reply(
    state: &AppState,
    a: &emis_app::auth::Account,
    id: i64,
) -> ApiResult<LinkReply> {
    let link = queries::chain_link(&state.db, a, id).await?;
    Ok(Json(LinkReply {
        link: Link::of(a, link),
    }))
}

pub async fn add_link(
    Ctx { state, caller }: Ctx,
    ApiJson(b): ApiJson<LinkBody>,
) -> ApiResult<LinkReply> {
    let a = caller.account()?;
    let id = service::chain::add_link(&state.db, a, &b.target, &b.person, &caller.source).await?;
    link_reply(&state, a, id).await
}

pub async fn edit_link(
    Ctx { state, caller }: Ctx,
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
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
) -> ApiResult<LinkRemoved> {
    let a = caller.account()?;
    // The reply shows the link as it was, phone masked.
    let link = queries::chain_link(&state.db, a, id).await?;
    service::chain::remove_link(&state.db, a, id, &caller.source).await?;
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
pub async fn reveal_link(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> ApiResult<LinkPhone> {
    let a = caller.account()?;
    let link = service::chain::reveal_phone(&state.db, a, id, &caller.source).await?;
    Ok(Json(LinkPhone {
        id: link.id,
        person: link.person,
        phone: link.phone,
    }))
}
