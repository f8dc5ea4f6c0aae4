//! Whole-API passes: merge a type documented on several pages, resolve type
//! names, settle entity vs complex through the base chain, break cycles.

use super::endpoints::is_collection_body;
use super::type_cell::{key_namespace, type_key};
use super::{
    Api, Endpoint, Method, Primitive, Property, RequestBody, TypeDef, TypeKind, TypeRef, TypeUse,
};
use crate::diag::{Diagnostic, Sink};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Case-insensitive lookup of defined type names: the docs write `[Calendar]`
/// for `calendar` and `microsoft.graph.user` for `user`. A bare name is
/// looked for first in the namespace of the page that uses it, then in the
/// default namespace, then in the one sub-namespace that has it.
#[derive(Debug, Default)]
pub struct TypeIndex {
    by_key: HashMap<String, String>,
    by_name: HashMap<String, Vec<String>>,
}

impl TypeIndex {
    pub fn new(types: &[TypeDef]) -> Self {
        let mut index = TypeIndex::default();
        for t in types {
            let folded = t.name.to_ascii_lowercase();
            index
                .by_key
                .entry(folded.clone())
                .or_insert_with(|| t.name.clone());
            let name = folded.rsplit('.').next().unwrap_or(&folded).to_owned();
            index.by_name.entry(name).or_default().push(t.name.clone());
        }
        index
    }

    /// The defined type `name` refers to from a page in `namespace`.
    pub fn lookup_in(&self, name: &str, namespace: Option<&str>) -> Option<&str> {
        let key = type_key(name)?.to_ascii_lowercase();
        // `microsoft.graph.x` names the default namespace explicitly.
        let explicit = name
            .trim()
            .trim_start_matches('#')
            .to_ascii_lowercase()
            .starts_with("microsoft.graph.");
        if !key.contains('.') && !explicit {
            let local = namespace.and_then(|ns| {
                self.by_key
                    .get(&format!("{}.{key}", ns.to_ascii_lowercase()))
            });
            if let Some(found) = local {
                return Some(found);
            }
        }
        self.by_key.get(&key).map(String::as_str).or_else(|| {
            let only = self.by_name.get(&key).filter(|keys| keys.len() == 1)?;
            only.first().map(String::as_str)
        })
    }

    /// This index as seen from a page in `namespace`.
    pub fn within<'a>(&'a self, namespace: Option<&'a str>) -> ScopedIndex<'a> {
        ScopedIndex {
            index: self,
            namespace,
        }
    }
}

/// A [`TypeIndex`] that resolves bare names from one namespace.
#[derive(Clone, Copy, Debug)]
pub struct ScopedIndex<'a> {
    index: &'a TypeIndex,
    namespace: Option<&'a str>,
}

impl<'a> ScopedIndex<'a> {
    pub fn lookup(&self, name: &str) -> Option<&'a str> {
        self.index.lookup_in(name, self.namespace)
    }
}

