//! The bottom layer: small pieces every stage may use and that use nothing of entente's own
//! ([`OrderedMap`] for JSON objects in insertion order, [`csv::field`] for writing CSV text,
//! [`Rng`] for deterministic pseudo-random numbers). Dates ([`crate::date`]), errors
//! ([`crate::error`]) and atomic file writes ([`crate::output`]) sit at the same level.

pub mod csv;
pub mod ordered_map;
pub mod rng;

pub use ordered_map::OrderedMap;
pub use rng::Rng;
