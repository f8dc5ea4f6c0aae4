//! The `codegen` binary: generate, model and check.

mod common;

use std::process::Command;

/// The member of a JSON array of named items called `name`.
fn named<'a>(items: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    let found = items
        .as_array()
        .and_then(|a| a.iter().find(|i| i["name"] == name));
    found.unwrap_or_else(|| panic!("no item named {name}"))
}

fn codegen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .output()
        .expect("running codegen")
}

#[test]
fn model_prints_types_and_endpoints_with_sources() {
    let docs = common::docs_input();
    let out = codegen(&["model", "--docs", docs.to_str().unwrap()]);
    assert!(out.status.success());
    let model: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let user = named(&model["types"], "user");
    assert_eq!(user["kind"], "entity");
    assert_eq!(user["base"], "directoryObject");
    assert_eq!(user["source"]["file"], "resources/user.md");
    let phones = named(&user["properties"], "businessPhones");
    assert_eq!(
        (&phones["type"], &phones["collection"]),
        (&"Edm.String".into(), &true.into())
    );
    let day = named(&model["types"], "dayOfWeek");
    assert_eq!(day["kind"], "enum");
    assert_eq!(day["members"].as_array().unwrap().len(), 7);
    let op = named(&model["endpoints"], "user: assignLicense");
    assert_eq!(op["method"], "POST");
    assert_eq!(op["path"]["template"], "/users/{user-id}/assignLicense");
    assert_eq!(op["response"]["body"]["type"], "user");
    assert_eq!(op["request_body"]["parameters"][1]["type"], "Edm.Guid");
}

#[test]
fn generate_writes_a_standalone_crate_and_regenerating_changes_nothing() {
    let out_dir = common::scratch("cli-generate");
    let docs = common::docs_input();
    let args = [
        "generate",
        "--docs",
        docs.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--name",
        "sample",
    ];
    let first = codegen(&args);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let manifest = std::fs::read_to_string(out_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"sample\""));
    assert!(manifest.contains("docgen-runtime = { path = "));
    assert!(out_dir.join("src/lib.rs").exists());
    assert!(out_dir.join("types/src/types/user.rs").exists());
    assert!(out_dir.join("src/api/users.rs").exists());

    // Nothing changed: the record of the first run says so, and the
    // second run stops after listing the docs (and reading them, if they
    // changed just before the first), with the same report.
    let second = codegen(&[&args[..], &["--timings"]].concat());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains(" files: up to date,"), "{stderr}");
    let reported = warnings(&String::from_utf8_lossy(&first.stderr)).len();
    assert!(reported > 0, "docs-input has findings to report");
    assert_eq!(warnings(&stderr).len(), reported);
    assert_eq!(
        warnings(&stderr),
        warnings(&String::from_utf8_lossy(&first.stderr))
    );
    for stage in ["list", "stamp check", "total"] {
        let timed = stderr
            .lines()
            .any(|l| l.starts_with(stage) && l.ends_with(" s"));
        assert!(timed, "no time for {stage}: {stderr}");
    }

    // Without the record, the third run takes every file from the cache
    // and says how long each stage took.
    std::fs::remove_file(out_dir.join("target/docgen-cache.bin.stamp")).unwrap();
    let third = codegen(&[&args[..], &["--timings"]].concat());
    let stderr = String::from_utf8_lossy(&third.stderr);
    assert!(stderr.contains(" 0 written,"), "{stderr}");
    assert!(stderr.contains("; 0 Rust files printed,"), "{stderr}");
    for stage in [
        "read",
        "parse",
        "model",
        "cache load",
        "files",
        "write",
        "total",
    ] {
        let timed = stderr
            .lines()
            .any(|l| l.starts_with(stage) && l.ends_with(" s"));
        assert!(timed, "no time for {stage}: {stderr}");
    }
}

/// The diagnostics a run printed, a line each.
fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(": warning[") || l.contains(": note["))
        .collect()
}

#[test]
fn check_fails_on_a_stale_tree_and_passes_on_a_fresh_one() {
    let dir = common::scratch("cli-check");
    let docs = common::docs_input();
    let files = codegen::Generator::new(&docs).sources().unwrap().files;
    codegen::write::sync(&dir, &files).unwrap();
    let args = [
        "check",
        "--docs",
        docs.to_str().unwrap(),
        "--generated",
        dir.to_str().unwrap(),
    ];
    assert!(codegen(&args).status.success());

    let user = dir.join("types/user.rs");
    let edited = std::fs::read_to_string(&user)
        .unwrap()
        .replace("pub struct User", "pub struct Usr");
    std::fs::write(&user, edited).unwrap();
    let out = codegen(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stale:"));
}

#[test]
fn generate_refuses_an_invalid_package_name() {
    let out_dir = common::scratch("cli-bad-name");
    let docs = common::docs_input();
    let out = codegen(&[
        "generate",
        "--docs",
        docs.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--name",
        "graph-v1.0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid package name"));
    assert!(!out_dir.join("Cargo.toml").exists());
}
