//! What the mock answers from the docs: an endpoint's example response, or
//! the least value its documented type reads, or Graph's error shape.

use super::{Check, Route};
use crate::fixture::{Body, Fixture};
use serde_json::{Value, json};

/// An HTTP answer, before it is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(status: u16, body: &Value) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
    }

    pub(crate) fn empty(status: u16) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Graph's error body: `{"error": {"code", "message", "innerError"}}`.
    pub(crate) fn error(status: u16, code: &str, message: &str) -> Answer {
        Answer::json(
            status,
            &json!({"error": {
                "code": code,
                "message": message,
                "innerError": {"request-id": "mock", "client-request-id": "mock"},
            }}),
        )
    }

    /// The error code Graph gives with `status`.
    pub(crate) fn code_of(status: u16) -> &'static str {
        match status {
            400 => "BadRequest",
            401 => "InvalidAuthenticationToken",
            403 => "Forbidden",
            404 => "ResourceNotFound",
            405 => "MethodNotAllowed",
            409 => "Conflict",
            412 => "PreconditionFailed",
            429 => "TooManyRequests",
            501 => "NotImplemented",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ if status >= 500 => "InternalServerError",
            _ => "Error",
        }
    }
}

/// One example exchange of a fixture, as the mock serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Example {
    /// Normalised (see [`super::routes::normalise`]).
    pub path: String,
    pub query: Vec<(String, String)>,
    pub status: u16,
    pub body: Option<String>,
    /// The headers the example answers with besides the body's.
    pub headers: Vec<(String, String)>,
}

/// The examples of `route`'s fixture: its pairs, then its response bodies
/// shown without a request, answered with the documented status. A
/// fixture that does not read gives none.
pub(crate) fn examples(route: &Route) -> Vec<Example> {
    let Some(Ok(fixture)) = route.fixture.map(Fixture::read) else {
        return Vec::new();
    };
    let pairs = fixture.exchanges.into_iter().map(|e| Example {
        path: super::routes::normalise(&e.path),
        query: e.query,
        status: e.status,
        body: e.response,
        headers: e.response_headers,
    });
    let bodies = (fixture.examples.into_iter())
        .filter(|e| e.body == Body::Response)
        .map(|e| Example {
            path: String::new(),
            query: Vec::new(),
            status: route.status,
            body: Some(e.json),
            headers: Vec::new(),
        });
    pairs.chain(bodies).collect()
}

/// Whether `example` can be served for `route`: an error, content, an
/// answer without a documented type, or a body that reads as that type.
/// An example that does not (a placeholder such as `"Boolean"` where a
/// boolean goes: a doc defect) would fail the user's code, not test it.
pub(crate) fn servable(route: &Route, example: &Example) -> bool {
    let Some(reads) = route.response else {
        return true;
    };
    example.status >= 300
        || route.content_type.is_some()
        || example.body.as_deref().is_some_and(|b| reads(b).is_ok())
}

/// The least JSON value `reads` accepts, for an endpoint the docs show no
/// example of: an empty object, an empty collection, a zero scalar…
pub(crate) fn least_value(reads: Check) -> Option<&'static str> {
    const CANDIDATES: [&str; 10] = [
        "{}",
        r#"{"value": []}"#,
        r#"{"value": ""}"#,
        r#"{"value": 0}"#,
        r#"{"value": false}"#,
        "[]",
        r#""""#,
        "0",
        "false",
        "null",
    ];
    CANDIDATES.into_iter().find(|c| reads(c).is_ok())
}

/// `example`'s answer for `route`: JSON or the documented content type.
/// A `@odata.nextLink` of the docs points at the real service and is
/// dropped (the mock pages collections itself); a `@odata.deltaLink` is
/// moved onto the mock at `uri`, so that a delta query resumes there.
pub(crate) fn of_example(route: &Route, example: &Example, uri: &str) -> Answer {
    let mut answer = body_of(route, example, uri);
    // Headers about the bytes on the wire are the server's to send: the
    // body is neither compressed nor chunked as the docs' was.
    const FRAMING: [&str; 6] = [
        "connection",
        "content-encoding",
        "content-length",
        "content-type",
        "keep-alive",
        "transfer-encoding",
    ];
    let shown = (example.headers.iter())
        .filter(|(name, _)| !FRAMING.iter().any(|f| name.eq_ignore_ascii_case(f)));
    answer.headers.extend(shown.map(|(name, value)| {
        let name = name.to_ascii_lowercase();
        // A link to the service (an operation to poll) leads to the mock.
        let value = match name.as_str() {
            "location" | "content-location" if value.contains("://graph.microsoft.") => {
                rehomed(value, uri)
            }
            _ => value.clone(),
        };
        (name, value)
    }));
    answer
}

