//! Known doc defects, corrected as data.
//!
//! Some pages state a fact wrongly in a way no reading rule can tell (a
//! table says "collection" where every example shows one value). Such fixes
//! live in an overrides file beside the docs, keyed by type and property
//! names (never by line, which moves), each with its reason, and are applied
//! to the model after the pages are read: the parser keeps no special cases.
//! An override that no longer matches anything is reported, so the file
//! shrinks as the docs get fixed.
//!
//! ```toml
//! [[property]]
//! type = "presence"
//! name = "availability"
//! collection = false         # and/or set_type = "String", a Type cell as the docs write one
//! reason = "The table says a collection; the representation and examples show one string."
//!
//! [[base]]
//! type = "userScopeTeamsAppInstallation"
//! set_base = "teamsAppInstallation"
//! reason = "The annotation names entity; the text names the real base."
//!
//! [[rename]]
//! type = "calendarsharingmessage"
//! to = "calendarSharingMessage"
//! reason = "Lower-cased in its annotation."
//!
//! [[endpoint]]
//! method = "GET"
//! path = "/groups/{id}/threads/{id}/posts"   # placeholder names do not matter
//! page = "api/conversationthread-list-posts.md"
//! reason = "Several pages document the path; this one documents its response."
//! ```

use super::{Property, TypeDef, type_cell};
use crate::diag::{Diagnostic, Sink};
use crate::read::Inline;
use serde::Deserialize;
use std::path::Path;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Where the overrides were read from, for diagnostics.
    #[serde(skip)]
    pub file: String,
    #[serde(default)]
    pub rename: Vec<Rename>,
    #[serde(default)]
    pub base: Vec<Base>,
    #[serde(default)]
    pub property: Vec<PropertyType>,
    #[serde(default)]
    pub endpoint: Vec<EndpointPage>,
}

/// Which page's reading of an endpoint that several pages document is kept.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointPage {
    pub method: String,
    pub path: String,
    pub page: String,
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rename {
    #[serde(rename = "type")]
    pub ty: String,
    pub to: String,
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Base {
    #[serde(rename = "type")]
    pub ty: String,
    pub set_base: String,
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertyType {
    #[serde(rename = "type")]
    pub ty: String,
    pub name: String,
    /// A Type cell as the docs would write it: `String`, `Int32 collection`,
    /// `Collection(microsoft.graph.user)`.
    #[serde(default)]
    pub set_type: Option<String>,
    /// Whether the property is a collection, overriding the cell's word.
    #[serde(default)]
    pub collection: Option<bool>,
    pub reason: String,
}

impl Overrides {
    /// The `[[endpoint]]` entries as (entry index, method, path key, page);
    /// an entry whose method or path cannot be read is reported and left
    /// out.
    pub(super) fn endpoint_pages(
        &self,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(usize, super::Method, String, String)> {
        let mut sink = Sink::new(&self.file);
        let mut out = Vec::new();
        for (i, e) in self.endpoint.iter().enumerate() {
            let method = super::Method::parse(&e.method.to_ascii_uppercase());
            let path = super::paths::parse(&e.path, super::Source::default(), &mut sink);
            match (method, path) {
                (Some(m), Some(p)) => out.push((i, m, p.key(), e.page.clone())),
                _ => sink.warn(
                    1,
                    "invalid-overrides",
                    format!(
                        "endpoint `{} {}` is not a method and a path",
                        e.method, e.path
                    ),
                ),
            }
        }
        diags.extend(sink.into_vec());
        out
    }

    /// Reports the `[[endpoint]]` entries (by index) that chose no page:
    /// the endpoint is gone, one page documents it now, or the page named
    /// is not among them.
    pub(super) fn report_unused_endpoints(&self, used: &[bool], diags: &mut Vec<Diagnostic>) {
        let mut sink = Sink::new(&self.file);
        for (e, _) in self.endpoint.iter().zip(used).filter(|(_, u)| !**u) {
            sink.warn(
                1,
                "override-unused",
                format!(
                    "endpoint `{} {}` is not documented by several pages, one of them `{}`",
                    e.method, e.path, e.page
                ),
            );
        }
        diags.extend(sink.into_vec());
    }

    /// Reads an overrides file.
    ///
    /// # Errors
    /// The file cannot be read, or is not a valid overrides file.
    pub fn read(path: &Path) -> Result<Overrides, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Overrides::parse(path, &bytes)
    }

    /// The overrides file at `path`, from its bytes.
    ///
    /// # Errors
    /// The bytes are not a valid overrides file.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Overrides, String> {
        let text = std::str::from_utf8(bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut overrides: Overrides =
            toml::from_str(text).map_err(|e| format!("{}: {e}", path.display()))?;
        overrides.file = path.display().to_string();
        Ok(overrides)
    }

    /// Applies every override to the merged types, noting each use at the
    /// item it changed and reporting those that matched nothing or changed
    /// nothing (the docs were fixed). Entries name types as the docs do:
    /// renames come last.
    pub fn apply(&self, types: &mut [TypeDef], diags: &mut Vec<Diagnostic>) {
        let mut unused = Sink::new(&self.file);
        for b in &self.base {
            match find(types, &b.ty) {
                Some(t) if t.base.as_deref() == Some(b.set_base.as_str()) => unused.warn(
                    1,
                    "override-unused",
                    format!("base of `{}` is already `{}` in the docs", b.ty, b.set_base),
                ),
                Some(t) => {
                    note(
                        diags,
                        &t.source.file,
                        t.source.line,
                        format!("base of `{}` set to `{}`: {}", t.name, b.set_base, b.reason),
                    );
                    t.base = Some(b.set_base.clone());
                }
                None => unused.warn(
                    1,
                    "override-unused",
                    format!("base of `{}`: no such type", b.ty),
                ),
            }
        }
        for p in &self.property {
            let parsed = match &p.set_type {
                None => None,
                Some(text) => {
                    let cell = Inline {
                        text: text.clone(),
                        ..Inline::default()
                    };
                    match type_cell::parse(&cell) {
                        Ok(parsed) => Some(parsed),
                        Err(_) => {
                            unused.warn(
                                1,
                                "override-unused",
                                format!("`{text}` is not a type: {}.{}", p.ty, p.name),
                            );
                            continue;
                        }
                    }
                }
            };
            match find(types, &p.ty)
                .and_then(|t| t.properties.iter_mut().find(|q| q.name == p.name))
            {
                Some(Property {
                    ty,
                    collection,
                    source,
                    ..
                }) => {
                    let before = (ty.clone(), *collection);
                    if let Some(parsed) = parsed {
                        *ty = parsed.ty;
                        *collection = parsed.collection;
                    }
                    if let Some(c) = p.collection {
                        *collection = c;
                    }
                    if before == (ty.clone(), *collection) {
                        unused.warn(
                            1,
                            "override-unused",
                            format!("`{}.{}` is already so in the docs", p.ty, p.name),
                        );
                    } else {
                        note(
                            diags,
                            &source.file,
                            source.line,
                            format!("`{}.{}` corrected: {}", p.ty, p.name, p.reason),
                        );
                    }
                }
                None => unused.warn(
                    1,
                    "override-unused",
                    format!("property `{}.{}`: no such property", p.ty, p.name),
                ),
            }
        }
        // Last, so that the other entries use the names the docs use.
        for r in &self.rename {
            match find(types, &r.ty) {
                Some(t) => {
                    note(
                        diags,
                        &t.source.file,
                        t.source.line,
                        format!("`{}` renamed `{}`: {}", t.name, r.to, r.reason),
                    );
                    t.name.clone_from(&r.to);
                }
                None => unused.warn(
                    1,
                    "override-unused",
                    format!("rename of `{}`: no such type", r.ty),
                ),
            }
        }
        diags.extend(unused.into_vec());
    }
}

fn find<'a>(types: &'a mut [TypeDef], name: &str) -> Option<&'a mut TypeDef> {
    types.iter_mut().find(|t| t.name == name)
}

