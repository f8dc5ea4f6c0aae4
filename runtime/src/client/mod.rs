//! The transport: sends [`Request`] values over HTTP with reqwest.
//!
//! Kept apart from the generated code, which only builds requests, so that
//! the generated crate stays plain data and this one small piece of I/O is
//! written and tested once. It adds what every call to Graph needs: the
//! bearer token, retries on throttling, Graph's error body as a typed
//! error, paging through `@odata.nextLink`, and JSON batching.

mod auth;
#[cfg(feature = "azure-identity")]
mod azure;
mod batch;
mod body;
mod error;
mod tls;
mod upload;

pub use auth::{BoxError, BoxFuture, StaticToken, TokenProvider};
#[cfg(feature = "azure-identity")]
pub use azure::{AzureCredential, GRAPH_SCOPE};
pub use batch::{Batch, BatchResponses, Handle, MAX_PER_CALL};
pub(crate) use body::OneShot;
pub use error::{ApiError, Error};
pub use tls::http_client_builder;
pub use upload::{Progress, UPLOAD_UNIT, UploadOptions, UploadSession};

use crate::{Binary, Collection, Request};
use body::Payload;
use futures_util::{Stream, TryStreamExt, stream};
use reqwest::Url;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;

/// Roots of the Graph service. Append the version: `v1.0` or `beta`.
pub mod endpoint {
    /// The global service.
    pub const GLOBAL: &str = "https://graph.microsoft.com";
    /// Microsoft Graph for US Government L4.
    pub const US_GOVERNMENT_L4: &str = "https://graph.microsoft.us";
    /// Microsoft Graph for US Government L5 (DOD).
    pub const US_GOVERNMENT_L5: &str = "https://dod-graph.microsoft.us";
    /// Microsoft Graph China, operated by 21Vianet.
    pub const CHINA: &str = "https://microsoftgraph.chinacloudapi.cn";
}

/// How throttled requests (429 Too Many Requests, 503 Service Unavailable)
/// are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// The longest wait the client accepts. A `Retry-After` longer than
    /// this is not waited for: the error is returned at once.
    pub max_wait: Duration,
    /// The first wait when the service gives no `Retry-After`; it doubles
    /// with each retry, up to `max_wait`.
    pub initial_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            max_wait: Duration::from_secs(60),
            initial_wait: Duration::from_secs(1),
        }
    }
}

