//! Files, photos and batches: uploads a small file and downloads it back,
//! sends a multi-megabyte file through an upload session with a progress
//! line, sets the signed-in user's photo, and asks three things in one
//! batch.
//!
//! With no arguments it runs against a local server it starts itself,
//! which answers as Microsoft Graph and OneDrive's upload and download hosts
//! would (and refuses the bearer token where they would never see it):
//!
//! ```text
//! cargo run --example files
//! ```
//!
//! The same `run` function works against Microsoft Graph, given a service
//! root and a token with Files.ReadWrite and User.ReadWrite (e.g. from
//! `az account get-access-token --resource-type ms-graph`); it writes
//! `docgen-hello.txt` and `docgen-big.bin` to the root of your OneDrive
//! and replaces your photo with a generated image:
//!
//! ```text
//! GRAPH_TOKEN=… cargo run --example files -- https://graph.microsoft.com/v1.0 photo.jpg
//! ```

use docgen::api;
use docgen::api::MeDriveItemsByPathCreateUploadSessionBody;
use docgen::runtime::client::{StaticToken, UploadOptions};
use docgen::runtime::{Batch, Client, Content, Error};
use docgen::types::{DriveItem, DriveItemUploadableProperties};
use std::io::Write;

/// The size of the file sent through an upload session.
const BIG: usize = 6 * 1024 * 1024 + 12_345;

async fn run(client: &Client, photo: Vec<u8>) -> Result<(), Box<dyn std::error::Error>> {
    // A small file goes up in one request and comes back through the
    // download URL the service redirects to.
    let text = "Hello from docgen.\n";
    let item: DriveItem = client
        .send(
            &api::me()
                .drive()
                .items()
                .by_id("root")
                .by_path("docgen-hello.txt")
                .content()
                .put(Content::from(text).with_type("text/plain")),
        )
        .await?;
    let id = item.id.as_deref().ok_or("the upload answered no id")?;
    let back = client
        .download(&api::me().drive().items().by_id(id).content().get())
        .await?;
    assert_eq!(back.text(), Some(text), "the file came back changed");
    println!(
        "uploaded and downloaded {} ({} bytes)",
        id,
        back.bytes.len()
    );

    // A large file goes through an upload session, read from disk a range
    // at a time.
    let path = std::env::temp_dir().join(format!("docgen-big-{}.bin", std::process::id()));
    {
        let mut file = std::fs::File::create(&path)?;
        let block: Vec<u8> = (0..=255u8).collect();
        for _ in 0..BIG / block.len() {
            file.write_all(&block)?;
        }
        file.write_all(&block[..BIG % block.len()])?;
    }
    let create = api::me()
        .drive()
        .items()
        .by_id("root")
        .by_path("docgen-big.bin")
        .create_upload_session()
        .post(&MeDriveItemsByPathCreateUploadSessionBody {
            item: Some(DriveItemUploadableProperties {
                name: Some("docgen-big.bin".into()),
                ..Default::default()
            }),
            ..Default::default()
        });
    let mut file = tokio::fs::File::open(&path).await?;
    let len = file.metadata().await?.len();
    let uploaded: Result<Option<DriveItem>, Error> = client
        .upload(&create, &mut file, len, &UploadOptions::default(), |p| {
            print!("\ruploading docgen-big.bin: {:>3}%", p.sent * 100 / p.total);
            let _ = std::io::stdout().flush();
        })
        .await;
    println!();
    std::fs::remove_file(&path)?;
    let uploaded = uploaded?.ok_or("the upload session answered no item")?;
    println!(
        "uploaded {} in ranges ({} bytes)",
        uploaded.name.as_deref().unwrap_or("?"),
        uploaded.size.unwrap_or_default()
    );

    // The photo is bytes of its own type.
    client
        .send(&api::me().photo().value().put(Content::bytes(photo)))
        .await?;
    println!("set the photo");

    // Three requests, one round trip.
    let mut batch = Batch::new();
    let me = batch.add(&api::me().get().select(&["id", "displayName"]))?;
    let photo = batch.add(&api::me().photo().get())?;
    let users = batch.add(&api::users().list().top(3))?;
    let answers = client.send_batch(&batch).await?;
    let me = answers.get(&me)?;
    println!(
        "batch: I am {}",
        me.display_name.as_deref().unwrap_or("(no name)")
    );
    match answers.get(&photo) {
        Ok(p) => println!(
            "batch: my photo is {}x{}",
            p.width.unwrap_or_default(),
            p.height.unwrap_or_default()
        ),
        Err(Error::Api(e)) if e.status == 404 => println!("batch: I have no photo"),
        Err(e) => return Err(e.into()),
    }
    println!("batch: {} users", answers.get(&users)?.value.len());
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [root, photo] => {
            let token = std::env::var("GRAPH_TOKEN").map_err(|_| "set GRAPH_TOKEN")?;
            let client = Client::new(root, StaticToken::new(token))?;
            run(&client, std::fs::read(photo)?).await
        }
        [] => {
            let (server, _storage) = local::start().await;
            let client = Client::new(&server.uri(), StaticToken::new("local"))?;
            // Not a real JPEG: the local server only checks the type.
            run(&client, b"\xFF\xD8\xFF\xE0 a tiny photo".to_vec()).await
        }
        _ => Err("usage: files [ROOT PHOTO.jpg]".into()),
    }
}

