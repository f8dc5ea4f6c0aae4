//! Flags enums: a value is a set of members, written `"apps,tabs"`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An enum whose members have a text form on the wire. Generated flags
/// enums implement it so that [`Flags`] can read and write them.
pub trait WireEnum: Sized {
    fn as_wire(&self) -> &str;
    fn from_wire(s: &str) -> Self;
}

/// A set of flags-enum members, in the order the service sent them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags<T>(pub Vec<T>);

impl<T: WireEnum> Serialize for Flags<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let parts: Vec<&str> = self.0.iter().map(WireEnum::as_wire).collect();
        serializer.serialize_str(&parts.join(","))
    }
}

impl<'de, T: WireEnum> Deserialize<'de> for Flags<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let members = text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(T::from_wire)
            .collect();
        Ok(Flags(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Part(String);

    impl WireEnum for Part {
        fn as_wire(&self) -> &str {
            &self.0
        }
        fn from_wire(s: &str) -> Self {
            Part(s.to_owned())
        }
    }

    #[test]
    fn members_are_comma_separated() {
        let f: Flags<Part> = serde_json::from_str("\"apps, tabs\"").unwrap();
        assert_eq!(f.0, [Part("apps".into()), Part("tabs".into())]);
        assert_eq!(serde_json::to_string(&f).unwrap(), "\"apps,tabs\"");
        let empty: Flags<Part> = serde_json::from_str("\"\"").unwrap();
        assert!(empty.0.is_empty());
    }
}
