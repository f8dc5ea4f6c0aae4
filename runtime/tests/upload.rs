//! Upload sessions over loopback, against a host that drops a range
//! halfway, fails with a 5xx, expires a session, and refuses a range it
//! has already (416).

mod common;

use common::upload_host::{FNV_START, Faults, UploadHost, fnv};
use docgen_runtime::client::{Progress, StaticToken, UPLOAD_UNIT, UploadOptions, UploadSession};
use docgen_runtime::{Client, Error, Method, Request};
use serde::Deserialize;
use std::io::Cursor;
use std::time::Duration;

#[derive(Debug, Deserialize)]
struct Item {
    id: String,
    size: u64,
}

/// 2.5 ranges of data: the last range is short.
const LEN: u64 = 5 * UPLOAD_UNIT + 1234;

fn data() -> Vec<u8> {
    (0..LEN).map(|i| (i * 7 % 253) as u8).collect()
}

fn options() -> UploadOptions {
    UploadOptions {
        chunk_size: 2 * UPLOAD_UNIT,
        max_retries: 3,
        retry_wait: Duration::from_millis(5),
        max_restarts: 1,
    }
}

fn client(host: &UploadHost) -> Client {
    Client::new(&format!("{}/v1.0", host.uri), StaticToken::new("secret")).unwrap()
}

fn create() -> Request<UploadSession> {
    Request::new(
        Method::Post,
        "/me/drive/items/root:/big.bin:/createUploadSession".into(),
    )
    .json(&serde_json::json!({"item": {"@microsoft.graph.conflictBehavior": "replace"}}))
}

/// Uploads [`data`] through a new session, collecting the progress calls.
async fn upload(host: &UploadHost) -> (Result<Option<Item>, Error>, Vec<Progress>) {
    let mut seen = Vec::new();
    let result = client(host)
        .upload(&create(), &mut Cursor::new(data()), LEN, &options(), |p| {
            seen.push(p)
        })
        .await;
    (result, seen)
}

/// The session that finished: every byte accepted exactly once, in order,
/// and only the service call carried the token.
fn assert_received_once(host: &UploadHost, session: usize) {
    let state = host.state.lock().unwrap();
    let s = &state.sessions[session];
    assert_eq!(s.next, LEN);
    assert_eq!(s.digest, fnv(FNV_START, &data()), "bytes differ");
    for (request, authorized) in &state.requests {
        assert_eq!(
            *authorized,
            request.starts_with("POST /v1.0/"),
            "{request}: the token goes to the service only"
        );
    }
}

#[tokio::test]
async fn a_file_goes_up_in_whole_units_with_progress_and_no_token() {
    let host = UploadHost::start(LEN, Faults::default()).await;
    let (item, progress) = upload(&host).await;
    let item = item.unwrap().unwrap();
    assert_eq!((item.id.as_str(), item.size), ("item-0", LEN));
    assert_received_once(&host, 0);
    let sent: Vec<u64> = progress.iter().map(|p| p.sent).collect();
    assert_eq!(sent, [0, 2 * UPLOAD_UNIT, 4 * UPLOAD_UNIT, LEN]);
    assert!(progress.iter().all(|p| p.total == LEN));
    let puts = host.state.lock().unwrap().puts;
    assert_eq!(puts, 3);
}

#[tokio::test]
async fn a_range_dropped_halfway_is_sent_again_from_where_the_host_stopped() {
    let host = UploadHost::start(
        LEN,
        Faults {
            drop_put: Some(2),
            ..Faults::default()
        },
    )
    .await;
    let (item, _) = upload(&host).await;
    assert_eq!(item.unwrap().unwrap().size, LEN);
    assert_received_once(&host, 0);
    let state = host.state.lock().unwrap();
    assert_eq!(state.puts, 4, "one range twice");
    assert!(state.requests.iter().any(|(r, _)| r == "GET /upload/0"));
    assert_eq!(state.refused, 0);
}

