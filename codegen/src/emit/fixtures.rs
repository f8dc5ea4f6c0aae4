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
use serde::Serialize;
use std::collections::BTreeMap;

/// What one operation's `fixtures/<function>.rs` is made from: plain data,
/// so that its code is built, or taken from the cache, on any thread
/// ([`checks`]).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Checks {
    /// The operation's request function: the file's and module's name.
    pub function: String,
    /// Its index in `api.endpoints`.
    pub endpoint: usize,
    /// Whether it has example bodies, and of which kinds.
    examples: bool,
    request: bool,
    response: bool,
    /// How many values the call that replays its pairs takes, when it has
    /// pairs.
    replay: Option<usize>,
}

/// The fixtures of every operation with examples, in the order of
/// `api.endpoints`: what each one's code is made from, and its finished
/// JSON file (paths relative to the crate's source root).
pub fn emit(api: &Api, plan: &Plan) -> (Vec<Checks>, Vec<SourceFile>) {
    let order: BTreeMap<&str, usize> = plan
        .endpoints
        .iter()
        .enumerate()
        .map(|(n, names)| (names.function.as_str(), n))
        .collect();
    let mut operations: BTreeMap<usize, (Checks, Fixture)> = BTreeMap::new();
    for case in examples::cases(api, plan) {
        let (checks, fixture) = entry(&mut operations, &order, &case.function);
        checks.examples = true;
        match case.case.body {
            Body::Request => checks.request = true,
            Body::Response => checks.response = true,
        }
        fixture.examples.push(case.case);
    }
    let (cases, _) = exchanges::cases(api, plan);
    for case in cases {
        let (checks, fixture) = entry(&mut operations, &order, &case.function);
        checks.replay = Some(case.exchange.arguments.len());
        fixture.exchanges.push(case.exchange);
    }
    let (checks, fixtures): (Vec<Checks>, Vec<Fixture>) = operations.into_values().unzip();
    // The data is most of the work, and plain: written on every core.
    let data = (fixtures.par_iter())
        .map(|fixture| SourceFile {
            path: format!("fixtures/{}.json", fixture.operation),
            contents: json(fixture),
        })
        .collect();
    (checks, data)
}

/// The entry of the operation whose request function is `function`, kept
/// in the order of the endpoints (`order`).
fn entry<'a>(
    operations: &'a mut BTreeMap<usize, (Checks, Fixture)>,
    order: &BTreeMap<&str, usize>,
    function: &str,
) -> &'a mut (Checks, Fixture) {
    let endpoint = order[function];
    let op = operations.entry(endpoint).or_default();
    op.0.function = function.to_owned();
    op.0.endpoint = endpoint;
    op.1.operation = function.to_owned();
    op
}

/// `fixtures/mod.rs`: a module per operation, and the two tests that run
/// all their examples.
pub fn mod_rs(operations: &[Checks]) -> TokenStream {
    let module = |op: &Checks| format_ident!("{}", op.function);
    let modules = operations.iter().map(module);
    let examples = operations.iter().filter(|op| op.examples).map(module);
    let exchanges = operations
        .iter()
        .filter(|op| op.replay.is_some())
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
pub fn checks(api: &Api, plan: &Plan, features: &Features, op: &Checks) -> TokenStream {
    let function = &op.function;
    let doc = format!(
        " The examples of `operations::{function}`: the types their bodies are checked against and the call that replays their pairs. The examples themselves are data, in `{function}.json`."
    );
    let file = format!("{function}.json");
    let cfg = features.operation_cfg(function);
    let cfg_not = features.operation_cfg_not(function);
    let endpoint = &api.endpoints[op.endpoint];
    let check = |checked: bool, body| {
        let ty = checked
            .then(|| examples::checked_type(endpoint, &plan.endpoints[op.endpoint], plan, body))
            .flatten();
        option_tokens(ty.map(|ty| quote!(docgen_runtime::conformance::round_trip::<#ty>)))
    };
    let examples = op.examples.then(|| {
        let (request, response) = (
            check(op.request, Body::Request),
            check(op.response, Body::Response),
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
    let exchanges = op.replay.map(|arguments| {
        let call = exchanges::call(op.endpoint, endpoint, plan, arguments);
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
