//! Snapshots of generated code: one file per construct from docs-input/,
//! and a page of hostile names. Review changes with `cargo insta review`.

mod common;

use codegen::emit::SourceFile;

fn generated(files: &[SourceFile], path: &str) -> String {
    files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} was not generated"))
        .contents
        .clone()
}

#[test]
fn docs_input_constructs() {
    let files = codegen::Generator::new(common::docs_input())
        .sources()
        .unwrap()
        .files;
    for path in [
        "lib.rs",
        // Inheritance over two levels, an in-page enum, collections, a nested complex type.
        "types/user.rs",
        // A standalone enum page.
        "types/day_of_week.rs",
        // A derived complex type.
        "types/exclusion_group_assignment_target.rs",
        // The request tree: the nine paths of the old-style page, with type
        // cast steps.
        "api/device_management.rs",
        // Keys named from their segment, an action's parameters, a function
        // with parameters inside the path, a collection response.
        "api/users.rs",
        // Every first segment, re-exported.
        "api/mod.rs",
        "types/mod.rs",
        // An operation's examples: the checks and the call that replays
        // them, and the fixture they read.
        "fixtures/users_update.rs",
        "fixtures/users_update.json",
        // The mock's routes: the server named, and those below `/me` (a
        // body of parameters, content answered, paths with `:/{path}:`).
        "mock/mod.rs",
        "mock/me.rs",
        // The public API listing: every item of the files above and the rest.
        "api.txt",
    ] {
        let name = path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, generated(&files, path));
    }
}

#[test]
fn hostile_names_become_valid_distinct_identifiers() {
    let page = r#"# type resource type

Descriptions with */ and #[attr] and `code` and [links] and <b>html</b> and "quotes" \ backslash.

## Properties
|Property|Type|Description|
|--|--|--|
|type|String|A keyword.|
|self|String|Another.|
|Self|String|Collides with self after case conversion.|
|crate|Boolean|Keyword.|
|async|Int32|Keyword.|
|display name|String|Space.|
|odata.etag|String|Dot.|
|kebab-case|String|Dash.|
|1stPlace|String|Leading digit.|
|ünïcode|String|Non-ASCII.|
|@odata.type|String|At sign.|
|additionalProperties|String|Collides with the catch-all field.|
|displayName|String|Collides with `display name`.|
|next|[type](#)|Refers to its own type.|

### mode values
|Member|Description|
|--|--|
|Other|Collides with the catch-all variant.|
|none|A keyword-ish member.|
|None|Collides after case conversion.|
|123|Numeric.|
"#;
    let (read, _) = codegen::read::parse_page("resources/type.md", page.as_bytes());
    let (api, _) = codegen::model::build(&[read]);
    let files = codegen::emit::emit(
        &api,
        &codegen::emit::NameLock::default(),
        codegen::emit::Layout::Module,
        &codegen::emit::Cache::default(),
    )
    .expect("hostile names still give valid Rust")
    .files;
    insta::assert_snapshot!("hostile_type", generated(&files, "types/type_.rs"));
    insta::assert_snapshot!("hostile_enum", generated(&files, "types/mode.rs"));
}

#[test]
fn repeated_placeholders_query_parameters_and_item_paths() {
    let page = "---\ndoc_type: apiPageType\n---\n# Remove member\n\n## HTTP request\n```http\nDELETE /groups/{id}/members/{id}/$ref\n```\n\n## Response\nReturns `204 No Content`.\n";
    let view = "---\ndoc_type: apiPageType\n---\n# List calendarView\n\n## HTTP request\n```http\nGET /me/calendarView?startDateTime={start_datetime}&endDateTime={end_datetime}\n```\n\n## Response\nReturns `200 OK`.\n";
    let content = "---\ndoc_type: apiPageType\n---\n# Download file content\n\n## HTTP request\n```http\nGET /me/drive/root:/{item-path}:/content\n```\n\n## Response\nReturns `302 Found`.\n";
    let pages: Vec<_> = [
        ("api/remove.md", page),
        ("api/view.md", view),
        ("api/content.md", content),
    ]
    .iter()
    .map(|(f, t)| codegen::read::parse_page(f, t.as_bytes()).0)
    .collect();
    let (api, _) = codegen::model::build(&pages);
    let files = codegen::emit::emit(
        &api,
        &codegen::emit::NameLock::default(),
        codegen::emit::Layout::Module,
        &codegen::emit::Cache::default(),
    )
    .unwrap()
    .files;
    insta::assert_snapshot!("repeated_placeholders", generated(&files, "api/groups.rs"));
    // Required query parameters, and a drive item path that keeps its `/`
    // as separators.
    insta::assert_snapshot!(
        "query_parameters_and_item_paths",
        generated(&files, "api/me.rs")
    );
}
