//! Large uploads through an upload session: a file sent in byte ranges to
//! the pre-authenticated URL the service hands out.
//!
//! Graph takes files over 4 MB (and attachments over 3 MB) this way:
//! `createUploadSession` answers an `uploadUrl`; the file then goes up in
//! sequential ranges, each a multiple of 320 KiB, with `Content-Range`
//! headers; the service answers each with the ranges it still expects, and
//! the last with the created item. The upload URL carries its own
//! authorisation, so the bearer token is never sent to it: it may be on
//! another host. A range lost to a dropped connection or a server error is
//! sent again from where the service says it stopped, so each byte is
//! accepted once; an expired session is started over.

use super::{ApiError, Client, Error, decode, retry_after};
use crate::Request;
use bytes::Bytes;
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt};

/// Graph wants every range but the last to be a multiple of 320 KiB.
pub const UPLOAD_UNIT: u64 = 320 * 1024;

/// An upload session: where to send the bytes, until when, and which
/// ranges the service still expects. Store it to resume an upload later
/// (see [`Client::upload_to`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadSession {
    /// Status answers leave it out.
    #[serde(default)]
    pub upload_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date_time: Option<String>,
    /// `["26214400-"]`, or `["0-99", "200-"]`: the ranges not yet
    /// received.
    #[serde(default)]
    pub next_expected_ranges: Vec<String>,
}

impl UploadSession {
    /// The first byte the service still expects, if it says.
    fn next_offset(&self) -> Option<u64> {
        let first = self.next_expected_ranges.first()?;
        first.split('-').next()?.trim().parse().ok()
    }
}

/// How an upload is cut and how hard it tries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadOptions {
    /// Bytes per range, rounded down to a multiple of [`UPLOAD_UNIT`] (and
    /// at least one unit). Graph accepts at most 60 MiB per range.
    pub chunk_size: u64,
    /// How many times in a row a range may fail (dropped connection, 5xx,
    /// 429, 416) before the upload gives up.
    pub max_retries: u32,
    /// The wait before sending again when the service gives no
    /// `Retry-After`.
    pub retry_wait: Duration,
    /// How many times an expired session is replaced by a new one and the
    /// upload started over ([`Client::upload`] only).
    pub max_restarts: u32,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions {
            chunk_size: 10 * UPLOAD_UNIT,
            max_retries: 5,
            retry_wait: Duration::from_secs(1),
            max_restarts: 1,
        }
    }
}

impl UploadOptions {
    fn chunk(&self) -> u64 {
        (self.chunk_size / UPLOAD_UNIT).max(1) * UPLOAD_UNIT
    }
}

/// How far an upload has come: `sent` of `total` bytes accepted by the
/// service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub sent: u64,
    pub total: u64,
}

/// Why [`Client::upload_to`] stopped short.
enum Stop {
    /// The session is gone (404): a new one is needed.
    Expired,
    Failed(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Failed(e)
    }
}

/// What the upload URL answered to one range.
enum Answer {
    /// The status and the item, or no item when the service answers the
    /// last range without a body (attachments).
    Done(u16, Option<Bytes>),
    /// Accepted; continue from this offset.
    Next(Option<u64>),
    /// Not accepted: ask the session where to continue, after this wait.
    Retry(Option<Duration>),
    Expired,
}

