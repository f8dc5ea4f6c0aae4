//! The mock Graph over real loopback HTTP, driven by the client: routes
//! written by hand here stand in for a generated crate's.

use docgen_runtime::client::{RetryPolicy, StaticToken};
use docgen_runtime::mock::{Answered, Api, Route, Server, reads};
use docgen_runtime::{Binary, Client, Collection, Error, Method, NoContent, Request};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account_enabled: Option<bool>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Message {
    subject: String,
}

#[derive(Serialize, Deserialize)]
struct SendMail {
    message: Message,
}

/// A type no JSON value reads as.
#[derive(Debug)]
struct Unreadable;

impl<'de> Deserialize<'de> for Unreadable {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom("never"))
    }
}

const USERS_LIST: &str = r#"{"operation": "users_list", "exchanges": [
  {"name": "list", "file": "api/user-list.md", "line": 9, "method": "GET", "path": "/users",
   "query": [], "request": null, "arguments": [], "extra_query": [], "status": 200,
   "response": "{\"value\": [{\"id\": \"1\"}, {\"id\": \"2\"}, {\"id\": \"3\"}, {\"id\": \"4\"}, {\"id\": \"5\"}], \"@odata.nextLink\": \"https://graph.microsoft.com/v1.0/users?$skiptoken=docs\"}"},
  {"name": "list_top", "file": "api/user-list.md", "line": 30, "method": "GET", "path": "/users",
   "query": [["$top", "1"]], "request": null, "arguments": [], "extra_query": [], "status": 200,
   "response": "{\"value\": [{\"id\": \"top\"}]}"}
]}"#;

const USERS_GET: &str = r#"{"operation": "users_get", "exchanges": [
  {"name": "get", "file": "api/user-get.md", "line": 9, "method": "GET", "path": "/users/87d349ed",
   "query": [], "request": null, "arguments": ["87d349ed"], "extra_query": [], "status": 200,
   "response": "{\"id\": \"87d349ed\", \"displayName\": \"Megan\"}",
   "response_headers": [["ETag", "W/\"1\""], ["Location", "https://graph.microsoft.com/v1.0/users/87d349ed"],
                        ["Bad Name", "x"]]}
]}"#;

const PHOTO: &str = r#"{"operation": "me_photo_value_get", "exchanges": [
  {"name": "photo", "file": "api/photo.md", "line": 9, "method": "GET", "path": "/me/photo/$value",
   "query": [], "request": null, "arguments": [], "extra_query": [], "status": 200,
   "response": "binary image data"}
]}"#;

const USERS_DELTA: &str = r#"{"operation": "users_delta", "exchanges": [
  {"name": "delta", "file": "api/user-delta.md", "line": 9, "method": "GET", "path": "/users/delta()",
   "query": [], "request": null, "arguments": [], "extra_query": [], "status": 200,
   "response": "{\"value\": [{\"id\": \"1\"}, {\"id\": \"2\"}, {\"id\": \"3\"}], \"@odata.deltaLink\": \"https://graph.microsoft.com/v1.0/users/delta()?$deltatoken=t\"}"}
]}"#;

/// An example whose value is a placeholder where a boolean goes.
const USERS_BAD: &str = r#"{"operation": "users_bad", "exchanges": [
  {"name": "bad", "file": "api/user-bad.md", "line": 9, "method": "GET", "path": "/users/1/bad",
   "query": [], "request": null, "arguments": [], "extra_query": [], "status": 200,
   "response": "{\"accountEnabled\": \"Boolean\"}"}
]}"#;

struct Graph;

const fn route(operation: &'static str, method: Method, path: &'static str) -> Route {
    Route {
        operation,
        method,
        path,
        status: 200,
        request: None,
        response: None,
        content_type: None,
        fixture: None,
    }
}

