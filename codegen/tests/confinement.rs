//! The generator reads nothing outside the docs tree: links and includes
//! to other places (`../..`, absolute paths) and symbolic links that lead
//! out are never read, and `lint` does not show their content either.

#![cfg(unix)]

mod common;

use std::process::Command;

/// A page that defines a type no docs page names: if any of its words
/// reaches the model, the output or a report, it was read.
const SECRET: &str = "---\ndoc_type: resourcePageType\n---\n# leakedType resource type\n\n\
    ## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n\
    |leakedPassword|String|hunter2|\n";

#[test]
fn links_includes_and_symlinks_never_lead_out_of_the_docs_tree() {
    let scratch = common::scratch("confinement");
    let (docs, outside) = (scratch.join("docs"), scratch.join("outside"));
    std::fs::create_dir_all(docs.join("resources")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let secret = outside.join("secret.md");
    std::fs::write(&secret, SECRET).unwrap();

    let page = format!(
        "---\ndoc_type: resourcePageType\n---\n# thing resource type\n\n\
         A [relative link](../../outside/secret.md), an [absolute one]({abs}) and \
         a [file URL](file://{abs}).\n\n\
         [!INCLUDE [secret](../../outside/secret.md)]\n\n\
         [!INCLUDE [secret]({abs})]\n\n\
         ## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n\
         |other|[secret](../../outside/secret.md)|A property typed by a link out.|\n",
        abs = secret.display()
    );
    std::fs::write(docs.join("resources/thing.md"), page).unwrap();
    // Today's permission includes: one through a link out of the tree, one
    // missing, two that include each other.
    std::fs::create_dir_all(docs.join("includes")).unwrap();
    std::fs::create_dir_all(docs.join("api")).unwrap();
    std::os::unix::fs::symlink(&secret, docs.join("includes/linked.md")).unwrap();
    std::fs::write(docs.join("includes/a.md"), "[!INCLUDE [b](b.md)]\n").unwrap();
    std::fs::write(docs.join("includes/b.md"), "[!INCLUDE [a](a.md)]\n").unwrap();
    std::fs::write(
        docs.join("api/thing-get.md"),
        "---\ndoc_type: apiPageType\n---\n# Get thing\n\n## Permissions\n\n\
         [!INCLUDE [p](../includes/linked.md)]\n\n[!INCLUDE [p](../includes/gone.md)]\n\n\
         [!INCLUDE [p](../includes/a.md)]\n\n[!INCLUDE [p](../../outside/secret.md)]\n\n\
         ## HTTP request\n\n```http\nGET /things/{id}\n```\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, docs.join("resources/linked.md")).unwrap();
    std::os::unix::fs::symlink(&outside, docs.join("linked-folder")).unwrap();

    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
            .args(args)
            .output()
            .expect("running codegen");
        let text = [out.stdout, out.stderr].concat();
        String::from_utf8_lossy(&text).into_owned()
    };
    let docs_arg = docs.to_str().unwrap();
    let model = run(&["model", "--docs", docs_arg]);
    assert!(model.contains("\"thing\""), "{model}");
    let lint = run(&["lint", "--docs", docs_arg]);
    for code in [
        "symlink-not-followed",
        "include-symlink",
        "include-missing",
        "include-cycle",
        "include-outside-root",
    ] {
        assert!(lint.contains(code), "{code}: {lint}");
    }
    let out = scratch.join("out");
    run(&[
        "generate",
        "--docs",
        docs_arg,
        "--out",
        out.to_str().unwrap(),
        "--name",
        "confined",
    ]);
    let generated: String = common::files_below(&out)
        .values()
        .map(|bytes| String::from_utf8_lossy(bytes))
        .collect();
    assert!(generated.contains("pub struct Thing"));
    for (what, text) in [
        ("model", &model),
        ("lint", &lint),
        ("generated crate", &generated),
    ] {
        for word in ["leaked", "hunter2"] {
            assert!(!text.contains(word), "the {what} holds `{word}`: {text}");
        }
    }
}
