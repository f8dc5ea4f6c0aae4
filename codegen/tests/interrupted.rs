//! A generation that is killed leaves the previous output intact; the next
//! run finishes the job: exactly the new files, the stale ones gone, a
//! user's file untouched and no temporary files left.

mod common;

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// A docs tree of `count` complex types, `thing0` …, each with a property
/// whose description says `version`: large enough that writing its output
/// takes a while.
fn docs_tree(dir: &Path, count: usize, version: &str) {
    let resources = dir.join("resources");
    std::fs::create_dir_all(&resources).unwrap();
    for i in 0..count {
        let page = format!(
            "---\ntitle: \"thing{i} resource type\"\nms.prod: \"things\"\n---\n\n\
             # thing{i} resource type\n\nNamespace: microsoft.graph\n\nA thing.\n\n\
             ## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n\
             |name|String|The name, {version}.|\n|size|Int32|How big.|\n\n\
             ## JSON representation\n\n<!-- {{\n  \"blockType\": \"resource\",\n  \
             \"@odata.type\": \"microsoft.graph.thing{i}\"\n}} -->\n\n\
             ```json\n{{\n  \"name\": \"String\",\n  \"size\": 1\n}}\n```\n"
        );
        std::fs::write(resources.join(format!("thing{i}.md")), page).unwrap();
    }
}

fn generate(docs: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["generate", "--name", "things", "--docs"])
        .arg(docs)
        .arg("--out")
        .arg(out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("running codegen")
}

/// Whether any temporary file exists in `dir` (not recursive).
fn has_temporary_file(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".docgen-tmp"))
    })
}

/// Kills `child` as soon as it has begun writing temporary files into
/// `dir`; false if it finished first.
fn kill_while_writing(mut child: Child, dir: &Path) -> bool {
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if has_temporary_file(dir) {
            child.kill().unwrap();
            child.wait().unwrap();
            return true;
        }
        std::thread::yield_now();
    }
    panic!("codegen neither finished nor wrote in 300 s");
}

/// The files of a generated crate, without `target/`: the cache of
/// formatted files lives there, build state rather than output.
fn output(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = common::files_below(dir);
    files.retain(|path, _| !path.starts_with("target/"));
    files
}

#[test]
fn a_killed_run_leaves_the_previous_output_and_the_next_run_completes() {
    let scratch = common::scratch("interrupted");
    let (old_docs, new_docs) = (scratch.join("old-docs"), scratch.join("new-docs"));
    docs_tree(&old_docs, 1500, "first edition");
    // The new docs drop 100 types and reword every other one.
    docs_tree(&new_docs, 1400, "second edition");

    // The reference outputs, each from an uninterrupted run.
    let (old_ref, new_ref) = (scratch.join("old-ref"), scratch.join("new-ref"));
    assert!(generate(&old_docs, &old_ref).wait().unwrap().success());
    assert!(generate(&new_docs, &new_ref).wait().unwrap().success());
    let mut old = output(&old_ref);
    let mut new = output(&new_ref);
    // The lock file stays behind, empty.
    assert_eq!(old.remove(".docgen-lock"), Some(Vec::new()));
    assert_eq!(new.remove(".docgen-lock"), Some(Vec::new()));
    assert_ne!(old, new);

    let out = scratch.join("out");
    assert!(generate(&old_docs, &out).wait().unwrap().success());
    std::fs::write(out.join("src/notes.rs"), "// a user's file\n").unwrap();
    old.insert("src/notes.rs".to_owned(), b"// a user's file\n".to_vec());
    new.insert("src/notes.rs".to_owned(), b"// a user's file\n".to_vec());
    let without_lock_and_temporaries = |dir: &Path| {
        let mut t = output(dir);
        t.retain(|path, _| path != ".docgen-lock" && !path.ends_with(".docgen-tmp"));
        t
    };

    // Killed before it writes anything: still reading the docs.
    let mut child = generate(&new_docs, &out);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        without_lock_and_temporaries(&out) == old,
        "changed by a run killed at once"
    );

    // Killed while writing its new files.
    let killed = kill_while_writing(generate(&new_docs, &out), &out.join("types/src/types"));
    assert!(killed, "codegen finished before it could be killed");
    assert!(has_temporary_file(&out.join("types/src/types")));
    assert!(
        without_lock_and_temporaries(&out) == old,
        "changed by a run killed while writing"
    );

    // The next run finishes: the new files exactly, and nothing left over.
    assert!(generate(&new_docs, &out).wait().unwrap().success());
    let mut done = output(&out);
    assert_eq!(done.remove(".docgen-lock"), Some(Vec::new()));
    assert!(
        done == new,
        "the run after the kill did not produce the new output"
    );
}
