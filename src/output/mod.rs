//! Outputs: tidy tables (CSV or Parquet), the manifest, and the terminal summaries.

pub mod actions;
pub mod cohorts;
pub mod csv_file;
pub mod events;
pub mod files;
pub mod folder;
pub mod format;
pub mod journal;
pub mod numbers;
pub mod ownership;
pub mod parquet;
pub mod series;
pub mod shards;
pub mod storage;
pub mod summary;
pub mod table;
pub mod text_table;

pub use files::{RunInfo, write_results};
pub use folder::{OutputError, RunFolder};
pub use series::SeriesWriter;
pub use summary::{
    closing, robustness_table, robustness_table_in, speed_line, terminal_summary,
    terminal_summary_in,
};
