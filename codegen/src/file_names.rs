//! Names of files below a root, as the docs and the output are listed:
//! `/`-separated whatever the platform, and ordered as their paths are,
//! without parsing a path on every comparison.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// `path` below `root`, its components joined by `/` whatever the
/// platform's separator, with anything not UTF-8 replaced.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let name = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        name.into_owned()
    } else {
        name.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Orders `/`-separated names as their paths are ordered, component by
/// component: byte by byte, with the separator below every other byte.
/// Sorting paths instead parses both on every comparison. Names not UTF-8
/// are ordered by their [`relative`] form, not their bytes: a fixed order
/// all the same, with ties between such names left to their paths.
pub(crate) fn by_components(a: &str, b: &str) -> Ordering {
    let key = |c: &u8| if *c == b'/' { 0 } else { *c };
    a.as_bytes()
        .iter()
        .map(key)
        .cmp(b.as_bytes().iter().map(key))
}

/// Sorts files by name ([`by_components`]); two names alike are names not
/// UTF-8 that read alike, and their paths tell them apart.
pub(crate) fn sort(files: &mut [(String, PathBuf)]) {
    files.sort_unstable_by(|(a, p), (b, q)| by_components(a, b).then_with(|| p.cmp(q)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn clean_name() -> impl Strategy<Value = String> {
        let component = "[ab.~-]{1,3}".prop_filter("a normal component", |c| c != "." && c != "..");
        prop::collection::vec(component, 1..4).prop_map(|c| c.join("/"))
    }

    proptest! {
        #[test]
        fn names_sort_as_their_paths(mut names in prop::collection::vec(clean_name(), 0..12)) {
            let mut paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
            paths.sort();
            names.sort_by(|a, b| by_components(a, b));
            prop_assert_eq!(names.iter().map(PathBuf::from).collect::<Vec<_>>(), paths);
        }

        #[test]
        fn a_name_joins_the_components_below_the_root(name in clean_name()) {
            let root = Path::new("docs");
            prop_assert_eq!(relative(root, &root.join(&name)), name);
        }
    }
}
