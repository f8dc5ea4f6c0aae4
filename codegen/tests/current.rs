//! Today's page generation (2023–2026), on the sample in
//! `graph-docs/current-sample`: permission includes followed, both
//! privilege columns kept, fragments not read as pages, areas from
//! `ms.subservice`. Needs `DOCGEN_GRAPH_DOCS` (see the README).

mod common;

use codegen::read::{Block, Page};
use std::collections::BTreeSet;

fn sample() -> Option<std::path::PathBuf> {
    common::graph_docs("current").map(|d| d.join("current-sample/v1.0"))
}

/// The scopes the page's include tables hold, read straight from the
/// include files, independently of the reader's splicing.
fn include_scopes(root: &std::path::Path, page: &Page) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for block in page.blocks() {
        let Block::Paragraph(p) = block else { continue };
        if !p.text.to_ascii_lowercase().starts_with("[!include") {
            continue;
        }
        for link in p.links.iter().filter(|l| l.target.contains("permissions")) {
            let file = root.join("api").join(&link.target);
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            for line in text.lines().filter(|l| l.trim_start().starts_with('|')) {
                for cell in line.split('|').skip(2) {
                    for scope in cell.split([',', ' ']) {
                        let scope = scope.trim();
                        if scope.contains('.')
                            && scope.starts_with(|c: char| c.is_ascii_uppercase())
                            && !scope.ends_with('.')
                        {
                            out.insert(scope.to_owned());
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn todays_pages_keep_their_permissions_areas_and_fragments_apart() {
    let Some(root) = sample() else { return };
    let (pages, read_diags) = codegen::read::read_dir(&root);
    assert!(
        pages.iter().all(|p| !p.file.starts_with("includes/")),
        "an include file was read as a page"
    );
    let (api, diags) = codegen::model::build(&pages);
    assert!(
        !read_diags
            .iter()
            .chain(&diags)
            .any(|d| d.file.starts_with("includes/") && d.code == "unrecognised-page")
    );

    // Every API page with a Permissions section: endpoints with scopes,
    // and every scope its include lists, least and higher privileged.
    let mut checked = 0;
    for page in pages.iter().filter(|p| p.file.starts_with("api/")) {
        if page.sections_where(|h| h == "permissions").next().is_none() {
            continue;
        }
        let endpoints: Vec<_> = api
            .endpoints
            .iter()
            .filter(|e| {
                e.source.file == page.file || e.also.iter().any(|a| a.source.file == page.file)
            })
            .collect();
        assert!(!endpoints.is_empty(), "{}: no endpoint", page.file);
        for e in &endpoints {
            let scopes: BTreeSet<String> = e
                .permissions
                .iter()
                .flat_map(|p| p.scopes.iter().chain(&p.higher).cloned())
                .collect();
            assert!(!scopes.is_empty(), "{} {}: no scopes", page.file, e.label());
            let listed = include_scopes(&root, page);
            assert!(
                listed.is_subset(&scopes),
                "{}: {:?} missing",
                page.file,
                listed.difference(&scopes).collect::<Vec<_>>()
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} pages with permissions");
    // A page whose include has a higher-privileged column keeps it apart.
    let get = api
        .endpoints
        .iter()
        .find(|e| e.source.file == "api/application-get.md")
        .unwrap();
    assert!(
        get.permissions.iter().any(|p| !p.higher.is_empty()),
        "{:?}",
        get.permissions
    );

    // Areas: from ms.prod or ms.subservice, else from neighbours; none
    // named after a placeholder.
    let other = api.areas.values().filter(|a| *a == "other").count();
    assert!(
        other * 10 <= api.areas.len(),
        "{other} of {} pages in other",
        api.areas.len()
    );
    assert!(
        api.areas.values().all(|a| !a.starts_with("ms-")),
        "{:?}",
        api.areas
    );
}
