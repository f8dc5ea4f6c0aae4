//! Pages written to attack the generator (`tests/hostile-docs/`) give
//! Rust in which no doc text is anything but a string literal, a doc
//! comment or a validated identifier. CI also compiles the crate they
//! generate, with clippy and rustdoc denying warnings.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The word the hostile pages hide in descriptions, paths and examples,
/// inside text that would read as Rust if it were pasted into code.
const PAYLOAD: &str = "pwned";

/// The attributes the generator writes; text from the docs could only add
/// another by being pasted into code.
const ATTRIBUTES: &[&str] = &[
    "doc",
    "derive",
    "cfg",
    "non_exhaustive",
    "allow",
    "rustfmt",
    "test",
];

/// The macros generated code calls: the example tests' assertions, and
/// `include_str!` of an operation's fixture (its argument checked below).
const MACROS: &[&str] = &["assert_eq", "include_str"];

fn hostile_files() -> Vec<codegen::emit::SourceFile> {
    let docs = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile-docs"));
    let settings = codegen::CrateSettings {
        name: "hostile".to_owned(),
        runtime_path: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime")),
    };
    let generated = codegen::Generator::new(docs)
        .standalone(&settings)
        .expect("hostile pages still give valid Rust");
    generated.files
}

/// What one file's tokens break, as messages.
#[derive(Default)]
struct Findings {
    problems: Vec<String>,
    attributes: BTreeSet<String>,
    macros: BTreeSet<String>,
}

impl Findings {
    /// An included file must be a fixture: a JSON file named by an
    /// identifier, beside the file or (for the mock's routes) in the
    /// `fixtures` folder beside theirs, never a path the docs could steer.
    fn included(&mut self, path: &str, arguments: TokenStream) {
        let arguments: Vec<TokenTree> = arguments.into_iter().collect();
        let name = match arguments.as_slice() {
            [TokenTree::Literal(l)] => l.to_string(),
            _ => String::new(),
        };
        let folder = if path.contains("/mock/") {
            "\"../fixtures/"
        } else {
            "\""
        };
        let stem = name
            .strip_prefix(folder)
            .and_then(|n| n.strip_suffix(".json\""))
            .unwrap_or_default();
        let valid = stem.starts_with(|c: char| c.is_ascii_lowercase())
            && stem
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid || !(path.contains("/fixtures/") || path.contains("/mock/")) {
            self.problems.push(format!(
                "{path}: includes {name} (only a fixture beside it)"
            ));
        }
    }

    fn tokens(&mut self, path: &str, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Ident(ident) => {
                    let text = ident.to_string();
                    let plain = text.strip_prefix("r#").unwrap_or(&text);
                    let valid = plain.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && plain.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !valid || plain.to_ascii_lowercase().contains(PAYLOAD) {
                        self.problems.push(format!("{path}: identifier `{text}`"));
                    }
                    if let Some(TokenTree::Punct(p)) = trees.get(i + 1)
                        && p.as_char() == '!'
                        && let Some(TokenTree::Group(arguments)) = trees.get(i + 2)
                    {
                        if text == "include_str" {
                            self.included(path, arguments.stream());
                        }
                        self.macros.insert(text);
                    }
                }
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    let group = match (trees.get(i + 1), trees.get(i + 2)) {
                        (Some(TokenTree::Group(g)), _) => Some(g),
                        (Some(TokenTree::Punct(bang)), Some(TokenTree::Group(g)))
                            if bang.as_char() == '!' =>
                        {
                            Some(g)
                        }
                        _ => None,
                    };
                    if let Some(g) = group.filter(|g| g.delimiter() == Delimiter::Bracket)
                        && let Some(TokenTree::Ident(name)) = g.stream().into_iter().next()
                    {
                        self.attributes.insert(name.to_string());
                    }
                }
                TokenTree::Group(g) => self.tokens(path, g.stream()),
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
        }
    }
}

#[test]
fn doc_text_never_becomes_code() {
    let files = hostile_files();
    let mut findings = Findings::default();
    let mut payload_seen = 0;
    for f in files.iter().filter(|f| f.path.ends_with(".rs")) {
        let parsed = syn::parse_file(&f.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", f.path));
        findings.tokens(&f.path, parsed.into_token_stream());
        payload_seen += f.contents.matches(PAYLOAD).count();
    }
    assert!(
        findings.problems.is_empty(),
        "{}",
        findings.problems.join("\n")
    );
    let unexpected: Vec<_> = findings
        .attributes
        .iter()
        .filter(|a| !ATTRIBUTES.contains(&a.as_str()))
        .collect();
    assert!(unexpected.is_empty(), "attributes: {unexpected:?}");
    let unexpected: Vec<_> = findings
        .macros
        .iter()
        .filter(|m| !MACROS.contains(&m.as_str()))
        .collect();
    assert!(unexpected.is_empty(), "macros: {unexpected:?}");
    // The text did reach the output, in strings and doc comments.
    assert!(
        payload_seen >= 20,
        "the payload appears {payload_seen} times"
    );
}

#[test]
fn hostile_names_are_distinct_identifiers_and_paths_stay_literal() {
    let files = hostile_files();
    let text = |path: &str| {
        let f = files.iter().find(|f| f.path == path);
        f.unwrap_or_else(|| panic!("{path} is not generated"))
            .contents
            .clone()
    };
    let ty = text("types/src/types/type_.rs");
    for field in [
        "pub type_:",
        "pub self_:",
        "pub self_2:",
        "pub crate_:",
        "pub super_:",
        "pub async_:",
        "pub display_name:",
        "pub display_name_2:",
        "pub n1st_place:",
        "pub odata_etag:",
        "pub additional_properties_2:",
    ] {
        assert!(ty.contains(field), "no `{field}` in type_.rs");
    }
    let listing = text("src/api.txt");
    // Paths with quotes, `..` and backslashes are sent as written, percent-
    // encoding only the parameters: each segment is a string literal of a
    // step of the request tree, never code.
    for literal in [
        r#""/\"quoted\"""#,
        r#""/..""#,
        r#""/etc""#,
        r#""/passwd""#,
        r#""/x\\y""#,
    ] {
        assert!(
            files.iter().any(|f| f.contents.contains(literal)),
            "no file holds the path text {literal}"
        );
    }
    assert!(listing.contains("types::Type"), "{listing}");
}
