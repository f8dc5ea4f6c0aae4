//! The docs' request/response example pairs, replayed over real HTTP.
//!
//! For each pair, the generated request function is called with the path
//! parameters, query and body the example shows, and the request is sent
//! by [`Client`] to a wiremock server on loopback that answers with the
//! example's response. The pair passes when the server received exactly
//! the example's method, path, query and JSON body, and the client read the
//! example's response as the documented type (or, for an error status, as
//! that error).

use crate::client::{BoxFuture, StaticToken};
pub use crate::conformance::Exchange;
#[cfg(feature = "mock")]
use crate::conformance::RouteTally;
use crate::conformance::{Fixture, Nulls, Outcome, json_difference};
use crate::{Client, Error, Request};
use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One operation's example pairs: its fixture, the JSON file the generator
/// writes beside the crate (`fixtures/<operation>.json`, read with
/// `include_str!`), and the call that replays any of them through the
/// generated request tree.
#[derive(Clone, Copy)]
pub struct Exchanges {
    /// The operation's request function, for failures of the fixture
    /// itself.
    pub operation: &'static str,
    /// The fixture's JSON: `{"exchanges": [Exchange, …], …}`.
    pub fixture: &'static str,
    pub replay: Replay,
}

/// Calls the operation's generated function with an exchange's values
/// (path and required query values, the other query pairs, the body read
/// from [`Exchange::request`]) and sends the request with the client.
pub type Replay = for<'a> fn(&'a Client, &'a Exchange) -> BoxFuture<'a, Result<(), Error>>;

impl Exchanges {
    /// The fixture's pairs.
    ///
    /// # Errors
    /// The fixture is not a fixture: an edited or truncated file.
    pub fn cases(&self) -> Result<Vec<Exchange>, String> {
        Fixture::read(self.fixture).map(|f| f.exchanges)
    }
}

impl Exchange {
    /// The call's `n`th value; empty if the fixture has fewer, which the
    /// replay then reports as a path that differs.
    pub fn argument(&self, n: usize) -> &str {
        self.arguments.get(n).map_or("", String::as_str)
    }

    /// `request` with the query pairs the example adds.
    pub fn with_query<T>(&self, request: Request<T>) -> Request<T> {
        self.extra_query
            .iter()
            .fold(request, |r, (k, v)| r.query(k.as_str(), v.as_str()))
    }

    /// The example's request body, read as the function's body type.
    ///
    /// # Errors
    /// The example has no body, or it is not that type.
    pub fn body<B: DeserializeOwned>(&self) -> Result<B, Error> {
        let json = (self.request.as_deref())
            .ok_or_else(|| Error::Encode("the example sends no body".to_owned()))?;
        serde_json::from_str(json).map_err(|e| Error::Encode(format!("example body: {e}")))
    }

    /// The example's request body as content: its text (empty when it shows
    /// none).
    pub fn content(&self) -> crate::Content {
        crate::Content::from(self.request.clone().unwrap_or_default())
    }
}

/// Sends `request` and reads the whole response as bytes, following a
/// redirect, for the [`Replay`] of endpoints that answer content.
pub fn download<'a>(
    client: &'a Client,
    request: Result<Request<crate::Binary>, Error>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move { client.download(&request?).await.map(drop) })
}

/// Sends `request` and reads the response as its type, for a [`Replay`].
pub fn send<'a, T: DeserializeOwned + Send + 'a>(
    client: &'a Client,
    request: Result<Request<T>, Error>,
) -> BoxFuture<'a, Result<(), Error>> {
    Box::pin(async move { client.send(&request?).await.map(drop) })
}

/// Replays every exchange against one loopback server, prints each failure
/// with its page and line and a closing `N passed, M failed` line, writes a
/// report to the file named by [`REPORT_VARIABLE`](crate::conformance::REPORT_VARIABLE)
/// with `.http` appended,
/// and returns how many failed.
///
/// # Panics
/// If no async runtime or loopback server can be started, or the report
/// cannot be written.
pub fn run(exchanges: &[Exchanges]) -> usize {
    let outcomes = crate::deep_stack::run(|| replay_all(exchanges));
    crate::conformance::report(&outcomes, "exchanges", ".http")
}

