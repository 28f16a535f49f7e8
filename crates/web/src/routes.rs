//! The route table: path, method, who may call it, and the handler, in one place.

use crate::session;
use crate::{api, api_dropout, pages, AppState};
use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use emis_domain::access::Role;

/// Who may call a route. Record-level scope (which school, which student) is checked by
/// the services; this is the role-level gate in front of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No login: the login page, health, static files.
    Public,
    /// Any signed-in account (data still limited to its scope).
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
}

impl Access {
    pub fn admits(self, role: Role) -> bool {
        match self {
            Access::Public | Access::SignedIn => true,
            Access::Roles(roles) => roles.contains(&role),
        }
    }
}

pub const EDITORS: &[Role] = &[
    Role::Admin,
    Role::Officer,
    Role::Township,
    Role::SchoolAdmin,
];
pub const ADMINS: &[Role] = &[Role::Admin];
/// County-wide work: the population roll comes to the county office.
pub const COUNTY_EDITORS: &[Role] = &[Role::Admin, Role::Officer];

#[derive(Clone, Copy, Debug)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// Chinese summary, shown in the OpenAPI document for API routes.
    pub summary: &'static str,
}

struct Table {
    specs: Vec<RouteSpec>,
    router: Router<AppState>,
}

impl Table {
    fn add<H, T>(
        mut self,
        method: &'static str,
        path: &'static str,
        access: Access,
        summary: &'static str,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let spec = RouteSpec {
            method,
            path,
            access,
            summary,
        };
        self.specs.push(spec);
        let method_router: MethodRouter<AppState> = match method {
            "GET" => get(handler),
            _ => post(handler),
        };
        let gate = middleware::from_fn_with_state(spec, gate);
        self.router = self.router.route(path, method_router.route_layer(gate));
        self
    }
}

/// Checks the caller against the route's access rule, and CSRF for form posts.
async fn gate(State(spec): State<RouteSpec>, request: Request, next: Next) -> Response {
    session::gate(spec, request, next).await
}

