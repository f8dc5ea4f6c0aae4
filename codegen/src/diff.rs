//! The semantic changelog: what changed between the API models of two docs
//! trees, and whether it breaks code written against the generated crate.
//!
//! Reviewers of a regeneration should not have to read thousands of lines
//! of generated Rust to learn that a property changed type. This compares
//! the models instead, item by item, and classifies each change by what it
//! does to the generated crate under its conventions:
//!
//! - structs derive `Default` and are built with `..Default::default()`, so
//!   a new field breaks nothing;
//! - enums (documented and `Any…`) are `#[non_exhaustive]`, so a
//!   new variant breaks nothing;
//! - anything removed, retyped or re-based breaks code that used it, and so
//!   does a new function argument.
//!
//! Types and properties are matched by their documented names. Endpoints
//! are matched by method and path (placeholder names ignored), since a
//! page's title, file name and parameter names all drift between releases.

use crate::model::{Api, Endpoint, Property, RequestBody, Source, TypeDef};
use crate::model::{TypeKind, TypeRef, TypeUse};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Every change between two models, breaking ones first.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Changelog {
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub item: Item,
    /// `user`, `user.displayName`, `ageGroup.minor`, or an operation's
    /// method and first path.
    pub name: String,
    /// What changed, e.g. `type String → Int32`; empty for plain additions.
    pub detail: String,
    pub breaking: bool,
    /// Where the new docs document the item, or the old docs for removals.
    pub source: Source,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Item {
    Type,
    Property,
    Member,
    Endpoint,
}

impl Item {
    fn label(self) -> &'static str {
        match self {
            Item::Type => "type",
            Item::Property => "property",
            Item::Member => "enum member",
            Item::Endpoint => "endpoint",
        }
    }
}

