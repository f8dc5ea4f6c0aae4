//! A stand-in for Graph's upload hosts, on loopback: it hands out upload
//! sessions, takes byte ranges as OneDrive does (in order, `416` for a
//! range that does not start where it expects), and misbehaves on demand:
//! it drops a connection halfway through a range, expires a session, or
//! fails its status query. It keeps only a digest of what it accepted, so
//! a 200 MB upload costs it no memory.
//!
//! Plain HTTP/1.1 over tokio, one request per connection, so that a
//! connection can be cut in the middle of a body.

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What to get wrong, counted in PUTs (from 1) across all sessions.
#[derive(Clone, Copy, Debug, Default)]
pub struct Faults {
    /// Read half of this PUT's body, then close the connection.
    pub drop_put: Option<usize>,
    /// Answer this PUT `503`, keeping nothing.
    pub fail_put: Option<usize>,
    /// The first session is gone (404) once it has accepted this many
    /// ranges.
    pub expire_after: Option<usize>,
    /// Answer the last range `201` with a `Location` and no body, as
    /// Outlook does for attachments.
    pub bare_final: bool,
}

#[derive(Debug, Default)]
pub struct Session {
    /// The next byte expected.
    pub next: u64,
    /// FNV-1a of the bytes accepted, in order.
    pub digest: u64,
    pub ranges: usize,
    pub expired: bool,
    pub deleted: bool,
}

#[derive(Debug, Default)]
pub struct State {
    pub total: u64,
    pub faults: Faults,
    pub sessions: Vec<Session>,
    pub puts: usize,
    /// Every request as `METHOD /path`, with whether it carried an
    /// `Authorization` header.
    pub requests: Vec<(String, bool)>,
    /// Ranges answered `416`.
    pub refused: usize,
}

pub struct UploadHost {
    pub uri: String,
    pub state: Arc<Mutex<State>>,
}

/// FNV-1a over `bytes`, continuing from `digest` (start with
/// [`FNV_START`]).
pub fn fnv(mut digest: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        digest ^= u64::from(*b);
        digest = digest.wrapping_mul(0x0100_0000_01b3);
    }
    digest
}

pub const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

impl UploadHost {
    /// A host for an upload of `total` bytes, at `http://127.0.0.1:…`:
    /// `POST /v1.0/…/createUploadSession` opens session `n` at
    /// `/upload/n`.
    pub async fn start(total: u64, faults: Faults) -> UploadHost {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let uri = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            total,
            faults,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let base = uri.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let state = Arc::clone(&shared);
                let base = base.clone();
                tokio::spawn(async move {
                    // A peer that hangs up is not the host's failure.
                    let _ = serve(socket, &state, &base).await;
                });
            }
        });
        UploadHost { uri, state }
    }

    pub fn session(&self, n: usize) -> String {
        format!("{}/upload/{n}", self.uri)
    }
}

async fn serve(socket: TcpStream, state: &Mutex<State>, base: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(socket);
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut length = 0u64;
    let mut range = None;
    let mut authorized = false;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).await?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "content-range" => range = parse_range(value),
            "authorization" => authorized = true,
            _ => {}
        }
    }
    state
        .lock()
        .unwrap()
        .requests
        .push((format!("{method} {path}"), authorized));

    let session = path
        .strip_prefix("/upload/")
        .and_then(|n| n.parse::<usize>().ok());
    let (status, body) = match (method.as_str(), session) {
        ("POST", None) if path.ends_with("/createUploadSession") => {
            drain(&mut reader, length).await?;
            let mut s = state.lock().unwrap();
            s.sessions.push(Session {
                digest: FNV_START,
                ..Session::default()
            });
            let url = format!("{base}/upload/{}", s.sessions.len() - 1);
            (
                200,
                format!(
                    r#"{{"uploadUrl": "{url}", "expirationDateTime": "2026-12-01T12:00:00Z", "nextExpectedRanges": ["0-"]}}"#
                ),
            )
        }
        ("GET", Some(n)) => {
            let s = state.lock().unwrap();
            match s.sessions.get(n).filter(|s| !s.expired && !s.deleted) {
                Some(session) => (200, expecting(session.next)),
                None => (404, gone()),
            }
        }
        ("DELETE", Some(n)) => {
            let mut s = state.lock().unwrap();
            match s.sessions.get_mut(n) {
                Some(session) => {
                    session.deleted = true;
                    (204, String::new())
                }
                None => (404, gone()),
            }
        }
        ("PUT", Some(n)) => return put(reader, state, n, length, range).await,
        _ => (404, gone()),
    };
    respond(reader.get_mut(), status, &body).await
}

