//! Request paths from literal pieces and percent-encoded parameters.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped in a path parameter: everything that would end the
/// segment or change its meaning (`/`, `?`, `#`, `%`, quotes, spaces …).
/// RFC 3986 unreserved characters and `@`, `:`, `=`, `,`, `$` stay as they
/// are, since Graph ids such as user principal names use them.
const PARAMETER: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'\'')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'&')
    .add(b'+');

/// One piece of a request path: literal text from the docs, or a value the
/// caller passed, which is percent-encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPart<'a> {
    Literal(&'static str),
    Param(&'a str),
    /// A drive item path after `root:/` (`folder/file.txt`): its `/` stay
    /// separators, each piece between them is encoded like a parameter.
    Subpath(&'a str),
}

/// Joins path pieces, encoding each parameter.
pub fn build_path(parts: &[PathPart<'_>]) -> String {
    extend_path(String::new(), parts)
}

/// `path` followed by `parts`, each parameter encoded: one step down the
/// generated request tree.
pub fn extend_path(mut path: String, parts: &[PathPart<'_>]) -> String {
    for part in parts {
        match part {
            PathPart::Literal(s) => path.push_str(s),
            PathPart::Param(s) => path.extend(utf8_percent_encode(s, PARAMETER)),
            PathPart::Subpath(s) => {
                for (i, piece) in s.split('/').enumerate() {
                    if i > 0 {
                        path.push('/');
                    }
                    path.extend(utf8_percent_encode(piece, PARAMETER));
                }
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_encoded_and_literals_kept() {
        let path = build_path(&[
            PathPart::Literal("/users/"),
            PathPart::Param("a b/c?d#e%f'g"),
            PathPart::Literal("/events"),
        ]);
        assert_eq!(path, "/users/a%20b%2Fc%3Fd%23e%25f%27g/events");
    }

    #[test]
    fn principal_names_stay_readable() {
        let path = build_path(&[
            PathPart::Literal("/users/"),
            PathPart::Param("adele@contoso.com"),
        ]);
        assert_eq!(path, "/users/adele@contoso.com");
    }

    #[test]
    fn drive_item_paths_keep_their_separators() {
        let path = build_path(&[
            PathPart::Literal("/me/drive/root:/"),
            PathPart::Subpath("My Files/a?b.txt"),
            PathPart::Literal(":/content"),
        ]);
        assert_eq!(path, "/me/drive/root:/My%20Files/a%3Fb.txt:/content");
    }

    #[test]
    fn dot_segments_cannot_escape_the_path() {
        let path = build_path(&[PathPart::Literal("/users/"), PathPart::Param("../../admin")]);
        assert_eq!(path, "/users/..%2F..%2Fadmin");
    }
}
