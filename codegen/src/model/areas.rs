//! The area of the API a page belongs to, from its front matter's
//! `ms.prod`: what the generated crate's cargo features are cut along.
//!
//! The docs spell one area several ways (`Sharepoint` and `sharepoint`,
//! `teamwork` and `microsoft-teams`), so values are folded to lower case
//! and known synonyms mapped to one name. Pages without the key (the older
//! page style, and a few newer ones) belong to [`OTHER`].

use crate::read::Page;

/// The area of pages that name none.
pub const OTHER: &str = "other";

/// Spellings the docs use for an area another name already covers.
const SYNONYMS: &[(&str, &str)] = &[
    ("cloud-printing", "universal-print"),
    ("compliance", "ediscovery"),
    ("identity-and-access", "identity-and-sign-in"),
    ("non-product-specific", OTHER),
    ("teamwork", "microsoft-teams"),
];

/// `page`'s area: a non-empty name of lower-case ASCII letters, digits and
/// `-`, fit for a cargo feature whatever the page says.
pub fn area(page: &Page) -> String {
    let raw = page.front_matter.get("ms.prod").map_or("", String::as_str);
    let mut name = String::new();
    for c in raw.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    let name = SYNONYMS
        .iter()
        .find(|(from, _)| *from == name)
        .map_or(name, |(_, to)| to);
    if name.is_empty() {
        OTHER.to_owned()
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(prod: Option<&str>) -> Page {
        Page {
            file: "api/x.md".to_owned(),
            front_matter: prod
                .map(|p| ("ms.prod".to_owned(), p.to_owned()))
                .into_iter()
                .collect(),
            sections: Vec::new(),
        }
    }

    #[test]
    fn folds_spellings_and_synonyms_into_one_area() {
        assert_eq!(area(&page(Some("Sharepoint"))), "sharepoint");
        assert_eq!(area(&page(Some("sharepoint"))), "sharepoint");
        assert_eq!(area(&page(Some("teamwork"))), "microsoft-teams");
        assert_eq!(area(&page(Some("non-product-specific"))), OTHER);
    }

    #[test]
    fn pages_without_an_area_and_hostile_values_give_a_feature_name() {
        assert_eq!(area(&page(None)), OTHER);
        assert_eq!(area(&page(Some("  "))), OTHER);
        assert_eq!(area(&page(Some("\"]; evil = [\""))), "evil");
        assert_eq!(
            area(&page(Some("Intune Device/Config"))),
            "intune-device-config"
        );
    }
}
