//! Outputs: tidy CSV files, the manifest, and the terminal summaries.

pub mod cohorts;
pub mod csv_file;
pub mod files;
pub mod folder;
pub mod journal;
pub mod numbers;
pub mod ownership;
pub mod shards;
pub mod storage;
pub mod summary;
pub mod text_table;

pub use files::{RunInfo, SeriesWriter, write_results};
pub use folder::{OutputError, RunFolder};
pub use summary::{
    closing, robustness_table, robustness_table_in, speed_line, terminal_summary,
    terminal_summary_in,
};
