//! The form round trip of the pages: post-redirect-get (303) when the service accepts, the
//! same page again with the field error when it refuses one field, the error page for
//! anything else.

use crate::error::PageError;
use axum::response::{IntoResponse, Redirect, Response};
use emis_app::registry::FieldError;
use emis_app::AppError;
use std::future::Future;

/// `done` names where to go on success (with its flash query); `again` renders the page
/// with the refused field shown (and sets its own status).
pub async fn round_trip<T, Again, Shown>(
    outcome: emis_app::Result<T>,
    done: impl FnOnce(T) -> String,
    again: Again,
) -> Result<Response, PageError>
where
    Again: FnOnce(FieldError) -> Shown,
    Shown: Future<Output = Result<Response, PageError>>,
{
    match AppError::field_error(outcome)? {
        Ok(value) => Ok(Redirect::to(&done(value)).into_response()),
        Err(refused) => again(refused).await,
    }
}

/// For pages whose refusal and success both render (no redirect): the field refusal split
/// out of the outcome, any other error as the error page.
pub trait SplitRefusal<T> {
    fn split_refusal(self) -> Result<Result<T, FieldError>, AppError>;
}

impl<T> SplitRefusal<T> for emis_app::Result<T> {
    fn split_refusal(self) -> Result<Result<T, FieldError>, AppError> {
        AppError::field_error(self)
    }
}