impl ChangeKind {
    fn label(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// Compares `old` with `new`.
pub fn compare(old: &Api, new: &Api) -> Changelog {
    let mut changes = Vec::new();
    let names: BTreeSet<&str> = old
        .types
        .iter()
        .chain(&new.types)
        .map(|t| t.name.as_str())
        .collect();
    for name in names {
        match (old.type_named(name), new.type_named(name)) {
            (None, Some(t)) => changes.push(added_type(t)),
            (Some(t), None) => changes.push(Change {
                kind: ChangeKind::Removed,
                item: Item::Type,
                name: t.name.clone(),
                detail: describe_type(t),
                breaking: true,
                source: t.source.clone(),
            }),
            (Some(o), Some(n)) => compare_types(old, new, o, n, &mut changes),
            (None, None) => {}
        }
    }
    compare_polymorphism(old, new, &mut changes);
    compare_endpoints(old, new, &mut changes);
    changes.sort_by(|a, b| {
        (!a.breaking, a.item, &a.name, a.kind).cmp(&(!b.breaking, b.item, &b.name, b.kind))
    });
    Changelog { changes }
}

fn added_type(t: &TypeDef) -> Change {
    Change {
        kind: ChangeKind::Added,
        item: Item::Type,
        name: t.name.clone(),
        detail: describe_type(t),
        breaking: false,
        source: t.source.clone(),
    }
}

/// A struct type held directly in fields, bodies and responses is held in
/// its `Any…` enum once some type derives from it, and back in itself when
/// the last one goes: either way every use of it is retyped.
fn compare_polymorphism(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let bases = |api: &Api| -> BTreeSet<String> {
        api.descendants()
            .into_keys()
            .filter(|n| api.type_named(n).is_some_and(|t| t.kind != TypeKind::Enum))
            .collect()
    };
    let (was, now) = (bases(old), bases(new));
    for name in was.symmetric_difference(&now) {
        let (Some(_), Some(t)) = (old.type_named(name), new.type_named(name)) else {
            continue;
        };
        let detail = if now.contains(name) {
            "first derived type: its fields, bodies and responses now hold the `Any…` enum"
        } else {
            "no derived types left: its fields, bodies and responses no longer hold the `Any…` enum"
        };
        out.push(Change {
            kind: ChangeKind::Changed,
            item: Item::Type,
            name: name.clone(),
            detail: detail.to_owned(),
            breaking: true,
            source: t.source.clone(),
        });
    }
}

/// `entity, base directoryObject`, `enum (flags)`.
fn describe_type(t: &TypeDef) -> String {
    let kind = match (t.kind, t.flags) {
        (TypeKind::Entity, _) => "entity",
        (TypeKind::Complex, _) => "complex type",
        (TypeKind::Enum, false) => "enum",
        (TypeKind::Enum, true) => "flags enum",
    };
    match &t.base {
        Some(base) => format!("{kind}, base {base}"),
        None => kind.to_owned(),
    }
}

fn compare_types(
    old_api: &Api,
    new_api: &Api,
    old: &TypeDef,
    new: &TypeDef,
    out: &mut Vec<Change>,
) {
    let changed = |detail: String, breaking: bool| Change {
        kind: ChangeKind::Changed,
        item: Item::Type,
        name: new.name.clone(),
        detail,
        breaking,
        source: new.source.clone(),
    };
    let is_enum = |t: &TypeDef| t.kind == TypeKind::Enum;
    if (old.kind, old.flags) != (new.kind, new.flags) {
        // Entity and complex types are both structs; anything else changes
        // the Rust item's kind.
        let breaking = is_enum(old) || is_enum(new) || old.flags != new.flags;
        let detail = format!("{} → {}", describe_type(old), describe_type(new));
        out.push(changed(detail, breaking));
    }
    if old.base != new.base {
        let name = |b: &Option<String>| b.clone().unwrap_or_else(|| "none".to_owned());
        let detail = format!("base {} → {}", name(&old.base), name(&new.base));
        // A first base only adds inherited fields; losing or swapping one
        // takes fields away.
        out.push(changed(detail, old.base.is_some()));
    }
    compare_properties(old_api, new_api, old, new, out);
    compare_members(old, new, out);
}

/// Own properties, each checked against every property the other side's
/// type has (inherited too), so that a property moving to a base type is
/// not reported as removed from the derived one.
fn compare_properties(
    old_api: &Api,
    new_api: &Api,
    old: &TypeDef,
    new: &TypeDef,
    out: &mut Vec<Change>,
) {
    let old_all = by_name(old_api.all_properties(&old.name));
    let new_all = by_name(new_api.all_properties(&new.name));
    let qualified = |p: &Property| format!("{}.{}", new.name, p.name);
    for p in &new.properties {
        match old_all.get(p.name.as_str()) {
            None => out.push(Change {
                kind: ChangeKind::Added,
                item: Item::Property,
                name: qualified(p),
                detail: type_text(&p.ty, p.collection),
                breaking: false,
                source: p.source.clone(),
            }),
            Some(was) if (&was.ty, was.collection) != (&p.ty, p.collection) => out.push(Change {
                kind: ChangeKind::Changed,
                item: Item::Property,
                name: qualified(p),
                detail: format!(
                    "type {} → {}",
                    type_text(&was.ty, was.collection),
                    type_text(&p.ty, p.collection)
                ),
                breaking: true,
                source: p.source.clone(),
            }),
            Some(_) => {}
        }
    }
    for p in &old.properties {
        if !new_all.contains_key(p.name.as_str()) {
            out.push(Change {
                kind: ChangeKind::Removed,
                item: Item::Property,
                name: format!("{}.{}", old.name, p.name),
                detail: type_text(&p.ty, p.collection),
                breaking: true,
                source: p.source.clone(),
            });
        }
    }
}

fn by_name(properties: Vec<&Property>) -> BTreeMap<&str, &Property> {
    properties
        .into_iter()
        .map(|p| (p.name.as_str(), p))
        .collect()
}

/// New members break nothing (enums are `#[non_exhaustive]`); removed ones
/// break code that names them.
fn compare_members(old: &TypeDef, new: &TypeDef, out: &mut Vec<Change>) {
    let names =
        |t: &TypeDef| -> BTreeSet<String> { t.members.iter().map(|m| m.name.clone()).collect() };
    let (old_names, new_names) = (names(old), names(new));
    for (from, other, kind) in [
        (new, &old_names, ChangeKind::Added),
        (old, &new_names, ChangeKind::Removed),
    ] {
        for m in from.members.iter().filter(|m| !other.contains(&m.name)) {
            out.push(Change {
                kind,
                item: Item::Member,
                name: format!("{}.{}", from.name, m.name),
                detail: String::new(),
                breaking: kind == ChangeKind::Removed,
                source: m.source.clone(),
            });
        }
    }
}

/// `String`, `Collection(user)`.
fn type_text(ty: &TypeRef, collection: bool) -> String {
    let name = match ty {
        TypeRef::Primitive(p) => p.edm_name().trim_start_matches("Edm.").to_owned(),
        TypeRef::Named(n) => n.clone(),
    };
    if collection {
        format!("Collection({name})")
    } else {
        name
    }
}

/// Matches endpoints by method and path, placeholder names and letter
/// case aside ([`Endpoint::key`]): a page's title, file name and
/// placeholder names all drift between releases without changing the API.
fn compare_endpoints(old: &Api, new: &Api, out: &mut Vec<Change>) {
    // Calls as a first generation of each tree would give them: a new
    // collision can rename a step.
    let functions = |api: &Api| -> BTreeMap<String, String> {
        let plan = crate::emit::Plan::new(api, &crate::emit::NameLock::default());
        api.endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| (e.key(), plan.call_text(i)))
            .collect()
    };
    let (old_functions, new_functions) = (functions(old), functions(new));
    let old_by_key: BTreeMap<String, &Endpoint> =
        old.endpoints.iter().map(|e| (e.key(), e)).collect();
    let new_keys: BTreeSet<String> = new.endpoints.iter().map(Endpoint::key).collect();
    for endpoint in &new.endpoints {
        let key = endpoint.key();
        match old_by_key.get(&key) {
            Some(was) => compare_endpoint(
                (was, &old_functions[&key]),
                (endpoint, &new_functions[&key]),
                out,
            ),
            None => out.push(Change {
                kind: ChangeKind::Added,
                item: Item::Endpoint,
                name: endpoint.label(),
                detail: endpoint.name.clone(),
                breaking: false,
                source: endpoint.source.clone(),
            }),
        }
    }
    for endpoint in old
        .endpoints
        .iter()
        .filter(|e| !new_keys.contains(&e.key()))
    {
        out.push(Change {
            kind: ChangeKind::Removed,
            item: Item::Endpoint,
            name: endpoint.label(),
            detail: endpoint.name.clone(),
            breaking: true,
            source: endpoint.source.clone(),
        });
    }
}

/// One matched pair; `old_function` and `new_function` are how the two
/// crates' request trees call it.
fn compare_endpoint(
    (old, old_function): (&Endpoint, &str),
    (new, new_function): (&Endpoint, &str),
    out: &mut Vec<Change>,
) {
    let mut push = |detail: String, breaking: bool| {
        out.push(Change {
            kind: ChangeKind::Changed,
            item: Item::Endpoint,
            name: new.label(),
            detail,
            breaking,
            source: new.source.clone(),
        });
    };
    // Placeholder names only name arguments; a required query parameter
    // is an argument of its own.
    if old.path.query != new.path.query {
        push(
            format!(
                "required query ({}) → ({})",
                old.path.query.join(", "),
                new.path.query.join(", ")
            ),
            true,
        );
    }
    if old_function != new_function {
        push(format!("call {old_function} → {new_function}"), true);
    }
    let parameter_names = |op: &Endpoint| -> BTreeSet<String> {
        op.parameters.iter().map(|p| p.name.clone()).collect()
    };
    if parameter_names(old) != parameter_names(new) {
        let list = |s: BTreeSet<String>| s.into_iter().collect::<Vec<_>>().join(", ");
        // Documented, but the generated function takes them from the path
        // template, so its signature does not change.
        push(
            format!(
                "URL parameters ({}) → ({})",
                list(parameter_names(old)),
                list(parameter_names(new))
            ),
            false,
        );
    }
    compare_bodies(
        old.request_body.as_ref(),
        new.request_body.as_ref(),
        &mut push,
    );
    let response = |r: &crate::model::Response| match (&r.body, &r.content_type) {
        (Some(u), _) => format!("{} {}", r.status, use_text(u)),
        (None, Some(media)) => format!("{} content ({media})", r.status),
        (None, None) => format!("{} no body", r.status),
    };
    if old.response.body != new.response.body
        || old.response.content_type != new.response.content_type
    {
        push(
            format!(
                "response {} → {}",
                response(&old.response),
                response(&new.response)
            ),
            true,
        );
    } else if old.response.status != new.response.status {
        push(
            format!(
                "response {} → {}",
                response(&old.response),
                response(&new.response)
            ),
            false,
        );
    }
}

fn use_text(u: &TypeUse) -> String {
    type_text(&u.ty, u.collection)
}

fn body_text(body: Option<&RequestBody>) -> String {
    match body {
        None => "none".to_owned(),
        Some(RequestBody::Type(u)) => use_text(u),
        Some(RequestBody::Parameters { parameters }) => {
            let mut s = String::from("parameters {");
            for (i, p) in parameters.iter().enumerate() {
                let sep = if i == 0 { " " } else { ", " };
                let _ = write!(s, "{sep}{}: {}", p.name, type_text(&p.ty, p.collection));
            }
            s.push_str(" }");
            s
        }
        Some(RequestBody::Content { content_type }) => format!("content ({content_type})"),
    }
}

/// Action parameters are compared one by one, since a new optional
/// parameter is a new `Default` field; any other change of body retypes the
/// function's `body` argument.
fn compare_bodies(
    old: Option<&RequestBody>,
    new: Option<&RequestBody>,
    push: &mut impl FnMut(String, bool),
) {
    match (old, new) {
        (
            Some(RequestBody::Parameters { parameters: was }),
            Some(RequestBody::Parameters { parameters: now }),
        ) => {
            let was = by_name(was.iter().collect());
            let now = by_name(now.iter().collect());
            for (name, p) in &now {
                match was.get(name) {
                    None => push(
                        format!(
                            "body parameter added: {name}: {}",
                            type_text(&p.ty, p.collection)
                        ),
                        false,
                    ),
                    Some(w) if (&w.ty, w.collection) != (&p.ty, p.collection) => push(
                        format!(
                            "body parameter {name}: {} → {}",
                            type_text(&w.ty, w.collection),
                            type_text(&p.ty, p.collection)
                        ),
                        true,
                    ),
                    Some(_) => {}
                }
            }
            for (name, p) in &was {
                if !now.contains_key(name) {
                    push(
                        format!(
                            "body parameter removed: {name}: {}",
                            type_text(&p.ty, p.collection)
                        ),
                        true,
                    );
                }
            }
        }
        (old, new) if old != new => {
            push(
                format!("request body {} → {}", body_text(old), body_text(new)),
                true,
            );
        }
        _ => {}
    }
}

/// How much of the changelog fails a CI gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Fail on breaking changes only.
    Breaking,
    /// Fail on any change.
    Any,
    /// Never fail.
    Never,
}

