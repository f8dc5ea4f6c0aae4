//! Tokens from an Azure credential reach Graph as the bearer token.

use async_trait::async_trait;
use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::time::{Duration as AzureDuration, OffsetDateTime};
use docgen_runtime::client::{AzureCredential, GRAPH_SCOPE};
use docgen_runtime::{Client, Error, Method, Request};
use std::sync::{Arc, Mutex};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A credential that hands out `token-N` and records the scopes asked for,
/// as `azure_identity`'s credentials would answer.
#[derive(Debug, Default)]
struct Counting {
    asked: Mutex<Vec<Vec<String>>>,
    fail: bool,
}

#[async_trait]
impl TokenCredential for Counting {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        if self.fail {
            return Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Credential,
                "no sign-in",
            ));
        }
        let mut asked = self.asked.lock().unwrap();
        asked.push(scopes.iter().map(|s| (*s).to_owned()).collect());
        Ok(AccessToken::new(
            format!("token-{}", asked.len()),
            OffsetDateTime::now_utc() + AzureDuration::hours(1),
        ))
    }
}

#[tokio::test]
async fn each_request_carries_a_token_for_the_graph_scope() {
    let server = MockServer::start().await;
    for n in 1..=2 {
        Mock::given(method("GET"))
            .and(path("/v1.0/me"))
            .and(header(
                "authorization",
                format!("Bearer token-{n}").as_str(),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let credential = Arc::new(Counting::default());
    let client = Client::new(
        &format!("{}/v1.0", server.uri()),
        AzureCredential::new(credential.clone()),
    )
    .unwrap();
    let me = Request::<serde_json::Value>::new(Method::Get, "/me".into());
    client.send(&me).await.unwrap();
    client.send(&me).await.unwrap();
    assert_eq!(
        *credential.asked.lock().unwrap(),
        [vec![GRAPH_SCOPE.to_owned()], vec![GRAPH_SCOPE.to_owned()]]
    );
}

#[tokio::test]
async fn a_credential_that_cannot_sign_in_is_a_token_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let credential = Arc::new(Counting {
        fail: true,
        ..Counting::default()
    });
    let client = Client::new(
        &format!("{}/v1.0", server.uri()),
        AzureCredential::with_scopes(credential, ["https://graph.microsoft.us/.default"]),
    )
    .unwrap();
    let result = client
        .send(&Request::<serde_json::Value>::new(
            Method::Get,
            "/me".into(),
        ))
        .await;
    assert!(matches!(result, Err(Error::Token(e)) if e.to_string().contains("no sign-in")));
}
