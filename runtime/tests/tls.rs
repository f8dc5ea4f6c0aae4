//! `https` roots with the `rustls` feature: the client is built without a
//! process-wide crypto provider and speaks TLS on the wire.

use docgen_runtime::client::{RetryPolicy, StaticToken};
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

#[tokio::test]
async fn an_https_request_opens_with_a_tls_handshake() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // A plain-HTTP server: it records the first bytes it gets and answers
    // in clear text, which no TLS client accepts.
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut first = [0u8; 3];
        socket.read_exact(&mut first).await.unwrap();
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
            .await;
        first
    });
    let client = Client::new(
        &format!("https://127.0.0.1:{port}/v1.0"),
        StaticToken::new("t"),
    )
    .unwrap()
    .with_retry(RetryPolicy {
        max_retries: 0,
        max_wait: Duration::from_secs(1),
        initial_wait: Duration::from_millis(10),
    });
    let request = Request::<serde_json::Value>::new(Method::Get, "/me".into());
    let result = client.send(&request).await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    // A TLS record of type handshake (22), protocol version 3.x.
    assert_eq!(&server.await.unwrap()[..2], &[22, 3]);
}
