//! The docs' examples as a test of the generated types.
//!
//! For every example body the docs give (request or response) whose type
//! the operation declares (any-JSON types excluded: nothing to check), an
//! entry in a table pairs the JSON with
//! `round_trip::<T>`. One test runs the table and reports each failure with
//! its page and line. The table lives in the generated crate itself
//! (`#[cfg(test)]`), so it runs with the crate's `cargo test`, costs users
//! nothing, and serves `codegen conformance` through the runtime's report.
//!
//! Every example body belongs to an operation, so the table is split by
//! operation: `examples/<function>.rs` holds the rows of one operation (with
//! the page lines they were read from), and `examples/mod.rs` only lists
//! those modules and runs their rows as one table. Editing a page then
//! changes the example file of the operation it documents and no other.

use super::endpoints::{request_body_type, response_type};
use super::features::Features;
use super::names::{Case, Scope};
use super::plan::Plan;
use super::types::use_type;
use crate::model::{Api, Primitive, RequestBody, TypeRef, TypeUse};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// One example body that the generated crate checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleCase {
    /// Unique name, e.g. `create_user_request`.
    pub name: String,
    /// The request function of the operation it documents, also the name
    /// of the module that holds it.
    pub function: String,
    pub file: String,
    pub line: u32,
    pub json: String,
}

/// Every checked example, with the Rust type it is checked against.
pub fn cases(api: &Api, plan: &Plan) -> Vec<(ExampleCase, TokenStream)> {
    let mut scope = Scope::default();
    let mut out = Vec::new();
    for (op, names) in api.endpoints.iter().zip(&plan.endpoints) {
        for (n, example) in op.examples.iter().enumerate() {
            let base = example
                .name
                .clone()
                .unwrap_or_else(|| format!("{} example {}", names.function, n + 1));
            if let Some(req) = &example.request
                && let Some(body) = &req.body
            {
                let ty = match &op.request_body {
                    Some(RequestBody::Type(t)) if is_untyped(t) => None,
                    // A collection body is a JSON array: a `Vec`, not a slice.
                    Some(RequestBody::Type(t)) if t.collection => Some(use_type(t, plan)),
                    _ => request_body_type(op, names, plan),
                };
                if let Some(ty) = ty {
                    let case = ExampleCase {
                        name: scope.claim(&format!("{base} request"), Case::Snake),
                        function: names.function.clone(),
                        file: req.source.file.clone(),
                        line: req.source.line,
                        json: body.clone(),
                    };
                    out.push((case, ty));
                }
            }
            if let Some(resp) = &example.response
                && let Some(body) = &resp.body
                && op.response.body.as_ref().is_some_and(|t| !is_untyped(t))
            {
                let case = ExampleCase {
                    name: scope.claim(&format!("{base} response"), Case::Snake),
                    function: names.function.clone(),
                    file: resp.source.file.clone(),
                    line: resp.source.line,
                    json: body.clone(),
                };
                out.push((case, response_type(op, plan)));
            }
        }
    }
    out
}

/// Any JSON reads as `serde_json::Value`: a check against it cannot fail,
/// so such bodies count as unchecked, not as passes.
fn is_untyped(t: &TypeUse) -> bool {
    t.ty == TypeRef::Primitive(Primitive::Untyped)
}

/// The `examples` module: `examples/<function>.rs` with the rows of each
/// operation that has checked examples, in the order of `api.endpoints`,
/// and `examples/mod.rs` with the test that runs them all. Paths are
/// relative to the crate's source root.
pub fn emit(api: &Api, plan: &Plan, features: &Features) -> Vec<(String, TokenStream)> {
    let mut modules: Vec<(String, Vec<TokenStream>)> = Vec::new();
    for (c, ty) in cases(api, plan) {
        let ExampleCase {
            name,
            function,
            file,
            line,
            json,
        } = c;
        let line = proc_macro2::Literal::u32_unsuffixed(line);
        let entry = quote! {
            docgen_runtime::conformance::Example {
                name: #name,
                file: #file,
                line: #line,
                json: #json,
                check: docgen_runtime::conformance::round_trip::<#ty>,
            },
        };
        // Cases come operation by operation, so an operation's rows are
        // always the last group.
        match modules.last_mut() {
            Some((f, entries)) if *f == function => entries.push(entry),
            _ => modules.push((function, vec![entry])),
        }
    }

    let idents: Vec<_> = modules.iter().map(|(f, _)| format_ident!("{f}")).collect();
    let mut files = vec![(
        "examples/mod.rs".to_owned(),
        quote! {
            //! Round trips of the docs' example bodies through the generated types,
            //! one module per operation with examples.

            #(mod #idents;)*

            /// Every example body the docs give, with the type it documents,
            /// by operation.
            const EXAMPLES: &[&[docgen_runtime::conformance::Example]] = &[#(#idents::EXAMPLES),*];

            #[test]
            fn docs_examples_round_trip() {
                let examples = EXAMPLES.concat();
                let failed = docgen_runtime::conformance::run(&examples);
                assert_eq!(failed, 0, "{failed} of {} examples did not round-trip", examples.len());
            }
        },
    )];
    for (function, entries) in modules {
        let doc = format!(
            " The example bodies of `operations::{function}`, with the type each documents."
        );
        let cfg = features.operation_cfg(&function);
        // With the operation's feature off, the table is empty.
        let fallback = features.operation_cfg_not(&function).map(|cfg_not| {
            quote!(#cfg_not pub(super) const EXAMPLES: &[docgen_runtime::conformance::Example] = &[];)
        });
        files.push((
            format!("examples/{function}.rs"),
            quote! {
                #![doc = #doc]

                #cfg
                pub(super) const EXAMPLES: &[docgen_runtime::conformance::Example] = &[#(#entries)*];
                #fallback
            },
        ));
    }
    files
}
