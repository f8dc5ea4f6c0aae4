//! Which documented endpoint a request is for: its path matched against
//! every route's template.
//!
//! Graph reads path segments without regard to case, so matching is on
//! decoded, lower-cased text. A placeholder takes any non-empty text of
//! one segment, except right after a `:` (`root:/{item-path}:`), where it
//! may span segments. When several templates fit, the one with the most
//! literal text wins: `/users/delta()` over `/users/{user-id}`.

use crate::Method;
use percent_encoding::percent_decode_str;

/// A route's path template, cut into literal text and placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Template {
    parts: Vec<Part>,
    /// The literal text's length: how specific the template is.
    literal: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    /// Lower case.
    Literal(String),
    /// A placeholder; `spans` when its value may hold `/`.
    Hole { spans: bool },
}

impl Template {
    /// Reads `/users/{user-id}/messages`. An unclosed `{` is literal text;
    /// a leading version segment is dropped, as from request paths.
    pub(crate) fn parse(template: &str) -> Template {
        let mut parts = Vec::new();
        let mut rest = without_version(template);
        let mut literal = String::new();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            literal.push_str(&rest[..open]);
            let spans = literal.ends_with(":/") || literal.ends_with(':');
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal).to_lowercase()));
            }
            parts.push(Part::Hole { spans });
            rest = &rest[open + close + 1..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(Part::Literal(literal.to_lowercase()));
        }
        let literal = parts
            .iter()
            .map(|p| match p {
                Part::Literal(l) => l.len(),
                Part::Hole { .. } => 0,
            })
            .sum();
        Template { parts, literal }
    }

    /// Whether `path` (from [`normalise`]) fits.
    pub(crate) fn fits(&self, path: &str) -> bool {
        fits(&self.parts, path)
    }
}

fn fits(parts: &[Part], text: &str) -> bool {
    match parts.split_first() {
        None => text.is_empty(),
        Some((Part::Literal(l), rest)) => {
            text.strip_prefix(l.as_str()).is_some_and(|t| fits(rest, t))
        }
        Some((Part::Hole { spans }, rest)) => {
            let ends = text.char_indices().map(|(i, _)| i).skip(1);
            for end in ends.chain([text.len()]).filter(|&end| end > 0) {
                if !spans && text[..end].contains('/') {
                    return false;
                }
                if fits(rest, &text[end..]) {
                    return true;
                }
            }
            false
        }
    }
}

/// A path `template` fits, its placeholders filled with `value`.
#[cfg(any(test, feature = "loopback"))]
pub(crate) fn sample_path(template: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// A request path as routes are matched against it: decoded, lower case,
/// without a trailing `/`, and without a leading version segment (`/v1.0`,
/// `/beta`), so that a client given the mock's URL with the version
/// appended reaches the same routes.
pub(crate) fn normalise(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    // Segment by segment, so that an encoded `/` stays within its segment.
    let decoded = (path.split('/'))
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8_lossy()
                .replace('/', "%2f")
        })
        .collect::<Vec<_>>()
        .join("/")
        .to_lowercase();
    without_version(decoded.trim_end_matches('/')).to_owned()
}

/// `path` without a leading `/v1.0` or `/beta` segment, in any case:
/// requests may carry one, and so do a few documented paths.
fn without_version(path: &str) -> &str {
    for version in ["/v1.0/", "/beta/"] {
        if let Some(head) = path.get(..version.len())
            && head.eq_ignore_ascii_case(version)
        {
            return &path[version.len() - 1..];
        }
    }
    path
}

/// What routing found for a request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// The index of the most specific route with that method.
    Route(usize),
    /// Routes fit the path, none with that method.
    WrongMethod(Vec<Method>),
    NoRoute,
}

