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
use std::marker::PhantomData;

/// The members of one JSON object, taken out field by field.
///
/// `E` is the error type of the deserializer the object came from, so that
/// a member that does not fit its field fails the whole read with the
/// member's path in the message (`` `target.groupId`: invalid type… ``).
pub struct Reader<E> {
    members: Map<String, Value>,
    error: PhantomData<fn() -> E>,
}

impl<E: serde::de::Error> Reader<E> {
    /// Reads a JSON object.
    ///
    /// # Errors
    /// The value is not an object.
    pub fn new<'de, D: Deserializer<'de, Error = E>>(deserializer: D) -> Result<Self, E> {
        Ok(Reader {
            members: Map::deserialize(deserializer)?,
            error: PhantomData,
        })
    }

    /// Takes the member `key` out as a `T`: `T::default()` when it is
    /// absent.
    ///
    /// # Errors
    /// The member is not a `T`.
    pub fn take<T: DeserializeOwned + Default>(&mut self, key: &str) -> Result<T, E> {
        match self.members.remove(key) {
            None => Ok(T::default()),
            Some(value) => T::deserialize(value).map_err(|e| E::custom(nested(key, &e))),
        }
    }

    /// The members no field took, in their original order.
    pub fn rest(self) -> Map<String, Value> {
        self.members
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
pub struct Writer<M> {
    map: M,
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
        })
    }

    /// Writes the member `key`, unless the field is absent.
    ///
    /// # Errors
    /// The serializer's.
    pub fn member<T: Member>(&mut self, key: &str, value: &T) -> Result<(), M::Error> {
        if value.is_absent() {
            return Ok(());
        }
        self.map.serialize_entry(key, value)
    }

    /// Writes the members no field holds and ends the object.
    ///
    /// # Errors
    /// The serializer's.
    pub fn end(mut self, rest: &Map<String, Value>) -> Result<M::Ok, M::Error> {
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
            out.member("name", &self.name)?;
            out.member("size", &self.size)?;
            out.member("inner", &self.inner)?;
            out.member("phone", &self.phone)?;
            out.end(&self.additional_properties)
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut object = Reader::new(deserializer)?;
            Ok(Thing {
                name: object.take("name")?,
                size: object.take("size")?,
                inner: object.take("inner")?,
                phone: object.take("phone")?,
                additional_properties: object.rest(),
            })
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
