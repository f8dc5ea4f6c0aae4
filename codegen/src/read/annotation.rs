//! `<!-- { "blockType": … } -->` annotations.
//!
//! They are hand-written JSON and often slightly off: trailing commas,
//! booleans written as strings and `// …` comments (inside the object or
//! after it: `{ "blockType": "ignored" } // Note: …`) are common, so all
//! are accepted. Anything else that is not JSON is reported and the
//! annotation dropped.

use crate::diag::Sink;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// Stored value by value ([`super::Parsed`]; see `json_exact`).
    #[serde(with = "json_exact")]
    pub fields: Map<String, Value>,
    pub line: u32,
}

impl Annotation {
    /// Extracts the annotation from an HTML comment block, if it holds one.
    ///
    /// Returns `None` for ordinary comments (those not starting with `{`).
    pub fn from_comment(html: &str, line: u32, sink: &mut Sink<'_>) -> Option<Annotation> {
        let start = html.find("<!--")? + 4;
        let end = html[start..].find("-->").map_or(html.len(), |e| start + e);
        let body = html[start..end].trim();
        if !body.starts_with('{') {
            return None;
        }
        let json = strip_trailing_commas(&without_comments(body));
        match serde_json::from_str::<Value>(&json) {
            Ok(Value::Object(fields)) => Some(Annotation { fields, line }),
            Ok(_) => None,
            Err(e) => {
                sink.warn(
                    line,
                    "invalid-annotation-json",
                    format!("annotation is not valid JSON ({e}); it is ignored"),
                );
                None
            }
        }
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        self.fields.get(key)?.as_str().map(str::trim)
    }

    /// The type the annotation names: `@odata.type` in any case, or the
    /// shorter `@type` some pages use.
    pub fn odata_type(&self) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("@odata.type") || k.as_str() == "@type")
            .and_then(|(_, v)| v.as_str())
            .map(str::trim)
    }

    /// A boolean field, also accepting `"true"` and `"false"` strings.
    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.fields.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => s.trim().to_ascii_lowercase().parse().ok(),
            _ => None,
        }
    }

    /// `blockType`, lower-cased (`resource`, `request`, `response`, …).
    pub fn block_type(&self) -> Option<String> {
        self.str("blockType").map(str::to_ascii_lowercase)
    }
}

