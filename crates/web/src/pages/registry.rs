//! 机构、学校、班级、教职工 pages.

use super::{nonempty, pick_term, terms};
use crate::error::PageResult;
use crate::list::{fetch_page, no_rows, resolve, rows_of, Choices, Filter, List, Paging};
use crate::page::{render, Chrome};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use emis_app::registry::queries::{
    self as lists, ClassQuery, ClassRow, Masked, SchoolQuery, SchoolRow, StaffRow, CLASS_SORTS,
};
use emis_app::AppError;
use emis_domain::access::Scope;
use emis_domain::class_size::{Band, ClassSizeRules};
use emis_domain::registry::Grade;
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
    #[serde(flatten)]
    paging: Paging,
}

#[derive(Template)]
#[template(path = "schools.html")]
struct SchoolsPage {
    chrome: Chrome,
    rows: Vec<SchoolRow>,
    list: List,
}

const SCHOOL_SORTS: &[&str] = &["code", "name", "type", "township"];

pub async fn schools(Ctx { state, caller }: Ctx, Query(p): Query<SchoolsQuery>) -> PageResult {
    let account = caller.account()?;
    let terms = terms(&state, account).await?;
    let (term, _) = pick_term(&terms, None);
    let choices = Choices::of(&state, account).await?;
    let township = resolve(p.township.as_deref(), &choices.townships, "乡镇");
    let types: Vec<&str> = SchoolType::ALL.iter().map(|t| t.label()).collect();
    let school_type = nonempty(&p.school_type).filter(|t| types.contains(&t.as_str()));
    let mut filters = vec![Filter::text(
        "q",
        "查找",
        p.q.as_deref().unwrap_or_default(),
        "学校名称或标识码",
    )];
    if account.scope.is_county() || matches!(account.scope, Scope::Township { .. }) {
        filters.push(Filter::pick(
            "township",
            "乡镇",
            &township,
            &choices.townships,
        ));
    }
    filters.push(Filter::labels(
        "type",
        "办学类型",
        school_type.as_deref().unwrap_or_default(),
        "全部类型",
        &types,
    ));
    let query = SchoolQuery {
        q: nonempty(&p.q),
        township: township.code,
        school_type,
        sort: p.paging.sort(SCHOOL_SORTS),
        desc: p.paging.desc(),
        page: p.paging.page(),
        per_page: p.paging.size(),
        term,
    };
    let refused = !township.error.is_empty();
    let db = &state.db;
    let page = rows_of(refused, query.page, query.per_page, |page| {
        let query = SchoolQuery {
            page,
            ..query.clone()
        };
        async move { lists::schools(db, account, &query).await }
    })
    .await?;
    let list = List::new("/schools", filters, &p.paging, SCHOOL_SORTS, page.total);
    let chrome = Chrome::new(
        &caller,
        "学校",
        "schools",
        &[("学籍管理", "/schools"), ("学校", "/schools")],
    )?;
    Ok(render(&SchoolsPage {
        chrome,
        rows: page.items,
        list,
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
    let terms = terms(&state, account).await?;
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
    township: Option<String>,
    school: Option<String>,
    grade: Option<String>,
    min: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

#[derive(Template)]
#[template(path = "classes.html")]
struct ClassesPage {
    chrome: Chrome,
    rows: Vec<(ClassRow, &'static str, &'static str)>,
    term: String,
    list: List,
}

/// The class list's filters resolved in the account's scope, as shown and as queried.
async fn class_query(
    state: &crate::AppState,
    account: &emis_app::auth::Account,
    p: &ClassesQuery,
) -> Result<(ClassQuery, Vec<Filter>), crate::error::PageError> {
    let terms = terms(state, account).await?;
    let (term, _) = pick_term(&terms, p.term.as_deref());
    let choices = Choices::of(state, account).await?;
    let crate::list::Place {
        township,
        school,
        pickers,
    } = choices.place(account, p.township.as_deref(), p.school.as_deref());
    let grades: Vec<&str> = Grade::ALL.iter().map(|g| g.label()).collect();
    let grade = nonempty(&p.grade).filter(|g| grades.contains(&g.as_str()));
    let min = nonempty(&p.min).filter(|m| m == "56" || m == "66");
    let mut filters = vec![Filter::select("term", "学期", &term, "", terms.clone())];
    filters.extend(pickers);
    filters.push(Filter::labels(
        "grade",
        "年级",
        grade.as_deref().unwrap_or_default(),
        "全部年级",
        &grades,
    ));
    filters.push(Filter::select(
        "min",
        "班额",
        min.as_deref().unwrap_or_default(),
        "全部班级",
        vec![
            ("56".into(), "56人及以上（大班额）".into()),
            ("66".into(), "66人及以上（超大班额）".into()),
        ],
    ));
    let query = ClassQuery {
        term,
        township: township.code,
        school: school.code,
        grade,
        min_size: min.and_then(|m| m.parse().ok()),
        sort: p.paging.sort(CLASS_SORTS),
        desc: p.paging.desc(),
        page: p.paging.page(),
        per_page: p.paging.size(),
    };
    Ok((query, filters))
}

pub async fn classes(Ctx { state, caller }: Ctx, Query(p): Query<ClassesQuery>) -> PageResult {
    let account = caller.account()?;
    let (query, filters) = class_query(&state, account, &p).await?;
    let refused = filters.iter().any(|f| !f.error.is_empty());
    let db = &state.db;
    let page = rows_of(refused, query.page, query.per_page, |page| {
        let query = ClassQuery {
            page,
            ..query.clone()
        };
        async move { lists::classes_page(db, account, &query).await }
    })
    .await?;
    let rules = ClassSizeRules::default();
    let rows = page
        .items
        .into_iter()
        .map(|c| {
            let (class, label) = band_of(&rules, &c);
            (c, class, label)
        })
        .collect();
    let list = List::new("/classes", filters, &p.paging, CLASS_SORTS, page.total)
        .with_export("/classes/export");
    let chrome = Chrome::new(
        &caller,
        "班级",
        "classes",
        &[("学籍管理", "/schools"), ("班级", "/classes")],
    )?;
    Ok(render(&ClassesPage {
        chrome,
        rows,
        term: query.term,
        list,
    })?
    .into_response())
}

/// Exactly the filtered classes (every page) as a workbook.
pub async fn classes_export(
    Ctx { state, caller }: Ctx,
    Query(p): Query<ClassesQuery>,
) -> PageResult {
    let account = caller.account()?;
    let (mut query, filters) = class_query(&state, account, &p).await?;
    if let Some(f) = filters.iter().find(|f| !f.error.is_empty()) {
        return Err(AppError::Refused(f.error.clone()).into());
    }
    query.per_page = 0;
    let page = lists::classes_page(&state.db, account, &query).await?;
    let rules = ClassSizeRules::default();
    let term_label = emis_domain::term::Term::label_of(&query.term);
    let rows = page.items.into_iter().map(|c| {
        let (_, band) = band_of(&rules, &c);
        vec![
            c.school_code.clone(),
            c.school_name.clone(),
            c.school_type.to_string(),
            c.grade.to_string(),
            format!("{}班", c.number),
            c.size.to_string(),
            band.to_string(),
            term_label.clone(),
        ]
    });
    crate::download::sheet(
        "班级",
        &[
            "学校标识码",
            "学校名称",
            "办学类型",
            "年级",
            "班级",
            "在读人数",
            "班额",
            "学期",
        ],
        rows,
        &format!("classes-{}.xlsx", query.term),
        &format!("班级-{term_label}.xlsx"),
    )
}

#[derive(Deserialize, Default)]
pub struct StaffQuery {
    q: Option<String>,
    township: Option<String>,
    school: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

#[derive(Template)]
#[template(path = "staff.html")]
struct StaffPage {
    chrome: Chrome,
    rows: Vec<Masked<StaffRow>>,
    list: List,
}

pub async fn staff(Ctx { state, caller }: Ctx, Query(p): Query<StaffQuery>) -> PageResult {
    let account = caller.account()?;
    let choices = Choices::of(&state, account).await?;
    let crate::list::Place {
        township,
        school,
        pickers,
    } = choices.place(account, p.township.as_deref(), p.school.as_deref());
    let mut filters = vec![Filter::text(
        "q",
        "查找",
        p.q.as_deref().unwrap_or_default(),
        "姓名或身份证件号",
    )];
    filters.extend(pickers);
    let refused = !township.error.is_empty() || !school.error.is_empty();
    let q = nonempty(&p.q);
    let page = if refused {
        no_rows(p.paging.size())
    } else {
        let db = &state.db;
        let size = p.paging.size();
        fetch_page(p.paging.page(), |page| {
            let (q, township, school) = (q.clone(), township.code.clone(), school.code.clone());
            async move {
                lists::staff(
                    db,
                    account,
                    q.as_deref(),
                    township.as_deref(),
                    school.as_deref(),
                    page,
                    size,
                )
                .await
            }
        })
        .await?
    };
    let list = List::new("/staff", filters, &p.paging, &[], page.total);
    let chrome = Chrome::new(
        &caller,
        "教职工",
        "staff",
        &[("学籍管理", "/schools"), ("教职工", "/staff")],
    )?;
    Ok(render(&StaffPage {
        chrome,
        rows: page.items,
        list,
    })?
    .into_response())
}
