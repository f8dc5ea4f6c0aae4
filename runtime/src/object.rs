//! Reading and writing the JSON object of a generated struct.
//!
//! Every generated struct has a field per documented property and a map
//! that keeps every other member (`additional_properties`), so that nothing
//! the service sends is lost on a round trip. `#[derive(Deserialize)]` with
//! a `#[serde(flatten)]` map expands to about 390 lines per struct, most of
//! what the compiler spends on a generated crate. Generated structs instead
//! implement serde's traits by hand in a few lines each, calling [`Reader`]
//! and [`Writer`], which are compiled once here.
//!
//! Each field is one call that returns its value (or nothing) rather than a
//! `Result`: the first error is kept in the reader or writer and returned at
//! the end. A `?` per field would add a branch and an early return per field
//! for the compiler to type-check and borrow-check in every generated struct;
//! without it, the bodies are straight lines.
//!
//! The JSON is the same as the derive's: a property left out or `null`
//! reads as the field's default (`None`, or [`Patch::Absent`] and
//! [`Patch::Null`] for update bodies), `None` and `Absent` fields are not
//! written, and members the docs do not describe come last, as received.
//!
//! [`Patch::Absent`]: crate::Patch::Absent
//! [`Patch::Null`]: crate::Patch::Null

use crate::Patch;
use serde::de::DeserializeOwned;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The members of one JSON object, taken out field by field.
///
/// `E` is the error type of the deserializer the object came from, so that
/// a member that does not fit its field fails the whole read with the
/// member's path in the message (`` `target.groupId`: invalid type… ``).
pub struct Reader<E> {
    members: Map<String, Value>,
    /// The first member that did not fit its field.
    error: Option<E>,
}

impl<E: serde::de::Error> Reader<E> {
    /// Reads a JSON object.
    ///
    /// # Errors
    /// The value is not an object.
    pub fn new<'de, D: Deserializer<'de, Error = E>>(deserializer: D) -> Result<Self, E> {
        Ok(Reader {
            members: Map::deserialize(deserializer)?,
            error: None,
        })
    }

    /// Takes the member `key` out as a `T`: `T::default()` when it is
    /// absent, and also when it is not a `T` (the error is kept for
    /// [`finish`](Self::finish)) or an earlier member was not.
    pub fn take<T: DeserializeOwned + Default>(&mut self, key: &str) -> T {
        if self.error.is_some() {
            return T::default();
        }
        match self.members.remove(key) {
            None => T::default(),
            Some(value) => T::deserialize(value).unwrap_or_else(|e| {
                self.error = Some(E::custom(nested(key, &e)));
                T::default()
            }),
        }
    }

    /// The members no field took, in their original order.
    pub fn rest(&mut self) -> Map<String, Value> {
        std::mem::take(&mut self.members)
    }

    /// The value read from the fields taken.
    ///
    /// # Errors
    /// The first member that was not its field's type.
    pub fn finish<T>(self, value: T) -> Result<T, E> {
        match self.error {
            None => Ok(value),
            Some(e) => Err(e),
        }
    }
}

/// `` `key.inner`: cause `` for an error that already names a member,
/// `` `key`: cause `` for one that does not.
fn nested(key: &str, error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message
        .strip_prefix('`')
        .and_then(|rest| rest.split_once("`: "))
    {
        Some((inner, cause)) => format!("`{key}.{inner}`: {cause}"),
        None => format!("`{key}`: {message}"),
    }
}

/// A field that may be left out of the JSON: `Option` fields when `None`,
/// [`Patch`] fields when `Absent`.
pub trait Member: Serialize {
    /// Whether the member is left out.
    fn is_absent(&self) -> bool;
}

impl<T: Serialize> Member for Option<T> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: Serialize> Member for Patch<T> {
    fn is_absent(&self) -> bool {
        Patch::is_absent(self)
    }
}

/// Writes one JSON object, member by member.
pub struct Writer<M: SerializeMap> {
    map: M,
    /// The serializer's first error; nothing is written after it.
    error: Option<M::Error>,
}

impl<M: SerializeMap> Writer<M> {
    /// Starts the object.
    ///
    /// # Errors
    /// The serializer's.
    pub fn new<S: Serializer<SerializeMap = M, Error = M::Error>>(
        serializer: S,
    ) -> Result<Self, M::Error> {
        Ok(Writer {
            map: serializer.serialize_map(None)?,
            error: None,
        })
    }

