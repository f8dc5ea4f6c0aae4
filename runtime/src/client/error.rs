//! What can go wrong when a request is sent, with Graph's error body typed.

use super::auth::BoxError;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// Why a request did not produce its response value.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status; its body is in the
    /// [`ApiError`].
    Api(Box<ApiError>),
    /// The request never got an answer: connection refused, reset, timed
    /// out, or the like.
    Transport(reqwest::Error),
    /// The answer had a success status but its body is not the documented
    /// type.
    Decode {
        status: u16,
        source: serde_json::Error,
        body: String,
    },
    /// The request body could not be serialised (see
    /// [`crate::Request::json_body`]).
    Encode(String),
    /// The token provider failed.
    Token(BoxError),
    /// The request cannot be sent as built: a header name or value that
    /// HTTP does not allow, or a `.` or `..` path segment, which would
    /// address another resource than the one meant.
    Invalid(String),
    /// The base URL, or a next-page link, is not a URL the client may use:
    /// not a URL at all, or a link to another origin, which would receive
    /// the bearer token.
    Url(String),
    /// A file to send, or an upload's source, could not be read.
    Io(String),
    /// An upload session ended without the service accepting every byte:
    /// it expired, or it kept refusing the ranges sent.
    Upload(String),
    /// TLS could not be set up for the client.
    Tls(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::Decode { status, source, .. } => {
                write!(
                    f,
                    "{status} response body is not the documented type: {source}"
                )
            }
            Error::Encode(e) => write!(f, "request body does not serialise: {e}"),
            Error::Token(e) => write!(f, "no access token: {e}"),
            Error::Url(e) | Error::Invalid(e) => f.write_str(e),
            Error::Io(e) => write!(f, "cannot read the body: {e}"),
            Error::Upload(e) => write!(f, "upload failed: {e}"),
            Error::Tls(e) => write!(f, "TLS cannot be set up: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Decode { source, .. } => Some(source),
            Error::Token(e) => Some(e.as_ref()),
            Error::Api(_)
            | Error::Encode(_)
            | Error::Url(_)
            | Error::Invalid(_)
            | Error::Io(_)
            | Error::Upload(_)
            | Error::Tls(_) => None,
        }
    }
}

/// An error status from the service, with Graph's error body:
/// `{"error": {"code": …, "message": …, "innerError": …, "details": […]}}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: u16,
    /// Graph's error code, e.g. `Request_ResourceNotFound`; empty when the
    /// body is not Graph's error shape.
    pub code: String,
    pub message: String,
    /// Diagnostics such as `request-id` and `date`, as sent.
    pub inner_error: Option<serde_json::Value>,
    pub details: Vec<serde_json::Value>,
    /// The `Retry-After` the service asked for, on 429 and 503.
    pub retry_after: Option<Duration>,
    /// The body as received, for bodies that are not Graph's error shape.
    pub body: String,
}

#[derive(Deserialize)]
struct Envelope {
    error: Body,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default, alias = "innererror")]
    inner_error: Option<serde_json::Value>,
    #[serde(default)]
    details: Vec<serde_json::Value>,
}

impl ApiError {
    pub(crate) fn new(status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        let text = String::from_utf8_lossy(body).into_owned();
        let parsed = serde_json::from_slice::<Envelope>(body)
            .ok()
            .map(|e| e.error);
        let (code, message, inner_error, details) = match parsed {
            Some(b) => (b.code, b.message, b.inner_error, b.details),
            None => (String::new(), text.clone(), None, Vec::new()),
        };
        ApiError {
            status,
            code,
            message,
            inner_error,
            details,
            retry_after,
            body: text,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the service answered {}", self.status)?;
        if !self.code.is_empty() {
            write!(f, " {}", self.code)?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_error_bodies_are_typed_and_others_kept_as_text() {
        let body = br#"{"error": {"code": "Request_ResourceNotFound", "message": "No user.",
            "innerError": {"request-id": "r1"}, "details": [{"code": "x"}]}}"#;
        let e = ApiError::new(404, body, None);
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("Request_ResourceNotFound", "No user.")
        );
        assert_eq!(e.inner_error.unwrap()["request-id"], "r1");
        assert_eq!(e.details.len(), 1);
        let e = ApiError::new(502, b"Bad gateway", None);
        assert_eq!((e.code.as_str(), e.message.as_str()), ("", "Bad gateway"));
        assert_eq!(e.to_string(), "the service answered 502: Bad gateway");
    }
}
