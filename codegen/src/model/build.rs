//! Page roles and the order in which the model is put together.

use super::{Api, operations, resolve, resources};
use crate::diag::{Diagnostic, Sink};
use crate::read::Page;

#[derive(Debug, PartialEq, Eq)]
enum Role {
    Resource,
    Enum,
    Api,
    Other,
}

/// What a page documents: the front matter's `doc_type` where there is one,
/// otherwise its title and sections (2016–2018 pages have no front matter).
fn role(page: &Page) -> Role {
    match page
        .front_matter
        .get("doc_type")
        .map(|d| d.to_ascii_lowercase())
        .as_deref()
    {
        Some("resourcepagetype") => return Role::Resource,
        Some("enumpagetype") => return Role::Enum,
        Some("apipagetype") => return Role::Api,
        Some(_) => return Role::Other,
        None => {}
    }
    let title = page
        .title()
        .map(|t| t.heading.to_ascii_lowercase())
        .unwrap_or_default();
    if title.ends_with("enum type") {
        Role::Enum
    } else if title.ends_with("resource type") || title.ends_with("complex type") {
        Role::Resource
    } else if page
        .sections_where(|h| h == "http request")
        .next()
        .is_some()
    {
        Role::Api
    } else {
        Role::Other
    }
}

/// Builds the API model from every page of a docs tree.
///
/// Types come first so that API pages can resolve the type names in their
/// prose; then every name is resolved and the result sorted.
pub fn build(pages: &[Page]) -> (Api, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut fragments = Vec::new();
    let mut api_pages = Vec::new();
    for page in pages {
        let mut sink = Sink::new(&page.file);
        match role(page) {
            Role::Resource => fragments.extend(resources::resource_types(page, &mut sink)),
            Role::Enum => {
                let enums = resources::enum_types(page, &mut sink);
                if enums.is_empty() {
                    let line = page.title().map_or(1, |t| t.line);
                    sink.warn(line, "no-enum-members", "enum page has no members table");
                }
                fragments.extend(enums);
            }
            Role::Api => api_pages.push(page),
            Role::Other => {}
        }
        diags.extend(sink.into_vec());
    }
    let types = resolve::merge(fragments, &mut diags);
    let index = resolve::TypeIndex::new(&types);
    let mut api = Api {
        types,
        operations: Vec::new(),
    };
    for page in api_pages {
        let mut sink = Sink::new(&page.file);
        api.operations
            .extend(operations::operation(page, &index, &mut sink));
        diags.extend(sink.into_vec());
    }
    resolve::resolve(&mut api, &mut diags);
    diags.sort();
    diags.dedup();
    (api, diags)
}
