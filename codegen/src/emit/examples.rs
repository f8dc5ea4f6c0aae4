//! The docs' example bodies, each with the type it documents.
//!
//! For every example body the docs give (request or response) whose type
//! the operation declares (any-JSON types excluded: nothing to check), a
//! case pairs the JSON with the Rust type whose round trip checks it.
//! `emit::fixtures` writes the cases as data and the checks as code.

use super::endpoints::{request_body_type, response_type};
use super::names::{Case, Scope};
use super::plan::{EndpointNames, Plan};
use super::types::use_type;
use crate::model::{Api, Endpoint, Primitive, RequestBody, TypeRef, TypeUse};
use docgen_runtime::conformance::Body;
use proc_macro2::TokenStream;
use rayon::prelude::*;

/// One example body that the generated crate checks, with the request
/// function of the operation it documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleCase {
    pub function: String,
    pub case: docgen_runtime::conformance::ExampleCase,
}

/// Every checked example: each example body whose operation documents its
/// type ([`checked_type`]).
pub fn cases(api: &Api, plan: &Plan) -> Vec<ExampleCase> {
    // Each endpoint's cases are found on any thread; their names, unique
    // crate-wide, are then given in endpoint order.
    let found: Vec<Vec<(String, ExampleCase)>> = (api.endpoints.par_iter())
        .zip(&plan.endpoints)
        .map(|(op, names)| endpoint_cases(op, names, plan))
        .collect();
    let mut scope = Scope::default();
    (found.into_iter().flatten())
        .map(|(base, mut case)| {
            case.case.name = scope.claim(&base, Case::Snake);
            case
        })
        .collect()
}

/// `op`'s checked example bodies, each with the name to claim for it.
fn endpoint_cases(op: &Endpoint, names: &EndpointNames, plan: &Plan) -> Vec<(String, ExampleCase)> {
    let mut out = Vec::new();
    // Whether each kind of body is checked, found once per endpoint.
    let (mut request, mut response) = (None, None);
    let mut checked = |body| match body {
        Body::Request => {
            *request.get_or_insert_with(|| checked_type(op, names, plan, body).is_some())
        }
        Body::Response => {
            *response.get_or_insert_with(|| checked_type(op, names, plan, body).is_some())
        }
    };
    for (n, example) in op.examples.iter().enumerate() {
        let base = example
            .name
            .clone()
            .unwrap_or_else(|| format!("{} example {}", names.function, n + 1));
        let bodies = [
            (
                Body::Request,
                "request",
                example.request.as_ref().map(|r| (&r.body, &r.source)),
            ),
            (
                Body::Response,
                "response",
                example.response.as_ref().map(|r| (&r.body, &r.source)),
            ),
        ];
        for (kind, label, read) in bodies {
            if let Some((Some(json), source)) = read
                && checked(kind)
            {
                let case = ExampleCase {
                    function: names.function.clone(),
                    case: docgen_runtime::conformance::ExampleCase {
                        name: String::new(),
                        file: source.file.clone(),
                        line: source.line,
                        body: kind,
                        json: json.clone(),
                    },
                };
                out.push((format!("{base} {label}"), case));
            }
        }
    }
    out
}

/// The Rust type `op`'s request or response bodies are checked against;
/// none when the body is any JSON (or, for a request, not a typed body).
pub fn checked_type(
    op: &Endpoint,
    names: &EndpointNames,
    plan: &Plan,
    body: Body,
) -> Option<TokenStream> {
    match body {
        Body::Request => match &op.request_body {
            Some(RequestBody::Type(t)) if is_untyped(t) => None,
            // A collection body is a JSON array: a `Vec`, not a slice.
            Some(RequestBody::Type(t)) if t.collection => Some(use_type(t, plan)),
            _ => request_body_type(op, names, plan),
        },
        Body::Response => (op.response.body.as_ref())
            .is_some_and(|t| !is_untyped(t))
            .then(|| response_type(op, plan)),
    }
}

/// Any JSON reads as `serde_json::Value`: a check against it cannot fail,
/// so such bodies count as unchecked, not as passes.
fn is_untyped(t: &TypeUse) -> bool {
    t.ty == TypeRef::Primitive(Primitive::Untyped)
}
