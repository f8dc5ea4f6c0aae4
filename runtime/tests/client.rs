//! The client over real HTTP on loopback, against a wiremock server.

mod common;

use common::{User, client};
use docgen_runtime::client::{ApiError, RetryPolicy, StaticToken};
use docgen_runtime::{Client, Collection, Content, Error, Method, Patch, Request};
use futures_util::TryStreamExt;
use serde::Serialize;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn page(server: &MockServer, ids: &[&str], next: Option<&str>) -> serde_json::Value {
    let mut body = json!({ "value": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>() });
    if let Some(token) = next {
        body["@odata.nextLink"] = json!(format!("{}/v1.0/users?$skiptoken={token}", server.uri()));
    } else {
        body["@odata.deltaLink"] =
            json!(format!("{}/v1.0/users/delta?$deltatoken=d", server.uri()));
    }
    body
}

#[tokio::test]
async fn a_request_carries_token_query_options_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$search", "\"displayName:a b\""))
        .and(query_param("$count", "true"))
        .and(header("authorization", "Bearer secret"))
        .and(header("consistencylevel", "eventual"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&server, &["1"], None)))
        .expect(1)
        .mount(&server)
        .await;
    let request: Request<Collection<User>> = Request::new(Method::Get, "/users".into())
        .search("\"displayName:a b\"")
        .count(true);
    let users = client(&server).send(&request).await.unwrap();
    assert_eq!(users.value, [User { id: "1".into() }]);
}

#[tokio::test]
async fn paging_follows_next_links_over_three_pages_and_keeps_the_delta_link() {
    let server = MockServer::start().await;
    for (token, ids, next) in [
        (None, ["1", "2"], Some("p2")),
        (Some("p2"), ["3", "4"], Some("p3")),
        (Some("p3"), ["5", "6"], None),
    ] {
        let mock = Mock::given(method("GET")).and(path("/v1.0/users"));
        let mock = match token {
            Some(t) => mock.and(query_param("$skiptoken", t)),
            None => mock.and(query_param("$top", "2")),
        };
        mock.and(header("consistencylevel", "eventual"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&server, &ids, next)))
            // Once for the pages, once for the items.
            .expect(2)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let request = || {
        Request::<Collection<User>>::new(Method::Get, "/users".into())
            .top(2)
            .count(true)
    };
    let pages: Vec<Collection<User>> = client.pages(request()).try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    assert!(
        pages[2]
            .delta_link
            .as_deref()
            .unwrap()
            .ends_with("$deltatoken=d")
    );
    let items: Vec<User> = client.items(request()).try_collect().await.unwrap();
    let ids: Vec<&str> = items.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6"]);
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"value": [], "@odata.nextLink": "https://elsewhere.example/v1.0/users?$skiptoken=x"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let pages: Vec<_> = futures_util::StreamExt::collect(client.pages(
        Request::<Collection<User>>::new(Method::Get, "/users".into()),
    ))
    .await;
    assert_eq!(pages.len(), 2);
    assert!(matches!(&pages[1], Err(Error::Url(m)) if m.contains("elsewhere.example")));
}

/// Answers once with `status` and `Retry-After: retry_after`, then with a
/// user: the client must have waited at least a second in between.
async fn waits_for(status: u16, retry_after: String) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).insert_header("Retry-After", retry_after))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let user = client(&server)
        .send(&Request::<User>::new(Method::Get, "/me".into()))
        .await
        .unwrap();
    assert_eq!(user.id, "1");
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn throttling_is_retried_after_the_time_the_service_asks_for() {
    waits_for(429, "1".to_owned()).await;
}

#[tokio::test]
async fn a_retry_after_date_is_waited_for() {
    // Two seconds ahead, to the second: a wait of more than one second.
    let at = std::time::SystemTime::now() + Duration::from_secs(2);
    waits_for(503, httpdate::fmt_http_date(at)).await;
}

