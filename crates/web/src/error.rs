//! One error type for pages and the API: a page in Chinese, or JSON `{code, message}`.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use emis_app::AppError;

#[derive(Debug)]
pub enum WebError {
    App(AppError),
    Unauthorized,
    Message(StatusCode, String),
    /// The request itself could not be read (a body that is not the JSON asked for).
    BadRequest(StatusCode, String),
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError::App(e)
    }
}

impl WebError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            WebError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "请先登录，或提供有效的 API 令牌".into(),
            ),
            WebError::Message(status, message) => (*status, "refused", message.clone()),
            WebError::BadRequest(status, message) => (*status, "bad_request", message.clone()),
            WebError::App(e) => match e {
                AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", e.to_string()),
                AppError::Login(_) => (StatusCode::UNAUTHORIZED, "unauthorized", e.to_string()),
                AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", e.to_string()),
                AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict", e.to_string()),
                // A field naming an org unit outside the caller's scope is a 403.
                AppError::Invalid { message, .. }
                    if message.ends_with(emis_app::registry::OUT_OF_SCOPE) =>
                {
                    (StatusCode::FORBIDDEN, "refused", e.to_string())
                }
                AppError::Refused(_)
                | AppError::Invalid { .. }
                | AppError::Answers(_)
                | AppError::Usage(_)
                | AppError::Sheet(_) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "refused", e.to_string())
                }
                AppError::Storage(_) | AppError::Write(_) => internal(e),
            },
        }
    }
}

/// A fault of ours: the cause goes to the log with the request id; the user sees only the
/// id as a reference number to give the administrator.
fn internal(e: &AppError) -> (StatusCode, &'static str, String) {
    let reference = crate::layers::current_request_id().unwrap_or_else(|| "-".into());
    tracing::error!(error = %e, reference = %reference, "request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        format!("系统内部错误，请稍后重试；如仍出错，请联系管理员并告知参考编号 {reference}"),
    )
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    message: String,
}

pub fn page_error(e: WebError) -> Response {
    let (status, _, message) = e.parts();
    let body = ErrorPage {
        status: status.as_u16(),
        message,
    }
    .render()
    .unwrap_or_else(|_| "错误".into());
    (status, Html(body)).into_response()
}

/// The API's error reply: a code (`unauthorized`, `forbidden`, `not_found`, `conflict`,
/// `refused`, `bad_request`, `internal`) and the reason in Chinese; a refusal of fields
/// also lists each refused field with its own reason (a form's answers, field by field).
#[derive(serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Error")]
pub struct ErrorBody {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldReason>,
}

/// One refused field: its name (a form field's code) and why.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct FieldReason {
    field: String,
    reason: String,
}

pub fn api_error(e: WebError) -> Response {
    let fields = match &e {
        WebError::App(AppError::Answers(refused)) => refused
            .iter()
            .map(|r| FieldReason {
                field: r.field.clone(),
                reason: r.reason.clone(),
            })
            .collect(),
        WebError::App(AppError::Invalid { field, message }) => vec![FieldReason {
            field: field.to_string(),
            reason: message.clone(),
        }],
        _ => Vec::new(),
    };
    let (status, code, message) = e.parts();
    let body = ErrorBody {
        code,
        message,
        fields,
    };
    (status, Json(body)).into_response()
}

/// A multipart body that could not be read: too large for the upload limit (413, which
/// `session::explain_too_large` words with the limit), or cut off or malformed.
pub fn upload_refusal(status: StatusCode) -> WebError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::Message(StatusCode::PAYLOAD_TOO_LARGE, "上传的文件超过上限".into())
    } else {
        WebError::Message(
            StatusCode::BAD_REQUEST,
            "上传中断或内容格式有误，请以表单（multipart/form-data）重新选择文件上传".into(),
        )
    }
}

/// For page handlers.
pub struct PageError(pub WebError);

impl PageError {
    /// The reason of an ordinary refusal (422: the request was read and turned down), for a
    /// page that shows it beside the form instead of leaving for the error page.
    pub fn refusal(&self) -> Option<String> {
        let (status, _, message) = self.0.parts();
        (status == StatusCode::UNPROCESSABLE_ENTITY).then_some(message)
    }
}

/// What a page handler answers.
pub type PageResult = Result<axum::response::Response, PageError>;

impl<E: Into<WebError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        page_error(self.0)
    }
}

/// For API handlers.
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        api_error(self.0)
    }
}
