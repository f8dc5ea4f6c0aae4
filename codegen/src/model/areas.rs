//! The area of the API a page belongs to: what the generated crate's cargo
//! features are cut along.
//!
//! A page names its area in front matter: `ms.prod` (2016–2022) or
//! `ms.subservice` (today's pages, which mostly drop `ms.prod`). The docs
//! spell one area several ways (`Sharepoint` and `sharepoint`, `teamwork`,
//! `teams` and `microsoft-teams`), so values are folded to lower case and
//! known synonyms mapped to one name. A placeholder left in a template
//! (`<ms.prod>`) is reported and names nothing.
//!
//! A page that names no area takes one from its neighbours, in order:
//! pages whose file name starts with the same word (`agentidentity.md`
//! goes with `agentidentity-get.md`), then pages that link to it (an error
//! type linked only from backup pages is a backup type). Else it belongs
//! to [`OTHER`]. Ties go to the name first in order, so the result never
//! depends on the order pages are read in.

use crate::diag::{Diagnostic, Sink};
use crate::read::Page;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The area of pages that name none.
pub const OTHER: &str = "other";

/// Spellings the docs use for an area another name already covers.
const SYNONYMS: &[(&str, &str)] = &[
    ("cloud-printing", "universal-print"),
    ("compliance", "ediscovery"),
    ("entra-applications", "applications"),
    ("entra-users", "users"),
    ("identity-and-access", "identity-and-sign-in"),
    ("non-product-specific", OTHER),
    ("teams", "microsoft-teams"),
    ("teamwork", "microsoft-teams"),
];

/// The area of every page, by file, with a note for each placeholder.
pub fn areas(pages: &[Page], diags: &mut Vec<Diagnostic>) -> BTreeMap<String, String> {
    let read: Vec<(Option<String>, Vec<Diagnostic>)> = pages
        .par_iter()
        .map(|page| {
            let mut sink = Sink::new(&page.file);
            let area = named_area(page, &mut sink);
            (area, sink.into_vec())
        })
        .collect();
    let mut named: BTreeMap<&str, Option<String>> = BTreeMap::new();
    for (page, (area, page_diags)) in pages.iter().zip(read) {
        diags.extend(page_diags);
        named.insert(page.file.as_str(), area);
    }
    // Votes: the areas of the pages sharing a first word, and of the pages
    // linking to each page. Links are only followed to pages that need
    // them (no area of their own, no namesakes), which few do.
    let mut by_word: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for page in pages {
        if let Some(area) = named[page.file.as_str()].as_deref() {
            (by_word.entry(first_word(&page.file)).or_default()).push(area);
        }
    }
    let orphans: BTreeSet<&str> = (pages.iter())
        .map(|page| page.file.as_str())
        .filter(|file| named[file].is_none() && !by_word.contains_key(first_word(file)))
        .collect();
    let mut by_link: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    if !orphans.is_empty() {
        let names: BTreeSet<&str> = (orphans.iter())
            .map(|file| file.rsplit('/').next().unwrap_or(file))
            .collect();
        let links: Vec<(Vec<String>, &str)> = pages
            .par_iter()
            .filter_map(|page| {
                let area = named[page.file.as_str()].as_deref()?;
                let mut targets = links_named(page, &names);
                targets.retain(|target| orphans.contains(target.as_str()));
                Some((targets, area))
            })
            .collect();
        for (targets, area) in links {
            for target in targets {
                by_link.entry(target).or_default().push(area);
            }
        }
    }
    pages
        .iter()
        .map(|page| {
            let area = named[page.file.as_str()].clone().or_else(|| {
                by_word
                    .get(first_word(&page.file))
                    .or_else(|| by_link.get(&page.file))
                    .and_then(|votes| most_common(votes))
            });
            (page.file.clone(), area.unwrap_or_else(|| OTHER.to_owned()))
        })
        .collect()
}

/// The area `page`'s front matter names, folded: `ms.prod`, else
/// `ms.subservice`.
fn named_area(page: &Page, sink: &mut Sink<'_>) -> Option<String> {
    ["ms.prod", "ms.subservice"].iter().find_map(|key| {
        let raw = page.front_matter.get(*key)?.trim();
        if raw.contains(['<', '>', '{', '}']) {
            sink.note(
                1,
                "area-placeholder",
                format!("`{key}: {raw}` is a template placeholder, not an area"),
            );
            return None;
        }
        let name = fold(raw);
        (!name.is_empty()).then_some(name)
    })
}

/// A non-empty name of lower-case ASCII letters, digits and `-`, fit for a
/// cargo feature whatever the page says, with synonyms mapped; or empty.
fn fold(raw: &str) -> String {
    let mut name = String::new();
    for c in raw.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    SYNONYMS
        .iter()
        .find(|(from, _)| *from == name)
        .map_or(name, |(_, to)| to)
        .to_owned()
}

/// `agentidentity` for `api/agentidentity-get.md` and
/// `resources/agentidentity.md`.
fn first_word(file: &str) -> &str {
    let stem = file.rsplit('/').next().unwrap_or(file);
    let stem = stem.strip_suffix(".md").unwrap_or(stem);
    stem.split(['-', '_']).next().unwrap_or(stem)
}