#[tokio::test]
async fn a_delta_query_resumes_from_a_stored_link_with_the_first_requests_headers() {
    let server = MockServer::start().await;
    // The stored link's page, then one more, then the next delta link.
    Mock::given(method("GET"))
        .and(path("/v1.0/users/delta"))
        .and(query_param("$deltatoken", "stored"))
        .and(header("consistencylevel", "eventual"))
        .and(header("prefer", "return=minimal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&server, &["7"], Some("p2"))))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(query_param("$skiptoken", "p2"))
        .and(header("consistencylevel", "eventual"))
        .and(header("prefer", "return=minimal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&server, &["8"], None)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let query = Request::<Collection<User>>::new(Method::Get, "/users/delta".into())
        .count(true)
        .header("Prefer", "return=minimal");
    let stored = format!("{}/v1.0/users/delta?$deltatoken=stored", server.uri());
    let pages: Vec<Collection<User>> = client
        .resume(query.clone(), &stored)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = pages
        .iter()
        .flat_map(|p| &p.value)
        .map(|u| u.id.as_str())
        .collect();
    assert_eq!(ids, ["7", "8"]);
    assert!(pages[1].delta_link.is_some());
    // A stored link to another origin is refused before anything is sent.
    let foreign: Vec<_> = futures_util::StreamExt::collect(client.resume_items(
        query,
        "https://elsewhere.example/v1.0/users/delta?$deltatoken=x",
    ))
    .await;
    assert_eq!(foreign.len(), 1);
    assert!(matches!(&foreign[0], Err(Error::Url(m)) if m.contains("elsewhere.example")));
}

#[tokio::test]
async fn throttling_beyond_the_bound_returns_the_error_with_its_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "30"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .send(&Request::<User>::new(Method::Get, "/me".into()))
        .await
        .unwrap_err();
    let Error::Api(e) = err else { panic!("{err}") };
    assert_eq!(
        (e.status, e.retry_after),
        (503, Some(Duration::from_secs(30)))
    );
}

#[tokio::test]
async fn graph_error_bodies_become_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": {
            "code": "Request_ResourceNotFound",
            "message": "Resource 'x' does not exist.",
            "innerError": {"request-id": "r-1"}
        }})))
        .mount(&server)
        .await;
    let err = client(&server)
        .send(&Request::<User>::new(Method::Get, "/users/x".into()))
        .await
        .unwrap_err();
    let Error::Api(e) = err else { panic!("{err}") };
    let ApiError {
        status,
        code,
        inner_error,
        ..
    } = *e;
    assert_eq!((status, code.as_str()), (404, "Request_ResourceNotFound"));
    assert_eq!(inner_error.unwrap()["request-id"], "r-1");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new(
        &format!("http://127.0.0.1:{port}/v1.0"),
        StaticToken::new("t"),
    )
    .unwrap();
    let err = client
        .send(&Request::<User>::new(Method::Get, "/me".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err}");
}

#[tokio::test]
async fn patch_bodies_send_null_and_leave_out_absent_fields() {
    #[derive(Default, Serialize)]
    struct UserPatch {
        #[serde(rename = "displayName", skip_serializing_if = "Patch::is_absent")]
        display_name: Patch<String>,
        #[serde(rename = "mobilePhone", skip_serializing_if = "Patch::is_absent")]
        mobile_phone: Patch<String>,
        #[serde(rename = "jobTitle", skip_serializing_if = "Patch::is_absent")]
        job_title: Patch<String>,
    }
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/users/a%2Fb"))
        .and(body_json(
            json!({"displayName": "Ada", "mobilePhone": null}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let body = UserPatch {
        display_name: "Ada".to_owned().into(),
        mobile_phone: Patch::Null,
        ..UserPatch::default()
    };
    let path = docgen_runtime::build_path(&[
        docgen_runtime::PathPart::Literal("/users/"),
        docgen_runtime::PathPart::Param("a/b"),
    ]);
    let request = Request::<()>::new(Method::Patch, path).json(&body);
    client(&server).send(&request).await.unwrap();
}

#[tokio::test]
async fn a_throttled_post_is_resent_with_the_same_body_and_a_fresh_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer token-1"))
        .and(body_json(json!({"id": "new"})))
        .respond_with(ResponseTemplate::new(429))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer token-2"))
        .and(body_json(json!({"id": "new"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "new"})))
        .expect(1)
        .mount(&server)
        .await;
    let issued = Arc::new(AtomicUsize::new(0));
    let tokens = {
        let issued = issued.clone();
        move || {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(format!("token-{n}")) }
        }
    };
    let client = Client::new(&format!("{}/v1.0", server.uri()), tokens)
        .unwrap()
        .with_retry(RetryPolicy {
            max_retries: 1,
            max_wait: Duration::from_secs(1),
            initial_wait: Duration::from_millis(10),
        });
    let request = Request::<User>::new(Method::Post, "/users".into()).json(&json!({"id": "new"}));
    assert_eq!(client.send(&request).await.unwrap().id, "new");
    assert_eq!(issued.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error_after_the_pages_before_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("$top", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&server, &["1"], Some("p2"))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"error": {"code": "generalException", "message": "Boom."}})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let results: Vec<_> = futures_util::StreamExt::collect(
        client.items(Request::<Collection<User>>::new(Method::Get, "/users".into()).top(1)),
    )
    .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap().id, "1");
    assert!(matches!(&results[1], Err(Error::Api(e)) if e.code == "generalException"));
}

#[tokio::test]
async fn throttling_without_retry_after_backs_off_and_gives_up_after_the_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let err = client(&server)
        .send(&Request::<User>::new(Method::Get, "/me".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(e) if e.status == 503 && e.retry_after.is_none()));
}

