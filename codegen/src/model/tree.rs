//! The URI space as a tree: what the generated client's fluent request
//! builders follow.
//!
//! Every endpoint's path is cut into steps at `/` (outside a function
//! call's parentheses): a literal segment (`users`, `$value`, the type cast
//! `microsoft.graph.group`), a key (`{user-id}`), a function call with its
//! parameters (`reminderView(startDateTime={…},endDateTime={…})`), or
//! `:/{path}:` addressing of a drive item by its path. Endpoints whose
//! paths share a prefix share the nodes of that prefix; a node is known by
//! its key, the steps with placeholders blanked and literals in lower case,
//! so the tree, like the endpoints, does not depend on placeholder names or
//! letter case. Emitters only walk it.

use super::{Endpoint, PathTemplate, Segment};
use serde::Serialize;
use std::collections::BTreeMap;

/// How a node is reached from its parent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Step {
    /// The service root.
    Root,
    /// A literal segment, as written: `users`, `$value`,
    /// `microsoft.graph.group`.
    Segment(String),
    /// A key: one `{…}` placeholder making up the whole segment.
    Key(String),
    /// `name(…)` with placeholders among its arguments, or any other
    /// segment that mixes literal text and placeholders: its pieces.
    Call { name: String, pieces: Vec<Segment> },
    /// `:/{path}` addressing, closed by `:` when more segments follow.
    ByPath { parameter: String, closed: bool },
}

impl Step {
    /// The step's part of a node key.
    fn key(&self) -> String {
        match self {
            Step::Root => String::new(),
            Step::Segment(text) => format!("/{}", text.to_ascii_lowercase()),
            Step::Key(_) => "/{}".to_owned(),
            Step::Call { pieces, .. } => {
                let mut key = String::from("/");
                for piece in pieces {
                    match piece {
                        Segment::Literal(text) => key.push_str(&text.to_ascii_lowercase()),
                        Segment::Parameter(_) => key.push_str("{}"),
                    }
                }
                // As in endpoint keys: a quoted placeholder is a bare one.
                key.replace("'{}'", "{}")
            }
            // Closed or not, one node: Graph reads `root:/{path}:` and
            // `root:/{path}` alike.
            Step::ByPath { .. } => ":/{}".to_owned(),
        }
    }

    /// The words the step reads as, for naming: `users`, `as group`,
    /// `item` for a key, `by path`, a call's name.
    pub fn words(&self) -> String {
        match self {
            Step::Root => "service root".to_owned(),
            Step::Segment(text) => {
                let text = text.trim_start_matches('$');
                match text.rsplit_once('.') {
                    Some((namespace, cast)) if namespace.contains('.') => format!("as {cast}"),
                    _ => text.to_owned(),
                }
            }
            Step::Key(_) => "item".to_owned(),
            Step::Call { name, .. } => name.clone(),
            Step::ByPath { .. } => "by path".to_owned(),
        }
    }

    /// The names of a function call's arguments, placeholders or not:
    /// `image(width=640,height=480)` → `width`, `height`.
    pub fn argument_names(&self) -> Vec<String> {
        let Step::Call { pieces, .. } = self else {
            return Vec::new();
        };
        let mut text = String::new();
        for piece in pieces {
            match piece {
                Segment::Literal(t) => text.push_str(t),
                Segment::Parameter(_) => text.push('_'),
            }
        }
        let Some((_, inside)) = text.split_once('(') else {
            return Vec::new();
        };
        inside
            .trim_end_matches(')')
            .split(',')
            .filter_map(|a| a.split_once('=').map(|(name, _)| name.trim().to_owned()))
            .filter(|name| !name.is_empty())
            .collect()
    }