fn note(diags: &mut Vec<Diagnostic>, file: &str, line: u32, message: String) {
    let mut sink = Sink::new(file);
    sink.note(line, "override-applied", message);
    diags.extend(sink.into_vec());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Primitive, TypeRef};
    use crate::read::parse_page;

    const PAGE: &str = "# presence resource type\n\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|availability|String collection|State.|\n|since|String|When.|\n";

    #[test]
    fn overrides_correct_the_model_and_report_what_matched_nothing() {
        let overrides: Overrides = toml::from_str(
            r#"
            [[property]]
            type = "presence"
            name = "availability"
            collection = false
            reason = "examples show one value"

            [[property]]
            type = "presence"
            name = "since"
            set_type = "DateTimeOffset"
            reason = "a timestamp"

            [[base]]
            type = "gone"
            set_base = "entity"
            reason = "was fixed upstream"

            [[property]]
            type = "presence"
            name = "since"
            collection = false
            reason = "already right: reported as unused"

            [[rename]]
            type = "presence"
            to = "presenceState"
            reason = "renamed"
            "#,
        )
        .unwrap();
        let (page, _) = parse_page("resources/presence.md", PAGE.as_bytes());
        let (api, diags) = crate::model::build_with(&[page], &overrides);
        let presence = api.type_named("presenceState").unwrap();
        assert!(!presence.properties[0].collection);
        assert_eq!(
            presence.properties[1].ty,
            TypeRef::Primitive(Primitive::DateTimeOffset)
        );
        let codes: Vec<(&str, u32)> = diags.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            [
                ("override-unused", 1),
                ("override-unused", 1),
                ("override-applied", 1),
                ("override-applied", 6),
                ("override-applied", 7)
            ]
        );
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(
            toml::from_str::<Overrides>(
                "[[property]]\ntype = \"a\"\nname = \"b\"\nsettype = \"c\"\nreason = \"d\""
            )
            .is_err()
        );
    }
}