fn replay_all(fixtures: &[Exchanges]) -> Vec<crate::conformance::Outcome> {
    current_thread().block_on(async {
        let server = MockServer::start().await;
        let client = Client::new(&server.uri(), StaticToken::new("example-token"))
            .expect("the loopback server's URL is an http URL");
        let (cases, mut outcomes) = every_case(fixtures);
        for (fixture, exchange) in cases {
            let error = replay(&server, &client, fixture.replay, &exchange).await;
            outcomes.push(outcome_of(exchange, error.err()));
        }
        outcomes
    })
}

/// The runtime the replays run on: one thread, as the cases run in turn.
fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("an async runtime for the loopback server")
}

/// Every exchange of `fixtures` with its fixture, and the failures of
/// fixtures that do not read.
fn every_case(fixtures: &[Exchanges]) -> (Vec<(&Exchanges, Exchange)>, Vec<Outcome>) {
    let mut cases = Vec::new();
    let mut failures = Vec::new();
    for fixture in fixtures {
        match fixture.cases() {
            Ok(exchanges) => cases.extend(exchanges.into_iter().map(|e| (fixture, e))),
            Err(error) => failures.push(Outcome::of_fixture(fixture.operation, error)),
        }
    }
    (cases, failures)
}

fn outcome_of(exchange: Exchange, error: Option<String>) -> Outcome {
    Outcome {
        error,
        name: exchange.name,
        file: exchange.file,
        line: exchange.line,
    }
}

/// Replays every exchange against the crate's mock Graph (`A`, see
/// [`crate::mock`]) instead of a server primed with the exchange's answer:
/// the request must be routed to the exchange's own operation and answered
/// from the docs (an example, or the least value of the documented type),
/// and the client must read that answer as the documented type. Then calls
/// every route once (a [`RouteTally`]). Prints and reports like [`run`],
/// with `.mock` appended to the report's name (`.mock-routes` for the
/// tally), and returns how many pairs and routes failed.
///
/// # Panics
/// If no async runtime or loopback port can be had, or the report cannot
/// be written.
#[cfg(feature = "mock")]
pub fn run_mock<A: crate::mock::Api>(exchanges: &[Exchanges]) -> usize {
    let (outcomes, routes) = crate::deep_stack::run(|| on_mock::<A>(exchanges));
    for failure in &routes.failed {
        println!("{failure}");
    }
    println!("mock routes: {routes}");
    if let Some(path) = std::env::var_os(crate::conformance::REPORT_VARIABLE) {
        let mut path = path;
        path.push(".mock-routes");
        let report = serde_json::to_string_pretty(&routes).expect("a tally serialises");
        std::fs::write(&path, report).expect("writing the mock's route report");
    }
    crate::conformance::report(&outcomes, "mock", ".mock") + routes.failed.len()
}

#[cfg(feature = "mock")]
fn on_mock<A: crate::mock::Api>(fixtures: &[Exchanges]) -> (Vec<Outcome>, RouteTally) {
    use crate::mock::{Answered, Server};
    current_thread().block_on(async {
        let server = Server::<A>::start().await;
        let client = Client::new(&server.uri(), StaticToken::new("example-token"))
            .expect("the mock's URL is an http URL");
        let (cases, mut outcomes) = every_case(fixtures);
        for (fixture, exchange) in cases {
            server.reset();
            let result = (fixture.replay)(&client, &exchange).await;
            let received = server.received_all();
            let error = match (received.first(), result) {
                (None, Err(e)) => Some(format!("not sent: {e}")),
                (None, Ok(())) => Some("sent nothing".to_owned()),
                (Some(r), _) if r.operation != Some(fixture.operation) => Some(format!(
                    "routed to {:?}, not {}",
                    r.operation, fixture.operation
                )),
                (Some(r), _) if !matches!(r.answered, Answered::Example | Answered::LeastValue) => {
                    Some(format!("answered {:?}", r.answered))
                }
                // An error the docs show is read as that error.
                (Some(_), Ok(()) | Err(Error::Api(_))) => None,
                (Some(_), Err(e)) => Some(format!("response: {e}")),
            };
            outcomes.push(outcome_of(exchange, error));
        }
        let routes = every_route::<A>(&server, &client).await;
        (outcomes, routes)
    })
}

