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

/// A form's field error as the page shows it: the status (422 when a field was refused),
/// the field and the reason (empty when none).
pub fn form_error(error: Option<FieldError>) -> (axum::http::StatusCode, String, String) {
    match error {
        Some(e) => (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            e.field.to_string(),
            e.reason,
        ),
        None => (axum::http::StatusCode::OK, String::new(), String::new()),
    }
}

/// What a page with a form shows besides its data: the form as last posted (or blank), the
/// field the service refused, and the notice after a success. Pages that render again after
/// a post (no redirect) take one of these.
pub struct Round<F> {
    pub form: F,
    pub error: Option<FieldError>,
    pub flash: Option<String>,
}

impl<F: Default> Default for Round<F> {
    fn default() -> Self {
        Round {
            form: F::default(),
            error: None,
            flash: None,
        }
    }
}

impl<F: Default> Round<F> {
    /// A blank form with the notice of what was just done.
    pub fn done(flash: String) -> Self {
        Round {
            flash: Some(flash),
            ..Round::default()
        }
    }

    /// After a post: on success a blank form and `done` as the notice; on a refused field
    /// the form as posted, with the field's error.
    pub fn after<T>(outcome: Result<T, FieldError>, form: F, done: &str) -> Self {
        match outcome {
            Ok(_) => Round::done(done.to_string()),
            Err(error) => Round::refused(form, error),
        }
    }
}

impl<F> Round<F> {
    /// The form as posted with the field refused before the service was asked.
    pub fn refused(form: F, error: FieldError) -> Self {
        Round {
            form,
            error: Some(error),
            flash: None,
        }
    }

    /// The status the page answers with (422 when a field was refused), the refused field
    /// and its reason as the templates show them (empty when none).
    pub fn error_parts(&mut self) -> (axum::http::StatusCode, String, String) {
        form_error(self.error.take())
    }
}
