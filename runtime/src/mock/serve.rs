//! The mock's HTTP side: a hyper server on a loopback port, one task per
//! connection, all stopped when the [`super::Server`] is dropped.

use super::{Reply, Shared};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::StatusCode;
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// The connection is closed without an answer: the fault a test asked for.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by the mock")
    }
}

impl std::error::Error for Dropped {}

/// Accepts connections until the task is aborted; aborting it drops the
/// set, which aborts every connection's task too.
pub(crate) async fn accept(listener: TcpListener, shared: Arc<Shared>) -> Infallible {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, or the like: wait rather than spin.
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            continue;
        };
        // Finished connections are reaped as new ones come.
        while connections.try_join_next().is_some() {}
        let shared = shared.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move { answer(&shared, request).await }
            });
            // A connection that ends badly (a dropped one) only ends.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    shared: &Shared,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map_err(|_| Dropped)?.to_bytes();
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    // A body is read through its documented type on a large stack, as
    // deeply nested types overflow a debug build's task thread; the answer
    // needs nothing of the runtime meanwhile.
    let method = parts.method.as_str();
    let reply =
        crate::deep_stack::run(|| shared.reply(method, path_and_query, headers, body.to_vec()));
    let (answer, delay) = match reply {
        Reply::Answer { answer, delay } => (answer, delay),
        Reply::Drop { delay } => {
            pause(delay).await;
            return Err(Dropped);
        }
    };
    pause(delay).await;
    let mut response = hyper::Response::new(Full::new(Bytes::from(answer.body)));
    // A status the docs mistyped (`2000`) is a server error, not a hang-up.
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // A header the docs write in a way HTTP does not allow is left out.
    for (name, value) in &answer.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    Ok(response)
}

/// Waits `delay`; no timer is needed when there is none.
async fn pause(delay: std::time::Duration) {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
}
