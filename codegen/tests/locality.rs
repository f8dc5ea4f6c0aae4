//! Locality: a change to one doc page changes only the generated files of
//! the items that page defines (and the API listing, when the API changes),
//! so that a regeneration's diff is as small as the docs change behind it.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A copy of docs-input/ to edit.
fn docs(case: &str) -> PathBuf {
    let dir = common::scratch(&format!("locality-{case}"));
    common::copy_dir(&common::docs_input(), &dir);
    dir
}

/// Every generated file by path.
fn generate(docs: &Path) -> BTreeMap<String, String> {
    codegen::Generator::new(docs)
        .sources()
        .unwrap()
        .files
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect()
}

/// Replaces the one occurrence of `from` in the page.
fn edit(docs: &Path, page: &str, from: &str, to: &str) {
    let path = docs.join(page);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} in {page}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The paths added, removed or changed from `before` to `after`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Changes {
    added: BTreeSet<String>,
    removed: BTreeSet<String>,
    changed: BTreeSet<String>,
}

fn changes(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Changes {
    let mut out = Changes::default();
    for (path, contents) in after {
        match before.get(path) {
            None => out.added.insert(path.clone()),
            Some(old) if old != contents => out.changed.insert(path.clone()),
            Some(_) => false,
        };
    }
    out.removed = before
        .keys()
        .filter(|p| !after.contains_key(*p))
        .cloned()
        .collect();
    out
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| (*p).to_owned()).collect()
}

/// Generates, applies `change` to the docs, regenerates: what changed, and
/// the files before and after.
fn regenerate(
    case: &str,
    change: impl FnOnce(&Path),
) -> (Changes, BTreeMap<String, String>, BTreeMap<String, String>) {
    let docs = docs(case);
    let before = generate(&docs);
    change(&docs);
    let after = generate(&docs);
    (changes(&before, &after), before, after)
}

/// The lines of `path` only in `after`, and only in `before`.
fn line_changes(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    path: &str,
) -> (Vec<String>, Vec<String>) {
    let lines = |files: &BTreeMap<String, String>| -> BTreeSet<String> {
        files[path].lines().map(str::to_owned).collect()
    };
    let (old, new) = (lines(before), lines(after));
    (
        new.difference(&old).cloned().collect(),
        old.difference(&new).cloned().collect(),
    )
}

#[test]
fn a_property_description_changes_only_its_type_file() {
    let (changes, ..) = regenerate("description", |docs| {
        edit(
            docs,
            "resources/user.md",
            "|mail|String|Primary SMTP address.|",
            "|mail|String|Primary SMTP address, the one replies go to.|",
        );
    });
    // The struct and its update struct, which live in one file.
    assert_eq!(
        changes,
        Changes {
            changed: set(&["types/user.rs"]),
            ..Changes::default()
        }
    );
}

#[test]
fn an_example_value_changes_only_its_endpoints_fixture() {
    let (changes, ..) = regenerate("example-value", |docs| {
        edit(
            docs,
            "api/user-get.md",
            r#""displayName": "Priya Raman","#,
            r#""displayName": "Priya Raman-Iyer","#,
        );
    });
    assert_eq!(
        changes,
        Changes {
            changed: set(&["fixtures/users_get.json"]),
            ..Changes::default()
        }
    );
}

#[test]
fn moving_a_pages_examples_down_changes_only_that_pages_files() {
    // A sentence above the examples moves their lines, and only theirs.
    let (changes, ..) = regenerate("example-lines", |docs| {
        edit(
            docs,
            "api/user-get.md",
            "## Example\n",
            "## Example\n\nBoth forms of the path answer the same way.\n",
        );
    });
    assert_eq!(
        changes,
        Changes {
            changed: set(&["fixtures/users_get.json"]),
            ..Changes::default()
        }
    );

    // A sentence at the top moves every line of the page, the operation's
    // own included.
    let (changes, ..) = regenerate("page-lines", |docs| {
        edit(
            docs,
            "api/user-get.md",
            "Namespace: microsoft.graph\n",
            "Namespace: microsoft.graph\n\nAvailable in the v1.0 and beta endpoints.\n",
        );
    });
    assert_eq!(
        changes,
        Changes {
            changed: set(&["api/me.rs", "api/users.rs", "fixtures/users_get.json",]),
            ..Changes::default()
        }
    );
}

#[test]
fn a_new_property_changes_its_type_file_and_the_api_listing() {
    let (changes, before, after) = regenerate("new-property", |docs| {
        edit(
            docs,
            "resources/workinghours.md",
            "|endTime|TimeOfDay|Time at which the working day finishes.|\n",
            "|endTime|TimeOfDay|Time at which the working day finishes.|\n|timeZone|String|Time zone the hours are given in.|\n",
        );
    });
    assert_eq!(
        changes,
        Changes {
            changed: set(&["api.txt", "types/working_hours.rs"]),
            ..Changes::default()
        }
    );
    assert_eq!(
        line_changes(&before, &after, "api.txt"),
        (
            vec!["field types::WorkingHours::time_zone: Option<String>".to_owned()],
            vec![]
        )
    );

    // On a page that defines more than one item, the row moves the lines of
    // what the page defines below it: here the in-page `ageGroup` enum,
    // whose docs cite its line. Its API does not change.
    let (changes, before, after) = regenerate("new-property-with-enum", |docs| {
        edit(
            docs,
            "resources/user.md",
            "|mail|String|Primary SMTP address.|\n",
            "|mail|String|Primary SMTP address.|\n|jobTitle|String|The user's job title.|\n",
        );
    });
    assert_eq!(
        changes,
        Changes {
            changed: set(&["api.txt", "types/age_group.rs", "types/user.rs"]),
            ..Changes::default()
        }
    );
    assert_eq!(
        line_changes(&before, &after, "types/age_group.rs"),
        (
            vec!["/// Documented in `resources/user.md` (line 47).".to_owned()],
            vec!["/// Documented in `resources/user.md` (line 46).".to_owned()]
        )
    );
    assert_eq!(
        line_changes(&before, &after, "api.txt"),
        (
            vec![
                "field types::User::job_title: Option<String>".to_owned(),
                "field types::UserPatch::job_title: docgen_runtime::Patch<String>".to_owned(),
            ],
            vec![]
        )
    );
}

#[test]
fn removing_a_page_changes_its_tree_file_the_module_lists_and_nothing_else() {
    let (changes, ..) = regenerate("removed-operation", |docs| {
        std::fs::remove_file(docs.join("api/user-delta.md")).unwrap();
    });
    assert_eq!(
        changes,
        Changes {
            removed: set(&[
                "fixtures/users_delta_list.json",
                "fixtures/users_delta_list.rs",
            ]),
            changed: set(&[
                "api.txt",
                // The tree file of the path it documented.
                "api/users.rs",
                "fixtures/mod.rs",
                // The mock's routes below the same first segment.
                "mock/users.rs",
                codegen::emit::lock::FILE,
            ]),
            ..Changes::default()
        }
    );
}
