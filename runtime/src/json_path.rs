//! Where in a JSON value deserialising stopped, written as JSONPath.

/// `$` for the root, `$.a.b[0]` below it, from serde_path_to_error's
/// `a.b[0]` (with `?` for steps serde could not name, such as inside an
/// untagged enum).
pub(crate) fn of(path: &serde_path_to_error::Path) -> String {
    match path.to_string() {
        root if root == "." => "$".to_owned(),
        index if index.starts_with('[') => format!("${index}"),
        path => format!("$.{path}"),
    }
}
