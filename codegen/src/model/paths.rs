//! Request paths: `/users/{id | userPrincipalName}/assignLicense` and kin.
//!
//! A path is kept as a template of literal pieces and `{…}` placeholders,
//! never as a string to splice into code. The docs' own slips (`//`, a
//! trailing `/`, a missing leading `/`, a full URL) are normalised with a
//! note so the output is what the page meant.
//!
//! Placeholders are renamed from what they key, so that two pages writing
//! `/users/{id}` and `/users/{id | userPrincipalName}` give one template,
//! `/users/{user-id}`, and a placeholder renamed in the docs renames
//! nothing: a key after a collection segment is `{singular}-id`, a function
//! parameter takes the parameter's name, and `root:/{…}:` addressing is
//! `path`. `<address>` is read as `{address}`. A query string's
//! placeholders become required query parameters; its literal pairs are
//! examples of OData options, not part of the path, and are dropped.

use crate::diag::Sink;
use heck::ToKebabCase;
use percent_encoding::percent_decode_str;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathTemplate {
    /// The normalised path as text, without a query string, e.g.
    /// `/users/{user-id}/assignLicense`.
    pub template: String,
    pub segments: Vec<Segment>,
    /// Query parameters the path requires, by their query name (e.g.
    /// calendarView's `startDateTime` and `endDateTime`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<String>,
    pub source: super::Source,
}

/// A run of literal path text or one `{…}` placeholder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    Literal(String),
    /// The placeholder's normalised name, e.g. `user-id`.
    Parameter(String),
}

impl PathTemplate {
    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Parameter(p) => Some(p.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// How much literal text the template has: of two templates a URL
    /// fits, the one with more is the one it addresses
    /// (`/directoryRoles/roleTemplateId={id}` rather than
    /// `/directoryRoles/{id}`), as Graph and the mock route it.
    pub fn literal_len(&self) -> usize {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(text) => text.len(),
                Segment::Parameter(_) => 0,
            })
            .sum()
    }

    /// What makes two templates the same endpoint path: the text with every
    /// placeholder blank and literals in lower case (Graph matches path
    /// segments without regard to case), e.g. `/users/{}/assignlicense`.
    pub fn key(&self) -> String {
        key_of(&self.segments)
    }

    /// The placeholder values `url` gives this template: its path
    /// parameters, then its required query parameters, decoded; `None` when
    /// the URL does not fit. The URL's other query pairs are returned too.
    pub fn fit(&self, url: &str) -> Option<Fit> {
        let (path, query) = split_url(url);
        let mut values = match_template(&self.segments, &path)?;
        let mut pairs = query.as_deref().map(query_pairs).unwrap_or_default();
        for name in &self.query {
            let at = pairs
                .iter()
                .position(|(k, _)| k.eq_ignore_ascii_case(name))?;
            values.push(pairs.remove(at).1);
        }
        Some(Fit {
            path,
            values,
            query: query.as_deref().map(query_pairs).unwrap_or_default(),
            extra_query: pairs,
        })
    }
}

/// How an example URL fits a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fit {
    /// The URL's path, without the service root and the query.
    pub path: String,
    /// One value per path parameter, then per required query parameter.
    pub values: Vec<String>,
    /// Every query pair of the URL, decoded.
    pub query: Vec<(String, String)>,
    /// The query pairs the template does not ask for.
    pub extra_query: Vec<(String, String)>,
}

/// The key of a template: placeholders blank, literals in lower case, a
/// quoted placeholder (`'{x}'`, OData's string literal) as a bare one, and
/// no closing `:` after a trailing `root:/{path}`, which Graph reads either
/// way.
fn key_of(segments: &[Segment]) -> String {
    let mut key = String::new();
    for segment in segments {
        match segment {
            Segment::Literal(text) => key.extend(text.chars().map(|c| c.to_ascii_lowercase())),
            Segment::Parameter(_) => key.push_str("{}"),
        }
    }
    if key.contains("'{}'") {
        key = key.replace("'{}'", "{}");
    }
    if key.ends_with("{}:") {
        key.pop();
    }
    key
}

/// OData system query options: the runtime's `Request` sets them, so a
/// documented path that shows one shows an example, not a parameter.
const SYSTEM_OPTIONS: &[&str] = &[
    "$filter",
    "$select",
    "$expand",
    "$top",
    "$skip",
    "$orderby",
    "$search",
    "$count",
    "$format",
    "$skiptoken",
];

