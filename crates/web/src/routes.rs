//! The route table: path, method, who may call it, and the handler, in one place.

use crate::session;
use crate::{api, api_aid, api_dropout, api_enrollment, api_safety, pages, AppState};
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
/// Reads that only make sense for a whole school or more (a school's aid recipients,
/// proposals and batches, the dropout ledgers and cases, enrollment, staff): a 班主任 is
/// refused (403) here; every other read narrows to the teacher's class in the services.
pub const WHOLE_SCHOOL_READERS: &[Role] = &[
    Role::Admin,
    Role::Leader,
    Role::Officer,
    Role::Township,
    Role::SchoolAdmin,
];
/// Record hazards, rectify, patrol logs, 十有 (within the scope).
pub const SAFETY_RECORDERS: &[Role] = EDITORS;
/// The bureau: schedules inspections, verifies and closes hazards.
pub const SAFETY_REVIEWERS: &[Role] = &[Role::Admin, Role::Officer];
/// Keep water bodies and their measures.
pub const WATER_KEEPERS: &[Role] = &[Role::Admin, Role::Officer, Role::Township];
/// Keep 九长 links (a school its own school and classes; the service checks the target).
pub const CHAIN_KEEPERS: &[Role] = EDITORS;
/// 学生资助: who proposes (a school for itself, a township or the county for theirs).
pub const AID_PROPOSERS: &[Role] = EDITORS;
/// 乡镇审核 and 县资助中心审批.
pub const AID_REVIEWERS: &[Role] = &[Role::Admin, Role::Officer, Role::Township];
/// Evidence uploads: 10 MB files plus the form around them.
const UPLOAD_LIMIT: usize = 11 * 1024 * 1024;
/// County officers who draw zones and run allocations (招生与班额).
pub const PLANNERS: &[Role] = &[Role::Admin, Role::Officer];
/// Who may form balanced classes: planners, and a school for its own intake.
pub const CLASS_FORMERS: &[Role] = &[Role::Admin, Role::Officer, Role::SchoolAdmin];
/// County-wide work: the population roll comes to the county office.
pub const COUNTY_EDITORS: &[Role] = &[Role::Admin, Role::Officer];

#[derive(Clone, Copy, Debug)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// Chinese summary, shown in the OpenAPI document for API routes.
    pub summary: &'static str,
    /// A file upload (multipart/form-data) rather than a form or JSON body.
    pub upload: bool,
}

struct Table {
    specs: Vec<RouteSpec>,
    router: Router<AppState>,
}

impl Table {
    fn add<H, T>(
        self,
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
        self.add_limited(method, path, access, summary, handler, None)
    }

    /// A route whose body may be larger than the default limit (uploads).
    fn upload<H, T>(
        self,
        path: &'static str,
        access: Access,
        summary: &'static str,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add_limited("POST", path, access, summary, handler, Some(UPLOAD_LIMIT))
    }

