//! Decisions made once for the whole API before any code is emitted: the
//! Rust name of every type and operation, and which fields must be boxed.
//! Emitters only look answers up here, so they stay simple and agree.

use super::cache::Digest;
use super::lock::{NameLock, Namer};
use super::names::{Case, PRELUDE_TYPES, Scope, ident};
use crate::model::tree::{Step, Tree};
use crate::model::{Api, Endpoint, TypeKind, TypeRef};
use proc_macro2::{Ident, Span};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub struct Plan {
    types: HashMap<String, TypeNames>,
    /// Types with derived types: the name of their `Any…` enum and their
    /// descendants. A value of such a type may be any of them.
    polymorphic: HashMap<String, Polymorphic>,
    flags: HashSet<String>,
    /// Types sent as PATCH bodies: the name of their update struct, e.g.
    /// `UserPatch`, whose fields tell absent, null and a value apart.
    patch: HashMap<String, String>,
    /// Strongly connected component of each struct type, over fields that
    /// hold a struct directly (not in a `Vec`).
    component: HashMap<String, usize>,
    /// Names for `api.endpoints`, by index.
    pub endpoints: Vec<EndpointNames>,
    /// The request tree users call, and names for its nodes, by index.
    pub tree: Tree,
    pub nodes: Vec<NodeNames>,
    /// Every name given, for the next run to keep.
    pub lock: NameLock,
}

#[derive(Serialize)]
pub struct TypeNames {
    pub ident: String,
    pub module: String,
}

#[derive(Serialize)]
pub struct Polymorphic {
    /// The enum over the type and its descendants, e.g. `AnyDirectoryObject`.
    pub ident: String,
    pub descendants: Vec<String>,
}

#[derive(Serialize)]
pub struct EndpointNames {
    /// The endpoint's own name, from its path's words and its method
    /// (`users_messages_list`): the module of its examples and exchanges.
    pub function: String,
    /// The method of its node that builds its request
    /// ([`Endpoint::verb`]).
    pub verb: String,
    /// The struct of an action's parameters.
    pub body: Option<String>,
}

#[derive(Serialize)]
pub struct NodeNames {
    /// The node's struct, e.g. `UsersItemMessages`.
    pub ident: String,
    /// The method of its parent that reaches it (`messages`, `by_id`,
    /// `as_group`, `reminder_view`); for a child of the root, a function
    /// of the `api` module.
    pub method: String,
    /// The module under `api/` of the root's child it lies under, whose
    /// file holds it.
    pub module: String,
}

impl Plan {
    /// Names every item, keeping the names `previous` recorded for items
    /// that still exist (see [`super::lock`]).
    ///
    /// Types, endpoints' functions and the request tree are three
    /// namespaces, each named in an order of its own: they are named on
    /// as many cores, and each records its part of the lock.
    pub fn new(api: &Api, previous: &NameLock) -> Plan {
        // Endpoints are keyed by method and path.
        let keys: Vec<String> = api.endpoints.par_iter().map(Endpoint::key).collect();
        let (types, (functions, tree)) = rayon::join(
            || TypeNamespace::new(api, previous),
            || {
                rayon::join(
                    || function_names(api, previous, &keys),
                    || TreeNamespace::new(api, previous, &keys),
                )
            },
        );
        let (function_names, functions_lock) = functions;
        let endpoints = function_names
            .into_iter()
            .zip(tree.verbs)
            .zip(tree.bodies)
            .map(|((function, verb), body)| EndpointNames {
                function,
                verb,
                body,
            })
            .collect();
        let lock = NameLock {
            functions: functions_lock,
            nodes: tree.lock.nodes,
            api_modules: tree.lock.api_modules,
            bodies: tree.lock.bodies,
            ..types.lock
        };
        Plan {
            flags: api
                .types
                .iter()
                .filter(|t| t.flags)
                .map(|t| t.name.clone())
                .collect(),
            patch: types.patch,
            component: components(api, &types.polymorphic),
            types: types.types,
            polymorphic: types.polymorphic,
            endpoints,
            tree: tree.tree,
            nodes: tree.nodes,
            lock,
        }
    }

