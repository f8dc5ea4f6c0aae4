//! The docs' examples as data beside the crate, and the little code that
//! checks them.
//!
//! Example bodies and pairs are mostly JSON text. Written into Rust string
//! literals they were almost half of the emitted code, and syn unescaped
//! and prettyplease escaped every byte of them again. Here each operation
//! with examples gets two files:
//!
//! - `fixtures/<function>.json`: its example bodies ([`examples`]) and
//!   pairs ([`exchanges`]), a `docgen_runtime::conformance::Fixture`
//!   written by serde_json, which the runtime reads back in the tests;
//! - `fixtures/<function>.rs`: what only code can say: the round trips of
//!   the types its bodies document, and the one call through the request
//!   tree that replays any of its pairs.
//!
//! `fixtures/mod.rs` lists the operations and runs them as two tests, and
//! with the `mock` feature a third, which replays the pairs against the
//! crate's mock Graph. It
//! all lives in the generated crate under `#[cfg(test)]`, so it runs with
//! the crate's `cargo test`, costs users nothing, and serves
//! `codegen conformance` through the runtime's reports. Editing a page
//! changes the fixture of the operation it documents and no other file.

use super::features::Features;
use super::plan::Plan;
use super::{SourceFile, examples, exchanges, marker_line, option_tokens};
use crate::model::Api;
use docgen_runtime::conformance::{Body, Fixture};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// One operation's fixture and the code its tests need.
#[derive(Default)]
struct Operation {
    fixture: Fixture,
    /// The round trip of the documented request body type, if any body is
    /// checked.
    request: Option<TokenStream>,
    response: Option<TokenStream>,
    /// The call that replays the operation's pairs.
    replay: Option<TokenStream>,
}

/// The fixtures of every operation with examples, as `(path, tokens)` for
/// the Rust files and finished JSON files, in the order of `api.endpoints`
/// (`mod.rs` first). Paths are relative to the crate's source root.
pub fn emit(
    api: &Api,
    plan: &Plan,
    features: &Features,
) -> (Vec<(String, TokenStream)>, Vec<SourceFile>) {
    let order: BTreeMap<&str, usize> = plan
        .endpoints
        .iter()
        .enumerate()
        .map(|(n, names)| (names.function.as_str(), n))
        .collect();
    let mut operations: BTreeMap<usize, Operation> = BTreeMap::new();
    for (case, ty) in examples::cases(api, plan) {
        let op = entry(&mut operations, &order, &case.function);
        let check = Some(quote!(docgen_runtime::conformance::round_trip::<#ty>));
        match case.case.body {
            Body::Request => op.request = check,
            Body::Response => op.response = check,
        }
        op.fixture.examples.push(case.case);
    }
    let (cases, _) = exchanges::cases(api, plan);
    for (case, call) in cases {
        let op = entry(&mut operations, &order, &case.function);
        op.replay = Some(call);
        op.fixture.exchanges.push(case.exchange);
    }

    let operations: Vec<Operation> = operations.into_values().collect();
    let mut code = vec![("fixtures/mod.rs".to_owned(), mod_rs(&operations))];
    for op in &operations {
        let function = &op.fixture.operation;
        code.push((format!("fixtures/{function}.rs"), checks(op, features)));
    }
    // The data is most of the work, and plain: written on every core.
    let fixtures: Vec<&Fixture> = operations.iter().map(|op| &op.fixture).collect();
    let data = (fixtures.par_iter())
        .map(|fixture| SourceFile {
            path: format!("fixtures/{}.json", fixture.operation),
            contents: json(fixture),
        })
        .collect();
    (code, data)
}

/// The entry of the operation whose request function is `function`, kept
/// in the order of the endpoints (`order`).
fn entry<'a>(
    operations: &'a mut BTreeMap<usize, Operation>,
    order: &BTreeMap<&str, usize>,
    function: &str,
) -> &'a mut Operation {
    let op = operations.entry(order[function]).or_default();
    op.fixture.operation = function.to_owned();
    op
}

