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
//! - enums (documented, `Any…` and path enums) are `#[non_exhaustive]`, so a
//!   new variant breaks nothing;
//! - anything removed, retyped or re-based breaks code that used it, and so
//!   does a new function argument.
//!
//! Types and properties are matched by their documented names. Operations
//! are matched by method and a shared path (placeholder names ignored), since
//! a page's title, file name and parameter names all drift between releases.

use crate::model::{Api, Operation, PathTemplate, Property, RequestBody, Segment, Source, TypeDef};
use crate::model::{Method, TypeKind, TypeRef, TypeUse};
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
    Operation,
}

impl Item {
    fn label(self) -> &'static str {
        match self {
            Item::Type => "type",
            Item::Property => "property",
            Item::Member => "enum member",
            Item::Operation => "operation",
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
    compare_operations(old, new, &mut changes);
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

/// A path with its placeholders blanked: `/users/{}/manager`. Two
/// operations sharing one of these, with the same method, are the same
/// endpoint, whatever the docs call its parameters.
fn endpoint_key(path: &PathTemplate) -> String {
    path.segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => l.to_ascii_lowercase(),
            Segment::Parameter(_) => "{}".to_owned(),
        })
        .collect()
}

/// `GET /users/{id}`: how an operation is named in the changelog.
fn operation_label(op: &Operation) -> String {
    match op.paths.first() {
        Some(p) => format!("{} {}", op.method.as_str(), p.template),
        None => format!("{} ({})", op.method.as_str(), op.name),
    }
}

/// Matches operations in two rounds, so that a page that absorbed another's
/// paths is paired with its own predecessor: first by the primary (first)
/// path, then by the most shared paths.
fn compare_operations(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let keys = |op: &Operation| -> Vec<(Method, String)> {
        op.paths
            .iter()
            .map(|p| (op.method, endpoint_key(p)))
            .collect()
    };
    // Old operations by each of their endpoints, and by their first one.
    let mut by_key: BTreeMap<(Method, String), Vec<usize>> = BTreeMap::new();
    let mut by_primary: BTreeMap<(Method, String), Vec<usize>> = BTreeMap::new();
    for (i, op) in old.operations.iter().enumerate() {
        for (n, key) in keys(op).into_iter().enumerate() {
            if n == 0 {
                by_primary.entry(key.clone()).or_default().push(i);
            }
            by_key.entry(key).or_default().push(i);
        }
    }
    let mut partner: Vec<Option<usize>> = vec![None; new.operations.len()];
    let mut taken = vec![false; old.operations.len()];
    for (n, op) in new.operations.iter().enumerate() {
        let found = keys(op)
            .first()
            .and_then(|k| by_primary.get(k))
            .and_then(|olds| olds.iter().copied().find(|&i| !taken[i]));
        if let Some(i) = found {
            taken[i] = true;
            partner[n] = Some(i);
        }
    }
    for (n, op) in new.operations.iter().enumerate() {
        if partner[n].is_some() {
            continue;
        }
        let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
        for key in BTreeSet::from_iter(keys(op)) {
            for &i in by_key.get(&key).map_or(&[][..], Vec::as_slice) {
                if !taken[i] {
                    *shared.entry(i).or_default() += 1;
                }
            }
        }
        let best = shared
            .into_iter()
            .max_by_key(|&(i, count)| (count, std::cmp::Reverse(i)));
        if let Some((i, _)) = best {
            taken[i] = true;
            partner[n] = Some(i);
        }
    }

    // Names as a first generation of each tree would give them: a title
    // change renames the function, and so can a new collision.
    let functions = |api: &Api| -> Vec<String> {
        crate::emit::Plan::new(api, &crate::emit::NameLock::default())
            .operations
            .into_iter()
            .map(|n| n.function)
            .collect()
    };
    let (old_functions, new_functions) = (functions(old), functions(new));
    for ((op, partner), function) in new.operations.iter().zip(&partner).zip(&new_functions) {
        match partner {
            Some(i) => compare_operation(
                (&old.operations[*i], &old_functions[*i]),
                (op, function),
                out,
            ),
            None => out.push(Change {
                kind: ChangeKind::Added,
                item: Item::Operation,
                name: operation_label(op),
                detail: op.name.clone(),
                breaking: false,
                source: op.source.clone(),
            }),
        }
    }
    for (op, _) in old.operations.iter().zip(&taken).filter(|(_, t)| !**t) {
        out.push(Change {
            kind: ChangeKind::Removed,
            item: Item::Operation,
            name: operation_label(op),
            detail: op.name.clone(),
            breaking: true,
            source: op.source.clone(),
        });
    }
}