/// The docs files `page` links to whose file name is one of `names`,
/// relative to the docs root. Only links that can end in one of the names
/// are resolved: most pages link to many files and few pages need a vote.
fn links_named(page: &Page, names: &BTreeSet<&str>) -> Vec<String> {
    let mut found = Vec::new();
    let mut consider = |link: &crate::read::Link| {
        // The name a link ends in, as `read::link_target` resolves it:
        // empty and `.` steps name nothing, and after a `..` only
        // resolving tells.
        let target = link.target.split(['#', '?']).next().unwrap_or_default();
        let mut steps = target
            .rsplit(['/', '\\'])
            .filter(|s| !matches!(*s, "" | "."));
        let can_vote = steps.next().is_some_and(|s| s == ".." || names.contains(s));
        if can_vote && let Some(file) = crate::read::link_target(&page.file, &link.target) {
            found.push(file);
        }
    };
    for block in page.sections.iter().flat_map(|s| &s.blocks) {
        match block {
            crate::read::Block::Paragraph(p) => p.links.iter().for_each(&mut consider),
            crate::read::Block::Table(t) => (t.rows.iter())
                .flat_map(|r| &r.cells)
                .flat_map(|c| &c.links)
                .for_each(&mut consider),
            crate::read::Block::Code(_) => {}
        }
    }
    found
}

/// The most frequent of `votes`; among equals, the first in order.
fn most_common(votes: &[&str]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in votes {
        *counts.entry(v).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(v, _)| v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::parse_page;

    fn page(file: &str, front: &str, body: &str) -> Page {
        parse_page(file, format!("---\n{front}\n---\n# T\n\n{body}").as_bytes()).0
    }

    fn one(front: &str) -> String {
        let mut diags = Vec::new();
        let pages = [page("api/x.md", front, "")];
        areas(&pages, &mut diags).remove("api/x.md").unwrap()
    }

    #[test]
    fn folds_spellings_and_synonyms_into_one_area() {
        assert_eq!(one("ms.prod: Sharepoint"), "sharepoint");
        assert_eq!(one("ms.prod: \"sharepoint\""), "sharepoint");
        assert_eq!(one("ms.prod: teamwork"), "microsoft-teams");
        assert_eq!(one("ms.subservice: \"teams\""), "microsoft-teams");
        assert_eq!(one("ms.prod: non-product-specific"), OTHER);
    }

    #[test]
    fn subservice_stands_in_for_prod_and_placeholders_name_nothing() {
        assert_eq!(one("ms.subservice: \"entra-agent-id\""), "entra-agent-id");
        assert_eq!(
            one("ms.prod: \"\"\nms.subservice: m365-backup-storage"),
            "m365-backup-storage"
        );
        let mut diags = Vec::new();
        let pages = [page("api/x.md", "ms.prod: <ms.prod>", "")];
        assert_eq!(areas(&pages, &mut diags)["api/x.md"], OTHER);
        assert_eq!(diags[0].code, "area-placeholder");
    }

    #[test]
    fn pages_without_an_area_and_hostile_values_give_a_feature_name() {
        assert_eq!(one("title: x"), OTHER);
        assert_eq!(one("ms.prod: \"  \""), OTHER);
        assert_eq!(one("ms.prod: '\"]; evil = [\"'"), "evil");
        assert_eq!(one("ms.prod: Intune Device/Config"), "intune-device-config");
    }

    #[test]
    fn a_page_without_an_area_takes_its_neighbours() {
        let pages = [
            page(
                "api/widget-get.md",
                "ms.subservice: widgets",
                "See [error](../resources/widgeterror.md).",
            ),
            page("api/widget-list.md", "ms.subservice: widgets", ""),
            page("resources/widget.md", "title: w", ""),
            page("resources/widgeterror.md", "title: e", ""),
            page("resources/lonely.md", "title: l", ""),
            // A link from a table, with a fragment, votes; a link to a
            // file of the same name elsewhere does not.
            page(
                "api/gadget-get.md",
                "ms.subservice: gadgets",
                "| a | b |\n|---|---|\n| [e](../resources/thingerror.md#props) | x |",
            ),
            page(
                "api/widget-delete.md",
                "ms.subservice: widgets",
                "See [e](thingerror.md) and [f](../resources/thingerror.md/..).",
            ),
            page("resources/thingerror.md", "title: t", ""),
            // A step that names nothing, and a step back.
            page(
                "api/gizmo-get.md",
                "ms.subservice: gizmos",
                "[a](../resources/gizmoerror.md/) [b](../resources/gizmofault.md/sub/..)",
            ),
            page("resources/gizmoerror.md", "title: g", ""),
            page("resources/gizmofault.md", "title: g", ""),
        ];
        let found = areas(&pages, &mut Vec::new());
        assert_eq!(found["resources/widget.md"], "widgets");
        assert_eq!(found["resources/widgeterror.md"], "widgets");
        assert_eq!(found["resources/lonely.md"], OTHER);
        assert_eq!(found["resources/thingerror.md"], "gadgets");
        assert_eq!(found["resources/gizmoerror.md"], "gizmos");
        assert_eq!(found["resources/gizmofault.md"], "gizmos");
    }
}
