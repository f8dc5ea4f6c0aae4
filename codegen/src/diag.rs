//! Diagnostics: what the generator could not use, and where it found it.
//!
//! The docs are written by many hands and are often slightly wrong. Nothing in
//! them is allowed to stop generation: each stage records what it skipped or
//! guessed as a [`Diagnostic`] with the Markdown file and line, and goes on.

use serde::Serialize;
use std::fmt;

/// How much a diagnostic matters to a user of the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was normalised; the output is what the docs meant.
    Note,
    /// Part of a page could not be used; the output lacks it.
    Warning,
}

/// One finding, tied to a place in the docs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// File relative to the docs root, with `/` separators.
    pub file: String,
    /// 1-based line in that file.
    pub line: u32,
    /// Stable, kebab-case code, e.g. `unknown-type-cell`; tools filter on it.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}: {level}[{}]: {}",
            self.file, self.line, self.code, self.message
        )
    }
}

/// Collects diagnostics for one file while a stage walks it.
#[derive(Debug)]
pub struct Sink<'a> {
    file: &'a str,
    found: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(file: &'a str) -> Self {
        Sink {
            file,
            found: Vec::new(),
        }
    }

    pub fn warn(&mut self, line: u32, code: &'static str, message: impl Into<String>) {
        self.push(line, code, Severity::Warning, message.into());
    }

    pub fn note(&mut self, line: u32, code: &'static str, message: impl Into<String>) {
        self.push(line, code, Severity::Note, message.into());
    }

    fn push(&mut self, line: u32, code: &'static str, severity: Severity, message: String) {
        self.found.push(Diagnostic {
            file: self.file.to_owned(),
            line,
            code,
            severity,
            message,
        });
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.found
    }
}
