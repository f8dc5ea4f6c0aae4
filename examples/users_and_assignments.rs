//! Lists users, page by page, and assigns a device configuration to a group.
//!
//! With no arguments it runs against a local server it starts itself, which
//! answers as Microsoft Graph would:
//!
//! ```text
//! cargo run --example users_and_assignments
//! ```
//!
//! The same `run` function works against Microsoft Graph, given a service
//! root, a token (e.g. from `az account get-access-token --resource-type
//! ms-graph`), a device configuration id and a group id:
//!
//! ```text
//! GRAPH_TOKEN=… cargo run --example users_and_assignments -- \
//!     https://graph.microsoft.com/beta <configuration-id> <group-id>
//! ```

use docgen::api;
use docgen::runtime::client::StaticToken;
use docgen::runtime::{Client, Error};
use docgen::types::DeviceConfigurationGroupAssignment;
use futures_util::TryStreamExt;

async fn run(client: &Client, configuration_id: &str, group_id: &str) -> Result<(), Error> {
    // Every user, following `@odata.nextLink` until the last page.
    let request = api::users().list().select(&["id", "displayName"]).top(2);
    let users: Vec<_> = client.items(request).try_collect().await?;
    for user in &users {
        let name = user.display_name.as_deref().unwrap_or("(no name)");
        println!("user {}: {name}", user.id.as_deref().unwrap_or("?"));
    }

    let assignment = DeviceConfigurationGroupAssignment {
        target_group_id: Some(group_id.to_owned()),
        exclude_group: Some(false),
        ..Default::default()
    };
    let created = client
        .send(
            &api::device_management()
                .device_configurations()
                .by_id(configuration_id)
                .group_assignments()
                .create(&assignment),
        )
        .await?;
    println!(
        "created assignment {}",
        created.id.as_deref().unwrap_or("?")
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [root, configuration_id, group_id] => {
            let token = std::env::var("GRAPH_TOKEN").map_err(|_| "set GRAPH_TOKEN")?;
            let client = Client::new(root, StaticToken::new(token))?;
            run(&client, configuration_id, group_id).await?;
        }
        [] => {
            let server = local::start().await;
            let client = Client::new(&server.uri(), StaticToken::new("local"))?;
            run(&client, "cfg-1", "group-1").await?;
        }
        _ => return Err("usage: users_and_assignments [ROOT CONFIGURATION_ID GROUP_ID]".into()),
    }
    Ok(())
}

/// A stand-in for the service on loopback: two pages of users, and an
/// assignment echoed back with an id.
mod local {
    use serde_json::json;
    use wiremock::matchers::{body_partial_json, header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    pub async fn start() -> MockServer {
        let server = MockServer::start().await;
        let next = format!("{}/users?$skiptoken=2", server.uri());
        Mock::given(method("GET"))
            .and(path("/users"))
            .and(query_param("$top", "2"))
            .and(header("authorization", "Bearer local"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "value": [{"id": "1", "displayName": "Adele Vance"}, {"id": "2", "displayName": "Alex Wilber"}],
                "@odata.nextLink": next,
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/users"))
            .and(query_param("$skiptoken", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "value": [{"id": "3", "displayName": "Diego Siciliani"}],
            })))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(
                "/deviceManagement/deviceConfigurations/cfg-1/groupAssignments",
            ))
            .and(body_partial_json(
                json!({"targetGroupId": "group-1", "excludeGroup": false}),
            ))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({
                "id": "assignment-1", "targetGroupId": "group-1", "excludeGroup": false,
            })))
            .mount(&server)
            .await;
        server
    }
}
