//! The routes of the crate's mock Graph (`mock` feature): what the runtime's
//! mock server needs to answer every endpoint from the docs.
//!
//! A route is the endpoint's method and path template, its documented
//! status, the checks that read its request and response bodies as the
//! documented types, the media type of content it answers, and its
//! fixture of examples (the JSON file `fixtures` writes). `mock/mod.rs`
//! names the server; a file per first path segment, as under `api/`, adds
//! that part's routes, each behind its area's `#[cfg]`.

use super::endpoints::{method_tokens, request_body_owned_type, response_type};
use super::features::Features;
use super::option_tokens;
use super::plan::Plan;
use crate::model::{Api, Endpoint};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// The mock's files below `mock/mod.rs`: one per first path segment, as
/// under `api/`, with the endpoints whose routes it adds, in order.
pub fn files(plan: &Plan) -> Vec<(String, Vec<usize>)> {
    let mut files: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for e in 0..plan.endpoints.len() {
        let module = plan.nodes[top_of(plan, plan.tree.end[e])].module.as_str();
        files.entry(module).or_default().push(e);
    }
    (files.into_iter())
        .map(|(module, endpoints)| (format!("mock/{module}.rs"), endpoints))
        .collect()
}

/// `mock/mod.rs`: the server, and a module per file of [`files`]. A file
/// compiles when any of its routes does, like its `api/` file.
pub fn mod_rs(plan: &Plan, features: &Features, files: &[(String, Vec<usize>)]) -> TokenStream {
    let modules: Vec<_> = (files.iter())
        .map(|(path, endpoints)| {
            let module = path.trim_start_matches("mock/").trim_end_matches(".rs");
            let functions: Vec<&str> = (endpoints.iter())
                .map(|&e| plan.endpoints[e].function.as_str())
                .collect();
            (format_ident!("{module}"), features.any_cfg(&functions))
        })
        .collect();
    module_list(&modules)
}

/// One file of [`files`]: the routes of `endpoints`. `fixtures` holds the
/// functions of the operations with a fixture file.
pub fn module_file(
    api: &Api,
    plan: &Plan,
    features: &Features,
    fixtures: &BTreeSet<String>,
    endpoints: &[usize],
) -> TokenStream {
    let routes = (endpoints.iter()).map(|&e| route(&api.endpoints[e], e, plan, features, fixtures));
    quote! {
        //! The routes below this first path segment.

        pub(super) fn add(mut routes: Vec<docgen_runtime::mock::Route>) -> Vec<docgen_runtime::mock::Route> {
            #(#routes)*
            routes
        }
    }
}

/// The child of the root that `node` lies under, or the root itself.
fn top_of(plan: &Plan, mut node: usize) -> usize {
    while let Some(parent) = plan.tree.nodes[node].parent.filter(|&p| p != 0) {
        node = parent;
    }
    node
}

fn module_list(modules: &[(proc_macro2::Ident, TokenStream)]) -> TokenStream {
    let declared = modules.iter().map(|(m, cfg)| quote!(#cfg mod #m;));
    let added = modules
        .iter()
        .map(|(m, cfg)| quote!(#cfg let routes = #m::add(routes);));
    quote! {
        //! A mock of the API for tests, answering every documented endpoint
        //! from the docs' examples (see [`docgen_runtime::mock`]):
        //!
        //! ```ignore
        //! let graph = mock::Server::start().await;
        //! graph.on(api::users().list()).respond_with(vec![user]);
        //! let client = runtime::Client::new(&graph.uri(), runtime::client::StaticToken::new("test"))?;
        //! ```

        #(#declared)*

        pub use docgen_runtime::mock::{Answered, Expectation, Received};

        /// The API's documented endpoints, as the mock routes them.
        pub struct Graph;

        impl docgen_runtime::mock::Api for Graph {
            // Each `let` is gated by its area's feature, so none can be
            // the returned expression.
            #[allow(clippy::let_and_return)]
            fn routes() -> Vec<docgen_runtime::mock::Route> {
                let routes = Vec::new();
                #(#added)*
                routes
            }
        }

        /// The mock server: `Server::start().await`.
        pub type Server = docgen_runtime::mock::Server<Graph>;
    }
}

/// The statement adding `op`'s route, behind its area's `#[cfg]`.
fn route(
    op: &Endpoint,
    e: usize,
    plan: &Plan,
    features: &Features,
    fixtures: &BTreeSet<String>,
) -> TokenStream {
    let names = &plan.endpoints[e];
    let function = &names.function;
    let cfg = features.operation_cfg(function);
    let method = method_tokens(op.method);
    let path = &op.path.template;
    let status = proc_macro2::Literal::u16_unsuffixed(op.response.status);
    let request = request_body_owned_type(op, names, plan);
    let request = option_tokens(request.map(|ty| quote!(docgen_runtime::mock::reads::<#ty>)));
    let response = (op.response.content_type.is_none() && op.response.body.is_some()).then(|| {
        let ty = response_type(op, plan);
        quote!(docgen_runtime::mock::reads::<#ty>)
    });
    let response = option_tokens(response);
    let content_type = option_tokens(op.response.content_type.as_ref());
    let fixture = option_tokens(fixtures.contains(function).then(|| {
        let file = format!("../fixtures/{function}.json");
        quote!(include_str!(#file))
    }));
    quote! {
        #cfg
        routes.push(docgen_runtime::mock::Route {
            operation: #function,
            method: #method,
            path: #path,
            status: #status,
            request: #request,
            response: #response,
            content_type: #content_type,
            fixture: #fixture,
        });
    }
}
