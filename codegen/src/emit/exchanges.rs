//! The docs' request/response example pairs as a test over real HTTP.
//!
//! For every example whose request fits its endpoint's path,
//! a small function calls the generated request function with the path
//! parameters, query and body the example shows, and an entry in a table
//! pairs it with what the example sends and answers. The runtime's
//! `loopback::run` replays the table against a server on loopback and
//! checks that exactly the example's request arrives and that its response
//! reads as the documented type. Like the round trips, the table lives in
//! the generated crate under `#[cfg(test)]`.
//!
//! The table is split by operation as the round trips' is:
//! `exchanges/<function>.rs` holds one operation's pairs and the functions
//! that replay them, and `exchanges/mod.rs` lists those modules and runs
//! their rows as one table, so editing a page changes only the exchange
//! file of the operation it documents.

use super::endpoints::{request_body_type, response_type};
use super::features::Features;
use super::names::{Case, Scope};
use super::plan::Plan;
use super::tree;
use super::types::use_type;
use crate::model::{Api, Endpoint, Example, RequestBody};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// One example pair the generated crate replays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeCase {
    /// Unique name, e.g. `create_user_example_1`.
    pub name: String,
    /// The request function it calls.
    pub function: String,
    pub file: String,
    pub line: u32,
    pub method: String,
    /// The example's path, without the service root and the query.
    pub path: String,
    /// The example's query parameters, decoded.
    pub query: Vec<(String, String)>,
    /// The example's request body: JSON, or the text of content.
    pub request: Option<String>,
    pub status: u16,
    /// The example's response body: JSON, or the text of content.
    pub response: Option<String>,
    /// The endpoint sends content: the request body is bytes.
    pub sends_content: bool,
    /// The endpoint answers content: the response is downloaded.
    pub downloads: bool,
}

/// Why an example pair is not replayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    NoRequest,
    NoResponse,
    MethodDiffers,
    /// The example's URL does not fit the endpoint's path.
    NoMatchingPath,
    /// The operation takes a body and the example sends none (or one that
    /// is not JSON), or the other way round.
    BodyMismatch,
    /// The operation returns a body and the example's response shows none
    /// (or one that is not JSON).
    NoResponseBody,
}

impl Skip {
    pub fn describe(self) -> &'static str {
        match self {
            Skip::NoRequest => "no request example",
            Skip::NoResponse => "no response example",
            Skip::MethodDiffers => "the example uses another method",
            Skip::NoMatchingPath => "the example's URL fits no documented path",
            Skip::BodyMismatch => "the example's request body and the documented one disagree",
            Skip::NoResponseBody => {
                "the documented response body is missing or not JSON in the example"
            }
        }
    }
}

/// Every replayable example pair with the call that replays it, and the
/// reasons the others are not replayed.
fn cases(api: &Api, plan: &Plan) -> (Vec<(ExchangeCase, TokenStream)>, Vec<Skip>) {
    // Names are unique across the crate, not just the operation's module:
    // the report, and `codegen conformance` reading it, tell outcomes
    // apart by name alone. The test's name stays reserved from when the
    // case functions lived beside it, so no case changes its name.
    let mut scope = Scope::with_reserved(&["docs_examples_over_http"]);
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (e, (op, names)) in api.endpoints.iter().zip(&plan.endpoints).enumerate() {
        for (n, example) in op.examples.iter().enumerate() {
            match case(e, op, plan, example) {
                Ok((mut case, call)) => {
                    let base = example
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("{} example {}", names.function, n + 1));
                    case.name = scope.claim(&base, Case::Snake);
                    out.push((case, call));
                }
                Err(skip) => skipped.push(skip),
            }
        }
    }
    (out, skipped)
}

/// The example pairs the generated crate replays for `api`, and why the
/// others are not: what `codegen conformance` reports against.
pub fn replayed(api: &Api) -> (Vec<ExchangeCase>, Vec<Skip>) {
    let (cases, skipped) = cases(api, &Plan::new(api, &super::NameLock::default()));
    (cases.into_iter().map(|(c, _)| c).collect(), skipped)
}