impl Changelog {
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// Whether the changes fail the gate `fail_on`.
    pub fn fails(&self, fail_on: FailOn) -> bool {
        match fail_on {
            FailOn::Breaking => self.breaking() > 0,
            FailOn::Any => !self.changes.is_empty(),
            FailOn::Never => false,
        }
    }

    /// Counts by item and kind, e.g. `("property", "added") → 12`.
    pub fn counts(&self) -> BTreeMap<(Item, ChangeKind), usize> {
        let mut counts = BTreeMap::new();
        for c in &self.changes {
            *counts.entry((c.item, c.kind)).or_default() += 1;
        }
        counts
    }

    /// Markdown for a pull request description: a summary line, a count
    /// table, then the breaking and non-breaking changes in tables whose
    /// cells cannot be broken by the docs' text.
    pub fn to_markdown(&self, old_label: &str, new_label: &str) -> String {
        let mut md = format!(
            "# API changes: {} → {}\n\n",
            code(old_label),
            code(new_label)
        );
        let breaking = self.breaking();
        let _ = writeln!(
            md,
            "{} changes, {} breaking for users of the generated crate.\n",
            self.changes.len(),
            breaking
        );
        if self.changes.is_empty() {
            return md;
        }
        md.push_str(
            "Breaking: removed or retyped items, renamed steps of the request tree, new \
             arguments, lost or swapped base types, a type's first derived type (its \
             uses move to an `Any…` enum). Not breaking: new fields (structs are built with \
             `..Default::default()`) and new enum variants (enums are `#[non_exhaustive]`).\n\n",
        );
        md.push_str("| item | added | removed | changed |\n|---|---:|---:|---:|\n");
        let counts = self.counts();
        for item in [Item::Type, Item::Property, Item::Member, Item::Endpoint] {
            let n = |kind| counts.get(&(item, kind)).copied().unwrap_or(0);
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                item.label(),
                n(ChangeKind::Added),
                n(ChangeKind::Removed),
                n(ChangeKind::Changed)
            );
        }
        for (title, is_breaking) in [("Breaking changes", true), ("Other changes", false)] {
            let rows: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.breaking == is_breaking)
                .collect();
            if rows.is_empty() {
                continue;
            }
            let _ = write!(
                md,
                "\n## {title} ({})\n\n| change | item | detail | documented in |\n|---|---|---|---|\n",
                rows.len()
            );
            for c in rows {
                let _ = writeln!(
                    md,
                    "| {} {} | {} | {} | {} |",
                    c.kind.label(),
                    c.item.label(),
                    code(&c.name),
                    cell(&c.detail),
                    code(&format!("{}:{}", c.source.file, c.source.line))
                );
            }
        }
        md
    }
}

