//! JSON batching: many requests in few round trips (`POST /$batch`).
//!
//! Requests built by the generated tree are added to a [`Batch`], each
//! giving back a typed [`Handle`]; [`super::Client::send_batch`] sends them
//! twenty to a call (Graph's limit), in order, and each response is read
//! through its handle as the request's own response type, or as
//! [`Error::Api`] when the service answered that request with an error.
//!
//! A request may depend on an earlier one (`dependsOn`): within one call
//! the service orders them; across calls the order of the calls does, and
//! a request whose dependency failed is not sent (it answers `424 Failed
//! Dependency`, as the service would). Requests answered `429` are sent
//! again after their `Retry-After`, within the client's retry policy.

use super::error::{ApiError, Error};
use crate::Request;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::marker::PhantomData;
use std::time::Duration;

/// Graph answers at most this many requests per `$batch` call.
pub const MAX_PER_CALL: usize = 20;

/// Requests to send together.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    items: Vec<Item>,
}

#[derive(Clone, Debug)]
pub(super) struct Item {
    pub(super) id: String,
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    depends_on: Option<String>,
}

/// One request of a [`Batch`]: reads its response as `T`.
#[derive(Debug)]
pub struct Handle<T> {
    id: String,
    response: PhantomData<fn() -> T>,
}

impl<T> Clone for Handle<T> {
    fn clone(&self) -> Self {
        Handle {
            id: self.id.clone(),
            response: PhantomData,
        }
    }
}

impl<T> Handle<T> {
    /// The request's id in the batch.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Batch {
    pub fn new() -> Self {
        Batch::default()
    }

    /// How many requests the batch holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds `request`.
    ///
    /// # Errors
    /// [`Error::Encode`] when its body could not be turned into JSON.
    pub fn add<T>(&mut self, request: &Request<T>) -> Result<Handle<T>, Error> {
        self.push(request, None)
    }

    /// Adds `request`, to be sent only after `after` succeeded.
    ///
    /// # Errors
    /// [`Error::Encode`] when its body could not be turned into JSON.
    pub fn add_after<T, U>(
        &mut self,
        request: &Request<T>,
        after: &Handle<U>,
    ) -> Result<Handle<T>, Error> {
        self.push(request, Some(after.id.clone()))
    }

    fn push<T>(
        &mut self,
        request: &Request<T>,
        depends_on: Option<String>,
    ) -> Result<Handle<T>, Error> {
        if request.content_body().is_some() {
            return Err(Error::Invalid(format!(
                "`{}` sends bytes, which a JSON batch does not carry; send it on its own",
                request.path()
            )));
        }
        let body = request
            .json_body()
            .map_err(|e| Error::Encode(e.to_owned()))?
            .cloned();
        let id = (self.items.len() + 1).to_string();
        self.items.push(Item {
            id: id.clone(),
            method: request.method().as_str(),
            url: request.path_and_query(),
            headers: request.headers().to_vec(),
            body,
            depends_on,
        });
        Ok(Handle {
            id,
            response: PhantomData,
        })
    }

    pub(super) fn items(&self) -> &[Item] {
        &self.items
    }
}

/// The JSON of one `$batch` call for `items`: a dependency on a request
/// sent in an earlier call is left out, since that call has been answered.
pub(super) fn call_body(items: &[&Item]) -> Value {
    let here: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    let requests: Vec<Value> = items
        .iter()
        .map(|item| {
            let mut r = json!({ "id": item.id, "method": item.method, "url": item.url });
            let mut headers: serde_json::Map<String, Value> = item
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            if let Some(body) = &item.body {
                headers.insert("Content-Type".into(), "application/json".into());
                r["body"] = body.clone();
            }
            if !headers.is_empty() {
                r["headers"] = Value::Object(headers);
            }
            if let Some(d) = item.depends_on.as_deref().filter(|d| here.contains(d)) {
                r["dependsOn"] = json!([d]);
            }
            r
        })
        .collect();
    json!({ "requests": requests })
}

/// The dependency of `item`, if any.
pub(super) fn dependency(item: &Item) -> Option<&str> {
    item.depends_on.as_deref()
}

/// What the service answered each request of a batch.
#[derive(Clone, Debug, Default)]
pub struct BatchResponses {
    answers: HashMap<String, Answer>,
}

/// One request's answer.
#[derive(Clone, Debug)]
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) body: Value,
    pub(super) retry_after: Option<Duration>,
}

