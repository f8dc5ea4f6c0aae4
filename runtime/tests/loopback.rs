//! The replay check fails when the request differs from the example.

use docgen_runtime::client::BoxFuture;
use docgen_runtime::loopback::{Exchange, Exchanges, Replay};
use docgen_runtime::{Client, Error, Method, NoContent, PathPart, Request, build_path};
use serde_json::json;

fn exchange(path: &str, request: Option<&str>) -> Exchange {
    Exchange {
        name: "case".to_owned(),
        file: "api/case.md".to_owned(),
        line: 1,
        method: "PATCH".to_owned(),
        path: path.to_owned(),
        query: Vec::new(),
        request: request.map(str::to_owned),
        arguments: Vec::new(),
        extra_query: Vec::new(),
        status: 204,
        response: None,
        response_headers: Vec::new(),
    }
}

/// Replays `exchange` with `replay`, as a fixture of its own.
fn run(exchange: Exchange, replay: Replay) -> usize {
    let fixture = json!({ "operation": "case", "exchanges": [exchange] })
        .to_string()
        .leak();
    docgen_runtime::loopback::run(&[Exchanges {
        operation: "case",
        fixture,
        replay,
    }])
}

fn update<'a>(client: &'a Client, _: &'a Exchange) -> BoxFuture<'a, Result<(), Error>> {
    // Leaves out the member the example clears with `null`.
    let request = Request::<NoContent>::new(Method::Patch, "/users/1".into())
        .json(&json!({"displayName": "A"}));
    docgen_runtime::loopback::send(client, Ok(request))
}

fn encoded_slash<'a>(client: &'a Client, _: &'a Exchange) -> BoxFuture<'a, Result<(), Error>> {
    let path = build_path(&[PathPart::Literal("/users/"), PathPart::Param("a/b")]);
    let request = Request::<NoContent>::new(Method::Patch, path);
    docgen_runtime::loopback::send(client, Ok(request))
}

#[test]
fn a_missing_null_member_or_an_encoded_slash_fails_the_replay() {
    let body = Some(r#"{"displayName": "A", "mobilePhone": null}"#);
    assert_eq!(run(exchange("/users/1", body), update), 1);
    assert_eq!(run(exchange("/users/a/b", None), encoded_slash), 1);
    // The same request against what it really sends passes.
    assert_eq!(
        run(
            exchange("/users/1", Some(r#"{"displayName": "A"}"#)),
            update
        ),
        0
    );
    assert_eq!(run(exchange("/users/a%2Fb", None), encoded_slash), 0);
}

fn put_photo<'a>(client: &'a Client, exchange: &'a Exchange) -> BoxFuture<'a, Result<(), Error>> {
    let request = Request::<NoContent>::new(Method::Put, "/me/photo/$value".into())
        .content(exchange.content(), "image/jpeg");
    docgen_runtime::loopback::send(client, Ok(request))
}

fn put_other_photo<'a>(client: &'a Client, _: &'a Exchange) -> BoxFuture<'a, Result<(), Error>> {
    let request = Request::<NoContent>::new(Method::Put, "/me/photo/$value".into())
        .content(docgen_runtime::Content::from("another image"), "image/jpeg");
    docgen_runtime::loopback::send(client, Ok(request))
}

fn get_file<'a>(client: &'a Client, _: &'a Exchange) -> BoxFuture<'a, Result<(), Error>> {
    let request =
        Request::<docgen_runtime::Binary>::new(Method::Get, "/me/drive/items/1/content".into());
    docgen_runtime::loopback::download(client, Ok(request))
}

fn get_file_as_json<'a>(client: &'a Client, _: &'a Exchange) -> BoxFuture<'a, Result<(), Error>> {
    let request = Request::<NoContent>::new(Method::Get, "/me/drive/items/1/content".into());
    docgen_runtime::loopback::send(client, Ok(request))
}

#[test]
fn content_is_compared_byte_for_byte_and_a_redirect_must_be_followed() {
    let photo = Exchange {
        method: "PUT".to_owned(),
        ..exchange("/me/photo/$value", Some("the image"))
    };
    assert_eq!(run(photo.clone(), put_photo), 0);
    assert_eq!(run(photo, put_other_photo), 1);
    let download = Exchange {
        method: "GET".to_owned(),
        status: 302,
        response: Some("the file".to_owned()),
        ..exchange("/me/drive/items/1/content", None)
    };
    assert_eq!(run(download.clone(), get_file), 0);
    // Read as JSON, the file behind the redirect is no `NoContent`.
    assert_eq!(run(download, get_file_as_json), 1);
}

fn by_argument<'a>(client: &'a Client, exchange: &'a Exchange) -> BoxFuture<'a, Result<(), Error>> {
    let path = build_path(&[
        PathPart::Literal("/users/"),
        PathPart::Param(exchange.argument(0)),
    ]);
    let request = exchange.with_query(Request::<NoContent>::new(Method::Get, path));
    docgen_runtime::loopback::send(client, Ok(request))
}

#[test]
fn a_fixture_gives_the_call_its_values_and_a_broken_fixture_fails() {
    let get = Exchange {
        method: "GET".to_owned(),
        query: vec![("$select".to_owned(), "id".to_owned())],
        arguments: vec!["42".to_owned()],
        extra_query: vec![("$select".to_owned(), "id".to_owned())],
        ..exchange("/users/42", None)
    };
    assert_eq!(run(get.clone(), by_argument), 0);
    // Without its argument, the call sends another path.
    assert_eq!(
        run(
            Exchange {
                arguments: Vec::new(),
                ..get.clone()
            },
            by_argument
        ),
        1
    );
    // Without the pair it adds, another query.
    assert_eq!(
        run(
            Exchange {
                extra_query: Vec::new(),
                ..get
            },
            by_argument
        ),
        1
    );
    let truncated = Exchanges {
        operation: "case",
        fixture: r#"{"exchanges": [{"name": "#,
        replay: by_argument,
    };
    assert_eq!(docgen_runtime::loopback::run(&[truncated]), 1);
}