impl Api for Graph {
    fn routes() -> Vec<Route> {
        vec![
            Route {
                response: Some(reads::<Collection<User>>),
                fixture: Some(USERS_LIST),
                ..route("users_list", Method::Get, "/users")
            },
            Route {
                response: Some(reads::<User>),
                fixture: Some(USERS_GET),
                ..route("users_get", Method::Get, "/users/{user-id}")
            },
            Route {
                status: 204,
                request: Some(reads::<User>),
                ..route("users_update", Method::Patch, "/users/{user-id}")
            },
            Route {
                response: Some(reads::<Collection<User>>),
                fixture: Some(USERS_DELTA),
                ..route("users_delta", Method::Get, "/users/delta()")
            },
            Route {
                response: Some(reads::<Collection<User>>),
                ..route("users_delta_empty", Method::Get, "/users/emptyDelta()")
            },
            Route {
                response: Some(reads::<User>),
                fixture: Some(USERS_BAD),
                ..route("users_bad", Method::Get, "/users/{user-id}/bad")
            },
            Route {
                response: Some(reads::<Unreadable>),
                ..route("users_odd", Method::Get, "/users/{user-id}/odd")
            },
            Route {
                status: 202,
                request: Some(reads::<SendMail>),
                ..route("me_send_mail", Method::Post, "/me/sendMail")
            },
            Route {
                content_type: Some("image/jpeg"),
                fixture: Some(PHOTO),
                ..route("me_photo_value_get", Method::Get, "/me/photo/$value")
            },
        ]
    }
}

fn client(server: &Server<Graph>) -> Client {
    Client::new(&server.uri(), StaticToken::new("test"))
        .unwrap()
        .with_retry(RetryPolicy {
            max_retries: 2,
            max_wait: Duration::from_secs(2),
            initial_wait: Duration::from_millis(1),
        })
}

fn users() -> Request<Collection<User>> {
    Request::new(Method::Get, "/users".to_owned())
}

fn user(id: &str) -> Request<User> {
    Request::new(Method::Get, format!("/users/{id}"))
}

fn update(id: &str, body: &serde_json::Value) -> Request<NoContent> {
    Request::new(Method::Patch, format!("/users/{id}")).json(body)
}

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> (u16, String, String) {
    match result {
        Err(Error::Api(e)) => (e.status, e.code.clone(), e.message.clone()),
        other => panic!("expected a Graph error, got {other:?}"),
    }
}

#[tokio::test]
async fn endpoints_answer_with_their_examples_whatever_the_values() {
    let graph = Server::<Graph>::start().await;
    let client = client(&graph);
    let megan = client.send(&user("any-other-id")).await.unwrap();
    assert_eq!(megan.display_name.as_deref(), Some("Megan"));
    // The example whose query is the one sent answers it.
    let top = client.send(&users().top(1)).await.unwrap();
    assert_eq!(top.value[0].id.as_deref(), Some("top"));
    // The docs' next link points at the real service: it is not given out.
    let all = client.send(&users()).await.unwrap();
    assert_eq!((all.value.len(), all.next_link), (5, None));
    let photo = client
        .download(&Request::<Binary>::new(
            Method::Get,
            "/me/photo/$value".to_owned(),
        ))
        .await
        .unwrap();
    assert_eq!(photo.bytes, b"binary image data");
    assert_eq!(photo.content_type.as_deref(), Some("image/jpeg"));
    let received = graph.received(user("X"));
    assert!(received.is_empty(), "another id is another request");
    let received = graph.received(user("any-other-id"));
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].operation, Some("users_get"));
    assert_eq!(received[0].answered, Answered::Example);
    assert_eq!(received[0].header("Authorization"), Some("Bearer test"));
}

#[tokio::test]
async fn without_an_example_the_least_value_of_the_type_answers_or_501() {
    let graph = Server::<Graph>::start().await;
    let client = client(&graph);
    let delta = Request::<Collection<User>>::new(Method::Get, "/users/emptyDelta()".to_owned());
    assert!(client.send(&delta).await.unwrap().value.is_empty());
    let patch = update("7", &serde_json::json!({"displayName": "x"}));
    client.send(&patch).await.unwrap();
    // An example that is not the documented type is not served.
    let bad = Request::<User>::new(Method::Get, "/users/1/bad".to_owned());
    assert_eq!(client.send(&bad).await.unwrap(), User::default());
    let odd = Request::<serde_json::Value>::new(Method::Get, "/users/7/odd".to_owned());
    let (status, code, message) = api_error(client.send(&odd).await);
    assert_eq!((status, code.as_str()), (501, "NotImplemented"));
    assert!(message.contains("users_odd"), "{message}");
    let answered: Vec<Answered> = graph.received_all().iter().map(|r| r.answered).collect();
    assert_eq!(
        answered,
        [
            Answered::LeastValue,
            Answered::LeastValue,
            Answered::LeastValue,
            Answered::Error(501)
        ]
    );
}

