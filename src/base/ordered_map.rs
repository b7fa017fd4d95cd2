//! [`OrderedMap`]: a JSON object whose keys keep the order they were inserted in, so that
//! serialised output follows dataset order and never hash order.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// A JSON object whose keys keep the order they were inserted in (dataset order).
///
/// ```
/// let m = entente::base::OrderedMap(vec![("b".to_string(), 1), ("a".to_string(), 2)]);
/// assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"b":1,"a":2}"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}