/// An HTTP client for one service root, e.g.
/// `https://graph.microsoft.com/v1.0` or a local test server.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    /// `base` without a trailing `/`: request paths start with one.
    root: String,
    tokens: Arc<dyn TokenProvider>,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.root)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the service root `base_url` (request paths are appended
    /// to it), with tokens from `tokens`.
    ///
    /// # Errors
    /// [`Error::Url`] if `base_url` is not an absolute `http` or `https`
    /// URL; [`Error::Tls`] if TLS cannot be set up (the platform's
    /// certificate verifier failed to load).
    pub fn new(base_url: &str, tokens: impl TokenProvider + 'static) -> Result<Self, Error> {
        let base = Url::parse(base_url.trim_end_matches('/'))
            .map_err(|e| Error::Url(format!("base URL `{base_url}`: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(Error::Url(format!(
                "base URL `{base_url}` is not an http(s) URL"
            )));
        }
        // Request paths are appended to the base: a query, fragment or
        // credentials in it would end up in the wrong place.
        if base.query().is_some()
            || base.fragment().is_some()
            || !base.username().is_empty()
            || base.password().is_some()
        {
            return Err(Error::Url(format!(
                "base URL `{base_url}` has a query, fragment or credentials"
            )));
        }
        Ok(Client {
            http: tls::http_client()?,
            root: base.as_str().trim_end_matches('/').to_owned(),
            base,
            tokens: Arc::new(tokens),
            retry: RetryPolicy::default(),
        })
    }

    /// Uses `http` for the connections: for proxies, timeouts or TLS
    /// settings of your own. Start from [`http_client_builder`], which
    /// carries the TLS setup `Client::new` uses:
    ///
    /// ```no_run
    /// # fn main() -> Result<(), docgen_runtime::Error> {
    /// use docgen_runtime::client::{StaticToken, http_client_builder};
    /// let http = http_client_builder()?
    ///     .timeout(std::time::Duration::from_secs(30))
    ///     .build()
    ///     .expect("a client");
    /// let client = docgen_runtime::Client::new("https://graph.microsoft.com/v1.0", StaticToken::new("t"))?
    ///     .with_http_client(http);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// With the `rustls` feature, reqwest is built without a crypto provider
    /// of its own (see [`Client::new`]): a plain `reqwest::Client::builder()`
    /// panics when it builds, unless your application installs a provider
    /// as rustls' process default first (for example
    /// `rustls::crypto::ring::default_provider().install_default()`), or
    /// your crate enables reqwest's own `rustls` feature.
    #[must_use]
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The service root requests go to.
    pub fn base_url(&self) -> &str {
        &self.root
    }

    /// Sends `request` and reads the response body as `T`. An empty body
    /// (as with `204 No Content`) reads as JSON `null`, which is `()` for
    /// operations that return nothing.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn send<T: DeserializeOwned>(&self, request: &Request<T>) -> Result<T, Error> {
        let (url, body) = self.prepare(request)?;
        let method = request.method().as_str();
        self.exchange(method, url, request.headers(), body).await
    }

    /// Sends `request` and reads the whole body, whatever it is: a file's
    /// content, a photo, a report. A redirect to a download URL on another
    /// host is followed without the bearer token, which is only ever sent
    /// to the service.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn download(&self, request: &Request<Binary>) -> Result<Binary, Error> {
        let response = self.open(request).await?;
        let content_type = content_type(&response);
        let bytes = response.bytes().await.map_err(Error::Transport)?;
        Ok(Binary {
            content_type,
            bytes: bytes.to_vec(),
        })
    }

    /// Sends `request` and gives the body as it arrives, chunk by chunk, so
    /// that a large file never has to fit in memory (see
    /// [`Client::download`] for redirects).
    ///
    /// # Errors
    /// See [`Error`]; a chunk that fails to arrive is an
    /// [`Error::Transport`] item of the stream.
    pub async fn download_stream(
        &self,
        request: &Request<Binary>,
    ) -> Result<impl Stream<Item = Result<Vec<u8>, Error>> + use<>, Error> {
        let response = self.open(request).await?;
        Ok(response
            .bytes_stream()
            .map_ok(|chunk| chunk.to_vec())
            .map_err(Error::Transport))
    }

    async fn open(&self, request: &Request<Binary>) -> Result<reqwest::Response, Error> {
        let (url, body) = self.prepare(request)?;
        let method = request.method().as_str();
        self.respond(method, url, request.headers(), body, "*/*")
            .await
    }

    /// The URL of `request` and its body.
    fn prepare<T>(&self, request: &Request<T>) -> Result<(Url, Option<Payload>), Error> {
        let body = Payload::of(request)?;
        let path = request.path().split('?').next().unwrap_or_default();
        if let Some(dots) = path.split('/').find(|s| is_dot_segment(s)) {
            return Err(Error::Invalid(format!(
                "path `{path}` has a `{dots}` segment"
            )));
        }
        let url = format!(
            "{}{}",
            self.root,
            backslashes_encoded(&request.path_and_query())
        );
        let url = Url::parse(&url).map_err(|e| Error::Url(format!("request URL `{url}`: {e}")))?;
        Ok((url, body))
    }

    /// Every page of a collection, following `@odata.nextLink` until the
    /// last page. The last page of a delta query carries the
    /// `@odata.deltaLink` to ask for later changes with.
    ///
    /// A next link to another origin than the base URL ends the stream
    /// with [`Error::Url`]: the bearer token is only sent to the service.
    pub fn pages<'a, T: DeserializeOwned + 'a>(
        &'a self,
        request: Request<Collection<T>>,
    ) -> impl Stream<Item = Result<Collection<T>, Error>> + 'a {
        self.follow(Next::First(request))
    }

    /// The pages of a delta query resumed from a stored `@odata.deltaLink`
    /// (or `@odata.nextLink`), as [`Client::pages`] gives them: `request` is
    /// the query the link came from, which gives the pages' type and the
    /// headers every page is asked with (`ConsistencyLevel`, `Prefer`).
    ///
    /// A link to another origin than the base URL ends the stream with
    /// [`Error::Url`] before anything is sent.
    pub fn resume<'a, T: DeserializeOwned + 'a>(
        &'a self,
        request: Request<Collection<T>>,
        link: &str,
    ) -> impl Stream<Item = Result<Collection<T>, Error>> + 'a {
        self.follow(Next::Link(link.to_owned(), request.headers().to_vec()))
    }

    /// Pages from `start`, each next link asked with the first request's
    /// headers.
    fn follow<'a, T: DeserializeOwned + 'a>(
        &'a self,
        start: Next<T>,
    ) -> impl Stream<Item = Result<Collection<T>, Error>> + 'a {
        stream::try_unfold(start, move |next| async move {
            let (page, headers): (Collection<T>, _) = match next {
                Next::Done => return Ok(None),
                Next::First(request) => (self.send(&request).await?, request.headers().to_vec()),
                Next::Link(link, headers) => {
                    let url = self.same_origin(&link)?;
                    (self.exchange("GET", url, &headers, None).await?, headers)
                }
            };
            let next = match &page.next_link {
                Some(link) => Next::Link(link.clone(), headers),
                None => Next::Done,
            };
            Ok(Some((page, next)))
        })
    }

    /// Sends `batch` in `POST /$batch` calls of at most [`MAX_PER_CALL`]
    /// requests, in order, and returns every request's answer (see
    /// [`batch`](self::Batch)). Requests answered `429` are sent again
    /// after the longest `Retry-After` among them, within the retry policy;
    /// past it, their answers stay `429`.
    ///
    /// # Errors
    /// Only when a `$batch` call itself fails; a request's own error is
    /// read through its handle.
    pub async fn send_batch(&self, batch: &Batch) -> Result<BatchResponses, Error> {
        let url = format!("{}/$batch", self.root);
        let url = Url::parse(&url).map_err(|e| Error::Url(format!("batch URL `{url}`: {e}")))?;
        let mut responses = BatchResponses::default();
        for call in batch.items().chunks(MAX_PER_CALL) {
            // A dependency answered in an earlier call with an error: the
            // service would not run this request, so it is not sent.
            let mut pending = Vec::new();
            for item in call {
                match batch::dependency(item).and_then(|d| responses.answer(d)) {
                    Some(answer) if !answer.succeeded() => {
                        responses.insert(item.id.clone(), batch::Answer::failed_dependency());
                    }
                    _ => pending.push(item),
                }
            }
            let mut retries = 0;
            while !pending.is_empty() {
                let body = serde_json::to_vec(&batch::call_body(&pending))
                    .map_err(|e| Error::Encode(e.to_string()))?;
                let body = Payload::Json(body.into());
                let reply: serde_json::Value =
                    self.exchange("POST", url.clone(), &[], Some(body)).await?;
                let mut throttled = Vec::new();
                let mut asked: Option<Duration> = None;
                for entry in reply["responses"].as_array().into_iter().flatten() {
                    let Some((id, answer)) = batch::Answer::read(entry) else {
                        continue;
                    };
                    if answer.status == 429
                        && let Some(item) = pending.iter().find(|i| i.id == id)
                    {
                        throttled.push(*item);
                        asked = asked.max(answer.retry_after);
                    }
                    responses.insert(id, answer);
                }
                pending = match self.retry_wait(429, asked, retries) {
                    Some(wait) if !throttled.is_empty() => {
                        tokio::time::sleep(wait).await;
                        retries += 1;
                        throttled
                    }
                    _ => Vec::new(),
                };
            }
        }
        Ok(responses)
    }

    /// Every item of a collection, page after page (see [`Client::pages`]).
    pub fn items<'a, T: DeserializeOwned + 'a>(
        &'a self,
        request: Request<Collection<T>>,
    ) -> impl Stream<Item = Result<T, Error>> + 'a {
        self.pages(request)
            .map_ok(|page| stream::iter(page.value.into_iter().map(Ok)))
            .try_flatten()
    }

    /// Every item of a resumed delta query, page after page (see
    /// [`Client::resume`]).
    pub fn resume_items<'a, T: DeserializeOwned + 'a>(
        &'a self,
        request: Request<Collection<T>>,
        link: &str,
    ) -> impl Stream<Item = Result<T, Error>> + 'a {
        self.resume(request, link)
            .map_ok(|page| stream::iter(page.value.into_iter().map(Ok)))
            .try_flatten()
    }

    /// `link` as a URL, if it is on the base URL's origin.
    fn same_origin(&self, link: &str) -> Result<Url, Error> {
        let url = Url::parse(link).map_err(|e| Error::Url(format!("link `{link}`: {e}")))?;
        if url.origin() == self.base.origin() {
            Ok(url)
        } else {
            Err(Error::Url(format!(
                "link `{link}` leaves the service at {}",
                self.base.origin().ascii_serialization()
            )))
        }
    }

    /// One request, retried on throttling, and its body read as `T`.
    async fn exchange<T: DeserializeOwned>(
        &self,
        method: &str,
        url: Url,
        headers: &[(String, String)],
        body: Option<Payload>,
    ) -> Result<T, Error> {
        let response = self
            .respond(method, url, headers, body, "application/json")
            .await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(Error::Transport)?;
        decode(status, &bytes)
    }

    /// One request, retried on throttling: its successful response, or the
    /// service's error.
    async fn respond(
        &self,
        method: &str,
        url: Url,
        headers: &[(String, String)],
        body: Option<Payload>,
        accept: &'static str,
    ) -> Result<reqwest::Response, Error> {
        use reqwest::header::{
            ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue,
        };
        let method = reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|e| Error::Invalid(format!("method `{method}`: {e}")))?;
        // The request's own headers replace the client's defaults.
        let mut own = HeaderMap::new();
        for (name, value) in headers {
            let invalid =
                |e: &dyn std::fmt::Display| Error::Invalid(format!("header `{name}`: {e}"));
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(&e))?;
            let value = HeaderValue::from_str(value).map_err(|e| invalid(&e))?;
            own.insert(name, value);
        }
        let mut retries = 0;
        loop {
            let token = self.tokens.token().await.map_err(Error::Token)?;
            let mut bearer = HeaderValue::from_str(&format!("Bearer {token}"))
                .map_err(|e| Error::Token(format!("not usable in a header: {e}").into()))?;
            bearer.set_sensitive(true);
            let mut call = self
                .http
                .request(method.clone(), url.clone())
                .header(AUTHORIZATION, bearer)
                .header(ACCEPT, accept);
            if let Some(body) = &body {
                let (content_type, len, body) = body.attempt().await?;
                call = call.header(CONTENT_TYPE, content_type).body(body);
                if let Some(len) = len {
                    call = call.header(CONTENT_LENGTH, len);
                }
            }
            call = call.headers(own.clone());
            let response = call.send().await.map_err(Error::Transport)?;
            let status = response.status().as_u16();
            if (200..300).contains(&status) {
                return Ok(response);
            }
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| retry_after(v.to_str().ok()?, std::time::SystemTime::now()));
            let bytes = response.bytes().await.map_err(Error::Transport)?;
            let error = ApiError::new(status, &bytes, retry_after);
            match self.retry_wait(status, retry_after, retries) {
                Some(wait) => {
                    tokio::time::sleep(wait).await;
                    retries += 1;
                }
                None => return Err(Error::Api(Box::new(error))),
            }
        }
    }

    /// How long to wait before retry number `retries + 1`, or `None` when
    /// the status is not a throttling one or the policy says stop.
    fn retry_wait(
        &self,
        status: u16,
        retry_after: Option<Duration>,
        retries: u32,
    ) -> Option<Duration> {
        let policy = &self.retry;
        if !matches!(status, 429 | 503) || retries >= policy.max_retries {
            return None;
        }
        let backoff = policy
            .initial_wait
            .saturating_mul(2u32.saturating_pow(retries))
            .min(policy.max_wait);
        let wait = retry_after.unwrap_or(backoff);
        (wait <= policy.max_wait).then_some(wait)
    }
}

