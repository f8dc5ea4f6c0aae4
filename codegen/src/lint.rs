//! `codegen lint`: each diagnostic shown against the Markdown line it is about.
//!
//! A [`Diagnostic`] carries a file and a line, which is all a tool needs but
//! leaves a person fixing the docs to open the page and count lines. Here each
//! one is drawn like a compiler error, with the source line underlined, and
//! the run ends with counts per code. The same counts, cut down to a few
//! lines, are what `build.rs` prints as cargo warnings ([`cargo_summary`]).
//!
//! Output is plain text: no colours, whatever stdout is, so that it reads the
//! same in a terminal, a CI log and a test.

use crate::diag::{Diagnostic, Severity, Sink};
use crate::read::source::decode;
use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

/// How many diagnostics share one code and severity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CodeCount {
    pub code: &'static str,
    pub severity: Severity,
    pub count: usize,
}

/// The counts at the end of a lint report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// How many diagnostics are warnings (`--deny warnings` fails on them).
    pub warnings: usize,
    /// How many are notes.
    pub notes: usize,
    /// Warnings before notes (what to fix first), by code within each.
    pub codes: Vec<CodeCount>,
}

impl Summary {
    /// Counts `diagnostics` per code and severity.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut counts: BTreeMap<(Reverse<Severity>, &'static str), usize> = BTreeMap::new();
        for d in diagnostics {
            *counts.entry((Reverse(d.severity), d.code)).or_default() += 1;
        }
        let total = |severity| {
            diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count()
        };
        Summary {
            warnings: total(Severity::Warning),
            notes: total(Severity::Note),
            codes: counts
                .into_iter()
                .map(|((Reverse(severity), code), count)| CodeCount {
                    code,
                    severity,
                    count,
                })
                .collect(),
        }
    }
}

/// One line per code and severity, then the totals.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.codes {
            writeln!(f, "{:>6} {:<7} {}", c.count, level_name(c.severity), c.code)?;
        }
        writeln!(
            f,
            "total: {}, {}",
            plural(self.warnings, "warning"),
            plural(self.notes, "note")
        )
    }
}

/// The human report: every diagnostic with its source line, then the
/// [`Summary`].
///
/// Files are read from `docs` (where the diagnostics' paths are relative to;
/// an absolute path, as an overrides file gets, is read as it is), each once
/// however many diagnostics it has. A file that cannot be read, or a line
/// past its end, costs only the snippet: the diagnostic is still printed,
/// with its place. A page that is a symbolic link is not read: it may lead
/// out of the docs tree.
pub fn render_human(docs: &Path, diagnostics: &[Diagnostic]) -> String {
    render_with(diagnostics, |file| {
        let path = docs.join(file);
        let link = Path::new(file).is_relative()
            && path
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink());
        if link { None } else { std::fs::read(path).ok() }
    })
}

/// [`render_human`] over any source of file contents, so that tests need no
/// files on disk.
fn render_with(
    diagnostics: &[Diagnostic],
    mut read: impl FnMut(&str) -> Option<Vec<u8>>,
) -> String {
    let renderer = Renderer::plain();
    let mut out = String::new();
    for group in sorted(diagnostics).chunk_by(|a, b| a.file == b.file) {
        let text = read(&group[0].file).map(|bytes| decode_quietly(&bytes));
        let lines: Vec<&str> = text
            .as_deref()
            .map_or_else(Vec::new, |t| t.split('\n').collect());
        for d in group {
            out.push_str(&render_one(&renderer, d, line_at(&lines, d.line)));
            out.push_str("\n\n");
        }
    }
    out.push_str(&Summary::of(diagnostics).to_string());
    out
}

/// The JSON report: `{"diagnostics": [...], "summary": {...}}`, diagnostics
/// in the same order as the human report.
///
/// # Errors
/// None in practice: every field is a string or a number.
pub fn render_json(diagnostics: &[Diagnostic]) -> serde_json::Result<String> {
    #[derive(Serialize)]
    struct Report<'a> {
        diagnostics: Vec<&'a Diagnostic>,
        summary: Summary,
    }
    let report = Report {
        diagnostics: sorted(diagnostics),
        summary: Summary::of(diagnostics),
    };
    serde_json::to_string_pretty(&report).map(|json| json + "\n")
}

/// What `build.rs` prints as `cargo:warning=` lines (without that prefix,
/// nor a `docgen:` one: cargo names the package on each line):
/// nothing when `diagnostics` hold no warning; otherwise the total, the most
/// frequent codes and the command that shows each warning, five lines at most
/// so that a build log stays readable. `docs` names the docs tree as the
/// command should be given it.
pub fn cargo_summary(docs: &str, diagnostics: &[Diagnostic]) -> Vec<String> {
    const TOP: usize = 3;
    let summary = Summary::of(diagnostics);
    if summary.warnings == 0 {
        return Vec::new();
    }
    let mut codes: Vec<&CodeCount> = summary
        .codes
        .iter()
        .filter(|c| c.severity == Severity::Warning)
        .collect();
    // Stable: equal counts keep the codes' alphabetical order.
    codes.sort_by_key(|c| Reverse(c.count));
    let mut lines = vec![format!(
        "{} in {docs}/ ({})",
        plural(summary.warnings, "warning"),
        plural(codes.len(), "code")
    )];
    lines.extend(
        codes
            .iter()
            .take(TOP)
            .map(|c| format!("{:>6} {}", c.count, c.code)),
    );
    lines.push(format!(
        "run `cargo run -p docgen-codegen -- lint --docs {docs}` to see each one with its line"
    ));
    lines
}