/// Merges fragments of one type (same name, any case) found on several pages.
/// The first fragment, in page order, gives the name, kind and description.
pub fn merge(fragments: Vec<TypeDef>, diags: &mut Vec<Diagnostic>) -> Vec<TypeDef> {
    let mut merged: BTreeMap<String, TypeDef> = BTreeMap::new();
    for mut fragment in fragments {
        dedupe_properties(&mut fragment, diags);
        let key = fragment.name.to_ascii_lowercase();
        let Some(into) = merged.get_mut(&key) else {
            merged.insert(key, fragment);
            continue;
        };
        let mut sink = Sink::new(&fragment.source.file);
        if (into.kind == TypeKind::Enum) != (fragment.kind == TypeKind::Enum) {
            sink.warn(
                fragment.source.line,
                "type-kind-conflict",
                format!("`{}` is documented as both an enum and a structured type; this page is ignored", fragment.name),
            );
            diags.extend(sink.into_vec());
            continue;
        }
        sink.note(
            fragment.source.line,
            "type-merged",
            format!(
                "`{}` is also documented in {}; the pages are merged",
                into.name, into.source.file
            ),
        );
        if fragment.kind == TypeKind::Entity {
            into.kind = TypeKind::Entity;
        }
        match (&into.base, fragment.base) {
            (None, base) => into.base = base,
            (Some(a), Some(b)) if !a.eq_ignore_ascii_case(&b) => sink.warn(
                fragment.source.line,
                "base-type-conflict",
                format!(
                    "`{}` inherits from `{a}` elsewhere, from `{b}` here; keeping `{a}`",
                    into.name
                ),
            ),
            _ => {}
        }
        if into.description.is_empty() {
            into.description = fragment.description;
        }
        for p in fragment.properties {
            match into.properties.iter().find(|q| q.name == p.name) {
                Some(q) if q.ty != p.ty || q.collection != p.collection => sink.warn(
                    p.source.line,
                    "property-conflict",
                    format!(
                        "`{}.{}` is typed differently in {}:{}; keeping that one",
                        into.name, p.name, q.source.file, q.source.line
                    ),
                ),
                Some(_) => {}
                None => into.properties.push(p),
            }
        }
        into.flags |= fragment.flags;
        for m in fragment.members {
            if !into.members.iter().any(|n| n.name == m.name) {
                into.members.push(m);
            }
        }
        diags.extend(sink.into_vec());
    }
    merged.into_values().collect()
}

/// An enum made from prose never displaces a type the docs define under
/// the same name. If that type is an enum, the prose enum is dropped and
/// its property keeps the name, now meaning the documented enum; if it is a
/// structured type, the property goes back to `String`. Runs before
/// [`merge`], while each prose enum still sits beside the property it was
/// made for: same page, same line.
pub fn yield_prose_enums(fragments: &mut Vec<TypeDef>, diags: &mut Vec<Diagnostic>) {
    let documented: HashMap<String, TypeKind> = fragments
        .iter()
        .filter(|t| !t.from_prose)
        .map(|t| (t.name.to_ascii_lowercase(), t.kind))
        .collect();
    let mut yielded = Vec::new();
    fragments.retain(|t| {
        let taken = t
            .from_prose
            .then(|| documented.get(&t.name.to_ascii_lowercase()))
            .flatten();
        if let Some(kind) = taken {
            yielded.push((t.name.clone(), t.source.clone(), *kind == TypeKind::Enum));
        }
        taken.is_none()
    });
    for (name, source, documented_enum) in yielded {
        let mut sink = Sink::new(&source.file);
        if documented_enum {
            sink.note(
                source.line,
                "prose-enum-documented",
                format!("`{name}` is documented as an enum; its page's members are used, not the prose list"),
            );
        } else {
            let property = fragments
                .iter_mut()
                .filter(|t| t.source.file == source.file)
                .flat_map(|t| &mut t.properties)
                .find(|p| p.source.line == source.line && p.ty == TypeRef::Named(name.clone()));
            if let Some(p) = property {
                p.ty = TypeRef::Primitive(Primitive::String);
            }
            sink.warn(
                source.line,
                "prose-enum-name-taken",
                format!("`{name}` names a documented structured type; the property stays a String"),
            );
        }
        diags.extend(sink.into_vec());
    }
}

fn dedupe_properties(t: &mut TypeDef, diags: &mut Vec<Diagnostic>) {
    let mut sink = Sink::new(&t.source.file);
    keep_first_of_each_name(&mut t.properties, "duplicate-property", &t.name, &mut sink);
    let mut seen = HashSet::new();
    t.members.retain(|m| seen.insert(m.name.clone()));
    diags.extend(sink.into_vec());
}

/// Drops rows that repeat an earlier row's name, reporting each under
/// `code`: the first row is the one the docs' readers see first.
pub fn keep_first_of_each_name(
    rows: &mut Vec<Property>,
    code: &'static str,
    owner: &str,
    sink: &mut Sink<'_>,
) {
    let mut seen = HashSet::new();
    rows.retain(|p| {
        let fresh = seen.insert(p.name.clone());
        if !fresh {
            sink.warn(
                p.source.line,
                code,
                format!(
                    "`{owner}.{}` is listed twice; the first row is kept",
                    p.name
                ),
            );
        }
        fresh
    });
}

