//! The real Graph reference docs, read in full: nothing panics, and no page
//! is lost silently. Needs `DOCGEN_GRAPH_DOCS` (see the README).

mod common;

use std::collections::BTreeSet;

const SNAPSHOTS: &[&str] = &["2021-07/v1.0", "2021-07/beta", "2021-04/v1.0"];

#[test]
fn every_page_yields_an_item_or_a_diagnostic() {
    let Some(graph_docs) = common::graph_docs("corpus") else {
        return;
    };
    for snapshot in SNAPSHOTS {
        let root = graph_docs.join(snapshot);
        let (pages, mut diags) = codegen::read::read_dir(&root);
        let (api, more) = codegen::model::build(&pages);
        diags.extend(more);

        let mut accounted: BTreeSet<&str> = BTreeSet::new();
        for t in &api.types {
            accounted.insert(&t.source.file);
            accounted.extend(t.properties.iter().map(|p| p.source.file.as_str()));
            accounted.extend(t.members.iter().map(|m| m.source.file.as_str()));
        }
        accounted.extend(
            api.endpoints
                .iter()
                .flat_map(|o| std::iter::once(&o.source).chain(o.also.iter().map(|a| &a.source)))
                .map(|s| s.file.as_str()),
        );
        accounted.extend(diags.iter().map(|d| d.file.as_str()));
        let lost: Vec<&str> = pages
            .iter()
            .map(|p| p.file.as_str())
            .filter(|f| !accounted.contains(f))
            .collect();
        assert!(
            lost.is_empty(),
            "{snapshot}: {} pages gave nothing and said nothing: {lost:?}",
            lost.len()
        );
        assert!(
            pages.len() > 2000,
            "{snapshot}: only {} pages read",
            pages.len()
        );
        assert!(
            api.endpoints.len() > 1500 && api.types.len() > 1000,
            "{snapshot}: too little read"
        );
    }
}