/// Calls every route of `A` once, with `mock-value` for its placeholders
/// and the least body its request type reads, and checks that the answer
/// reads as the documented response type (or is the `501` the mock gives
/// when no value of that type can be made up). Unlike the pairs, these
/// calls do not go through the request tree: most routes have no example
/// to take the arguments from. A route whose path the client refuses to
/// send (a dot segment, only in hostile docs) is counted, not called.
#[cfg(feature = "mock")]
async fn every_route<A: crate::mock::Api>(
    server: &crate::mock::Server<A>,
    client: &Client,
) -> RouteTally {
    use crate::mock::Answered;
    let mut tally = RouteTally::default();
    for route in A::routes() {
        tally.routes += 1;
        let path = crate::mock::sample_path(route.path, "mock-value");
        if path.split('/').any(crate::client::is_dot_segment) {
            tally.refused += 1;
            continue;
        }
        server.reset();
        let result = answer_of(client, &route, path).await;
        let answered = server.received_all().first().map(|r| r.answered);
        match (answered, result) {
            (Some(Answered::Error(501)), _) => tally.not_implemented += 1,
            (Some(Answered::Example), Ok(())) => tally.example += 1,
            (Some(Answered::LeastValue), Ok(())) => tally.least_value += 1,
            (answered, result) => tally.failed.push(format!(
                "{}: answered {answered:?}: {}",
                route.operation,
                result.err().unwrap_or_default()
            )),
        }
    }
    tally
}

#[cfg(feature = "mock")]
async fn answer_of(
    client: &Client,
    route: &crate::mock::Route,
    path: String,
) -> Result<(), String> {
    let text = |e: Error| e.to_string();
    if route.content_type.is_some() {
        let request = Request::<crate::Binary>::new(route.method, path);
        return client.download(&request).await.map(drop).map_err(text);
    }
    let body = match route.request {
        Some(reads) => {
            let least =
                crate::mock::least_value(reads).ok_or("no body reads as the request type")?;
            Some(serde_json::from_str::<serde_json::Value>(least).map_err(|e| e.to_string())?)
        }
        None => None,
    };
    match route.response {
        Some(reads) => {
            let request = with_body(Request::<serde_json::Value>::new(route.method, path), &body);
            let answer = client.send(&request).await.map_err(text)?;
            reads(&answer.to_string())
        }
        None => {
            let request = with_body(Request::<crate::NoContent>::new(route.method, path), &body);
            client.send(&request).await.map(drop).map_err(text)
        }
    }
}

#[cfg(feature = "mock")]
fn with_body<T>(request: Request<T>, body: &Option<serde_json::Value>) -> Request<T> {
    match body {
        Some(body) => request.json(body),
        None => request,
    }
}

/// Where a `302 Found` sends the client: the file behind a download URL.
const DOWNLOAD: &str = "/loopback-download";

