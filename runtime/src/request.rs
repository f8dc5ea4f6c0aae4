//! Requests as plain values: what to send, not how.

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
}

/// One HTTP request to the API, built by a generated function.
///
/// `T` is the type the response body deserialises into (`()` when the
/// operation returns no body). Building a request performs no I/O, so
/// tests can inspect the method, path and body of any operation.
#[derive(Debug)]
pub struct Request<T> {
    method: Method,
    path: String,
    body: Option<Result<serde_json::Value, String>>,
    response: PhantomData<fn() -> T>,
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request {
            method: self.method,
            path: self.path.clone(),
            body: self.body.clone(),
            response: PhantomData,
        }
    }
}

impl<T> Request<T> {
    /// A request with no body. `path` is already encoded (see [`crate::build_path`]).
    pub fn new(method: Method, path: String) -> Self {
        Request {
            method,
            path,
            body: None,
            response: PhantomData,
        }
    }

    /// Adds a JSON body.
    ///
    /// Serialisation errors are kept and reported by [`Request::json_body`],
    /// so that building a request stays infallible.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_value(body).map_err(|e| e.to_string()));
        self
    }

    pub fn method(&self) -> Method {
        self.method
    }

    /// The path below the API root, e.g. `/users/42`.
    pub fn path(&self) -> &str {
        &self.path
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
    fn a_request_is_inspectable_data() {
        let r: Request<()> =
            Request::new(Method::Post, "/users".into()).json(&serde_json::json!({"a": 1}));
        assert_eq!(r.method().as_str(), "POST");
        assert_eq!(r.path(), "/users");
        assert_eq!(r.json_body(), Ok(Some(&serde_json::json!({"a": 1}))));
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