    /// Writes the member `key`, unless the field is absent. An error is kept
    /// for [`end`](Self::end).
    pub fn member<T: Member>(&mut self, key: &str, value: &T) {
        if value.is_absent() || self.error.is_some() {
            return;
        }
        if let Err(e) = self.map.serialize_entry(key, value) {
            self.error = Some(e);
        }
    }

    /// Writes the members no field holds and ends the object.
    ///
    /// # Errors
    /// The serializer's first error.
    pub fn end(mut self, rest: &Map<String, Value>) -> Result<M::Ok, M::Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        for (key, value) in rest {
            self.map.serialize_entry(key, value)?;
        }
        self.map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A struct written the way generated structs are.
    #[derive(Debug, Default, PartialEq)]
    struct Thing {
        name: Option<String>,
        size: Option<i32>,
        inner: Option<Box<Thing>>,
        phone: Patch<String>,
        additional_properties: Map<String, Value>,
    }

    impl Serialize for Thing {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut out = Writer::new(serializer)?;
            out.member("name", &self.name);
            out.member("size", &self.size);
            out.member("inner", &self.inner);
            out.member("phone", &self.phone);
            out.end(&self.additional_properties)
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut object = Reader::new(deserializer)?;
            let read = Thing {
                name: object.take("name"),
                size: object.take("size"),
                inner: object.take("inner"),
                phone: object.take("phone"),
                additional_properties: object.rest(),
            };
            object.finish(read)
        }
    }

    #[test]
    fn absent_and_null_read_as_defaults_and_unknown_members_are_kept() {
        let json = json!({"name": null, "size": 3, "@odata.type": "#x", "extra": [1]});
        let thing: Thing = serde_json::from_value(json).unwrap();
        assert_eq!(thing.name, None);
        assert_eq!(thing.size, Some(3));
        assert_eq!(thing.phone, Patch::Absent);
        assert_eq!(
            Value::Object(thing.additional_properties.clone()),
            json!({"@odata.type": "#x", "extra": [1]})
        );
        assert_eq!(
            serde_json::to_value(&thing).unwrap(),
            json!({"size": 3, "@odata.type": "#x", "extra": [1]})
        );
    }

    #[test]
    fn patch_fields_tell_null_from_absent() {
        let thing: Thing = serde_json::from_str(r#"{"phone": null}"#).unwrap();
        assert_eq!(thing.phone, Patch::Null);
        assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"phone":null}"#);
    }

    #[test]
    fn declared_members_are_written_first_in_field_order() {
        let thing: Thing =
            serde_json::from_str(r#"{"z": 1, "phone": "1", "size": 2, "name": "a"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&thing).unwrap(),
            r#"{"name":"a","size":2,"phone":"1","z":1}"#
        );
    }

    #[test]
    fn the_first_field_that_does_not_fit_is_the_error() {
        let e = serde_json::from_str::<Thing>(r#"{"size": "x", "name": 1}"#)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("`name`: invalid type"), "{e}");
    }

    /// Fails the one write that would pass `room` bytes, accepts the rest.
    struct Hiccup {
        written: Vec<u8>,
        room: usize,
        failed: bool,
    }

    impl std::io::Write for Hiccup {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if !self.failed && self.written.len() + buf.len() > self.room {
                self.failed = true;
                return Err(std::io::Error::other("hiccup"));
            }
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_write_error_ends_the_object_and_is_returned() {
        let thing = Thing {
            name: Some("a".into()),
            size: Some(2),
            phone: Patch::Value("1".into()),
            ..Thing::default()
        };
        let mut out = Hiccup {
            written: Vec::new(),
            room: 12,
            failed: false,
        };
        let e = serde_json::to_writer(&mut out, &thing).unwrap_err();
        assert!(e.is_io(), "{e}");
        // `size` failed; neither the members after it nor the end were written.
        assert_eq!(String::from_utf8(out.written).unwrap(), r#"{"name":"a","#);
    }

    #[test]
    fn errors_name_the_member_path() {
        let e = serde_json::from_str::<Thing>(r#"{"inner": {"inner": {"size": "x"}}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("`inner.inner.size`: invalid type: string \"x\", expected i32"),
            "{e}"
        );
        let e = serde_json::from_str::<Thing>("[1]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected a map"), "{e}");
    }
}
