//! The API's JSON body extractor: a malformed, missing or wrong-typed body is answered in
//! the API's own shape, `{code: "bad_request", message}` in Chinese, not axum's plain text.

use crate::error::{ApiError, WebError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

/// `ApiJson<T>`: the request body read as JSON into `T`. The content type is not insisted
/// on (scripts often omit it); the body is what counts. Unreadable JSON answers 400, JSON
/// of the wrong shape (a missing field, a number for a text) 422.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            let status = e.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                bad_request(status, "请求内容超过上限".into())
            } else {
                bad_request(status, format!("请求内容无法读取：{}", e.body_text()))
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

/// Reads a JSON body already in hand (a handler that also needs the raw bytes).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let status = match e.classify() {
            Category::Data => StatusCode::UNPROCESSABLE_ENTITY,
            Category::Io | Category::Syntax | Category::Eof => StatusCode::BAD_REQUEST,
        };
        bad_request(status, format!("请求内容不是有效的 JSON：{e}"))
    })
}

fn bad_request(status: StatusCode, message: String) -> ApiError {
    ApiError(WebError::BadRequest(status, message))
}