async fn put(
    mut reader: BufReader<TcpStream>,
    state: &Mutex<State>,
    n: usize,
    length: u64,
    range: Option<(u64, u64, u64)>,
) -> std::io::Result<()> {
    let (put, faults, expecting_at, gone_now) = {
        let mut s = state.lock().unwrap();
        s.puts += 1;
        let faults = s.faults;
        let put = s.puts;
        let session = s.sessions.get(n);
        let gone_now = session.is_none_or(|s| s.expired || s.deleted);
        (put, faults, session.map_or(0, |s| s.next), gone_now)
    };
    if faults.drop_put == Some(put) {
        drain(&mut reader, length / 2).await?;
        return Ok(()); // the connection closes mid-body
    }
    if gone_now {
        drain(&mut reader, length).await?;
        return respond(reader.get_mut(), 404, &gone()).await;
    }
    if faults.fail_put == Some(put) {
        drain(&mut reader, length).await?;
        return respond(reader.get_mut(), 503, &error("serviceNotAvailable")).await;
    }
    let Some((first, last, total)) = range.filter(|(f, l, _)| l >= f && l - f + 1 == length) else {
        drain(&mut reader, length).await?;
        return respond(reader.get_mut(), 400, &error("invalidRange")).await;
    };
    if first != expecting_at {
        drain(&mut reader, length).await?;
        state.lock().unwrap().refused += 1;
        return respond(reader.get_mut(), 416, &error("invalidRange")).await;
    }
    // Read the range a piece at a time, keeping only its digest.
    let mut digest = state.lock().unwrap().sessions[n].digest;
    let mut left = length;
    let mut buf = vec![0; 64 * 1024];
    while left > 0 {
        let want = usize::try_from(left.min(buf.len() as u64)).unwrap();
        let got = reader.read(&mut buf[..want]).await?;
        if got == 0 {
            return Ok(());
        }
        digest = fnv(digest, &buf[..got]);
        left -= got as u64;
    }
    let (status, body) = {
        let mut s = state.lock().unwrap();
        let expire = s.faults.expire_after;
        let bare_final = s.faults.bare_final;
        let session = &mut s.sessions[n];
        session.digest = digest;
        session.next = last + 1;
        session.ranges += 1;
        if n == 0 && expire == Some(session.ranges) {
            session.expired = true;
        }
        if session.next == total && bare_final {
            (201, String::new())
        } else if session.next == total {
            (
                201,
                format!(r#"{{"id": "item-{n}", "name": "upload.bin", "size": {total}}}"#),
            )
        } else {
            (202, expecting(session.next))
        }
    };
    respond(reader.get_mut(), status, &body).await
}

/// `bytes 0-99/1000` → `(0, 99, 1000)`.
fn parse_range(value: &str) -> Option<(u64, u64, u64)> {
    let (span, total) = value.strip_prefix("bytes ")?.split_once('/')?;
    let (first, last) = span.split_once('-')?;
    Some((first.parse().ok()?, last.parse().ok()?, total.parse().ok()?))
}

fn expecting(next: u64) -> String {
    format!(
        r#"{{"expirationDateTime": "2026-12-01T12:00:00Z", "nextExpectedRanges": ["{next}-"]}}"#
    )
}

fn error(code: &str) -> String {
    format!(r#"{{"error": {{"code": "{code}", "message": "{code}"}}}}"#)
}

fn gone() -> String {
    error("itemNotFound")
}

async fn drain(reader: &mut BufReader<TcpStream>, length: u64) -> std::io::Result<()> {
    tokio::io::copy(&mut (&mut *reader).take(length), &mut tokio::io::sink()).await?;
    Ok(())
}

async fn respond(socket: &mut TcpStream, status: u16, body: &str) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(body.as_bytes()).await?;
    socket.shutdown().await
}