/// Resolves every type name in `api`, settles kinds and base chains, and
/// sorts everything for deterministic output.
pub fn resolve(api: &mut Api, diags: &mut Vec<Diagnostic>) {
    let index = TypeIndex::new(&api.types);
    let kinds: HashMap<String, TypeKind> =
        api.types.iter().map(|t| (t.name.clone(), t.kind)).collect();
    for t in &mut api.types {
        let mut sink = Sink::new(&t.source.file);
        let namespace = key_namespace(&t.name).map(str::to_owned);
        let index = index.within(namespace.as_deref());
        if let Some(base) = t.base.take() {
            match index.lookup(&base) {
                Some(b) if kinds.get(b) != Some(&TypeKind::Enum) && b != t.name => {
                    t.base = Some(b.to_owned())
                }
                _ => sink.warn(
                    t.source.line,
                    "unresolved-type",
                    format!(
                        "base type `{base}` of `{}` is not documented; treated as having no base",
                        t.name
                    ),
                ),
            }
        }
        for p in &mut t.properties {
            resolve_property(p, &index, &mut sink);
        }
        diags.extend(sink.into_vec());
    }
    for op in &mut api.endpoints {
        let namespace = op.namespace.clone();
        resolve_endpoint(op, &index.within(namespace.as_deref()), diags);
    }
    // Sorted before the passes that look types up by name.
    api.types.sort_by(|a, b| a.name.cmp(&b.name));
    break_base_cycles(api, diags);
    settle_kinds(api);
    reconcile_representations(api, &index, diags);
    body_types_from_examples(api, &index, diags);
    response_types_from_examples(api, &index, diags);
    api.endpoints
        .sort_by_cached_key(|e| (e.path.key(), e.method));
}

fn resolve_property(p: &mut Property, index: &ScopedIndex<'_>, sink: &mut Sink<'_>) {
    let line = p.source.line;
    resolve_ref(&mut p.ty, index, line, sink);
}

fn resolve_ref(ty: &mut TypeRef, index: &ScopedIndex<'_>, line: u32, sink: &mut Sink<'_>) {
    let TypeRef::Named(name) = ty else { return };
    match index.lookup(name) {
        Some(found) => *ty = TypeRef::Named(found.to_owned()),
        None => {
            sink.warn(
                line,
                "unresolved-type",
                format!("type `{name}` is not documented; typed as any JSON value"),
            );
            *ty = TypeRef::Primitive(Primitive::Untyped);
        }
    }
}

fn resolve_endpoint(op: &mut Endpoint, index: &ScopedIndex<'_>, diags: &mut Vec<Diagnostic>) {
    let mut sink = Sink::new(&op.source.file);
    let line = op.source.line;
    for p in &mut op.parameters {
        resolve_property(p, index, &mut sink);
    }
    match &mut op.request_body {
        Some(RequestBody::Type(TypeUse { ty, .. })) => resolve_ref(ty, index, line, &mut sink),
        Some(RequestBody::Parameters { parameters }) => {
            for p in parameters {
                resolve_property(p, index, &mut sink);
            }
        }
        Some(RequestBody::Content { .. }) | None => {}
    }
    if let Some(TypeUse { ty, .. }) = &mut op.response.body {
        resolve_ref(ty, index, line, &mut sink);
    }
    diags.extend(sink.into_vec());
}

