//! A mock Graph for tests: every documented endpoint answers from the
//! docs' own examples, on a loopback port.
//!
//! A generated crate built with its `mock` feature lists its routes (method,
//! path template, documented status and body types, and the fixture of
//! example pairs the docs show) and names this server for them:
//! `docgen::mock::Server::start().await`. A request is then routed like
//! Graph routes it, by method and path template whatever the parameter
//! values, and answered with:
//!
//! - the endpoint's example response (the one whose request path and query
//!   are those received, else the first that is not an error, else the
//!   first), its status and content type; an example that does not read as
//!   the documented type (a doc defect) is not served;
//! - without an example, the least value of the documented type (`{}`,
//!   `{"value": []}`, …), or a `501` when no such value reads as it;
//! - a Graph-style error: `400` for a body that does not read as the
//!   documented request type (naming the member that does not fit),
//!   `404` for a path no endpoint has, `405` for a method the path does
//!   not document.
//!
//! Tests change answers per request with [`Server::on`] (typed by the same
//! request tree the application calls), inject faults (throttling with
//! `Retry-After`, 5xx, slow answers, dropped connections), page
//! collections through `@odata.nextLink` ([`Server::page_size`]) and
//! assert on what was sent with [`Server::received`].
//!
//! The routes are prepared once per test binary, and each request is
//! answered, on a thread with a large stack (bodies are read through
//! their documented types); each server has its own expectations, record
//! and pages. A page request (a `$skiptoken` the mock gave) is
//! answered from the parked pages before any expectation is looked at.

mod answers;
mod expectation;
mod paging;
mod routes;
mod serve;

pub use expectation::Expectation;

#[cfg(feature = "loopback")]
pub(crate) use answers::least_value;
#[cfg(feature = "loopback")]
pub(crate) use routes::sample_path;

use crate::{Method, Request};
use answers::{Answer, Example};
use expectation::{Action, Override};
use routes::{Found, Template};
use serde::de::DeserializeOwned;
use std::any::TypeId;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Reads a body as its documented type: `Err` names the member that does
/// not fit (`at $.accountEnabled: invalid type…`).
pub use crate::fixture::Check;

/// The [`Check`] of type `T`.
///
/// # Errors
/// `json` is not JSON, or not a `T`: the message names the member path.
pub fn reads<T: DeserializeOwned>(json: &str) -> Result<(), String> {
    serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(json))
        .map(drop)
        .map_err(|e| {
            let (at, cause) = with_member(crate::json_path::of(e.path()), e.inner().to_string());
            format!("at {at}: {cause}")
        })
}

/// The path `at` extended by the member a generated type's reader names
/// at the start of `message` (`` `a.b`: cause ``), and the cause.
fn with_member(at: String, message: String) -> (String, String) {
    let named = (message.strip_prefix('`')).and_then(|rest| rest.split_once("`: "));
    match named {
        Some((member, cause)) => (format!("{at}.{member}"), cause.to_owned()),
        None => (at, message),
    }
}

/// One documented endpoint, as a generated crate lists it.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// The endpoint's request function, e.g. `users_update`.
    pub operation: &'static str,
    pub method: Method,
    /// The path template, e.g. `/users/{user-id}`.
    pub path: &'static str,
    /// The documented success status.
    pub status: u16,
    /// Reads the documented request body type; `None` when the endpoint
    /// takes no JSON body.
    pub request: Option<Check>,
    /// Reads the documented response type; `None` when the answer has no
    /// JSON body.
    pub response: Option<Check>,
    /// The media type of an answer that is content (a photo, a file).
    pub content_type: Option<&'static str>,
    /// The endpoint's fixture of examples (`fixtures/<operation>.json`).
    pub fixture: Option<&'static str>,
}

/// The routes of a generated crate: implemented by its `mock::Graph`.
pub trait Api: 'static {
    /// Every documented endpoint.
    fn routes() -> Vec<Route>;
}

/// How the mock answered a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answered {
    /// With an example response from the docs.
    Example,
    /// With the least value of the documented type, or no body when the
    /// docs document none.
    LeastValue,
    /// With a later page of a collection it cut into pages.
    Page,
    /// As a test asked with [`Server::on`].
    Override,
    /// With a Graph-style error of this status: a malformed body (400), an
    /// unknown path (404), a method the path does not document (405), or
    /// an endpoint with nothing to answer (501).
    Error(u16),
}

