//! Which endpoints send or answer content that is not JSON, and its media
//! type.
//!
//! Files, photos, message MIME, OneNote HTML and usage reports travel as
//! bytes. The docs say so in several ways, none of them always: a
//! `Content-Type` header in an example that is not JSON; a path that ends
//! in `$value` (a media entity's stream) or `content` (a drive item's
//! file); prose that speaks of "binary" data or a "stream"; a `302 Found`
//! to a download URL. A page documents one reading per method, so the
//! evidence is weighed per endpoint: `GET /me/photo` answers JSON where
//! `GET /me/photo/$value`, on the same page, answers a JPEG.

use super::{Endpoint, Example, Method, Primitive, RequestBody, TypeRef};
use crate::diag::Sink;
use crate::read::{Block, Page};

/// What bytes are called when the docs say nothing more.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// Marks `endpoint`'s request body and response as content where the page
/// says they are, with their media types. Where the page contradicts
/// itself (a JSON type documented, bytes shown), the bytes win only on an
/// example's own `Content-Type`, and a note says so.
pub(super) fn settle(page: &Page, endpoint: &mut Endpoint, sink: &mut Sink<'_>) {
    // Only the endpoint's own examples: a response without its request,
    // or one placed here because its URL fits no path (`…/$count`,
    // answered as text), says nothing about this path.
    let own: Vec<Example> = endpoint
        .examples
        .iter()
        .filter(|e| {
            e.request
                .as_ref()
                .is_some_and(|r| endpoint.path.fit(&r.url).is_some())
        })
        .cloned()
        .collect();
    let segment = media_segment(endpoint);
    if matches!(endpoint.method, Method::Put | Method::Patch | Method::Post) {
        settle_request(page, endpoint, &own, segment, sink);
    }
    settle_response(page, endpoint, &own, segment, sink);
}

fn settle_request(
    page: &Page,
    endpoint: &mut Endpoint,
    own: &[Example],
    segment: Option<MediaSegment>,
    sink: &mut Sink<'_>,
) {
    let requests = || own.iter().filter_map(|e| e.request.as_ref());
    let shown = requests().find_map(|r| r.content_type.clone().filter(|t| !is_json(t)));
    let prose = prose(page, "request body");
    // `PATCH …/onenote/pages/{id}/content` sends JSON commands: a
    // `content` path alone means bytes only for PUT.
    let by_path = match segment {
        Some(MediaSegment::Value) => endpoint.method != Method::Post,
        Some(MediaSegment::Content) => endpoint.method == Method::Put,
        None => false,
    };
    let content = match &shown {
        Some(_) => true,
        None if requests().any(|r| r.body.is_some()) => false,
        None => endpoint.request_body.is_none() && (by_path || says_binary(&prose)),
    };
    if !content {
        return;
    }
    if endpoint.request_body.is_some() {
        sink.note(
            endpoint.source.line,
            "content-request-body",
            format!(
                "`{}` documents a JSON body, but its example sends `{}`; taken as bytes",
                endpoint.label(),
                shown.as_deref().unwrap_or(OCTET_STREAM)
            ),
        );
    }
    let content_type = shown
        .or_else(|| named_media_type(&prose))
        .or_else(|| header_media_type(page))
        .unwrap_or_else(|| OCTET_STREAM.to_owned());
    endpoint.request_body = Some(RequestBody::Content { content_type });
}

