//! 系统管理: accounts and the audit log (administrators only).

use crate::error::PageResult;
use crate::list::{Filter, List, Paging};
use crate::page::{render, Chrome};
use crate::session::Caller;
use crate::session::Ctx;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::IntoResponse;
use axum::Form;
use emis_app::accounts::{AuditFilter, AuditRow, PairLock, User};
use emis_app::AppError;
use emis_domain::access::Role;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<User>,
    /// Live API tokens (expired ones marked), by account.
    tokens: Vec<emis_app::auth::TokenView>,
    /// (name, address) login locks in force.
    locks: Vec<PairLock>,
    default_token_days: i64,
    max_token_days: i64,
    roles: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    form_username: String,
    form_role: String,
    form_org: String,
    form_class: String,
    form_office: String,
    /// 股室 an officer account may be given.
    offices: &'static [&'static str],
}

async fn users_page(
    state: &AppState,
    caller: &Caller,
    flash: Option<String>,
    error: Option<String>,
    form: Option<&NewUserForm>,
) -> PageResult {
    let account = caller.account()?;
    let users = emis_app::accounts::users(&state.db, account).await?;
    let tokens = emis_app::auth::tokens(&state.db, account.county()).await?;
    let locks = emis_app::auth::login_locks(&state.db, account.county()).await?;
    let chrome = Chrome::new(
        caller,
        "账号",
        "users",
        &[("系统管理", "/admin/users"), ("账号", "/admin/users")],
    )?
    .with_flash(flash);
    Ok(render(&UsersPage {
        chrome,
        users,
        tokens,
        locks,
        default_token_days: emis_app::auth::DEFAULT_TOKEN_DAYS,
        max_token_days: emis_app::auth::MAX_TOKEN_DAYS,
        roles: Role::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        error,
        form_username: form.map(|f| f.username.clone()).unwrap_or_default(),
        form_role: form.map(|f| f.role.clone()).unwrap_or_default(),
        form_org: form.map(|f| f.org.clone()).unwrap_or_default(),
        form_class: form.and_then(|f| f.class.clone()).unwrap_or_default(),
        form_office: form.and_then(|f| f.office.clone()).unwrap_or_default(),
        offices: emis_domain::access::OFFICES,
    })?
    .into_response())
}

pub async fn users(Ctx { state, caller }: Ctx) -> PageResult {
    users_page(&state, &caller, None, None, None).await
}

#[derive(Deserialize)]
pub struct NewUserForm {
    username: String,
    role: String,
    org: String,
    /// 班主任's class, e.g. 三年级3班; other roles leave it empty.
    class: Option<String>,
    /// 股室 of a county officer (资助中心, 安全 …); other roles leave it empty.
    office: Option<String>,
}

