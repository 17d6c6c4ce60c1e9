//! A table of a run folder, written as CSV or Parquet through one interface:
//! the columns are declared with their kinds, then rows are given one field
//! at a time. The CSV path is [`CsvFile`] as it always was (same bytes); the
//! Parquet path is [`ParquetFile`].

use super::csv_file::CsvFile;
use super::folder::{OutputError, RunFolder};
use super::format::Format;
use super::parquet::ParquetFile;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text; empty means undefined (null in Parquet).
    Text,
    /// A whole number below 2⁶³ (weeks, counts, indices).
    Int,
    /// A whole number of 64 bits (seeds).
    Unsigned,
    /// A real number; NaN means undefined (an empty field, null in Parquet).
    Value,
    /// A real number that is whole and defined in every row (an uncertainty
    /// sampled from whole values): written as a value in CSV (the same
    /// bytes), as signed `INT64` in Parquet, so that pandas and the EMA
    /// Workbench read an integer column from either file, as they read the
    /// CSV's whole numbers.
    Whole,
}

/// Whether `v` is written as a whole number (in CSV, without a decimal
/// point), and so can be a [`Kind::Whole`] field.
pub fn is_whole(v: f64) -> bool {
    v == v.trunc() && v.abs() < 1e15
}

/// A column: its name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

impl Column {
    pub fn new(name: impl Into<String>, kind: Kind) -> Column {
        Column {
            name: name.into(),
            kind,
        }
    }
}

/// Columns of one kind.
pub fn columns<'a>(names: impl IntoIterator<Item = &'a str>, kind: Kind) -> Vec<Column> {
    names.into_iter().map(|n| Column::new(n, kind)).collect()
}

/// A table being written.
pub enum TableFile {
    Csv(CsvFile),
    Parquet(ParquetFile),
}

impl TableFile {
    /// Create table `stem` (`stem.csv` or `stem.parquet`) in the staging folder.
    pub fn create(
        folder: &RunFolder,
        stem: &str,
        format: Format,
        columns: Vec<Column>,
    ) -> Result<TableFile, OutputError> {
        let file = folder.file(&format.file(stem))?;
        match format {
            Format::Csv => {
                let mut csv = CsvFile::new(file);
                csv.record(columns.iter().map(|c| c.name.as_str()))?;
                Ok(TableFile::Csv(csv))
            }
            Format::Parquet => Ok(TableFile::Parquet(ParquetFile::new(file, columns)?)),
        }
    }

    /// A text field.
    pub fn field(&mut self, text: &str) -> Result<(), OutputError> {
        match self {
            TableFile::Csv(f) => f.field(text),
            TableFile::Parquet(f) => f.text(text),
        }
    }

    /// A whole number.
    pub fn int(&mut self, n: u64) -> Result<(), OutputError> {
        match self {
            TableFile::Csv(f) => f.int(n),
            TableFile::Parquet(f) => f.int(n),
        }
    }

    /// A value (NaN: undefined).
    pub fn value(&mut self, v: f64) -> Result<(), OutputError> {
        match self {
            TableFile::Csv(f) => f.value(v),
            TableFile::Parquet(f) => f.value(v),
        }
    }

    /// End the current row.
    pub fn end(&mut self) -> Result<(), OutputError> {
        match self {
            TableFile::Csv(f) => f.end(),
            TableFile::Parquet(f) => f.end(),
        }
    }

    /// Hand what was written to the operating system; returns the length
    /// (CSV only: a Parquet file's length is known when it is finished).
    pub fn flush(&mut self) -> Result<u64, OutputError> {
        match self {
            TableFile::Csv(f) => f.flush(),
            TableFile::Parquet(_) => Ok(0),
        }
    }

    /// Complete the file and sync it to disk; returns its length.
    pub fn finish(self) -> Result<u64, OutputError> {
        match self {
            TableFile::Csv(mut f) => {
                let len = f.flush()?;
                f.finish()?;
                Ok(len)
            }
            TableFile::Parquet(f) => f.finish(),
        }
    }
}