/// Compares each type's JSON representation with its property tables
/// (its own and inherited ones). A member the tables lack is added, typed
/// from its placeholder, with a warning: the docs show it, so the generated
/// type should have it. Where both give a member and disagree on whether it
/// is a collection, or on the kind of value (text, number, true/false), the
/// table is kept and the disagreement reported.
fn reconcile_representations(api: &mut Api, index: &TypeIndex, diags: &mut Vec<Diagnostic>) {
    let known: Vec<HashMap<String, (TypeRef, bool)>> = api
        .types
        .iter()
        .map(|t| {
            api.all_properties(&t.name)
                .into_iter()
                .map(|p| (p.name.clone(), (p.ty.clone(), p.collection)))
                .collect()
        })
        .collect();
    for (t, known) in api.types.iter_mut().zip(known) {
        let mut sink = Sink::new(&t.source.file);
        let namespace = key_namespace(&t.name).map(str::to_owned);
        let index = index.within(namespace.as_deref());
        for mut member in std::mem::take(&mut t.representation) {
            let line = member.source.line;
            match known.get(&member.name) {
                // Open types show data as keys (`"String-value"`, GUIDs):
                // those are not properties.
                None if !is_property_name(&member.name) => sink.note(
                    line,
                    "representation-key-not-a-name",
                    format!(
                        "`{}` in the JSON representation of `{}` is a sample key, not a property",
                        member.name, t.name
                    ),
                ),
                None => {
                    if let TypeRef::Named(n) = &member.ty {
                        member.ty = index
                            .lookup(n)
                            .map_or(TypeRef::Primitive(Primitive::Untyped), |n| {
                                TypeRef::Named(n.to_owned())
                            });
                    }
                    sink.warn(
                        line,
                        "property-missing-from-table",
                        format!(
                            "`{}.{}` appears in the JSON representation but in no property table; added as {}{}",
                            t.name,
                            member.name,
                            String::from(member.ty.clone()),
                            if member.collection { " collection" } else { "" }
                        ),
                    );
                    t.properties.push(member);
                }
                Some((ty, collection)) => {
                    let untyped = member.ty == TypeRef::Primitive(Primitive::Untyped);
                    if !untyped && *collection != member.collection {
                        sink.warn(
                            line,
                            "representation-disagrees",
                            format!(
                                "`{}.{}`: the table says {}, the JSON representation shows {}; keeping the table",
                                t.name,
                                member.name,
                                if *collection { "a collection" } else { "one value" },
                                if member.collection { "a collection" } else { "one value" }
                            ),
                        );
                    } else if let (Some(table), Some(shown)) =
                        (value_family(ty), value_family(&member.ty))
                        && table != shown
                    {
                        sink.warn(
                            line,
                            "representation-disagrees",
                            format!(
                                "`{}.{}`: the table says {}, the JSON representation {}; keeping the table",
                                t.name,
                                member.name,
                                String::from(ty.clone()),
                                String::from(member.ty.clone())
                            ),
                        );
                    }
                }
            }
        }
        diags.extend(sink.into_vec());
    }
}

/// `camelCase` or `snake_case` and nothing else: a name the docs would list.
fn is_property_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// For operations that send a body but document no type for it: the type
/// the example bodies name in `@odata.type`, else the operation's response
/// type, provided every example body fits it (see [`fitting_type`]). The
/// examples then say what the prose did not.
fn body_types_from_examples(api: &mut Api, index: &TypeIndex, diags: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    for (i, op) in api.endpoints.iter().enumerate() {
        if op.request_body.is_some()
            || !matches!(op.method, Method::Post | Method::Patch | Method::Put)
        {
            continue;
        }
        let bodies = json_objects(
            op.examples
                .iter()
                .filter_map(|e| e.request.as_ref()?.body.as_deref()),
        );
        let from_response = match &op.response.body {
            Some(TypeUse {
                ty: TypeRef::Named(n),
                collection: false,
            }) => Some(n.as_str()),
            _ => None,
        };
        let scope = index.within(op.namespace.as_deref());
        if let Some(candidate) = fitting_type(api, &scope, &bodies, from_response) {
            found.push((i, candidate));
        }
    }
    for (i, candidate) in found {
        let op = &mut api.endpoints[i];
        diags.retain(|d| !(d.code == "unknown-request-body" && d.file == op.source.file));
        let mut sink = Sink::new(&op.source.file);
        sink.note(
            op.source.line,
            "body-type-from-example",
            format!("the request body is read as `{candidate}`: every example body fits it"),
        );
        op.request_body = Some(RequestBody::Type(TypeUse {
            ty: TypeRef::Named(candidate),
            collection: false,
        }));
        diags.extend(sink.into_vec());
    }
}

