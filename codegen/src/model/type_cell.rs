//! The Type column of property and parameter tables.
//!
//! The docs spell one type many ways: `String`, `Edm.String`, `string`,
//! `String collection`, `Collection(Edm.String)`, `[user](user.md)`,
//! `[user](user.md) collection`, `[user collection](user.md)`, with bold or
//! backticks around any of them. All of those are recognised; anything else
//! is reported, never guessed.

use super::TypeRef;
use super::resources::plain;
use crate::read::Inline;
use serde::{Deserialize, Serialize};

/// OData primitive types, as the generated code needs to tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Primitive {
    String,
    Boolean,
    Byte,
    SByte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    DateTimeOffset,
    Date,
    TimeOfDay,
    Duration,
    Guid,
    Binary,
    Stream,
    /// Any JSON value: used where the docs name no usable type.
    Untyped,
}

/// Spellings of each primitive, lower-cased and without `Edm.`; the first
/// is the canonical `Edm.` name.
const SPELLINGS: &[(Primitive, &[&str])] = &[
    (Primitive::String, &["string", "str"]),
    (Primitive::Boolean, &["boolean", "bool"]),
    (Primitive::Byte, &["byte"]),
    (Primitive::SByte, &["sbyte"]),
    (Primitive::Int16, &["int16"]),
    (Primitive::Int32, &["int32", "int", "integer"]),
    (Primitive::Int64, &["int64", "long"]),
    (Primitive::Single, &["single", "float"]),
    (Primitive::Double, &["double"]),
    (Primitive::Decimal, &["decimal"]),
    (Primitive::DateTimeOffset, &["datetimeoffset", "datetime"]),
    (Primitive::Date, &["date"]),
    (Primitive::TimeOfDay, &["timeofday", "time"]),
    (Primitive::Duration, &["duration"]),
    (Primitive::Guid, &["guid", "uuid"]),
    (Primitive::Binary, &["binary", "base64binary"]),
    (Primitive::Stream, &["stream"]),
    (
        Primitive::Untyped,
        &["untyped", "json", "json object", "untyped json object"],
    ),
];

impl Primitive {
    /// The `Edm.` name, as the model prints it.
    pub fn edm_name(self) -> &'static str {
        match self {
            Primitive::String => "Edm.String",
            Primitive::Boolean => "Edm.Boolean",
            Primitive::Byte => "Edm.Byte",
            Primitive::SByte => "Edm.SByte",
            Primitive::Int16 => "Edm.Int16",
            Primitive::Int32 => "Edm.Int32",
            Primitive::Int64 => "Edm.Int64",
            Primitive::Single => "Edm.Single",
            Primitive::Double => "Edm.Double",
            Primitive::Decimal => "Edm.Decimal",
            Primitive::DateTimeOffset => "Edm.DateTimeOffset",
            Primitive::Date => "Edm.Date",
            Primitive::TimeOfDay => "Edm.TimeOfDay",
            Primitive::Duration => "Edm.Duration",
            Primitive::Guid => "Edm.Guid",
            Primitive::Binary => "Edm.Binary",
            Primitive::Stream => "Edm.Stream",
            Primitive::Untyped => "Edm.Untyped",
        }
    }

    /// Parses only the canonical `Edm.` names (the model's own output).
    pub fn from_edm_name(s: &str) -> Option<Primitive> {
        SPELLINGS
            .iter()
            .map(|(p, _)| *p)
            .find(|p| p.edm_name() == s)
    }

    /// Parses any spelling the docs use, case-insensitively.
    pub fn from_doc_name(s: &str) -> Option<Primitive> {
        let s = s.trim();
        let bare = s
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("edm."))
            .map_or(s, |_| &s[4..])
            .to_ascii_lowercase();
        SPELLINGS
            .iter()
            .find(|(_, names)| names.contains(&bare.as_str()))
            .map(|(p, _)| *p)
    }
}

/// A parsed Type cell, before named types are resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellType {
    pub ty: TypeRef,
    pub collection: bool,
}

/// Reads a Type cell. `Err` carries the cell text for the diagnostic.
pub fn parse(cell: &Inline) -> Result<CellType, String> {
    let text = plain(&cell.text);
    let lower = text.to_ascii_lowercase();
    let mut collection = lower.ends_with(" collection")
        || lower.starts_with("collection(")
        || lower.starts_with("collection of ");
    // A link names the type; its text may itself say "collection".
    let name = match cell.links.first() {
        Some(link) => {
            let t = plain(&link.text);
            let (t, in_link) = strip_collection(&t);
            collection |= in_link;
            t
        }
        None => strip_collection(&text).0,
    };
    if name.is_empty() {
        return Err(cell.text.trim().to_owned());
    }
    if let Some(p) = Primitive::from_doc_name(&name).or_else(|| qualified_primitive(&name)) {
        return Ok(CellType {
            ty: TypeRef::Primitive(p),
            collection,
        });
    }
    // Kept as written (`microsoft.graph.x` says "the default namespace",
    // which resolution needs to know); only checked to be a type name.
    match type_key(&name) {
        Some(_) => Ok(CellType {
            ty: TypeRef::Named(name.trim().trim_start_matches('#').to_owned()),
            collection,
        }),
        None => Err(cell.text.trim().to_owned()),
    }
}