/// Finds the route of `method` and `path` (normalised) among `routes`.
pub(crate) fn find<'a>(
    routes: impl Iterator<Item = (Method, &'a Template)>,
    method: Option<Method>,
    path: &str,
) -> Found {
    let mut best: Option<(usize, usize)> = None;
    let mut methods = Vec::new();
    for (n, (m, template)) in routes.enumerate() {
        if !template.fits(path) {
            continue;
        }
        if Some(m) != method {
            if !methods.contains(&m) {
                methods.push(m);
            }
            continue;
        }
        if best.is_none_or(|(_, literal)| template.literal > literal) {
            best = Some((n, template.literal));
        }
    }
    match best {
        Some((n, _)) => Found::Route(n),
        None if methods.is_empty() => Found::NoRoute,
        None => Found::WrongMethod(methods),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(templates: &[(Method, &str)], method: Method, path: &str) -> Found {
        let parsed: Vec<(Method, Template)> = templates
            .iter()
            .map(|(m, t)| (*m, Template::parse(t)))
            .collect();
        find(
            parsed.iter().map(|(m, t)| (*m, t)),
            Some(method),
            &normalise(path),
        )
    }

    #[test]
    fn placeholders_take_one_segment_and_literals_any_case() {
        let t = Template::parse("/users/{user-id}/messages");
        assert!(t.fits(&normalise("/Users/42/MESSAGES")));
        assert!(t.fits(&normalise("/users/a%2Fb/messages/")));
        assert!(!t.fits(&normalise("/users/42/x/messages")));
        assert!(!t.fits(&normalise("/users//messages")));
        assert!(!t.fits(&normalise("/users/42/messages/1")));
    }

    #[test]
    fn placeholders_between_colons_span_segments() {
        let t = Template::parse("/me/drive/root:/{item-path}:/content");
        assert!(t.fits(&normalise("/me/drive/root:/Documents/a%20b.txt:/content")));
        let quoted = Template::parse("/reports/getOffice365ActiveUserDetail(period='{period}')");
        assert!(quoted.fits(&normalise(
            "/reports/getOffice365ActiveUserDetail(period='D7')"
        )));
        assert!(!quoted.fits(&normalise(
            "/reports/getOffice365ActiveUserDetail(period='D/7')"
        )));
    }

    #[test]
    fn the_most_literal_route_wins_and_methods_are_told_apart() {
        let routes = [
            (Method::Get, "/users/{user-id}"),
            (Method::Get, "/users/delta()"),
            (Method::Patch, "/users/{user-id}"),
        ];
        assert_eq!(
            route(&routes, Method::Get, "/users/delta()"),
            Found::Route(1)
        );
        assert_eq!(route(&routes, Method::Get, "/users/42"), Found::Route(0));
        assert_eq!(
            route(&routes, Method::Patch, "/v1.0/users/42"),
            Found::Route(2)
        );
        assert_eq!(
            route(&routes, Method::Delete, "/users/42"),
            Found::WrongMethod(vec![Method::Get, Method::Patch])
        );
        assert_eq!(route(&routes, Method::Get, "/groups/1"), Found::NoRoute);
    }

    #[test]
    fn sample_paths_fit_their_templates() {
        for template in [
            "/users/{user-id}/messages",
            "/me/drive/root:/{item-path}:/content",
            "/reports/getOffice365ActiveUserDetail(period='{period}')",
            "/odd{name",
        ] {
            let path = sample_path(template, "mock-value");
            assert!(Template::parse(template).fits(&normalise(&path)), "{path}");
        }
    }

    #[test]
    fn versions_leave_requests_and_templates_alike() {
        let t = Template::parse("/beta/teams/{team-id}/photo");
        assert!(t.fits(&normalise("/teams/1/photo")));
        assert!(t.fits(&normalise("/BETA/teams/1/photo")));
        assert_eq!(normalise("/v1.0"), "/v1.0");
        assert_eq!(normalise("/v1.0/me/"), "/me");
    }

    #[test]
    fn an_unclosed_brace_is_text() {
        let t = Template::parse("/odd{name");
        assert!(t.fits("/odd{name"));
    }
}