/// A request the mock received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// The path as sent, still percent-encoded.
    pub path: String,
    /// The query pairs, decoded.
    pub query: Vec<(String, String)>,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The request function of the endpoint it was routed to.
    pub operation: Option<&'static str>,
    pub answered: Answered,
}

impl Received {
    /// The body read as JSON of type `T`.
    ///
    /// # Errors
    /// The body is not a `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The value of header `name`, in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        (self.headers.iter())
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A running mock of the API `A`; it stops when dropped.
pub struct Server<A> {
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<std::convert::Infallible>,
    api: PhantomData<fn() -> A>,
}

impl<A: Api> Server<A> {
    /// Starts the mock on a loopback port, in the current tokio runtime.
    ///
    /// # Panics
    /// No loopback port can be bound (see [`Server::try_start`]).
    pub async fn start() -> Self {
        Self::try_start()
            .await
            .expect("binding a loopback port for the mock")
    }

    /// Starts the mock on a loopback port.
    ///
    /// # Errors
    /// No loopback port can be bound.
    pub async fn try_start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let uri = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared {
            routes: prepared::<A>(),
            uri,
            state: Mutex::default(),
        });
        let task = tokio::spawn(serve::accept(listener, shared.clone()));
        Ok(Server {
            shared,
            task,
            api: PhantomData,
        })
    }
}

/// `A`'s routes with their templates cut and their servable examples read,
/// once per test binary: a crate of the whole API has thousands.
fn prepared<A: Api>() -> Arc<[Prepared]> {
    static PREPARED: Mutex<Vec<(TypeId, Arc<[Prepared]>)>> = Mutex::new(Vec::new());
    let id = TypeId::of::<A>();
    let known = |cache: &[(TypeId, Arc<[Prepared]>)]| {
        (cache.iter().find(|(t, _)| *t == id)).map(|(_, routes)| routes.clone())
    };
    let mut cache = PREPARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(routes) = known(&cache) {
        return routes;
    }
    // Reading every example through deeply nested types takes more stack
    // than a test thread has in an unoptimised build.
    let routes: Arc<[Prepared]> = crate::deep_stack::run(|| {
        (A::routes().into_iter())
            .map(|route| Prepared {
                template: Template::parse(route.path),
                examples: (answers::examples(&route).into_iter())
                    .filter(|e| answers::servable(&route, e))
                    .collect(),
                route,
            })
            .collect()
    });
    cache.push((id, routes.clone()));
    routes
}

impl<A> Drop for Server<A> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl<A> Server<A> {
    /// The base URL to give the client: `http://127.0.0.1:<port>`. The
    /// mock also answers below `/v1.0` and `/beta`.
    pub fn uri(&self) -> String {
        self.shared.uri.clone()
    }

    /// Cuts the `value` of GET answers longer than `size` into pages
    /// linked by `@odata.nextLink`, so that paging code runs; `None` (the
    /// default) answers whole collections. A delta query's
    /// `@odata.deltaLink` is on its last page.
    pub fn page_size(&self, size: Option<usize>) {
        self.shared.state().page_size = size.map(|s| s.max(1));
    }

    /// Changes how the mock answers requests with `request`'s method and
    /// path (any query, any body): see the methods of [`Expectation`].
    /// The first expectation set for a request answers it, until its
    /// [`times`](Expectation::times) are used up; then the docs do again.
    pub fn on<T>(&self, request: Request<T>) -> Expectation<'_, T> {
        Expectation {
            shared: &self.shared,
            method: request.method(),
            path: routes::normalise(request.path()),
            times: None,
            delay: Duration::ZERO,
            headers: Vec::new(),
            response: PhantomData,
        }
    }

    /// The requests received with `request`'s method and path, oldest
    /// first. Query and body are not compared: assert on them in the
    /// [`Received`] values.
    pub fn received<T>(&self, request: Request<T>) -> Vec<Received> {
        let path = routes::normalise(request.path());
        (self.shared.state().received.iter())
            .filter(|r| r.method == request.method().as_str() && routes::normalise(&r.path) == path)
            .cloned()
            .collect()
    }

    /// Every request received, oldest first.
    pub fn received_all(&self) -> Vec<Received> {
        self.shared.state().received.clone()
    }

    /// Forgets the expectations set, the requests received and the pages
    /// parked for next links; the page size stays.
    pub fn reset(&self) {
        let mut state = self.shared.state();
        state.overrides.clear();
        state.received.clear();
        state.pages.clear();
    }
}

