//! `codegen lint`: diagnostics under their Markdown lines, JSON for tools,
//! and the exit status that `--deny` sets.

mod common;

use std::path::Path;
use std::process::{Command, Output};

/// A property row whose type cell names no type: one `unknown-type-cell`
/// warning, on line 9.
const GADGET: &str = "# gadget resource type\n\nA gadget.\n\n## Properties\n|Property|Type|Description|\n|:--|:--|:--|\n|id|String|Key.|\n|weird|see below|Bad cell.|\n";
const BAD_ROW: &str = "|weird|see below|Bad cell.|";

/// A scratch docs tree holding only the gadget page.
fn defective_docs(name: &str) -> std::path::PathBuf {
    let docs = common::scratch(name);
    std::fs::create_dir_all(docs.join("resources")).unwrap();
    std::fs::write(docs.join("resources/gadget.md"), GADGET).unwrap();
    docs
}

fn lint(docs: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["lint", "--docs", docs.to_str().unwrap()])
        .args(extra)
        .output()
        .expect("running codegen")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn human_output_underlines_the_offending_line_and_counts_codes() {
    let out = lint(&defective_docs("lint-human"), &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "warnings do not fail by default"
    );
    let text = stdout(&out);
    assert!(text.starts_with("warning[unknown-type-cell]: type `see below` of `weird`"));
    assert!(text.contains("--> resources/gadget.md:9:1\n"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == format!("9 | {BAD_ROW}"))
        .unwrap_or_else(|| panic!("source line shown: {text}"));
    assert_eq!(lines[at + 1], format!("  | {}", "^".repeat(BAD_ROW.len())));
    assert!(
        text.ends_with("     1 warning unknown-type-cell\ntotal: 1 warning, 0 notes\n"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colours when piped");
}

#[test]
fn json_output_lists_diagnostics_and_counts() {
    let out = lint(&defective_docs("lint-json"), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(
        (&d["file"], &d["line"], &d["code"], &d["severity"]),
        (
            &"resources/gadget.md".into(),
            &9.into(),
            &"unknown-type-cell".into(),
            &"warning".into()
        )
    );
    assert_eq!(json["summary"]["warnings"], 1);
    assert_eq!(json["summary"]["codes"][0]["code"], "unknown-type-cell");
    assert_eq!(json["summary"]["codes"][0]["count"], 1);
}

#[test]
fn deny_sets_which_severities_fail() {
    let docs = defective_docs("lint-deny");
    for (deny, code) in [("none", 0), ("warnings", 1), ("notes", 1)] {
        let out = lint(&docs, &["--deny", deny]);
        assert_eq!(out.status.code(), Some(code), "--deny {deny}");
    }
}

#[test]
fn the_sample_docs_have_no_warnings() {
    let out = lint(&common::docs_input(), &["--deny", "warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("total: 0 warnings"));
}

#[test]
fn missing_inputs_are_usage_errors() {
    let docs = defective_docs("lint-missing");
    let out = lint(&docs.join("nowhere"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a directory"));
    let out = lint(&docs, &["--overrides", "no-such-overrides.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_real_corpus_lints_with_a_snippet_or_place_for_every_diagnostic() {
    let Some(root) =
        common::graph_docs("the_real_corpus_lints_with_a_snippet_or_place_for_every_diagnostic")
    else {
        return;
    };
    let docs = root.join("2021-07/v1.0");
    let out = lint(&docs, &["--format", "json", "--deny", "warnings"]);
    assert_eq!(out.status.code(), Some(1), "the corpus has warnings");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let warnings = diagnostics
        .iter()
        .filter(|d| d["severity"] == "warning")
        .count();
    assert!(warnings > 100, "{warnings} warnings");
    assert_eq!(json["summary"]["warnings"], warnings);
    assert!(
        diagnostics
            .iter()
            .all(|d| d["code"].as_str().is_some_and(|c| !c.is_empty()))
    );

    let human = stdout(&lint(&docs, &[]));
    let places = human
        .lines()
        .filter(|l| l.trim_start().starts_with("--> "))
        .count();
    assert_eq!(places, diagnostics.len());
}
