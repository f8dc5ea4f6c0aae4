//! `codegen diff`: the semantic changelog between two docs trees.

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn diff(old: &Path, new: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["diff", "--old"])
        .arg(old)
        .arg("--new")
        .arg(new)
        .args(extra)
        .output()
        .expect("running codegen diff");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

/// The change to `name` of kind `kind`, from `--format json` output.
fn find<'a>(log: &'a Value, kind: &str, name: &str) -> &'a Value {
    log["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind && c["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} change to {name}"))
}

#[test]
fn an_edited_page_gives_its_changes_and_the_gate_exit_codes() {
    let dir = common::scratch("diff-edit");
    let new = dir.join("docs");
    common::copy_dir(&common::docs_input(), &new);
    let page = new.join("resources/user.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let edited = text
        .lines()
        .filter(|l| !l.starts_with("|usageLocation|") && !l.contains("\"usageLocation\""))
        .map(|l| {
            l.replace(
                "|employeeHireDate|Date|",
                "|employeeHireDate|DateTimeOffset|",
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(
        text, edited,
        "the sample page still has the rows this test edits"
    );
    std::fs::write(&page, edited).unwrap();
    let old = common::docs_input();

    let (code, json) = diff(&old, &new, &["--format", "json", "--fail-on", "breaking"]);
    assert_eq!(code, Some(1), "breaking changes fail the gate");
    let log: Value = serde_json::from_str(&json).unwrap();
    let removed = find(&log, "removed", "user.usageLocation");
    assert_eq!(removed["breaking"], true);
    assert_eq!(removed["source"]["file"], "resources/user.md");
    let retyped = find(&log, "changed", "user.employeeHireDate");
    assert_eq!(retyped["detail"], "type Date → DateTimeOffset");
    assert_eq!(log["changes"].as_array().unwrap().len(), 2);

    let (code, markdown) = diff(&old, &new, &[]);
    assert_eq!(code, Some(0), "no gate by default");
    assert!(markdown.contains("2 changes, 2 breaking"), "{markdown}");
    assert!(
        markdown
            .contains("| removed property | `user.usageLocation` | String | `resources/user.md:"),
        "{markdown}"
    );

    let (code, _) = diff(&old, &old, &["--fail-on", "any"]);
    assert_eq!(code, Some(0), "a tree compared with itself has no changes");
}

/// 2021-04 → 2021-07 v1.0, checked against changes read in the pages.
#[test]
fn the_2021_04_to_2021_07_changelog_has_the_changes_seen_in_the_pages() {
    let Some(docs) = common::graph_docs("the_2021_04_to_2021_07_changelog") else {
        return;
    };
    let (old, new) = (docs.join("2021-04/v1.0"), docs.join("2021-07/v1.0"));
    let (code, json) = diff(&old, &new, &["--format", "json", "--fail-on", "breaking"]);
    assert_eq!(code, Some(1));
    let log: Value = serde_json::from_str(&json).unwrap();

    // resources/changenotification.md: the Type cell went from string to GUID.
    let c = find(&log, "changed", "changeNotification.subscriptionId");
    assert_eq!(
        (&c["detail"], &c["breaking"]),
        (&"type String → Guid".into(), &true.into())
    );
    // resources/educationschool.md: the status row is gone.
    assert_eq!(
        find(&log, "removed", "educationSchool.status")["breaking"],
        true
    );
    // resources/printerstatus.md: the member table grew from row 73 on.
    let m = find(
        &log,
        "added",
        "printerProcessingStateDetail.alertRemovalOfBinaryChangeEntry",
    );
    assert_eq!(
        (&m["item"], &m["breaking"]),
        (&"member".into(), &false.into())
    );
    // api/grouplifecyclepolicy-addgroup.md: groupId went from Guid to String.
    let details = |name: &str| -> Vec<String> {
        log["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["name"] == name)
            .map(|c| c["detail"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        details("POST /groupLifecyclePolicies/{group-lifecycle-policy-id}/addGroup")
            .contains(&"body parameter groupId: Guid → String".to_owned())
    );
    // api/educationclass-delete-members.md: "Remove a student" became
    // "Remove member from educationClass"; the call follows the path, so
    // nothing changed for users.
    let retitled = "DELETE /education/classes/{class-id}/members/{member-id}/$ref";
    let (model, _) = codegen::Generator::new(&new).model();
    assert!(model.endpoints.iter().any(|e| e.label() == retitled));
    assert!(details(retitled).is_empty(), "{:?}", details(retitled));
    // No call changes because a page was retitled or a placeholder renamed:
    // the only ones left are GETs whose response became a collection.
    let calls: Vec<&Value> = log["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["detail"].as_str().unwrap().starts_with("call "))
        .collect();
    assert!(!calls.is_empty());
    for c in calls {
        let detail = c["detail"].as_str().unwrap();
        assert!(
            detail.ends_with(".list()") && detail.contains(".get() → "),
            "{detail}"
        );
    }
    // resources/chatmessagefromidentityset.md and two siblings now derive
    // from identitySet, so its uses move to `AnyIdentitySet`.
    let poly = find(&log, "changed", "identitySet");
    assert_eq!(poly["breaking"], true);
    // The troubleshooting-event pages were removed.
    let r = find(
        &log,
        "removed",
        "DELETE /deviceManagement/troubleshootingEvents/{troubleshooting-event-id}",
    );
    assert_eq!(r["breaking"], true);
    // resources/acceptjoinresponse.md is new.
    let t = find(&log, "added", "acceptJoinResponse");
    assert_eq!(
        (&t["item"], &t["source"]["file"]),
        (&"type".into(), &"resources/acceptjoinresponse.md".into())
    );
    // api/intune-auditing-auditevent-delete.md is new.
    find(
        &log,
        "added",
        "DELETE /deviceManagement/auditEvents/{audit-event-id}",
    );

    // The example committed under docs/ is this run's output, not an edit.
    let labels = [
        "--old-label",
        "graph-docs/2021-04/v1.0",
        "--new-label",
        "graph-docs/2021-07/v1.0",
    ];
    let (_, markdown) = diff(&old, &new, &labels);
    let committed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/changelog-2021-04-to-2021-07-v1.0.md");
    assert!(
        std::fs::read_to_string(&committed).unwrap() == markdown,
        "{} is stale; regenerate it with the command in the README",
        committed.display()
    );
}
