//! 九长责任链: the chain page and adding, editing, removing and revealing its links.

use super::crumbs;
use super::waters::{water_page, WaterShown};
use crate::error::PageResult;
use crate::form::form_error;
use crate::form::{round_trip, SplitRefusal};
use crate::list::{resolve, rows_of, Choices, Filter, List, Paging};
use crate::page::{render, Chrome};
use crate::pages::nonempty;
use crate::session::Ctx;
use crate::session::{urlencode, Caller};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use emis_app::registry::FieldError;
use emis_app::safety::queries;
use emis_app::safety::{self as service};
use emis_domain::access::Permission;
use emis_domain::safety::drowning;
use serde::Deserialize;

pub struct ChainLine {
    pub id: i64,
    pub level: String,
    pub target: String,
    pub role: String,
    pub person: String,
    pub phone: String,
    /// The account keeps this link: edit, remove, see the phone.
    pub keeps: bool,
}

pub async fn add_chain_link(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<service::ChainForm>,
) -> PageResult {
    let account = caller.account()?;
    let shown = match service::add_chain_link(&state.db, account, id, &form, &caller.source)
        .await
        .split_refusal()?
    {
        Ok(()) => WaterShown::flash("已加入九长责任链。"),
        Err(e) => WaterShown::error("chain", e),
    };
    water_page(&state, &caller, id, shown).await
}

#[derive(Deserialize, Default)]
pub struct ChainQuery {
    level: Option<String>,
    edit: Option<i64>,
    done: Option<String>,
    #[serde(flatten)]
    filters: ChainFilters,
}

/// The list's filters besides the level.
#[derive(Deserialize, Default, Clone)]
pub struct ChainFilters {
    township: Option<String>,
    school: Option<String>,
    person: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

/// The add form of the chain page: the target and the person, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LinkForm {
    level: String,
    water: String,
    township: String,
    village: String,
    school: String,
    grade: String,
    class_number: String,
    role: String,
    person: String,
    phone: String,
}