#[tokio::test]
async fn malformed_bodies_unknown_paths_and_wrong_methods_get_graph_errors() {
    let graph = Server::<Graph>::start().await;
    let client = client(&graph);
    let bad = update("7", &serde_json::json!({"accountEnabled": "yes"}));
    let (status, code, message) = api_error(client.send(&bad).await);
    assert_eq!((status, code.as_str()), (400, "BadRequest"));
    assert!(message.contains("$.accountEnabled"), "{message}");
    let empty = Request::<NoContent>::new(Method::Post, "/me/sendMail".to_owned());
    let (status, _, message) = api_error(client.send(&empty).await);
    assert_eq!(status, 400);
    assert!(message.contains("none was sent"), "{message}");
    let unknown = Request::<NoContent>::new(Method::Get, "/usres/7".to_owned());
    let (status, code, _) = api_error(client.send(&unknown).await);
    assert_eq!((status, code.as_str()), (404, "ResourceNotFound"));
    let wrong = Request::<NoContent>::new(Method::Delete, "/users/7".to_owned());
    let (status, code, message) = api_error(client.send(&wrong).await);
    assert_eq!((status, code.as_str()), (405, "MethodNotAllowed"));
    assert!(message.contains("GET, PATCH"), "{message}");
}

#[tokio::test]
async fn overrides_are_typed_counted_and_give_way_to_the_docs() {
    let graph = Server::<Graph>::start().await;
    let client = client(&graph);
    let me = User {
        id: Some("42".to_owned()),
        ..User::default()
    };
    graph.on(users()).respond_with(vec![me.clone()]);
    assert_eq!(client.send(&users()).await.unwrap().value, [me]);
    // Throttled once, then the docs answer: the client's retry is seen.
    graph
        .on(user("9"))
        .times(1)
        .fail(429, Some(Duration::from_secs(1)));
    let after = client.send(&user("9")).await.unwrap();
    assert_eq!(after.display_name.as_deref(), Some("Megan"));
    let seen: Vec<Answered> = graph
        .received(user("9"))
        .iter()
        .map(|r| r.answered)
        .collect();
    assert_eq!(seen, [Answered::Override, Answered::Example]);
    // Failing every time exhausts the retries and reaches the caller.
    graph.on(user("10")).fail(503, None);
    let (status, code, _) = api_error(client.send(&user("10")).await);
    assert_eq!((status, code.as_str()), (503, "ServiceUnavailable"));
    assert_eq!(graph.received(user("10")).len(), 3);
    // Received bodies read back as what was sent.
    let mail = SendMail {
        message: Message {
            subject: "hello".to_owned(),
        },
    };
    let send = Request::<NoContent>::new(Method::Post, "/me/sendMail".to_owned()).json(&mail);
    client.send(&send).await.unwrap();
    let sent = graph.received(send);
    assert_eq!(sent[0].json::<SendMail>().unwrap().message.subject, "hello");
    graph.reset();
    assert!(graph.received_all().is_empty());
}

#[tokio::test]
async fn dropped_connections_and_slow_answers_reach_the_client() {
    let graph = Server::<Graph>::start().await;
    let client = client(&graph);
    graph.on(user("1")).drop_connection();
    assert!(matches!(
        client.send(&user("1")).await,
        Err(Error::Transport(_))
    ));
    graph
        .on(user("2"))
        .delay(Duration::from_secs(30))
        .respond_status(200);
    let two = user("2");
    let slow = tokio::time::timeout(Duration::from_millis(200), client.send(&two));
    assert!(slow.await.is_err(), "the answer came before the delay");
}

#[tokio::test]
async fn collections_are_paged_back_to_the_mock() {
    let graph = Server::<Graph>::start().await;
    graph.page_size(Some(2));
    let client = client(&graph);
    let pages: Vec<Collection<User>> = client.pages(users()).try_collect().await.unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.value.len()).collect();
    assert_eq!(sizes, [2, 2, 1]);
    let ids: Vec<String> = client
        .items(users())
        .map_ok(|u| u.id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    let answered: Vec<Answered> = graph.received_all().iter().map(|r| r.answered).collect();
    assert_eq!(
        answered[..3],
        [Answered::Example, Answered::Page, Answered::Page]
    );
}

#[tokio::test]
async fn the_version_segment_of_the_base_url_is_accepted() {
    let graph = Server::<Graph>::start().await;
    let client = Client::new(&format!("{}/v1.0", graph.uri()), StaticToken::new("t")).unwrap();
    assert!(client.send(&user("1")).await.is_ok());
}