pub async fn create_user(Ctx { state, caller }: Ctx, Form(form): Form<NewUserForm>) -> PageResult {
    let account = caller.account()?;
    let Some(role) = Role::parse(&form.role) else {
        return users_page(
            &state,
            &caller,
            None,
            Some("请选择角色".into()),
            Some(&form),
        )
        .await;
    };
    match emis_app::accounts::add_user(
        &state.db,
        account.county(),
        &form.username,
        role,
        form.org.trim(),
        form.class.as_deref(),
        form.office.as_deref(),
        &account.actor(&caller.source),
    )
    .await
    {
        Ok(created) => {
            let flash = format!(
                "已创建账号 {}，初始密码：{}（只显示这一次，请转交本人；首次登录须修改）",
                created.username, created.password
            );
            users_page(&state, &caller, Some(flash), None, None).await
        }
        Err(AppError::Usage(reason)) => {
            users_page(&state, &caller, None, Some(reason), Some(&form)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn reset_password(Ctx { state, caller }: Ctx, Path(name): Path<String>) -> PageResult {
    let account = caller.account()?;
    let password =
        emis_app::auth::reset_password(&state.db, account, &name, &caller.source).await?;
    users_page(
        &state,
        &caller,
        Some(format!(
            "账号 {name} 的新密码：{password}（只显示这一次；登录后须修改）"
        )),
        None,
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct ClassForm {
    class: String,
}

/// Binds (or moves) a 班主任 account to its class; the teacher's scope follows at once.
pub async fn assign_class(
    Ctx { state, caller }: Ctx,
    Path(name): Path<String>,
    Form(form): Form<ClassForm>,
) -> PageResult {
    let account = caller.account()?;
    match emis_app::accounts::assign_class(
        &state.db,
        account.county(),
        &name,
        &form.class,
        &account.actor(&caller.source),
    )
    .await
    {
        Ok(()) => {
            let flash = format!("账号 {name} 已绑定班级 {}", form.class.trim());
            users_page(&state, &caller, Some(flash), None, None).await
        }
        Err(AppError::Usage(reason)) => users_page(&state, &caller, None, Some(reason), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct OfficeForm {
    #[serde(default)]
    office: String,
}

/// Sets (or clears) a county officer's office; the summary sections it drafts follow.
pub async fn assign_office(
    Ctx { state, caller }: Ctx,
    Path(name): Path<String>,
    Form(form): Form<OfficeForm>,
) -> PageResult {
    let account = caller.account()?;
    match emis_app::accounts::assign_office(
        &state.db,
        account.county(),
        &name,
        &form.office,
        &account.actor(&caller.source),
    )
    .await
    {
        Ok(()) => {
            let flash = match form.office.trim() {
                "" => format!("账号 {name} 已不属于任何股室"),
                office => format!("账号 {name} 已设为{office}"),
            };
            users_page(&state, &caller, Some(flash), None, None).await
        }
        Err(AppError::Usage(reason)) => users_page(&state, &caller, None, Some(reason), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    label: Option<String>,
    /// Days the token stays valid (default 90, at most 365).
    days: Option<String>,
}

pub async fn create_token(
    Ctx { state, caller }: Ctx,
    Path(name): Path<String>,
    Form(form): Form<TokenForm>,
) -> PageResult {
    let account = caller.account()?;
    let label = form
        .label
        .filter(|l| !l.trim().is_empty())
        .unwrap_or_else(|| "程序接口".into());
    let days = match form
        .days
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => Some(emis_app::auth::DEFAULT_TOKEN_DAYS),
        Some(text) => text.parse::<i64>().ok(),
    };
    let created = match days {
        Some(days) => {
            emis_app::auth::create_token_for(
                &state.db,
                account,
                &name,
                &label,
                days,
                &caller.source,
            )
            .await
        }
        None => Err(AppError::Refused(format!(
            "令牌有效期应为1–{}天",
            emis_app::auth::MAX_TOKEN_DAYS
        ))),
    };
    match created {
        Ok(token) => users_page(&state, &caller, Some(format!("账号 {name} 的 API 令牌：{token}（只显示这一次；请求时放在 Authorization: Bearer 头中）")), None, None).await,
        Err(AppError::Refused(reason)) => users_page(&state, &caller, None, Some(reason), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RevokeForm {
    token: Option<String>,
}

/// Revokes one API token of an account (audited).
pub async fn revoke_token(
    Ctx { state, caller }: Ctx,
    Path(name): Path<String>,
    Form(form): Form<RevokeForm>,
) -> PageResult {
    let account = caller.account()?;
    let Some(id) = form
        .token
        .as_deref()
        .and_then(|t| t.trim().parse::<i64>().ok())
    else {
        return users_page(
            &state,
            &caller,
            None,
            Some("请选择要吊销的令牌".into()),
            None,
        )
        .await;
    };
    match emis_app::auth::revoke_token(&state.db, account, &name, id, &caller.source).await {
        Ok(()) => {
            let flash = format!("已吊销账号 {name} 的 API 令牌（编号 {id}）");
            users_page(&state, &caller, Some(flash), None, None).await
        }
        Err(AppError::Refused(reason)) => {
            users_page(&state, &caller, None, Some(reason), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The audit log's action codes in Chinese (the code itself when it has no label here).
pub fn action_label(action: &str) -> &str {
    match action {
        "login" => "登录",
        "login_failed" => "登录失败（密码错误）",
        "login_unknown" => "登录失败（账号不存在）",
        "login_locked" => "登录被拒（已暂停登录）",
        "lock" => "暂停登录（连续输错）",
        "login_throttled" => "地址限流（失败过多）",
        "change_password" => "修改密码",
        "reset_password" => "重置密码",
        "create_token" => "生成API令牌",
        "revoke_token" => "吊销API令牌",
        "create" => "新建",
        "update" => "修改",
        "assign_class" => "绑定班级",
        "assign_office" => "设置股室",
        "view_unmasked" => "查看完整证件号",
        "demo" => "载入演示数据",
        "import" => "导入",
        "publish" => "公布",
        "propose" => "申报",
        "decide" => "审批",
        "copy" => "复制",
        "allocate" => "派位",
        "balanced_classes" => "均衡编班",
        "ledger_sync" => "同步大班额台账",
        "form_assign" => "下发报表",
        "form_import" => "导入报表",
        "schedule_campaign" => "发起专项行动",
        "delete" => "删除",
        "document_file_view" => "查看公文附件",
        other => other,
    }
}

/// One audit entry as the log shows it: the time in the county's clock, the action in
/// Chinese and the change field by field.
pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub source: String,
    pub action: String,
    pub action_code: String,
    pub entity: String,
    pub entity_code: String,
    pub entity_key: String,
    pub changes: Vec<emis_domain::audit::Change>,
    /// Changed fields beyond those shown.
    pub more: usize,
}

impl From<AuditRow> for AuditLine {
    fn from(a: AuditRow) -> AuditLine {
        let (changes, more) =
            emis_domain::audit::changes(a.before_json.as_deref(), a.after_json.as_deref());
        AuditLine {
            at: emis_domain::dates::local_time(&a.at),
            action: action_label(&a.action).to_string(),
            action_code: a.action,
            actor: a.actor,
            source: a.source,
            entity: emis_domain::audit::entity_label(&a.entity).to_string(),
            entity_code: a.entity,
            entity_key: a.entity_key,
            changes,
            more,
        }
    }
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    key: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

impl AuditQuery {
    /// The filters asked for, as the log's query takes them (the page and its 导出 alike).
    fn filter(&self) -> AuditFilter<'_> {
        AuditFilter {
            actor: self.actor.as_deref(),
            key: self.key.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    rows: Vec<AuditLine>,
    list: List,
}

pub async fn audit(Ctx { state, caller }: Ctx, Query(q): Query<AuditQuery>) -> PageResult {
    let account = caller.account()?;
    let filter = q.filter();
    let (db, size) = (&state.db, q.paging.size());
    let page = crate::list::fetch_page(q.paging.page(), |page| {
        emis_app::accounts::audit_log(db, account, &filter, page, size)
    })
    .await?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let filters = vec![
        Filter::text("actor", "操作人", &text(&q.actor), "账号"),
        Filter::text("key", "记录", &text(&q.key), "证件号、学校码、账号"),
        Filter::date("from", "起始日期", &text(&q.from)),
        Filter::date("to", "截止日期", &text(&q.to)),
    ];
    // Newest first, always: the log is read as a history.
    let list = List::new("/admin/audit", filters, &q.paging, &[], page.total)
        .with_export("/admin/audit/export");
    let chrome = Chrome::new(
        &caller,
        "审计日志",
        "audit",
        &[("系统管理", "/admin/users"), ("审计日志", "/admin/audit")],
    )?;
    Ok(render(&AuditPage {
        chrome,
        rows: page.items.into_iter().map(AuditLine::from).collect(),
        list,
    })?
    .into_response())
}

/// The most entries one 导出 of the audit log writes; past it the filters must narrow it.
const AUDIT_EXPORT_MAX: i64 = 50_000;

/// 审计日志 导出: exactly the filtered entries, newest first, as the page reads them.
pub async fn audit_export(Ctx { state, caller }: Ctx, Query(q): Query<AuditQuery>) -> PageResult {
    let account = caller.account()?;
    let filter = q.filter();
    const CHUNK: i64 = 500;
    let first = emis_app::accounts::audit_log(&state.db, account, &filter, 1, CHUNK).await?;
    if first.total > AUDIT_EXPORT_MAX {
        return Err(emis_app::AppError::Refused(format!(
            "符合条件的日志有 {} 条，超过一次导出的上限 {AUDIT_EXPORT_MAX} 条：请按操作人或日期缩小范围后再导出",
            first.total
        ))
        .into());
    }
    let pages = first.pages();
    let mut rows: Vec<AuditRow> = first.items;
    for page in 2..=pages {
        rows.extend(
            emis_app::accounts::audit_log(&state.db, account, &filter, page, CHUNK)
                .await?
                .items,
        );
    }
    let lines = rows.into_iter().map(AuditLine::from).map(|a| {
        let changes: Vec<String> = a
            .changes
            .iter()
            .map(|c| format!("{}：{} → {}", c.field, c.before, c.after))
            .collect();
        vec![
            a.at,
            a.actor,
            a.source,
            a.action,
            a.entity,
            a.entity_key,
            changes.join("；"),
        ]
    });
    crate::download::sheet(
        "审计日志",
        &["时间", "操作人", "来源", "操作", "对象", "记录", "变更"],
        lines,
        "audit-log.xlsx",
        "审计日志.xlsx",
    )
}
