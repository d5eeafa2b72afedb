//! Walking large JSON documents without building them in memory: the big array (or the
//! top-level map) is handed over one element at a time, each as a small `Value`.

use std::fmt;

use serde::Deserializer as _;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// What to do with the value of one top-level key.
pub(crate) enum Want {
    /// An array: hand over its elements one by one.
    Stream,
    /// Hand over the whole value.
    Value,
    Ignore,
}

/// Receives the parts of a top-level JSON object.
pub(crate) trait ObjectWalker {
    /// Called once per top-level key, before its value is read.
    fn want(&mut self, key: &str) -> Want;
    fn element(&mut self, key: &str, index: usize, value: Value);
    fn field(&mut self, key: &str, value: Value);
}

/// Checks that `bytes` is one well-formed JSON document, without keeping it: parsers that
/// emit while walking run this first so that a broken file emits nothing.
pub(crate) fn check_syntax<'de, R: serde_json::de::Read<'de>>(read: R) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::new(read);
    serde::Deserialize::deserialize(&mut de).map(|_: IgnoredAny| ())?;
    de.end()
}

/// Walks a document whose top level is an object.
pub(crate) fn walk_object<'de, R: serde_json::de::Read<'de>>(
    read: R,
    walker: &mut dyn ObjectWalker,
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::new(read);
    (&mut de).deserialize_map(TopVisitor { walker })?;
    de.end()
}

/// Walks a document whose top level is an object, handing over every entry (key and
/// value) one at a time.
pub(crate) fn walk_entries<'de, R: serde_json::de::Read<'de>>(
    read: R,
    on_entry: &mut dyn FnMut(String, Value),
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::new(read);
    (&mut de).deserialize_map(EntriesVisitor { on_entry })?;
    de.end()
}

struct TopVisitor<'w> {
    walker: &'w mut dyn ObjectWalker,
}

impl<'de> Visitor<'de> for TopVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match self.walker.want(&key) {
                Want::Stream => map.next_value_seed(ArraySeed { walker: &mut *self.walker, key: &key })?,
                Want::Value => {
                    let value: Value = map.next_value()?;
                    self.walker.field(&key, value);
                }
                Want::Ignore => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct ArraySeed<'a> {
    walker: &'a mut dyn ObjectWalker,
    key: &'a str,
}

impl<'de> DeserializeSeed<'de> for ArraySeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ArraySeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array in `{}`", self.key)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(value) = seq.next_element::<Value>()? {
            self.walker.element(self.key, index, value);
            index += 1;
        }
        Ok(())
    }
}

struct EntriesVisitor<'f> {
    on_entry: &'f mut dyn FnMut(String, Value),
}

impl<'de> Visitor<'de> for EntriesVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let value: Value = map.next_value()?;
            (self.on_entry)(key, value);
        }
        Ok(())
    }
}

/// Small accessors for records held as `Value`: absent and `null` read as "not given";
/// a value of the wrong type is an error naming the field.
pub(crate) mod get {
    use serde_json::{Map, Value};

    pub(crate) type Obj = Map<String, Value>;

    pub(crate) fn opt_str(obj: &Obj, key: &str) -> Result<Option<String>, String> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("`{key}` is {}, not a string", kind(other))),
        }
    }

    pub(crate) fn str_list(obj: &Obj, key: &str) -> Result<Vec<String>, String> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(format!("`{key}` holds {}, not a string", kind(other))),
                })
                .collect(),
            Some(other) => Err(format!("`{key}` is {}, not an array", kind(other))),
        }
    }

    pub(crate) fn opt_obj<'a>(obj: &'a Obj, key: &str) -> Result<Option<&'a Obj>, String> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(other) => Err(format!("`{key}` is {}, not an object", kind(other))),
        }
    }

    pub(crate) fn array<'a>(obj: &'a Obj, key: &str) -> Result<&'a [Value], String> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(format!("`{key}` is {}, not an array", kind(other))),
        }
    }

    pub(crate) fn kind(v: &Value) -> &'static str {
        match v {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}
