//! The two seed pages, one per page generation, read correctly: read
//! together with docs-input/, which defines the types they refer to.

mod common;

use codegen::model::{Method, RequestBody, TypeRef, TypeUse};

fn named(n: &str) -> TypeUse {
    TypeUse {
        ty: TypeRef::Named(n.to_owned()),
        collection: false,
    }
}

#[test]
fn both_seed_pages_give_post_endpoints_with_body_and_response_types() {
    let Some(graph_docs) = common::graph_docs("seeds") else {
        return;
    };
    let seeds = graph_docs.join("seeds");
    let (mut pages, mut diags) = codegen::read::read_dir(&common::docs_input());
    for p in &mut pages {
        p.file = format!("docs-input/{}", p.file);
    }
    let (seed_pages, seed_diags) = codegen::read::read_dir(&seeds);
    pages.extend(seed_pages);
    diags.extend(seed_diags);
    let (api, model_diags) = codegen::model::build(&pages);
    diags.extend(model_diags);

    // The seeds document endpoints docs-input documents too: each is one
    // endpoint, documented by both pages.
    let from_seed = |file: &str| -> Vec<&codegen::model::Endpoint> {
        api.endpoints
            .iter()
            .filter(|o| o.source.file == file || o.also.iter().any(|a| a.source.file == file))
            .collect()
    };

    let new_style = from_seed("grouppolicyconfigurationassignment-create.md");
    assert_eq!(new_style.len(), 1);
    let new_style = new_style[0];
    assert_eq!(new_style.method, Method::Post);
    assert_eq!(
        new_style.request_body,
        Some(RequestBody::Type(named(
            "groupPolicyConfigurationAssignment"
        )))
    );
    assert_eq!(new_style.response.status, 201);
    assert_eq!(
        new_style.response.body,
        Some(named("groupPolicyConfigurationAssignment"))
    );
    assert_eq!(
        new_style.path.template,
        "/deviceManagement/groupPolicyConfigurations/{group-policy-configuration-id}/assignments"
    );
    assert_eq!(new_style.permissions.len(), 3);

    let old_endpoints =
        from_seed("intune_deviceconfig_deviceconfigurationgroupassignment_create.md");
    let old_style = old_endpoints[0];
    assert!(old_endpoints.iter().all(|e| {
        let files = [e.source.file.as_str(), e.also[0].source.file.as_str()];
        files.contains(
            &"docs-input/api/intune_deviceconfig_deviceconfigurationgroupassignment_create.md",
        ) && files.contains(&"intune_deviceconfig_deviceconfigurationgroupassignment_create.md")
    }));
    assert_eq!(old_style.method, Method::Post);
    assert_eq!(
        old_style.request_body,
        Some(RequestBody::Type(named(
            "deviceConfigurationGroupAssignment"
        )))
    );
    assert_eq!(old_style.response.status, 201);
    assert_eq!(
        old_style.response.body,
        Some(named("deviceConfigurationGroupAssignment"))
    );
    assert_eq!(
        old_style.permissions[0].scopes,
        ["DeviceManagementConfiguration.ReadWrite.All"]
    );
    let paths: Vec<&str> = old_endpoints
        .iter()
        .map(|e| e.path.template.as_str())
        .collect();
    assert_eq!(paths.len(), 9, "{paths:#?}");
    assert!(
        paths.iter().all(|p| !p.contains("//") && !p.ends_with('/')),
        "{paths:#?}"
    );
    assert!(paths.contains(
        &"/deviceManagement/deviceConfigurations/{device-configuration-id}/identityCertificate/rootCertificate/groupAssignments"
    ));
    // Each page's example fits one of the nine paths, and keeps its
    // request and response bodies.
    let examples: Vec<_> = old_endpoints.iter().flat_map(|e| &e.examples).collect();
    assert_eq!(examples.len(), 2);
    for example in examples {
        assert!(example.request.as_ref().unwrap().body.is_some());
        assert!(example.response.as_ref().unwrap().body.is_some());
    }

    // The slips were normalised, each with a note at its line.
    let old_file = "intune_deviceconfig_deviceconfigurationgroupassignment_create.md";
    let doubles: Vec<u32> = diags
        .iter()
        .filter(|d| d.file == old_file && d.code == "path-double-slash")
        .map(|d| d.line)
        .collect();
    assert_eq!(doubles, [18, 19, 20, 21, 22, 23, 24]);
}
