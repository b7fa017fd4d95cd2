//! Importers: turning the data analysts already have into entente's inputs. [`atop`] builds a
//! dataset from the ATOP alliance file and the COW state list, [`events`] aggregates raw event
//! rows (GDELT, ICEWS, CSV) into tie events, [`members`] builds a dataset from a membership
//! table, [`unvotes`] turns UN General Assembly roll calls into vote-similarity ties; [`codes`]
//! matches country codes to states, through the built-in [`crosswalk`] when the input's code
//! scheme is declared. Everything reads row by row from a
//! `BufRead` ([`text`]) and never sees the command line.

pub mod atop;
pub mod codes;
pub mod crosswalk;
pub mod events;
pub mod members;
pub mod progress;
mod spans;
pub mod text;
pub mod unvotes;

pub use progress::RowCounter;
/// The former name of [`RowCounter`], kept while the importers and the command line move to it.
pub use progress::RowCounter as Progress;