fn body_of(route: &Route, example: &Example, uri: &str) -> Answer {
    let Some(body) = &example.body else {
        return Answer::empty(example.status);
    };
    match serde_json::from_str::<Value>(body) {
        Ok(mut value) if route.content_type.is_none() || example.status >= 400 => {
            if let Some(object) = value.as_object_mut() {
                object.remove("@odata.nextLink");
                if let Some(Value::String(link)) = object.get_mut("@odata.deltaLink") {
                    *link = rehomed(link, uri);
                }
            }
            Answer::json(example.status, &value)
        }
        _ => Answer {
            status: example.status,
            headers: vec![(
                "content-type".to_owned(),
                route.content_type.unwrap_or(crate::OCTET_STREAM).to_owned(),
            )],
            body: body.as_bytes().to_vec(),
        },
    }
}

/// `link` with its origin and version segment replaced by `uri`:
/// `https://graph.microsoft.com/v1.0/users/delta()?$deltatoken=x` →
/// `{uri}/users/delta()?$deltatoken=x`.
fn rehomed(link: &str, uri: &str) -> String {
    let after_scheme = link.split_once("://").map_or(link, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let path = ["/v1.0", "/beta"]
        .iter()
        .find_map(|v| path.strip_prefix(v).filter(|p| p.starts_with('/')))
        .unwrap_or(path);
    format!("{uri}{path}")
}

/// The answer to a request the docs show no example of.
pub(crate) fn fallback(route: &Route) -> Answer {
    if let Some(media) = route.content_type {
        return Answer {
            status: 200,
            headers: vec![("content-type".to_owned(), media.to_owned())],
            body: Vec::new(),
        };
    }
    if route.response.is_none() {
        return Answer::empty(route.status);
    }
    match route.response.and_then(least_value) {
        Some(least) => Answer {
            body: least.as_bytes().to_vec(),
            ..Answer::json(route.status, &Value::Null)
        },
        None => Answer::error(
            501,
            Answer::code_of(501),
            &format!(
                "the docs show no example response of {}, and no least value reads as its type",
                route.operation
            ),
        ),
    }
}

/// The first `size` items of a collection answer, and what is left for
/// later pages; `None` when it is not a collection longer than that.
pub(crate) fn first_page(body: &[u8], size: usize) -> Option<(Value, Vec<Value>)> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let items = value.get_mut("value")?.as_array_mut()?;
    if items.len() <= size {
        return None;
    }
    let rest = items.split_off(size);
    Some((value, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Method;

    fn route(response: Option<super::super::Check>) -> Route {
        Route {
            operation: "users_list",
            method: Method::Get,
            path: "/users",
            status: 200,
            request: None,
            response,
            content_type: None,
            fixture: None,
        }
    }

    fn collection(json: &str) -> Result<(), String> {
        serde_json::from_str::<crate::Collection<Value>>(json)
            .map(drop)
            .map_err(|e| e.to_string())
    }

    fn number(json: &str) -> Result<(), String> {
        serde_json::from_str::<crate::Scalar<i64>>(json)
            .map(drop)
            .map_err(|e| e.to_string())
    }

    fn never(_: &str) -> Result<(), String> {
        Err("no".to_owned())
    }

    #[test]
    fn the_least_value_is_the_first_the_type_reads() {
        assert_eq!(least_value(collection), Some(r#"{"value": []}"#));
        assert_eq!(least_value(number), Some(r#"{"value": 0}"#));
        assert_eq!(least_value(never), None);
        assert_eq!(fallback(&route(Some(number))).body, br#"{"value": 0}"#);
        assert_eq!(fallback(&route(None)).status, 200);
        let answer = fallback(&route(Some(never)));
        assert_eq!(answer.status, 501);
        assert!(String::from_utf8_lossy(&answer.body).contains("users_list"));
    }

    #[test]
    fn fixtures_give_pairs_then_bodies_and_bad_fixtures_nothing() {
        let fixture = r#"{"operation": "users_list",
            "examples": [{"name": "a", "file": "f", "line": 1, "body": "response", "json": "{\"value\": []}"},
                         {"name": "b", "file": "f", "line": 1, "body": "request", "json": "{}"}],
            "exchanges": [{"name": "c", "file": "f", "line": 2, "method": "GET", "path": "/Users",
                           "query": [["$top", "2"]], "request": null, "arguments": [], "extra_query": [],
                           "status": 200, "response": "{\"value\": [1, 2]}"}]}"#;
        let mut r = route(None);
        r.fixture = Some(fixture);
        let examples = examples(&r);
        assert_eq!(examples.len(), 2);
        assert_eq!(examples[0].path, "/users");
        assert_eq!(examples[0].query, [("$top".to_owned(), "2".to_owned())]);
        assert_eq!(examples[1].body.as_deref(), Some(r#"{"value": []}"#));
        r.fixture = Some("{ truncated");
        assert!(super::examples(&r).is_empty());
    }

    #[test]
    fn the_docs_next_link_is_dropped_and_content_stays_bytes() {
        let example = Example {
            path: String::new(),
            query: Vec::new(),
            status: 200,
            body: Some(r#"{"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x"}"#.to_owned()),
            headers: vec![
                ("Location".to_owned(), "https://graph.microsoft.com/v1.0/teams('1')/operations('2')".to_owned()),
                ("ETag".to_owned(), "\"3\"".to_owned()),
                ("Content-Encoding".to_owned(), "gzip".to_owned()),
            ],
        };
        let answer = of_example(&route(None), &example, "http://127.0.0.1:1");
        assert_eq!(answer.body, br#"{"value":[]}"#);
        // The example's headers follow, a link to the service moved onto
        // the mock.
        assert_eq!(
            answer.headers[1..],
            [
                (
                    "location".to_owned(),
                    "http://127.0.0.1:1/teams('1')/operations('2')".to_owned()
                ),
                ("etag".to_owned(), "\"3\"".to_owned()),
            ]
        );
        let mut photo = route(None);
        photo.content_type = Some("image/jpeg");
        let bytes = Example {
            body: Some("binary data".to_owned()),
            ..example
        };
        let answer = of_example(&photo, &bytes, "http://127.0.0.1:1");
        assert_eq!(answer.body, b"binary data");
        assert_eq!(answer.headers[0].1, "image/jpeg");
    }

    #[test]
    fn examples_that_do_not_read_as_the_type_are_not_served() {
        let example = |status, body: &str| Example {
            path: String::new(),
            query: Vec::new(),
            status,
            body: Some(body.to_owned()),
            headers: Vec::new(),
        };
        let users = route(Some(collection));
        assert!(servable(&users, &example(200, r#"{"value": [1]}"#)));
        assert!(!servable(&users, &example(200, r#"{"value": "Boolean"}"#)));
        assert!(servable(&users, &example(404, r#"{"error": {}}"#)));
        assert!(servable(&route(None), &example(200, "anything")));
    }

    #[test]
    fn delta_links_move_onto_the_mock() {
        let uri = "http://127.0.0.1:1";
        for (link, moved) in [
            (
                "https://graph.microsoft.com/v1.0/users/delta()?$deltatoken=x",
                "http://127.0.0.1:1/users/delta()?$deltatoken=x",
            ),
            (
                "https://graph.microsoft.com/beta/me/events/delta",
                "http://127.0.0.1:1/me/events/delta",
            ),
            ("https://host/v1.0x/y", "http://127.0.0.1:1/v1.0x/y"),
            ("no-scheme", "http://127.0.0.1:1"),
        ] {
            assert_eq!(rehomed(link, uri), moved);
        }
    }

    #[test]
    fn only_collections_longer_than_a_page_are_cut() {
        let (page, rest) = first_page(br#"{"value": [1, 2, 3], "x": 1}"#, 2).unwrap();
        assert_eq!(page, json!({"value": [1, 2], "x": 1}));
        assert_eq!(rest, [json!(3)]);
        assert!(first_page(br#"{"value": [1, 2]}"#, 2).is_none());
        assert!(first_page(b"{}", 2).is_none());
    }
}