/// A primitive followed by a qualifier the docs add for people:
/// `string (url)`, `String (timestamp)`, `string, maximum size 20`.
fn qualified_primitive(text: &str) -> Option<Primitive> {
    let head = text.split(['(', ',']).next()?;
    (head.len() < text.len())
        .then(|| Primitive::from_doc_name(head))
        .flatten()
}

/// A type name as the model keys types: without `#` and the default
/// `microsoft.graph.` namespace, keeping a sub-namespace. `#microsoft.graph.user`
/// gives `user`, `microsoft.graph.callRecords.session` gives
/// `callRecords.session`: two types that share a last name in different
/// namespaces stay two types.
pub fn type_key(name: &str) -> Option<&str> {
    let name = name.trim().trim_start_matches('#');
    let prefix = "microsoft.graph.";
    let name = match name.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &name[prefix.len()..],
        _ => name,
    };
    let ok = !name.is_empty()
        && name.split('.').all(|segment| {
            segment.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    ok.then_some(name)
}

/// The sub-namespace of a key (`callRecords.session` → `callRecords`).
pub fn key_namespace(key: &str) -> Option<&str> {
    key.rsplit_once('.').map(|(ns, _)| ns)
}

/// `key` placed in `namespace` unless it names one itself.
pub fn qualify(key: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) if !key.contains('.') => format!("{ns}.{key}"),
        _ => key.to_owned(),
    }
}

/// `X collection`, `Collection(X)`, `collection of X` → (`X`, true).
fn strip_collection(s: &str) -> (String, bool) {
    let lower = s.to_ascii_lowercase();
    if let Some(inner) = lower
        .strip_prefix("collection(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let start = s.len() - inner.len() - 1;
        return (s[start..start + inner.len()].trim().to_owned(), true);
    }
    if lower.starts_with("collection of ") {
        return (s["collection of ".len()..].trim().to_owned(), true);
    }
    if lower.ends_with(" collection") {
        return (s[..s.len() - " collection".len()].trim().to_owned(), true);
    }
    (s.trim().to_owned(), false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Link;

    fn cell(text: &str, link: Option<&str>) -> Inline {
        Inline {
            text: text.to_owned(),
            links: link
                .map(|t| Link {
                    text: t.to_owned(),
                    target: "x.md".to_owned(),
                })
                .into_iter()
                .collect(),
            ..Inline::default()
        }
    }

    fn prim(p: Primitive, collection: bool) -> Result<CellType, String> {
        Ok(CellType {
            ty: TypeRef::Primitive(p),
            collection,
        })
    }

    fn named(n: &str, collection: bool) -> Result<CellType, String> {
        Ok(CellType {
            ty: TypeRef::Named(n.to_owned()),
            collection,
        })
    }

    #[test]
    fn primitives_in_any_spelling() {
        assert_eq!(parse(&cell("String", None)), prim(Primitive::String, false));
        assert_eq!(
            parse(&cell("Edm.Int64", None)),
            prim(Primitive::Int64, false)
        );
        assert_eq!(
            parse(&cell("**boolean**", None)),
            prim(Primitive::Boolean, false)
        );
        assert_eq!(
            parse(&cell("`Guid` collection", None)),
            prim(Primitive::Guid, true)
        );
        assert_eq!(
            parse(&cell("Collection(Edm.String)", None)),
            prim(Primitive::String, true)
        );
    }

    #[test]
    fn linked_and_plain_type_names() {
        assert_eq!(parse(&cell("user", Some("user"))), named("user", false));
        assert_eq!(
            parse(&cell("assignedLicense collection", Some("assignedLicense"))),
            named("assignedLicense", true)
        );
        assert_eq!(
            parse(&cell("user collection", Some("user collection"))),
            named("user", true)
        );
        assert_eq!(
            parse(&cell("microsoft.graph.entity", None)),
            named("microsoft.graph.entity", false)
        );
        assert_eq!(
            parse(&cell(
                "microsoft.graph.callRecords.session collection",
                None
            )),
            named("microsoft.graph.callRecords.session", true)
        );
    }

    #[test]
    fn qualifiers_after_a_primitive_are_dropped() {
        assert_eq!(
            parse(&cell("string (url)", None)),
            prim(Primitive::String, false)
        );
        assert_eq!(
            parse(&cell("string, maximum size 20", None)),
            prim(Primitive::String, false)
        );
        assert_eq!(
            parse(&cell("JSON object", None)),
            prim(Primitive::Untyped, false)
        );
        assert!(parse(&cell("(boolean or string) collection", None)).is_err());
    }

    #[test]
    fn keys_keep_sub_namespaces() {
        assert_eq!(type_key("#microsoft.graph.user"), Some("user"));
        assert_eq!(
            type_key("Microsoft.Graph.callRecords.session"),
            Some("callRecords.session")
        );
        assert_eq!(type_key("microsoft.graph."), None);
        assert_eq!(type_key("a..b"), None);
        assert_eq!(key_namespace("callRecords.session"), Some("callRecords"));
        assert_eq!(
            qualify("session", Some("callRecords")),
            "callRecords.session"
        );
        assert_eq!(
            qualify("termStore.set", Some("callRecords")),
            "termStore.set"
        );
    }

    #[test]
    fn unknown_spellings_are_errors() {
        assert!(parse(&cell("", None)).is_err());
        assert!(parse(&cell("see below", None)).is_err());
        assert!(parse(&cell("String or Int32", None)).is_err());
    }
}
