//! The replay check fails when the request differs from the example.

use docgen_runtime::client::BoxFuture;
use docgen_runtime::loopback::{Exchange, run};
use docgen_runtime::{Client, Error, Method, NoContent, PathPart, Request, build_path};
use serde_json::json;

fn exchange(
    path: &'static str,
    request: Option<&'static str>,
    send: docgen_runtime::loopback::Replay,
) -> Exchange {
    Exchange {
        name: "case",
        file: "api/case.md",
        line: 1,
        method: "PATCH",
        path,
        query: &[],
        request,
        status: 204,
        response: None,
        send,
    }
}

fn update<'a>(client: &'a Client, _: Option<&'static str>) -> BoxFuture<'a, Result<(), Error>> {
    // Leaves out the member the example clears with `null`.
    let request = Request::<NoContent>::new(Method::Patch, "/users/1".into())
        .json(&json!({"displayName": "A"}));
    docgen_runtime::loopback::send(client, Ok(request))
}

fn encoded_slash<'a>(
    client: &'a Client,
    _: Option<&'static str>,
) -> BoxFuture<'a, Result<(), Error>> {
    let path = build_path(&[PathPart::Literal("/users/"), PathPart::Param("a/b")]);
    let request = Request::<NoContent>::new(Method::Patch, path);
    docgen_runtime::loopback::send(client, Ok(request))
}

#[test]
fn a_missing_null_member_or_an_encoded_slash_fails_the_replay() {
    let body = Some(r#"{"displayName": "A", "mobilePhone": null}"#);
    assert_eq!(run(&[exchange("/users/1", body, update)]), 1);
    assert_eq!(run(&[exchange("/users/a/b", None, encoded_slash)]), 1);
    // The same request against what it really sends passes.
    assert_eq!(
        run(&[exchange(
            "/users/1",
            Some(r#"{"displayName": "A"}"#),
            update
        )]),
        0
    );
    assert_eq!(run(&[exchange("/users/a%2Fb", None, encoded_slash)]), 0);
}
