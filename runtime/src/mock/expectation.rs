//! What a test asks of the mock for one request: [`Expectation`], built by
//! `Server::on` and set by one of its answering methods.

use super::Shared;
use super::answers::Answer;
use super::routes::Found;
use crate::Method;
use serde::Serialize;
use serde_json::Value;
use std::marker::PhantomData;
use std::time::Duration;

/// How a test wants requests like one answered: built by
/// [`Server::on`](super::Server::on), set by one of the answering methods.
/// `T` is the request's response type, which
/// [`respond_with`](Expectation::respond_with) takes.
#[must_use = "an expectation is set by one of its answering methods"]
pub struct Expectation<'a, T> {
    pub(super) shared: &'a Shared,
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) times: Option<usize>,
    pub(super) delay: Duration,
    pub(super) headers: Vec<(String, String)>,
    pub(super) response: PhantomData<fn() -> T>,
}

/// A set expectation.
pub(super) struct Override {
    pub method: Method,
    pub path: String,
    /// Answers left; `None` for every request.
    pub left: Option<usize>,
    pub delay: Duration,
    pub action: Action,
}

pub(super) enum Action {
    Answer(Answer),
    /// Answer as the docs do (after the delay).
    Documented,
    Drop,
}

impl<T> Expectation<'_, T> {
    /// Answers only the next `n` such requests this way; later ones are
    /// answered as if this expectation had not been set.
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    /// Waits `delay` before answering: a slow service.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Adds a header to the answer (`Location`, `ETag`…).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Answers `status` with `body` as JSON.
    ///
    /// # Panics
    /// `status` is not an HTTP status (100 to 999).
    pub fn respond(self, status: u16, body: &Value) {
        self.answer(Answer::json(checked(status), body));
    }

    /// Answers `status` with no body.
    ///
    /// # Panics
    /// `status` is not an HTTP status (100 to 999).
    pub fn respond_status(self, status: u16) {
        self.answer(Answer::empty(checked(status)));
    }

    /// Answers `status` with `bytes` of media type `content_type`: a file,
    /// a photo.
    ///
    /// # Panics
    /// `status` is not an HTTP status (100 to 999).
    pub fn respond_bytes(self, status: u16, content_type: &str, bytes: impl Into<Vec<u8>>) {
        let mut answer = Answer::empty(checked(status));
        answer
            .headers
            .push(("content-type".to_owned(), content_type.to_owned()));
        answer.body = bytes.into();
        self.answer(answer);
    }

    /// Answers as the docs do: with [`delay`](Expectation::delay), a slow
    /// but otherwise documented answer.
    pub fn respond_as_documented(self) {
        self.set(Action::Documented);
    }

    /// Answers `status` with a Graph error body, and a `Retry-After`
    /// header in whole seconds (rounded up) when given: `fail(429, Some(…))`
    /// throttles, `fail(503, None)` is an outage.
    ///
    /// # Panics
    /// `status` is not an HTTP status (100 to 999).
    pub fn fail(self, status: u16, retry_after: Option<Duration>) {
        let mut answer = Answer::error(
            checked(status),
            Answer::code_of(status),
            "the mock was told to fail this request",
        );
        if let Some(wait) = retry_after {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            answer
                .headers
                .push(("retry-after".to_owned(), seconds.to_string()));
        }
        self.answer(answer);
    }

    /// Closes the connection without answering.
    pub fn drop_connection(self) {
        self.set(Action::Drop);
    }

    fn answer(mut self, mut answer: Answer) {
        answer.headers.append(&mut self.headers);
        self.set(Action::Answer(answer));
    }

    fn set(self, action: Action) {
        self.shared.state().overrides.push(Override {
            method: self.method,
            path: self.path,
            left: self.times,
            delay: self.delay,
            action,
        });
    }
}

impl<T: Serialize> Expectation<'_, T> {
    /// Answers with `value`, with the status the docs give the endpoint
    /// (200 when the path is not documented).
    ///
    /// # Panics
    /// `value` does not serialise as JSON (a map with keys that are not
    /// strings).
    pub fn respond_with(self, value: impl Into<T>) {
        let body = serde_json::to_value(value.into()).expect("the answer serialises as JSON");
        let status = match self.shared.route(Some(self.method), &self.path) {
            Found::Route(n) => self.shared.routes[n].route.status,
            Found::WrongMethod(_) | Found::NoRoute => 200,
        };
        self.respond(status, &body);
    }
}

fn checked(status: u16) -> u16 {
    assert!(
        (100..=999).contains(&status),
        "{status} is not an HTTP status"
    );
    status
}
