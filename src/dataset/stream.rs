//! Reading a dataset's JSON without building it all as one `serde_json::Value`.
//!
//! A `Value` takes about 12.5 bytes of memory per byte of a real dataset's JSON, nearly all of
//! it in the `events` array, which is also the one part that can be large. So the text is read
//! in three passes, none of which holds more than one event as a `Value`:
//!
//! 1. [`check`]: the whole text is parsed once without keeping anything, which finds the first
//!    syntax error or duplicate key (in any object, at any depth) at the same line and column,
//!    with the same message, as parsing it into a `Value` would;
//! 2. [`split`]: the top-level members are cut out as slices of the text; every member but
//!    `events` becomes a `Value` (states, alliances and sources are small next to the events);
//! 3. [`for_each_element`]: the `events` array is walked one element at a time, each element a
//!    small `Value` handed to the validator and dropped, whatever the order of the members in
//!    the file (the events may come before the states they name).
//!
//! Positions are kept for errors by pass 1; passes 2 and 3 only read text pass 1 accepted.
//!
//! A `Value` costs up to about 30 bytes of memory per byte of JSON (an array of one-letter
//! strings: a 32-byte `Value` and a heap block each), so what becomes a `Value` is bounded by
//! its text first: the members other than `events` together by
//! [`MAX_JSON_VALUE_BYTES`](super::MAX_JSON_VALUE_BYTES), each event by
//! [`MAX_EVENT_BYTES`](super::MAX_EVENT_BYTES) (pass 3 cuts each element out as a slice
//! before parsing it).

use super::strict_json::Strict;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// Checks that `text` is one JSON value without duplicate keys, keeping nothing: the error is
/// the one `serde_json::from_str::<Strict>` gives (same message, line and column).
pub(super) fn check(text: &str) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_str(text);
    Checked::deserialize(&mut de)?;
    de.end()
}

/// A checked text's top level: an object's members other than an array `events` as one
/// `Value::Object`, and that `events` array's text (`None` when there is no `events` or it is
/// not an array: then it is in the object, for the validator to word the problem). Any other
/// top-level value is returned whole. What becomes a `Value` may hold at most `limit` bytes of
/// JSON text (see the module's notes).
pub(super) fn split(text: &str, limit: usize) -> Result<(Value, Option<&str>), SplitError> {
    if !text.trim_start().starts_with('{') {
        if text.len() > limit {
            return Err(SplitError::TooLarge {
                path: "$".into(),
                msg: format!(
                    "expected an object, found {} of {} bytes",
                    match text.trim_start().as_bytes().first() {
                        Some(b'[') => "an array",
                        Some(b'"') => "a string",
                        _ => "a value",
                    },
                    text.len()
                ),
            });
        }
        let Strict(v) = serde_json::from_str(text).map_err(SplitError::Json)?;
        return Ok((v, None));
    }
    let mut members: BTreeMap<String, &RawValue> =
        serde_json::from_str(text).map_err(SplitError::Json)?;
    // An `events` array is read element by element; anything else named `events` stays.
    let events = match members.get("events") {
        Some(raw) if raw.get().starts_with('[') => members.remove("events").map(|r| r.get()),
        _ => None,
    };
    let rest: Vec<(&String, usize)> = members
        .iter()
        .map(|(key, raw)| (key, raw.get().len()))
        .collect();
    let total: usize = rest.iter().map(|(_, n)| n).sum();
    if total > limit {
        // Name the largest member (the first of equals in key order: `max_by_key` keeps the
        // last, of the reversed list).
        let (key, n) = rest
            .iter()
            .rev()
            .max_by_key(|(_, n)| *n)
            .map_or(("", 0), |&(k, n)| (k.as_str(), n));
        return Err(SplitError::TooLarge {
            path: key.to_string(),
            msg: format!(
                "{n} bytes of JSON, and the members other than \"events\" {total} bytes together: \
                 more than the {} MiB they may hold (only \"events\" may be larger: it is read \
                 one event at a time)",
                limit >> 20
            ),
        });
    }
    let mut top = Map::new();
    for (key, raw) in members {
        let Strict(v) = serde_json::from_str(raw.get()).map_err(SplitError::Json)?;
        top.insert(key, v);
    }
    Ok((Value::Object(top), events))
}