/// For operations whose response examples show a body but whose prose and
/// annotations name no type: the type the example objects (or the items of
/// their `value` array) name in `@odata.type`, else the request body type,
/// as an update or a create usually answers with what it was sent; in both
/// cases only when every example object fits the type (see [`fitting_type`]).
fn response_types_from_examples(api: &mut Api, index: &TypeIndex, diags: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    for (i, op) in api.endpoints.iter().enumerate() {
        if op.response.body.as_ref().map(|b| &b.ty) != Some(&TypeRef::Primitive(Primitive::Untyped))
        {
            continue;
        }
        let bodies: Vec<&str> = op
            .examples
            .iter()
            .filter_map(|e| e.response.as_ref()?.body.as_deref())
            .collect();
        let collection = bodies.first().is_some_and(|b| is_collection_body(b));
        let objects = if collection {
            // Every body must be a page of items: a mix says nothing.
            let pages = json_objects(bodies.iter().copied());
            if pages.len() != bodies.len() {
                continue;
            }
            pages
                .into_iter()
                .flat_map(|mut page| match page.remove("value") {
                    Some(serde_json::Value::Array(items)) => items,
                    _ => vec![serde_json::Value::Null],
                })
                .map(|item| match item {
                    serde_json::Value::Object(o) => o,
                    _ => serde_json::Map::new(),
                })
                .collect()
        } else {
            json_objects(bodies.iter().copied())
        };
        let from_request = match &op.request_body {
            Some(RequestBody::Type(TypeUse {
                ty: TypeRef::Named(n),
                collection: false,
            })) => Some(n.as_str()),
            _ => None,
        };
        let scope = index.within(op.namespace.as_deref());
        if let Some(candidate) = fitting_type(api, &scope, &objects, from_request) {
            found.push((i, candidate, collection));
        }
    }
    for (i, candidate, collection) in found {
        let op = &mut api.endpoints[i];
        diags.retain(|d| !(d.code == "unknown-response-type" && d.file == op.source.file));
        let mut sink = Sink::new(&op.source.file);
        sink.note(
            op.source.line,
            "response-type-from-example",
            format!("the response body is read as `{candidate}`: every example body fits it"),
        );
        op.response.body = Some(TypeUse {
            ty: TypeRef::Named(candidate),
            collection,
        });
        diags.extend(sink.into_vec());
    }
}

/// The JSON objects among `bodies`; other values and unparsable text are
/// left out.
fn json_objects<'a>(
    bodies: impl Iterator<Item = &'a str>,
) -> Vec<serde_json::Map<String, serde_json::Value>> {
    bodies
        .filter_map(|b| match serde_json::from_str(b) {
            Ok(serde_json::Value::Object(o)) => Some(o),
            _ => None,
        })
        .collect()
}

/// The type that the first object names in `@odata.type`, else
/// `fallback`, provided it has properties and every object fits it: each
/// has a member, and every member is one of the type's properties or an
/// annotation (`x@odata.bind`). An empty object (`{}`) would fit any type
/// and says nothing.
fn fitting_type(
    api: &Api,
    index: &ScopedIndex<'_>,
    objects: &[serde_json::Map<String, serde_json::Value>],
    fallback: Option<&str>,
) -> Option<String> {
    let named = objects
        .first()?
        .get("@odata.type")
        .and_then(serde_json::Value::as_str)
        .and_then(|t| index.lookup(t));
    let candidate = named.or(fallback)?;
    let properties = api.all_properties(candidate);
    let fits = !properties.is_empty()
        && objects.iter().all(|object| {
            object.keys().any(|k| !k.contains('@'))
                && object
                    .keys()
                    .all(|k| k.contains('@') || properties.iter().any(|p| &p.name == k))
        });
    fits.then(|| candidate.to_owned())
}

