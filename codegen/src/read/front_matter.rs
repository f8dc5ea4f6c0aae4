//! The YAML front matter of 2019+ pages: flat `key: value` lines only.
//!
//! The pages use no nesting, so a full YAML parser would add a dependency for
//! nothing; values keep their text with surrounding quotes removed.

use std::collections::BTreeMap;

pub fn parse(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            let key = key.trim();
            if key.is_empty() || key.starts_with('#') || key.starts_with(' ') {
                return None;
            }
            Some((key.to_owned(), unquote(value.trim()).to_owned()))
        })
        .collect()
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_quoted_and_bare_values() {
        let fm = super::parse("title: \"user: delta\"\nms.prod: users\ndoc_type: 'apiPageType'\n");
        assert_eq!(fm["title"], "user: delta");
        assert_eq!(fm["ms.prod"], "users");
        assert_eq!(fm["doc_type"], "apiPageType");
    }
}
