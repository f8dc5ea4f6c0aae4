//! What the runtime's loopback tests share: a user type to read, and a
//! client for a wiremock server with short retry waits.

#![allow(dead_code)] // each test crate uses a subset

use docgen_runtime::Client;
use docgen_runtime::client::{RetryPolicy, StaticToken};
use serde::Deserialize;
use std::time::Duration;
use wiremock::MockServer;

#[derive(Debug, PartialEq, Deserialize)]
pub struct User {
    pub id: String,
}

/// A client of `server`'s `/v1.0`, with the token `secret`, retrying twice
/// and waiting at most two seconds.
pub fn client(server: &MockServer) -> Client {
    Client::new(
        &format!("{}/v1.0", server.uri()),
        StaticToken::new("secret"),
    )
    .unwrap()
    .with_retry(RetryPolicy {
        max_retries: 2,
        max_wait: Duration::from_secs(2),
        initial_wait: Duration::from_millis(10),
    })
}

pub mod upload_host;
