//! The generated request functions build the requests the docs describe.

use docgen::api;
use docgen::api::{TeamsCloneBody, UsersAssignLicenseBody};
use docgen::runtime::{Guid, Method, Patch};
use docgen::types::{AssignedLicense, DeviceConfigurationGroupAssignment, User, UserPatch};
use serde_json::json;

fn configuration(id: &str) -> api::DeviceManagementDeviceConfigurationsItem {
    api::device_management().device_configurations().by_id(id)
}

#[test]
fn every_documented_path_of_the_nine_path_page_is_reached_through_the_tree() {
    let body = DeviceConfigurationGroupAssignment {
        target_group_id: Some("g1".into()),
        exclude_group: Some(false),
        ..Default::default()
    };
    let id = "cfg/1";
    let requests = [
        api::device_configuration_group_assignment().create(&body),
        configuration(id).group_assignments().create(&body),
        configuration(id)
            .root_certificate()
            .group_assignments()
            .create(&body),
        configuration(id)
            .identity_certificate()
            .group_assignments()
            .create(&body),
        configuration(id)
            .identity_certificate()
            .root_certificate()
            .group_assignments()
            .create(&body),
        configuration(id)
            .as_ios_scep_certificate_profile()
            .root_certificate()
            .group_assignments()
            .create(&body),
        configuration(id)
            .as_mac_os_scep_certificate_profile()
            .root_certificate()
            .group_assignments()
            .create(&body),
        configuration(id)
            .as_windows81_scep_certificate_profile()
            .root_certificate()
            .group_assignments()
            .create(&body),
        configuration(id)
            .as_windows_phone81_vpn_configuration()
            .identity_certificate()
            .group_assignments()
            .create(&body),
    ];
    let built: Vec<String> = requests
        .iter()
        .map(|r| {
            assert_eq!(r.method(), Method::Post);
            assert_eq!(
                r.json_body(),
                Ok(Some(&json!({"targetGroupId": "g1", "excludeGroup": false})))
            );
            r.path().to_owned()
        })
        .collect();
    assert_eq!(
        built,
        [
            "/deviceConfigurationGroupAssignment",
            "/deviceManagement/deviceConfigurations/cfg%2F1/groupAssignments",
            "/deviceManagement/deviceConfigurations/cfg%2F1/rootCertificate/groupAssignments",
            "/deviceManagement/deviceConfigurations/cfg%2F1/identityCertificate/groupAssignments",
            "/deviceManagement/deviceConfigurations/cfg%2F1/identityCertificate/rootCertificate/groupAssignments",
            "/deviceManagement/deviceConfigurations/cfg%2F1/microsoft.graph.iosScepCertificateProfile/rootCertificate/groupAssignments",
            "/deviceManagement/deviceConfigurations/cfg%2F1/microsoft.graph.macOSScepCertificateProfile/rootCertificate/groupAssignments",
            "/deviceManagement/deviceConfigurations/cfg%2F1/microsoft.graph.windows81SCEPCertificateProfile/rootCertificate/groupAssignments",
            "/deviceManagement/deviceConfigurations/cfg%2F1/microsoft.graph.windowsPhone81VpnConfiguration/identityCertificate/groupAssignments",
        ]
    );
}

#[test]
fn an_action_sends_its_parameters() {
    let body = UsersAssignLicenseBody {
        add_licenses: Some(vec![AssignedLicense {
            sku_id: Some(Guid::from("9997d8e9-97aa-4166-8ab2-29f5ae7c67f2")),
            ..Default::default()
        }]),
        remove_licenses: Some(vec![]),
        ..Default::default()
    };
    let r = api::users()
        .by_id("adele@contoso.com")
        .assign_license()
        .post(&body);
    assert_eq!(
        (r.method(), r.path()),
        (Method::Post, "/users/adele@contoso.com/assignLicense")
    );
    assert_eq!(
        r.json_body(),
        Ok(Some(&json!({
            "addLicenses": [{"skuId": "9997d8e9-97aa-4166-8ab2-29f5ae7c67f2"}],
            "removeLicenses": []
        })))
    );
}

#[test]
fn function_parameters_inside_the_path_are_encoded() {
    let r = api::users()
        .by_id("me@contoso.com")
        .reminder_view("2021-03-04T05:06:07Z", "2021-03-05 00:00")
        .list();
    assert_eq!(r.method(), Method::Get);
    assert_eq!(
        r.path(),
        "/users/me@contoso.com/reminderView(startDateTime=2021-03-04T05:06:07Z,endDateTime=2021-03-05%2000:00)"
    );
    assert_eq!(r.json_body(), Ok(None));
}

