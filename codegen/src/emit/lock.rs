//! The name lock: the Rust name each documented item was given, committed
//! beside the generated code so that names survive regeneration.
//!
//! Names are claimed in sorted order and collisions get numeric suffixes
//! (see the `names` module). Without a record, a new page whose type sorts
//! first and converts to the same identifier (`FooBar` beside `fooBar`)
//! would take the old name and push the existing type to `FooBar2`,
//! silently breaking every user of it. With the lock, items that still
//! exist keep their recorded name, new items claim what is left, and items
//! that are gone drop out of the next lock.
//!
//! What it covers: the module-level names (types, their modules, `Any…`
//! enums, update structs, endpoint names, request tree nodes and modules,
//! body structs), where a
//! page anywhere in the tree can collide with another. Fields and variants
//! are named within their own type, from its own pages, and are not
//! recorded: a new page elsewhere cannot rename them, though an edit that
//! adds a colliding name to the same type can (`api.txt` shows it).
//!
//! The lock records collision outcomes, not renames: a recorded name is
//! used only while it is what the item's doc name converts to, with or
//! without a suffix. A hand-edited or hostile lock cannot smuggle in an
//! identifier the name rules would not produce.

use super::names::{Case, Scope, ident};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// File name of the lock, beside the generated sources.
pub const FILE: &str = "names.lock";

/// Recorded names by section, each mapping a documented item to its Rust
/// name. Endpoints are keyed by method and path (`GET /users/{}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameLock {
    /// Type name → struct or enum.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Type name → its module under `types/`.
    #[serde(default)]
    pub modules: BTreeMap<String, String>,
    /// Base type name → its `Any…` enum.
    #[serde(default)]
    pub any: BTreeMap<String, String>,
    /// Type name → its `…Patch` update struct.
    #[serde(default)]
    pub patch: BTreeMap<String, String>,
    /// Endpoint → its request function and module.
    #[serde(default)]
    pub functions: BTreeMap<String, String>,
    /// Request tree node (its key, `/users/{}`) → its struct.
    #[serde(default)]
    pub nodes: BTreeMap<String, String>,
    /// Child of the tree's root → its module under `api/`.
    #[serde(default)]
    pub api_modules: BTreeMap<String, String>,
    /// Endpoint → its struct of action parameters.
    #[serde(default)]
    pub bodies: BTreeMap<String, String>,
}

impl NameLock {
    /// Reads a lock written by [`NameLock::to_toml`].
    ///
    /// # Errors
    /// When `text` is not such a lock.
    pub fn parse(text: &str) -> Result<NameLock, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The lock as TOML, one `"doc name" = "RustName"` line per item, in
    /// sorted order so that its diff shows exactly the names that came and
    /// went.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).expect("string maps always serialise");
        format!(
            "# {}\n# The Rust name of every documented item; kept across regenerations.\n{body}",
            super::MARKER
        )
    }
}

/// One namespace being named: its scope, with the recorded names of items
/// that still exist reserved before any new item claims one.
pub struct Namer {
    scope: Scope,
    case: Case,
}

/// The recorded names one section keeps, by key.
pub type Kept = HashMap<String, String>;

impl Namer {
    pub fn new(scope: Scope, case: Case) -> Self {
        Namer { scope, case }
    }

    /// Reserves the names `previous` recorded for the items `(key, raw)`
    /// that still exist. Call for every section of the namespace before the
    /// first [`Namer::name`], so no new item takes a recorded name.
    pub fn keep<'k>(
        &mut self,
        previous: &BTreeMap<String, String>,
        items: impl IntoIterator<Item = (&'k str, &'k str)>,
    ) -> Kept {
        let mut kept = Kept::new();
        for (key, raw) in items {
            if let Some(name) = previous.get(key)
                && derives_from(name, raw, self.case)
                && self.scope.reserve(name)
            {
                kept.insert(key.to_owned(), name.clone());
            }
        }
        kept
    }

    /// The name of `key` (doc name `raw`): its kept name, or a fresh claim.
    /// Records it in `next`.
    pub fn name(
        &mut self,
        kept: &Kept,
        key: &str,
        raw: &str,
        next: &mut BTreeMap<String, String>,
    ) -> String {
        let name = match kept.get(key) {
            Some(name) => name.clone(),
            None => self.scope.claim(raw, self.case),
        };
        next.insert(key.to_owned(), name.clone());
        name
    }
}

/// Whether `name` is what `raw` converts to, possibly with the numeric
/// suffix a collision adds.
fn derives_from(name: &str, raw: &str, case: Case) -> bool {
    let base = ident(raw, case);
    if name == base {
        return true;
    }
    let stem = base.trim_end_matches('_');
    let sep = if case == Case::Snake { "_" } else { "" };
    name.strip_prefix(stem)
        .and_then(|rest| rest.strip_prefix(sep))
        .is_some_and(|n| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_names_are_used_only_while_they_derive_from_the_doc_name() {
        assert!(derives_from("FooBar", "fooBar", Case::Camel));
        assert!(derives_from("FooBar2", "fooBar", Case::Camel));
        assert!(derives_from("self_2", "self", Case::Snake));
        assert!(derives_from("display_name_3", "displayName", Case::Snake));
        assert!(!derives_from("Person", "user", Case::Camel));
        assert!(!derives_from("FooBar02", "fooBar", Case::Camel));
        assert!(!derives_from("FooBar_2", "fooBar", Case::Camel));
        assert!(!derives_from("foo_bar(); evil", "fooBar", Case::Snake));
    }

    #[test]
    fn kept_names_win_over_new_claims_and_gone_items_drop_out() {
        let previous: BTreeMap<String, String> = [("fooBar", "FooBar"), ("gone", "Gone")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let mut namer = Namer::new(Scope::default(), Case::Camel);
        // `FooBar` sorts before `fooBar` and would claim `FooBar` first.
        let items = [("FooBar", "FooBar"), ("fooBar", "fooBar")];
        let kept = namer.keep(&previous, items);
        let mut next = BTreeMap::new();
        let names: Vec<String> = items
            .iter()
            .map(|(k, raw)| namer.name(&kept, k, raw, &mut next))
            .collect();
        assert_eq!(names, ["FooBar2", "FooBar"]);
        assert_eq!(next.len(), 2);
        assert!(!next.contains_key("gone"));
    }

    #[test]
    fn the_lock_round_trips_through_toml_and_rejects_strangers() {
        let mut lock = NameLock::default();
        lock.types
            .insert("a \"quoted\" = name".to_owned(), "AQuotedName".to_owned());
        lock.functions
            .insert("GET /users/{}".to_owned(), "users_get".to_owned());
        let text = lock.to_toml();
        assert!(text.starts_with("# @generated"), "{text}");
        assert_eq!(NameLock::parse(&text).unwrap(), lock);
        assert!(NameLock::parse("[unknown]\na = \"b\"\n").is_err());
    }
}