/// A stand-in for the service on loopback: a drive that keeps what it is
/// given, a download host and an upload host that refuse the bearer token,
/// a photo, and `$batch`.
mod local {
    use serde_json::{Value, json};
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    use wiremock::matchers::{header, method, path, path_regex};
    use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

    type Files = Arc<Mutex<HashMap<String, Vec<u8>>>>;

    /// The service, and a second host for downloads and upload ranges, as
    /// OneDrive has: the token must never reach it.
    pub async fn start() -> (MockServer, MockServer) {
        let server = MockServer::start().await;
        let storage = MockServer::start().await;
        let files: Files = Arc::default();
        let storage_uri = storage.uri();
        Mock::given(method("PUT"))
            .and(path_regex(r"^/me/drive/items/root:/[^/]+:/content$"))
            .and(header("authorization", "Bearer local"))
            .respond_with(Store(files.clone()))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(r"^/me/drive/items/[^/]+/content$"))
            .and(header("authorization", "Bearer local"))
            .respond_with(RedirectTo(storage_uri.clone()))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path_regex(
                r"^/me/drive/items/root:/[^/]+:/createUploadSession$",
            ))
            .respond_with(OpenSession(storage_uri))
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(path("/me/photo/$value"))
            .and(header("content-type", "image/jpeg"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/$batch"))
            .respond_with(Batch)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(r"^/download/"))
            .respond_with(Download(files.clone()))
            .mount(&storage)
            .await;
        Mock::given(method("PUT"))
            .and(path_regex(r"^/upload/"))
            .respond_with(Range(files))
            .mount(&storage)
            .await;
        (server, storage)
    }

    /// The item's name: `root:/{name}:` in a path.
    fn name(request: &Request) -> String {
        let path = request.url.path();
        let after = path.split(":/").nth(1).unwrap_or_default();
        after
            .trim_end_matches(":/content")
            .trim_end_matches(':')
            .to_owned()
    }

    fn tokenless(request: &Request) -> Option<ResponseTemplate> {
        request
            .headers
            .contains_key("authorization")
            .then(|| ResponseTemplate::new(401).set_body_string("this host takes no token"))
    }

    struct Store(Files);

    impl Respond for Store {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let name = name(request);
            let size = request.body.len();
            self.0
                .lock()
                .unwrap()
                .insert(name.clone(), request.body.clone());
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": name, "name": name, "size": size}))
        }
    }

    struct RedirectTo(String);

    impl Respond for RedirectTo {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let id = request.url.path().split('/').nth(4).unwrap_or_default();
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/download/{id}?sig=x", self.0))
        }
    }

    struct Download(Files);

    impl Respond for Download {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            if let Some(refused) = tokenless(request) {
                return refused;
            }
            let id = request.url.path().trim_start_matches("/download/");
            match self.0.lock().unwrap().get(id) {
                Some(bytes) => ResponseTemplate::new(200)
                    .set_body_raw(bytes.clone(), "application/octet-stream"),
                None => ResponseTemplate::new(404),
            }
        }
    }

    struct OpenSession(String);

    impl Respond for OpenSession {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            ResponseTemplate::new(200).set_body_json(json!({
                "uploadUrl": format!("{}/upload/{}", self.0, name(request)),
                "expirationDateTime": "2030-01-01T00:00:00Z",
                "nextExpectedRanges": ["0-"],
            }))
        }
    }

    /// Takes ranges in order, as OneDrive does.
    struct Range(Files);

    impl Respond for Range {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            if let Some(refused) = tokenless(request) {
                return refused;
            }
            let range = request
                .headers
                .get("content-range")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("bytes "))
                .and_then(|v| {
                    let (span, total) = v.split_once('/')?;
                    let (first, last) = span.split_once('-')?;
                    Some((
                        first.parse::<usize>().ok()?,
                        last.parse::<usize>().ok()?,
                        total.parse::<usize>().ok()?,
                    ))
                });
            let Some((first, last, total)) = range else {
                return ResponseTemplate::new(400);
            };
            let name = request.url.path().trim_start_matches("/upload/").to_owned();
            let mut files = self.0.lock().unwrap();
            let file = files.entry(name.clone()).or_default();
            if first != file.len() || last + 1 - first != request.body.len() {
                return ResponseTemplate::new(416);
            }
            file.extend_from_slice(&request.body);
            if file.len() == total {
                ResponseTemplate::new(201)
                    .set_body_json(json!({"id": name, "name": name, "size": total}))
            } else {
                ResponseTemplate::new(202)
                    .set_body_json(json!({"nextExpectedRanges": [format!("{}-", file.len())]}))
            }
        }
    }

    struct Batch;

    impl Respond for Batch {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let calls: Value = serde_json::from_slice(&request.body).unwrap_or_default();
            let responses: Vec<Value> = calls["requests"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|call| {
                    let url = call["url"].as_str().unwrap_or_default();
                    let body = if url.starts_with("/me/photo") {
                        json!({"id": "240x240", "width": 240, "height": 240})
                    } else if url.starts_with("/me") {
                        json!({"id": "1", "displayName": "Adele Vance"})
                    } else {
                        json!({"value": [{"id": "1"}, {"id": "2"}, {"id": "3"}]})
                    };
                    json!({"id": call["id"], "status": 200, "body": body})
                })
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
        }
    }
}