#[tokio::test]
async fn request_headers_replace_the_defaults_and_bad_requests_are_refused_unsent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("accept", "text/plain"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let request = Request::<docgen_runtime::NoContent>::new(Method::Get, "/me".into())
        .header("Accept", "text/plain");
    client.send(&request).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].headers.get_all("accept").iter().count(), 1);

    let dots = docgen_runtime::build_path(&[
        docgen_runtime::PathPart::Literal("/users/"),
        docgen_runtime::PathPart::Param(".."),
        docgen_runtime::PathPart::Literal("/photo"),
    ]);
    let bad_header = Request::<User>::new(Method::Get, "/me".into()).header("X-Bad", "a\nb");
    for request in [Request::<User>::new(Method::Delete, dots), bad_header] {
        let err = client.send(&request).await.unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err}");
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "nothing more was sent"
    );
}

/// Matches a request that carries no `Authorization` header.
struct NoAuthorization;

impl wiremock::Match for NoAuthorization {
    fn matches(&self, request: &wiremock::Request) -> bool {
        !request.headers.contains_key("authorization")
    }
}

#[tokio::test]
async fn bytes_go_up_with_their_content_type_and_come_down_as_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/drive/items/1:/notes.txt:/content"))
        .and(header("content-type", "text/plain"))
        .and(wiremock::matchers::body_string("the notes"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "7"})))
        .expect(1)
        .mount(&server)
        .await;
    let photo: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    Mock::given(method("GET"))
        .and(path("/v1.0/me/photo/$value"))
        .and(header("authorization", "Bearer secret"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "image/jpeg")
                .set_body_bytes(photo.clone()),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let upload = Request::<User>::new(Method::Put, "/me/drive/items/1:/notes.txt:/content".into())
        .content("the notes", "text/plain");
    assert_eq!(client.send(&upload).await.unwrap().id, "7");
    let get_photo = Request::<docgen_runtime::Binary>::new(Method::Get, "/me/photo/$value".into());
    let downloaded = client.download(&get_photo).await.unwrap();
    assert_eq!(downloaded.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(downloaded.bytes, photo);
    let chunks: Vec<Vec<u8>> = client
        .download_stream(&get_photo)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(chunks.concat(), photo);
}

#[tokio::test]
async fn a_download_redirect_is_followed_without_the_bearer_token() {
    let service = MockServer::start().await;
    let storage = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/1/content"))
        .and(header("authorization", "Bearer secret"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/download/1?sig=x", storage.uri())),
        )
        .expect(1)
        .mount(&service)
        .await;
    Mock::given(method("GET"))
        .and(path("/download/1"))
        .and(NoAuthorization)
        .respond_with(ResponseTemplate::new(200).set_body_string("file contents"))
        .expect(1)
        .mount(&storage)
        .await;
    let content = client(&service)
        .download(&Request::new(
            Method::Get,
            "/me/drive/items/1/content".into(),
        ))
        .await
        .unwrap();
    assert_eq!(content.text(), Some("file contents"));
    // Nothing reached the other host with the token.
    let received = storage.received_requests().await.unwrap();
    assert!(
        received
            .iter()
            .all(|r| !r.headers.contains_key("authorization"))
    );
}

#[tokio::test]
async fn a_file_is_read_while_it_is_sent_and_again_for_a_retry() {
    let server = MockServer::start().await;
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let file = std::env::temp_dir().join(format!("docgen-file-body-{}", std::process::id()));
    std::fs::write(&file, &data).unwrap();
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/photo/$value"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/photo/$value"))
        .and(header("content-type", "image/jpeg"))
        .and(header("content-length", "200000"))
        .and(wiremock::matchers::body_bytes(data.clone()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let put = Request::<()>::new(Method::Put, "/me/photo/$value".into())
        .content(Content::file(&file), "image/jpeg");
    let sent = client(&server).send(&put).await;
    std::fs::remove_file(&file).unwrap();
    sent.unwrap();
    let missing = Request::<()>::new(Method::Put, "/me/photo/$value".into())
        .content(Content::file("/nonexistent/docgen/photo.jpg"), "image/jpeg");
    assert!(matches!(
        client(&server).send(&missing).await,
        Err(Error::Io(_))
    ));
}

#[tokio::test]
async fn a_stream_is_sent_as_it_comes_and_never_twice() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/drive/items/1/content"))
        .and(header("content-type", "text/csv"))
        .and(wiremock::matchers::body_string("a,b\n1,2\n"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&server)
        .await;
    let chunks = || {
        futures_util::stream::iter(
            ["a,b\n", "1,2\n"]
                .map(|c| Ok::<_, std::io::Error>(bytes::Bytes::from_static(c.as_bytes()))),
        )
    };
    let put = |c| {
        Request::<User>::new(Method::Put, "/me/drive/items/1/content".into()).content(c, "text/csv")
    };
    let sent = client(&server)
        .send(&put(Content::stream(chunks(), Some(8))))
        .await;
    assert_eq!(sent.unwrap().id, "1");

    // Throttled: the chunks are gone, so the retry is refused, not sent
    // empty.
    let throttled = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .expect(1)
        .mount(&throttled)
        .await;
    let once = client(&throttled)
        .send(&put(Content::stream(chunks(), None)))
        .await;
    assert!(matches!(once, Err(Error::Invalid(_))), "{once:?}");
}
