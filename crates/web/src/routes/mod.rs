//! 路由表 the route table: path, method, who may call it, and the handler. Each module
//! adds its own routes (one file per module here), and the one table they build drives
//! the router, the access gate, the OpenAPI document and the every-route × every-role test.

use crate::api::schema::{ApiHandler, Reply, SchemaFn};
use crate::session;
use crate::{pages, AppState};
use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use emis_domain::access::{Permission as P, Role};

mod aid;
mod auth;
mod documents;
mod double_reduction;
mod dropout;
mod enrollment;
mod forms;
mod honours;
mod incidents;
mod party;
mod projects;
mod region;
mod registry;
mod safety;
mod students;
mod summary;
mod supervision;
mod teachers;
mod vocational;

/// Who may call a route. Record-level scope (which school, which student) is checked by
/// the services; this is the role-level gate in front of them, and it names the same
/// permission the service requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No login: the login page, health, static files.
    Public,
    /// Any signed-in account, a region's too: signing out, the password, the home page,
    /// who am I.
    AnyAccount,
    /// Any signed-in account of a county (data still limited to its scope): the pages that
    /// read one county's records, which a region account never does
    /// (`Role::works_in_a_county`).
    SignedIn,
    /// Roles holding this permission (see `Role::permits`).
    Permission(P),
}

impl Access {
    pub fn admits(self, role: Role) -> bool {
        match self {
            Access::Public | Access::AnyAccount => true,
            Access::SignedIn => role.works_in_a_county(),
            Access::Permission(permission) => role.permits(permission),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// Chinese summary, shown in the OpenAPI document for API routes.
    pub summary: &'static str,
    /// A file upload (multipart/form-data) rather than a form or JSON body.
    pub upload: bool,
    /// API routes: the 200 reply and the JSON request body, as the handler's signature
    /// says (`Table::api`); the OpenAPI document shows them.
    pub reply: Option<Reply>,
    pub body: Option<SchemaFn>,
}

struct Table {
    specs: Vec<RouteSpec>,
    router: Router<AppState>,
    /// The largest upload body accepted (the `upload_limit` setting).
    upload_limit: usize,
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
        self.add_limited(method, path, access, summary, handler, None, None)
    }

    /// An API route: its reply and request body are documented from the handler's type.
    fn api<H, T, A>(
        self,
        method: &'static str,
        path: &'static str,
        access: Access,
        summary: &'static str,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState> + ApiHandler<A>,
        T: 'static,
    {
        let doc = (H::reply(), H::body());
        self.add_limited(method, path, access, summary, handler, None, Some(doc))
    }

    /// An API file upload (multipart/form-data), documented as `api` is.
    fn api_upload<H, T, A>(
        self,
        path: &'static str,
        access: Access,
        summary: &'static str,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState> + ApiHandler<A>,
        T: 'static,
    {
        let limit = self.upload_limit;
        let doc = (H::reply(), H::body());
        self.add_limited(
            "POST",
            path,
            access,
            summary,
            handler,
            Some(limit),
            Some(doc),
        )
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
        let limit = self.upload_limit;
        self.add_limited("POST", path, access, summary, handler, Some(limit), None)
    }

    #[allow(clippy::too_many_arguments)]
    fn add_limited<H, T>(
        mut self,
        method: &'static str,
        path: &'static str,
        access: Access,
        summary: &'static str,
        handler: H,
        limit: Option<usize>,
        doc: Option<(Reply, Option<SchemaFn>)>,
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
            reply: doc.map(|(reply, _)| reply),
            body: doc.and_then(|(_, body)| body),
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

fn table(upload_limit: usize) -> Table {
    let t = Table {
        specs: Vec::new(),
        router: Router::new(),
        upload_limit,
    };
    let t = auth::routes(t);
    let t = registry::routes(t);
    let t = students::routes(t);
    let t = safety::routes(t);
    let t = aid::routes(t);
    let t = enrollment::routes(t);
    let t = teachers::routes(t);
    let t = double_reduction::routes(t);
    let t = forms::routes(t);
    let t = projects::routes(t);
    let t = honours::routes(t);
    let t = supervision::routes(t);
    let t = summary::routes(t);
    let t = documents::routes(t);
    let t = incidents::routes(t);
    let t = vocational::routes(t);
    let t = party::routes(t);
    let t = region::routes(t);
    dropout::routes(t)
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
    table(crate::DEFAULT_UPLOAD_LIMIT).specs
}

pub fn router(state: AppState) -> Router {
    let router = table(state.upload_limit)
        .router
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::fresh::mark_writes,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::explain_too_large,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::load_caller,
        ))
        .with_state(state);
    crate::layers::around(router)
}