/// Why [`split`] gave no `Value`.
#[derive(Debug)]
pub(super) enum SplitError {
    /// Text that [`check`] accepted did not parse: a bug.
    Json(serde_json::Error),
    /// Too much text to become a `Value`: the JSON path to name and the message.
    TooLarge { path: String, msg: String },
}

/// One element of [`for_each_element`]: its `Value`, or the length of its text when that is
/// over the limit (it is then not parsed).
pub(super) type Element = Result<Value, usize>;

/// Hands each element of a checked JSON array's text to `f` in order, as a `Value` dropped
/// right after, or as its length in bytes when it has more than `limit` (then it is never
/// parsed into a `Value`); `f` returns `false` to stop early.
pub(super) fn for_each_element(
    array: &str,
    limit: usize,
    f: impl FnMut(usize, Element) -> bool,
) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_str(array);
    de.deserialize_seq(Elements { f, limit })
}

/// The visitor of [`for_each_element`].
struct Elements<F> {
    f: F,
    limit: usize,
}

impl<'de, F: FnMut(usize, Element) -> bool> Visitor<'de> for Elements<F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        let mut going = true;
        while going {
            // The element's text first (a slice of the array's, nothing copied), so that its
            // size is known before it becomes a `Value`.
            let Some(raw) = seq.next_element::<&'de RawValue>()? else {
                return Ok(());
            };
            let text = raw.get();
            let element = if text.len() > self.limit {
                Err(text.len())
            } else {
                let Strict(v) = serde_json::from_str(text).map_err(de::Error::custom)?;
                Ok(v)
            };
            going = (self.f)(i, element);
            i += 1;
        }
        // Stopped early: the rest is skipped (it was checked already).
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// A JSON value parsed and dropped: [`check`]'s pass. Numbers go through `deserialize_any` as
/// they do for a `Value` (so `1e400` is refused the same way), and every object's keys are
/// compared for duplicates.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Checked, D::Error> {
        d.deserialize_any(CheckVisitor)
    }
}

struct CheckVisitor;

impl<'de> Visitor<'de> for CheckVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_none<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        let mut keys = Keys::default();
        while let Some(Key(key)) = map.next_key_seed(KeySeed)? {
            if !keys.insert(key.clone()) {
                return Err(de::Error::custom(format!(
                    "duplicate key {key:?} in one object"
                )));
            }
            map.next_value::<Checked>()?;
        }
        Ok(Checked)
    }
}

/// The keys of one object so far: a short list (objects are small: an event has a handful of
/// keys), a set once it grows, so that a huge object is still checked in linear time.
#[derive(Default)]
struct Keys<'de> {
    few: Vec<Cow<'de, str>>,
    many: HashSet<Cow<'de, str>>,
}

impl<'de> Keys<'de> {
    /// Adds a key; false if it was there already.
    fn insert(&mut self, key: Cow<'de, str>) -> bool {
        const FEW: usize = 16;
        if self.many.is_empty() {
            if self.few.contains(&key) {
                return false;
            }
            if self.few.len() < FEW {
                self.few.push(key);
                return true;
            }
            self.many.extend(self.few.drain(..));
        }
        self.many.insert(key)
    }
}