/// Turns one documented path (or full URL) into a template.
pub fn parse(raw: &str, source: super::Source, sink: &mut Sink<'_>) -> Option<PathTemplate> {
    let line = source.line;
    let angled = angle_placeholders(strip_origin(raw.trim()));
    if angled.contains('<') {
        sink.warn(
            line,
            "invalid-path",
            format!("unclosed `<` in path `{raw}`"),
        );
        return None;
    }
    let (mut path, query) = match angled.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (angled.clone(), None),
    };
    if path.is_empty() {
        sink.note(
            line,
            "path-not-graph",
            format!("`{raw}` names no path of the API"),
        );
        return None;
    }
    if !path.starts_with('/') {
        sink.note(
            line,
            "path-missing-slash",
            format!("path `{raw}` lacks its leading `/`"),
        );
        path.insert(0, '/');
    }
    if path.contains("//") {
        sink.note(
            line,
            "path-double-slash",
            format!("`//` in path `{raw}` read as `/`"),
        );
        while path.contains("//") {
            path = path.replace("//", "/");
        }
    }
    if path.len() > 1 && path.ends_with('/') {
        sink.note(
            line,
            "path-trailing-slash",
            format!("trailing `/` dropped from `{raw}`"),
        );
        path.pop();
    }
    close_parentheses(&mut path, raw, line, sink);
    let raw_segments = split(&path, line, sink)?;
    let mut segments = name_parameters(raw_segments);
    let mut required = Vec::new();
    if let Some(query) = query {
        let mut dropped = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = name.trim();
            let system = SYSTEM_OPTIONS.iter().any(|o| o.eq_ignore_ascii_case(name));
            if value.contains('{') && !system && !name.is_empty() && !name.contains(['{', '}']) {
                required.push(name.to_owned());
            } else {
                dropped.push(pair);
            }
        }
        if !dropped.is_empty() {
            sink.note(
                line,
                "path-query-example",
                format!(
                    "query `{}` in `{raw}` is an example of options, not part of the path",
                    dropped.join("&")
                ),
            );
        }
    }
    let mut used: Vec<String> = segments
        .iter()
        .filter_map(|s| match s {
            Segment::Parameter(p) => Some(p.clone()),
            Segment::Literal(_) => None,
        })
        .collect();
    required.retain(|q| {
        let fresh = !used.contains(&q.to_kebab_case());
        used.push(q.to_kebab_case());
        fresh
    });
    dedupe_parameters(&mut segments);
    let template = segments
        .iter()
        .map(|s| match s {
            Segment::Literal(text) => text.clone(),
            Segment::Parameter(p) => format!("{{{p}}}"),
        })
        .collect();
    Some(PathTemplate {
        template,
        segments,
        query: required,
        source,
    })
}

/// `range(address='{a}'/entireRow` → `range(address='{a}')/entireRow`: a
/// function call left open ends where its segment does, with a note.
fn close_parentheses(path: &mut String, raw: &str, line: u32, sink: &mut Sink<'_>) {
    let mut out = String::with_capacity(path.len() + 2);
    let mut open = 0usize;
    let mut repaired = false;
    for c in path.chars() {
        match c {
            '(' => open += 1,
            ')' => open = open.saturating_sub(1),
            '/' if open > 0 => {
                out.extend(std::iter::repeat_n(')', open));
                open = 0;
                repaired = true;
            }
            _ => {}
        }
        out.push(c);
    }
    if open > 0 {
        out.extend(std::iter::repeat_n(')', open));
        repaired = true;
    }
    if repaired {
        sink.note(
            line,
            "path-unclosed-call",
            format!(
                "a function call in `{raw}` is not closed; read as closed at the end of its segment"
            ),
        );
        *path = out;
    }
}

/// `range(address='<address>')` → `range(address='{address}')`: some pages
/// write placeholders in angle brackets.
fn angle_placeholders(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|c| open + c) else {
            break;
        };
        let name = &rest[open + 1..close];
        if name.is_empty() || name.contains(['{', '}', '<', '/']) {
            break;
        }
        out.push_str(&rest[..open]);
        out.push('{');
        out.push_str(name);
        out.push('}');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Renames each placeholder from what it keys (see the module docs).
