//! Outputs: tidy CSV files, the manifest, and the terminal summaries.

pub mod csv_file;
pub mod format;
pub mod files;
pub mod folder;
pub mod journal;
pub mod ownership;
pub mod parquet;
pub mod shards;
pub mod storage;
pub mod summary;
pub mod table;

pub use files::{RunInfo, SeriesWriter, write_results};
pub use folder::{OutputError, RunFolder};
pub use summary::{robustness_table, terminal_summary};
