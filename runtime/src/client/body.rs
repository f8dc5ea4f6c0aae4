//! Turning a request's body into what reqwest sends, once per attempt.
//!
//! JSON and bytes in memory are shared, not copied, between a request and
//! its retries; a file is opened again for each attempt and read a chunk
//! at a time; a stream is sent once.

use super::{BoxError, Error};
use crate::content::Source;
use crate::{Content, Request};
use bytes::Bytes;
use futures_util::stream::{BoxStream, Stream, StreamExt, TryStreamExt};
use std::sync::{Arc, Mutex};

/// How much of a file is read at a time while it is sent.
const FILE_CHUNK: usize = 64 * 1024;

/// The chunks of a stream body.
type Chunks = BoxStream<'static, Result<Bytes, BoxError>>;

/// A stream body, shared by the clones of its request and taken by the
/// first attempt that sends it.
#[derive(Clone)]
pub struct OneShot {
    stream: Arc<Mutex<Option<Chunks>>>,
    len: Option<u64>,
}

impl std::fmt::Debug for OneShot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OneShot")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl OneShot {
    pub(crate) fn new<S, E>(stream: S, len: Option<u64>) -> OneShot
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        OneShot {
            stream: Arc::new(Mutex::new(Some(stream.map_err(Into::into).boxed()))),
            len,
        }
    }
}

/// What a request sends: JSON, or content with its type.
pub(super) enum Payload {
    Json(Bytes),
    Content(Content),
}

impl Payload {
    /// The body of `request`, if it has one.
    pub(super) fn of<T>(request: &Request<T>) -> Result<Option<Payload>, Error> {
        if let Some(content) = request.content_body() {
            return Ok(Some(Payload::Content(content.clone())));
        }
        match request.json_body() {
            Ok(Some(json)) => serde_json::to_vec(json)
                .map(|v| Some(Payload::Json(v.into())))
                .map_err(|e| Error::Encode(e.to_string())),
            Ok(None) => Ok(None),
            Err(e) => Err(Error::Encode(e.to_owned())),
        }
    }

    /// The content type, length (when known) and body for one attempt.
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be opened; [`Error::Invalid`] when
    /// a stream body was already sent by an earlier attempt.
    pub(super) async fn attempt(&self) -> Result<(String, Option<u64>, reqwest::Body), Error> {
        let content = match self {
            Payload::Json(json) => {
                let len = json.len() as u64;
                return Ok((
                    "application/json".to_owned(),
                    Some(len),
                    json.clone().into(),
                ));
            }
            Payload::Content(content) => content,
        };
        let content_type = content
            .content_type()
            .unwrap_or(crate::OCTET_STREAM)
            .to_owned();
        let (len, body) = match &content.source {
            Source::Bytes(b) => (Some(b.len() as u64), reqwest::Body::from(b.clone())),
            Source::File(path) => {
                let file = tokio::fs::File::open(path)
                    .await
                    .map_err(|e| Error::Io(format!("`{}`: {e}", path.display())))?;
                let len = file
                    .metadata()
                    .await
                    .map_err(|e| Error::Io(format!("`{}`: {e}", path.display())))?
                    .len();
                (Some(len), reqwest::Body::wrap_stream(chunks(file)))
            }
            Source::Stream(shot) => {
                let taken = shot.stream.lock().map_or(None, |mut s| s.take());
                let stream = taken.ok_or_else(|| {
                    Error::Invalid(
                        "a stream body was sent already and cannot be sent again; \
                         give a file or bytes to let the request be retried"
                            .to_owned(),
                    )
                })?;
                (shot.len, reqwest::Body::wrap_stream(stream))
            }
        };
        Ok((content_type, len, body))
    }
}

/// `file`, a chunk at a time.
fn chunks(file: tokio::fs::File) -> impl Stream<Item = std::io::Result<Bytes>> {
    use tokio::io::AsyncReadExt;
    futures_util::stream::try_unfold(file, |mut file| async move {
        let mut buf = vec![0; FILE_CHUNK];
        let n = file.read(&mut buf).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.truncate(n);
        Ok(Some((Bytes::from(buf), file)))
    })
}
