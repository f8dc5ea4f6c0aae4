//! A standalone crate has a cargo feature per area of the API, and each
//! feature compiles its area's operations and exactly the types they need.
//! (`.ci/run` also compiles the docs-input crate one feature at a time.)

mod common;

use codegen::{CrateSettings, Generated, Generator};
use std::collections::{BTreeMap, BTreeSet};

fn standalone() -> Generated {
    let settings = CrateSettings {
        name: "docs-input-client".to_owned(),
        runtime_path: "../runtime".into(),
    };
    Generator::new(common::docs_input())
        .standalone(&settings)
        .expect("docs-input generates")
}

/// The docs-input crate's `types/mod.rs`: module → the features gating it
/// (empty when it always compiles).
fn type_gates() -> BTreeMap<String, BTreeSet<String>> {
    let generated = standalone();
    let file = generated
        .files
        .iter()
        .find(|f| f.path == "types/src/types/mod.rs")
        .expect("a types module");
    let parsed = syn::parse_file(&file.contents).expect("types/mod.rs parses");
    let mut gates = BTreeMap::new();
    for item in parsed.items {
        if let syn::Item::Mod(m) = item {
            let mut features = BTreeSet::new();
            for attr in m.attrs.iter().filter(|a| a.path().is_ident("cfg")) {
                // `cfg(feature = "a")` or `cfg(any(feature = "a", …))`.
                let mut read = |meta: syn::meta::ParseNestedMeta| {
                    let value: syn::LitStr = meta.value()?.parse()?;
                    features.insert(value.value());
                    Ok(())
                };
                attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("any") {
                        meta.parse_nested_meta(&mut read)
                    } else {
                        read(meta)
                    }
                })
                .expect("a cfg on features");
            }
            gates.insert(m.ident.to_string(), features);
        }
    }
    gates
}

fn set(features: &[&str]) -> BTreeSet<String> {
    features.iter().map(|f| (*f).to_owned()).collect()
}

#[test]
fn each_type_compiles_under_the_features_whose_operations_need_it() {
    let gates = type_gates();
    // The users area's own type, which no other area's operation returns.
    assert_eq!(gates["assigned_license"], set(&["users"]));
    // Defined on an outlook page (user-reminderview), and reached from
    // `user.mailboxSettings` too.
    assert_eq!(gates["day_of_week"], set(&["outlook", "users"]));
    // A base type is needed wherever a type derived from it is (the
    // 2016-style Intune pages name no area and take their neighbours')...
    assert_eq!(
        gates["device_and_app_management_assignment_target"],
        set(&["intune"])
    );
    assert_eq!(
        gates["entity"],
        set(&[
            "applications",
            "directory-management",
            "intune",
            "microsoft-teams",
            "outlook",
            "sharepoint",
            "users"
        ])
    );
    // ...but a derived type is not needed where only its base is: the
    // base's `Any…` variant for it is compiled out there instead.
    assert_eq!(gates["all_devices_assignment_target"], set(&["intune"]));
}

#[test]
fn cargo_toml_declares_every_area_and_turns_them_all_on_by_default() {
    let generated = standalone();
    let manifest = |path: &str| -> toml::Table {
        let file = generated.files.iter().find(|f| f.path == path);
        let file = file.unwrap_or_else(|| panic!("no {path}"));
        file.contents.parse().expect("the manifest parses")
    };
    let (bindings, types) = (manifest("Cargo.toml"), manifest("types/Cargo.toml"));
    let areas = [
        "applications",
        "directory-management",
        "intune",
        "microsoft-teams",
        "outlook",
        "reports",
        "sharepoint",
        "users",
    ];
    let strings = |value: &toml::Value| -> Vec<String> {
        let array = value.as_array().expect("an array");
        array
            .iter()
            .filter_map(|v| Some(v.as_str()?.to_owned()))
            .collect()
    };
    for manifest in [&bindings, &types] {
        let features = manifest["features"].as_table().expect("a features table");
        assert_eq!(strings(&features["full"]), areas);
        assert!(strings(&features["default"]).contains(&"full".to_owned()));
    }
    // An area of the bindings turns on that area of the types' crate,
    // whose features name nothing else.
    for area in areas {
        let turned_on = strings(&bindings["features"][area]);
        assert_eq!(turned_on, [format!("docgen-types/{area}")], "{area}");
        assert_eq!(strings(&types["features"][area]), [""; 0], "{area}");
    }
    // The types' crate, under the name the sources use, with only the
    // areas the bindings turn on.
    let dependency = &bindings["dependencies"]["docgen-types"];
    assert_eq!(
        dependency["package"].as_str(),
        Some("docs-input-client-types")
    );
    assert_eq!(dependency["path"].as_str(), Some("types"));
    assert_eq!(dependency["default-features"].as_bool(), Some(false));
    assert_eq!(
        types["package"]["name"].as_str(),
        Some("docs-input-client-types")
    );
    // The runtime is named once, by the workspace, so that a relative path
    // means the same folder for both crates.
    let runtime = &bindings["workspace"]["dependencies"]["docgen-runtime"];
    assert_eq!(runtime["path"].as_str(), Some("../runtime"));
    for manifest in [&bindings, &types] {
        let dependency = &manifest["dependencies"]["docgen-runtime"];
        assert_eq!(dependency["workspace"].as_bool(), Some(true));
        assert!(dependency.get("path").is_none());
    }
}
