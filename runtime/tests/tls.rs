//! `https` roots with the `rustls` feature: the client is built without a
//! process-wide crypto provider and speaks TLS on the wire.

use docgen_runtime::client::{RetryPolicy, StaticToken, http_client_builder};
use docgen_runtime::{Client, Error, Method, Request};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[test]
fn an_https_client_is_built_without_a_process_wide_provider() {
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    Client::new("https://graph.microsoft.com/v1.0", StaticToken::new("t")).unwrap();
    // Nothing was installed behind the application's back.
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
}

/// A plain-HTTP server on loopback: it records the first bytes it gets and
/// answers in clear text, which no TLS client accepts.
async fn plain_server() -> (u16, tokio::task::JoinHandle<[u8; 3]>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut first = [0u8; 3];
        socket.read_exact(&mut first).await.unwrap();
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
            .await;
        first
    });
    (port, server)
}

/// Sends one request to `client`'s root and returns the first bytes the
/// server got, after checking that the client refused its answer.
async fn first_bytes(client: Client, server: tokio::task::JoinHandle<[u8; 3]>) -> [u8; 3] {
    let client = client.with_retry(RetryPolicy {
        max_retries: 0,
        max_wait: Duration::from_secs(1),
        initial_wait: Duration::from_millis(10),
    });
    let request = Request::<serde_json::Value>::new(Method::Get, "/me".into());
    let result = client.send(&request).await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    server.await.unwrap()
}

#[tokio::test]
async fn an_https_request_opens_with_a_tls_handshake() {
    let (port, server) = plain_server().await;
    let root = format!("https://127.0.0.1:{port}/v1.0");
    let client = Client::new(&root, StaticToken::new("t")).unwrap();
    // A TLS record of type handshake (22), protocol version 3.x.
    assert_eq!(&first_bytes(client, server).await[..2], &[22, 3]);
}

#[tokio::test]
async fn a_client_built_from_our_builder_speaks_tls_too() {
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    let (port, server) = plain_server().await;
    let http = http_client_builder()
        .unwrap()
        .timeout(Duration::from_secs(10))
        .user_agent("an-application/1.0")
        .build()
        .expect("the builder carries a crypto provider");
    let root = format!("https://127.0.0.1:{port}/v1.0");
    let client = Client::new(&root, StaticToken::new("t"))
        .unwrap()
        .with_http_client(http);
    assert_eq!(&first_bytes(client, server).await[..2], &[22, 3]);
}
