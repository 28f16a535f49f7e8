//! The API's JSON body extractor: a malformed, missing or wrong-typed body is answered in
//! the API's own shape, `{code: "bad_request", message}` in Chinese, not axum's plain text.

use crate::error::{ApiError, WebError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use std::marker::PhantomData;

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
        parse(&read(request, state).await?).map(ApiJson)
    }
}

/// `JsonBody<T>`: a JSON body of `T` read only when the handler asks, after it has checked
/// that the record is in the caller's scope (a record out of scope answers 404 whatever
/// the body). Read as `ApiJson` reads.
pub struct JsonBody<T> {
    bytes: Bytes,
    of: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> JsonBody<T> {
    pub fn parse(&self) -> Result<T, ApiError> {
        parse(&self.bytes)
    }

    /// The body, or `T::default()` when none was sent.
    pub fn parse_or_default(&self) -> Result<T, ApiError>
    where
        T: Default,
    {
        if self.bytes.is_empty() {
            Ok(T::default())
        } else {
            self.parse()
        }
    }
}

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(JsonBody {
            bytes: read(request, state).await?,
            of: PhantomData,
        })
    }
}

async fn read<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state).await.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            bad_request(status, "请求内容超过上限".into())
        } else {
            bad_request(status, format!("请求内容无法读取：{}", e.body_text()))
        }
    })
}

/// Reads a JSON body already in hand.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
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
