//! The request tree users call: `api::users().by_id(id).messages().list()`.
//!
//! A struct per node of the model's request tree holds the encoded path so
//! far; it has a method per step to a child (`messages()`, `by_id(id)`,
//! `as_group()`, `reminder_view(start, end)`, `by_path(path)`) and a method
//! per endpoint at the node (`get`, `list`, `create`, `post`, `update`,
//! `delete`, `put`), which returns the same `Request` value the runtime
//! sends. The emitter only walks the tree and looks names up in the plan.
//!
//! Each child of the root is a file, `api/<module>.rs`, holding every node
//! below it (and the parameter structs of its actions); `api/mod.rs`
//! re-exports them all and has a function per child of the root. Editing a
//! page changes the file of the paths it documents; the file is emitted
//! node by node ([`node`]), so that only the edited nodes are built again.

use super::docs;
use super::endpoints::{body_struct, request_method};
use super::features::Features;
use super::plan::{Plan, step_arguments};
use crate::model::tree::Step;
use crate::model::{Api, Segment};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The tree's files: `api/mod.rs` first, then one per child of the root
/// (and `api/service_root.rs` when the root itself has endpoints), as
/// (path, the nodes it holds).
pub fn files(plan: &Plan) -> Vec<(String, Vec<usize>)> {
    let tree = &plan.tree;
    let mut out = Vec::new();
    if !tree.nodes[0].endpoints.is_empty() {
        out.push(("api/service_root.rs".to_owned(), vec![0]));
    }
    for &top in &tree.nodes[0].children {
        let mut nodes = Vec::new();
        let mut stack = vec![top];
        while let Some(n) = stack.pop() {
            nodes.push(n);
            stack.extend(tree.nodes[n].children.iter().rev());
        }
        out.push((format!("api/{}.rs", plan.nodes[top].module), nodes));
    }
    out
}

/// `api/mod.rs`: the modules, re-exported, and a function per child of the
/// root.
pub fn mod_rs(plan: &Plan, features: &Features) -> TokenStream {
    let tree = &plan.tree;
    let mut tops: Vec<usize> = tree.nodes[0].children.clone();
    if !tree.nodes[0].endpoints.is_empty() {
        tops.insert(0, 0);
    }
    let modules = tops.iter().map(|&top| {
        let cfg = node_cfg(plan, features, top);
        let module = format_ident!("{}", plan.nodes[top].module);
        quote!(#cfg mod #module; #cfg pub use #module::*;)
    });
    let functions = tops.iter().map(|&top| {
        let cfg = node_cfg(plan, features, top);
        let names = &plan.nodes[top];
        let function = format_ident!(
            "{}",
            if top == 0 {
                "service_root"
            } else {
                names.method.as_str()
            }
        );
        let target = format_ident!("{}", names.ident);
        let (params, parts) = step_parts(&tree.nodes[top].step);
        let doc = docs::attrs([format!("`{}`", template(plan, top))]);
        quote! {
            #cfg
            #doc
            pub fn #function(#(#params: &str),*) -> #target {
                #target(docgen_runtime::extend_path(String::new(), &[#(#parts),*]))
            }
        }
    });
    quote! {
        //! The request tree: a function per first path segment, then a
        //! method per step down the path, and at each endpoint a method
        //! that builds its request, e.g.
        //! `api::users().by_id("42").messages().list()`.
        #(#modules)*
        #(#functions)*
    }
}

/// The inner doc of an `api/<module>.rs` file. The file holds, after it,
/// [`node`] for each of its nodes.
pub fn module_doc() -> TokenStream {
    quote! {
        //! Request builders: one struct per path, with a method per step
        //! below it and per request it can send.
    }
}

/// Node `n`'s items: its struct, with a method per step to a child and per
/// endpoint, and the parameter structs of its actions.
pub fn node(api: &Api, plan: &Plan, features: &Features, n: usize) -> TokenStream {
    let tree = &plan.tree;
    let cfg = node_cfg(plan, features, n);
    let ident = format_ident!("{}", plan.nodes[n].ident);
    let doc = docs::attrs([format!("`{}`", template(plan, n))]);
    let mut bodies = Vec::new();
    let requests: Vec<TokenStream> = tree.nodes[n]
        .endpoints
        .iter()
        .map(|&e| {
            let names = &plan.endpoints[e];
            let cfg = features.operation_cfg(&names.function);
            if let Some(body) = body_struct(&api.endpoints[e], names, plan) {
                bodies.push(gated(&cfg, body));
            }
            let method = request_method(&api.endpoints[e], names, plan);
            quote!(#cfg #method)
        })
        .collect();
    let children = tree.nodes[n].children.iter().map(|&child| {
        let cfg = node_cfg(plan, features, child);
        let method = format_ident!("{}", plan.nodes[child].method);
        let target = format_ident!("{}", plan.nodes[child].ident);
        let (params, parts) = step_parts(&tree.nodes[child].step);
        let doc = docs::attrs([format!("`{}`", template(plan, child))]);
        quote! {
            #cfg
            #doc
            pub fn #method(self, #(#params: &str),*) -> #target {
                #target(docgen_runtime::extend_path(self.0, &[#(#parts),*]))
            }
        }
    });
    quote! {
        #(#bodies)*

        #cfg
        #doc
        pub struct #ident(pub(crate) String);

        #cfg
        impl #ident {
            #(#requests)*
            #(#children)*
        }
    }
}

