//! Requests as plain values: what to send, not how.
//!
//! A generated function returns a [`Request`]; OData query options and
//! headers are added with the builder methods here. Nothing in this module
//! performs I/O, so tests can inspect every part of a request, and the
//! client sends it unchanged.

use crate::Content;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;
use std::marker::PhantomData;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Every method, in the order of the enum.
    const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];

    /// The method a request line names (`"GET"`…), if it is one of these.
    pub fn parse(method: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == method)
    }
}

/// Characters escaped in a query name or value: those that would end it
/// (`&`, `=`, `#`), change its meaning (`+` reads as a space, `%`), or are
/// not allowed in a URL. OData's own punctuation (`$`, `(`, `)`, `,`, `/`,
/// `:`) stays readable here; `'` too, though the URL parser escapes it as
/// `%27` on the wire, which the service reads the same.
const QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The header Graph needs before it runs `$search` and `$count` on
/// directory objects.
const CONSISTENCY_LEVEL: (&str, &str) = ("ConsistencyLevel", "eventual");

/// One HTTP request to the API, built by a generated function.
///
/// `T` is the type the response body deserialises into (`()` when the
/// operation returns no body). Building a request performs no I/O, so
/// tests can inspect the method, path, query, headers and body of any
/// operation.
#[derive(Debug)]
pub struct Request<T> {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Result<serde_json::Value, String>>,
    /// A body that is not JSON, its type settled.
    content: Option<Content>,
    response: PhantomData<fn() -> T>,
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request {
            method: self.method,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            content: self.content.clone(),
            response: PhantomData,
        }
    }
}

impl<T> Request<T> {
    /// A request with no body. `path` is already encoded (see
    /// [`crate::build_path`]) and may carry a query string of its own, as
    /// some documented paths do.
    pub fn new(method: Method, path: String) -> Self {
        Request {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            content: None,
            response: PhantomData,
        }
    }

    /// Sends `content` as the body: a file's or a photo's bytes, or a
    /// stream. Its type, unless given with [`Content::with_type`], is
    /// `content_type`, which generated code sets to what the docs name for
    /// the endpoint. Replaces a JSON body.
    #[must_use]
    pub fn content(mut self, content: impl Into<Content>, content_type: &str) -> Self {
        self.body = None;
        self.content = Some(content.into().or_type(content_type));
        self
    }

    /// The body that is not JSON, if any.
    pub fn content_body(&self) -> Option<&Content> {
        self.content.as_ref()
    }