    /// Adds every decision of the plan to `digest`: the part of each
    /// file's cache key that files share, since any file may look up any
    /// name. The name lock is left out: it records these same names, and
    /// only `names.lock` reads it.
    pub(super) fn digest(&self, digest: &mut Digest) {
        let types: BTreeMap<_, _> = self.types.iter().collect();
        let polymorphic: BTreeMap<_, _> = self.polymorphic.iter().collect();
        let flags: BTreeSet<_> = self.flags.iter().collect();
        let patch: BTreeMap<_, _> = self.patch.iter().collect();
        let component: BTreeMap<_, _> = self.component.iter().collect();
        digest
            .add(&types)
            .add(&polymorphic)
            .add(&flags)
            .add(&patch)
            .add(&component)
            .add(&self.endpoints)
            .add(&self.tree)
            .add(&self.nodes);
    }

    /// How users call endpoint `e`, for docs and the changelog:
    /// `api::users().by_id(id).reminder_view(start_date_time, end_date_time).list()`.
    pub fn call_text(&self, e: usize) -> String {
        let mut out = String::from("api::");
        let chain = self.tree.chain(self.tree.end[e]);
        if chain.is_empty() {
            out.push_str("service_root()");
        }
        for (i, n) in chain.into_iter().enumerate() {
            let params = step_arguments(&self.tree.nodes[n].step);
            if i > 0 {
                out.push('.');
            }
            out.push_str(&format!("{}({})", self.nodes[n].method, params.join(", ")));
        }
        out.push_str(&format!(".{}()", self.endpoints[e].verb));
        out
    }

    pub fn type_ident(&self, name: &str) -> Option<Ident> {
        self.types
            .get(name)
            .map(|t| Ident::new(&t.ident, Span::call_site()))
    }

    pub fn type_names(&self, name: &str) -> Option<&TypeNames> {
        self.types.get(name)
    }

    /// The `Any…` enum for `name`, when types derive from it.
    pub fn polymorphic(&self, name: &str) -> Option<&Polymorphic> {
        self.polymorphic.get(name)
    }

    /// The type a value documented as `name` is held in: its `Any…` enum
    /// when types derive from it, else the type itself.
    pub fn value_ident(&self, name: &str) -> Option<Ident> {
        match self.polymorphic.get(name) {
            Some(p) => Some(Ident::new(&p.ident, Span::call_site())),
            None => self.type_ident(name),
        }
    }

    /// The update struct of `name`, when some PATCH operation sends it.
    pub fn patch_ident(&self, name: &str) -> Option<Ident> {
        self.patch
            .get(name)
            .map(|ident| Ident::new(ident, Span::call_site()))
    }

    /// Whether `name` is a flags enum, held in `docgen_runtime::Flags`.
    pub fn is_flags(&self, name: &str) -> bool {
        self.flags.contains(name)
    }

    /// Whether a field of `owner` holding `ty` directly needs a `Box`: when
    /// `ty` can contain `owner` again, the struct would be infinitely large.
    pub fn is_boxed(&self, owner: &str, ty: &TypeRef) -> bool {
        let TypeRef::Named(target) = ty else {
            return false;
        };
        let Some(own) = self.component.get(owner) else {
            return false;
        };
        held_types(target, &self.polymorphic).any(|t| self.component.get(t) == Some(own))
    }
}

/// The arguments of the method that takes `step`, in path order: `id` for
/// a key, `path` for addressing by path, a function's parameters in snake
/// case.
pub fn step_arguments(step: &Step) -> Vec<String> {
    let mut scope = Scope::with_reserved(&["self"]);
    let raw: Vec<&str> = match step {
        Step::Key(_) => vec!["id"],
        Step::ByPath { .. } => vec!["path"],
        other => other.parameters(),
    };
    raw.into_iter()
        .map(|p| scope.claim(p, Case::Snake))
        .collect()
}

/// The names of the types' namespace: structs and enums, their modules,
/// `Any…` enums and `…Patch` structs.
struct TypeNamespace {
    types: HashMap<String, TypeNames>,
    polymorphic: HashMap<String, Polymorphic>,
    patch: HashMap<String, String>,
    lock: NameLock,
}