#[tokio::test]
async fn a_server_error_is_retried_after_asking_the_session() {
    let host = UploadHost::start(
        LEN,
        Faults {
            fail_put: Some(1),
            ..Faults::default()
        },
    )
    .await;
    let (item, _) = upload(&host).await;
    assert_eq!(item.unwrap().unwrap().id, "item-0");
    assert_received_once(&host, 0);
}

#[tokio::test]
async fn an_expired_session_is_started_over_in_a_new_one_once() {
    let host = UploadHost::start(
        LEN,
        Faults {
            expire_after: Some(1),
            ..Faults::default()
        },
    )
    .await;
    let (item, progress) = upload(&host).await;
    assert_eq!(item.unwrap().unwrap().id, "item-1");
    assert_received_once(&host, 1);
    // Progress went back to the start with the new session.
    let sent: Vec<u64> = progress.iter().map(|p| p.sent).collect();
    assert_eq!(sent[..3], [0, 2 * UPLOAD_UNIT, 0]);

    // Without a way to create a new session, expiry is the caller's.
    let host = UploadHost::start(
        LEN,
        Faults {
            expire_after: Some(1),
            ..Faults::default()
        },
    )
    .await;
    let c = client(&host);
    let session = c.create_upload_session(&create()).await.unwrap();
    let result: Result<Option<Item>, _> = c
        .upload_to(&session, &mut Cursor::new(data()), LEN, &options(), drop)
        .await;
    assert!(matches!(result, Err(Error::Upload(_))), "{result:?}");
}

#[tokio::test]
async fn a_stored_session_resumes_where_the_host_is_after_a_416() {
    let host = UploadHost::start(LEN, Faults::default()).await;
    let c = client(&host);
    let session = c.create_upload_session(&create()).await.unwrap();
    // A first run that stopped after one range.
    let first = UploadSession {
        next_expected_ranges: vec!["0-".into()],
        ..session.clone()
    };
    let range = &data()[..usize::try_from(2 * UPLOAD_UNIT).unwrap()];
    assert_eq!(put_by_hand(&session.upload_url, range, LEN).await, 202);
    // The stored copy still says "from 0": the host answers 416, the
    // client asks where it stands and goes on from there.
    let item: Option<Item> = c
        .upload_to(&first, &mut Cursor::new(data()), LEN, &options(), drop)
        .await
        .unwrap();
    assert_eq!(item.unwrap().size, LEN);
    assert_received_once(&host, 0);
    assert_eq!(host.state.lock().unwrap().refused, 1);
}

#[tokio::test]
async fn a_cancelled_upload_deletes_its_session_without_the_token() {
    let host = UploadHost::start(LEN, Faults::default()).await;
    let c = client(&host);
    let session = c.create_upload_session(&create()).await.unwrap();
    assert_eq!(session.upload_url, host.session(0));
    c.cancel_upload(&session).await.unwrap();
    assert!(matches!(
        c.upload_status(&session).await,
        Err(Error::Api(e)) if e.status == 404
    ));
    let state = host.state.lock().unwrap();
    assert!(state.sessions[0].deleted);
    assert!(
        state
            .requests
            .iter()
            .any(|(r, authorized)| r == "DELETE /upload/0" && !authorized)
    );
}

/// One range sent by hand, as an earlier run of the program would have.
async fn put_by_hand(url: &str, range: &[u8], total: u64) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let url = url.strip_prefix("http://").unwrap();
    let (addr, path) = url.split_once('/').unwrap();
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "PUT /{path} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {}\r\ncontent-range: bytes 0-{}/{total}\r\n\r\n",
        range.len(),
        range.len() - 1
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.write_all(range).await.unwrap();
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await.unwrap();
    answer.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_attachment_session_ends_without_a_body() {
    let host = UploadHost::start(
        LEN,
        Faults {
            bare_final: true,
            ..Faults::default()
        },
    )
    .await;
    let (item, progress) = upload(&host).await;
    assert!(item.unwrap().is_none());
    assert_eq!(progress.last().map(|p| p.sent), Some(LEN));
    assert_received_once(&host, 0);
}
