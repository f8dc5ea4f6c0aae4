//! Diagnostics: what the generator could not use, and where it found it.
//!
//! The docs are written by many hands and are often slightly wrong. Nothing in
//! them is allowed to stop generation: each stage records what it skipped or
//! guessed as a [`Diagnostic`] with the Markdown file and line, and goes on.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Mutex, PoisonError};

/// How much a diagnostic matters to a user of the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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

/// A [`Diagnostic`] read back (from a run's stamp, see
/// [`crate::write::Stamp`]), its code not yet a literal of this program.
#[derive(Deserialize)]
struct Stored {
    file: String,
    line: u32,
    code: String,
    severity: Severity,
    message: String,
}

impl<'de> Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let d = Stored::deserialize(deserializer)?;
        let code = intern(d.code).ok_or_else(|| serde::de::Error::custom("too many codes"))?;
        Ok(Diagnostic {
            file: d.file,
            line: d.line,
            code,
            severity: d.severity,
            message: d.message,
        })
    }
}

/// The code as a `&'static str`, as every code this program writes is.
/// Codes read back are kept for the rest of the process, each once: there
/// are a few dozen, and past [`MAX_CODES`] (a damaged record) a new one is
/// refused, so that what it was read from counts as damaged.
fn intern(code: String) -> Option<&'static str> {
    static CODES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    intern_in(
        &mut CODES.lock().unwrap_or_else(PoisonError::into_inner),
        code,
    )
}

fn intern_in(codes: &mut BTreeSet<&'static str>, code: String) -> Option<&'static str> {
    if let Some(known) = codes.get(code.as_str()) {
        return Some(known);
    }
    if codes.len() >= MAX_CODES {
        return None;
    }
    let leaked: &'static str = Box::leak(code.into_boxed_str());
    codes.insert(leaked);
    Some(leaked)
}

const MAX_CODES: usize = 1_000;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_read_back_as_written() {
        let mut sink = Sink::new("api/user-get.md");
        sink.warn(3, "unknown-type-cell", "`Strng`");
        sink.note(9, "path-double-slash", "`//me`");
        let written = sink.into_vec();
        let bytes = postcard::to_stdvec(&written).unwrap();
        let read: Vec<Diagnostic> = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(read, written);
        let again: Vec<Diagnostic> = postcard::from_bytes(&bytes).unwrap();
        assert!(
            std::ptr::eq(read[0].code, again[0].code),
            "codes are kept once"
        );
    }

    #[test]
    fn past_the_limit_a_new_code_is_refused_and_known_ones_kept() {
        let mut codes = BTreeSet::new();
        for n in 0..MAX_CODES {
            assert!(intern_in(&mut codes, format!("code-{n}")).is_some());
        }
        assert_eq!(intern_in(&mut codes, "code-7".to_owned()), Some("code-7"));
        assert_eq!(intern_in(&mut codes, "one-too-many".to_owned()), None);
    }
}
