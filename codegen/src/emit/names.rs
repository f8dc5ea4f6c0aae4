//! Rust names for doc names, decided once and collision-free.
//!
//! Every identifier in the generated code comes from here: doc text is
//! reduced to ASCII letters, digits and `_`, case-converted as heck does,
//! kept off Rust keywords and prelude names, and made unique within its
//! scope by a numeric suffix, claimed in sorted order so the same input
//! always gives the same names.

use std::collections::HashSet;

/// Strict, reserved and edition-dependent keywords, which no generated
/// identifier may be.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code uses unqualified; a type of the same name
/// would shadow them in its own file.
pub const PRELUDE_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "From",
    "Into",
    "Send",
    "Sync",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`: fields, functions, modules.
    Snake,
    /// `UpperCamelCase`: types and variants.
    Camel,
}

/// A valid Rust identifier for `raw` in `case`, not yet made unique.
pub fn ident(raw: &str, case: Case) -> String {
    let words: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut s = convert(&words, case);
    if s.is_empty() {
        s = match case {
            Case::Snake => "value".to_owned(),
            Case::Camel => "Value".to_owned(),
        };
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, if case == Case::Snake { 'n' } else { 'N' });
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    debug_assert!(syn::parse_str::<syn::Ident>(&s).is_ok(), "{s}");
    s
}

/// heck's `to_snake_case` or `to_upper_camel_case` of `words`, which hold
/// ASCII letters, digits and spaces only, without its formatting
/// machinery: heck writes a character at a time through `fmt`, which was
/// half of making the plan. Words split where heck splits them (spaces, a
/// lower-case letter before an upper-case one, the last of a run of
/// capitals before a lower-case letter); a property test holds the two
/// equal.
fn convert(words: &str, case: Case) -> String {
    let mut out = String::with_capacity(words.len() + 4);
    for word in heck_words(words) {
        let (first, rest) = word.split_at(1);
        match case {
            Case::Snake => {
                if !out.is_empty() {
                    out.push('_');
                }
                out.push_str(&first.to_ascii_lowercase());
            }
            Case::Camel => out.push_str(&first.to_ascii_uppercase()),
        }
        out.push_str(&rest.to_ascii_lowercase());
    }
    out
}

/// The words heck finds in ASCII `text`, none of them empty.
fn heck_words(text: &str) -> Vec<&str> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    let mut found = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let bytes = word.as_bytes();
        let (mut start, mut mode) = (0, Mode::Boundary);
        for (i, pair) in bytes.windows(2).enumerate() {
            let (c, next) = (pair[0], pair[1]);
            let next_mode = match c {
                b'a'..=b'z' => Mode::Lower,
                b'A'..=b'Z' => Mode::Upper,
                _ => mode,
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                found.push(&word[start..=i]);
                (start, mode) = (i + 1, Mode::Boundary);
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                found.push(&word[start..i]);
                (start, mode) = (i, Mode::Boundary);
            } else {
                mode = next_mode;
            }
        }
        found.push(&word[start..]);
    }
    found
}

/// Names already given in one namespace (a module's items, a struct's fields).
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are never handed out.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Takes `name` as it is, if free: for names recorded in the lock.
    pub fn reserve(&mut self, name: &str) -> bool {
        self.taken.insert(name.to_owned())
    }

    /// `ident(raw, case)`, or that with the first free numeric suffix.
    pub fn claim(&mut self, raw: &str, case: Case) -> String {
        let base = ident(raw, case);
        if self.taken.insert(base.clone()) {
            return base;
        }
        let sep = if case == Case::Snake { "_" } else { "" };
        // `self_` + 2 reads better as `self_2` than `self__2`.
        let stem = base.trim_end_matches('_');
        (2..)
            .map(|n| format!("{stem}{sep}{n}"))
            .find(|c| self.taken.insert(c.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use heck::{ToSnakeCase, ToUpperCamelCase};
    use proptest::prelude::*;

    proptest! {
        /// The conversion is heck's, whatever the doc text: its words
        /// and its cases, digits and runs of capitals included.
        #[test]
        fn conversion_is_hecks(raw in "[A-Za-z0-9 _.-]{0,20}|\\PC{0,12}") {
            let words: String = (raw.chars())
                .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
                .collect();
            prop_assert_eq!(convert(&words, Case::Snake), words.to_snake_case());
            prop_assert_eq!(convert(&words, Case::Camel), words.to_upper_camel_case());
        }
    }

    #[test]
    fn conversion_splits_where_heck_does() {
        for raw in [
            "HTTPServer",
            "a1B",
            "ABc",
            "x",
            "iOSApp",
            "  two  words ",
            "URL2Go",
            "v1.0",
        ] {
            let words = raw.replace('.', " ");
            assert_eq!(convert(&words, Case::Snake), words.to_snake_case(), "{raw}");
            assert_eq!(
                convert(&words, Case::Camel),
                words.to_upper_camel_case(),
                "{raw}"
            );
        }
    }

    #[test]
    fn hostile_names_become_valid_identifiers() {
        assert_eq!(ident("type", Case::Snake), "type_");
        assert_eq!(ident("Self", Case::Camel), "Self_");
        assert_eq!(ident("self", Case::Snake), "self_");
        assert_eq!(ident("@odata.type", Case::Snake), "odata_type");
        assert_eq!(ident("1st place", Case::Snake), "n1st_place");
        assert_eq!(ident("1st place", Case::Camel), "N1stPlace");
        assert_eq!(ident("ünïcødé", Case::Snake), "n_c_d");
        assert_eq!(ident("", Case::Camel), "Value");
        assert_eq!(ident("*/ #[x]", Case::Snake), "x");
        for raw in ["crate", "super", "async", "a-b", "a.b", "a b", "\"}{"] {
            assert!(
                syn::parse_str::<syn::Ident>(&ident(raw, Case::Snake)).is_ok(),
                "{raw}"
            );
            assert!(
                syn::parse_str::<syn::Ident>(&ident(raw, Case::Camel)).is_ok(),
                "{raw}"
            );
        }
    }

    #[test]
    fn collisions_after_case_conversion_get_suffixes() {
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        assert_eq!(scope.claim("displayName", Case::Snake), "display_name");
        assert_eq!(scope.claim("DisplayName", Case::Snake), "display_name_2");
        assert_eq!(scope.claim("display_name", Case::Snake), "display_name_3");
        assert_eq!(
            scope.claim("additionalProperties", Case::Snake),
            "additional_properties_2"
        );
        assert_eq!(scope.claim("self", Case::Snake), "self_");
        assert_eq!(scope.claim("Self", Case::Snake), "self_2");
        let mut types = Scope::with_reserved(PRELUDE_TYPES);
        assert_eq!(types.claim("option", Case::Camel), "Option2");
    }
}
