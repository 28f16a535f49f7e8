//! 学生 pages: the scoped roll with search, filters, sorting and pages; a student's
//! record with status change, transfer and the audited full view of the ID number.

use super::{nonempty, pick_term, terms};
use crate::error::PageError;
use crate::error::PageResult;
use crate::form::round_trip;
use crate::list::{rows_of, Choices, Filter, List, Paging};
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::registry as service;
use emis_app::registry::queries::{
    self as lists, Masked, StudentDetail, StudentQuery, StudentRecord, StudentRow,
};
use emis_domain::registry::{Grade, StudentStatus};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    q: Option<String>,
    term: Option<String>,
    township: Option<String>,
    school: Option<String>,
    grade: Option<String>,
    class: Option<String>,
    status: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

pub struct ShownStudent {
    pub id: i64,
    pub name: String,
    pub sex: String,
    pub masked: String,
    pub birth_date: String,
    pub school_name: String,
    pub grade: String,
    pub class_number: i64,
    pub status: String,
}

impl From<Masked<StudentRow>> for ShownStudent {
    fn from(s: Masked<StudentRow>) -> Self {
        let s = s.into_inner();
        ShownStudent {
            id: s.id,
            masked: s.id_number,
            name: s.name,
            sex: s.sex.to_string(),
            birth_date: s.birth_date,
            school_name: s.school_name,
            grade: s.grade.to_string(),
            class_number: s.class_number,
            status: s.status.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "students.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<ShownStudent>,
    list: List,
}

/// The request's filters resolved (school and township names to codes, in the account's
/// scope), the filters as the page shows them, and the storage query.
struct Asked {
    query: StudentQuery,
    filters: Vec<Filter>,
}

async fn asked(state: &AppState, caller: &Caller, p: &ListQuery) -> Result<Asked, PageError> {
    let account = caller.account()?;
    let terms = terms(state, account).await?;
    let (term, _) = pick_term(&terms, p.term.as_deref());
    let choices = Choices::of(state, account).await?;
    let crate::list::Place {
        township,
        school,
        pickers,
    } = choices.place(account, p.township.as_deref(), p.school.as_deref());
    let class = p.class.clone().unwrap_or_default();
    let mut filters = vec![
        Filter::text(
            "q",
            "查找",
            p.q.as_deref().unwrap_or_default(),
            "姓名或身份证件号",
        ),
        Filter::select("term", "学期", &term, "", terms.clone()),
    ];
    filters.extend(pickers);
    let grades: Vec<&str> = Grade::IN_SCHOOL_ORDER.iter().map(|g| g.label()).collect();
    let statuses: Vec<&str> = StudentStatus::ALL.iter().map(|s| s.label()).collect();
    let grade = nonempty(&p.grade).filter(|g| grades.contains(&g.as_str()));
    filters.push(Filter::labels(
        "grade",
        "年级",
        grade.as_deref().unwrap_or_default(),
        "全部年级",
        &grades,
    ));
    if !class.trim().is_empty() {
        filters.push(Filter::text("class", "班", class.trim(), "班号"));
    }
    let status = nonempty(&p.status).filter(|s| statuses.contains(&s.as_str()));
    filters.push(Filter::labels(
        "status",
        "状态",
        status.as_deref().unwrap_or_default(),
        "全部状态",
        &statuses,
    ));
    let query = StudentQuery {
        term,
        q: nonempty(&p.q),
        township: township.code,
        school: school.code,
        grade,
        class_number: class.trim().parse().ok(),
        status,
        sort: p.paging.sort(lists::STUDENT_SORTS),
        desc: p.paging.desc(),
        page: p.paging.page(),
        per_page: p.paging.size(),
    };
    Ok(Asked { query, filters })
}

pub async fn list(Ctx { state, caller }: Ctx, Query(p): Query<ListQuery>) -> PageResult {
    let account = caller.account()?;
    let Asked { query, filters } = asked(&state, &caller, &p).await?;
    let refused = filters.iter().any(|f| !f.error.is_empty());
    let shared = &state;
    let page = rows_of(refused, query.page, query.per_page, |page| {
        let query = StudentQuery {
            page,
            ..query.clone()
        };
        async move { students_page(shared, account, &query).await }
    })
    .await?;
    let mut list = List::new(
        "/students",
        filters,
        &p.paging,
        lists::STUDENT_SORTS,
        page.total,
    );
    // Only a search by name stops counting at the cap; every other total is exact.
    if query.q.as_deref().is_some_and(|q| !q.trim().is_empty()) {
        list = list.capped(
            lists::SEARCH_COUNT_CAP,
            "按姓名查找时只数到这里，请加上学校或年级缩小范围",
        );
    }
    let list = list.with_export("/students/export");
    let chrome = Chrome::new(
        &caller,
        "学生",
        "students",
        &[("学籍管理", "/schools"), ("学生", "/students")],
    )?;
    Ok(render(&ListPage {
        chrome,
        rows: page.items.into_iter().map(ShownStudent::from).collect(),
        list,
    })?
    .into_response())
}

/// A page of the student list, shared by the page and the API: in the default order
/// through the query's class walk, kept a few seconds per scope and filters
/// ([`crate::fresh::LIST_TTL`]), so that paging a county's roll sorts nothing.
pub(crate) async fn students_page(
    state: &AppState,
    account: &emis_app::auth::Account,
    query: &StudentQuery,
) -> Result<lists::Page<Masked<StudentRow>>, emis_app::AppError> {
    if !lists::walks_by_class(query) {
        return lists::students(&state.db, account, query).await;
    }
    let key = format!(
        "{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
        account.scope,
        query.term,
        query.township,
        query.school,
        query.grade,
        query.class_number,
        query.status,
        query.desc
    );
    let walk = state
        .class_walks
        .get_or(key, || lists::class_walk(&state.db, account, query))
        .await?;
    lists::students_by_class(&state.db, account, query, &walk).await
}

/// Exactly the filtered list (every page) as xlsx in the import template's columns, every
/// column the roll holds filled, ID numbers masked: the same export as `emis export`.
pub async fn export(Ctx { state, caller }: Ctx, Query(p): Query<ListQuery>) -> PageResult {
    let account = caller.account()?;
    let Asked { mut query, filters } = asked(&state, &caller, &p).await?;
    if let Some(f) = filters.iter().find(|f| !f.error.is_empty()) {
        return Err(emis_app::AppError::Refused(f.error.clone()).into());
    }
    let counted = StudentQuery {
        page: 1,
        per_page: 1,
        ..query.clone()
    };
    let rows = lists::students(&state.db, account, &counted).await?.total;
    query.per_page = 0;
    let (db, account, source) = (state.db.clone(), account.clone(), caller.source.clone());
    let title = format!(
        "导出学生名册（{}）",
        emis_domain::term::Term::label_of(&query.term)
    );
    super::jobs::download_or_job(
        &state,
        &account.clone(),
        super::jobs::Making::Rows(rows),
        &title,
        move || async move {
            let dir = tempfile::tempdir().map_err(super::internal)?;
            let path = dir.path().join("students.xlsx");
            emis_app::exports::student_list(&db, &account, &query, &path, &source).await?;
            let bytes = tokio::fs::read(&path).await.map_err(super::internal)?;
            let term = &query.term;
            Ok(crate::download::xlsx(
                bytes,
                &format!("students-{term}.xlsx"),
                &format!("学生名册-{term}.xlsx"),
            ))
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "student.html")]
struct DetailPage {
    chrome: Chrome,
    s: Masked<StudentDetail>,
    id_shown: String,
    /// 身份证件类型 (居民身份证 unless the national sheet said otherwise).
    document: &'static str,
    /// What the national 学籍 export added: (label, value) of each one stated.
    national: Vec<(&'static str, String)>,
    student_no_shown: String,
    revealed: bool,
    can_reveal: bool,
    can_edit: bool,
    statuses: Vec<&'static str>,
    error_field: String,
    error_form: String,
    error: String,
    form_status: String,
    form_reason: String,
    form_school: String,
    form_class: String,
    /// 资助记录: (学期, 资助项目, 金额, 发放日期).
    aid: Vec<(String, String, String, String)>,
    /// 困难认定证明: (类别, 证书编号, masked).
    evidence: Vec<(String, String)>,
    /// The transfer's school picker: (name, code) of the county's schools.
    schools: Vec<(String, String)>,
}

#[derive(Default)]
struct Shown {
    revealed: Option<String>,
    error: Option<(&'static str, service::FieldError)>,
    form_status: String,
    form_reason: String,
    form_school: String,
    form_class: String,
    flash: Option<String>,
}

async fn detail_page(state: &AppState, caller: &Caller, id: i64, shown: Shown) -> PageResult {
    let account = caller.account()?;
    let revealed = shown.revealed.is_some();
    // The certificates in full only with the ID number's audited full view.
    let StudentRecord {
        student: s,
        payments,
        certificates: evidence,
    } = lists::student_record(&state.db, account, id, revealed).await?;
    let title = s.name.clone();
    let href = format!("/students/{id}");
    let chrome = Chrome::new(
        caller,
        &title,
        "students",
        &[("学生", "/students"), (&title, &href)],
    )?
    .with_flash(shown.flash);
    let (error_form, error_field, error) = match shown.error {
        Some((form, e)) => (form.to_string(), e.field.to_string(), e.reason),
        None => Default::default(),
    };
    let mut names: std::collections::HashMap<(String, String), String> = Default::default();
    let mut aid = Vec::with_capacity(payments.len());
    for p in payments {
        let year = emis_domain::term::Term::parse(&p.term)
            .map(|t| t.year)
            .unwrap_or(0);
        if !names.contains_key(&(p.term.clone(), p.policy.clone())) {
            for policy in emis_app::aid::catalog(&state.db, account.county(), year).await? {
                names.insert((p.term.clone(), policy.code.clone()), policy.name);
            }
        }
        let name = names
            .get(&(p.term.clone(), p.policy.clone()))
            .cloned()
            .unwrap_or(p.policy.clone());
        let term = emis_domain::term::Term::parse(&p.term)
            .map(|t| t.label())
            .unwrap_or(p.term);
        aid.push((
            term,
            name,
            emis_domain::aid::yuan(p.fen),
            p.paid_on.unwrap_or_default(),
        ));
    }
    // A key of another document shows its type apart and its number alone.
    let key = shown.revealed.unwrap_or_else(|| s.id_number.clone());
    let (document, _) = emis_domain::national::parse_key(&key);
    let id_shown = match document {
        emis_domain::national::DocumentType::ResidentId => key,
        _ => key.get(2..).unwrap_or_default().to_string(),
    };
    let flag = |f: Option<i64>| f.map(|f| if f != 0 { "是" } else { "否" }.to_string());
    let national: Vec<(&'static str, String)> = [
        ("学籍辅号", s.aux_no.clone()),
        ("留守儿童", s.left_behind.clone()),
        ("随迁子女", flag(s.migrant)),
        ("孤儿", flag(s.orphan)),
        ("户口性质", s.household_type.clone()),
        ("港澳台侨外", s.overseas.clone()),
        ("国籍/地区", s.nationality.clone()),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| (label, v)))
    .collect();
    let schools = if account
        .role
        .permits(emis_domain::access::Permission::EditStudents)
    {
        lists::county_schools(&state.db, account.county())
            .await?
            .into_iter()
            .map(|s| (s.name, s.code))
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(&DetailPage {
        schools,
        aid,
        evidence,
        chrome,
        id_shown,
        document: document.label(),
        national,
        student_no_shown: s.student_no.clone().unwrap_or_default(),
        revealed,
        can_reveal: account
            .role
            .permits(emis_domain::access::Permission::SeePersonalData),
        can_edit: account
            .role
            .permits(emis_domain::access::Permission::EditStudents),
        statuses: StudentStatus::ALL.iter().map(|s| s.label()).collect(),
        s,
        error_field,
        error_form,
        error,
        form_status: shown.form_status,
        form_reason: shown.form_reason,
        form_school: shown.form_school,
        form_class: shown.form_class,
    })?
    .into_response())
}

pub async fn detail(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<FlashQuery>,
) -> PageResult {
    let flash = match q.done.as_deref() {
        Some("status") => Some("学籍状态已变更，已记入审计日志。".to_string()),
        Some("transfer") => Some(
            "已提交转学（转出待接收），转入学校接收后学生才转出本校；已记入审计日志。".to_string(),
        ),
        _ => None,
    };
    detail_page(
        &state,
        &caller,
        id,
        Shown {
            flash,
            ..Shown::default()
        },
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct FlashQuery {
    done: Option<String>,
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
    reason: String,
}

pub async fn change_status(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::change_status(
        &state.db,
        account,
        id,
        &form.status,
        &form.reason,
        &caller.source,
    )
    .await;
    let shown = |e| Shown {
        error: Some(("status", e)),
        form_status: form.status,
        form_reason: form.reason,
        ..Shown::default()
    };
    round_trip(
        outcome,
        |()| format!("/students/{id}?done=status"),
        |e| detail_page(&state, &caller, id, shown(e)),
    )
    .await
}

#[derive(Deserialize)]
pub struct TransferForm {
    school: String,
    class: String,
    reason: String,
}

pub async fn transfer(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<TransferForm>,
) -> PageResult {
    let account = caller.account()?;
    // The school is picked by name; the name stands for its code (a code typed still works).
    let school = lists::county_schools(&state.db, account.county())
        .await?
        .into_iter()
        .find(|s| s.name == form.school.trim())
        .map_or_else(|| form.school.clone(), |s| s.code);
    let outcome = service::transfer(
        &state.db,
        account,
        id,
        &school,
        &form.class,
        &form.reason,
        &caller.source,
    )
    .await;
    let shown = |e| Shown {
        error: Some(("transfer", e)),
        form_school: form.school,
        form_class: form.class,
        form_reason: form.reason,
        ..Shown::default()
    };
    // The student stays on this school's roll until the receiving school accepts.
    round_trip(
        outcome,
        |_| format!("/students/{id}?done=transfer"),
        |e| detail_page(&state, &caller, id, shown(e)),
    )
    .await
}

pub async fn reveal(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let full = service::reveal_id(&state.db, account, id, &caller.source).await?;
    detail_page(
        &state,
        &caller,
        id,
        Shown {
            revealed: Some(full),
            ..Shown::default()
        },
    )
    .await
}
