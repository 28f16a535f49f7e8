//! 登录与系统 sign-in, passwords, the home page, accounts (账号管理), audit and the API's
//! system endpoints.

use super::{Access::*, Table};
use crate::{api, pages};
use emis_domain::access::Permission as P;

pub(super) fn routes(t: Table) -> Table {
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
        .add("POST", "/logout", AnyAccount, "退出", pages::auth::logout)
        .add(
            "GET",
            "/password",
            AnyAccount,
            "修改密码页",
            pages::auth::password_page,
        )
        .add(
            "POST",
            "/password",
            AnyAccount,
            "修改密码",
            pages::auth::change_password,
        )
        .add("GET", "/", AnyAccount, "首页", pages::home::home)
        .add(
            "GET",
            "/admin/users",
            Permission(P::ManageAccounts),
            "账号管理",
            pages::admin::users,
        )
        .add(
            "POST",
            "/admin/users",
            Permission(P::ManageAccounts),
            "新建账号",
            pages::admin::create_user,
        )
        .add(
            "POST",
            "/admin/users/{name}/reset",
            Permission(P::ManageAccounts),
            "重置密码",
            pages::admin::reset_password,
        )
        .add(
            "POST",
            "/admin/users/{name}/token",
            Permission(P::ManageAccounts),
            "生成API令牌",
            pages::admin::create_token,
        )
        .add(
            "POST",
            "/admin/users/{name}/tokens/revoke",
            Permission(P::ManageAccounts),
            "吊销API令牌",
            pages::admin::revoke_token,
        )
        .add(
            "POST",
            "/admin/users/{name}/class",
            Permission(P::ManageAccounts),
            "绑定班主任的班级",
            pages::admin::assign_class,
        )
        .add(
            "POST",
            "/admin/users/{name}/office",
            Permission(P::ManageAccounts),
            "设置股室账号所属股室",
            pages::admin::assign_office,
        )
        .add(
            "GET",
            "/admin/audit",
            Permission(P::ReadAudit),
            "审计日志",
            pages::admin::audit,
        )
        .add(
            "GET",
            "/admin/audit/export",
            Permission(P::ReadAudit),
            "导出审计日志",
            pages::admin::audit_export,
        )
        .api("GET", "/api/v1/health", Public, "健康检查", api::health)
        .api("GET", "/api/v1/version", Public, "版本", api::version)
        .add(
            "GET",
            "/api/v1/openapi.json",
            Public,
            "OpenAPI 文档",
            api::openapi,
        )
        .api(
            "GET",
            "/api/v1/me",
            AnyAccount,
            "当前账号与数据范围",
            api::me,
        )
        .api(
            "GET",
            "/api/v1/audit",
            Permission(P::ReadAudit),
            "审计日志",
            api::audit,
        )
}