/// The diagnostics in report order (file, line, code), whatever order they
/// came in, so that each file's diagnostics are adjacent and output is
/// deterministic.
fn sorted(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort();
    sorted
}

/// A page's text as the reader saw it (BOM dropped, invalid UTF-8 replaced,
/// CR line ends made LF), so that line numbers point at the same lines; the
/// reader has already reported what decoding finds.
fn decode_quietly(bytes: &[u8]) -> String {
    decode(bytes, &mut Sink::new("")).into_owned()
}

/// The text of 1-based `line`, if the file has it.
fn line_at<'a>(lines: &[&'a str], line: u32) -> Option<&'a str> {
    let index = usize::try_from(line.checked_sub(1)?).ok()?;
    lines.get(index).copied()
}

/// One diagnostic, drawn with `source` (its line's text) underlined, or with
/// only its place when the line is not available.
fn render_one(renderer: &Renderer, d: &Diagnostic, source: Option<&str>) -> String {
    let level = match d.severity {
        Severity::Note => Level::NOTE,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.code);
    let line = usize::try_from(d.line).unwrap_or(usize::MAX);
    let group = match source {
        Some(text) => title.element(
            Snippet::source(text)
                .line_start(line)
                .path(d.file.as_str())
                .annotation(AnnotationKind::Primary.span(trimmed(text))),
        ),
        None => title.element(Origin::path(d.file.as_str()).line(line)),
    };
    renderer.render(&[group])
}

/// The byte range of `line` without its leading and trailing blanks:
/// diagnostics know their line but not the column, so the underline covers
/// all of the line's text. A blank line gets an empty range (one caret).
fn trimmed(line: &str) -> Range<usize> {
    let start = line.len() - line.trim_start().len();
    start..line.trim_end().len().max(start)
}

/// A severity as the report spells it (and as JSON does).
fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Note => "note",
        Severity::Warning => "warning",
    }
}

