//! A 200 MB file through an upload session keeps the process under 32 MB
//! of heap: the file is read one range at a time, and each range is
//! handed to the transport without copies.
//!
//! Measured with a counting allocator, which sees every allocation of the
//! process (the loopback host's included), not with a clock.

mod common;

use common::upload_host::{FNV_START, Faults, UploadHost, fnv};
use docgen_runtime::Client;
use docgen_runtime::client::{StaticToken, UploadOptions, UploadSession};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; the
// counters only add and subtract sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is the system allocator's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: u64 = 1024 * 1024;
const LEN: u64 = 200 * MB;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_mb_upload_stays_under_32_mb_of_heap() {
    let path = std::env::temp_dir().join(format!("docgen-upload-{}.bin", std::process::id()));
    let mut digest = FNV_START;
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let block: Vec<u8> = (0..MB).map(|i| (i * 31 % 251) as u8).collect();
        for n in 0..LEN / MB {
            let mut b = block.clone();
            b[0] = n as u8;
            digest = fnv(digest, &b);
            file.write_all(&b).unwrap();
        }
    }
    let host = UploadHost::start(LEN, Faults::default()).await;
    let client = Client::new(&format!("{}/v1.0", host.uri), StaticToken::new("t")).unwrap();
    let create = docgen_runtime::Request::<UploadSession>::new(
        docgen_runtime::Method::Post,
        "/me/drive/root:/big.bin:/createUploadSession".into(),
    );

    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut file = tokio::fs::File::open(&path).await.unwrap();
    let mut last = 0;
    let item: Option<serde_json::Value> = client
        .upload(&create, &mut file, LEN, &UploadOptions::default(), |p| {
            last = p.sent;
        })
        .await
        .unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    std::fs::remove_file(&path).unwrap();

    assert_eq!(item.unwrap()["size"], LEN);
    assert_eq!(last, LEN);
    let state = host.state.lock().unwrap();
    assert_eq!(
        state.sessions[0].digest, digest,
        "the bytes arrived as sent"
    );
    println!(
        "peak heap during a {} MB upload: {:.1} MB",
        LEN / MB,
        peak as f64 / MB as f64
    );
    assert!(peak < 32 * MB as usize, "peak heap {peak} bytes");
}
