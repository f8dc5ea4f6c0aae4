//! Request paths: `/users/{id | userPrincipalName}/assignLicense` and kin.
//!
//! A path is kept as a template of literal pieces and `{…}` placeholders,
//! never as a string to splice into code. The docs' own slips (`//`, a
//! trailing `/`, a missing leading `/`, a full URL) are normalised with a
//! note so the output is what the page meant.

use crate::diag::Sink;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathTemplate {
    /// The normalised path as text, with any query string as written,
    /// e.g. `/users/{id}/assignLicense` or `/me/calendarView?startDateTime={s}`.
    pub template: String,
    pub segments: Vec<Segment>,
    pub source: super::Source,
}

/// A run of literal path text or one `{…}` placeholder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    Literal(String),
    /// The text between the braces, e.g. `id | userPrincipalName`.
    Parameter(String),
}

impl PathTemplate {
    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Parameter(p) => Some(p.as_str()),
            Segment::Literal(_) => None,
        })
    }
}

/// Turns one documented path (or full URL) into a template.
pub fn parse(raw: &str, source: super::Source, sink: &mut Sink<'_>) -> Option<PathTemplate> {
    let line = source.line;
    let mut path = strip_origin(raw.trim()).to_owned();
    // Normalise the path part only; a query string (`?startDateTime={x}`)
    // is kept as written: its placeholders are parameters too.
    let query = match path.split_once('?') {
        Some((p, q)) => {
            let q = format!("?{q}");
            path = p.to_owned();
            q
        }
        None => String::new(),
    };
    if path.is_empty() {
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
    path.push_str(&query);
    let segments = split(&path, line, sink)?;
    Some(PathTemplate {
        template: path,
        segments,
        source,
    })
}

/// Drops `https://host/v1.0` (or `/beta`, or any other version) in front of a path.
pub(crate) fn strip_origin(raw: &str) -> &str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    fn template(raw: &str) -> (Option<PathTemplate>, Vec<&'static str>) {
        let mut sink = Sink::new("p.md");
        let t = parse(raw, Source::default(), &mut sink);
        (t, sink.into_vec().into_iter().map(|d| d.code).collect())
    }

    #[test]
    fn placeholders_and_literals() {
        let (t, d) = template("/users/{id | userPrincipalName}/reminderView(startDateTime={s})");
        let t = t.unwrap();
        assert!(d.is_empty());
        assert_eq!(
            t.segments,
            [
                Segment::Literal("/users/".into()),
                Segment::Parameter("id | userPrincipalName".into()),
                Segment::Literal("/reminderView(startDateTime=".into()),
                Segment::Parameter("s".into()),
                Segment::Literal(")".into()),
            ]
        );
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
    }

    #[test]
    fn full_urls_lose_host_and_version_and_keep_the_query() {
        let (t, _) = template("https://graph.microsoft.com/v1.0/users?$top=5");
        let t = t.unwrap();
        assert_eq!(t.template, "/users?$top=5");
        let (t, d) = template("/me/calendarView/?startDateTime={start}&endDateTime={end}");
        let t = t.unwrap();
        assert_eq!(
            t.template,
            "/me/calendarView?startDateTime={start}&endDateTime={end}"
        );
        assert_eq!(t.parameters().collect::<Vec<_>>(), ["start", "end"]);
        assert_eq!(d, ["path-trailing-slash"]);
    }

    #[test]
    fn broken_braces_are_reported() {
        assert_eq!(template("/users/{id").1, ["invalid-path"]);
        assert_eq!(template("/users/id}").1, ["invalid-path"]);
    }
}