    fn add_limited<H, T>(
        mut self,
        method: &'static str,
        path: &'static str,
        access: Access,
        summary: &'static str,
        handler: H,
        limit: Option<usize>,
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
            upload: limit.is_some(),
        };
        self.specs.push(spec);
        let mut method_router: MethodRouter<AppState> = match method {
            "GET" => get(handler),
            _ => post(handler),
        };
        if let Some(limit) = limit {
            method_router = method_router.layer(axum::extract::DefaultBodyLimit::max(limit));
        }
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
            Roles(WHOLE_SCHOOL_READERS),
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
            "POST",
            "/admin/users/{name}/class",
            Roles(ADMINS),
            "绑定班主任的班级",
            pages::admin::assign_class,
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
            "/safety",
            SignedIn,
            "安全管理首页",
            pages::safety::dashboard,
        )
        .add(
            "GET",
            "/safety/hazards",
            SignedIn,
            "隐患台账",
            pages::safety::hazards,
        )
        .upload(
            "/safety/hazards",
            Roles(SAFETY_RECORDERS),
            "登记隐患（可附现场照片）",
            pages::safety::record,
        )
        .add(
            "GET",
            "/safety/hazards/export",
            SignedIn,
            "导出整改销号登记表",
            pages::safety::export,
        )
        .add(
            "GET",
            "/safety/hazards/{hazard}",
            SignedIn,
            "隐患详情",
            pages::safety::hazard,
        )
        .add(
            "POST",
            "/safety/hazards/{hazard}/assign",
            Roles(SAFETY_RECORDERS),
            "落实整改责任",
            pages::safety::assign,
        )
        .upload(
            "/safety/hazards/{hazard}/rectify",
            Roles(SAFETY_RECORDERS),
            "报告整改结果",
            pages::safety::rectify,
        )
        .upload(
            "/safety/hazards/{hazard}/evidence",
            Roles(SAFETY_RECORDERS),
            "上传隐患照片",
            pages::safety::evidence_upload,
        )
        .add(
            "POST",
            "/safety/hazards/{hazard}/close",
            Roles(SAFETY_REVIEWERS),
            "复查销号",
            pages::safety::close,
        )
        .add(
            "POST",
            "/safety/hazards/{hazard}/send-back",
            Roles(SAFETY_REVIEWERS),
            "退回重改",
            pages::safety::send_back,
        )
        .add(
            "GET",
            "/safety/evidence/{evidence}",
            SignedIn,
            "隐患照片",
            pages::safety::evidence_file,
        )
        .add(
            "GET",
            "/safety/inspections",
            SignedIn,
            "排查与专项行动",
            pages::safety::inspections,
        )
        .add(
            "POST",
            "/safety/inspections/monthly",
            Roles(SAFETY_REVIEWERS),
            "安排月度排查",
            pages::safety::schedule_monthly,
        )
        .add(
            "POST",
            "/safety/campaigns",
            Roles(SAFETY_REVIEWERS),
            "发起专项行动",
            pages::safety::schedule_campaign,
        )
        .add(
            "GET",
            "/safety/waters",
            SignedIn,
            "水域与防护设施",
            pages::safety::waters,
        )
        .add(
            "POST",
            "/safety/waters",
            Roles(WATER_KEEPERS),
            "登记水域",
            pages::safety::add_water,
        )
        .add(
            "POST",
            "/safety/waters/{water}/chain",
            Roles(WATER_KEEPERS),
            "增加九长责任人",
            pages::safety::add_chain_link,
        )
        .add(
            "GET",
            "/safety/waters/{water}",
            SignedIn,
            "水域详情与九长",
            pages::safety::water,
        )
        .add(
            "POST",
            "/safety/waters/{water}/measures",
            Roles(WATER_KEEPERS),
            "保存防护措施",
            pages::safety::save_measures,
        )
        .add(
            "GET",
            "/safety/inspections/{inspection}",
            SignedIn,
            "排查详情与各校进度",
            pages::safety::inspection,
        )
        .add(
            "POST",
            "/safety/inspections/{inspection}/checks",
            Roles(SAFETY_RECORDERS),
            "登记已排查的清单项目",
            pages::safety::record_checks,
        )
        .add(
            "POST",
            "/safety/waters/{water}/roster",
            Roles(WATER_KEEPERS),
            "增加巡查排班",
            pages::safety::add_shift,
        )
        .add(
            "POST",
            "/safety/roster/{shift}",
            Roles(WATER_KEEPERS),
            "修改巡查排班",
            pages::safety::edit_shift,
        )
        .add(
            "POST",
            "/safety/roster/{shift}/remove",
            Roles(WATER_KEEPERS),
            "删除巡查排班",
            pages::safety::remove_shift,
        )
        .add(
            "POST",
            "/safety/chain",
            Roles(CHAIN_KEEPERS),
            "增加九长责任人",
            pages::safety::add_link,
        )
        .add(
            "POST",
            "/safety/chain/{link}",
            Roles(CHAIN_KEEPERS),
            "修改九长责任人",
            pages::safety::edit_link,
        )
        .add(
            "POST",
            "/safety/chain/{link}/remove",
            Roles(CHAIN_KEEPERS),
            "移除九长责任人",
            pages::safety::remove_link,
        )
        .add(
            "POST",
            "/safety/chain/{link}/reveal",
            Roles(CHAIN_KEEPERS),
            "查看九长责任人完整号码",
            pages::safety::reveal_link,
        )
        .add(
            "GET",
            "/safety/hazards/print",
            SignedIn,
            "打印整改销号登记表",
            pages::safety::ledger_print,
        )
        .add(
            "GET",
            "/safety/coverage/export",
            SignedIn,
            "导出防溺水覆盖情况",
            pages::safety::coverage_export,
        )
        .add(
            "GET",
            "/safety/chain",
            SignedIn,
            "九长责任链",
            pages::safety::chain,
        )
        .add(
            "GET",
            "/safety/patrols",
            SignedIn,
            "暑期巡查",
            pages::safety::patrols,
        )
        .add(
            "POST",
            "/safety/patrols",
            Roles(SAFETY_RECORDERS),
            "登记巡查",
            pages::safety::record_patrol,
        )
        .add(
            "GET",
            "/safety/ten-haves",
            SignedIn,
            "十有清单",
            pages::safety::ten_haves,
        )
        .add(
            "POST",
            "/safety/ten-haves",
            Roles(SAFETY_RECORDERS),
            "更新十有",
            pages::safety::set_ten_have,
        )
        .upload(
            "/safety/ten-haves/files",
            Roles(SAFETY_RECORDERS),
            "上传十有佐证材料",
            pages::safety::ten_have_file_upload,
        )
        .add(
            "GET",
            "/safety/ten-have-files/{ten_file}",
            SignedIn,
            "十有佐证材料",
            pages::safety::ten_have_file,
        )
        .add(
            "POST",
            "/safety/letters",
            Roles(SAFETY_RECORDERS),
            "登记家长签收",
            pages::safety::sign_letter,
        )
        .add(
            "POST",
            "/api/v1/safety/letters",
            Roles(SAFETY_RECORDERS),
            "登记家长签收",
            api_safety::sign_letter,
        )
        .add(
            "GET",
            "/safety/letters",
            SignedIn,
            "致家长一封信签收",
            pages::safety::letters,
        )
        .add(
            "GET",
            "/aid",
            SignedIn,
            "学生资助概况与问题名单",
            pages::aid::overview,
        )
        .add(
            "GET",
            "/aid/gaps.xlsx",
            SignedIn,
            "资助问题名单导出（xlsx）",
            pages::aid::export_gaps,
        )
        .add(
            "GET",
            "/aid/breakdown.xlsx",
            SignedIn,
            "资助分类汇总导出（xlsx）",
            pages::aid::export_breakdown,
        )
        .add(
            "GET",
            "/aid/policies",
            SignedIn,
            "资助政策目录",
            pages::aid::policies,
        )
        .add(
            "POST",
            "/aid/policies",
            Roles(COUNTY_EDITORS),
            "新增或修改资助项目",
            pages::aid::save_policy,
        )
        .add(
            "POST",
            "/aid/policies/copy",
            Roles(COUNTY_EDITORS),
            "复制年度资助政策目录",
            pages::aid::copy_policies,
        )
        .add(
            "GET",
            "/aid/proposals",
            Roles(WHOLE_SCHOOL_READERS),
            "资助申报与审批",
            pages::aid::proposals,
        )
        .add(
            "POST",
            "/aid/proposals",
            Roles(AID_PROPOSERS),
            "学校申报资助名单",
            pages::aid::propose,
        )
        .add(
            "GET",
            "/aid/proposals/{proposal}",
            Roles(WHOLE_SCHOOL_READERS),
            "资助申报详情与审核记录",
            pages::aid::proposal,
        )
        .add(
            "POST",
            "/aid/proposals/{proposal}/lines",
            Roles(AID_PROPOSERS),
            "调整申报名单后重新申报",
            pages::aid::adjust,
        )
        .add(
            "POST",
            "/aid/proposals/{proposal}/decide",
            Roles(AID_REVIEWERS),
            "乡镇审核或县资助中心审批（通过或退回）",
            pages::aid::decide,
        )
        .add(
            "GET",
            "/aid/batches",
            Roles(WHOLE_SCHOOL_READERS),
            "资助发放批次",
            pages::aid::batches,
        )
        .add(
            "GET",
            "/aid/batches/{batch}",
            Roles(WHOLE_SCHOOL_READERS),
            "发放批次详情与到账核对",
            pages::aid::batch,
        )
        .add(
            "GET",
            "/aid/batches/{batch}/export",
            Roles(WHOLE_SCHOOL_READERS),
            "发放批次导出（xlsx，资助发放模板）",
            pages::aid::export_batch,
        )
        .add(
            "GET",
            "/api/v1/aid/policies",
            SignedIn,
            "资助政策目录（按年度）",
            api_aid::policies,
        )
        .add(
            "POST",
            "/api/v1/aid/policies",
            Roles(COUNTY_EDITORS),
            "新增或修改资助项目",
            api_aid::save_policy,
        )
        .add(
            "POST",
            "/api/v1/aid/policies/copy",
            Roles(COUNTY_EDITORS),
            "复制年度资助政策目录",
            api_aid::copy_policies,
        )
        .add(
            "GET",
            "/api/v1/aid/check",
            SignedIn,
            "资助资格与五类问题名单（按学期）",
            api_aid::check,
        )
        .add(
            "GET",
            "/api/v1/aid/proposals",
            Roles(WHOLE_SCHOOL_READERS),
            "资助申报列表",
            api_aid::proposals,
        )
        .add(
            "POST",
            "/api/v1/aid/proposals",
            Roles(AID_PROPOSERS),
            "学校申报资助名单",
            api_aid::propose,
        )
        .add(
            "POST",
            "/api/v1/aid/decisions",
            Roles(AID_REVIEWERS),
            "乡镇审核或县资助中心审批（通过或退回）",
            api_aid::decide,
        )
        .add(
            "GET",
            "/api/v1/aid/batches",
            Roles(WHOLE_SCHOOL_READERS),
            "资助发放批次",
            api_aid::batches,
        )
        .add(
            "GET",
            "/api/v1/aid/batches/{batch}",
            Roles(WHOLE_SCHOOL_READERS),
            "发放批次详情与到账核对",
            api_aid::batch,
        )
        .add(
            "GET",
            "/api/v1/safety/dashboard",
            SignedIn,
            "安全管理概况",
            api_safety::dashboard,
        )
        .add(
            "GET",
            "/api/v1/safety/coverage",
            SignedIn,
            "防溺水覆盖情况（按乡镇）",
            api_safety::coverage,
        )
        .add(
            "GET",
            "/api/v1/safety/hazards",
            SignedIn,
            "隐患列表",
            api_safety::hazards,
        )
        .add(
            "POST",
            "/api/v1/safety/hazards",
            Roles(SAFETY_RECORDERS),
            "登记隐患",
            api_safety::record,
        )
        .add(
            "GET",
            "/api/v1/safety/hazards/{hazard}",
            SignedIn,
            "隐患详情",
            api_safety::hazard,
        )
        .add(
            "POST",
            "/api/v1/safety/hazards/{hazard}/assign",
            Roles(SAFETY_RECORDERS),
            "落实整改责任",
            api_safety::assign,
        )
        .add(
            "POST",
            "/api/v1/safety/hazards/{hazard}/rectify",
            Roles(SAFETY_RECORDERS),
            "报告整改结果",
            api_safety::rectify,
        )
        .add(
            "POST",
            "/api/v1/safety/hazards/{hazard}/close",
            Roles(SAFETY_REVIEWERS),
            "复查销号",
            api_safety::close,
        )
        .add(
            "POST",
            "/api/v1/safety/hazards/{hazard}/send-back",
            Roles(SAFETY_REVIEWERS),
            "退回重改",
            api_safety::send_back,
        )
        .add(
            "GET",
            "/api/v1/safety/waters",
            SignedIn,
            "水域列表",
            api_safety::waters,
        )
        .add(
            "GET",
            "/api/v1/safety/waters/{water}",
            SignedIn,
            "水域详情与九长（电话脱敏）",
            api_safety::water,
        )
        .add(
            "GET",
            "/api/v1/safety/patrols",
            SignedIn,
            "暑期巡查达标与缺巡查",
            api_safety::patrols,
        )
        .add(
            "POST",
            "/api/v1/safety/patrols",
            Roles(SAFETY_RECORDERS),
            "登记巡查",
            api_safety::record_patrol,
        )
        .add(
            "GET",
            "/api/v1/safety/patrols/report",
            SignedIn,
            "巡查对照排班：缺巡查与应巡未巡、排班不足",
            api_safety::patrol_report,
        )
        .upload(
            "/api/v1/safety/hazards/{hazard}/evidence",
            Roles(SAFETY_RECORDERS),
            "上传隐患照片或材料（multipart/form-data：file，可选 stage=发现/整改；JPG、PNG、PDF，不超过 10 MB）",
            api_safety::upload_evidence,
        )
        .add(
            "POST",
            "/api/v1/safety/waters",
            Roles(WATER_KEEPERS),
            "登记水域",
            api_safety::add_water,
        )
        .add(
            "POST",
            "/api/v1/safety/waters/{water}/measures",
            Roles(WATER_KEEPERS),
            "水域风险等级与防护措施",
            api_safety::save_measures,
        )
        .add(
            "GET",
            "/api/v1/safety/waters/{water}/roster",
            SignedIn,
            "水域巡查排班（电话脱敏）",
            api_safety::roster,
        )
        .add(
            "POST",
            "/api/v1/safety/waters/{water}/roster",
            Roles(WATER_KEEPERS),
            "增加巡查排班",
            api_safety::add_shift,
        )
        .add(
            "POST",
            "/api/v1/safety/roster/{shift}",
            Roles(WATER_KEEPERS),
            "修改巡查排班（电话留空则不改）",
            api_safety::edit_shift,
        )
        .add(
            "POST",
            "/api/v1/safety/roster/{shift}/remove",
            Roles(WATER_KEEPERS),
            "删除巡查排班",
            api_safety::remove_shift,
        )
        .add(
            "GET",
            "/api/v1/safety/chain",
            SignedIn,
            "九长责任链（电话脱敏）",
            api_safety::chain,
        )
        .add(
            "POST",
            "/api/v1/safety/chain",
            Roles(CHAIN_KEEPERS),
            "增加九长责任人（水域、村、学校、班级）",
            api_safety::add_link,
        )
        .add(
            "POST",
            "/api/v1/safety/chain/{link}",
            Roles(CHAIN_KEEPERS),
            "修改九长责任人（电话留空则不改）",
            api_safety::edit_link,
        )
        .add(
            "POST",
            "/api/v1/safety/chain/{link}/remove",
            Roles(CHAIN_KEEPERS),
            "移除九长责任人",
            api_safety::remove_link,
        )
        .add(
            "POST",
            "/api/v1/safety/chain/{link}/reveal",
            Roles(CHAIN_KEEPERS),
            "查看九长责任人完整号码（记入审计日志）",
            api_safety::reveal_link,
        )
        .add(
            "GET",
            "/api/v1/safety/ten-haves",
            SignedIn,
            "防溺水十有",
            api_safety::ten_haves,
        )
        .add(
            "POST",
            "/api/v1/safety/ten-haves",
            Roles(SAFETY_RECORDERS),
            "更新十有项目及佐证",
            api_safety::set_ten_have,
        )
        .upload(
            "/api/v1/safety/ten-haves/files",
            Roles(SAFETY_RECORDERS),
            "上传十有佐证材料（multipart/form-data：year、org、item、file；JPG、PNG、PDF，不超过 10 MB）",
            api_safety::upload_ten_have_file,
        )
        .add(
            "GET",
            "/api/v1/safety/ten-haves/files/{ten_file}",
            SignedIn,
            "下载十有佐证材料",
            api_safety::ten_have_file,
        )
        .add(
            "GET",
            "/api/v1/safety/inspections",
            SignedIn,
            "排查与专项行动",
            api_safety::inspections,
        )
        .add(
            "POST",
            "/api/v1/safety/campaigns",
            Roles(SAFETY_REVIEWERS),
            "安排专项行动（含检查清单）",
            api_safety::schedule_campaign,
        )
        .add(
            "GET",
            "/api/v1/safety/inspections/{inspection}",
            SignedIn,
            "排查详情与各校检查清单进度",
            api_safety::inspection,
        )
        .add(
            "POST",
            "/api/v1/safety/inspections/{inspection}/checks",
            Roles(SAFETY_RECORDERS),
            "学校登记已排查的清单项目",
            api_safety::record_checks,
        )
        .add(
            "POST",
            "/api/v1/safety/inspections/monthly",
            Roles(SAFETY_REVIEWERS),
            "安排月度排查",
            api_safety::schedule_monthly,
        )
        .add(
            "GET",
            "/enrollment",
            Roles(WHOLE_SCHOOL_READERS),
            "班额监测",
            pages::enrollment::monitor,
        )
        .add(
            "POST",
            "/enrollment/settings",
            Roles(PLANNERS),
            "班额设置",
            pages::enrollment::save_settings,
        )
        .add(
            "GET",
            "/enrollment/ledger",
            Roles(WHOLE_SCHOOL_READERS),
            "大班额台账",
            pages::enrollment::ledger,
        )
        .add(
            "POST",
            "/enrollment/ledger/sync",
            Roles(PLANNERS),
            "大班额登记入台账",
            pages::enrollment::ledger_sync,
        )
        .add(
            "POST",
            "/enrollment/ledger/{entry}",
            Roles(PLANNERS),
            "台账措施与销号",
            pages::enrollment::ledger_update,
        )
        .add(
            "GET",
            "/enrollment/zones",
            Roles(PLANNERS),
            "学区与招生计划",
            pages::enrollment::zones,
        )
        .add(
            "POST",
            "/enrollment/zones",
            Roles(PLANNERS),
            "调整学区",
            pages::enrollment::set_zone,
        )
        .add(
            "POST",
            "/enrollment/plans",
            Roles(PLANNERS),
            "招生计划",
            pages::enrollment::set_plan,
        )
        .add(
            "POST",
            "/enrollment/zones/import",
            Roles(PLANNERS),
            "导入学区",
            pages::enrollment::import_zones,
        )
        .add(
            "GET",
            "/enrollment/zones/export",
            Roles(PLANNERS),
            "导出学区",
            pages::enrollment::export_zones,
        )
        .add(
            "POST",
            "/enrollment/distances/import",
            Roles(PLANNERS),
            "导入距离表",
            pages::enrollment::import_distances,
        )
        .add(
            "GET",
            "/enrollment/applicants",
            Roles(PLANNERS),
            "报名导入",
            pages::enrollment::applicants,
        )
        .add(
            "POST",
            "/enrollment/applicants/import",
            Roles(PLANNERS),
            "导入报名名单",
            pages::enrollment::import_applicants,
        )
        .add(
            "GET",
            "/enrollment/runs",
            Roles(WHOLE_SCHOOL_READERS),
            "派位方案",
            pages::enrollment::runs,
        )
        .add(
            "POST",
            "/enrollment/runs",
            Roles(PLANNERS),
            "运行派位",
            pages::enrollment::create_run,
        )
        .add(
            "GET",
            "/enrollment/runs/{run}",
            Roles(WHOLE_SCHOOL_READERS),
            "派位结果",
            pages::enrollment::run,
        )
        .add(
            "POST",
            "/enrollment/runs/{run}/publish",
            Roles(PLANNERS),
            "发布方案",
            pages::enrollment::publish,
        )
        .add(
            "POST",
            "/enrollment/runs/{run}/classes",
            Roles(CLASS_FORMERS),
            "均衡编班",
            pages::enrollment::form_classes,
        )
        .add(
            "GET",
            "/enrollment/compare",
            Roles(PLANNERS),
            "方案比较",
            pages::enrollment::compare,
        )
        .add(
            "GET",
            "/dropout",
            Roles(WHOLE_SCHOOL_READERS),
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
            Roles(WHOLE_SCHOOL_READERS),
            "控辍保学台账",
            pages::dropout::ledger,
        )
        .add(
            "GET",
            "/dropout/ledger/export",
            Roles(WHOLE_SCHOOL_READERS),
            "导出台账",
            pages::dropout::ledger_export,
        )
        .add(
            "GET",
            "/dropout/cases",
            Roles(WHOLE_SCHOOL_READERS),
            "一人一案",
            pages::dropout::cases,
        )
        .add(
            "GET",
            "/dropout/cases/{case}",
            Roles(WHOLE_SCHOOL_READERS),
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
            "/dropout/cases/{case}/attachments/{attachment}",
            Roles(WHOLE_SCHOOL_READERS),
            "下载佐证材料",
            pages::dropout::attachment,
        )
        .add(
            "GET",
            "/dropout/home-teaching",
            Roles(WHOLE_SCHOOL_READERS),
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
            Roles(WHOLE_SCHOOL_READERS),
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
            Roles(WHOLE_SCHOOL_READERS),
            "教职工列表（证件号脱敏）",
            api::staff,
        )
        .add(
            "GET",
            "/reports/annual",
            SignedIn,
            "年度指标页（县级账号）",
            pages::home::annual,
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
            "/api/v1/enrollment/monitor",
            Roles(WHOLE_SCHOOL_READERS),
            "班额监测（按数据范围）",
            api_enrollment::monitor,
        )
        .add(
            "GET",
            "/api/v1/enrollment/indicators",
            Roles(WHOLE_SCHOOL_READERS),
            "班额指标 classes.*（任一机构）",
            api_enrollment::indicators,
        )
        .add(
            "GET",
            "/api/v1/enrollment/ledger",
            Roles(WHOLE_SCHOOL_READERS),
            "大班额台账",
            api_enrollment::ledger,
        )
        .add(
            "GET",
            "/api/v1/enrollment/zones",
            Roles(PLANNERS),
            "学区",
            api_enrollment::zones,
        )
        .add(
            "GET",
            "/api/v1/enrollment/runs",
            Roles(WHOLE_SCHOOL_READERS),
            "派位方案列表",
            api_enrollment::runs,
        )
        .add(
            "POST",
            "/api/v1/enrollment/runs",
            Roles(PLANNERS),
            "运行派位（可带假设调整）",
            api_enrollment::create_run,
        )
        .add(
            "GET",
            "/api/v1/enrollment/runs/{run}",
            Roles(WHOLE_SCHOOL_READERS),
            "派位结果（各校）",
            api_enrollment::run,
        )
        .add(
            "GET",
            "/api/v1/enrollment/runs/{run}/placements",
            Roles(WHOLE_SCHOOL_READERS),
            "录取名单与理由（证件号脱敏）",
            api_enrollment::placements,
        )
        .add(
            "POST",
            "/api/v1/enrollment/runs/{run}/publish",
            Roles(PLANNERS),
            "发布方案",
            api_enrollment::publish,
        )
        .add(
            "POST",
            "/api/v1/enrollment/runs/{run}/classes",
            Roles(CLASS_FORMERS),
            "均衡编班（记录随机种子）",
            api_enrollment::form_classes,
        )
        .add(
            "GET",
            "/api/v1/enrollment/compare",
            Roles(PLANNERS),
            "方案比较",
            api_enrollment::compare,
        )
        .add(
            "GET",
            "/api/v1/dropout/dashboard",
            Roles(WHOLE_SCHOOL_READERS),
            "控辍保学按乡镇统计",
            api_dropout::dashboard,
        )
        .add(
            "GET",
            "/api/v1/dropout/ledger",
            Roles(WHOLE_SCHOOL_READERS),
            "控辍保学台账（ledger=school-age|suspected|dropout，证件号脱敏）",
            api_dropout::ledger,
        )
        .add(
            "GET",
            "/api/v1/dropout/cases",
            Roles(WHOLE_SCHOOL_READERS),
            "一人一案列表",
            api_dropout::cases,
        )
        .add(
            "GET",
            "/api/v1/dropout/cases/{case}",
            Roles(WHOLE_SCHOOL_READERS),
            "案件详情与走访记录",
            api_dropout::case,
        )
        .add(
            "POST",
            "/api/v1/dropout/cases/{case}",
            Roles(EDITORS),
            "案件处理（assign、visit、deadline、close、reopen、confirm-match、reject-match）",
            api_dropout::act,
        )
        .add(
            "GET",
            "/api/v1/dropout/home-teaching",
            Roles(WHOLE_SCHOOL_READERS),
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

/// Whether a role may open a page (`GET path`), for the menu: links a role would be
/// refused are not shown. Unknown paths are shown.
pub fn role_may_get(path: &str, role: Role) -> bool {
    static TABLE: std::sync::OnceLock<Vec<RouteSpec>> = std::sync::OnceLock::new();
    TABLE
        .get_or_init(route_table)
        .iter()
        .find(|r| r.method == "GET" && r.path == path)
        .is_none_or(|r| r.access.admits(role))
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