    /// Adds a JSON body.
    ///
    /// Serialisation errors are kept and reported by [`Request::json_body`],
    /// so that building a request stays infallible.
    #[must_use]
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.content = None;
        self.body = Some(serde_json::to_value(body).map_err(|e| e.to_string()));
        self
    }

    /// Adds a query parameter, encoded when the request is sent. The typed
    /// options below cover OData's system query options.
    #[must_use]
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header, replacing one of the same name (ignoring case).
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.headers.push((name, value.into()));
        self
    }

    /// `$select`: only these properties.
    #[must_use]
    pub fn select(self, properties: &[&str]) -> Self {
        self.query("$select", properties.join(","))
    }

    /// `$expand`: these relationships inline.
    #[must_use]
    pub fn expand(self, relationships: &[&str]) -> Self {
        self.query("$expand", relationships.join(","))
    }

    /// `$filter`, an OData expression such as `startswith(displayName,'A')`.
    #[must_use]
    pub fn filter(self, expression: &str) -> Self {
        self.query("$filter", expression)
    }

    /// `$orderby`, e.g. `["displayName desc"]`.
    #[must_use]
    pub fn orderby(self, keys: &[&str]) -> Self {
        self.query("$orderby", keys.join(","))
    }

    /// `$top`: at most this many items per page.
    #[must_use]
    pub fn top(self, n: u32) -> Self {
        self.query("$top", n.to_string())
    }

    /// `$skip`: leave out this many items.
    #[must_use]
    pub fn skip(self, n: u32) -> Self {
        self.query("$skip", n.to_string())
    }

    /// `$search`, e.g. `"displayName:room"`. Also sends
    /// `ConsistencyLevel: eventual`, which Graph requires for it.
    #[must_use]
    pub fn search(self, terms: &str) -> Self {
        self.query("$search", terms)
            .header(CONSISTENCY_LEVEL.0, CONSISTENCY_LEVEL.1)
    }

    /// `$count`: include `@odata.count`. Also sends
    /// `ConsistencyLevel: eventual`, which Graph requires for it.
    #[must_use]
    pub fn count(self, include: bool) -> Self {
        self.query("$count", include.to_string())
            .header(CONSISTENCY_LEVEL.0, CONSISTENCY_LEVEL.1)
    }

    pub fn method(&self) -> Method {
        self.method
    }

    /// The path below the API root, e.g. `/users/42`, as the generated
    /// function built it (without the query options added since).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query parameters added with [`Request::query`] and the typed
    /// options, unencoded, in the order they were added.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The headers added to the request, in the order they were added.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The path and the encoded query, as sent: `/users?$top=5`.
    pub fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        let mut separator = if out.contains('?') { '&' } else { '?' };
        for (name, value) in &self.query {
            out.push(separator);
            out.extend(utf8_percent_encode(name, QUERY));
            out.push('=');
            out.extend(utf8_percent_encode(value, QUERY));
            separator = '&';
        }
        out
    }

    /// The JSON body, if any.
    ///
    /// # Errors
    /// The message of the serialisation error, if the body could not be
    /// turned into JSON.
    pub fn json_body(&self) -> Result<Option<&serde_json::Value>, &str> {
        match &self.body {
            None => Ok(None),
            Some(Ok(v)) => Ok(Some(v)),
            Some(Err(e)) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_method_parses_from_its_own_name_only() {
        for method in Method::ALL {
            assert_eq!(Method::parse(method.as_str()), Some(method));
        }
        // Request lines name methods in capitals; Graph documents no others.
        assert_eq!(Method::parse("get"), None);
        assert_eq!(Method::parse("HEAD"), None);
    }

    #[test]
    fn a_request_is_inspectable_data() {
        let r: Request<()> =
            Request::new(Method::Post, "/users".into()).json(&serde_json::json!({"a": 1}));
        assert_eq!(r.method().as_str(), "POST");
        assert_eq!(r.path(), "/users");
        assert_eq!(r.json_body(), Ok(Some(&serde_json::json!({"a": 1}))));
    }

    #[test]
    fn query_options_are_encoded_once_and_join_a_documented_query() {
        let r: Request<()> = Request::new(Method::Get, "/users".into())
            .select(&["id", "displayName"])
            .filter("startswith(displayName,'A&B') and x eq 1")
            .top(5);
        assert_eq!(
            r.path_and_query(),
            "/users?$select=id,displayName&$filter=startswith(displayName,'A%26B')%20and%20x%20eq%201&$top=5"
        );
        assert!(r.headers().is_empty());
        let r: Request<()> =
            Request::new(Method::Get, "/me/calendarView?startDateTime=a".into()).orderby(&["x"]);
        assert_eq!(
            r.path_and_query(),
            "/me/calendarView?startDateTime=a&$orderby=x"
        );
    }

    #[test]
    fn search_and_count_ask_for_eventual_consistency_once() {
        let r: Request<()> = Request::new(Method::Get, "/users".into())
            .search("\"displayName:room\"")
            .count(true);
        assert_eq!(
            r.headers(),
            [("ConsistencyLevel".to_owned(), "eventual".to_owned())]
        );
        assert_eq!(
            r.path_and_query(),
            "/users?$search=%22displayName:room%22&$count=true"
        );
    }

    #[test]
    fn serialisation_errors_surface_when_the_body_is_read() {
        use std::collections::BTreeMap;
        let mut bad = BTreeMap::new();
        bad.insert(vec![1u8], 1);
        let r: Request<()> = Request::new(Method::Post, "/x".into()).json(&bad);
        assert!(r.json_body().is_err());
    }
}