fn name_parameters(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        let Segment::Parameter(raw) = segment else {
            out.push(segment.clone());
            continue;
        };
        let before = match i.checked_sub(1).map(|j| &segments[j]) {
            Some(Segment::Literal(text)) => text.as_str(),
            _ => "",
        };
        let after = match segments.get(i + 1) {
            Some(Segment::Literal(text)) => text.as_str(),
            _ => "",
        };
        let whole = before.ends_with('/') && (after.is_empty() || after.starts_with(['/', ':']));
        let collection = before
            .strip_suffix('/')
            .and_then(|b| b.rsplit('/').next())
            .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()));
        let name = if before.ends_with(":/") && after.starts_with(':') {
            "path".to_owned()
        } else if let (true, Some(collection)) = (whole, collection) {
            let lower = raw.to_ascii_lowercase();
            if lower.contains("id") || raw.contains('|') {
                format!("{}-id", singular(collection).to_kebab_case())
            } else {
                raw.to_kebab_case()
            }
        } else if let Some(function_parameter) = before
            .trim_end_matches('\'')
            .strip_suffix('=')
            .map(|b| b.rsplit(['(', ',', ' ']).next().unwrap_or_default().trim())
            .filter(|p| !p.is_empty())
        {
            function_parameter.to_kebab_case()
        } else {
            raw.to_kebab_case()
        };
        let name = if name.is_empty() {
            "value".to_owned()
        } else {
            name
        };
        out.push(Segment::Parameter(name));
    }
    out
}

/// `/groups/{id}/members/{id}` after renaming can still repeat a name
/// (`/a/{x}/b({x})`): later ones take `-2`, `-3`, … so that every
/// placeholder names one value.
fn dedupe_parameters(segments: &mut [Segment]) {
    let mut seen: Vec<String> = Vec::new();
    for s in segments.iter_mut() {
        if let Segment::Parameter(name) = s {
            let mut candidate = name.clone();
            let mut n = 2;
            while seen.contains(&candidate) {
                candidate = format!("{name}-{n}");
                n += 1;
            }
            seen.push(candidate.clone());
            *name = candidate;
        }
    }
}

/// `users` → `user`, `policies` → `policy`, `classes` → `class`: enough
/// English for Graph's collection names.
pub(super) fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if let Some(stem) = word.strip_suffix("ies").filter(|_| lower.len() > 4) {
        format!("{stem}y")
    } else if lower.ends_with("sses") || lower.ends_with("xes") || lower.ends_with("ches") {
        word[..word.len() - 2].to_owned()
    } else if lower == "children" {
        word[..5].to_owned()
    } else if lower == "people" {
        "person".to_owned()
    } else if lower.ends_with('s') && !lower.ends_with("ss") && !lower.ends_with("us") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// Drops `https://host/v1.0` (or `/beta`, or any other version) in front of a path.
fn strip_origin(raw: &str) -> &str {
    let Some(rest) = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
    else {
        return raw;
    };
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    // The first segment after the host is the API version.
    path[1.min(path.len())..]
        .find('/')
        .map_or("", |i| &path[1 + i..])
}

fn split(path: &str, line: u32, sink: &mut Sink<'_>) -> Option<Vec<Segment>> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            sink.warn(
                line,
                "invalid-path",
                format!("unclosed `{{` in path `{path}`"),
            );
            return None;
        };
        if open > 0 {
            segments.push(Segment::Literal(rest[..open].to_owned()));
        }
        let name = rest[open + 1..close].trim();
        if name.is_empty() || name.contains('{') {
            sink.warn(
                line,
                "invalid-path",
                format!("bad placeholder in path `{path}`"),
            );
            return None;
        }
        segments.push(Segment::Parameter(name.to_owned()));
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        sink.warn(
            line,
            "invalid-path",
            format!("unmatched `}}` in path `{path}`"),
        );
        return None;
    }
    if !rest.is_empty() {
        segments.push(Segment::Literal(rest.to_owned()));
    }
    Some(segments)
}

/// `https://graph.microsoft.com/v1.0/users/1?$top=2` → (`/users/1`,
/// `$top=2`). Paths written without the root, with or without the version
/// (`/v1.0/me`, `/me`), give the same. The slips documented paths are
/// forgiven (`//`, a trailing `/`) are forgiven here too.
fn split_url(url: &str) -> (String, Option<String>) {
    let (mut path, query) = split_root(url);
    while path.contains("//") {
        path = path.replace("//", "/");
    }
    if path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    (path, query)
}

fn split_root(url: &str) -> (String, Option<String>) {
    let url = url.trim();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (url, None),
    };
    let path = if path.starts_with("http") {
        strip_origin(path).to_owned()
    } else {
        let path = format!("/{}", path.trim_start_matches('/'));
        let versioned = ["/v1.0/", "/beta/"].iter().find(|v| {
            path.get(..v.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(v))
        });
        match versioned {
            Some(v) => path[v.len() - 1..].to_owned(),
            None => path,
        }
    };
    (path, query)
}