/// `items` (a struct and its impls), each under `cfg`.
fn gated(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => file.items.iter().map(|item| quote!(#cfg #item)).collect(),
        // Not Rust: the file's own parse reports it.
        Err(_) => items,
    }
}

/// A node's `#[cfg]`: the features of the endpoints at and below it.
fn node_cfg(plan: &Plan, features: &Features, n: usize) -> TokenStream {
    let functions: Vec<&str> = plan
        .tree
        .endpoints_below(n)
        .into_iter()
        .map(|e| plan.endpoints[e].function.as_str())
        .collect();
    features.any_cfg(&functions)
}

/// The parameters a step takes, and the path pieces it appends.
pub fn step_parts(step: &Step) -> (Vec<Ident>, Vec<TokenStream>) {
    let params: Vec<Ident> = step_arguments(step)
        .iter()
        .map(|p| format_ident!("{p}"))
        .collect();
    let mut next = params.iter();
    let mut param = || next.next().expect("an argument per placeholder");
    let parts = match step {
        Step::Root => Vec::new(),
        Step::Segment(text) => {
            let text = format!("/{text}");
            vec![quote!(docgen_runtime::PathPart::Literal(#text))]
        }
        Step::Key(_) => {
            let id = param();
            vec![
                quote!(docgen_runtime::PathPart::Literal("/")),
                quote!(docgen_runtime::PathPart::Param(#id)),
            ]
        }
        Step::ByPath { closed, .. } => {
            let path = param();
            let mut parts = vec![
                quote!(docgen_runtime::PathPart::Literal(":/")),
                quote!(docgen_runtime::PathPart::Subpath(#path)),
            ];
            if *closed {
                parts.push(quote!(docgen_runtime::PathPart::Literal(":")));
            }
            parts
        }
        Step::Call { pieces, .. } => {
            let mut parts = vec![quote!(docgen_runtime::PathPart::Literal("/"))];
            for piece in pieces {
                parts.push(match piece {
                    Segment::Literal(text) => quote!(docgen_runtime::PathPart::Literal(#text)),
                    Segment::Parameter(_) => {
                        let ident = param();
                        quote!(docgen_runtime::PathPart::Param(#ident))
                    }
                });
            }
            parts
        }
    };
    (params, parts)
}

/// The call that reaches endpoint `e` with `values` (expressions for its
/// path parameters, then its required query parameters) and, when it sends
/// one, `body`: `crate::api::users().by_id(case.argument(0)).get()`.
pub fn call(
    plan: &Plan,
    e: usize,
    values: &[TokenStream],
    body: Option<TokenStream>,
) -> TokenStream {
    let tree = &plan.tree;
    let mut values = values.iter();
    let mut take = |n: usize| -> Vec<&TokenStream> { values.by_ref().take(n).collect() };
    let mut chain = Vec::new();
    for n in tree.chain(tree.end[e]) {
        let step = &tree.nodes[n].step;
        let args = take(step.parameters().len());
        let method = format_ident!("{}", plan.nodes[n].method);
        chain.push(if chain.is_empty() {
            quote!(crate::api::#method(#(#args),*))
        } else {
            quote!(.#method(#(#args),*))
        });
    }
    if chain.is_empty() {
        chain.push(quote!(crate::api::service_root()));
    }
    let mut args: Vec<TokenStream> = take(usize::MAX).into_iter().cloned().collect();
    args.extend(body);
    let verb = format_ident!("{}", plan.endpoints[e].verb);
    quote!(#(#chain)*.#verb(#(#args),*))
}

/// A node's path with its placeholders named, for docs:
/// `/users/{user-id}/messages`.
fn template(plan: &Plan, n: usize) -> String {
    let mut out = String::new();
    for node in plan.tree.chain(n) {
        match &plan.tree.nodes[node].step {
            Step::Root => {}
            Step::Segment(text) => {
                out.push('/');
                out.push_str(text);
            }
            Step::Key(p) => out.push_str(&format!("/{{{p}}}")),
            Step::ByPath { parameter, closed } => {
                out.push_str(&format!(":/{{{parameter}}}"));
                if *closed {
                    out.push(':');
                }
            }
            Step::Call { pieces, .. } => {
                out.push('/');
                for piece in pieces {
                    match piece {
                        Segment::Literal(text) => out.push_str(text),
                        Segment::Parameter(p) => out.push_str(&format!("{{{p}}}")),
                    }
                }
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}
