//! 机构、学校、班级、教职工 pages.

use super::{nonempty, pick_term, terms};
use crate::error::PageResult;
use crate::page::{render, sort_link, Chrome, Pager};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use emis_app::registry::queries::{
    self as lists, ClassRow, Masked, SchoolQuery, SchoolRow, StaffRow,
};
use emis_app::AppError;
use emis_domain::class_size::{Band, ClassSizeRules};
use emis_domain::registry::SchoolType;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "orgs.html")]
struct OrgsPage {
    chrome: Chrome,
    townships: Vec<(String, String, i64)>,
}

pub async fn orgs(Ctx { state, caller }: Ctx) -> PageResult {
    let account = caller.account()?;
    let mut townships = Vec::new();
    for (code, name) in lists::townships(&state.db, account).await? {
        let q = SchoolQuery {
            township: Some(code.clone()),
            page: 1,
            per_page: 1,
            ..Default::default()
        };
        let n = lists::schools(&state.db, account, &q).await?.total;
        townships.push((name, code, n));
    }
    let chrome = Chrome::new(&caller, "机构", "orgs", &[("机构", "/orgs")])?;
    Ok(render(&OrgsPage { chrome, townships })?.into_response())
}

#[derive(Deserialize, Default)]
pub struct SchoolsQuery {
    q: Option<String>,
    township: Option<String>,
    #[serde(rename = "type")]
    school_type: Option<String>,
    sort: Option<String>,
    desc: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "schools.html")]
struct SchoolsPage {
    chrome: Chrome,
    rows: Vec<SchoolRow>,
    pager: Pager,
    q: String,
    township: String,
    school_type: String,
    townships: Vec<(String, String)>,
    types: Vec<&'static str>,
    sort_code: String,
    sort_name: String,
    sort_type: String,
    sort_township: String,
}

pub async fn schools(Ctx { state, caller }: Ctx, Query(p): Query<SchoolsQuery>) -> PageResult {
    let account = caller.account()?;
    let terms = terms(&state).await?;
    let (term, _) = pick_term(&terms, None);
    let desc = p.desc.as_deref() == Some("1");
    let query = SchoolQuery {
        q: nonempty(&p.q),
        township: nonempty(&p.township),
        school_type: nonempty(&p.school_type),
        sort: nonempty(&p.sort),
        desc,
        page: p.page.unwrap_or(1),
        per_page: 50,
        term,
    };
    let page = lists::schools(&state.db, account, &query).await?;
    let params = [
        ("q", p.q.clone().unwrap_or_default()),
        ("township", p.township.clone().unwrap_or_default()),
        ("type", p.school_type.clone().unwrap_or_default()),
        ("sort", p.sort.clone().unwrap_or_default()),
        ("desc", p.desc.clone().unwrap_or_default()),
    ];
    let sort = |c: &str| sort_link("/schools", &params, c, p.sort.as_deref(), desc);
    let pager = Pager::new("/schools", &params, page.page, page.pages(), page.total);
    let chrome = Chrome::new(
        &caller,
        "学校",
        "schools",
        &[("学籍管理", "/schools"), ("学校", "/schools")],
    )?;
    Ok(render(&SchoolsPage {
        chrome,
        sort_code: sort("code"),
        sort_name: sort("name"),
        sort_type: sort("type"),
        sort_township: sort("township"),
        rows: page.items,
        pager,
        q: p.q.unwrap_or_default(),
        township: p.township.unwrap_or_default(),
        school_type: p.school_type.unwrap_or_default(),
        townships: lists::townships(&state.db, account).await?,
        types: SchoolType::ALL.iter().map(|t| t.label()).collect(),
    })?
    .into_response())
}

fn band_of(rules: &ClassSizeRules, c: &ClassRow) -> (&'static str, &'static str) {
    match rules.band_of(c.grade, u32::try_from(c.size).unwrap_or(0)) {
        Band::Oversize => ("oversize", "超大班额"),
        Band::Large => ("large", "大班额"),
        Band::Big => ("", "偏大班额"),
        Band::Normal => ("", ""),
    }
}

#[derive(Template)]
#[template(path = "school.html")]
struct SchoolPage {
    chrome: Chrome,
    school: SchoolRow,
    term_label: String,
    classes: Vec<(ClassRow, &'static str, &'static str)>,
    /// The school's building projects (for the roles that read whole schools).
    projects: Vec<emis_app::projects::ProjectRow>,
    /// 曾用名, the latest first.
    former_names: Vec<emis_app::registry::former_names::FormerNameRow>,
}