/// What a JSON value of a primitive type looks like: a string, a number or
/// a boolean; `None` for named types (objects, and enums, which are strings)
/// and any JSON. Placeholders only tell these apart (`"String"` stands for
/// timestamps and GUIDs too).
fn value_family(ty: &TypeRef) -> Option<u8> {
    Some(match ty {
        TypeRef::Primitive(Primitive::Boolean) => 1,
        TypeRef::Primitive(
            Primitive::Byte
            | Primitive::SByte
            | Primitive::Int16
            | Primitive::Int32
            | Primitive::Int64
            | Primitive::Single
            | Primitive::Double
            | Primitive::Decimal,
        ) => 2,
        TypeRef::Primitive(
            Primitive::String
            | Primitive::DateTimeOffset
            | Primitive::Date
            | Primitive::TimeOfDay
            | Primitive::Duration
            | Primitive::Guid
            | Primitive::Binary,
        ) => 3,
        _ => return None,
    })
}

/// A base chain that loops (`a : b`, `b : a`) is cut where the loop closes.
fn break_base_cycles(api: &mut Api, diags: &mut Vec<Diagnostic>) {
    let positions: HashMap<String, usize> = api
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    for start in 0..api.types.len() {
        let mut seen = HashSet::from([start]);
        let mut at = start;
        while let Some(next) = api.types[at]
            .base
            .as_ref()
            .and_then(|b| positions.get(b))
            .copied()
        {
            if !seen.insert(next) {
                let t = &mut api.types[at];
                let mut sink = Sink::new(&t.source.file);
                sink.warn(
                    t.source.line,
                    "base-type-cycle",
                    format!(
                        "base chain of `{}` loops; its base `{}` is dropped",
                        t.name,
                        t.base.take().unwrap_or_default()
                    ),
                );
                diags.extend(sink.into_vec());
                break;
            }
            at = next;
        }
    }
}

/// A type deriving from an entity is an entity.
fn settle_kinds(api: &mut Api) {
    let entity: HashSet<String> = api
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Entity)
        .map(|t| t.name.clone())
        .collect();
    let bases: HashMap<String, Option<String>> = api
        .types
        .iter()
        .map(|t| (t.name.clone(), t.base.clone()))
        .collect();
    for t in &mut api.types {
        if t.kind != TypeKind::Complex {
            continue;
        }
        let mut at = t.base.clone();
        while let Some(b) = at {
            if entity.contains(&b) {
                t.kind = TypeKind::Entity;
                break;
            }
            at = bases.get(&b).cloned().flatten();
        }
    }
}

impl Api {
    /// Every type with derived types, mapped to all its descendants
    /// (children, their children, …), sorted by name.
    pub fn descendants(&self) -> BTreeMap<String, Vec<String>> {
        let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for t in &self.types {
            if let Some(base) = &t.base {
                children.entry(base).or_default().push(&t.name);
            }
        }
        let mut out = BTreeMap::new();
        for &root in children.keys() {
            let mut found: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
            let mut stack = vec![root];
            while let Some(at) = stack.pop() {
                for &child in children.get(at).map_or(&[][..], Vec::as_slice) {
                    if child != root && found.insert(child) {
                        stack.push(child);
                    }
                }
            }
            out.insert(
                root.to_owned(),
                found.into_iter().map(str::to_owned).collect(),
            );
        }
        out
    }

    /// `name`'s properties followed by those it inherits, nearest base
    /// first; a property redefined lower in the chain hides the base's.
    pub fn all_properties(&self, name: &str) -> Vec<&Property> {
        let mut out: Vec<&Property> = Vec::new();
        let mut at = self.type_named(name);
        let mut depth = 0;
        while let Some(t) = at {
            for p in &t.properties {
                if !out.iter().any(|q| q.name == p.name) {
                    out.push(p);
                }
            }
            depth += 1;
            at = t
                .base
                .as_deref()
                .and_then(|b| self.type_named(b))
                .filter(|_| depth < 64);
        }
        out
    }
}