/// One matched pair; `old_function` and `new_function` are the request
/// functions' names in the two crates.
fn compare_operation(
    (old, old_function): (&Operation, &str),
    (new, new_function): (&Operation, &str),
    out: &mut Vec<Change>,
) {
    let mut push = |detail: String, breaking: bool| {
        out.push(Change {
            kind: ChangeKind::Changed,
            item: Item::Operation,
            name: operation_label(new),
            detail,
            breaking,
            source: new.source.clone(),
        });
    };
    let keys = |op: &Operation| -> BTreeMap<String, String> {
        op.paths
            .iter()
            .map(|p| (endpoint_key(p), p.template.clone()))
            .collect()
    };
    let (old_paths, new_paths) = (keys(old), keys(new));
    let missing = |from: &BTreeMap<String, String>, to: &BTreeMap<String, String>| {
        let list: Vec<&str> = from
            .iter()
            .filter(|(k, _)| !to.contains_key(*k))
            .map(|(_, t)| t.as_str())
            .collect();
        list.join(", ")
    };
    let added = missing(&new_paths, &old_paths);
    if !added.is_empty() {
        // One path is a function's arguments; several are a path enum.
        push(format!("paths added: {added}"), old.paths.len() == 1);
    }
    let removed = missing(&old_paths, &new_paths);
    if !removed.is_empty() {
        push(format!("paths removed: {removed}"), true);
    }
    // The same endpoint, written differently: a path enum's variant is
    // named after the literals and its fields after the placeholders, so
    // that breaks; a single path's placeholders only name arguments.
    let enum_of_paths = old.paths.len() > 1 || new.paths.len() > 1;
    for (key, was) in &old_paths {
        if let Some(now) = new_paths.get(key).filter(|now| *now != was) {
            push(format!("path {was} → {now}"), enum_of_paths);
        }
    }
    if old_function != new_function {
        push(format!("function {old_function} → {new_function}"), true);
    }
    let parameter_names = |op: &Operation| -> BTreeSet<String> {
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
    let response = |r: &crate::model::Response| match &r.body {
        Some(u) => format!("{} {}", r.status, use_text(u)),
        None => format!("{} no body", r.status),
    };
    if old.response.body != new.response.body {
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
            "Breaking: removed or retyped items, renamed functions and path variants, new \
             function arguments, lost or swapped base types, a type's first derived type (its \
             uses move to an `Any…` enum). Not breaking: new fields (structs are built with \
             `..Default::default()`) and new enum variants (enums are `#[non_exhaustive]`).\n\n",
        );
        md.push_str("| item | added | removed | changed |\n|---|---:|---:|---:|\n");
        let counts = self.counts();
        for item in [Item::Type, Item::Property, Item::Member, Item::Operation] {
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

    fn op(name: &str, method: &str, paths: &[&str], response: Option<&str>) -> serde_json::Value {
        let paths: Vec<_> = paths
            .iter()
            .map(|p| {
                let segments: Vec<_> = p
                    .split_inclusive(['{', '}'])
                    .map(|s| match s.strip_suffix('}') {
                        Some(param) => json!({"parameter": param}),
                        None => json!({"literal": s.trim_end_matches('{')}),
                    })
                    .collect();
                json!({"template": p, "segments": segments, "source": source()})
            })
            .collect();
        let body = response.map(|t| json!({"type": t, "collection": false}));
        json!({"name": name, "description": "", "method": method, "paths": paths,
               "request_body": null, "response": {"status": 200, "body": body},
               "permissions": [], "examples": [], "source": source()})
    }

    /// An API from JSON items, with its types sorted as the model keeps them.
    fn api(types: Vec<serde_json::Value>, operations: Vec<serde_json::Value>) -> Api {
        let mut api: Api =
            serde_json::from_value(json!({"types": types, "operations": operations})).unwrap();
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
    fn operations_match_by_endpoint_not_title_or_parameter_names() {
        let old = api(
            vec![],
            vec![
                op("Get user", "GET", &["/users/{id}"], Some("user")),
                op("List things", "GET", &["/things"], None),
                op("Delete x", "DELETE", &["/x/{id}"], None),
            ],
        );
        let new = api(
            vec![],
            vec![
                op(
                    "Get a user",
                    "GET",
                    &["/users/{user-id}", "/me"],
                    Some("user"),
                ),
                op("List all things", "GET", &["/things"], Some("thing")),
                op("Create x", "POST", &["/x"], None),
            ],
        );
        assert_eq!(
            summary(&compare(&old, &new)),
            [
                "!removed Operation DELETE /x/{id} Delete x",
                "!changed Operation GET /things function list_things → list_all_things",
                "!changed Operation GET /things response 200 no body → 200 thing",
                "!changed Operation GET /users/{user-id} paths added: /me",
                "!changed Operation GET /users/{user-id} path /users/{id} → /users/{user-id}",
                "added Operation POST /x Create x",
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