fn table() -> Table {
    use Access::*;
    let t = Table {
        specs: Vec::new(),
        router: Router::new(),
    };
    t.add("GET", "/health", Public, "健康检查", api::health)
        .add(
            "GET",
            "/static/{file}",
            Public,
            "静态文件",
            pages::static_file,
        )
        .add("GET", "/login", Public, "登录页", pages::auth::login_page)
        .add("POST", "/login", Public, "登录", pages::auth::login)
        .add("POST", "/logout", SignedIn, "退出", pages::auth::logout)
        .add(
            "GET",
            "/password",
            SignedIn,
            "修改密码页",
            pages::auth::password_page,
        )
        .add(
            "POST",
            "/password",
            SignedIn,
            "修改密码",
            pages::auth::change_password,
        )
        .add("GET", "/", SignedIn, "首页", pages::home::home)
        .add("GET", "/orgs", SignedIn, "机构", pages::registry::orgs)
        .add(
            "GET",
            "/schools",
            SignedIn,
            "学校列表",
            pages::registry::schools,
        )
        .add(
            "GET",
            "/schools/{code}",
            SignedIn,
            "学校详情",
            pages::registry::school,
        )
        .add(
            "GET",
            "/classes",
            SignedIn,
            "班级列表",
            pages::registry::classes,
        )
        .add(
            "GET",
            "/students",
            SignedIn,
            "学生列表",
            pages::students::list,
        )
        .add(
            "GET",
            "/students/export",
            SignedIn,
            "导出学生",
            pages::students::export,
        )
        .add(
            "GET",
            "/students/{id}",
            SignedIn,
            "学生详情",
            pages::students::detail,
        )
        .add(
            "POST",
            "/students/{id}/status",
            Roles(EDITORS),
            "学籍状态变动",
            pages::students::change_status,
        )
        .add(
            "POST",
            "/students/{id}/transfer",
            Roles(EDITORS),
            "转学",
            pages::students::transfer,
        )
        .add(
            "POST",
            "/students/{id}/reveal",
            Roles(&[Role::Admin, Role::Officer, Role::SchoolAdmin]),
            "查看完整证件号",
            pages::students::reveal,
        )
        .add(
            "GET",
            "/staff",
            SignedIn,
            "教职工列表",
            pages::registry::staff,
        )
        .add(
            "GET",
            "/import",
            Roles(EDITORS),
            "导入",
            pages::import::page,
        )
        .add(
            "POST",
            "/import/preview",
            Roles(EDITORS),
            "导入预览",
            pages::import::preview,
        )
        .add(
            "POST",
            "/import/confirm",
            Roles(EDITORS),
            "确认导入",
            pages::import::confirm,
        )
        .add(
            "GET",
            "/admin/users",
            Roles(ADMINS),
            "账号管理",
            pages::admin::users,
        )
        .add(
            "POST",
            "/admin/users",
            Roles(ADMINS),
            "新建账号",
            pages::admin::create_user,
        )
        .add(
            "POST",
            "/admin/users/{name}/reset",
            Roles(ADMINS),
            "重置密码",
            pages::admin::reset_password,
        )
        .add(
            "POST",
            "/admin/users/{name}/token",
            Roles(ADMINS),
            "生成API令牌",
            pages::admin::create_token,
        )
        .add(
            "GET",
            "/admin/audit",
            Roles(ADMINS),
            "审计日志",
            pages::admin::audit,
        )
        .add(
            "GET",
            "/dropout",
            SignedIn,
            "控辍保学",
            pages::dropout::dashboard,
        )
        .add(
            "POST",
            "/dropout/import",
            Roles(COUNTY_EDITORS),
            "导入户籍适龄人口名册并比对",
            pages::dropout::import,
        )
        .add(
            "GET",
            "/dropout/ledger",
            SignedIn,
            "控辍保学台账",
            pages::dropout::ledger,
        )
        .add(
            "GET",
            "/dropout/ledger/export",
            SignedIn,
            "导出台账",
            pages::dropout::ledger_export,
        )
        .add(
            "GET",
            "/dropout/cases",
            SignedIn,
            "一人一案",
            pages::dropout::cases,
        )
        .add(
            "GET",
            "/dropout/cases/{case}",
            SignedIn,
            "案件详情",
            pages::dropout::case,
        )
        .add(
            "POST",
            "/dropout/cases/{case}",
            Roles(EDITORS),
            "案件处理",
            pages::dropout::case_action,
        )
        .add(
            "POST",
            "/dropout/cases/{case}/attachments",
            Roles(EDITORS),
            "上传佐证材料",
            pages::dropout::attach,
        )
        .add(
            "GET",
            "/dropout/home-teaching",
            SignedIn,
            "送教上门",
            pages::dropout::plans,
        )
        .add(
            "POST",
            "/dropout/home-teaching",
            Roles(EDITORS),
            "新建送教上门方案",
            pages::dropout::save_plan,
        )
        .add(
            "GET",
            "/dropout/home-teaching/{plan}",
            SignedIn,
            "送教上门方案",
            pages::dropout::plan,
        )
        .add(
            "POST",
            "/dropout/home-teaching/{plan}/visits",
            Roles(EDITORS),
            "登记送教",
            pages::dropout::log_visit,
        )
        .add("GET", "/api/v1/health", Public, "健康检查", api::health)
        .add("GET", "/api/v1/version", Public, "版本", api::version)
        .add(
            "GET",
            "/api/v1/openapi.json",
            Public,
            "OpenAPI 文档",
            api::openapi,
        )
        .add("GET", "/api/v1/me", SignedIn, "当前账号与数据范围", api::me)
        .add(
            "GET",
            "/api/v1/schools",
            SignedIn,
            "学校列表（按数据范围）",
            api::schools,
        )
        .add(
            "GET",
            "/api/v1/schools/{code}",
            SignedIn,
            "学校详情",
            api::school,
        )
        .add(
            "GET",
            "/api/v1/classes",
            SignedIn,
            "班级列表（含班额）",
            api::classes,
        )
        .add(
            "GET",
            "/api/v1/students",
            SignedIn,
            "学生列表（证件号脱敏）",
            api::students,
        )
        .add(
            "GET",
            "/api/v1/students/{id}",
            SignedIn,
            "学生详情（证件号脱敏）",
            api::student,
        )
        .add(
            "POST",
            "/api/v1/students/{id}/status",
            Roles(EDITORS),
            "学籍状态变动",
            api::change_status,
        )
        .add(
            "POST",
            "/api/v1/students/{id}/transfer",
            Roles(EDITORS),
            "转学",
            api::transfer,
        )
        .add(
            "GET",
            "/api/v1/staff",
            SignedIn,
            "教职工列表（证件号脱敏）",
            api::staff,
        )
        .add(
            "GET",
            "/api/v1/reports/annual",
            SignedIn,
            "年度指标（按县）",
            api::annual,
        )
        .add(
            "GET",
            "/api/v1/dropout/dashboard",
            SignedIn,
            "控辍保学按乡镇统计",
            api_dropout::dashboard,
        )
        .add(
            "GET",
            "/api/v1/dropout/ledger",
            SignedIn,
            "控辍保学台账（ledger=school-age|suspected|dropout，证件号脱敏）",
            api_dropout::ledger,
        )
        .add(
            "GET",
            "/api/v1/dropout/cases",
            SignedIn,
            "一人一案列表",
            api_dropout::cases,
        )
        .add(
            "GET",
            "/api/v1/dropout/cases/{case}",
            SignedIn,
            "案件详情与走访记录",
            api_dropout::case,
        )
        .add(
            "POST",
            "/api/v1/dropout/cases/{case}",
            Roles(EDITORS),
            "案件处理（assign、visit、deadline、close、reopen）",
            api_dropout::act,
        )
        .add(
            "GET",
            "/api/v1/dropout/home-teaching",
            SignedIn,
            "送教上门方案（按学期）",
            api_dropout::plans,
        )
        .add(
            "POST",
            "/api/v1/dropout/home-teaching",
            Roles(EDITORS),
            "新建送教上门方案",
            api_dropout::save_plan,
        )
        .add(
            "POST",
            "/api/v1/dropout/home-teaching/{plan}/visits",
            Roles(EDITORS),
            "登记送教",
            api_dropout::log_visit,
        )
        .add(
            "GET",
            "/api/v1/audit",
            Roles(ADMINS),
            "审计日志",
            api::audit,
        )
}

/// Every route with its access rule (the role-walk test and the OpenAPI document use it).
pub fn route_table() -> Vec<RouteSpec> {
    table().specs
}

pub fn router(state: AppState) -> Router {
    table()
        .router
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::load_caller,
        ))
        .layer(middleware::from_fn(session::security_headers))
        .with_state(state)
}