impl TypeNamespace {
    fn new(api: &Api, previous: &NameLock) -> TypeNamespace {
        let mut lock = NameLock::default();
        let type_items: Vec<(&str, &str)> = api
            .types
            .iter()
            .map(|t| (t.name.as_str(), t.name.as_str()))
            .collect();
        let descendants: Vec<(String, Vec<String>)> = api
            .descendants()
            .into_iter()
            .filter(|(name, _)| {
                api.type_named(name)
                    .is_some_and(|t| t.kind != crate::model::TypeKind::Enum)
            })
            .collect();
        let patched: Vec<&str> = api
            .endpoints
            .iter()
            .filter(|op| op.method == crate::model::Method::Patch)
            .filter_map(|op| match &op.request_body {
                Some(crate::model::RequestBody::Type(crate::model::TypeUse {
                    ty: TypeRef::Named(name),
                    collection: false,
                })) => api.type_named(name).filter(|t| t.kind != TypeKind::Enum),
                _ => None,
            })
            .map(|t| t.name.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();

        // Types, `Any…` enums and update structs share one namespace. The
        // derived names are claimed after every type, so a real type name
        // never moves aside for an `Any…` one.
        let mut idents = Namer::new(Scope::with_reserved(PRELUDE_TYPES), Case::Camel);
        let kept_types = idents.keep(&previous.types, type_items.iter().copied());
        // A derived name is kept with its type's kept name: it is what the
        // name was made from (`any {ident}`, `{ident} patch`).
        let any_raws: Vec<(&str, String)> = (descendants.iter())
            .filter_map(|(n, _)| Some((n.as_str(), format!("any {}", kept_types.get(n)?))))
            .collect();
        let kept_any = idents.keep(
            &previous.any,
            any_raws.iter().map(|(n, r)| (*n, r.as_str())),
        );
        let patch_raws: Vec<(&str, String)> = (patched.iter())
            .filter_map(|n| Some((*n, format!("{} patch", kept_types.get(*n)?))))
            .collect();
        let kept_patch = idents.keep(
            &previous.patch,
            patch_raws.iter().map(|(n, r)| (*n, r.as_str())),
        );
        let type_idents: Vec<String> = type_items
            .iter()
            .map(|(key, raw)| idents.name(&kept_types, key, raw, &mut lock.types))
            .collect();
        let mut modules = Namer::new(Scope::with_reserved(&["mod"]), Case::Snake);
        let kept_modules = modules.keep(
            &previous.modules,
            type_items
                .iter()
                .zip(&type_idents)
                .map(|((k, _), i)| (*k, i.as_str())),
        );
        let types = type_items
            .iter()
            .zip(type_idents)
            .map(|((key, _), ident)| {
                let module = modules.name(&kept_modules, key, &ident, &mut lock.modules);
                ((*key).to_owned(), TypeNames { ident, module })
            })
            .collect::<HashMap<_, _>>();
        let polymorphic = descendants
            .into_iter()
            .map(|(name, descendants)| {
                let raw = format!("any {}", types[&name].ident);
                let ident = idents.name(&kept_any, &name, &raw, &mut lock.any);
                (name, Polymorphic { ident, descendants })
            })
            .collect::<HashMap<_, _>>();
        let patch = patched
            .into_iter()
            .map(|name| {
                let raw = format!("{} patch", types[name].ident);
                let ident = idents.name(&kept_patch, name, &raw, &mut lock.patch);
                (name.to_owned(), ident)
            })
            .collect();

        TypeNamespace {
            types,
            polymorphic,
            patch,
            lock,
        }
    }
}

/// Each endpoint's request function, named by its path's words (a page's
/// title plays no part), and the lock's record of those names.
fn function_names(
    api: &Api,
    previous: &NameLock,
    keys: &[String],
) -> (Vec<String>, BTreeMap<String, String>) {
    let mut lock = BTreeMap::new();
    let words: Vec<String> = api.endpoints.iter().map(Endpoint::name_words).collect();
    let mut functions = Namer::new(Scope::with_reserved(&["mod"]), Case::Snake);
    let kept_functions = functions.keep(
        &previous.functions,
        keys.iter()
            .zip(&words)
            .map(|(k, t)| (k.as_str(), t.as_str())),
    );
    let function_names: Vec<String> = keys
        .iter()
        .zip(&words)
        .map(|(key, raw)| functions.name(&kept_functions, key, raw, &mut lock))
        .collect();
    (function_names, lock)
}

/// The request tree and its names: node structs and actions' parameter
/// structs (one namespace, each `api` module holds both), the tree's top
/// modules, and each node's verbs and steps.
struct TreeNamespace {
    tree: Tree,
    nodes: Vec<NodeNames>,
    /// By endpoint.
    verbs: Vec<String>,
    bodies: Vec<Option<String>>,
    lock: NameLock,
}

impl TreeNamespace {
    fn new(api: &Api, previous: &NameLock, keys: &[String]) -> TreeNamespace {
        let mut lock = NameLock::default();
        // An action's parameters are named after its path:
        // `UsersAssignLicenseBody`.
        let body_items: Vec<(usize, String)> = api
            .endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                matches!(
                    e.request_body,
                    Some(crate::model::RequestBody::Parameters { .. })
                )
            })
            .map(|(i, e)| {
                let words = crate::model::tree::path_words(&e.path);
                (i, format!("{} body", words.join(" ")))
            })
            .collect();
        // Node structs and parameter structs share each `api` module; one
        // namespace for all keeps every name unique crate-wide.
        let tree = Tree::new(&api.endpoints);
        let steps = step_words(&tree);
        let node_raw: Vec<String> = (0..tree.nodes.len())
            .map(|i| {
                let chain = tree.chain(i);
                if chain.is_empty() {
                    return "service root".to_owned();
                }
                // A key is an `Item` in a node's name, a `by_id` method.
                let words: Vec<&str> = chain
                    .iter()
                    .map(|&n| match tree.nodes[n].step {
                        Step::Key(_) => "item",
                        _ => steps[n].as_str(),
                    })
                    .collect();
                words.join(" ")
            })
            .collect();
        let mut op_types = Namer::new(Scope::with_reserved(PRELUDE_TYPES), Case::Camel);
        let kept_nodes = op_types.keep(
            &previous.nodes,
            tree.nodes
                .iter()
                .zip(&node_raw)
                .map(|(n, r)| (n.key.as_str(), r.as_str())),
        );
        let kept_bodies = op_types.keep(
            &previous.bodies,
            body_items
                .iter()
                .map(|(i, r)| (keys[*i].as_str(), r.as_str())),
        );
        let node_idents: Vec<String> = tree
            .nodes
            .iter()
            .zip(&node_raw)
            .map(|(n, raw)| op_types.name(&kept_nodes, &n.key, raw, &mut lock.nodes))
            .collect();
        let mut bodies: Vec<Option<String>> = vec![None; keys.len()];
        for (i, raw) in &body_items {
            bodies[*i] = Some(op_types.name(&kept_bodies, &keys[*i], raw, &mut lock.bodies));
        }
        let mut api_modules = Namer::new(
            Scope::with_reserved(&["mod", "super", "crate", "self"]),
            Case::Snake,
        );
        let top: Vec<usize> = tree.nodes[0].children.clone();
        let kept_modules = api_modules.keep(
            &previous.api_modules,
            top.iter()
                .map(|&n| (tree.nodes[n].key.as_str(), node_raw[n].as_str())),
        );
        let mut module_of: HashMap<usize, String> = HashMap::new();
        for &n in &top {
            let name = api_modules.name(
                &kept_modules,
                &tree.nodes[n].key,
                &node_raw[n],
                &mut lock.api_modules,
            );
            module_of.insert(n, name);
        }
        // Within a node, its requests' verbs are named first, then the
        // steps to its children in key order, so a new child never renames
        // what was there.
        let mut verbs: Vec<String> = vec![String::new(); keys.len()];
        let mut methods: Vec<String> = vec![String::new(); tree.nodes.len()];
        for node in &tree.nodes {
            let mut scope = Scope::default();
            for &e in &node.endpoints {
                verbs[e] = scope.claim(api.endpoints[e].verb(), Case::Snake);
            }
            for &child in &node.children {
                methods[child] = scope.claim(&steps[child], Case::Snake);
            }
        }
        let nodes: Vec<NodeNames> = (0..tree.nodes.len())
            .map(|i| NodeNames {
                ident: node_idents[i].clone(),
                method: methods[i].clone(),
                module: module_of
                    .get(&tree.top(i))
                    .cloned()
                    .unwrap_or_else(|| "service_root".to_owned()),
            })
            .collect();
        TreeNamespace {
            tree,
            nodes,
            verbs,
            bodies,
            lock,
        }
    }
}

