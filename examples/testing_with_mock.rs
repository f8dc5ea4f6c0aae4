//! Testing application code against the mock Graph instead of the service.
//!
//! `offboard` below is the "application": it finds the accounts with a
//! display name, switches them off and mails the help desk. Its tests start
//! `docgen::mock::Server`, where every documented endpoint answers from the
//! docs' own examples, change the answers they care about, throttle a
//! call, and assert on what the application sent. Run them with
//!
//! ```text
//! cargo test --features mock --example testing_with_mock
//! ```

use docgen::api;
use docgen::runtime::{Client, Error, Patch};
use docgen::types::{EmailAddress, ItemBody, Message, Recipient, UserPatch};
use futures_util::TryStreamExt;

/// Switches off every account named `name` and tells the help desk which;
/// returns how many accounts it switched off.
pub async fn offboard(client: &Client, name: &str) -> Result<usize, Error> {
    let request = api::users().list().select(&["id", "displayName"]);
    let users: Vec<_> = client.items(request).try_collect().await?;
    let mut ids = Vec::new();
    for user in users {
        if let (Some(id), Some(shown)) = (user.id, user.display_name)
            && shown == name
        {
            let patch = UserPatch {
                account_enabled: Patch::Value(false),
                ..UserPatch::default()
            };
            client.send(&api::users().by_id(&id).update(&patch)).await?;
            ids.push(id);
        }
    }
    if !ids.is_empty() {
        let mail = api::MeSendMailBody {
            message: Some(Message {
                subject: Some(format!("Accounts switched off: {name}")),
                body: Some(ItemBody {
                    content: Some(ids.join("\n")),
                    ..ItemBody::default()
                }),
                to_recipients: Some(vec![Recipient {
                    email_address: Some(EmailAddress {
                        address: Some("helpdesk@contoso.com".to_owned()),
                        ..EmailAddress::default()
                    }),
                    ..Recipient::default()
                }]),
                ..Message::default()
            }),
            ..api::MeSendMailBody::default()
        };
        client.send(&api::me().send_mail().post(&mail)).await?;
    }
    Ok(ids.len())
}

fn main() {
    println!("run the tests: cargo test --features mock --example testing_with_mock");
}

#[cfg(test)]
mod tests {
    use super::*;
    use docgen::mock::Server;
    use docgen::runtime::client::{RetryPolicy, StaticToken};
    use docgen::types::User;
    use std::time::Duration;

    fn client(graph: &Server) -> Client {
        Client::new(&graph.uri(), StaticToken::new("test"))
            .expect("the mock's URL")
            .with_retry(RetryPolicy {
                initial_wait: Duration::from_millis(1),
                ..RetryPolicy::default()
            })
    }

    fn user(id: &str, name: &str) -> User {
        User {
            id: Some(id.to_owned()),
            display_name: Some(name.to_owned()),
            ..User::default()
        }
    }

    fn switch_off() -> UserPatch {
        UserPatch {
            account_enabled: Patch::Value(false),
            ..UserPatch::default()
        }
    }

    #[tokio::test]
    async fn switches_off_the_named_accounts_and_mails_the_help_desk() {
        let graph = Server::start().await;
        graph.on(api::users().list()).respond_with(vec![
            user("1", "Ana Lopes"),
            user("2", "Jon Berg"),
            user("3", "Ana Lopes"),
        ]);
        // One user per page, so the application's paging is exercised.
        graph.page_size(Some(1));

        assert_eq!(offboard(&client(&graph), "Ana Lopes").await.unwrap(), 2);

        for id in ["1", "3"] {
            let updates = graph.received(api::users().by_id(id).update(&switch_off()));
            assert_eq!(updates.len(), 1, "user {id}");
            let sent: serde_json::Value = updates[0].json().unwrap();
            assert_eq!(sent, serde_json::json!({"accountEnabled": false}));
        }
        assert!(
            graph
                .received(api::users().by_id("2").update(&switch_off()))
                .is_empty()
        );
        let mails = graph.received(api::me().send_mail().post(&Default::default()));
        assert_eq!(mails.len(), 1);
        let mail: api::MeSendMailBody = mails[0].json().unwrap();
        let message = mail.message.unwrap();
        assert_eq!(
            message.subject.as_deref(),
            Some("Accounts switched off: Ana Lopes")
        );
        assert_eq!(message.body.unwrap().content.as_deref(), Some("1\n3"));
    }

    #[tokio::test]
    async fn a_throttled_update_is_retried() {
        let graph = Server::start().await;
        graph
            .on(api::users().list())
            .respond_with(vec![user("7", "Jon Berg")]);
        let update = api::users().by_id("7").update(&switch_off());
        graph
            .on(update.clone())
            .times(1)
            .fail(429, Some(Duration::from_secs(1)));

        assert_eq!(offboard(&client(&graph), "Jon Berg").await.unwrap(), 1);

        let tries: Vec<_> = graph.received(update).iter().map(|r| r.answered).collect();
        assert_eq!(
            tries,
            [
                docgen::mock::Answered::Override,
                docgen::mock::Answered::Example
            ]
        );
    }

    #[tokio::test]
    async fn an_outage_reaches_the_caller_and_no_mail_is_sent() {
        let graph = Server::start().await;
        graph.on(api::users().list()).fail(503, None);

        let client = client(&graph).with_retry(RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        });
        match offboard(&client, "Jon Berg").await {
            Err(Error::Api(e)) => assert_eq!(e.status, 503),
            other => panic!("expected the outage, got {other:?}"),
        }
        let mails = graph.received(api::me().send_mail().post(&Default::default()));
        assert!(mails.is_empty());
    }

    #[tokio::test]
    async fn without_overrides_the_docs_examples_answer() {
        // The docs' example list holds "Tomas Ferreira"; the update and the
        // mail are answered as the docs show (204 and 202).
        let graph = Server::start().await;
        assert_eq!(
            offboard(&client(&graph), "Tomas Ferreira").await.unwrap(),
            1
        );
        let answered: Vec<_> = graph.received_all().iter().map(|r| r.operation).collect();
        assert_eq!(
            answered,
            [
                Some("users_list"),
                Some("users_update"),
                Some("me_send_mail_post")
            ]
        );
    }
}
