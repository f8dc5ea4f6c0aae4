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
        // One of the old-style page's nine paths: a type cast segment.
        "operations/device_management_device_configurations_as_ios_scep_certificate_profile_root_certificate_group_assignments_create.rs",
        // `{id | userPrincipalName}` named from the segment it keys.
        "operations/users_get.rs",
        // An action's parameters.
        "operations/users_assign_license.rs",
        // A function with parameters inside the path.
        "operations/users_reminder_view_list.rs",
        // A collection response.
        "operations/users_list.rs",
        "types/mod.rs",
        "operations/mod.rs",
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
        codegen::emit::Gating::None,
    )
    .expect("hostile names still give valid Rust");
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
        codegen::emit::Gating::None,
    )
    .unwrap();
    insta::assert_snapshot!(
        "repeated_placeholders",
        generated(&files, "operations/groups_members_ref_delete.rs")
    );
    insta::assert_snapshot!(
        "query_parameters",
        generated(&files, "operations/me_calendar_view_get.rs")
    );
    // A drive item path keeps its `/` as separators.
    insta::assert_snapshot!(
        "drive_item_path",
        generated(&files, "operations/me_drive_root_by_path_content_get.rs")
    );
}
