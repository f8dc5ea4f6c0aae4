//! The small hand-written runtime that docgen-generated clients use.
//!
//! Generated code stays lean by leaning on this crate for what every
//! operation and type shares: building [`Request`] values (pure data that
//! tests can inspect, separate from any transport), percent-encoding path
//! parameters, string-backed primitive types that keep the exact text the
//! service sent, the `{"value": […]}` collection envelope, reading and
//! writing the JSON objects of generated structs ([`object`]), and (with the
//! `conformance` feature) the round-trip check the docs' examples are
//! tested with.

#[cfg(feature = "client")]
pub mod client;
mod collection;
#[cfg(feature = "conformance")]
pub mod conformance;
mod content;
#[cfg(any(feature = "conformance", feature = "mock"))]
mod deep_stack;
#[cfg(any(feature = "conformance", feature = "mock"))]
mod fixture;
mod flags;
#[cfg(any(feature = "conformance", feature = "mock"))]
mod json_path;
#[cfg(feature = "loopback")]
pub mod loopback;
#[cfg(feature = "mock")]
pub mod mock;
pub mod object;
mod patch;
mod path;
mod primitives;
mod request;
#[cfg(feature = "conformance")]
mod unknowns;

#[cfg(feature = "client")]
pub use client::{Batch, Client, Error};
pub use collection::{Binary, Collection, NoContent, Scalar};
pub use content::{Content, OCTET_STREAM};
pub use flags::{Flags, WireEnum};
pub use patch::Patch;
pub use path::{PathPart, build_path, extend_path};
pub use primitives::{Base64, Date, DateTimeOffset, Duration, Guid, TimeOfDay};
pub use request::{Method, Request};

/// The type named by a value's `@odata.type`, as generated code keys types:
/// without the `#` and the default `microsoft.graph.` namespace, keeping a
/// sub-namespace. `"#microsoft.graph.user"` → `user`,
/// `"microsoft.graph.callRecords.session"` → `callRecords.session`.
/// Generated `Any…` enums choose their variant with it.
pub fn odata_type_name(value: &serde_json::Value) -> Option<&str> {
    let full = value.get("@odata.type")?.as_str()?.trim_start_matches('#');
    let prefix = "microsoft.graph.";
    Some(match full.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &full[prefix.len()..],
        _ => full,
    })
}

#[cfg(test)]
mod tests {
    use super::odata_type_name;
    use serde_json::json;

    #[test]
    fn odata_type_names_with_and_without_hash_and_namespace() {
        assert_eq!(
            odata_type_name(&json!({"@odata.type": "#microsoft.graph.user"})),
            Some("user")
        );
        assert_eq!(
            odata_type_name(&json!({"@odata.type": "microsoft.graph.callRecords.session"})),
            Some("callRecords.session")
        );
        assert_eq!(
            odata_type_name(&json!({"@odata.type": "group"})),
            Some("group")
        );
        assert_eq!(odata_type_name(&json!({"id": "1"})), None);
        assert_eq!(odata_type_name(&json!({"@odata.type": 3})), None);
    }
}