fn settle_response(
    page: &Page,
    endpoint: &mut Endpoint,
    own: &[Example],
    segment: Option<MediaSegment>,
    sink: &mut Sink<'_>,
) {
    // `202 Accepted` and `204 No Content` have no body to speak of, whatever
    // their `Content-Type`.
    if matches!(endpoint.response.status, 202 | 204) {
        return;
    }
    let example = own
        .iter()
        .filter_map(|e| e.response.as_ref())
        .find(|r| r.status.is_none_or(|s| s < 300 || s == 302));
    let redirected =
        endpoint.response.status == 302 || example.is_some_and(|r| r.status == Some(302));
    // A 302's own Content-Type is that of its (empty) body, not the
    // file's.
    let shown = example
        .filter(|r| matches!(r.status, None | Some(200 | 201 | 206)))
        .and_then(|r| r.content_type.clone())
        .filter(|t| !is_json(t));
    let json_shown = example.is_some_and(|r| r.body.is_some());
    let get = endpoint.method == Method::Get;
    let by_path = get && segment.is_some();
    let prose = prose(page, "response");
    let body = endpoint.response.body.as_ref();
    let content = if shown.is_some() || redirected {
        true
    } else if json_shown {
        if by_path {
            sink.note(
                endpoint.source.line,
                "content-response-json",
                format!(
                    "`{}` addresses a media stream but its example answers JSON; taken as JSON",
                    endpoint.label()
                ),
            );
        }
        false
    } else {
        let stream = body.is_some_and(|b| b.ty == TypeRef::Primitive(Primitive::Stream));
        stream || by_path || (get && body.is_none() && says_binary(&prose))
    };
    if content {
        let content_type = shown
            .or_else(|| named_media_type(&prose))
            .unwrap_or_else(|| OCTET_STREAM.to_owned());
        endpoint.response.body = None;
        endpoint.response.content_type = Some(content_type);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MediaSegment {
    /// `$value`: the stream of a media entity (photo, attachment,
    /// message, print document).
    Value,
    /// `content`: a drive item's or a OneNote resource's bytes.
    Content,
}

fn media_segment(endpoint: &Endpoint) -> Option<MediaSegment> {
    let last = endpoint
        .path
        .template
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if last.eq_ignore_ascii_case("$value") {
        Some(MediaSegment::Value)
    } else if last.eq_ignore_ascii_case("content") {
        Some(MediaSegment::Content)
    } else {
        None
    }
}

/// The unquoted paragraphs of the page's first section named `heading`,
/// in lower case.
fn prose(page: &Page, heading: &str) -> String {
    let Some((index, _)) = page.sections_where(|h| h == heading).next() else {
        return String::new();
    };
    let mut out = String::new();
    for block in page.subtree(index) {
        if let Block::Paragraph(p) = block
            && !p.quoted
        {
            out.push_str(&p.text.to_ascii_lowercase());
            out.push('\n');
        }
    }
    out
}

/// "the binary stream of the file", "the binary data of the photo",
/// "returns the contents of the file": prose that describes bytes.
pub(super) fn says_binary(prose: &str) -> bool {
    prose.contains("binary") || prose.contains(" stream")
}

/// The first media type prose names: an explicit `type/subtype`, or a
/// format named in words (a report's "CSV file").
fn named_media_type(prose: &str) -> Option<String> {
    const TOP: [&str; 6] = [
        "application/",
        "image/",
        "text/",
        "audio/",
        "video/",
        "multipart/",
    ];
    let explicit = prose
        .split(|c: char| c.is_whitespace() || matches!(c, '`' | '"' | '\'' | ',' | '(' | ')'))
        .map(|w| w.trim_end_matches(['.', ':', ';']))
        .find(|w| {
            TOP.iter().any(|t| {
                w.strip_prefix(t).is_some_and(|sub| {
                    !sub.is_empty()
                        && sub
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
                })
            })
        })
        .filter(|w| !is_json(w));
    explicit
        .map(str::to_owned)
        .or_else(|| prose.contains("csv").then(|| "text/csv".to_owned()))
}

/// The first media type the Content-Type row of the page's "Request
/// headers" table names: OneNote pages list `text/html` there.
fn header_media_type(page: &Page) -> Option<String> {
    let (index, _) = page.sections_where(|h| h == "request headers").next()?;
    page.subtree(index).find_map(|block| {
        let Block::Table(table) = block else {
            return None;
        };
        table.rows.iter().find_map(|row| {
            let name = row.cells.first()?;
            if !name.text.trim().eq_ignore_ascii_case("content-type") {
                return None;
            }
            let text: String = row.cells[1..]
                .iter()
                .map(|c| c.text.to_ascii_lowercase() + " ")
                .collect();
            named_media_type(&text)
        })
    })
}

fn is_json(media_type: &str) -> bool {
    media_type.contains("json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_named_in_prose_or_by_format() {
        assert_eq!(
            named_media_type("the photo, as image/jpeg. json is not."),
            Some("image/jpeg".to_owned())
        );
        assert_eq!(
            named_media_type("the csv file has the following headers"),
            Some("text/csv".to_owned())
        );
        assert_eq!(named_media_type("send application/json."), None);
        assert_eq!(named_media_type("text/ alone"), None);
        assert!(says_binary("the binary stream of the file"));
        assert!(!says_binary("a json representation of the upstream object"));
    }
}