/// The words of the method that takes each node's step: `messages`,
/// `value` (`$value`), `as group`, `reminder view`, `by id` for a key, `by
/// path`. Overloads of a function (`image(width=…)`,
/// `image(width=…,height=…)`) are told apart by their arguments: `image
/// with width height`.
fn step_words(tree: &Tree) -> Vec<String> {
    let plain = |step: &Step| match step {
        Step::Key(_) => "by id".to_owned(),
        other => other.words(),
    };
    let mut out: Vec<String> = tree.nodes.iter().map(|n| plain(&n.step)).collect();
    for node in &tree.nodes {
        let idents: Vec<String> = node
            .children
            .iter()
            .map(|&c| ident(&out[c], Case::Snake))
            .collect();
        for (i, &child) in node.children.iter().enumerate() {
            let step = &tree.nodes[child].step;
            let mut arguments = step.argument_names();
            if arguments.is_empty() {
                arguments = step.parameters().iter().map(|p| (*p).to_owned()).collect();
            }
            if idents.iter().filter(|p| **p == idents[i]).count() > 1 && !arguments.is_empty() {
                out[child] = format!("{} with {}", out[child], arguments.join(" "));
            }
        }
    }
    out
}

/// The types a field documented as `name` can hold: it and, when it is
/// polymorphic, every descendant.
fn held_types<'a>(
    name: &'a str,
    polymorphic: &'a HashMap<String, Polymorphic>,
) -> impl Iterator<Item = &'a str> {
    let descendants = polymorphic
        .get(name)
        .map_or(&[][..], |p| p.descendants.as_slice());
    std::iter::once(name).chain(descendants.iter().map(String::as_str))
}

