//! Stable names: regenerating with the committed name lock never renames an
//! existing item because a new page brought a colliding name.

mod common;

use codegen::Generator;
use codegen::emit::{NameLock, lock};
use std::path::Path;

/// Generates into `out`, keeping `out`'s lock, and returns the new lock.
fn regenerate(docs: &Path, out: &Path) -> NameLock {
    let generated = Generator::new(docs)
        .with_name_lock(out.join(lock::FILE))
        .sources()
        .unwrap();
    codegen::write::sync(out, &generated.files).unwrap();
    NameLock::parse(&std::fs::read_to_string(out.join(lock::FILE)).unwrap()).unwrap()
}

/// `Day_of_week` sorts before `dayOfWeek`, converts to the same identifier,
/// and so would take its name.
const COLLIDING_TYPE: &str = "# Day_of_week resource type\n\nNamespace: microsoft.graph\n\nA type whose name converts to the same Rust name as an existing one.\n\n## Properties\n|Property|Type|Description|\n|:--|:--|:--|\n|label|String|A label.|\n";

/// `DELETE /users?$id={id}` reads as the same words as `DELETE
/// /users/{id}` (`users_delete`), as Graph's two forms of removing a `$ref`
/// do, and its path sorts first.
const COLLIDING_ENDPOINT: &str = "# Remove user by id\n\nNamespace: microsoft.graph\n\n## HTTP request\n```http\nDELETE /users?$id={id}\n```\n\n## Response\nReturns `204 No Content`.\n";

#[test]
fn a_colliding_new_item_never_renames_an_existing_one() {
    let dir = common::scratch("names-collision");
    let (docs, out) = (dir.join("docs"), dir.join("out"));
    common::copy_dir(&common::docs_input(), &docs);

    let first = regenerate(&docs, &out);
    assert_eq!(first.types["dayOfWeek"], "DayOfWeek");
    assert_eq!(first.modules["dayOfWeek"], "day_of_week");
    let delete_user = "DELETE /users/{}";
    assert_eq!(first.functions[delete_user], "users_delete");
    let enum_file = std::fs::read_to_string(out.join("types/day_of_week.rs")).unwrap();

    std::fs::write(docs.join("resources/day_of_week.md"), COLLIDING_TYPE).unwrap();
    std::fs::write(docs.join("api/user-remove.md"), COLLIDING_ENDPOINT).unwrap();

    // Without the lock, the newcomers take the existing names.
    let (fresh, _) = Generator::new(&docs).model();
    let plan = codegen::emit::Plan::new(&fresh, &NameLock::default());
    assert_eq!(plan.type_names("Day_of_week").unwrap().ident, "DayOfWeek");
    assert_eq!(plan.type_names("dayOfWeek").unwrap().ident, "DayOfWeek2");
    let function = |key: &str| {
        let at = fresh.endpoints.iter().position(|e| e.key() == key).unwrap();
        plan.endpoints[at].function.clone()
    };
    assert_eq!(function("DELETE /users"), "users_delete");
    assert_eq!(function("DELETE /users/{}"), "users_delete_2");

    let second = regenerate(&docs, &out);
    assert_eq!(second.types["dayOfWeek"], "DayOfWeek");
    assert_eq!(second.types["Day_of_week"], "DayOfWeek2");
    assert_eq!(second.modules["dayOfWeek"], "day_of_week");
    assert_eq!(second.modules["Day_of_week"], "day_of_week2");
    assert_eq!(second.functions[delete_user], "users_delete");
    assert_eq!(second.functions["DELETE /users"], "users_delete_2");
    assert_eq!(
        std::fs::read_to_string(out.join("types/day_of_week.rs")).unwrap(),
        enum_file,
        "the existing enum's file is untouched"
    );

    // Removed items leave the lock; the rest keep their names.
    std::fs::remove_file(docs.join("api/user-delete.md")).unwrap();
    let third = regenerate(&docs, &out);
    assert!(!third.functions.contains_key(delete_user));
    assert_eq!(third.functions["DELETE /users"], "users_delete_2");
    assert_eq!(third.types["Day_of_week"], "DayOfWeek2");
}

#[test]
fn an_unreadable_lock_is_reported_and_names_are_claimed_afresh() {
    let dir = common::scratch("names-bad-lock");
    std::fs::write(dir.join(lock::FILE), "this is = not [ a lock").unwrap();
    let generated = Generator::new(common::docs_input())
        .with_name_lock(dir.join(lock::FILE))
        .sources()
        .unwrap();
    assert!(
        generated
            .diagnostics
            .iter()
            .any(|d| d.code == "invalid-name-lock")
    );
    let fresh = Generator::new(common::docs_input()).sources().unwrap();
    assert_eq!(generated.files, fresh.files);
}

#[test]
fn a_lock_naming_something_the_rules_would_not_is_ignored() {
    let dir = common::scratch("names-hostile-lock");
    let hostile = "[types]\ndayOfWeek = \"Evil\"\nuser = \"User { } fn x() {\"\n";
    std::fs::write(dir.join(lock::FILE), hostile).unwrap();
    let generated = Generator::new(common::docs_input())
        .with_name_lock(dir.join(lock::FILE))
        .sources()
        .unwrap();
    let fresh = Generator::new(common::docs_input()).sources().unwrap();
    assert_eq!(generated.files, fresh.files);
}

/// A derived name (an `Any…` enum, a `…Patch` struct) that a collision once
/// suffixed keeps its suffix while its type keeps its name.
#[test]
fn derived_names_are_kept_with_their_types() {
    let (api, _) = Generator::new(common::docs_input()).model();
    let first = codegen::emit::Plan::new(&api, &NameLock::default());
    assert_eq!(
        first.polymorphic("directoryObject").unwrap().ident,
        "AnyDirectoryObject"
    );
    assert_eq!(first.patch_ident("user").unwrap().to_string(), "UserPatch");

    let mut lock = first.lock.clone();
    lock.any
        .insert("directoryObject".into(), "AnyDirectoryObject2".into());
    lock.patch.insert("user".into(), "UserPatch2".into());
    let kept = codegen::emit::Plan::new(&api, &lock);
    assert_eq!(
        kept.polymorphic("directoryObject").unwrap().ident,
        "AnyDirectoryObject2"
    );
    assert_eq!(kept.patch_ident("user").unwrap().to_string(), "UserPatch2");

    // Once the type itself is renamed, its derived names follow it.
    lock.types.insert("user".into(), "User2".into());
    let renamed = codegen::emit::Plan::new(&api, &lock);
    assert_eq!(renamed.type_names("user").unwrap().ident, "User2");
    assert_eq!(
        renamed.patch_ident("user").unwrap().to_string(),
        "User2Patch"
    );
}
