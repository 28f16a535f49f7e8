//! 十有: the measures of townships and schools (the list component: one row per township or
//! school with its ten, filtered, sorted, paged and exported in SQL), and their evidence files.

use super::{crumbs, file_response, read_multipart, value};
use crate::error::PageError;
use crate::error::PageResult;
use crate::form::{Round, SplitRefusal};
use crate::list::{rows_of, Choices, Filter, List, Paging};
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, Request};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::registry::FieldError;
use emis_app::safety::queries;
use emis_app::safety::{self as service};
use emis_app::AppError;
use emis_domain::access::Permission;
use emis_domain::safety::drowning;
use serde::Deserialize;

pub struct TenHaveOrg {
    pub code: String,
    pub name: String,
    pub kind: String,
    /// The ten in their order: (item, in place, evidence).
    pub items: Vec<(String, bool, String)>,
    pub done: i64,
}

/// The columns the list sorts by.
const TEN_HAVE_SORTS: &[&str] = &["org", "name", "done"];

/// 类型 and 落实情况: (value, label).
const ORG_KINDS: &[(&str, &str)] = &[("township", "乡镇"), ("school", "学校")];
const TEN_HAVE_STATES: &[(&str, &str)] = &[("open", "未全部落实"), ("done", "已全部落实")];

/// The list's request: the year, the filters and the paging (all text: a bad year falls
/// back to the current one instead of refusing the page).
#[derive(Deserialize, Default, Clone)]
pub struct TenHavesQuery {
    year: Option<String>,
    township: Option<String>,
    school: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

impl TenHavesQuery {
    /// The list of a year, unfiltered (after a form was sent).
    fn of_year(year: i32) -> TenHavesQuery {
        TenHavesQuery {
            year: Some(year.to_string()),
            ..TenHavesQuery::default()
        }
    }
}

#[derive(Template)]
#[template(path = "safety_ten_haves.html")]
struct TenHavesPage {
    chrome: Chrome,
    year: i32,
    orgs: Vec<TenHaveOrg>,
    items: Vec<&'static str>,
    /// The org units the account keeps 十有 for: its township(s), then their schools.
    choices: Vec<(String, String)>,
    /// Uploaded evidence files of the listed org units: (file id, org name, item, file name).
    files: Vec<(i64, String, String, String)>,
    can_record: bool,
    error_field: String,
    error: String,
    list: List,
}

fn kind_label(kind: &str) -> &'static str {
    if kind == "township" {
        "乡镇"
    } else {
        "学校"
    }
}

