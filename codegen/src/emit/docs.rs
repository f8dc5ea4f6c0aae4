//! Doc text → `#[doc]` attributes that rustdoc renders without warnings.
//!
//! Descriptions are Markdown written for a website. In rustdoc, `[x]` is an
//! intra-doc link, `<x>` an HTML tag, a bare URL a lint, and a fence a
//! doctest that would be compiled. So each paragraph is folded to one line,
//! brackets and angle brackets are escaped outside code spans, URLs become
//! autolinks, and nothing can open a code block. The text only ever ends up
//! in a string literal, never in code.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for the non-empty paragraphs, separated by blank lines.
pub fn attrs<I, S>(paragraphs: I) -> TokenStream
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs {
        let text = sanitize(p.as_ref());
        if text.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!(" {text}"));
    }
    quote! { #( #[doc = #lines] )* }
}

/// A `#[doc]` attribute for text the generator writes itself, which may use
/// rustdoc links. It must never include doc text: that goes through [`attrs`].
pub fn own(text: &str) -> TokenStream {
    let line = format!(" {text}");
    quote! { #[doc = #line] }
}

/// Characters that change the visible direction of text. rustc rejects
/// them in comments and doc attributes (they can make code read differently
/// from how it compiles), so they are dropped from doc text.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// One paragraph of doc text, made safe for rustdoc.
pub fn sanitize(text: &str) -> String {
    let visible: String = text.chars().filter(|c| !is_bidi_control(*c)).collect();
    let folded = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    let balanced = folded.matches('`').count() % 2 == 0;
    let mut out = String::with_capacity(folded.len());
    let mut in_code = false;
    for word in folded.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        // A URL in quotes or brackets keeps them outside its `<…>`.
        let opened = word.trim_start_matches(['"', '\'', '(']);
        let url = url_in(opened);
        if !in_code && is_url(url) {
            let start = word.len() - opened.len();
            escape_into(&word[..start], &mut out, &mut in_code, balanced);
            out.push('<');
            out.push_str(url);
            out.push('>');
            escape_into(&word[start + url.len()..], &mut out, &mut in_code, balanced);
            continue;
        }
        escape_into(word, &mut out, &mut in_code, balanced);
    }
    if out.starts_with(['~', '#', '=', '-', '+', '|']) {
        out.insert(0, '\\');
    }
    out
}

/// `text` without the punctuation that ends the sentence or quote it is
/// in; a closing bracket is the URL's own while it has one opened
/// (`…/wiki/Foo_(bar)`).
fn url_in(text: &str) -> &str {
    let mut url = text;
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '"', '\'']);
        let opened = trimmed.matches('(').count();
        match trimmed.strip_suffix(')') {
            Some(shorter) if trimmed.matches(')').count() > opened => url = shorter,
            _ => return trimmed,
        }
    }
}

fn is_url(word: &str) -> bool {
    let host = (word.strip_prefix("https://")).or_else(|| word.strip_prefix("http://"));
    host.is_some_and(|h| !h.is_empty()) && !word.contains(['<', '>', '`', '"', '\\'])
}

fn escape_into(text: &str, out: &mut String, in_code: &mut bool, balanced: bool) {
    for c in text.chars() {
        match c {
            '`' if balanced => {
                *in_code = !*in_code;
                out.push(c);
            }
            '`' => out.push_str("\\`"),
            _ if *in_code => out.push(c),
            '[' | ']' | '\\' | '*' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn markup_that_rustdoc_would_read_is_escaped() {
        assert_eq!(
            sanitize("see [user] and <b>x</b>"),
            "see \\[user\\] and &lt;b&gt;x&lt;/b&gt;"
        );
        assert_eq!(sanitize("code `a[0] <T>` stays"), "code `a[0] <T>` stays");
        assert_eq!(sanitize("odd ` tick"), "odd \\` tick");
        assert_eq!(
            sanitize("go to https://aka.ms/x."),
            "go to <https://aka.ms/x>."
        );
        assert_eq!(
            sanitize("e.g. \"https://aka.ms/x\". Or (https://aka.ms/y)."),
            "e.g. \"<https://aka.ms/x>\". Or (<https://aka.ms/y>)."
        );
        assert_eq!(sanitize("\"https://\""), "\"https://\"");
        assert_eq!(
            sanitize("see (https://w.org/Foo_(bar)), or https://w.org/a)."),
            "see (<https://w.org/Foo_(bar)>), or <https://w.org/a>)."
        );
        assert_eq!(
            sanitize("```rust\nfn main() {}\n```"),
            "```rust fn main() {} ```"
        );
        assert_eq!(sanitize("~~~\nx"), "\\~~~ x");
        assert_eq!(sanitize("a */ b #[c] \"d\""), "a \\*/ b #\\[c\\] \"d\"");
        assert_eq!(sanitize("  many \n\n  spaces "), "many spaces");
        assert_eq!(sanitize("a\u{202E}b\u{2066}c"), "abc");
    }

    #[test]
    fn string_literals_escape_direction_controls() {
        // JSON names and paths must keep their exact value, so they are not
        // filtered: the literal has to spell such characters as escapes.
        let value = "x\u{202E}y";
        let literal = quote::quote!(#value).to_string();
        assert_eq!(literal, "\"x\\u{202e}y\"");
    }
}
