//! The layers around every route: a request id, one tracing span per request (method,
//! route, account, status, duration) and the security headers.
//!
//! The request id is ours, never the client's (a client-sent id would be text we write
//! into the log unchecked). It goes back in `x-request-id`, and a 500 page shows it as the
//! reference number the administrator finds in the log.

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderName, HeaderValue, Response};
use axum::middleware::{self, Next};
use axum::Router;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static CURRENT_REQUEST: RequestId;
}

/// The id of one request: the process's start second and a counter, short enough to read
/// out over the phone (`6f1c2a-42`).
#[derive(Clone, Debug)]
pub struct RequestId(String);

impl RequestId {
    fn next() -> RequestId {
        static COUNTER: AtomicU64 = AtomicU64::new(1);
        static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let prefix = PREFIX.get_or_init(|| {
            let started = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            format!("{:06x}", started & 0xff_ffff)
        });
        RequestId(format!(
            "{prefix}-{}",
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The id of the request being handled, if any (outside a request: none).
pub fn current_request_id() -> Option<String> {
    CURRENT_REQUEST.try_with(|id| id.0.clone()).ok()
}

/// Records the signed-in account on the request's span once the session is known.
pub fn record_account(username: &str) {
    Span::current().record("account", username);
}

/// Wraps a router in the request id, tracing and security-header layers.
pub fn around(router: Router) -> Router {
    with_security_headers(router)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(finished)
                // error.rs logs a 500 with its cause; a second line would say less.
                .on_failure(()),
        )
        .layer(middleware::from_fn(with_request_id))
}

async fn with_request_id(mut request: Request, next: Next) -> axum::response::Response {
    let id = RequestId::next();
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        request.headers_mut().insert(REQUEST_ID, value.clone());
        request.extensions_mut().insert(id.clone());
        let mut response = CURRENT_REQUEST.scope(id, next.run(request)).await;
        response.headers_mut().insert(REQUEST_ID, value);
        return response;
    }
    next.run(request).await
}

fn request_span(request: &Request<Body>) -> Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(none)".into());
    let id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.as_str().to_string())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        route = %route,
        account = tracing::field::Empty,
        status = tracing::field::Empty,
        ms = tracing::field::Empty,
    )
}

fn finished(response: &Response<Body>, latency: Duration, span: &Span) {
    let status = response.status().as_u16();
    let ms = latency.as_millis() as u64;
    span.record("status", status);
    span.record("ms", ms);
    tracing::info!(parent: span, "request finished");
}

/// What every response carries: no sniffing, no framing, same-origin referrers, a strict
/// CSP (no inline script or style), and no caching of pages with personal data unless a
/// handler says otherwise (static files do).
fn with_security_headers(router: Router) -> Router {
    const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'";
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::CONTENT_SECURITY_POLICY, CSP),
    ];
    let router = fixed.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ))
    });
    router.layer(SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ))
}
