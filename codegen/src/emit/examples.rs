//! The docs' examples as tests of the generated types.
//!
//! For every example body the docs give (request or response), a test
//! deserialises it into the type the operation declares and checks that it
//! serialises back unchanged. The tests live in the generated crate itself
//! (`#[cfg(test)]`), so they run with its `cargo test` and cost users nothing.

use super::docs;
use super::names::{Case, Scope};
use super::operations::response_type;
use super::plan::Plan;
use super::types::use_type;
use crate::model::{Api, RequestBody};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit(api: &Api, plan: &Plan) -> TokenStream {
    let mut scope = Scope::default();
    let mut tests = Vec::new();
    for (op, names) in api.operations.iter().zip(&plan.operations) {
        for (n, example) in op.examples.iter().enumerate() {
            let base = example
                .name
                .clone()
                .unwrap_or_else(|| format!("{} example {}", names.function, n + 1));
            if let Some(req) = &example.request
                && let Some(body) = &req.body
            {
                let ty = match (&op.request_body, &names.body) {
                    (Some(RequestBody::Type(t)), _) => Some(use_type(t, plan)),
                    (Some(RequestBody::Parameters { .. }), Some(b)) => {
                        let b = format_ident!("{b}");
                        Some(quote!(crate::operations::#b))
                    }
                    _ => None,
                };
                if let Some(ty) = ty {
                    let name =
                        format_ident!("{}", scope.claim(&format!("{base} request"), Case::Snake));
                    tests.push(test(&name, &ty, body, &req.source.file, req.source.line));
                }
            }
            if let Some(resp) = &example.response
                && let Some(body) = &resp.body
                && op.response.body.is_some()
            {
                let ty = response_type(op, plan);
                let name =
                    format_ident!("{}", scope.claim(&format!("{base} response"), Case::Snake));
                tests.push(test(&name, &ty, body, &resp.source.file, resp.source.line));
            }
        }
    }
    quote! {
        //! Round trips of the docs' example bodies through the generated types.
        use docgen_runtime::conformance::round_trip;
        #(#tests)*
    }
}

fn test(
    name: &proc_macro2::Ident,
    ty: &TokenStream,
    json: &str,
    file: &str,
    line: u32,
) -> TokenStream {
    let docs = docs::attrs([format!("The example at `{file}` line {line}.")]);
    quote! {
        #docs
        #[test]
        fn #name() {
            assert_eq!(round_trip::<#ty>(#json), Ok(()));
        }
    }
}
