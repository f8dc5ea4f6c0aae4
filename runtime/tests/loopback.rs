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

fn put_photo<'a>(
    client: &'a Client,
    body: Option<&'static str>,
) -> BoxFuture<'a, Result<(), Error>> {
    let request = Request::<NoContent>::new(Method::Put, "/me/photo/$value".into()).content(
        docgen_runtime::Content::from(body.unwrap_or_default()),
        "image/jpeg",
    );
    docgen_runtime::loopback::send(client, Ok(request))
}

fn put_other_photo<'a>(
    client: &'a Client,
    _: Option<&'static str>,
) -> BoxFuture<'a, Result<(), Error>> {
    put_photo(client, Some("another image"))
}

fn get_file<'a>(client: &'a Client, _: Option<&'static str>) -> BoxFuture<'a, Result<(), Error>> {
    let request =
        Request::<docgen_runtime::Binary>::new(Method::Get, "/me/drive/items/1/content".into());
    docgen_runtime::loopback::download(client, Ok(request))
}

fn get_file_as_json<'a>(
    client: &'a Client,
    _: Option<&'static str>,
) -> BoxFuture<'a, Result<(), Error>> {
    let request = Request::<NoContent>::new(Method::Get, "/me/drive/items/1/content".into());
    docgen_runtime::loopback::send(client, Ok(request))
}

#[test]
fn content_is_compared_byte_for_byte_and_a_redirect_must_be_followed() {
    let photo = |send| Exchange {
        method: "PUT",
        ..exchange("/me/photo/$value", Some("the image"), send)
    };
    assert_eq!(run(&[photo(put_photo)]), 0);
    assert_eq!(run(&[photo(put_other_photo)]), 1);
    let download = |send| Exchange {
        method: "GET",
        status: 302,
        response: Some("the file"),
        ..exchange("/me/drive/items/1/content", None, send)
    };
    assert_eq!(run(&[download(get_file)]), 0);
    // Read as JSON, the file behind the redirect is no `NoContent`.
    assert_eq!(run(&[download(get_file_as_json)]), 1);
}