/// `1 warning`, `2 warnings`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn diag(file: &str, line: u32, code: &'static str, severity: Severity) -> Diagnostic {
        Diagnostic {
            file: file.to_owned(),
            line,
            code,
            severity,
            message: format!("{code} here"),
        }
    }

    /// Renders over in-memory files.
    fn render(files: &[(&str, &[u8])], diagnostics: &[Diagnostic]) -> String {
        render_with(diagnostics, |file| {
            files
                .iter()
                .find(|(name, _)| *name == file)
                .map(|(_, bytes)| bytes.to_vec())
        })
    }

    /// The `file:line` of each diagnostic shown, in order.
    fn places(out: &str) -> Vec<&str> {
        out.lines()
            .filter_map(|l| l.trim_start().strip_prefix("--> "))
            .collect()
    }

    /// The output line after the first one that ends with `source`.
    fn line_under<'a>(out: &'a str, source: &str) -> &'a str {
        let mut lines = out.lines();
        lines
            .find(|l| l.ends_with(source))
            .expect("source line shown");
        lines.next().expect("a line under it")
    }

    #[test]
    fn the_caret_underlines_the_diagnostics_line_without_its_indent() {
        let page = b"# gadget\n\n    |weird|see below|\nlast\n";
        let d = diag(
            "resources/gadget.md",
            3,
            "unknown-type-cell",
            Severity::Warning,
        );
        let out = render(&[("resources/gadget.md", page)], &[d]);
        assert!(out.starts_with("warning[unknown-type-cell]: unknown-type-cell here\n"));
        assert!(out.contains("--> resources/gadget.md:3:5\n"), "{out}");
        assert!(out.contains("3 |     |weird|see below|\n"), "{out}");
        assert_eq!(
            line_under(&out, "|weird|see below|"),
            "  |     ^^^^^^^^^^^^^^^^^"
        );
        assert!(!out.contains("last"), "only the diagnostic's line: {out}");
    }

    #[test]
    fn a_missing_file_or_line_still_gives_the_place_and_message() {
        let diagnostics = [
            diag("api/gone.md", 7, "unreadable-file", Severity::Warning),
            diag("api/short.md", 9, "past-the-end", Severity::Note),
            diag("api/short.md", 0, "line-zero", Severity::Note),
        ];
        let out = render(&[("api/short.md", b"one line\n")], &diagnostics);
        assert_eq!(
            places(&out),
            ["api/gone.md:7", "api/short.md:0", "api/short.md:9"]
        );
        assert!(out.contains("warning[unreadable-file]: unreadable-file here\n"));
        assert!(out.contains("note[past-the-end]: past-the-end here\n"));
        assert!(!out.contains("one line"), "{out}");
    }

    #[test]
    fn non_utf8_and_cr_line_ends_count_lines_as_the_reader_does() {
        let page = b"\xEF\xBB\xBFtitle\r\nbad \xFF byte\rthird";
        let diagnostics = [
            diag("a.md", 2, "non-utf8", Severity::Warning),
            diag("a.md", 3, "other", Severity::Note),
        ];
        let out = render(&[("a.md", page)], &diagnostics);
        assert!(out.contains("2 | bad \u{FFFD} byte\n"), "{out}");
        assert_eq!(line_under(&out, "byte"), "  | ^^^^^^^^^^");
        assert!(out.contains("3 | third\n"), "{out}");
    }

    #[test]
    fn control_characters_in_the_docs_reach_the_terminal_only_as_symbols() {
        let page = b"say \x1b[31mred\n";
        let mut d = diag("a.md", 1, "x", Severity::Note);
        d.message = "got \u{1b}[31m".to_owned();
        let out = render(&[("a.md", page)], &[d]);
        assert!(!out.contains('\u{1b}'), "{out:?}");
    }

    #[test]
    fn output_is_sorted_by_file_and_line_and_ends_with_counts() {
        let diagnostics = [
            diag("b.md", 1, "zeta", Severity::Note),
            diag("a.md", 2, "alpha", Severity::Warning),
            diag("a.md", 1, "zeta", Severity::Note),
        ];
        let out = render(&[], &diagnostics);
        assert_eq!(places(&out), ["a.md:1", "a.md:2", "b.md:1"]);
        assert!(
            out.ends_with("     1 warning alpha\n     2 note    zeta\ntotal: 1 warning, 2 notes\n"),
            "{out}"
        );
    }

    #[test]
    fn no_diagnostics_is_just_a_zero_total() {
        assert_eq!(render(&[], &[]), "total: 0 warnings, 0 notes\n");
    }

    #[test]
    fn json_holds_the_diagnostics_and_counts() {
        let diagnostics = [
            diag("b.md", 4, "beta", Severity::Warning),
            diag("a.md", 2, "alpha", Severity::Note),
        ];
        let json: serde_json::Value =
            serde_json::from_str(&render_json(&diagnostics).unwrap()).unwrap();
        assert_eq!(json["diagnostics"][0]["file"], "a.md");
        assert_eq!(json["diagnostics"][1]["code"], "beta");
        assert_eq!(json["diagnostics"][1]["severity"], "warning");
        assert_eq!(json["summary"]["warnings"], 1);
        assert_eq!(json["summary"]["notes"], 1);
        assert_eq!(json["summary"]["codes"][0]["code"], "beta");
        assert_eq!(json["summary"]["codes"][1]["count"], 1);
    }

    #[test]
    fn cargo_summary_is_silent_without_warnings() {
        let notes = [diag("a.md", 1, "fine", Severity::Note)];
        assert!(cargo_summary("docs-input", &notes).is_empty());
    }

    #[test]
    fn cargo_summary_names_the_commonest_warnings_in_five_lines() {
        let mut diagnostics = vec![diag("a.md", 1, "note-only", Severity::Note)];
        for (code, n) in [
            ("one", 1),
            ("four", 4),
            ("two", 2),
            ("three", 2),
            ("many", 9),
        ] {
            diagnostics.extend((0..n).map(|line| diag("a.md", line, code, Severity::Warning)));
        }
        assert_eq!(
            cargo_summary("docs-input", &diagnostics),
            [
                "18 warnings in docs-input/ (5 codes)",
                "     9 many",
                "     4 four",
                "     2 three",
                "run `cargo run -p docgen-codegen -- lint --docs docs-input` to see each one with its line",
            ]
        );
    }

    proptest! {
        #[test]
        fn any_bytes_and_lines_render_without_panicking(
            bytes in prop::collection::vec(any::<u8>(), 0..400),
            line in any::<u32>(),
            near in 0u32..12,
        ) {
            let diagnostics = [
                diag("p.md", line, "far", Severity::Warning),
                diag("p.md", near, "near", Severity::Note),
            ];
            let out = render(&[("p.md", &bytes)], &diagnostics);
            prop_assert!(out.ends_with("total: 1 warning, 1 note\n"));
        }

        /// Long lines of wide, combining and right-to-left characters and
        /// tabs, which the renderer measures and cuts to the terminal width.
        #[test]
        fn any_text_renders_with_its_line_shown(text in "[\\PC\t ]{0,600}") {
            let d = diag("p.md", 2, "x", Severity::Warning);
            let page = format!("first\n{text}\nlast");
            let out = render(&[("p.md", page.as_bytes())], &[d]);
            prop_assert!(out.contains("\n2 |"), "{}", out);
        }
    }
}