/// `json` without `// …` comments outside strings, up to the end of its
/// first top-level value.
fn without_comments(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut depth = 0usize;
    let mut chars = json.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '/' && chars.peek() == Some(&'/') {
            for skipped in chars.by_ref() {
                if skipped == '\n' {
                    break;
                }
            }
            out.push('\n');
            continue;
        } else {
            match c {
                '"' => in_string = true,
                '{' | '[' => depth += 1,
                '}' | ']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        out.push(c);
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(c);
    }
    out
}

/// Removes commas that directly precede `}` or `]`, outside strings.
fn strip_trailing_commas(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in json.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ',' {
            let next = json[i + 1..].trim_start().chars().next();
            if matches!(next, Some('}' | ']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A JSON object stored value by value, each number as serde_json holds
/// it (an unsigned, a signed or a float, to the bit), so that it reads
/// back equal to what was parsed: binary formats cannot read a `Value`
/// back, and JSON text can come back a float's last bit off.
mod json_exact {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::{Map, Number, Value};

    #[derive(Serialize, Deserialize)]
    enum Json {
        Null,
        Bool(bool),
        Unsigned(u64),
        Signed(i64),
        Float(f64),
        String(String),
        Array(Vec<Json>),
        Object(Vec<(String, Json)>),
    }

    fn stored(value: &Value) -> Json {
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), ..) => Json::Unsigned(u),
                (None, Some(i), _) => Json::Signed(i),
                (None, None, f) => Json::Float(f.unwrap_or_default()),
            },
            Value::String(s) => Json::String(s.clone()),
            Value::Array(items) => Json::Array(items.iter().map(stored).collect()),
            Value::Object(fields) => Json::Object(object(fields)),
        }
    }

    fn object(fields: &Map<String, Value>) -> Vec<(String, Json)> {
        (fields.iter())
            .map(|(k, v)| (k.clone(), stored(v)))
            .collect()
    }

    fn value(json: Json) -> Value {
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Unsigned(u) => Value::Number(u.into()),
            Json::Signed(i) => Value::Number(i.into()),
            // Parsed JSON holds no NaN nor infinity.
            Json::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
            Json::String(s) => Value::String(s),
            Json::Array(items) => Value::Array(items.into_iter().map(value).collect()),
            Json::Object(fields) => Value::Object(map(fields)),
        }
    }

    fn map(fields: Vec<(String, Json)>) -> Map<String, Value> {
        (fields.into_iter()).map(|(k, v)| (k, value(v))).collect()
    }

    pub fn serialize<S: Serializer>(fields: &Map<String, Value>, s: S) -> Result<S::Ok, S::Error> {
        object(fields).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
        Ok(map(Vec::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_annotation_reads_back_to_the_bit() {
        let text = r#"<!-- { "blockType": "request", "n": -3, "u": 18446744073709551615,
            "f": 9.604021021238429e-20, "g": 0.1, "deep": {"a": [null, true, "x"]} } -->"#;
        let (annotation, _) = parse(text);
        let annotation = annotation.expect("an annotation");
        let bytes = postcard::to_stdvec(&annotation).unwrap();
        let back: Annotation = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, annotation);
        let f = |a: &Annotation| a.fields["f"].as_f64().map(f64::to_bits);
        assert_eq!(f(&back), f(&annotation));
    }

    fn parse(html: &str) -> (Option<Annotation>, Vec<crate::diag::Diagnostic>) {
        let mut sink = Sink::new("a.md");
        let a = Annotation::from_comment(html, 7, &mut sink);
        (a, sink.into_vec())
    }

    #[test]
    fn tolerates_trailing_commas_and_string_booleans() {
        let (a, d) = parse(
            "<!-- {\n \"blockType\": \"Response\",\n \"truncated\": \"true\",\n \"x\": [1,2,],\n} -->",
        );
        let a = a.unwrap();
        assert!(d.is_empty());
        assert_eq!(a.block_type().as_deref(), Some("response"));
        assert_eq!(a.bool("truncated"), Some(true));
        assert_eq!(a.line, 7);
    }

    #[test]
    fn comments_inside_and_after_the_object_are_dropped() {
        let (a, d) = parse(
            "<!-- { \"blockType\": \"ignored\"  } // Note: Removing this line will result in … -->",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(a.unwrap().block_type().as_deref(), Some("ignored"));
        let (a, d) =
            parse("<!-- {\n \"blockType\": \"request\", // the first\n \"name\": \"a//b\"\n} -->");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(a.unwrap().str("name"), Some("a//b"));
    }

    #[test]
    fn commas_inside_strings_are_kept() {
        let (a, _) = parse(r#"<!--{"name": "a,}", "q": "\",]"}-->"#);
        let a = a.unwrap();
        assert_eq!(a.str("name"), Some("a,}"));
        assert_eq!(a.str("q"), Some("\",]"));
    }

    #[test]
    fn the_type_is_read_in_every_spelling_the_docs_use() {
        for key in ["@odata.type", "@Odata.type", "@type"] {
            let (a, _) = parse(&format!(
                r#"<!-- {{"{key}": " microsoft.graph.list "}} -->"#
            ));
            assert_eq!(
                a.unwrap().odata_type(),
                Some("microsoft.graph.list"),
                "{key}"
            );
        }
        let (a, _) = parse(r#"<!-- {"type": "microsoft.graph.list"} -->"#);
        assert_eq!(a.unwrap().odata_type(), None);
    }

    #[test]
    fn plain_comments_are_not_annotations() {
        assert_eq!(parse("<!-- just a note -->"), (None, vec![]));
    }

    #[test]
    fn broken_json_is_reported_with_its_line() {
        let (a, d) = parse("<!-- { \"blockType\": request } -->");
        assert!(a.is_none());
        assert_eq!(d[0].code, "invalid-annotation-json");
        assert_eq!(d[0].line, 7);
    }
}
