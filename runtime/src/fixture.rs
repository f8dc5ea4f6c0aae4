//! The docs' examples of one operation as data: the fixture files the
//! generator writes beside a crate (`fixtures/<operation>.json`), read by
//! the round-trip checks, the loopback replays and the mock Graph.

use serde::{Deserialize, Serialize};

/// Checks one example body: `Err` says why it does not fit.
pub type Check = fn(&str) -> Result<(), String>;

/// One example body of a fixture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExampleCase {
    /// Unique within the crate, e.g. `create_user_request`.
    pub name: String,
    /// The page and line the body was read from.
    pub file: String,
    pub line: u32,
    /// Whether it is the body of a request or of a response.
    pub body: Body,
    /// The body, as the docs write it.
    pub json: String,
}

/// Which body of an exchange an example shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Body {
    Request,
    Response,
}

/// One request/response example pair of a fixture, replayed by the
/// `loopback` feature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// Unique within the crate, e.g. `update_user`.
    pub name: String,
    /// The page and line of the example request.
    pub file: String,
    pub line: u32,
    /// What the example sends: method, path (as written, before the query),
    /// query parameters (decoded as a form: `+` is a space), and body (JSON,
    /// or the text of content).
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub request: Option<String>,
    /// The values the call passes, in order: the path's placeholders, then
    /// the required query parameters.
    pub arguments: Vec<String>,
    /// The query pairs the call adds to what the tree builds.
    pub extra_query: Vec<(String, String)>,
    /// What the example answers: status, and body (JSON, or the text of
    /// content).
    pub status: u16,
    pub response: Option<String>,
    /// The headers the example answers with besides the body's
    /// (`Location`, `ETag`…), as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_headers: Vec<(String, String)>,
}

/// What a fixture file holds: an operation's example bodies and example
/// pairs. The generator writes it; the `conformance`, `loopback` and `mock`
/// features read it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fixture {
    /// The operation's request function.
    pub operation: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<ExampleCase>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchanges: Vec<Exchange>,
}

impl Fixture {
    /// Reads a fixture's JSON.
    ///
    /// # Errors
    /// The text is not a fixture: an edited or truncated file.
    pub fn read(json: &str) -> Result<Fixture, String> {
        serde_json::from_str(json).map_err(|e| format!("the fixture does not read: {e}"))
    }
}