impl Client {
    /// Sends `create` (a `createUploadSession` request built by the
    /// generated tree) and reads the session it answers.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn create_upload_session<T>(
        &self,
        create: &Request<T>,
    ) -> Result<UploadSession, Error> {
        let (url, body) = self.prepare(create)?;
        let method = create.method().as_str();
        self.exchange(method, url, create.headers(), body).await
    }

    /// Uploads `len` bytes of `source` through a new session created by
    /// `create`, calling `progress` after every accepted range, and reads
    /// the created item as `R` (`None` when the service answers without a
    /// body, as for attachments). An expired session is replaced and the
    /// upload started over, up to [`UploadOptions::max_restarts`] times.
    ///
    /// ```no_run
    /// # async fn f(client: &docgen_runtime::Client, create: docgen_runtime::Request<()>) -> Result<(), Box<dyn std::error::Error>> {
    /// use docgen_runtime::client::UploadOptions;
    /// let mut file = tokio::fs::File::open("video.mp4").await?;
    /// let len = file.metadata().await?.len();
    /// let item: Option<serde_json::Value> = client
    ///     .upload(&create, &mut file, len, &UploadOptions::default(), |p| {
    ///         eprint!("\r{} of {} bytes", p.sent, p.total)
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// See [`Error`]; [`Error::Upload`] when the service keeps refusing a
    /// range or the session keeps expiring.
    pub async fn upload<T, R, S>(
        &self,
        create: &Request<T>,
        source: &mut S,
        len: u64,
        options: &UploadOptions,
        mut progress: impl FnMut(Progress),
    ) -> Result<Option<R>, Error>
    where
        R: DeserializeOwned,
        S: AsyncRead + AsyncSeek + Unpin,
    {
        let mut restarts = 0;
        loop {
            let session = self.create_upload_session(create).await?;
            match self
                .send_ranges(&session, source, len, options, &mut progress)
                .await
            {
                Ok(item) => return Ok(item),
                Err(Stop::Expired) if restarts < options.max_restarts => restarts += 1,
                Err(Stop::Expired) => return Err(expired(&session)),
                Err(Stop::Failed(e)) => return Err(e),
            }
        }
    }

    /// Uploads `len` bytes of `source` through an existing `session`,
    /// from the first range it expects: to resume an upload whose session
    /// was stored. See [`Client::upload`].
    ///
    /// # Errors
    /// See [`Client::upload`]; an expired session is [`Error::Upload`].
    pub async fn upload_to<R, S>(
        &self,
        session: &UploadSession,
        source: &mut S,
        len: u64,
        options: &UploadOptions,
        mut progress: impl FnMut(Progress),
    ) -> Result<Option<R>, Error>
    where
        R: DeserializeOwned,
        S: AsyncRead + AsyncSeek + Unpin,
    {
        match self
            .send_ranges(session, source, len, options, &mut progress)
            .await
        {
            Ok(item) => Ok(item),
            Err(Stop::Expired) => Err(expired(session)),
            Err(Stop::Failed(e)) => Err(e),
        }
    }

    /// Asks the upload URL which ranges it still expects.
    ///
    /// # Errors
    /// See [`Error`]; a session that is gone is an [`Error::Api`] 404.
    pub async fn upload_status(&self, session: &UploadSession) -> Result<UploadSession, Error> {
        let url = upload_url(session)?;
        let response = self.http.get(url).send().await.map_err(Error::Transport)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(Error::Transport)?;
        if !(200..300).contains(&status) {
            return Err(api_error(status, &bytes));
        }
        let mut now: UploadSession = decode(status, &bytes)?;
        if now.upload_url.is_empty() {
            now.upload_url.clone_from(&session.upload_url);
        }
        Ok(now)
    }

    /// Cancels an upload: deletes the session and what it received.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn cancel_upload(&self, session: &UploadSession) -> Result<(), Error> {
        let url = upload_url(session)?;
        let response = self
            .http
            .delete(url)
            .send()
            .await
            .map_err(Error::Transport)?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) || status == 404 {
            return Ok(());
        }
        let bytes = response.bytes().await.map_err(Error::Transport)?;
        Err(api_error(status, &bytes))
    }

    async fn send_ranges<R, S>(
        &self,
        session: &UploadSession,
        source: &mut S,
        len: u64,
        options: &UploadOptions,
        progress: &mut impl FnMut(Progress),
    ) -> Result<Option<R>, Stop>
    where
        R: DeserializeOwned,
        S: AsyncRead + AsyncSeek + Unpin,
    {
        let url = upload_url(session)?;
        let mut offset = session.next_offset().unwrap_or(0).min(len);
        let mut failures = 0;
        progress(Progress {
            sent: offset,
            total: len,
        });
        loop {
            let end = offset.saturating_add(options.chunk()).min(len);
            let data = read_range(source, offset, end).await?;
            match self.send_range(&url, data, offset, end, len).await {
                Answer::Done(status, body) => {
                    progress(Progress {
                        sent: len,
                        total: len,
                    });
                    return match body {
                        None => Ok(None),
                        Some(bytes) => decode(status, &bytes).map(Some).map_err(Stop::Failed),
                    };
                }
                Answer::Next(next) => {
                    failures = 0;
                    offset = next.unwrap_or(end).min(len);
                    progress(Progress {
                        sent: offset,
                        total: len,
                    });
                }
                Answer::Expired => return Err(Stop::Expired),
                Answer::Retry(wait) => {
                    failures += 1;
                    if failures > options.max_retries {
                        return Err(Stop::Failed(Error::Upload(format!(
                            "the range from byte {offset} was refused {failures} times"
                        ))));
                    }
                    tokio::time::sleep(wait.unwrap_or(options.retry_wait)).await;
                    // Where the service stands: it may have kept all of
                    // the range, part of it, or none.
                    match self.upload_status(session).await {
                        Ok(now) => offset = now.next_offset().unwrap_or(offset).min(len),
                        Err(Error::Api(e)) if e.status == 404 => return Err(Stop::Expired),
                        // Not known: send the same range again; a 416
                        // says if it had arrived after all.
                        Err(_) => {}
                    }
                }
            }
        }
    }

    /// Sends bytes `offset..end` of `len`, without the bearer token.
    async fn send_range(
        &self,
        url: &reqwest::Url,
        data: Bytes,
        offset: u64,
        end: u64,
        len: u64,
    ) -> Answer {
        let range = format!("bytes {offset}-{}/{len}", end.saturating_sub(1));
        let sent = self
            .http
            .put(url.clone())
            .header(CONTENT_LENGTH, end - offset)
            .header(CONTENT_RANGE, range)
            .body(data)
            .send()
            .await;
        let Ok(response) = sent else {
            return Answer::Retry(None);
        };
        let status = response.status().as_u16();
        let wait = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| retry_after(v.to_str().ok()?, std::time::SystemTime::now()));
        let Ok(body) = response.bytes().await else {
            return Answer::Retry(None);
        };
        match status {
            200 | 201 => Answer::Done(
                status,
                (!body.iter().all(u8::is_ascii_whitespace)).then_some(body),
            ),
            202 => Answer::Next(
                serde_json::from_slice::<UploadSession>(&body)
                    .ok()
                    .and_then(|s| s.next_offset()),
            ),
            404 => Answer::Expired,
            // 416: the range overlaps what the service has; 409 and 5xx:
            // it did not keep the range, or not all of it.
            _ => Answer::Retry(wait),
        }
    }
}

