//! The mock of the bindings generated from docs-input/, driven through the
//! request tree: its errors are Graph's shape, and its answers read as the
//! documented types.

use docgen::api;
use docgen::mock::{Answered, Server};
use docgen::runtime::client::{RetryPolicy, StaticToken};
use docgen::runtime::{Client, Error, Method, NoContent, Request};

fn client(graph: &Server) -> Client {
    Client::new(&graph.uri(), StaticToken::new("test"))
        .unwrap()
        .with_retry(RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        })
}

/// The Graph error a call ended with: status, code and message.
fn graph_error<T: std::fmt::Debug>(result: Result<T, Error>) -> (u16, String, String) {
    match result {
        Err(Error::Api(e)) => (e.status, e.code.clone(), e.message.clone()),
        other => panic!("expected a Graph error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_is_not_the_documented_type_gets_a_400_naming_the_member() {
    let graph = Server::start().await;
    // `accountEnabled` is a Boolean on the user page.
    let patch = Request::<NoContent>::new(Method::Patch, "/users/42".to_owned())
        .json(&serde_json::json!({"displayName": "Ana", "accountEnabled": "yes"}));
    let (status, code, message) = graph_error(client(&graph).send(&patch).await);
    assert_eq!((status, code.as_str()), (400, "BadRequest"));
    assert!(message.contains("$.accountEnabled"), "{message}");
    assert!(message.contains("users_update"), "{message}");
    // The message nested in sendMail's parameters is checked too.
    let mail = Request::<NoContent>::new(Method::Post, "/me/sendMail".to_owned())
        .json(&serde_json::json!({"message": {"toRecipients": {"emailAddress": {}}}}));
    let (status, _, message) = graph_error(client(&graph).send(&mail).await);
    assert_eq!(status, 400);
    assert!(message.contains("$.message.toRecipients"), "{message}");
    let received = graph.received_all();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|r| r.answered == Answered::Error(400)));
}

#[tokio::test]
async fn unknown_paths_get_404_and_undocumented_methods_405() {
    let graph = Server::start().await;
    let client = client(&graph);
    let unknown = Request::<NoContent>::new(Method::Get, "/groups/1".to_owned());
    let (status, code, message) = graph_error(client.send(&unknown).await);
    assert_eq!((status, code.as_str()), (404, "ResourceNotFound"));
    assert!(message.contains("/groups/1"), "{message}");
    // `/me/sendMail` is documented for POST only.
    let get = Request::<NoContent>::new(Method::Get, "/me/sendMail".to_owned());
    let (status, code, message) = graph_error(client.send(&get).await);
    assert_eq!((status, code.as_str()), (405, "MethodNotAllowed"));
    assert!(message.contains("POST"), "{message}");
}

#[tokio::test]
async fn documented_answers_read_as_their_types_through_the_tree() {
    let graph = Server::start().await;
    let client = client(&graph);
    // An example: the docs' list of messages.
    let messages = client.send(&api::me().messages().list()).await.unwrap();
    assert_eq!(messages.value.len(), 2);
    assert_eq!(
        messages.value[0].subject.as_deref(),
        Some("Agenda for Thursday")
    );
    // Any id answers with the example of its endpoint.
    let user = client
        .send(&api::users().by_id("anyone").get())
        .await
        .unwrap();
    assert!(user.display_name.is_some());
    // No example of `/users/{id}/messages`: the least value of its type.
    let theirs = api::users().by_id("anyone").messages().list();
    assert!(client.send(&theirs).await.unwrap().value.is_empty());
    let answered: Vec<_> = graph.received_all().iter().map(|r| r.answered).collect();
    assert_eq!(
        answered,
        [Answered::Example, Answered::Example, Answered::LeastValue]
    );
}