/// What the server task and the [`Server`] handle share.
pub(crate) struct Shared {
    routes: Arc<[Prepared]>,
    uri: String,
    state: Mutex<State>,
}

struct Prepared {
    route: Route,
    template: Template,
    examples: Vec<Example>,
}

#[derive(Default)]
struct State {
    overrides: Vec<Override>,
    received: Vec<Received>,
    page_size: Option<usize>,
    /// The items of later pages, by `$skiptoken`.
    pages: HashMap<String, paging::Pending>,
    next_token: u64,
}

/// What the HTTP side does with a request.
pub(crate) enum Reply {
    Answer { answer: Answer, delay: Duration },
    Drop { delay: Duration },
}

/// Where a `302 Found` of the docs sends the client: the example's content.
const DOWNLOAD: &str = "/.mock/download/";

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn route(&self, method: Option<Method>, path: &str) -> Found {
        let routes = self.routes.iter().map(|p| (p.route.method, &p.template));
        routes::find(routes, method, path)
    }

    /// Answers one request and records it.
    pub(crate) fn reply(
        &self,
        method: &str,
        path_and_query: &str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Reply {
        let (path, raw_query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let query = form_pairs(raw_query);
        let normal = routes::normalise(path);
        let mut state = self.state();
        let mut received = Received {
            method: method.to_owned(),
            path: path.to_owned(),
            query,
            headers,
            body,
            operation: None,
            answered: Answered::Override,
        };
        let (reply, answered, operation) = self.decide(&mut state, &received, &normal);
        let collection = method == "GET";
        let reply = match reply {
            Reply::Answer { answer, delay }
                if collection && (200..300).contains(&answer.status) =>
            {
                Reply::Answer {
                    answer: self.paged(&mut state, answer, path),
                    delay,
                }
            }
            other => other,
        };
        received.answered = answered;
        received.operation = operation;
        state.received.push(received);
        reply
    }

    fn decide(
        &self,
        state: &mut State,
        request: &Received,
        normal: &str,
    ) -> (Reply, Answered, Option<&'static str>) {
        let now = |answer| Reply::Answer {
            answer,
            delay: Duration::ZERO,
        };
        let method = Method::parse(&request.method);
        let found = self.route(method, normal);
        if let Some(token) = token_of(&request.query).filter(|t| t.starts_with(paging::TOKEN)) {
            let operation = self.operation(&found);
            return match self.next_page(state, &token, &request.path) {
                Some(page) => (now(page), Answered::Page, operation),
                None => {
                    let message = "the page this link named is gone: the mock was reset";
                    let answer = Answer::error(400, "BadRequest", message);
                    (now(answer), Answered::Error(400), operation)
                }
            };
        }
        let matching = (state.overrides.iter_mut())
            .find(|o| o.left != Some(0) && Some(o.method) == method && o.path == normal);
        let Some(o) = matching else {
            return self.documented(request, normal, found, Duration::ZERO);
        };
        if let Some(left) = &mut o.left {
            *left -= 1;
        }
        let delay = o.delay;
        let reply = match &o.action {
            Action::Answer(answer) => Reply::Answer {
                answer: answer.clone(),
                delay,
            },
            Action::Drop => Reply::Drop { delay },
            Action::Documented => return self.documented(request, normal, found, delay),
        };
        (reply, Answered::Override, self.operation(&found))
    }

    /// The request function of the route found, if any.
    fn operation(&self, found: &Found) -> Option<&'static str> {
        match found {
            Found::Route(n) => Some(self.routes[*n].route.operation),
            Found::WrongMethod(_) | Found::NoRoute => None,
        }
    }

    /// The answer the docs give `request` after `delay`, how it was made,
    /// and the operation it was routed to.
    fn documented(
        &self,
        request: &Received,
        normal: &str,
        found: Found,
        delay: Duration,
    ) -> (Reply, Answered, Option<&'static str>) {
        let operation = self.operation(&found);
        let (answer, answered) = self.answer_of(request, normal, found);
        (Reply::Answer { answer, delay }, answered, operation)
    }

    fn answer_of(&self, request: &Received, normal: &str, found: Found) -> (Answer, Answered) {
        if let Some(download) = self.download(normal) {
            return (download, Answered::Example);
        }
        let n = match found {
            Found::Route(n) => n,
            Found::NoRoute => {
                let message = format!("no documented endpoint has the path {}", request.path);
                return (
                    Answer::error(404, "ResourceNotFound", &message),
                    Answered::Error(404),
                );
            }
            Found::WrongMethod(allowed) => {
                let allowed: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
                let message = format!(
                    "{} is not documented for {}; the path takes {}",
                    request.method,
                    request.path,
                    allowed.join(", ")
                );
                let mut answer = Answer::error(405, "MethodNotAllowed", &message);
                answer
                    .headers
                    .push(("allow".to_owned(), allowed.join(", ")));
                return (answer, Answered::Error(405));
            }
        };
        let prepared = &self.routes[n];
        let route = &prepared.route;
        if let Some(error) = malformed(route, &request.body) {
            let answer = Answer::error(400, "BadRequest", &error);
            return (answer, Answered::Error(400));
        }
        let example = (prepared.examples.iter())
            .position(|e| e.path == normal && same_query(&e.query, &request.query))
            .or_else(|| prepared.examples.iter().position(|e| e.status < 400))
            .or((!prepared.examples.is_empty()).then_some(0));
        let Some(e) = example else {
            let answer = answers::fallback(route);
            let answered = match answer.status {
                501 => Answered::Error(501),
                _ => Answered::LeastValue,
            };
            return (answer, answered);
        };
        let example = &prepared.examples[e];
        let answer = if example.status == 302 {
            // The docs' download URL is elsewhere: the file is here.
            let mut answer = Answer::empty(302);
            let location = format!("{}{DOWNLOAD}{n}/{e}", self.uri);
            answer.headers.push(("location".to_owned(), location));
            answer
        } else {
            answers::of_example(route, example, &self.uri)
        };
        (answer, Answered::Example)
    }

    /// The content behind a download URL the mock gave in a `302`.
    fn download(&self, normal: &str) -> Option<Answer> {
        let (route, example) = normal.strip_prefix(DOWNLOAD)?.split_once('/')?;
        let prepared = self.routes.get(route.parse::<usize>().ok()?)?;
        let example = prepared.examples.get(example.parse::<usize>().ok()?)?;
        Some(answers::of_example(
            &prepared.route,
            &Example {
                status: 200,
                headers: Vec::new(),
                ..example.clone()
            },
            &self.uri,
        ))
    }
}

