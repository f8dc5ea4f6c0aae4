//! The envelopes Graph wraps results in.

use serde::{Deserialize, Serialize};

/// A page of a collection: `{"value": […], "@odata.nextLink": …}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Collection<T> {
    pub value: Vec<T>,
    /// Where the next page is, when there is one.
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// Where to ask for later changes, on the last page of a delta query.
    #[serde(
        rename = "@odata.deltaLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub delta_link: Option<String>,
    /// Other annotations (`@odata.context`, `@odata.count`, …), kept as sent.
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

/// A single page holding `value`: what a test's mock answers with.
impl<T> From<Vec<T>> for Collection<T> {
    fn from(value: Vec<T>) -> Self {
        Collection {
            value,
            next_link: None,
            delta_link: None,
            additional_properties: serde_json::Map::new(),
        }
    }
}

/// A single primitive result: `{"value": …}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scalar<T> {
    pub value: T,
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

/// The response of an operation documented to return no body. It reads
/// any body, or none, and keeps nothing: a service that answers `200` with
/// a body where the docs promise `204` does not fail the call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoContent;

impl<'de> Deserialize<'de> for NoContent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| NoContent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_content_reads_anything() {
        for body in ["null", "{}", r#"{"id": [1, {"x": null}]}"#, "\"text\""] {
            assert_eq!(serde_json::from_str::<NoContent>(body).unwrap(), NoContent);
        }
    }
}

/// A response body that is not JSON: a file's content, a photo, a report
/// as CSV. A `Request<Binary>` is sent with `Client::download` (the whole
/// body) or `Client::download_stream` (chunk by chunk).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Binary {
    /// The `Content-Type` the service sent, if any.
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl Binary {
    /// The body as text, when it is UTF-8 (a CSV report, a text file).
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }
}