/// The decoded values of a template's placeholders in `path`, if the
/// literal pieces match it (ignoring ASCII case, as Graph does). Each
/// placeholder takes at least one character; the first split that fits
/// wins.
fn match_template(segments: &[Segment], path: &str) -> Option<Vec<String>> {
    fn go(segments: &[Segment], path: &str, after_root: bool, out: &mut Vec<String>) -> bool {
        match segments.split_first() {
            None => path.is_empty(),
            Some((Segment::Literal(text), rest)) => {
                path.get(..text.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(text))
                    && go(rest, &path[text.len()..], text.ends_with(":/"), out)
            }
            Some((Segment::Parameter(_), rest)) => {
                // A value ends where the next literal piece can start, so
                // every split is tried, shortest first: after each
                // character, or at the end of an empty path. Only a path
                // after `root:/` holds `/`; a key never does, so that
                // `items/{id}/content` does not swallow `items/1:/a/b:/content`.
                // A value is decoded once the rest has fitted.
                let ends = (path.char_indices())
                    .map(|(i, c)| (i + c.len_utf8(), c))
                    .chain(path.is_empty().then_some((0, ' ')));
                let slot = out.len();
                out.push(String::new());
                for (end, last) in ends {
                    if !after_root && last == '/' {
                        break;
                    }
                    if go(rest, &path[end..], false, out) {
                        out[slot] = decode(&path[..end]);
                        return true;
                    }
                }
                out.pop();
                false
            }
        }
    }
    let mut out = Vec::new();
    go(segments, path, false, &mut out).then_some(out)
}

/// `a=1&b=x+y` → the decoded pairs, as a server reads them.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (form_decode(k), form_decode(v)),
            None => (form_decode(pair), String::new()),
        })
        .collect()
}