/// A success response's body read as `T`. An empty body (as with `204 No
/// Content`) reads as JSON `null`, which is `()` for operations that
/// return nothing.
fn decode<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T, Error> {
    let json: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        bytes
    };
    serde_json::from_slice(json).map_err(|source| Error::Decode {
        status,
        source,
        body: String::from_utf8_lossy(bytes).into_owned(),
    })
}

/// The response's `Content-Type`, if it sent one.
fn content_type(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Where [`Client::pages`] and [`Client::resume`] go next.
enum Next<T> {
    First(Request<Collection<T>>),
    /// A link, and the headers of the request it came from.
    Link(String, Vec<(String, String)>),
    Done,
}

/// A `Retry-After` value as a wait from `now`: seconds (`120`), or an HTTP
/// date (`Wed, 21 Oct 2026 07:28:00 GMT`), a date already past being no
/// wait at all.
fn retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `path_and_query` with every `\` of its path as `%5C`. URL parsing takes
/// a `\` in the path of an `http(s)` URL for a `/`, which would send a
/// literal segment such as `x\y` to another path.
fn backslashes_encoded(path_and_query: &str) -> std::borrow::Cow<'_, str> {
    let (path, query) = match path_and_query.find('?') {
        Some(at) => path_and_query.split_at(at),
        None => (path_and_query, ""),
    };
    if path.contains('\\') {
        format!("{}{query}", path.replace('\\', "%5C")).into()
    } else {
        path_and_query.into()
    }
}

/// `.` or `..`, also percent-encoded: a segment URL parsing removes,
/// taking the path somewhere else.
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
    decoded == "." || decoded == ".."
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Method, NoContent};

    fn client(retry: RetryPolicy) -> Client {
        Client::new("https://graph.microsoft.com/v1.0/", StaticToken::new("t"))
            .unwrap()
            .with_retry(retry)
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        // A date already past: retry at once.
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-5", now), None);
    }

    #[test]
    fn throttling_waits_as_asked_within_the_bound_and_backs_off_otherwise() {
        let c = client(RetryPolicy {
            max_retries: 3,
            max_wait: Duration::from_secs(10),
            initial_wait: Duration::from_secs(1),
        });
        let secs = Duration::from_secs;
        assert_eq!(c.retry_wait(429, Some(secs(4)), 0), Some(secs(4)));
        assert_eq!(c.retry_wait(503, None, 2), Some(secs(4)));
        assert_eq!(
            c.retry_wait(429, Some(secs(11)), 0),
            None,
            "beyond the bound"
        );
        assert_eq!(c.retry_wait(429, None, 3), None, "out of retries");
        assert_eq!(c.retry_wait(500, None, 0), None, "not throttling");
    }

    #[test]
    fn base_urls_must_be_http_and_next_links_stay_on_its_origin() {
        for bad in [
            "graph.microsoft.com",
            "mailto:a@b.c",
            "https://graph.microsoft.com/v1.0?x=1",
            "https://graph.microsoft.com/v1.0#top",
            "https://user:pw@graph.microsoft.com/v1.0",
        ] {
            assert!(Client::new(bad, StaticToken::new("t")).is_err(), "{bad}");
        }
        let c = client(RetryPolicy::default());
        assert_eq!(c.base_url(), "https://graph.microsoft.com/v1.0");
        assert!(
            c.same_origin("https://graph.microsoft.com/v1.0/users?$skiptoken=x")
                .is_ok()
        );
        for dots in ["..", ".", "%2e%2E", "%2E"] {
            assert!(is_dot_segment(dots), "{dots}");
        }
        assert!(!is_dot_segment("...") && !is_dot_segment("a.b"));
        let request = Request::<NoContent>::new(Method::Get, r"/types/1/x\y".to_owned())
            .query("$filter", r"a\b");
        let (url, _) = c.prepare(&request).unwrap();
        assert_eq!(url.path(), "/v1.0/types/1/x%5Cy");
        // The query is encoded once, by the request.
        assert_eq!(url.query(), Some("$filter=a%5Cb"));
        for foreign in [
            "https://evil.example/v1.0/users",
            "http://graph.microsoft.com/v1.0/users",
            "https://graph.microsoft.com:444/v1.0/users",
            "/v1.0/users",
        ] {
            assert!(c.same_origin(foreign).is_err(), "{foreign}");
        }
    }
}
