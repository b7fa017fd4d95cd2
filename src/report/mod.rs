//! The report: the main job's output folder (metrics, every chart, an `index.html` that shows
//! them), built in memory from a dataset and its timeline; the command line writes the files.

pub mod html;
pub mod names;
