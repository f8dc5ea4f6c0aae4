//! The endpoint model over the real Graph docs: every request line an API
//! page documents is an endpoint or has a diagnostic, and the endpoints
//! users reach for first are there with their bodies and responses. Needs
//! `DOCGEN_GRAPH_DOCS` (see the README).

mod common;

use codegen::model::{Api, Endpoint, Method, RequestBody, TypeRef, TypeUse};
use codegen::read::{Block, Page};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// `GET https://graph.microsoft.com/v1.0/Users/{id | upn}/x/?a={b}` →
/// `GET /users/{}/x`: the normalisation the model's keys document, written
/// out independently so the test can catch the model's reading.
fn key(method: &str, path: &str) -> String {
    let path = path.trim();
    let path = match path.find("://") {
        Some(i) => {
            let rest = &path[i + 3..];
            let rest = rest.find('/').map_or("", |j| &rest[j..]);
            // Drop the version segment.
            rest[1.min(rest.len())..]
                .find('/')
                .map_or("", |j| &rest[1 + j..])
        }
        None => path,
    };
    let path = path.split('?').next().unwrap_or_default();
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' | '<' => {
                if depth == 0 {
                    out.push_str("{}");
                }
                depth += 1;
            }
            '}' | '>' => depth -= 1,
            _ if depth == 0 => out.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    // A quoted placeholder is OData's string literal of the same value,
    // and `root:/{path}:` at the end is `root:/{path}`.
    let mut out = out.replace("'{}'", "{}");
    if out.ends_with("{}:") {
        out.pop();
    }
    format!("{method} {out}")
}

/// Every `METHOD /path` line in a page's HTTP blocks before its examples,
/// with its line.
fn request_lines(page: &Page) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for section in &page.sections {
        if section.level >= 2 && section.heading.to_ascii_lowercase().contains("example") {
            break;
        }
        for block in &section.blocks {
            let Block::Code(code) = block else { continue };
            for (n, line) in code.text.lines().enumerate() {
                let mut words = line.split_whitespace();
                let (Some(method), Some(_)) = (words.next(), words.next()) else {
                    continue;
                };
                let method = method.to_ascii_uppercase();
                if Method::parse(&method).is_none() {
                    continue;
                }
                let rest = line.trim_start()[method.len()..].trim();
                let path = match rest.rsplit_once(' ') {
                    Some((p, v)) if v.starts_with("HTTP/") => p,
                    _ => rest,
                };
                let at = code.line + u32::try_from(n).unwrap();
                out.push((key(&method, path), at));
            }
        }
    }
    out
}

#[test]
fn every_request_line_is_an_endpoint_or_has_a_diagnostic() {
    let Some(graph_docs) = common::graph_docs("endpoints") else {
        return;
    };
    for snapshot in ["2021-07/v1.0", "2021-07/beta"] {
        let (pages, read_diags) = codegen::read::read_dir(&graph_docs.join(snapshot));
        let (api, model_diags) = codegen::model::build(&pages);
        let endpoints: BTreeSet<String> = api.endpoints.iter().map(Endpoint::key).collect();
        let mut said: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
        let mut whole_page: BTreeSet<&str> = BTreeSet::new();
        for d in read_diags.iter().chain(&model_diags) {
            said.entry(&d.file).or_default().insert(d.line);
            if matches!(d.code, "conceptual-page" | "unrecognised-page") {
                whole_page.insert(&d.file);
            }
        }
        let mut lines: BTreeMap<String, Vec<(String, u32)>> = BTreeMap::new();
        for page in pages.iter().filter(|p| p.file.starts_with("api/")) {
            for (key, line) in request_lines(page) {
                lines
                    .entry(key)
                    .or_default()
                    .push((page.file.clone(), line));
            }
        }
        let (mut found, mut diagnosed, mut lost) = (0, 0, Vec::new());
        for (key, places) in &lines {
            if endpoints.contains(key) {
                found += 1;
            } else if places.iter().all(|(file, line)| {
                whole_page.contains(file.as_str())
                    || said.get(file.as_str()).is_some_and(|l| l.contains(line))
            }) {
                diagnosed += 1;
            } else {
                lost.push((key, places));
            }
        }
        let _ = writeln!(
            std::io::stderr(),
            "{snapshot}: {} distinct request lines: {found} endpoints, {diagnosed} with a diagnostic; the model has {} endpoints",
            lines.len(),
            api.endpoints.len()
        );
        assert!(
            lost.is_empty(),
            "{snapshot}: {} lost: {lost:#?}",
            lost.len()
        );
    }
}

fn find<'a>(api: &'a Api, method: Method, path: &str) -> &'a Endpoint {
    let wanted = key(method.as_str(), path);
    api.endpoints
        .iter()
        .find(|e| e.key() == wanted)
        .unwrap_or_else(|| panic!("no endpoint {wanted}"))
}

fn one(name: &str) -> Option<TypeUse> {
    Some(TypeUse {
        ty: TypeRef::Named(name.to_owned()),
        collection: false,
    })
}