async fn replay(
    server: &MockServer,
    client: &Client,
    send: Replay,
    exchange: &Exchange,
) -> Result<(), String> {
    server.reset().await;
    let body = exchange.response.as_ref().map(|b| b.as_bytes().to_vec());
    let media = |b: &[u8]| match serde_json::from_slice::<serde_json::Value>(b) {
        Ok(_) => "application/json",
        Err(_) => crate::OCTET_STREAM,
    };
    let mut answer = ResponseTemplate::new(exchange.status);
    if exchange.status == 302 {
        // The download URL answers the example's content, if it shows any.
        let file = body.unwrap_or_default();
        Mock::given(wiremock::matchers::path(DOWNLOAD))
            .respond_with(ResponseTemplate::new(200).set_body_raw(file.clone(), media(&file)))
            .with_priority(1)
            .mount(server)
            .await;
        answer = answer.insert_header("location", format!("{}{DOWNLOAD}", server.uri()));
    } else if let Some(body) = body {
        let media = media(&body);
        answer = answer.set_body_raw(body, media);
    }
    Mock::given(wiremock::matchers::any())
        .respond_with(answer)
        .mount(server)
        .await;
    let result = send(client, exchange).await;
    let mut received = server.received_requests().await.unwrap_or_default();
    let downloaded = received.len();
    received.retain(|r| r.url.path() != DOWNLOAD);
    if exchange.status == 302 && downloaded == received.len() && result.is_ok() {
        return Err("did not follow the redirect to the download URL".to_owned());
    }
    let [request] = received.as_slice() else {
        return Err(match result {
            Err(e) => format!("not sent: {e}"),
            Ok(()) => format!("sent {} requests, not one", received.len()),
        });
    };
    if request.method.as_str() != exchange.method {
        return Err(format!(
            "sent {} instead of {}",
            request.method, exchange.method
        ));
    }
    // Segment by segment, so that an encoded `/` (`a%2Fb`) never passes for
    // a separator; within a segment, encodings of the same text are equal,
    // and so are spellings that differ in case only, as Graph's paths are
    // case-insensitive and the docs write `calendarView` and `calendarview`.
    let segments = |path: &str| -> Vec<String> {
        path.split('/').map(|s| decoded(s).to_lowercase()).collect()
    };
    if segments(request.url.path()) != segments(&exchange.path) {
        return Err(format!(
            "sent path {} instead of {}",
            request.url.path(),
            exchange.path
        ));
    }
    let mut sent_query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let mut query = exchange.query.clone();
    sent_query.sort();
    query.sort();
    if sent_query != query {
        return Err(format!("sent query {sent_query:?} instead of {query:?}"));
    }
    let sent_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !request.body.is_empty() && !sent_type.contains("json") {
        // Content: the example's text, byte for byte.
        if request.body != exchange.request.as_deref().unwrap_or_default().as_bytes() {
            return Err(format!("sent different {sent_type} content"));
        }
        return outcome(exchange, result);
    }
    let sent_body = (!request.body.is_empty())
        .then(|| serde_json::from_slice::<serde_json::Value>(&request.body))
        .transpose()
        .map_err(|e| format!("sent a body that is not JSON: {e}"))?;
    let body = (exchange.request.as_deref())
        .map(serde_json::from_str::<serde_json::Value>)
        .transpose()
        .map_err(|e| format!("the example body is not JSON: {e}"))?;
    match (&body, &sent_body) {
        (Some(expected), Some(sent)) => {
            if let Some(at) = json_difference(expected, sent, "$", Nulls::Kept) {
                return Err(format!("sent a different body at {at}"));
            }
        }
        (None, None) => {}
        (Some(_), None) => return Err("sent no body".to_owned()),
        (None, Some(_)) => return Err("sent a body the example does not".to_owned()),
    }
    outcome(exchange, result)
}

/// Whether the client read the answer as the example's status says.
fn outcome(exchange: &Exchange, result: Result<(), Error>) -> Result<(), String> {
    match result {
        Ok(()) if exchange.status < 400 => Ok(()),
        Err(Error::Api(e)) if e.status == exchange.status => Ok(()),
        Ok(()) => Err(format!("read the {} answer as a success", exchange.status)),
        Err(e) => Err(format!("response: {e}")),
    }
}

fn decoded(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}