/// Text in a Markdown table cell: pipes escaped and line breaks flattened,
/// so that no name or title from the docs can end the cell or the row.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// Inline code that holds any text: the fence is longer than any run of
/// backticks inside.
fn code(text: &str) -> String {
    let text = cell(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn source() -> serde_json::Value {
        json!({"file": "resources/x.md", "line": 1})
    }

    fn prop(name: &str, ty: &str, collection: bool) -> serde_json::Value {
        json!({"name": name, "type": ty, "collection": collection, "description": "", "source": source()})
    }

    fn ty(name: &str, base: Option<&str>, properties: Vec<serde_json::Value>) -> serde_json::Value {
        json!({"name": name, "kind": "entity", "base": base, "description": "",
               "properties": properties, "source": source()})
    }

    /// An endpoint, its path's placeholders named as written.
    fn op(name: &str, method: &str, path: &str, response: Option<&str>) -> serde_json::Value {
        let segments: Vec<_> = path
            .split_inclusive(['{', '}'])
            .map(|s| match s.strip_suffix('}') {
                Some(param) => json!({"parameter": param}),
                None => json!({"literal": s.trim_end_matches('{')}),
            })
            .collect();
        let path = json!({"template": path, "segments": segments, "source": source()});
        let body = response.map(|t| json!({"type": t, "collection": false}));
        json!({"name": name, "description": "", "method": method, "path": path,
               "request_body": null, "response": {"status": 200, "body": body},
               "permissions": [], "examples": [], "source": source()})
    }

    /// An API from JSON items, with its types sorted as the model keeps them.
    fn api(types: Vec<serde_json::Value>, endpoints: Vec<serde_json::Value>) -> Api {
        let mut api: Api =
            serde_json::from_value(json!({"types": types, "endpoints": endpoints})).unwrap();
        api.types.sort_by(|a, b| a.name.cmp(&b.name));
        api
    }

    fn summary(log: &Changelog) -> Vec<String> {
        log.changes
            .iter()
            .map(|c| {
                let mark = if c.breaking { "!" } else { "" };
                format!(
                    "{mark}{} {:?} {} {}",
                    c.kind.label(),
                    c.item,
                    c.name,
                    c.detail
                )
            })
            .collect()
    }

    #[test]
    fn classifies_property_changes() {
        let old = api(
            vec![
                ty(
                    "user",
                    Some("entity"),
                    vec![
                        prop("a", "Edm.String", false),
                        prop("b", "Edm.Int32", false),
                        prop("c", "Edm.String", false),
                    ],
                ),
                ty("entity", None, vec![]),
            ],
            vec![],
        );
        let new = api(
            vec![
                ty(
                    "user",
                    Some("entity"),
                    vec![
                        prop("a", "Edm.String", true),
                        prop("d", "Edm.Boolean", false),
                    ],
                ),
                ty("entity", None, vec![prop("c", "Edm.String", false)]),
            ],
            vec![],
        );
        assert_eq!(
            summary(&compare(&old, &new)),
            [
                "!changed Property user.a type String → Collection(String)",
                "!removed Property user.b Int32",
                "added Property entity.c String",
                "added Property user.d Boolean",
            ]
        );
    }

    #[test]
    fn a_first_derived_type_retypes_its_base_and_a_first_base_adds_fields() {
        let old = api(
            vec![ty("identitySet", None, vec![]), ty("x", None, vec![])],
            vec![],
        );
        let new = api(
            vec![
                ty("identitySet", None, vec![]),
                ty("x", Some("identitySet"), vec![]),
            ],
            vec![],
        );
        let log = summary(&compare(&old, &new));
        assert_eq!(
            log,
            [
                "!changed Type identitySet first derived type: its fields, bodies and responses now hold the `Any…` enum",
                "changed Type x base none → identitySet",
            ]
        );
    }

    #[test]
    fn new_members_break_nothing_and_removed_ones_do() {
        let enumeration = |members: &[&str]| {
            let members: Vec<_> = members
                .iter()
                .map(|m| json!({"name": m, "value": null, "description": "", "source": source()}))
                .collect();
            json!({"name": "color", "kind": "enum", "base": null, "description": "",
                   "properties": [], "members": members, "source": source()})
        };
        let old = api(vec![enumeration(&["red", "green"])], vec![]);
        let new = api(vec![enumeration(&["red", "blue"])], vec![]);
        assert_eq!(
            summary(&compare(&old, &new)),
            ["!removed Member color.green ", "added Member color.blue "]
        );
    }

    #[test]
    fn types_added_removed_and_rebased() {
        let old = api(
            vec![ty("a", None, vec![]), ty("b", Some("a"), vec![])],
            vec![],
        );
        let new = api(vec![ty("b", None, vec![]), ty("c", None, vec![])], vec![]);
        assert_eq!(
            summary(&compare(&old, &new)),
            [
                "!removed Type a entity",
                "!changed Type b base a → none",
                "added Type c entity"
            ]
        );
    }

    #[test]
    fn endpoints_match_by_method_and_path_not_title_or_placeholder_names() {
        let old = api(
            vec![],
            vec![
                op("Get user", "GET", "/users/{id}", Some("user")),
                op("List things", "GET", "/things", None),
                op("Delete x", "DELETE", "/x/{id}", None),
            ],
        );
        let new = api(
            vec![],
            vec![
                op("Get a user", "GET", "/Users/{user-id}", Some("user")),
                op("Get me", "GET", "/me", Some("user")),
                op("List all things", "GET", "/things", Some("thing")),
                op("Create x", "POST", "/x", None),
            ],
        );
        assert_eq!(
            summary(&compare(&old, &new)),
            [
                "!removed Endpoint DELETE /x/{id} Delete x",
                "!changed Endpoint GET /things response 200 no body → 200 thing",
                "added Endpoint GET /me Get me",
                "added Endpoint POST /x Create x",
            ]
        );
    }

    #[test]
    fn markdown_cells_cannot_be_broken_by_doc_text() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(code("x`y"), "``x`y``");
        assert_eq!(code("`"), "`` ` ``");
        let old = api(vec![], vec![]);
        let new = api(vec![ty("a|b", None, vec![])], vec![]);
        let md = compare(&old, &new).to_markdown("old", "new");
        assert!(
            md.contains("| added type | `a\\|b` | entity | `resources/x.md:1` |"),
            "{md}"
        );
        assert!(md.contains("1 changes, 0 breaking"));
    }

    #[test]
    fn gates() {
        let old = api(vec![ty("a", None, vec![])], vec![]);
        let added = api(vec![ty("a", None, vec![]), ty("b", None, vec![])], vec![]);
        let log = compare(&old, &added);
        assert!(
            !log.fails(FailOn::Breaking) && log.fails(FailOn::Any) && !log.fails(FailOn::Never)
        );
        let log = compare(&added, &old);
        assert!(log.fails(FailOn::Breaking));
        assert!(compare(&old, &old).changes.is_empty());
    }
}