/// Why `body` is not what `route` documents, if it is not.
fn malformed(route: &Route, body: &[u8]) -> Option<String> {
    let reads = route.request?;
    let what = route.operation;
    let Ok(text) = std::str::from_utf8(body) else {
        return Some(format!("the body of {what} is not UTF-8 JSON"));
    };
    if text.trim().is_empty() {
        return Some(format!("{what} takes a JSON body and none was sent"));
    }
    reads(text)
        .err()
        .map(|e| format!("the body does not read as the request type of {what}: {e}"))
}

fn token_of(query: &[(String, String)]) -> Option<String> {
    (query.iter())
        .find(|(k, _)| k == "$skiptoken")
        .map(|(_, v)| v.clone())
}

fn same_query(a: &[(String, String)], b: &[(String, String)]) -> bool {
    let sorted = |q: &[(String, String)]| {
        let mut q = q.to_vec();
        q.sort();
        q
    };
    sorted(a) == sorted(b)
}

/// A query string's pairs, decoded as a form (`+` is a space).
fn form_pairs(query: &str) -> Vec<(String, String)> {
    (form_urlencoded::parse(query.as_bytes()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_named_by_generated_readers_join_the_path() {
        let joined = with_member("$.value[0]".to_owned(), "`a.b`: invalid type".to_owned());
        assert_eq!(
            joined,
            ("$.value[0].a.b".to_owned(), "invalid type".to_owned())
        );
        let plain = with_member("$".to_owned(), "expected a map".to_owned());
        assert_eq!(plain, ("$".to_owned(), "expected a map".to_owned()));
    }

    #[test]
    fn query_strings_decode_as_forms() {
        let pairs = form_pairs("$filter=a+eq+%27x%27&$top=2&flag&");
        assert_eq!(
            pairs,
            [
                ("$filter".to_owned(), "a eq 'x'".to_owned()),
                ("$top".to_owned(), "2".to_owned()),
                ("flag".to_owned(), String::new()),
            ]
        );
    }
}
