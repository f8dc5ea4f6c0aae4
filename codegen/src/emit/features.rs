//! Cargo features per area of the API, so that a user who needs one area
//! compiles only that area.
//!
//! Each area ([`crate::model::areas`]) becomes a feature. A feature turns
//! on the operations of its area and exactly the types they need: the
//! area's own types and the types of its operations' parameters, bodies
//! and responses, closed over property types and base types. A type that
//! every feature needs is not gated at all.
//!
//! Derived types are not followed: a base type's `Any…` enum gates each
//! derived variant on that type's own features, and a value of a derived
//! type left out reads as the base type, which keeps the members it does
//! not know. Following them would pull almost everything in: most entity
//! types derive from a handful of bases.

use super::Plan;
use super::cache::Digest;
use crate::model::{Api, Endpoint, RequestBody, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Feature and dependency names the generated `Cargo.toml` already uses
/// for other things.
const RESERVED: &[&str] = &[
    "azure-identity",
    "client",
    "default",
    "docgen-runtime",
    "docgen-types",
    "full",
    "mock",
    "rustls",
];

/// Which features compile which items. [`Features::none`] gates nothing:
/// the in-repo crate is small enough to compile whole.
#[derive(Default)]
pub struct Features {
    /// Type name → the features that need it; absent when all do.
    types: HashMap<String, BTreeSet<String>>,
    /// Endpoint (by its name) → its feature.
    functions: HashMap<String, String>,
    /// How many features there are.
    count: usize,
}

impl Features {
    /// Nothing gated.
    pub fn none() -> Self {
        Features::default()
    }

    /// A feature per area of `api`, with the types each one needs.
    pub fn by_area(api: &Api, plan: &Plan) -> Self {
        let operations: Vec<String> = api
            .endpoints
            .iter()
            .map(|op| feature(api.area(&op.source)))
            .collect();
        let mut roots: HashMap<String, Vec<&str>> = HashMap::new();
        for t in &api.types {
            roots
                .entry(feature(api.area(&t.source)))
                .or_default()
                .push(&t.name);
        }
        for (op, name) in api.endpoints.iter().zip(&operations) {
            roots.entry(name.clone()).or_default().extend(used_by(op));
        }
        // Every area has a type or an operation, so each is a root key.
        let all = roots.len();

        let mut needed: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (name, roots) in &roots {
            let mut stack = roots.clone();
            let mut seen = std::collections::HashSet::new();
            while let Some(ty) = stack.pop() {
                let Some(def) = api.type_named(ty) else {
                    continue;
                };
                if !seen.insert(ty) {
                    continue;
                }
                needed
                    .entry(def.name.clone())
                    .or_default()
                    .insert(name.clone());
                stack.extend(def.base.as_deref());
                stack.extend(
                    def.properties
                        .iter()
                        .chain(&def.representation)
                        .filter_map(|p| named(&p.ty)),
                );
            }
        }
        needed.retain(|_, features| features.len() < all);
        Features {
            types: needed,
            count: all,
            functions: plan
                .endpoints
                .iter()
                .map(|n| n.function.clone())
                .zip(operations)
                .collect(),
        }
    }

    /// Adds which features gate what to `digest`, for files' cache keys.
    pub(super) fn digest(&self, digest: &mut Digest) {
        let types: BTreeMap<_, _> = self.types.iter().collect();
        let functions: BTreeMap<_, _> = self.functions.iter().collect();
        digest.add(&types).add(&functions).add(&self.count);
    }

    /// The `#[cfg]` of the type `name`; nothing when every feature needs it.
    pub fn type_cfg(&self, name: &str) -> TokenStream {
        self.types
            .get(name)
            .map(|features| any(features.iter()))
            .unwrap_or_default()
    }

    /// The `#[cfg]` of the operation whose function is `function`.
    pub fn operation_cfg(&self, function: &str) -> TokenStream {
        self.functions
            .get(function)
            .map(|feature| any(std::iter::once(feature)))
            .unwrap_or_default()
    }

    /// The `#[cfg]` of what the endpoints named `functions` need (a node of
    /// the request tree): any of their features; nothing when that is
    /// every feature.
    pub fn any_cfg(&self, functions: &[&str]) -> TokenStream {
        let features: BTreeSet<&String> = functions
            .iter()
            .filter_map(|f| self.functions.get(*f))
            .collect();
        if features.is_empty() || features.len() >= self.count {
            return TokenStream::new();
        }
        any(features.into_iter())
    }

    /// The `#[cfg]` that holds exactly when [`Self::operation_cfg`] does
    /// not; `None` when the operation is not gated.
    pub fn operation_cfg_not(&self, function: &str) -> Option<TokenStream> {
        self.functions
            .get(function)
            .map(|feature| quote!(#[cfg(not(feature = #feature))]))
    }
}

/// The features of a crate for `api` (with [`Features::by_area`]): one per
/// area that has a type or an operation, sorted.
pub fn names(api: &Api) -> Vec<String> {
    let areas = api
        .types
        .iter()
        .map(|t| &t.source)
        .chain(api.endpoints.iter().map(|op| &op.source))
        .map(|source| feature(api.area(source)));
    let names: BTreeSet<String> = areas.collect();
    names.into_iter().collect()
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", …))]` for several.
fn any<'a>(features: impl ExactSizeIterator<Item = &'a String>) -> TokenStream {
    if features.len() == 1 {
        quote!(#[cfg(#(feature = #features)*)])
    } else {
        quote!(#[cfg(any(#(feature = #features),*))])
    }
}

/// An area's feature name: the area, unless the crate uses that name
/// already.
fn feature(area: &str) -> String {
    if RESERVED.contains(&area) {
        format!("{area}-area")
    } else {
        area.to_owned()
    }
}

fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Primitive(_) => None,
    }
}

/// The types `op`'s signature names: parameters, body and response.
fn used_by(op: &Endpoint) -> impl Iterator<Item = &str> {
    let body: Vec<&TypeRef> = match &op.request_body {
        Some(RequestBody::Type(t)) => vec![&t.ty],
        Some(RequestBody::Parameters { parameters }) => parameters.iter().map(|p| &p.ty).collect(),
        Some(RequestBody::Content { .. }) | None => Vec::new(),
    };
    op.parameters
        .iter()
        .map(|p| &p.ty)
        .chain(body)
        .chain(op.response.body.as_ref().map(|b| &b.ty))
        .filter_map(named)
}