/// The upload host's error status as an [`Error::Api`].
fn api_error(status: u16, bytes: &[u8]) -> Error {
    Error::Api(Box::new(ApiError::new(status, bytes, None)))
}

fn upload_url(session: &UploadSession) -> Result<reqwest::Url, Error> {
    let url = reqwest::Url::parse(&session.upload_url)
        .map_err(|e| Error::Url(format!("upload URL `{}`: {e}", session.upload_url)))?;
    if matches!(url.scheme(), "http" | "https") {
        Ok(url)
    } else {
        Err(Error::Url(format!(
            "upload URL `{}` is not an http(s) URL",
            session.upload_url
        )))
    }
}

fn expired(session: &UploadSession) -> Error {
    Error::Upload(format!(
        "the upload session expired (it was valid until {})",
        session
            .expiration_date_time
            .as_deref()
            .unwrap_or("an unknown time")
    ))
}

/// Bytes `offset..end` of `source`.
async fn read_range<S: AsyncRead + AsyncSeek + Unpin>(
    source: &mut S,
    offset: u64,
    end: u64,
) -> Result<Bytes, Error> {
    let io = |e: std::io::Error| Error::Io(format!("the upload's source: {e}"));
    source
        .seek(std::io::SeekFrom::Start(offset))
        .await
        .map_err(io)?;
    let size = usize::try_from(end - offset).map_err(|e| Error::Io(e.to_string()))?;
    let mut data = vec![0; size];
    source.read_exact(&mut data).await.map_err(io)?;
    Ok(data.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_whole_units_and_sessions_say_where_to_go_on() {
        let o = |chunk_size| UploadOptions {
            chunk_size,
            ..UploadOptions::default()
        };
        assert_eq!(o(0).chunk(), UPLOAD_UNIT);
        assert_eq!(o(UPLOAD_UNIT * 3 + 5).chunk(), UPLOAD_UNIT * 3);
        let session: UploadSession = serde_json::from_str(
            r#"{"uploadUrl": "https://x/u", "nextExpectedRanges": ["12345-55555", "77777-"]}"#,
        )
        .unwrap();
        assert_eq!(session.next_offset(), Some(12345));
        assert_eq!(UploadSession::default().next_offset(), None);
        for bad in ["ftp://x/u", "not a url"] {
            let s = UploadSession {
                upload_url: bad.into(),
                ..UploadSession::default()
            };
            assert!(upload_url(&s).is_err(), "{bad}");
        }
    }
}