    /// The placeholders the step takes values for, in path order.
    pub fn parameters(&self) -> Vec<&str> {
        match self {
            Step::Root | Step::Segment(_) => Vec::new(),
            Step::Key(p) | Step::ByPath { parameter: p, .. } => vec![p.as_str()],
            Step::Call { pieces, .. } => pieces
                .iter()
                .filter_map(|p| match p {
                    Segment::Parameter(p) => Some(p.as_str()),
                    Segment::Literal(_) => None,
                })
                .collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Node {
    pub parent: Option<usize>,
    pub step: Step,
    /// The steps from the root, placeholders blank, in lower case:
    /// `/users/{}/messages`.
    pub key: String,
    /// Sorted by key.
    pub children: Vec<usize>,
    /// Indices into the endpoints the tree was built from, of those whose
    /// path ends here, in their order.
    pub endpoints: Vec<usize>,
}

/// The nodes, the root first, then in key order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tree {
    pub nodes: Vec<Node>,
    /// The node each endpoint's path ends at, by endpoint index.
    pub end: Vec<usize>,
}

impl Tree {
    pub fn new(endpoints: &[Endpoint]) -> Tree {
        // Node keys → their step, collected first so that nodes can be
        // numbered in key order, whatever order the endpoints come in.
        let mut steps: BTreeMap<String, Step> = BTreeMap::new();
        let mut ends = Vec::with_capacity(endpoints.len());
        for endpoint in endpoints {
            let mut key = String::new();
            for step in steps_of(&endpoint.path) {
                key.push_str(&step.key());
                steps.entry(key.clone()).or_insert(step);
            }
            ends.push(key);
        }
        let mut nodes = vec![Node {
            parent: None,
            step: Step::Root,
            key: String::new(),
            children: Vec::new(),
            endpoints: Vec::new(),
        }];
        let mut index: BTreeMap<String, usize> = BTreeMap::from([(String::new(), 0)]);
        for (key, step) in steps {
            let parent_key = &key[..key.len() - step.key().len()];
            let parent = index[parent_key];
            let at = nodes.len();
            nodes[parent].children.push(at);
            index.insert(key.clone(), at);
            nodes.push(Node {
                parent: Some(parent),
                step,
                key,
                children: Vec::new(),
                endpoints: Vec::new(),
            });
        }
        // Addressing by path is closed by `:` when more steps follow.
        for node in &mut nodes {
            let has_children = !node.children.is_empty();
            if let Step::ByPath { closed, .. } = &mut node.step {
                *closed |= has_children;
            }
        }
        let end: Vec<usize> = ends.iter().map(|k| index[k]).collect();
        for (i, &node) in end.iter().enumerate() {
            nodes[node].endpoints.push(i);
        }
        Tree { nodes, end }
    }

    /// The nodes from the root's child down to `node`.
    pub fn chain(&self, node: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut at = Some(node);
        while let Some(n) = at.filter(|&n| n != 0) {
            chain.push(n);
            at = self.nodes[n].parent;
        }
        chain.reverse();
        chain
    }

    /// The child of the root that `node` lies under (itself for such a
    /// child; the root for the root).
    pub fn top(&self, node: usize) -> usize {
        self.chain(node).first().copied().unwrap_or(0)
    }

    /// Every endpoint at or below `node`.
    pub fn endpoints_below(&self, node: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            out.extend(&self.nodes[n].endpoints);
            stack.extend(&self.nodes[n].children);
        }
        out
    }
}

/// The words a path reads as, for naming what is called on it: its steps'
/// words, keys left out (`/users/{id}/memberOf/microsoft.graph.group` →
/// `users`, `memberOf`, `as group`).
pub fn path_words(path: &PathTemplate) -> Vec<String> {
    steps_of(path)
        .iter()
        .filter(|step| !matches!(step, Step::Key(_)))
        .map(Step::words)
        .collect()
}

/// A path's steps (see the module docs).
pub fn steps_of(path: &PathTemplate) -> Vec<Step> {
    // Cut the pieces at `/` outside parentheses.
    let mut raw: Vec<Vec<Segment>> = vec![Vec::new()];
    let mut depth = 0usize;
    for piece in &path.segments {
        match piece {
            Segment::Parameter(p) => raw
                .last_mut()
                .expect("never empty")
                .push(Segment::Parameter(p.clone())),
            Segment::Literal(text) => {
                let mut current = String::new();
                for c in text.chars() {
                    match c {
                        '/' if depth == 0 => {
                            if !current.is_empty() {
                                raw.last_mut()
                                    .expect("never empty")
                                    .push(Segment::Literal(std::mem::take(&mut current)));
                            }
                            raw.push(Vec::new());
                        }
                        '(' => {
                            depth += 1;
                            current.push(c);
                        }
                        ')' => {
                            depth = depth.saturating_sub(1);
                            current.push(c);
                        }
                        _ => current.push(c),
                    }
                }
                if !current.is_empty() {
                    raw.last_mut()
                        .expect("never empty")
                        .push(Segment::Literal(current));
                }
            }
        }
    }
    let raw: Vec<Vec<Segment>> = raw.into_iter().filter(|r| !r.is_empty()).collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let mut pieces = raw[i].clone();
        // `x:` followed by `{path}` or `{path}:`: addressing by path.
        let opens = matches!(pieces.last(), Some(Segment::Literal(t)) if t.ends_with(':'));
        let addressed = raw.get(i + 1).and_then(|next| match next.as_slice() {
            [Segment::Parameter(p)] => Some((p.clone(), false)),
            [Segment::Parameter(p), Segment::Literal(c)] if c == ":" => Some((p.clone(), true)),
            _ => None,
        });
        if let (true, Some((parameter, closed))) = (opens, addressed) {
            if let Some(Segment::Literal(t)) = pieces.last_mut() {
                t.pop();
                if t.is_empty() {
                    pieces.pop();
                }
            }
            if !pieces.is_empty() {
                steps.push(step(pieces));
            }
            steps.push(Step::ByPath { parameter, closed });
            i += 2;
            continue;
        }
        steps.push(step(pieces));
        i += 1;
    }
    steps
}

