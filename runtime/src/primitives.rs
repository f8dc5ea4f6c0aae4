//! OData primitives that JSON carries as strings.
//!
//! Each keeps the exact text the service sent, so that a value read and
//! written back is unchanged (a parsed timestamp would lose its precision or
//! offset). Parsing into a calendar or UUID type is left to the caller's
//! crate of choice, which keeps this runtime free of such dependencies.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_primitive {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }
    };
}

string_primitive!(
    /// `Edm.DateTimeOffset`: an ISO 8601 timestamp, e.g. `2021-03-04T05:06:07Z`.
    DateTimeOffset
);
string_primitive!(
    /// `Edm.Date`: an ISO 8601 date, e.g. `2021-03-04`.
    Date
);
string_primitive!(
    /// `Edm.TimeOfDay`: e.g. `08:00:00.0000000`.
    TimeOfDay
);
string_primitive!(
    /// `Edm.Duration`: an ISO 8601 duration, e.g. `PT1H30M`.
    Duration
);
string_primitive!(
    /// `Edm.Guid`, as text.
    Guid
);
string_primitive!(
    /// `Edm.Binary`: base64 text.
    Base64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_unchanged() {
        let text = "\"2016-12-31T23:56:51.5562076+03:00\"";
        let t: DateTimeOffset = serde_json::from_str(text).unwrap();
        assert_eq!(t.as_str(), "2016-12-31T23:56:51.5562076+03:00");
        assert_eq!(serde_json::to_string(&t).unwrap(), text);
    }
}
