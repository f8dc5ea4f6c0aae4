//! A batch built from the generated request tree: each answer reads as its
//! own request's response type.

use docgen::api;
use docgen::runtime::client::StaticToken;
use docgen::runtime::{Batch, Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// Answers `GET /users` with a page, `GET /users/{id}` with that user, and
/// `DELETE` with a Graph error.
struct Graph;

impl Respond for Graph {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let url = r["url"].as_str().unwrap();
                let (status, body) = match (r["method"].as_str().unwrap(), url) {
                    ("GET", "/users") => (200, json!({"value": [{"id": "1"}, {"id": "2"}]})),
                    ("GET", u) => (200, json!({"id": u.rsplit('/').next().unwrap()})),
                    _ => (
                        403,
                        json!({"error": {"code": "Authorization_RequestDenied", "message": "no"}}),
                    ),
                };
                json!({"id": r["id"], "status": status, "body": body})
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

#[tokio::test]
async fn three_requests_of_the_tree_in_one_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(Graph)
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&format!("{}/v1.0", server.uri()), StaticToken::new("t")).unwrap();
    let mut batch = Batch::new();
    let all = batch.add(&api::users().list()).unwrap();
    let one = batch.add(&api::users().by_id("42").get()).unwrap();
    let gone = batch.add(&api::users().by_id("7").delete()).unwrap();
    let answers = client.send_batch(&batch).await.unwrap();

    let users = answers.get(&all).unwrap();
    assert_eq!(users.value.len(), 2);
    assert_eq!(answers.get(&one).unwrap().id.as_deref(), Some("42"));
    assert!(matches!(answers.get(&gone), Err(Error::Api(e)) if e.status == 403));
}
