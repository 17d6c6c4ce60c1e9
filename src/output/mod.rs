//! Outputs: tidy CSV files, the manifest, and the terminal summary.
//!
//! A run folder is written as a whole or not at all: files go into a
//! staging folder beside the target, which is renamed into place once every
//! file is complete. An existing folder is never overwritten unless asked.

pub mod summary;
pub mod writer;

pub use summary::terminal_summary;
pub use writer::{OutputError, RunInfo, write_run};
