//! Collections cut into pages linked by `@odata.nextLink` back to the mock.
//!
//! The later pages of an answer are parked under a `$skiptoken` until the
//! mock is reset, so a link can be followed again (a retried page). Only
//! the last page keeps the answer's `@odata.deltaLink`, as Graph does.

use super::answers::{self, Answer};
use super::{Shared, State};
use serde_json::Value;

/// How the mock's `$skiptoken` values start.
pub(super) const TOKEN: &str = "mock-";

/// The pages after the one that links here.
#[derive(Clone)]
pub(super) struct Pending {
    /// The answer's object, its `value` to be replaced.
    envelope: Value,
    rest: Vec<Value>,
}

impl Shared {
    /// `answer`, cut to its first page when it is a collection longer than
    /// the page size.
    pub(super) fn paged(&self, state: &mut State, answer: Answer, path: &str) -> Answer {
        let Some(size) = state.page_size else {
            return answer;
        };
        let Some((mut first, rest)) = answers::first_page(&answer.body, size) else {
            return answer;
        };
        let envelope = first.clone();
        let link = self.park(state, envelope, rest, path);
        link_next(&mut first, link);
        Answer::json(answer.status, &first)
    }

    /// The page `token` names, linking to the one after it; `None` for a
    /// token the mock did not give.
    pub(super) fn next_page(&self, state: &mut State, token: &str, path: &str) -> Option<Answer> {
        let Pending {
            mut envelope,
            mut rest,
        } = state.pages.get(token)?.clone();
        let size = state.page_size.unwrap_or(usize::MAX).min(rest.len());
        let later = rest.split_off(size);
        envelope["value"] = Value::Array(rest);
        if let Some(object) = envelope.as_object_mut() {
            object.remove("@odata.nextLink");
        }
        if !later.is_empty() {
            let link = self.park(state, envelope.clone(), later, path);
            link_next(&mut envelope, link);
        }
        Some(Answer::json(200, &envelope))
    }

    /// Keeps `rest` for a later page and returns the link to it.
    fn park(&self, state: &mut State, envelope: Value, rest: Vec<Value>, path: &str) -> String {
        state.next_token += 1;
        let token = format!("{TOKEN}{}", state.next_token);
        let link = format!("{}{path}?$skiptoken={token}", self.uri);
        state.pages.insert(token, Pending { envelope, rest });
        link
    }
}

/// Makes `page` link to the next one, without the delta link that belongs
/// on the last.
fn link_next(page: &mut Value, link: String) {
    if let Some(object) = page.as_object_mut() {
        object.remove("@odata.deltaLink");
        object.insert("@odata.nextLink".to_owned(), Value::String(link));
    }
}
