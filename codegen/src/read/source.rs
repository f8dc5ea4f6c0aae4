//! Raw bytes → text the Markdown parser can take, and byte offset → line.

use crate::diag::Sink;
use std::borrow::Cow;

/// Decodes a page: strips a BOM, replaces invalid UTF-8 (with a diagnostic),
/// and turns CR LF and lone CR line ends into LF so that lines count the same
/// way for every page.
pub fn decode<'a>(bytes: &'a [u8], sink: &mut Sink<'_>) -> Cow<'a, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            sink.warn(
                u32::try_from(line).unwrap_or(u32::MAX),
                "non-utf8",
                "page is not valid UTF-8; invalid bytes were replaced with U+FFFD",
            );
            String::from_utf8_lossy(bytes)
        }
    };
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    }
}

/// Maps byte offsets to 1-based line numbers.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    pub fn line(&self, offset: usize) -> u32 {
        let line = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        let idx = LineIndex::new("a\nb\n\nc");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(4), 3);
        assert_eq!(idx.line(5), 4);
    }

    #[test]
    fn decode_normalises_line_ends_and_bom() {
        let mut sink = Sink::new("x.md");
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\rc", &mut sink), "a\nb\nc");
        assert!(sink.into_vec().is_empty());
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported_on_its_line() {
        let mut sink = Sink::new("x.md");
        let text = decode(b"ok\nbad \xFF here", &mut sink);
        assert_eq!(text, "ok\nbad \u{FFFD} here");
        let found = sink.into_vec();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].code, found[0].line), ("non-utf8", 2));
    }
}
