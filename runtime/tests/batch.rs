//! JSON batching over real HTTP on loopback, against a wiremock server
//! that answers each request of a `$batch` call.

mod common;

use common::{User, client};
use docgen_runtime::{Batch, Error, Method, Request};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// Answers every request of a call with `answer(call number, request)`,
/// and keeps the requests of each call.
struct Answering {
    calls: Arc<Mutex<Vec<Vec<Value>>>>,
    answer: fn(usize, &Value) -> Value,
}

impl Respond for Answering {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let requests = body["requests"].as_array().unwrap().clone();
        let mut calls = self.calls.lock().unwrap();
        let call = calls.len();
        let responses: Vec<Value> = requests.iter().map(|r| (self.answer)(call, r)).collect();
        calls.push(requests);
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

async fn serve(
    server: &MockServer,
    answer: fn(usize, &Value) -> Value,
) -> Arc<Mutex<Vec<Vec<Value>>>> {
    let calls = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .and(header("authorization", "Bearer secret"))
        .and(header("content-type", "application/json"))
        .respond_with(Answering {
            calls: calls.clone(),
            answer,
        })
        .mount(server)
        .await;
    calls
}

/// `/users/7` → a user `7`.
fn user(r: &Value) -> Value {
    let id = r["url"].as_str().unwrap().rsplit('/').next().unwrap();
    json!({"id": r["id"], "status": 200, "body": {"id": id}})
}

fn get_user(n: usize) -> Request<User> {
    Request::new(Method::Get, format!("/users/{n}"))
}

#[tokio::test]
async fn forty_five_requests_are_three_calls_and_each_reads_as_its_type() {
    let server = MockServer::start().await;
    let calls = serve(&server, |_, r| user(r)).await;
    let mut batch = Batch::new();
    let handles: Vec<_> = (0..45).map(|n| batch.add(&get_user(n)).unwrap()).collect();
    let responses = client(&server).send_batch(&batch).await.unwrap();
    let sizes: Vec<usize> = calls.lock().unwrap().iter().map(Vec::len).collect();
    assert_eq!(sizes, [20, 20, 5]);
    for (n, handle) in handles.iter().enumerate() {
        assert_eq!(responses.get(handle).unwrap(), User { id: n.to_string() });
    }
}

#[tokio::test]
async fn a_failing_request_is_an_api_error_and_what_depends_on_it_is_not_sent() {
    let server = MockServer::start().await;
    // `/users/1` is not found; a request that depends on it in the same
    // call fails as the service fails it.
    let calls = serve(&server, |_, r| {
        let depends = r["dependsOn"].as_array().is_some_and(|d| d.contains(&json!("2")));
        if r["url"] == "/users/1" {
            json!({"id": r["id"], "status": 404, "body": {"error": {"code": "Request_ResourceNotFound", "message": "no such user"}}})
        } else if depends {
            json!({"id": r["id"], "status": 424, "body": {"error": {"code": "FailedDependency", "message": "failed dependency"}}})
        } else {
            user(r)
        }
    })
    .await;
    let mut batch = Batch::new();
    let ok = batch.add(&get_user(0)).unwrap();
    let missing = batch.add(&get_user(1)).unwrap();
    let after_in_call = batch.add_after(&get_user(2), &missing).unwrap();
    for n in 3..21 {
        batch.add(&get_user(n)).unwrap();
    }
    // The 22nd request, in the second call, depends on the failed one.
    let after_across = batch.add_after(&get_user(21), &missing).unwrap();
    let last = batch.add(&get_user(22)).unwrap();
    let responses = client(&server).send_batch(&batch).await.unwrap();

    assert_eq!(responses.get(&ok).unwrap().id, "0");
    match responses.get(&missing) {
        Err(Error::Api(e)) => assert_eq!(
            (e.status, e.code.as_str()),
            (404, "Request_ResourceNotFound")
        ),
        other => panic!("{other:?}"),
    }
    for failed in [&after_in_call, &after_across] {
        assert!(matches!(responses.get(failed), Err(Error::Api(e)) if e.status == 424));
    }
    assert_eq!(responses.get(&last).unwrap().id, "22");
    let calls = calls.lock().unwrap();
    assert_eq!(calls[0][2]["dependsOn"], json!(["2"]));
    let second: Vec<&Value> = calls[1].iter().map(|r| &r["url"]).collect();
    assert_eq!(
        second,
        [&json!("/users/20"), &json!("/users/22")],
        "the dependent request was not sent"
    );
}

#[tokio::test]
async fn a_throttled_request_is_sent_again_after_its_retry_after() {
    let server = MockServer::start().await;
    let calls = serve(&server, |call, r| {
        if call == 0 && r["url"] == "/users/1" {
            json!({"id": r["id"], "status": 429, "headers": {"Retry-After": "1"}, "body": {"error": {"code": "TooManyRequests", "message": "slow down"}}})
        } else {
            user(r)
        }
    })
    .await;
    let mut batch = Batch::new();
    let handles: Vec<_> = (0..3).map(|n| batch.add(&get_user(n)).unwrap()).collect();
    let started = std::time::Instant::now();
    let responses = client(&server).send_batch(&batch).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    for (n, handle) in handles.iter().enumerate() {
        assert_eq!(responses.get(handle).unwrap().id, n.to_string());
    }
    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].len(), 1, "only the throttled request again");
}