pub async fn school(Ctx { state, caller }: Ctx, Path(code): Path<String>) -> PageResult {
    let account = caller.account()?;
    let terms = terms(&state).await?;
    let (term, term_label) = pick_term(&terms, None);
    let school = lists::school(&state.db, account, &code, &term)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = ClassSizeRules::default();
    let classes = lists::classes(&state.db, account, &term, Some(&code), None)
        .await?
        .into_iter()
        .map(|c| {
            let (class, label) = band_of(&rules, &c);
            (c, class, label)
        })
        .collect();
    let title = school.name.clone();
    let href = format!("/schools/{}", school.code);
    let chrome = Chrome::new(
        &caller,
        &title,
        "schools",
        &[("学校", "/schools"), (&title, &href)],
    )?;
    let projects = if account
        .role
        .permits(emis_domain::access::Permission::WholeSchoolReads)
    {
        emis_app::projects::of_school(&state.db, account, &school.code).await?
    } else {
        Vec::new()
    };
    let former_names =
        emis_app::registry::former_names::of_school(&state.db, account, &school.code).await?;
    Ok(render(&SchoolPage {
        chrome,
        school,
        term_label,
        classes,
        projects,
        former_names,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct ClassesQuery {
    term: Option<String>,
    min: Option<String>,
}

#[derive(Template)]
#[template(path = "classes.html")]
struct ClassesPage {
    chrome: Chrome,
    rows: Vec<(ClassRow, &'static str, &'static str)>,
    terms: Vec<(String, String)>,
    term: String,
    min: String,
    shown: usize,
    truncated: bool,
}

/// How many classes one page lists; the filters narrow the rest.
const CLASSES_SHOWN: usize = 1000;

pub async fn classes(Ctx { state, caller }: Ctx, Query(p): Query<ClassesQuery>) -> PageResult {
    let account = caller.account()?;
    let terms = terms(&state).await?;
    let (term, _) = pick_term(&terms, p.term.as_deref());
    let min: Option<i64> = p.min.as_deref().and_then(|m| m.parse().ok());
    let rules = ClassSizeRules::default();
    let mut rows: Vec<(ClassRow, &'static str, &'static str)> =
        lists::classes(&state.db, account, &term, None, min)
            .await?
            .into_iter()
            .map(|c| {
                let (class, label) = band_of(&rules, &c);
                (c, class, label)
            })
            .collect();
    if min.is_some() {
        rows.sort_by_key(|r| std::cmp::Reverse(r.0.size));
    }
    let chrome = Chrome::new(
        &caller,
        "班级",
        "classes",
        &[("学籍管理", "/schools"), ("班级", "/classes")],
    )?;
    let truncated = rows.len() > CLASSES_SHOWN;
    Ok(render(&ClassesPage {
        chrome,
        rows,
        terms,
        term,
        min: p.min.unwrap_or_default(),
        shown: CLASSES_SHOWN,
        truncated,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct StaffQuery {
    q: Option<String>,
    school: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "staff.html")]
struct StaffPage {
    chrome: Chrome,
    rows: Vec<Masked<StaffRow>>,
    pager: Pager,
    q: String,
    school: String,
}

pub async fn staff(Ctx { state, caller }: Ctx, Query(p): Query<StaffQuery>) -> PageResult {
    let account = caller.account()?;
    let page = lists::staff(
        &state.db,
        account,
        nonempty(&p.q).as_deref(),
        nonempty(&p.school).as_deref(),
        p.page.unwrap_or(1),
        50,
    )
    .await?;
    let params = [
        ("q", p.q.clone().unwrap_or_default()),
        ("school", p.school.clone().unwrap_or_default()),
    ];
    let pager = Pager::new("/staff", &params, page.page, page.pages(), page.total);
    let chrome = Chrome::new(
        &caller,
        "教职工",
        "staff",
        &[("学籍管理", "/schools"), ("教职工", "/staff")],
    )?;
    Ok(render(&StaffPage {
        chrome,
        rows: page.items,
        pager,
        q: p.q.unwrap_or_default(),
        school: p.school.unwrap_or_default(),
    })?
    .into_response())
}
