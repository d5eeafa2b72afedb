//! Tolerant JSON field types for serde: one malformed value costs that value (or entry),
//! not the file. Each reads only what it keeps; what it skips is never built.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::Value;

/// Implements every non-map `Visitor` method by discarding the value, for types that read
/// anything but a JSON object as "nothing there".
macro_rules! non_map_reads_as {
    ($nothing:expr) => {
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok($nothing)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            Ok($nothing)
        }
    };
}

pub(crate) use non_map_reads_as;

/// A scalar field whose value of the wrong type reads as absent.
pub(crate) struct Lenient<T>(pub(crate) Option<T>);

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient(None)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Value::deserialize(deserializer)?;
        Ok(Lenient(T::deserialize(raw).ok()))
    }
}

/// An entry that must be a JSON object; anything else reads as `None`.
pub(crate) struct OrJunk<T>(pub(crate) Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrJunk<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntryVisitor<T> {
            type Value = OrJunk<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| OrJunk(Some(t)))
            }
            non_map_reads_as!(OrJunk(None));
        }
        deserializer.deserialize_any(EntryVisitor(PhantomData))
    }
}

/// A JSON object's members in file order, or `None` for any other JSON value, so that a
/// section of the wrong type degrades instead of failing the file. `Members<IgnoredAny>`
/// keeps only the keys (a dependency list's names).
pub(crate) struct Members<T>(pub(crate) Option<Vec<(String, T)>>);

impl<T> Default for Members<T> {
    fn default() -> Self {
        Members(None)
    }
}

impl<T> Members<T> {
    /// The members; none when the value was not an object.
    pub(crate) fn as_slice(&self) -> &[(String, T)] {
        self.0.as_deref().unwrap_or_default()
    }

    /// The keys, in file order.
    pub(crate) fn into_keys(self) -> impl Iterator<Item = String> {
        self.0.into_iter().flatten().map(|(key, _)| key)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Members<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for MembersVisitor<T> {
            type Value = Members<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, T>()? {
                    members.push(member);
                }
                Ok(Members(Some(members)))
            }
            non_map_reads_as!(Members(None));
        }
        deserializer.deserialize_any(MembersVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use serde::de::IgnoredAny;

    use super::*;

    #[test]
    fn members_of_an_object_and_nothing_of_anything_else() {
        let members: Members<u32> = serde_json::from_str(r#"{"b": 2, "a": 1}"#).unwrap();
        assert_eq!(members.as_slice(), [("b".to_string(), 2), ("a".to_string(), 1)]);
        for other in ["[1, {}]", "\"x\"", "1", "-1", "1.5", "true", "null"] {
            let members: Members<u32> = serde_json::from_str(other).unwrap();
            assert!(members.0.is_none(), "{other}");
        }
        let keys: Members<IgnoredAny> = serde_json::from_str(r#"{"x": [1], "y": {"z": null}}"#).unwrap();
        assert_eq!(keys.into_keys().collect::<Vec<_>>(), ["x", "y"]);
        // A member of the wrong type is still an error for the caller's type to decide.
        assert!(serde_json::from_str::<Members<u32>>(r#"{"a": "1"}"#).is_err());
        assert_eq!(serde_json::from_str::<Members<Lenient<u32>>>(r#"{"a": "1"}"#).unwrap().as_slice()[0].1.0, None);
    }

    #[test]
    fn or_junk_reads_objects_only() {
        #[derive(Deserialize)]
        struct A {
            a: u32,
        }
        let entry: OrJunk<A> = serde_json::from_str(r#"{"a": 3}"#).unwrap();
        assert_eq!(entry.0.map(|a| a.a), Some(3));
        assert!(serde_json::from_str::<OrJunk<A>>("[3]").unwrap().0.is_none());
    }
}