fn labelled(options: &[(&str, &str)]) -> Vec<(String, String)> {
    options
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// The storage query and the list's filters of a request.
async fn ten_have_query(
    state: &AppState,
    account: &emis_app::auth::Account,
    q: &TenHavesQuery,
) -> Result<(queries::TenHaveQuery, Vec<Filter>), AppError> {
    let year = match q.year.as_deref().and_then(|y| y.trim().parse().ok()) {
        Some(y) => y,
        None => service::default_year(&state.db, account.county(), state.clock.today()).await?,
    };
    let choices = Choices::of(state, account).await?;
    let place = choices.place(account, q.township.as_deref(), q.school.as_deref());
    let pick = |value: &Option<String>, options: &[(&str, &str)]| {
        value
            .as_deref()
            .filter(|v| options.iter().any(|(o, _)| o == v))
            .map(str::to_string)
    };
    let kind = pick(&q.kind, ORG_KINDS);
    let status = pick(&q.state, TEN_HAVE_STATES);
    let mut filters = vec![Filter::text("year", "年度", &year.to_string(), "")];
    let school_account = place.pickers.is_empty();
    filters.extend(place.pickers);
    if !school_account {
        filters.push(Filter::select(
            "kind",
            "类型",
            kind.as_deref().unwrap_or_default(),
            "全部",
            labelled(ORG_KINDS),
        ));
    }
    filters.push(Filter::select(
        "state",
        "落实情况",
        status.as_deref().unwrap_or_default(),
        "全部",
        labelled(TEN_HAVE_STATES),
    ));
    let query = queries::TenHaveQuery {
        year,
        township: place.township.code,
        school: place.school.code,
        kind,
        state: status,
        sort: q.paging.sort(TEN_HAVE_SORTS),
        desc: q.paging.desc(),
        page: q.paging.page(),
        per_page: q.paging.size(),
    };
    Ok((query, filters))
}

/// The org units of a page with their ten in order (an item never recorded is not in place).
async fn with_items(
    state: &AppState,
    account: &emis_app::auth::Account,
    year: i32,
    shown: Vec<queries::TenHaveOrgRow>,
) -> Result<Vec<TenHaveOrg>, AppError> {
    let entries = queries::ten_have_items(&state.db, account, year, &shown).await?;
    Ok(shown
        .into_iter()
        .map(|o| {
            let items = drowning::TEN_HAVES
                .iter()
                .map(|item| {
                    entries
                        .iter()
                        .find(|e| e.org_code == o.org_code && e.item == *item)
                        .map_or_else(
                            || (item.to_string(), false, String::new()),
                            |e| (item.to_string(), e.done, e.evidence.clone()),
                        )
                })
                .collect();
            TenHaveOrg {
                kind: kind_label(&o.org_kind).to_string(),
                code: o.org_code,
                name: o.org_name,
                items,
                done: o.done,
            }
        })
        .collect())
}

async fn ten_haves_page(
    state: &AppState,
    caller: &Caller,
    q: TenHavesQuery,
    mut round: Round<()>,
) -> PageResult {
    let account = caller.account()?;
    let (query, filters) = ten_have_query(state, account, &q).await?;
    let year = query.year;
    let refused = filters.iter().any(|f| !f.error.is_empty());
    let db = &state.db;
    let page = rows_of(refused, query.page, query.per_page, |page| {
        let query = queries::TenHaveQuery {
            page,
            ..query.clone()
        };
        async move { queries::ten_have_orgs(db, account, &query).await }
    })
    .await?;
    let list = List::new(
        "/safety/ten-haves",
        filters,
        &q.paging,
        TEN_HAVE_SORTS,
        page.total,
    )
    .with_export("/safety/ten-haves/export");
    let orgs = with_items(state, account, year, page.items).await?;
    let choices = ten_have_choices(state, account).await?;
    // The evidence files of the org units listed on this page.
    let files = queries::ten_have_files(&state.db, account, year)
        .await?
        .into_iter()
        .filter_map(|f| {
            let org = orgs.iter().find(|o| o.code == f.org_code)?;
            Some((f.id, org.name.clone(), f.item, f.file_name))
        })
        .collect();
    let chrome = Chrome::new(
        caller,
        "防溺水“十有”",
        "ten_haves",
        &[crumbs(), ("十有", "/safety/ten-haves")],
    )?
    .with_flash(round.flash.take());
    let (code, error_field, error) = round.error_parts();
    Ok((
        code,
        render(&TenHavesPage {
            chrome,
            year,
            orgs,
            items: drowning::TEN_HAVES.to_vec(),
            choices,
            files,
            can_record: account.role.permits(Permission::RecordHazards),
            error_field,
            error,
            list,
        })?,
    )
        .into_response())
}

/// Exactly the filtered townships and schools (every page) as a workbook, every column
/// filled: each of the ten as 已落实 or 未落实.
pub async fn ten_haves_export(
    Ctx { state, caller }: Ctx,
    Query(q): Query<TenHavesQuery>,
) -> PageResult {
    let account = caller.account()?;
    let (mut query, filters) = ten_have_query(&state, account, &q).await?;
    if let Some(f) = filters.iter().find(|f| !f.error.is_empty()) {
        return Err(AppError::Refused(f.error.clone()).into());
    }
    query.per_page = 0;
    let year = query.year;
    let page = queries::ten_have_orgs(&state.db, account, &query).await?;
    let county = emis_domain::divisions::county(account.county());
    let townships: Vec<(String, String)> = page
        .items
        .iter()
        .map(|o| {
            let name = county
                .and_then(|c| c.township(&o.township_code))
                .map_or_else(|| o.township_code.clone(), |t| t.name.to_string());
            (o.org_code.clone(), name)
        })
        .collect();
    let orgs = with_items(&state, account, year, page.items).await?;
    let rows = orgs.into_iter().zip(townships).map(|(o, (_, township))| {
        let mut row = vec![
            o.code,
            o.name,
            o.kind,
            township,
            year.to_string(),
            format!("{}/10", o.done),
        ];
        row.extend(
            o.items
                .into_iter()
                .map(|(_, done, _)| if done { "已落实" } else { "未落实" }.to_string()),
        );
        row
    });
    let mut headers = vec!["机构代码", "机构名称", "类型", "所属乡镇", "年度", "已落实"];
    headers.extend(drowning::TEN_HAVES.iter().copied());
    crate::download::sheet(
        "十有",
        &headers,
        rows,
        &format!("ten-haves-{year}.xlsx"),
        &format!("防溺水十有-{year}.xlsx"),
    )
}

/// The townships and schools the account may keep 十有 for (a school: itself).
async fn ten_have_choices(
    state: &AppState,
    account: &emis_app::auth::Account,
) -> Result<Vec<(String, String)>, PageError> {
    let county = emis_domain::divisions::county(account.county());
    let mut out: Vec<(String, String)> = county
        .map(|c| {
            c.townships
                .iter()
                .filter(|t| match &account.scope {
                    emis_domain::access::Scope::County { .. } => true,
                    emis_domain::access::Scope::Township { township, .. } => township == t.code,
                    _ => false,
                })
                .map(|t| (t.code.to_string(), t.name.to_string()))
                .collect()
        })
        .unwrap_or_default();
    out.extend(
        emis_app::registry::queries::schools_in_scope(&state.db, account)
            .await?
            .into_iter()
            .map(|s| (s.code, s.name)),
    );
    Ok(out)
}

pub async fn ten_haves(Ctx { state, caller }: Ctx, Query(q): Query<TenHavesQuery>) -> PageResult {
    ten_haves_page(&state, &caller, q, Round::default()).await
}

pub async fn set_ten_have(
    Ctx { state, caller }: Ctx,
    Form(mut form): Form<service::TenHaveForm>,
) -> PageResult {
    let account = caller.account()?;
    if form.year == 0 {
        form.year = service::default_year(&state.db, account.county(), state.clock.today()).await?;
    }
    let outcome = service::set_ten_have(&state.db, account, &form, &caller.source)
        .await
        .split_refusal()?;
    let round = Round::after(outcome, (), "已保存。");
    ten_haves_page(&state, &caller, TenHavesQuery::of_year(form.year), round).await
}

/// Uploads a 十有 evidence file (multipart: year, org, item, file).
pub async fn ten_have_file_upload(Ctx { state, caller }: Ctx, request: Request) -> PageResult {
    let account = caller.account()?;
    let (fields, file) = read_multipart(&state, request).await.map_err(PageError)?;
    let year = match value(&fields, "year").trim().parse() {
        Ok(y) => y,
        Err(_) => service::default_year(&state.db, account.county(), state.clock.today()).await?,
    };
    let Some((name, bytes)) = file else {
        let missing = FieldError {
            field: "file",
            reason: "请选择要上传的照片或 PDF".into(),
        };
        return ten_haves_page(
            &state,
            &caller,
            TenHavesQuery::of_year(year),
            Round::refused((), missing),
        )
        .await;
    };
    let upload = service::Upload {
        file_name: &name,
        bytes: &bytes,
    };
    let (org, item) = (value(&fields, "org"), value(&fields, "item"));
    let outcome = service::add_ten_have_file(
        &state.db,
        account,
        year,
        &org,
        &item,
        &upload,
        &caller.source,
    )
    .await
    .split_refusal()?;
    let round = Round::after(outcome, (), "佐证材料已上传。");
    ten_haves_page(&state, &caller, TenHavesQuery::of_year(year), round).await
}

/// A 十有 evidence file, if its township or school is in the scope (audited).
pub async fn ten_have_file(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let (meta, bytes) = service::ten_have_file(&state.db, account, id, &caller.source).await?;
    Ok(file_response(
        &meta.mime,
        &meta.file_name,
        &format!("ten-have-{id}"),
        bytes,
    ))
}