/// Endpoint `e` (`op`)'s example pair, replayed through the request tree.
fn case(
    e: usize,
    op: &Endpoint,
    plan: &Plan,
    example: &Example,
) -> Result<(ExchangeCase, TokenStream), Skip> {
    let names = &plan.endpoints[e];
    let request = example.request.as_ref().ok_or(Skip::NoRequest)?;
    let response = example.response.as_ref().ok_or(Skip::NoResponse)?;
    if !request.method.eq_ignore_ascii_case(op.method.as_str()) {
        return Err(Skip::MethodDiffers);
    }
    // The tree takes the path's and the required query's values; the
    // example's other query pairs are added, so that the server receives
    // exactly the example's query.
    let fit = op.path.fit(&request.url).ok_or(Skip::NoMatchingPath)?;
    let body_type = request_body_type(op, names, plan).map(|ty| match &op.request_body {
        // A collection is taken as a slice and read as a `Vec`.
        Some(RequestBody::Type(t)) if t.collection => use_type(t, plan),
        _ => ty,
    });
    let sends_content = op.sends_content();
    let downloads = op.response.content_type.is_some();
    // Content goes as its text; a JSON example body means the example and
    // the docs disagree.
    if body_type.is_some() != request.body.is_some() || (sends_content && request.body.is_some()) {
        return Err(Skip::BodyMismatch);
    }
    if (op.response.body.is_some() && response.body.is_none() && response.status != Some(204))
        || (downloads && response.body.is_some())
    {
        return Err(Skip::NoResponseBody);
    }

    let query_calls = fit.extra_query.iter().map(|(k, v)| quote!(.query(#k, #v)));
    let response_ty = response_type(op, plan);
    let call = match body_type {
        Some(ty) => {
            let request = tree::call(plan, e, &fit.values, Some(quote!(&body)));
            quote! {
                docgen_runtime::loopback::body::<#ty>(body)
                    .map(|body| #request #(#query_calls)*)
            }
        }
        None => {
            // Content goes as the example's text (none when it shows none).
            let content = sends_content
                .then(|| quote!(docgen_runtime::Content::from(body.unwrap_or_default())));
            let request = tree::call(plan, e, &fit.values, content);
            quote! {
                Ok::<docgen_runtime::Request<#response_ty>, docgen_runtime::Error>(
                    #request #(#query_calls)*
                )
            }
        }
    };
    let case = ExchangeCase {
        name: String::new(),
        function: names.function.clone(),
        file: request.source.file.clone(),
        line: request.source.line,
        method: op.method.as_str().to_owned(),
        path: fit.path,
        query: fit.query,
        request: match sends_content {
            true => request.content.clone(),
            false => request.body.clone(),
        },
        status: response.status.unwrap_or(op.response.status),
        response: match downloads {
            true => response.content.clone(),
            false => response.body.clone(),
        },
        sends_content,
        downloads,
    };
    Ok((case, call))
}

/// The `exchanges` module: `exchanges/<function>.rs` with the replayed
/// pairs of each operation that has any, and the functions that replay
/// them, in the order of `api.endpoints`; and `exchanges/mod.rs` with the
/// test that replays them all. Paths are relative to the crate's source
/// root.
pub fn emit(api: &Api, plan: &Plan, features: &Features) -> Vec<(String, TokenStream)> {
    let (cases, _) = cases(api, plan);
    // (function, replaying functions, table entries), by operation.
    let mut modules: Vec<(String, Vec<TokenStream>, Vec<TokenStream>)> = Vec::new();
    for (c, call) in cases {
        let f = format_ident!("{}", c.name);
        // The body parameter is used exactly when the example sends one,
        // or the endpoint sends content (empty when the example shows none).
        let body = match c.request.is_some() || c.sends_content {
            true => format_ident!("body"),
            false => format_ident!("_body"),
        };
        let send = match c.downloads {
            true => format_ident!("download"),
            false => format_ident!("send"),
        };
        let function = quote! {
            fn #f<'a>(
                client: &'a docgen_runtime::Client,
                #body: Option<&'static str>,
            ) -> docgen_runtime::client::BoxFuture<'a, Result<(), docgen_runtime::Error>> {
                docgen_runtime::loopback::#send(client, #call)
            }
        };
        let ExchangeCase {
            name,
            function: operation,
            file,
            line,
            method,
            path,
            query,
            request,
            status,
            response,
            ..
        } = c;
        let line = Literal::u32_unsuffixed(line);
        let status = Literal::u16_unsuffixed(status);
        let query = query.iter().map(|(k, v)| quote!((#k, #v)));
        let request = option(request);
        let response = option(response);
        let entry = quote! {
            docgen_runtime::loopback::Exchange {
                name: #name,
                file: #file,
                line: #line,
                method: #method,
                path: #path,
                query: &[#(#query),*],
                request: #request,
                status: #status,
                response: #response,
                send: #f,
            },
        };
        // Cases come operation by operation, so an operation's rows are
        // always the last group.
        match modules.last_mut() {
            Some((o, functions, entries)) if *o == operation => {
                functions.push(function);
                entries.push(entry);
            }
            _ => modules.push((operation, vec![function], vec![entry])),
        }
    }

    let idents: Vec<_> = modules
        .iter()
        .map(|(o, _, _)| format_ident!("{o}"))
        .collect();
    let mut files = vec![(
        "exchanges/mod.rs".to_owned(),
        quote! {
            //! The docs' request/response examples, replayed over loopback HTTP,
            //! one module per operation with example pairs.

            #(mod #idents;)*

            /// Every example pair whose request fits a documented path, by
            /// operation.
            const EXCHANGES: &[&[docgen_runtime::loopback::Exchange]] = &[#(#idents::EXCHANGES),*];

            #[test]
            fn docs_examples_over_http() {
                let exchanges = EXCHANGES.concat();
                let failed = docgen_runtime::loopback::run(&exchanges);
                assert_eq!(failed, 0, "{failed} of {} exchanges failed", exchanges.len());
            }
        },
    )];
    for (operation, functions, entries) in modules {
        let doc = format!(
            " The request/response example pairs of `operations::{operation}`, and the calls that replay them."
        );
        let cfg = features.operation_cfg(&operation);
        // With the operation's feature off, the table is empty.
        let fallback = features.operation_cfg_not(&operation).map(|cfg_not| {
            quote!(#cfg_not pub(super) const EXCHANGES: &[docgen_runtime::loopback::Exchange] = &[];)
        });
        files.push((
            format!("exchanges/{operation}.rs"),
            quote! {
                #![doc = #doc]

                #cfg
                pub(super) const EXCHANGES: &[docgen_runtime::loopback::Exchange] = &[#(#entries)*];
                #fallback

                #(#cfg #functions)*
            },
        ));
    }
    files
}

fn option(s: Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}