fn step(pieces: Vec<Segment>) -> Step {
    match pieces.as_slice() {
        [Segment::Parameter(p)] => Step::Key(p.clone()),
        [Segment::Literal(text)] if !text.contains('(') => Step::Segment(text.clone()),
        _ => {
            let name = match pieces.first() {
                Some(Segment::Literal(text)) => text.split('(').next().unwrap_or_default(),
                _ => "",
            };
            let name = if name.chars().any(|c| c.is_ascii_alphanumeric()) {
                name.to_owned()
            } else {
                "call".to_owned()
            };
            Step::Call { name, pieces }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sink;
    use crate::model::{Method, Response, Source};

    fn endpoint(method: Method, raw: &str) -> Endpoint {
        let mut sink = Sink::new("t.md");
        let path = super::super::paths::parse(raw, Source::default(), &mut sink).unwrap();
        Endpoint {
            method,
            path,
            name: String::new(),
            description: String::new(),
            parameters: Vec::new(),
            request_body: None,
            response: Response {
                status: 200,
                body: None,
                content_type: None,
            },
            permissions: Vec::new(),
            examples: Vec::new(),
            source: Source::default(),
            also: Vec::new(),
            namespace: None,
        }
    }

    fn steps(raw: &str) -> Vec<String> {
        steps_of(&endpoint(Method::Get, raw).path)
            .iter()
            .map(|s| {
                format!("{} {}", s.words(), s.parameters().join(","))
                    .trim()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn paths_are_cut_into_steps() {
        assert_eq!(
            steps("/users/{id}/mailFolders/{id}/messages/delta"),
            [
                "users",
                "item user-id",
                "mailFolders",
                "item mail-folder-id",
                "messages",
                "delta"
            ]
        );
        assert_eq!(
            steps("/me/drive/items/{id}:/{filename}:/content"),
            [
                "me",
                "drive",
                "items",
                "item item-id",
                "by path path",
                "content"
            ]
        );
        assert_eq!(
            steps("/me/drive/root:/{item-path}:/content"),
            ["me", "drive", "root", "by path path", "content"]
        );
        assert_eq!(
            steps("/sites/{hostname}:/{path}"),
            ["sites", "item hostname", "by path path"]
        );
        assert_eq!(
            steps("/users/{id}/reminderView(startDateTime={s},endDateTime={e})"),
            [
                "users",
                "item user-id",
                "reminderView start-date-time,end-date-time"
            ]
        );
        assert_eq!(
            steps("/reports/getOffice365ActiveUserDetail(period='{period_value}')/content"),
            ["reports", "getOffice365ActiveUserDetail period", "content"]
        );
        assert_eq!(
            steps("/users/{id}/memberOf/microsoft.graph.group/$count"),
            ["users", "item user-id", "memberOf", "as group", "count"]
        );
    }

    #[test]
    fn paths_read_as_words() {
        let words = |raw: &str| path_words(&endpoint(Method::Get, raw).path).join(" ");
        assert_eq!(
            words("/users/{id}/mailFolders/{id}/messages"),
            "users mailFolders messages"
        );
        assert_eq!(
            words("/me/drive/items/{id}:/{f}:/content"),
            "me drive items by path content"
        );
        assert_eq!(words("/me/photo/$value"), "me photo value");
        assert_eq!(
            words("/users/{id}/memberOf/microsoft.graph.group"),
            "users memberOf as group"
        );
        assert_eq!(
            words("/reports/getOffice365ActiveUserDetail(period='{period}')"),
            "reports getOffice365ActiveUserDetail"
        );
        assert_eq!(
            words("/me/reminderView(startDateTime={s},endDateTime={e})/x"),
            "me reminderView x"
        );
    }

    #[test]
    fn endpoints_share_the_nodes_of_their_common_prefix() {
        let endpoints = [
            endpoint(Method::Get, "/users/{id | userPrincipalName}"),
            endpoint(Method::Get, "/users"),
            endpoint(Method::Patch, "/Users/{user-id}"),
            endpoint(Method::Get, "/users/{id}/messages"),
        ];
        let tree = Tree::new(&endpoints);
        let keys: Vec<&str> = tree.nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["", "/users", "/users/{}", "/users/{}/messages"]);
        assert_eq!(tree.end, [2, 1, 2, 3]);
        assert_eq!(tree.nodes[2].endpoints, [0, 2]);
        assert_eq!(tree.chain(3), [1, 2, 3]);
        assert_eq!(tree.top(3), 1);
        let mut below = tree.endpoints_below(2);
        below.sort_unstable();
        assert_eq!(below, [0, 2, 3]);
    }
}
