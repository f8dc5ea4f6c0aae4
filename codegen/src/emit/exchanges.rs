//! The docs' request/response example pairs, each with the call that
//! replays it.
//!
//! For every example whose request fits its endpoint's path, a case holds
//! what the example sends and answers and the values the call passes
//! (path placeholders, required query parameters, added query pairs), and
//! the operation has one call that replays any of its cases through the
//! request tree, taking those values from the case. The runtime's
//! `loopback::run` replays them against a server on loopback and checks
//! that exactly the example's request arrives and that its response reads
//! as the documented type. `emit::fixtures` writes the cases as data and
//! the calls as code.

use super::endpoints::{request_body_type, response_type};
use super::names::{Case, Scope};
use super::plan::Plan;
use super::tree;
use super::types::use_type;
use crate::model::{Api, Endpoint, Example, RequestBody};
use docgen_runtime::conformance::Exchange;
use proc_macro2::TokenStream;
use quote::quote;
use rayon::prelude::*;

/// One example pair the generated crate replays, with the request function
/// of the operation it documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeCase {
    pub function: String,
    pub exchange: Exchange,
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

/// Every replayable example pair, and the reasons the others are not
/// replayed. One call replays all pairs of an operation ([`call`]).
pub fn cases(api: &Api, plan: &Plan) -> (Vec<ExchangeCase>, Vec<Skip>) {
    // Each endpoint's pairs are found on any thread, and named in order.
    let found: Vec<Vec<Result<(String, ExchangeCase), Skip>>> = (api.endpoints.par_iter())
        .zip(&plan.endpoints)
        .enumerate()
        .map(|(e, (op, names))| {
            let takes_body = !op.examples.is_empty() && body_type(e, op, plan).is_some();
            (op.examples.iter().enumerate())
                .map(|(n, example)| {
                    let case = case(e, op, plan, example, takes_body)?;
                    let base = example
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("{} example {}", names.function, n + 1));
                    Ok((base, case))
                })
                .collect()
        })
        .collect();
    // Names are unique across the crate, not just the operation's module:
    // the report, and `codegen conformance` reading it, tell outcomes
    // apart by name alone. The test's name stays reserved from when the
    // case functions lived beside it, so no case changes its name.
    let mut scope = Scope::with_reserved(&["docs_examples_over_http"]);
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for found in found.into_iter().flatten() {
        match found {
            Ok((base, mut case)) => {
                case.exchange.name = scope.claim(&base, Case::Snake);
                out.push(case);
            }
            Err(skip) => skipped.push(skip),
        }
    }
    (out, skipped)
}

/// The example pairs the generated crate replays for `api`, and why the
/// others are not: what `codegen conformance` reports against.
pub fn replayed(api: &Api) -> (Vec<ExchangeCase>, Vec<Skip>) {
    cases(api, &Plan::new(api, &super::NameLock::default()))
}

/// Endpoint `e` (`op`)'s example pair, if it can be replayed through the
/// request tree; `takes_body` says whether the endpoint takes a JSON body.
fn case(
    e: usize,
    op: &Endpoint,
    plan: &Plan,
    example: &Example,
    takes_body: bool,
) -> Result<ExchangeCase, Skip> {
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
    let sends_content = op.sends_content();
    let downloads = op.response.content_type.is_some();
    // Content goes as its text; a JSON example body means the example and
    // the docs disagree.
    if takes_body != request.body.is_some() || (sends_content && request.body.is_some()) {
        return Err(Skip::BodyMismatch);
    }
    if (op.response.body.is_some() && response.body.is_none() && response.status != Some(204))
        || (downloads && response.body.is_some())
    {
        return Err(Skip::NoResponseBody);
    }

    let case = ExchangeCase {
        function: names.function.clone(),
        exchange: Exchange {
            name: String::new(),
            file: request.source.file.clone(),
            line: request.source.line,
            method: op.method.as_str().to_owned(),
            path: fit.path,
            query: fit.query,
            request: match sends_content {
                true => request.content.clone(),
                false => request.body.clone(),
            },
            arguments: fit.values,
            extra_query: fit.extra_query,
            status: response.status.unwrap_or(op.response.status),
            response: match downloads {
                true => response.content.clone(),
                false => response.body.clone(),
            },
            response_headers: response.headers.clone(),
        },
    };
    Ok(case)
}

/// The call that replays endpoint `e`'s pairs, taking the `arguments`
/// values of its path and query from the case being replayed.
pub fn call(e: usize, op: &Endpoint, plan: &Plan, arguments: usize) -> TokenStream {
    // The values come from the case, so that one call serves every pair of
    // the operation.
    let arguments: Vec<TokenStream> = (0..arguments)
        .map(|n| {
            let n = proc_macro2::Literal::usize_unsuffixed(n);
            quote!(case.argument(#n))
        })
        .collect();
    let response_ty = response_type(op, plan);
    let call = match body_type(e, op, plan) {
        Some(ty) => {
            let request = tree::call(plan, e, &arguments, Some(quote!(&body)));
            quote! {
                case.body::<#ty>().map(|body| case.with_query(#request))
            }
        }
        None => {
            // Content goes as the example's text (none when it shows none).
            let content = op.sends_content().then(|| quote!(case.content()));
            let request = tree::call(plan, e, &arguments, content);
            quote! {
                Ok::<docgen_runtime::Request<#response_ty>, docgen_runtime::Error>(
                    case.with_query(#request)
                )
            }
        }
    };
    let send = match op.response.content_type.is_some() {
        true => quote!(download),
        false => quote!(send),
    };
    quote!(docgen_runtime::loopback::#send(client, #call))
}

/// The type of endpoint `e`'s request body, as the call passes it.
fn body_type(e: usize, op: &Endpoint, plan: &Plan) -> Option<TokenStream> {
    request_body_type(op, &plan.endpoints[e], plan).map(|ty| match &op.request_body {
        // A collection is taken as a slice and read as a `Vec`.
        Some(RequestBody::Type(t)) if t.collection => use_type(t, plan),
        _ => ty,
    })
}
