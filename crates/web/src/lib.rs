//! The web UI (server-rendered Chinese pages) and the JSON API under `/api/v1`, both over
//! the app services. Every route is declared once in `routes()` with its access rule;
//! the same table drives the router, the access check, the OpenAPI document and the test
//! that walks every route with every role.
#![forbid(unsafe_code)]

mod api;
mod download;
mod error;
mod extract;
mod form;
mod fresh;
mod jobs;
mod layers;
mod list;
mod page;
mod pages;
mod routes;
mod session;
mod upload;

pub use api::schema::{Reply, SchemaFn};
pub use routes::{route_table, Access, RouteSpec};

use emis_app::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub county: String,
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// The largest upload accepted, in bytes (`EMIS_UPLOAD_LIMIT_MB`, default 64 MB).
    pub upload_limit: usize,
    /// What today is, for every rule that looks at the date.
    pub clock: emis_app::Clock,
    /// A download of more rows than this runs as a background job (default 5,000: a
    /// school's or a township's lists come at once, the county's through the job page).
    pub download_job_rows: i64,
    /// Long work running beside the requests (后台任务).
    pub jobs: std::sync::Arc<jobs::Jobs>,
    /// Changes made through this server, which end the caches' values.
    pub(crate) changes: fresh::Changes,
    /// Each scope's home figures, shared for a short while ([`fresh`]).
    pub(crate) homes: std::sync::Arc<fresh::Fresh<pages::home::Figures>>,
    /// Each region's roll-up by year, shared the same way: every county's indicators are
    /// computed for it, which the page, its 导出 and the API would otherwise each repeat.
    pub(crate) rollups: std::sync::Arc<fresh::Fresh<emis_app::region::Rollup>>,
    /// Each county's terms with roll data and each scope's schools and townships to pick,
    /// which every list page offers, shared the same way.
    pub(crate) terms: std::sync::Arc<fresh::Fresh<Vec<String>>>,
    pub(crate) choices: std::sync::Arc<fresh::Fresh<list::Choices>>,
    /// Each student list's class walk by scope and filters, shared for 15 s: paging
    /// through a county's roll then reads a page's classes instead of sorting the roll.
    pub(crate) class_walks: std::sync::Arc<fresh::Fresh<emis_app::registry::queries::ClassWalk>>,
}

/// The default upload limit: a county's whole roll as xlsx is about 20 MB.
pub const DEFAULT_UPLOAD_LIMIT: usize = 64 << 20;
/// Forms and JSON bodies other than uploads (the framework's default).
pub const FORM_BODY_LIMIT: usize = 2 << 20;

impl AppState {
    pub fn new(db: Db, county: String) -> AppState {
        let changes = fresh::Changes::default();
        AppState {
            db,
            county,
            secure_cookies: false,
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            download_job_rows: 5_000,
            clock: emis_app::Clock::system(),
            jobs: std::sync::Arc::new(jobs::Jobs::new(changes.clone())),
            homes: std::sync::Arc::new(fresh::Fresh::new(fresh::HOME_TTL, changes.clone())),
            rollups: std::sync::Arc::new(fresh::Fresh::new(fresh::HOME_TTL, changes.clone())),
            class_walks: std::sync::Arc::new(fresh::Fresh::new(fresh::LIST_TTL, changes.clone())),
            terms: std::sync::Arc::new(fresh::Fresh::new(fresh::HOME_TTL, changes.clone())),
            choices: std::sync::Arc::new(fresh::Fresh::new(fresh::HOME_TTL, changes.clone())),
            changes,
        }
    }
}

/// The whole application as one router; tests drive it in-process.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}

/// Serves until the process is stopped.
pub async fn serve(state: AppState, listen: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(address = %listener.local_addr()?, "listening");
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}