impl LinkForm {
    fn target(&self) -> service::chain::TargetForm {
        service::chain::TargetForm {
            level: self.level.clone(),
            water: self.water.trim().parse().ok(),
            township: self.township.clone(),
            village: self.village.clone(),
            school: self.school.clone(),
            grade: self.grade.clone(),
            class_number: self.class_number.clone(),
        }
    }
    fn person(&self) -> service::ChainForm {
        service::ChainForm {
            role: self.role.clone(),
            person: self.person.clone(),
            phone: self.phone.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "safety_chain.html")]
struct ChainPage {
    chrome: Chrome,
    level: String,
    rows: Vec<ChainLine>,
    heads: Vec<&'static str>,
    can_add: bool,
    /// The levels this account may add links to.
    add_levels: Vec<&'static str>,
    /// Water and village links may be added (the water, township and village fields).
    keeps_villages: bool,
    waters: Vec<(i64, String)>,
    /// Known villages (village, township name) offered for the village field.
    villages: Vec<(String, String)>,
    townships: Vec<(&'static str, &'static str)>,
    schools: Vec<(String, String)>,
    school_fixed: bool,
    grades: Vec<&'static str>,
    form: LinkForm,
    editing: Option<ChainLine>,
    error_form: String,
    error: String,
    list: List,
}

#[derive(Default)]
struct ChainShown {
    filters: ChainFilters,
    level: Option<String>,
    editing: i64,
    form: LinkForm,
    revealed: Option<(i64, String)>,
    error: Option<(&'static str, FieldError)>,
    flash: Option<String>,
}

/// The 九长 chain the account sees (phones masked), by level, with the forms to keep it.
async fn chain_page(state: &AppState, caller: &Caller, shown: ChainShown) -> PageResult {
    use emis_domain::access::Scope;
    let account = caller.account()?;
    let level = shown
        .level
        .filter(|l| drowning::CHAIN_LEVELS.contains(&l.as_str()))
        .unwrap_or_else(|| "学校".to_string());
    let all_schools =
        emis_app::registry::queries::county_schools(&state.db, account.county()).await?;
    let school_names: std::collections::HashMap<&str, &str> = all_schools
        .iter()
        .map(|s| (s.code.as_str(), s.name.as_str()))
        .collect();
    let county = emis_domain::divisions::county(account.county());
    let line = |c: queries::Masked<queries::ChainRow>| {
        let keeps = service::chain::keeps(account, &c);
        let c = c.into_inner();
        let target = match (&c.school_code, &c.class_label, &c.village) {
            (Some(code), Some(class), _) => {
                format!(
                    "{} {class}",
                    school_names.get(code.as_str()).copied().unwrap_or_default()
                )
            }
            (Some(code), None, _) => school_names
                .get(code.as_str())
                .copied()
                .unwrap_or_default()
                .to_string(),
            (None, _, Some(village)) => village.clone(),
            _ => county
                .and_then(|k| k.township(&c.township_code))
                .map(|t| t.name.to_string())
                .unwrap_or_default(),
        };
        ChainLine {
            id: c.id,
            keeps,
            level: c.level,
            target,
            role: c.role,
            person: c.person,
            phone: c.phone,
        }
    };
    let editing = if shown.editing > 0 {
        match queries::chain_link(&state.db, account, shown.editing).await {
            Ok(c) if service::chain::keeps(account, &c) => Some(line(c)),
            _ => None,
        }
    } else {
        None
    };
    // The list: the level's links, filtered, counted and paged in the database.
    let f = &shown.filters;
    let choices = Choices::of(state, account).await?;
    let township = resolve(f.township.as_deref(), &choices.townships, "乡镇");
    let school = resolve(f.school.as_deref(), &choices.schools, "学校");
    let mut filters = vec![Filter::labels(
        "level",
        "层级",
        &level,
        "",
        drowning::CHAIN_LEVELS,
    )];
    if account.scope.is_county() {
        filters.push(Filter::pick(
            "township",
            "乡镇",
            &township,
            &choices.townships,
        ));
    }
    if matches!(account.scope, Scope::County { .. } | Scope::Township { .. }) {
        filters.push(Filter::pick("school", "学校", &school, &choices.schools));
    }
    filters.push(Filter::text(
        "person",
        "姓名",
        f.person.as_deref().unwrap_or_default(),
        "责任人姓名",
    ));
    let refused = filters.iter().any(|f| !f.error.is_empty());
    let query = queries::ChainQuery {
        level: Some(level.clone()),
        township: township.code,
        school: school.code,
        person: nonempty(&f.person),
        page: f.paging.page(),
        per_page: f.paging.size(),
    };
    let db = &state.db;
    let page = rows_of(refused, query.page, query.per_page, |page| {
        let query = queries::ChainQuery {
            page,
            ..query.clone()
        };
        async move { queries::chain_links_page(db, account, &query).await }
    })
    .await?;
    let list = List::new("/safety/chain", filters, &f.paging, &[], page.total);
    let rows: Vec<ChainLine> = page
        .items
        .into_iter()
        .map(&line)
        .map(|mut l| {
            if let Some((id, phone)) = &shown.revealed {
                if *id == l.id {
                    l.phone = phone.clone();
                }
            }
            l
        })
        .collect();
    let add_levels: Vec<&'static str> = match account.scope {
        Scope::School { .. } | Scope::Class { .. } => vec!["学校", "班级"],
        _ if account.role.permits(Permission::KeepWaters) => vec!["水域", "村", "学校", "班级"],
        _ => Vec::new(),
    };
    let waters = if add_levels.contains(&"水域") {
        queries::waters(&state.db, account)
            .await?
            .into_iter()
            .map(|w| {
                (
                    w.id,
                    format!("{} {} {}", w.township_name, w.village, w.name),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    // The villages offered for a village link: those known in the account's township(s).
    let villages = if add_levels.contains(&"村") {
        let names = |code: &str| {
            county
                .and_then(|c| c.township(code))
                .map_or(code.to_string(), |t| t.name.to_string())
        };
        queries::known_villages(&state.db, account)
            .await?
            .into_iter()
            .map(|(t, v)| (v, names(&t)))
            .collect()
    } else {
        Vec::new()
    };
    let chrome = Chrome::new(
        caller,
        "防溺水“九长”责任链",
        "chain",
        &[crumbs(), ("九长", "/safety/chain")],
    )?
    .with_flash(shown.flash);
    let (error_form, error) = match shown.error {
        Some((form, e)) => (form.to_string(), Some(e)),
        None => (String::new(), None),
    };
    let (code, _, error) = form_error(error);
    let mut form = shown.form;
    if form.level.is_empty() {
        form.level = level.clone();
    }
    Ok((
        code,
        render(&ChainPage {
            chrome,
            level,
            rows,
            heads: drowning::NINE_HEADS.to_vec(),
            can_add: account.role.permits(Permission::KeepChain) && !add_levels.is_empty(),
            keeps_villages: add_levels.contains(&"村"),
            add_levels,
            waters,
            villages,
            townships: if account.scope.is_county() {
                county
                    .map(|c| c.townships.iter().map(|t| (t.code, t.name)).collect())
                    .unwrap_or_default()
            } else {
                Vec::new()
            },
            schools: all_schools
                .iter()
                .filter(|s| account.scope.admits_school(&s.code, &s.township_code))
                .map(|s| (s.code.clone(), s.name.clone()))
                .collect(),
            school_fixed: matches!(account.scope, Scope::School { .. } | Scope::Class { .. }),
            grades: emis_domain::registry::Grade::IN_SCHOOL_ORDER
                .iter()
                .map(|g| g.label())
                .collect(),
            form,
            editing,
            error_form,
            error,
            list,
        })?,
    )
        .into_response())
}

pub async fn chain(Ctx { state, caller }: Ctx, Query(q): Query<ChainQuery>) -> PageResult {
    let flash = q.done.as_deref().map(|d| {
        match d {
            "add" => "责任人已加入，已记入审计日志。",
            "edit" => "责任人已修改，已记入审计日志。",
            "remove" => "责任人已移除，已记入审计日志。",
            _ => "已保存。",
        }
        .to_string()
    });
    let shown = ChainShown {
        level: nonempty(&q.level),
        editing: q.edit.unwrap_or(0),
        flash,
        filters: q.filters,
        ..ChainShown::default()
    };
    chain_page(&state, &caller, shown).await
}

fn chain_href(level: &str, done: &str) -> String {
    format!("/safety/chain?level={}&done={done}", urlencode(level))
}

pub async fn add_link(Ctx { state, caller }: Ctx, Form(form): Form<LinkForm>) -> PageResult {
    let account = caller.account()?;
    let outcome = service::chain::add_link(
        &state.db,
        account,
        &form.target(),
        &form.person(),
        &caller.source,
    )
    .await;
    let done = chain_href(form.level.trim(), "add");
    round_trip(
        outcome,
        |_| done,
        |e| {
            let shown = ChainShown {
                level: Some(form.level.clone()),
                form,
                error: Some(("add", e)),
                ..ChainShown::default()
            };
            chain_page(&state, &caller, shown)
        },
    )
    .await
}

pub async fn edit_link(
    Ctx { state, caller }: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<service::ChainForm>,
) -> PageResult {
    let account = caller.account()?;
    let outcome = service::chain::edit_link(&state.db, account, id, &form, &caller.source).await;
    round_trip(
        outcome,
        |link| chain_href(&link.level, "edit"),
        |e| {
            let (state, caller) = (&state, &caller);
            async move {
                let level = service::chain::visible_link(&state.db, account, id)
                    .await?
                    .level;
                let shown = ChainShown {
                    level: Some(level),
                    editing: id,
                    error: Some(("edit", e)),
                    ..ChainShown::default()
                };
                chain_page(state, caller, shown).await
            }
        },
    )
    .await
}

pub async fn remove_link(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let link = service::chain::remove_link(&state.db, account, id, &caller.source).await?;
    Ok(Redirect::to(&chain_href(&link.level, "remove")).into_response())
}

/// Shows one link's phone in full (audited) for those who keep the link.
pub async fn reveal_link(Ctx { state, caller }: Ctx, Path(id): Path<i64>) -> PageResult {
    let account = caller.account()?;
    let link = service::chain::reveal_phone(&state.db, account, id, &caller.source).await?;
    let shown = ChainShown {
        level: Some(link.level.clone()),
        revealed: Some((id, link.phone)),
        flash: Some("已显示完整号码，本次查看已记入审计日志。".into()),
        ..ChainShown::default()
    };
    chain_page(&state, &caller, shown).await
}