#[tokio::test]
async fn overrides_carry_headers_bytes_and_documented_answers_late() {
    let graph = Server::<Graph>::start().await;
    let client = client(&graph);
    let photo = Request::<Binary>::new(Method::Get, "/me/photo/$value".to_owned());
    graph
        .on(photo.clone())
        .header("ETag", "\"1\"")
        .respond_bytes(200, "image/png", b"png".to_vec());
    let got = client.download(&photo).await.unwrap();
    assert_eq!(
        (got.bytes, got.content_type),
        (b"png".to_vec(), Some("image/png".to_owned()))
    );
    // The docs' answer, but later than the client waits.
    graph
        .on(user("3"))
        .delay(Duration::from_secs(30))
        .respond_as_documented();
    let three = user("3");
    let late = tokio::time::timeout(Duration::from_millis(200), client.send(&three));
    assert!(late.await.is_err(), "the answer came before the delay");
    graph.reset();
    graph.on(user("3")).times(1).respond_as_documented();
    let megan = client.send(&user("3")).await.unwrap();
    assert_eq!(megan.display_name.as_deref(), Some("Megan"));
    assert_eq!(graph.received(user("3"))[0].answered, Answered::Example);
}

#[tokio::test]
#[should_panic(expected = "1000 is not an HTTP status")]
async fn an_impossible_status_is_refused_when_set() {
    let graph = Server::<Graph>::start().await;
    graph.on(user("1")).respond_status(1000);
}

#[tokio::test]
async fn next_links_can_be_followed_again_until_a_reset() {
    let graph = Server::<Graph>::start().await;
    graph.page_size(Some(4));
    let client = client(&graph);
    let first = client.send(&users()).await.unwrap();
    let link = first.next_link.clone().expect("a second page");
    let path = link.strip_prefix(&graph.uri()).unwrap().to_owned();
    let again = Request::<Collection<User>>::new(Method::Get, path);
    for _ in 0..2 {
        let page = client.send(&again).await.unwrap();
        assert_eq!((page.value.len(), page.next_link), (1, None));
    }
    graph.reset();
    let (status, _, message) = api_error(client.send(&again).await);
    assert_eq!(status, 400);
    assert!(message.contains("reset"), "{message}");
    // Only GET answers are paged: a POST answer with a `value` is whole.
    let send = Request::<serde_json::Value>::new(Method::Post, "/me/sendMail".to_owned())
        .json(&serde_json::json!({"message": {"subject": "x"}}));
    graph
        .on(send.clone())
        .respond(200, &serde_json::json!({"value": [1, 2, 3, 4, 5, 6]}));
    let whole = client.send(&send).await.unwrap();
    assert_eq!(whole["value"].as_array().map(Vec::len), Some(6));
}

#[tokio::test]
async fn the_delta_link_is_on_the_last_page_and_points_at_the_mock() {
    let graph = Server::<Graph>::start().await;
    graph.page_size(Some(2));
    let client = client(&graph);
    let delta = Request::<Collection<User>>::new(Method::Get, "/users/delta()".to_owned());
    let pages: Vec<Collection<User>> = client.pages(delta.clone()).try_collect().await.unwrap();
    let links: Vec<_> = pages.iter().map(|p| p.delta_link.clone()).collect();
    let expected = format!("{}/users/delta()?$deltatoken=t", graph.uri());
    assert_eq!(links, [None, Some(expected.clone())]);
    // Resuming from it reaches the mock, not the service.
    let resumed: Vec<Collection<User>> =
        client.resume(delta, &expected).try_collect().await.unwrap();
    assert_eq!(resumed.len(), 2);
}

#[tokio::test]
async fn the_headers_an_example_shows_are_sent_with_links_moved_onto_the_mock() {
    let graph = Server::<Graph>::start().await;
    let http = docgen_runtime::client::http_client_builder()
        .unwrap()
        .build()
        .unwrap();
    let answer = http
        .get(format!("{}/users/1", graph.uri()))
        .send()
        .await
        .unwrap();
    // Answered, though one of the headers is not one HTTP allows.
    assert_eq!(answer.status(), 200);
    let header = |name: &str| answer.headers().get(name).and_then(|v| v.to_str().ok());
    assert_eq!(header("etag"), Some("W/\"1\""));
    let location = format!("{}/users/87d349ed", graph.uri());
    assert_eq!(header("location"), Some(location.as_str()));
}