/// An object key, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first error of parsing into a `Value` without duplicates (the loader's reference).
    fn reference(text: &str) -> Option<(String, usize, usize)> {
        serde_json::from_str::<Strict>(text)
            .err()
            .map(|e| (e.to_string(), e.line(), e.column()))
    }

    fn checked(text: &str) -> Option<(String, usize, usize)> {
        check(text)
            .err()
            .map(|e| (e.to_string(), e.line(), e.column()))
    }

    #[test]
    fn check_finds_the_first_error_as_a_value_parse_does() {
        for text in [
            r#"{"a": 1}"#,
            r#"{"a": 1, "a": 2}"#,
            "{\"a\": [{\"k\": 1, \"k\": 2}, ,]}",
            "{\"a\": [{\"k\": 1}, ,], \"a\": 3}",
            r#"{"a": 1e400}"#,
            r#"{"a": [1, 2"#,
            r#"{"a": 1} x"#,
            r#"{"a\u0062": 1, "ab": 2}"#,
            r#"[1, {"x": 1, "y": 2, "x": 3}]"#,
            r#""\ud800""#,
            "",
        ] {
            assert_eq!(checked(text), reference(text), "{text}");
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(checked(&deep), reference(&deep));
        let many: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!("{{{}, \"k77\": 0}}", many.join(", "));
        assert_eq!(checked(&text), reference(&text));
        assert!(checked(&text).is_some());
    }

    #[test]
    fn split_and_stream_give_the_value_parse_members() {
        let text = r#"{"events": [{"kind": "x"}, 2, [3]], "name": "n", "states": [{"id": "A"}]}"#;
        let (top, events) = split(text, 1 << 20).unwrap();
        let Strict(whole) = serde_json::from_str(text).unwrap();
        let mut want = whole.as_object().unwrap().clone();
        let want_events = want.remove("events").unwrap();
        assert_eq!(top, Value::Object(want));
        let mut got = Vec::new();
        for_each_element(events.unwrap(), 1 << 20, |i, v| {
            got.push((i, v.unwrap()));
            true
        })
        .unwrap();
        let want_events: Vec<(usize, Value)> = want_events
            .as_array()
            .unwrap()
            .iter()
            .cloned()
            .enumerate()
            .collect();
        assert_eq!(got, want_events);
        // Stopping early skips the rest.
        let mut seen = 0;
        for_each_element(events.unwrap(), 1 << 20, |_, _| {
            seen += 1;
            false
        })
        .unwrap();
        assert_eq!(seen, 1);
        // `events` that is not an array stays in the object; a non-object is whole.
        let (top, events) = split(r#"{"events": 5}"#, 1 << 20).unwrap();
        assert_eq!((top["events"].as_i64(), events), (Some(5), None));
        assert_eq!(
            split("[1]", 1 << 20).unwrap(),
            (serde_json::json!([1]), None)
        );
    }

    #[test]
    fn what_becomes_a_value_is_bounded_by_its_text() {
        // The members other than an `events` array count together; the largest is named.
        let text = r#"{"events": [1, 2, 3, 4, 5, 6, 7, 8], "name": "nnnn", "states": ["a", "b"]}"#;
        assert!(split(text, 30).is_ok(), "name (6) + states (10) fit in 30");
        match split(text, 15) {
            Err(SplitError::TooLarge { path, msg }) => {
                assert_eq!(path, "states");
                assert!(
                    msg.starts_with("10 bytes of JSON") && msg.contains(" 16 bytes"),
                    "{msg}"
                );
            }
            other => panic!("{other:?}"),
        }
        // An `events` that is not an array counts, as it becomes part of the object.
        assert!(matches!(
            split(r#"{"events": {"k": "vvvvvvvv"}}"#, 10),
            Err(SplitError::TooLarge { path, .. }) if path == "events"
        ));
        // A top level that is not an object is whole: refused when larger than the limit.
        match split("[1, 2, 3, 4]", 8) {
            Err(SplitError::TooLarge { path, msg }) => {
                assert_eq!(
                    (path.as_str(), msg.as_str()),
                    ("$", "expected an object, found an array of 12 bytes")
                );
            }
            other => panic!("{other:?}"),
        }
        // Each element of `events` over the limit is handed over as its length, unparsed,
        // and the elements after it still come.
        let mut got = Vec::new();
        for_each_element(r#"[1, ["xxxxxx"], {"a": 2}]"#, 8, |i, v| {
            got.push((i, v));
            true
        })
        .unwrap();
        assert_eq!(
            got,
            vec![
                (0, Ok(serde_json::json!(1))),
                (1, Err(10)),
                (2, Ok(serde_json::json!({"a": 2})))
            ]
        );
    }
}
