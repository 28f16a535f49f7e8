//! What the OpenAPI document says about an API route is read off its handler's signature:
//! the 200 reply is the `Json<T>` the handler returns (or a file), the request body the
//! `ApiJson<T>` / `JsonBody<T>` it reads last. A route registered with `Table::api` can
//! therefore not be documented with a schema other than the one it answers with.

use crate::error::ApiError;
use crate::extract::{ApiJson, JsonBody};
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use std::future::Future;

/// Adds a type's schema to the generator's definitions and returns the reference to it.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn schema_of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// An API route's 200 reply as the OpenAPI document shows it.
#[derive(Clone, Copy, Debug)]
pub enum Reply {
    /// `application/json` of this schema.
    Json(SchemaFn),
    /// A stored file's bytes, of its own media type.
    File,
}

/// A file an API handler answers with (a stored evidence file), not JSON.
pub struct Download(pub Response);

impl IntoResponse for Download {
    fn into_response(self) -> Response {
        self.0
    }
}

/// What a handler's output is documented as.
pub trait ApiReply {
    fn reply() -> Reply;
}

impl<T: JsonSchema> ApiReply for Json<T> {
    fn reply() -> Reply {
        Reply::Json(schema_of::<T>)
    }
}

impl ApiReply for Download {
    fn reply() -> Reply {
        Reply::File
    }
}

impl<R: ApiReply> ApiReply for Result<R, ApiError> {
    fn reply() -> Reply {
        R::reply()
    }
}

/// What a handler's last argument says about the request body: a JSON body of a schema,
/// or none (a multipart upload's body is documented by the route being an upload).
pub trait ApiBody {
    fn body() -> Option<SchemaFn> {
        None
    }
}

impl<T> ApiBody for State<T> {}
impl<T> ApiBody for Extension<T> {}
impl ApiBody for crate::session::Ctx {}
impl<T> ApiBody for Path<T> {}
impl<T> ApiBody for Query<T> {}
impl ApiBody for Request {}

impl<T: JsonSchema> ApiBody for ApiJson<T> {
    fn body() -> Option<SchemaFn> {
        Some(schema_of::<T>)
    }
}

impl<T: JsonSchema> ApiBody for JsonBody<T> {
    fn body() -> Option<SchemaFn> {
        Some(schema_of::<T>)
    }
}

/// An async fn usable as an API handler: its reply and request body, for the document.
/// `Args` is the tuple of its argument types (inferred, as axum's `Handler` is).
pub trait ApiHandler<Args> {
    fn reply() -> Reply;
    fn body() -> Option<SchemaFn>;
}

impl<F, Fut> ApiHandler<()> for F
where
    F: FnOnce() -> Fut,
    Fut: Future,
    Fut::Output: ApiReply,
{
    fn reply() -> Reply {
        Fut::Output::reply()
    }
    fn body() -> Option<SchemaFn> {
        None
    }
}

macro_rules! api_handler {
    ($($arg:ident),* ; $last:ident) => {
        impl<F, Fut, $($arg,)* $last> ApiHandler<($($arg,)* $last,)> for F
        where
            F: FnOnce($($arg,)* $last) -> Fut,
            Fut: Future,
            Fut::Output: ApiReply,
            $last: ApiBody,
        {
            fn reply() -> Reply {
                Fut::Output::reply()
            }
            fn body() -> Option<SchemaFn> {
                $last::body()
            }
        }
    };
}

api_handler!(; A1);
api_handler!(A1; A2);
api_handler!(A1, A2; A3);
api_handler!(A1, A2, A3; A4);
api_handler!(A1, A2, A3, A4; A5);
