//! The web UI and JSON API. Every handler reaches data through the app services.
#![forbid(unsafe_code)]

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use emis_storage::Db;
use serde_json::json;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub county: String,
}

/// The whole application as one router; tests drive it in-process.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/api/v1/health", get(health))
        .route("/api/v1/version", get(version))
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    let db_ok = sqlx_ping(&state.db).await;
    Json(
        json!({"status": if db_ok { "ok" } else { "degraded" }, "database": if db_ok { "ok" } else { "unreachable" }, "county": state.county}),
    )
}

async fn version() -> Json<serde_json::Value> {
    Json(json!({"name": "county-emis", "version": env!("CARGO_PKG_VERSION")}))
}

async fn sqlx_ping(db: &Db) -> bool {
    emis_storage::registry::counties(db).await.is_ok()
}

/// Serves until the process is stopped.
pub async fn serve(state: AppState, listen: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app(state)).await
}