/// Kosaraju's algorithm over struct types, with explicit stacks so that deep
/// type graphs cannot overflow the call stack.
fn components(api: &Api, polymorphic: &HashMap<String, Polymorphic>) -> HashMap<String, usize> {
    let structs: Vec<&str> = api
        .types
        .iter()
        .filter(|t| t.kind != TypeKind::Enum)
        .map(|t| t.name.as_str())
        .collect();
    let index: HashMap<&str, usize> = structs.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut edges = vec![Vec::new(); structs.len()];
    let mut reverse = vec![Vec::new(); structs.len()];
    for (i, name) in structs.iter().enumerate() {
        let mut seen = HashSet::new();
        for p in api.all_properties(name) {
            if p.collection {
                continue;
            }
            let TypeRef::Named(t) = &p.ty else { continue };
            for held in held_types(t, polymorphic) {
                if let Some(&j) = index.get(held)
                    && seen.insert(j)
                {
                    edges[i].push(j);
                    reverse[j].push(i);
                }
            }
        }
    }

    let mut order = Vec::with_capacity(structs.len());
    let mut visited = vec![false; structs.len()];
    for start in 0..structs.len() {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&to) = edges[*node].get(*next) {
                *next += 1;
                if !visited[to] {
                    visited[to] = true;
                    stack.push((to, 0));
                }
            } else {
                order.push(*node);
                stack.pop();
            }
        }
    }

    let mut component = vec![usize::MAX; structs.len()];
    let mut count = 0;
    for &root in order.iter().rev() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = count;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for &from in &reverse[node] {
                if component[from] == usize::MAX {
                    component[from] = count;
                    stack.push(from);
                }
            }
        }
        count += 1;
    }
    structs
        .iter()
        .zip(component)
        .map(|(n, c)| ((*n).to_owned(), c))
        .collect()
}
