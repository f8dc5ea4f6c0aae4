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

/// A single primitive result: `{"value": …}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scalar<T> {
    pub value: T,
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}
