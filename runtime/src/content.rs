//! Request bodies that are not JSON: a file's bytes, a photo, a page of
//! HTML, given in memory, as a file to read while sending, or as a stream
//! of chunks.
//!
//! A [`Content`] is still data: a file is only opened when the request is
//! sent (and again for a retry), and a stream is handed to the transport
//! as it is, so a large upload never has to fit in memory.

use bytes::Bytes;
use std::path::{Path, PathBuf};

/// The `Content-Type` of bytes no one described.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// A request body that is not JSON, with its media type.
///
/// Endpoints that take one (`PUT …/content`, `PUT /me/photo/$value`) take
/// a `Content`; its type, when not given, is the one the docs name for the
/// endpoint (`image/jpeg` for a photo), else `application/octet-stream`.
#[derive(Clone, Debug)]
pub struct Content {
    pub(crate) source: Source,
    content_type: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) enum Source {
    Bytes(Bytes),
    File(PathBuf),
    #[cfg(feature = "client")]
    Stream(crate::client::OneShot),
}

impl Content {
    /// Bytes in memory.
    pub fn bytes(data: impl Into<Bytes>) -> Content {
        Content {
            source: Source::Bytes(data.into()),
            content_type: None,
        }
    }

    /// The file at `path`, read chunk by chunk while the request is sent
    /// (and read again if a throttled request is retried). Its length is
    /// sent as `Content-Length`.
    pub fn file(path: impl AsRef<Path>) -> Content {
        Content {
            source: Source::File(path.as_ref().to_owned()),
            content_type: None,
        }
    }

    /// Chunks as `stream` yields them, sent once: a throttled request whose
    /// body was a stream is not retried (its chunks are gone), and the
    /// error is returned. Give `len` when known: Graph wants a
    /// `Content-Length` on most uploads.
    #[cfg(feature = "client")]
    pub fn stream<S, E>(stream: S, len: Option<u64>) -> Content
    where
        S: futures_util::Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<crate::client::BoxError> + 'static,
    {
        Content {
            source: Source::Stream(crate::client::OneShot::new(stream, len)),
            content_type: None,
        }
    }

    /// Sends the content as `content_type` (`image/png`), whatever the
    /// docs name for the endpoint.
    #[must_use]
    pub fn with_type(mut self, content_type: impl Into<String>) -> Content {
        self.content_type = Some(content_type.into());
        self
    }

    /// The media type given with [`Content::with_type`], if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The bytes, when the content is held in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.source {
            Source::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The file, when the content is one.
    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::File(p) => Some(p),
            _ => None,
        }
    }

    /// Uses `content_type` unless a type was given already.
    pub(crate) fn or_type(mut self, content_type: &str) -> Content {
        if self.content_type.is_none() {
            self.content_type = Some(content_type.to_owned());
        }
        self
    }
}

impl From<Vec<u8>> for Content {
    fn from(data: Vec<u8>) -> Content {
        Content::bytes(data)
    }
}

impl From<&'static [u8]> for Content {
    fn from(data: &'static [u8]) -> Content {
        Content::bytes(data)
    }
}

impl From<String> for Content {
    fn from(text: String) -> Content {
        Content::bytes(text)
    }
}

impl From<&'static str> for Content {
    fn from(text: &'static str) -> Content {
        Content::bytes(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_type_wins_over_the_documented_one() {
        let c = Content::bytes(&b"jpeg"[..]).or_type("image/jpeg");
        assert_eq!(c.content_type(), Some("image/jpeg"));
        assert_eq!(c.as_bytes(), Some(&b"jpeg"[..]));
        let c = Content::file("photo.png")
            .with_type("image/png")
            .or_type("image/jpeg");
        assert_eq!(c.content_type(), Some("image/png"));
        assert_eq!(c.as_bytes(), None);
        assert_eq!(c.path(), Some(Path::new("photo.png")));
    }
}