/// A query name or value as a server reads it: `+` is a space.
fn form_decode(s: &str) -> String {
    decode(&s.replace('+', " "))
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    fn template(raw: &str) -> (Option<PathTemplate>, Vec<&'static str>) {
        let mut sink = Sink::new("p.md");
        let t = parse(raw, Source::default(), &mut sink);
        (t, sink.into_vec().into_iter().map(|d| d.code).collect())
    }

    fn text(raw: &str) -> String {
        template(raw).0.unwrap().template
    }

    #[test]
    fn placeholders_are_named_from_what_they_key() {
        let (t, d) = template("/users/{id | userPrincipalName}/reminderView(startDateTime={s})");
        let t = t.unwrap();
        assert!(d.is_empty());
        assert_eq!(
            t.segments,
            [
                Segment::Literal("/users/".into()),
                Segment::Parameter("user-id".into()),
                Segment::Literal("/reminderView(startDateTime=".into()),
                Segment::Parameter("start-date-time".into()),
                Segment::Literal(")".into()),
            ]
        );
        assert_eq!(
            text("/groups/{id}/members/{id}/$ref"),
            "/groups/{group-id}/members/{member-id}/$ref"
        );
        assert_eq!(
            text("/drives/{drive-id}/items/{parent-id}:/{filename}:/content"),
            "/drives/{drive-id}/items/{item-id}:/{path}:/content"
        );
        assert_eq!(
            text("/sites/{hostname}:/{server-relative-path}"),
            "/sites/{hostname}:/{server-relative-path}"
        );
        assert_eq!(
            text("/me/drive/items/{id}/workbook/worksheets/{id|name}/range(address='<address>')"),
            "/me/drive/items/{item-id}/workbook/worksheets/{worksheet-id}/range(address='{address}')"
        );
        assert_eq!(
            text("/policies/{id}/x/{id}"),
            "/policies/{policy-id}/x/{x-id}"
        );
        assert_eq!(text("/a/{x}/b/{x}"), "/a/{x}/b/{x-2}");
    }

    #[test]
    fn one_endpoint_whatever_its_placeholders_are_called() {
        let a = template("/users/{id}/calendarGroups/{id}").0.unwrap();
        let b = template("/Users/{user-id}/calendargroups/{calendarGroupId}")
            .0
            .unwrap();
        assert_eq!(a.key(), b.key());
        assert_eq!(
            a.template,
            "/users/{user-id}/calendarGroups/{calendar-group-id}"
        );
        assert_eq!(
            b.template,
            "/Users/{user-id}/calendargroups/{calendargroup-id}"
        );
    }

    #[test]
    fn query_placeholders_are_required_parameters_and_examples_are_dropped() {
        let (t, d) =
            template("/me/calendarView?startDateTime={start_datetime}&endDateTime={end_datetime}");
        let t = t.unwrap();
        assert_eq!(t.template, "/me/calendarView");
        assert_eq!(t.query, ["startDateTime", "endDateTime"]);
        assert!(d.is_empty(), "{d:?}");
        let (t, d) = template("/security/alerts?$filter={property} eq '{value}'&$top=5");
        let t = t.unwrap();
        assert_eq!(t.template, "/security/alerts");
        assert!(t.query.is_empty());
        assert_eq!(d, ["path-query-example"]);
        let (t, _) = template("/groups/{id}/acceptedSenders/$ref?$id=https://x/users/{user-id}");
        assert_eq!(t.unwrap().query, ["$id"]);
    }

    #[test]
    fn slips_are_normalised_with_notes() {
        let (t, d) = template("/a/{x}/rootCertificate//groupAssignments/");
        assert_eq!(
            t.unwrap().template,
            "/a/{x}/rootCertificate/groupAssignments"
        );
        assert_eq!(d, ["path-double-slash", "path-trailing-slash"]);
        let (t, d) = template("me/events");
        assert_eq!(t.unwrap().template, "/me/events");
        assert_eq!(d, ["path-missing-slash"]);
        let (t, _) = template("https://graph.microsoft.com/v1.0/users");
        assert_eq!(t.unwrap().template, "/users");
    }

    #[test]
    fn quoting_and_a_closing_colon_do_not_make_another_endpoint() {
        let key = |raw: &str| template(raw).0.unwrap().key();
        assert_eq!(key("/a/range(address='{x}')"), key("/a/range(address={x})"));
        assert_eq!(
            key("/me/drive/root:/{path}:"),
            key("/me/drive/root:/{path}")
        );
        let (t, d) = template("/w/range(address='{a}'/entireRow");
        assert_eq!(
            t.unwrap().template,
            "/w/range(address='{address}')/entireRow"
        );
        assert_eq!(d, ["path-unclosed-call"]);
    }

    #[test]
    fn broken_braces_are_reported() {
        assert_eq!(template("/users/{id").1, ["invalid-path"]);
        assert_eq!(template("/users/id}").1, ["invalid-path"]);
        assert_eq!(template("/range(<address").1, ["invalid-path"]);
    }

    #[test]
    fn example_urls_fit_templates_with_their_query() {
        let t = template("/users/{id}/calendarView?startDateTime={s}&endDateTime={e}")
            .0
            .unwrap();
        let fit = t
            .fit("https://graph.microsoft.com/v1.0/Users/a%40b.com/calendarview?endDateTime=2&startDateTime=1&$top=3")
            .unwrap();
        assert_eq!(fit.path, "/Users/a%40b.com/calendarview");
        assert_eq!(fit.values, ["a@b.com", "1", "2"]);
        assert_eq!(fit.extra_query, [("$top".to_owned(), "3".to_owned())]);
        assert_eq!(t.fit("/users/1/calendarView?startDateTime=1"), None);
        assert_eq!(t.fit("/users//calendarView"), None);
        // A placeholder may hold `/`, as `root:/{path}:` does.
        let t = template("/root:/{path}:/content").0.unwrap();
        assert_eq!(
            t.fit("/root:/a/b.txt:/content").unwrap().values,
            ["a/b.txt"]
        );
    }

    #[test]
    fn example_urls_lose_their_root_and_keep_their_query() {
        assert_eq!(
            split_url("https://graph.microsoft.com/v1.0/users/1?$top=2"),
            ("/users/1".into(), Some("$top=2".into()))
        );
        assert_eq!(split_url("/beta/me"), ("/me".into(), None));
        assert_eq!(split_url("me/events"), ("/me/events".into(), None));
        assert_eq!(split_url("/v1.0/me//events/"), ("/me/events".into(), None));
        assert_eq!(
            query_pairs("$filter=a%20eq%201&$top=2&x&$search=a+b"),
            [
                ("$filter".into(), "a eq 1".into()),
                ("$top".into(), "2".into()),
                ("x".into(), String::new()),
                ("$search".into(), "a b".into())
            ]
        );
    }

    #[test]
    fn collection_names_become_singular() {
        for (plural, one) in [
            ("users", "user"),
            ("policies", "policy"),
            ("classes", "class"),
            ("children", "child"),
            ("status", "status"),
            ("me", "me"),
            ("mailFolders", "mailFolder"),
        ] {
            assert_eq!(singular(plural), one);
        }
    }
}