impl Answer {
    pub(super) fn failed_dependency() -> Self {
        Answer {
            status: 424,
            body: json!({"error": {"code": "FailedDependency", "message": "a request it depends on failed"}}),
            retry_after: None,
        }
    }

    /// One entry of a `$batch` response's `responses`.
    pub(super) fn read(entry: &Value) -> Option<(String, Answer)> {
        let id = match &entry["id"] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        let status = u16::try_from(entry["status"].as_u64()?).ok()?;
        let retry_after = entry["headers"]
            .as_object()
            .and_then(|h| {
                h.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
            })
            .and_then(|(_, v)| {
                v.as_str()
                    .map(str::to_owned)
                    .or_else(|| Some(v.to_string()))
            })
            .and_then(|v| super::retry_after(&v, std::time::SystemTime::now()));
        Some((
            id,
            Answer {
                status,
                body: entry.get("body").cloned().unwrap_or(Value::Null),
                retry_after,
            },
        ))
    }

    pub(super) fn succeeded(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl BatchResponses {
    pub(super) fn insert(&mut self, id: String, answer: Answer) {
        self.answers.insert(id, answer);
    }

    pub(super) fn answer(&self, id: &str) -> Option<&Answer> {
        self.answers.get(id)
    }

    /// The response to the request of `handle`, read as its type.
    ///
    /// # Errors
    /// [`Error::Api`] when the service answered it with an error status
    /// (`424` when a request it depended on failed), [`Error::Decode`]
    /// when the body is not the documented type, [`Error::Invalid`] when
    /// the batch has no answer for it.
    pub fn get<T: DeserializeOwned>(&self, handle: &Handle<T>) -> Result<T, Error> {
        let answer = self
            .answers
            .get(&handle.id)
            .ok_or_else(|| Error::Invalid(format!("no answer for batch request {}", handle.id)))?;
        let text = answer.body.to_string();
        if !answer.succeeded() {
            return Err(Error::Api(Box::new(ApiError::new(
                answer.status,
                text.as_bytes(),
                answer.retry_after,
            ))));
        }
        serde_json::from_value(answer.body.clone()).map_err(|source| Error::Decode {
            status: answer.status,
            source,
            body: text,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Method;

    #[test]
    fn a_call_body_carries_method_url_headers_body_and_dependencies_within_it() {
        let mut batch = Batch::new();
        let first = batch
            .add(&Request::<()>::new(Method::Get, "/me".into()).top(1))
            .unwrap();
        let second = batch
            .add_after(
                &Request::<()>::new(Method::Post, "/me/sendMail".into()).json(&json!({"a": 1})),
                &first,
            )
            .unwrap();
        assert_eq!(second.id(), "2");
        let items: Vec<&Item> = batch.items().iter().collect();
        assert_eq!(
            call_body(&items),
            json!({"requests": [
                {"id": "1", "method": "GET", "url": "/me?$top=1"},
                {"id": "2", "method": "POST", "url": "/me/sendMail", "body": {"a": 1},
                 "headers": {"Content-Type": "application/json"}, "dependsOn": ["1"]},
            ]})
        );
        // A dependency answered in an earlier call is not named again.
        assert!(
            call_body(&items[1..])["requests"][0]
                .get("dependsOn")
                .is_none()
        );
    }

    #[test]
    fn answers_read_as_the_requests_type_or_as_the_services_error() {
        let mut responses = BatchResponses::default();
        for entry in [
            json!({"id": "1", "status": 200, "body": {"id": "u1"}}),
            json!({"id": "2", "status": 404, "body": {"error": {"code": "Request_ResourceNotFound", "message": "gone"}}}),
            json!({"id": 3, "status": 429, "headers": {"Retry-After": "7"}, "body": {}}),
        ] {
            let (id, answer) = Answer::read(&entry).unwrap();
            responses.insert(id, answer);
        }
        let handle = |id: &str| Handle::<Value> {
            id: id.into(),
            response: PhantomData,
        };
        assert_eq!(responses.get(&handle("1")).unwrap(), json!({"id": "u1"}));
        match responses.get(&handle("2")) {
            Err(Error::Api(e)) => assert_eq!(
                (e.status, e.code.as_str()),
                (404, "Request_ResourceNotFound")
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            responses.answer("3").unwrap().retry_after,
            Some(Duration::from_secs(7))
        );
        assert!(matches!(
            responses.get(&handle("9")),
            Err(Error::Invalid(_))
        ));
    }
}