/// `fixtures/mod.rs`: a module per operation, and the two tests that run
/// all their examples.
fn mod_rs(operations: &[Operation]) -> TokenStream {
    let module = |op: &Operation| format_ident!("{}", op.fixture.operation);
    let modules = operations.iter().map(module);
    let examples = operations
        .iter()
        .filter(|op| !op.fixture.examples.is_empty())
        .map(module);
    let exchanges = operations
        .iter()
        .filter(|op| !op.fixture.exchanges.is_empty())
        .map(module);
    quote! {
        //! The docs' examples: a fixture per operation (`<function>.json`,
        //! the example bodies and request/response pairs as data) and the
        //! checks and calls that test the crate with them (`<function>.rs`).

        #(mod #modules;)*

        /// The example bodies of every operation, with the types they document.
        const EXAMPLES: &[&[docgen_runtime::conformance::Examples]] = &[#(#examples::EXAMPLES),*];

        /// The example pairs of every operation, with the call that replays them.
        const EXCHANGES: &[&[docgen_runtime::loopback::Exchanges]] = &[#(#exchanges::EXCHANGES),*];

        #[test]
        fn docs_examples_round_trip() {
            let failed = docgen_runtime::conformance::run(&EXAMPLES.concat());
            assert_eq!(failed, 0, "{failed} examples did not round-trip");
        }

        #[test]
        fn docs_examples_over_http() {
            let failed = docgen_runtime::loopback::run(&EXCHANGES.concat());
            assert_eq!(failed, 0, "{failed} exchanges failed");
        }

        #[cfg(feature = "mock")]
        #[test]
        fn docs_examples_from_the_mock() {
            let failed = docgen_runtime::loopback::run_mock::<crate::mock::Graph>(&EXCHANGES.concat());
            assert_eq!(failed, 0, "{failed} exchanges failed on the mock");
        }
    }
}

/// `fixtures/<function>.rs`: the operation's fixture with the round trips
/// of its body types and the call that replays its pairs. With the
/// operation's feature off, its lists are empty.
fn checks(op: &Operation, features: &Features) -> TokenStream {
    let function = &op.fixture.operation;
    let doc = format!(
        " The examples of `operations::{function}`: the types their bodies are checked against and the call that replays their pairs. The examples themselves are data, in `{function}.json`."
    );
    let file = format!("{function}.json");
    let cfg = features.operation_cfg(function);
    let cfg_not = features.operation_cfg_not(function);
    let examples = (!op.fixture.examples.is_empty()).then(|| {
        let (request, response) = (
            option_tokens(op.request.as_ref()),
            option_tokens(op.response.as_ref()),
        );
        let fallback = cfg_not.as_ref().map(|cfg_not| {
            quote!(#cfg_not pub(super) const EXAMPLES: &[docgen_runtime::conformance::Examples] = &[];)
        });
        quote! {
            #cfg
            pub(super) const EXAMPLES: &[docgen_runtime::conformance::Examples] = &[
                docgen_runtime::conformance::Examples {
                    operation: #function,
                    fixture: FIXTURE,
                    request: #request,
                    response: #response,
                },
            ];
            #fallback
        }
    });
    let exchanges = op.replay.as_ref().map(|call| {
        let fallback = cfg_not.as_ref().map(|cfg_not| {
            quote!(#cfg_not pub(super) const EXCHANGES: &[docgen_runtime::loopback::Exchanges] = &[];)
        });
        quote! {
            #cfg
            pub(super) const EXCHANGES: &[docgen_runtime::loopback::Exchanges] = &[
                docgen_runtime::loopback::Exchanges {
                    operation: #function,
                    fixture: FIXTURE,
                    replay,
                },
            ];
            #fallback

            #cfg
            fn replay<'a>(
                client: &'a docgen_runtime::Client,
                case: &'a docgen_runtime::loopback::Exchange,
            ) -> docgen_runtime::client::BoxFuture<'a, Result<(), docgen_runtime::Error>> {
                #call
            }
        }
    });
    quote! {
        #![doc = #doc]

        #cfg
        const FIXTURE: &str = include_str!(#file);

        #examples
        #exchanges
    }
}

/// A fixture's text: pretty JSON whose first line carries the generated
/// file marker, as the writer recognises it (`{"@generated": "…",`).
fn json(fixture: &Fixture) -> String {
    let body = serde_json::to_string_pretty(fixture).expect("a fixture always serialises");
    let marker = marker_line("json").expect("JSON files carry the marker");
    // `body` is an object: `{` then its members.
    format!("{marker}{}\n", &body[1..])
}