#[test]
fn the_endpoints_users_reach_for_first_are_there() {
    let Some(graph_docs) = common::graph_docs("endpoints") else {
        return;
    };
    let (pages, _) = codegen::read::read_dir(&graph_docs.join("2021-07/v1.0"));
    let (api, _) = codegen::model::build(&pages);
    for path in [
        "/me/drive/items/{id}/content",
        "/drives/{id}/items/{id}:/{filename}:/content",
    ] {
        assert_eq!(
            find(&api, Method::Put, path).response.body,
            one("driveItem")
        );
    }
    find(&api, Method::Put, "/me/photo/$value");
    find(&api, Method::Patch, "/me/photo/$value");
    for path in ["/sites/root", "/sites/{hostname}:/{path}"] {
        assert_eq!(find(&api, Method::Get, path).response.body, one("site"));
    }
    for path in ["/users/{id}/drives", "/me/drives"] {
        let drives = &find(&api, Method::Get, path).response.body;
        assert_eq!(
            drives,
            &Some(TypeUse {
                ty: TypeRef::Named("drive".into()),
                collection: true
            })
        );
    }
    assert_eq!(
        find(&api, Method::Post, "/chats/{id}/members").request_body,
        Some(RequestBody::Type(one("conversationMember").unwrap()))
    );
    assert_eq!(
        find(&api, Method::Patch, "/planner/tasks/{id}").request_body,
        Some(RequestBody::Type(one("plannerTask").unwrap()))
    );
    let view = find(&api, Method::Get, "/users/{id}/calendarView");
    assert_eq!(view.path.query, ["startDateTime", "endDateTime"]);
    // `GET /users` is documented by the user page and by Intune pages: one
    // endpoint, its reading from the user page, the others as sources.
    let users = find(&api, Method::Get, "/users");
    assert_eq!(users.source.file, "api/user-list.md");
    assert!(!users.also.is_empty());
}

#[test]
fn numeric_suffixes_come_only_from_one_function_spelled_several_ways() {
    let Some(graph_docs) = common::graph_docs("endpoints") else {
        return;
    };
    let (pages, _) = codegen::read::read_dir(&graph_docs.join("2021-07/v1.0"));
    let (api, _) = codegen::model::build(&pages);
    let plan = codegen::emit::Plan::new(&api, &codegen::emit::NameLock::default());
    let suffixed: Vec<(&str, &str)> = plan
        .nodes
        .iter()
        .zip(&plan.tree.nodes)
        .filter(|(names, _)| {
            names
                .method
                .rsplit_once('_')
                .is_some_and(|(_, n)| n.parse::<u32>().is_ok())
        })
        .map(|(names, node)| (names.method.as_str(), node.key.as_str()))
        .collect();
    let _ = writeln!(
        std::io::stderr(),
        "2021-07/v1.0: {} suffixed steps: {suffixed:#?}",
        suffixed.len()
    );
    // `range({address})` beside `range(address='{address}')` (twice), and
    // a `content[` typo beside `content`: doc spellings, not endpoints
    // documented twice.
    assert!(suffixed.len() <= 3, "{suffixed:#?}");
    // Every endpoint has a call of its own.
    let calls: BTreeSet<String> = (0..api.endpoints.len())
        .map(|e| plan.call_text(e))
        .collect();
    assert_eq!(calls.len(), api.endpoints.len());
}

/// The endpoints that carry files, photos and reports send or answer
/// bytes with a media type, not JSON; the list of all such endpoints is
/// printed (`--nocapture`) for review.
#[test]
fn files_photos_and_reports_are_bytes() {
    let Some(graph_docs) = common::graph_docs("endpoints") else {
        return;
    };
    let (pages, _) = codegen::read::read_dir(&graph_docs.join("2021-07/v1.0"));
    let (api, _) = codegen::model::build(&pages);
    let content = |media: &str| {
        Some(RequestBody::Content {
            content_type: media.to_owned(),
        })
    };
    for path in [
        "/me/drive/items/{id}/content",
        "/me/drive/items/{id}:/{filename}:/content",
    ] {
        let put = find(&api, Method::Put, path);
        assert!(put.sends_content(), "{path}: {:?}", put.request_body);
        assert_eq!(put.response.body, one("driveItem"));
    }
    let download = find(&api, Method::Get, "/me/drive/items/{id}/content");
    assert_eq!(
        (download.response.status, download.response.body.as_ref()),
        (302, None)
    );
    assert!(download.response.content_type.is_some());
    let photo = find(&api, Method::Get, "/me/photo/$value");
    assert!(photo.response.content_type.is_some());
    assert_eq!(photo.response.body, None);
    assert_eq!(
        find(&api, Method::Put, "/me/photo/$value").request_body,
        content("image/jpeg")
    );
    // The metadata beside it stays JSON.
    assert_eq!(
        find(&api, Method::Get, "/me/photo").response.body,
        one("profilePhoto")
    );
    let report = find(
        &api,
        Method::Get,
        "/reports/getOffice365ActiveUserDetail(period='{period}')",
    );
    assert_eq!(report.response.content_type.as_deref(), Some("text/csv"));
    for path in [
        "/me/drive/items/{id}/createUploadSession",
        "/me/drive/root:/{path}:/createUploadSession",
    ] {
        assert_eq!(
            find(&api, Method::Post, path).response.body,
            one("uploadSession")
        );
    }
    // OneNote's PATCH …/content sends JSON commands, not bytes.
    assert!(!find(&api, Method::Patch, "/me/onenote/pages/{id}/content").sends_content());

    let mut out = std::io::stdout().lock();
    let mut sends = 0;
    let mut answers = 0;
    for e in &api.endpoints {
        let request = match &e.request_body {
            Some(RequestBody::Content { content_type }) => {
                sends += 1;
                content_type.as_str()
            }
            _ => "-",
        };
        let response = e.response.content_type.as_deref().unwrap_or("-");
        answers += usize::from(response != "-");
        if request != "-" || response != "-" {
            let _ = writeln!(
                out,
                "{:<60} sends {request:<26} answers {response}",
                e.label()
            );
        }
    }
    let _ = writeln!(out, "{sends} endpoints send bytes, {answers} answer bytes");
    assert!(
        sends >= 30 && answers >= 100,
        "{sends} send, {answers} answer"
    );
}