#[test]
fn get_update_delete_and_list() {
    assert_eq!(api::me().get().path(), "/me");
    assert_eq!(api::users().by_id("42").get().path(), "/users/42");
    // An update sends what is set, `null` for what is cleared, and leaves
    // the rest out.
    let patch = api::users().by_id("42").update(&UserPatch {
        display_name: Patch::Value("New".into()),
        birthday: Patch::Null,
        ..Default::default()
    });
    assert_eq!((patch.method(), patch.path()), (Method::Patch, "/users/42"));
    assert_eq!(
        patch.json_body(),
        Ok(Some(&json!({"displayName": "New", "birthday": null})))
    );
    assert_eq!(api::users().by_id("42").delete().method(), Method::Delete);
    assert_eq!(api::users().list().path(), "/users");
}

#[test]
fn unknown_enum_values_and_members_survive_a_round_trip() {
    let json = json!({"ageGroup": "elder", "futureProperty": {"x": 1}, "@odata.type": "#microsoft.graph.user"});
    let user: User = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(
        user.age_group,
        Some(docgen::types::AgeGroup::Other("elder".into()))
    );
    assert_eq!(serde_json::to_value(&user).unwrap(), json);
}

#[test]
fn a_base_typed_member_reads_the_derived_type_named_by_odata_type() {
    use docgen::types::{
        AnyDeviceAndAppManagementAssignmentTarget as Target, GroupPolicyConfigurationAssignment,
    };
    let read = |target: serde_json::Value| {
        let a: GroupPolicyConfigurationAssignment =
            serde_json::from_value(json!({"target": target})).unwrap();
        a.target.unwrap()
    };

    let Target::GroupAssignmentTarget(g) =
        read(json!({"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g1"}))
    else {
        panic!("not a group target")
    };
    assert_eq!(g.group_id.as_deref(), Some("g1"));
    // Any case, as some examples write it.
    assert!(matches!(
        read(json!({"@odata.type": "#Microsoft.Graph.GroupAssignmentTarget", "groupId": "g3"})),
        Target::GroupAssignmentTarget(_)
    ));
    // Without the `#`, and a type deriving from a derived type.
    assert!(matches!(
        read(
            json!({"@odata.type": "microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "g2"})
        ),
        Target::ExclusionGroupAssignmentTarget(_)
    ));
    // An unknown name, and no name at all, read as the base type, keeping every member.
    let unknown = json!({"@odata.type": "#microsoft.graph.futureTarget", "ring": 3});
    let Target::DeviceAndAppManagementAssignmentTarget(base) = read(unknown.clone()) else {
        panic!("unknown names fall back to the base type")
    };
    assert_eq!(serde_json::to_value(&base).unwrap(), unknown);
    assert!(matches!(
        read(json!({})),
        Target::DeviceAndAppManagementAssignmentTarget(_)
    ));

    // Writing a derived value back gives the same JSON.
    let json = json!({"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g1"}});
    let a: GroupPolicyConfigurationAssignment = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&a).unwrap(), json);
}

#[test]
fn a_flags_enum_is_a_set_written_with_commas() {
    use docgen::types::ClonableTeamParts as Part;
    let body = TeamsCloneBody {
        display_name: Some("Copy".into()),
        parts_to_clone: Some(docgen_runtime::Flags(vec![
            Part::Apps,
            Part::Channels,
            Part::Other("future".into()),
        ])),
        ..Default::default()
    };
    let r = api::teams().by_id("t1").clone().post(&body);
    assert_eq!(r.path(), "/teams/t1/clone");
    assert_eq!(
        r.json_body(),
        Ok(Some(
            &json!({"displayName": "Copy", "partsToClone": "apps,channels,future"})
        ))
    );
}

#[test]
fn values_listed_only_in_prose_are_an_enum() {
    use docgen::types::{MailboxSettings, MailboxSettingsUserPurpose as Purpose};
    let m: MailboxSettings = serde_json::from_value(json!({"userPurpose": "room"})).unwrap();
    assert_eq!(m.user_purpose, Some(Purpose::Room));
    let m: MailboxSettings = serde_json::from_value(json!({"userPurpose": "kiosk"})).unwrap();
    assert_eq!(m.user_purpose, Some(Purpose::Other("kiosk".into())));
}
