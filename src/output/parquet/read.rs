//! Reading Parquet tables back: one row group at a time for the report's
//! long summary, whole for the small tables (as text formatted as the CSV
//! writer formats it, so that readers of either format see the same fields).

use std::borrow::Cow;
use std::fs::File;
use std::path::{Path, PathBuf};

use parquet::basic::{LogicalType, Type as Physical};
use parquet::column::reader::ColumnReader;
use parquet::data_type::ByteArray;
use parquet::errors::ParquetError;
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;

use super::NULL;
use crate::output::csv_file::fmt_value;
use crate::output::table::{Column, Kind};

/// Why a Parquet table cannot be read.
#[derive(Debug)]
pub struct ReadError {
    pub path: PathBuf,
    pub message: String,
    /// The I/O error, when reading the file failed.
    pub io: Option<std::io::Error>,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ReadError {}

/// A Parquet table read one row group at a time.
pub struct ParquetReader {
    reader: SerializedFileReader<File>,
    path: PathBuf,
    columns: Vec<Column>,
    next: usize,
}

/// One column of a row group.
#[derive(Debug, Clone)]
enum Data {
    /// Per row the index into `values`, or [`NULL`].
    Text {
        values: Vec<ByteArray>,
        rows: Vec<u32>,
    },
    Int(Vec<i64>),
    Unsigned(Vec<u64>),
    /// NaN where null.
    Value(Vec<f64>),
}

/// The rows of one row group.
#[derive(Debug, Clone)]
pub struct Group {
    pub rows: usize,
    data: Vec<Data>,
}

impl Group {
    /// A field as text, numbers formatted as in CSV (empty if undefined).
    pub fn field(&self, col: usize, row: usize) -> Cow<'_, str> {
        match &self.data[col] {
            Data::Text { values, rows } => match rows[row] {
                NULL => Cow::Borrowed(""),
                i => String::from_utf8_lossy(values[i as usize].data()),
            },
            Data::Int(v) => Cow::Owned(v[row].to_string()),
            Data::Unsigned(v) => Cow::Owned(v[row].to_string()),
            Data::Value(v) => {
                let mut s = String::new();
                fmt_value(&mut s, v[row]);
                Cow::Owned(s)
            }
        }
    }

    /// A text field's bytes (empty if undefined or not text).
    pub fn bytes(&self, col: usize, row: usize) -> &[u8] {
        match &self.data[col] {
            Data::Text { values, rows } if rows[row] != NULL => values[rows[row] as usize].data(),
            _ => b"",
        }
    }

    /// A number (NaN if undefined); `None` for text that is not a number.
    pub fn number(&self, col: usize, row: usize) -> Option<f64> {
        match &self.data[col] {
            Data::Int(v) => Some(v[row] as f64),
            Data::Unsigned(v) => Some(v[row] as f64),
            Data::Value(v) => Some(v[row]),
            Data::Text { .. } => {
                let text = self.field(col, row);
                if text.is_empty() {
                    Some(f64::NAN)
                } else {
                    text.trim().parse().ok()
                }
            }
        }
    }
}

impl ParquetReader {
    pub fn open(path: &Path) -> Result<ParquetReader, ReadError> {
        let fail = |message: String, io: Option<std::io::Error>| ReadError {
            path: path.to_path_buf(),
            message,
            io,
        };
        let file = File::open(path).map_err(|e| fail(e.to_string(), Some(e)))?;
        let reader = SerializedFileReader::new(file)
            .map_err(|e| fail(format!("not a Parquet file foresight can read: {e}"), None))?;
        let mut columns = Vec::new();
        for c in reader.metadata().file_metadata().schema_descr().columns() {
            let unsigned = matches!(
                c.logical_type_ref(),
                Some(LogicalType::Integer(int)) if !int.is_signed
            );
            let kind = match c.physical_type() {
                Physical::BYTE_ARRAY => Kind::Text,
                Physical::INT64 if unsigned => Kind::Unsigned,
                Physical::INT64 => Kind::Int,
                Physical::DOUBLE => Kind::Value,
                other => {
                    return Err(fail(
                        format!(
                            "column `{}` is of type {other}, which foresight does not write",
                            c.name()
                        ),
                        None,
                    ));
                }
            };
            if c.max_rep_level() > 0 {
                return Err(fail(
                    format!(
                        "column `{}` is a list; foresight writes flat tables",
                        c.name()
                    ),
                    None,
                ));
            }
            columns.push(Column::new(c.name(), kind));
        }
        Ok(ParquetReader {
            reader,
            path: path.to_path_buf(),
            columns,
            next: 0,
        })
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The number of rows in the file.
    pub fn rows(&self) -> u64 {
        self.reader.metadata().file_metadata().num_rows().max(0) as u64
    }

    /// The next row group, or `None` after the last.
    pub fn next_group(&mut self) -> Result<Option<Group>, ReadError> {
        if self.next >= self.reader.num_row_groups() {
            return Ok(None);
        }
        let path = self.path.clone();
        let fail = |e: ParquetError| ReadError {
            path: path.clone(),
            message: format!("cannot be read: {e}"),
            io: None,
        };
        let group = self.reader.get_row_group(self.next).map_err(fail)?;
        self.next += 1;
        let rows = group.metadata().num_rows().max(0) as usize;
        let mut data = Vec::with_capacity(self.columns.len());
        for (i, c) in self.columns.iter().enumerate() {
            let reader = group.get_column_reader(i).map_err(fail)?;
            data.push(read_column(reader, c.kind, rows).map_err(fail)?);
        }
        Ok(Some(Group { rows, data }))
    }
}

/// Read `rows` rows of one column.
fn read_column(reader: ColumnReader, kind: Kind, rows: usize) -> Result<Data, ParquetError> {
    let short =
        |n: usize| ParquetError::General(format!("a column holds {n} rows, its row group {rows}"));
    match (reader, kind) {
        (ColumnReader::ByteArrayColumnReader(mut r), _) => {
            let (mut defs, mut values) = (Vec::with_capacity(rows), Vec::new());
            let mut read = 0;
            while read < rows {
                let (n, _, _) = r.read_records(rows - read, Some(&mut defs), None, &mut values)?;
                if n == 0 {
                    return Err(short(read));
                }
                read += n;
            }
            // A required column has no definition levels: every row defined.
            let mut next = 0u32;
            let rows = (0..rows)
                .map(|i| {
                    if defs.is_empty() || defs[i] > 0 {
                        next += 1;
                        next - 1
                    } else {
                        NULL
                    }
                })
                .collect();
            Ok(Data::Text { values, rows })
        }
        (ColumnReader::Int64ColumnReader(mut r), kind) => {
            let (mut defs, mut values) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
            let mut read = 0;
            while read < rows {
                let (n, _, _) = r.read_records(rows - read, Some(&mut defs), None, &mut values)?;
                if n == 0 {
                    return Err(short(read));
                }
                read += n;
            }
            if values.len() != rows {
                return Err(ParquetError::General(
                    "a whole-number column has undefined values".into(),
                ));
            }
            Ok(if kind == Kind::Unsigned {
                Data::Unsigned(values.into_iter().map(|v| v as u64).collect())
            } else {
                Data::Int(values)
            })
        }
        (ColumnReader::DoubleColumnReader(mut r), _) => {
            let (mut defs, mut values) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
            let mut read = 0;
            while read < rows {
                let (n, _, _) = r.read_records(rows - read, Some(&mut defs), None, &mut values)?;
                if n == 0 {
                    return Err(short(read));
                }
                read += n;
            }
            if defs.is_empty() {
                return Ok(Data::Value(values));
            }
            let mut it = values.into_iter();
            Ok(Data::Value(
                defs.iter()
                    .map(|&d| {
                        if d > 0 {
                            it.next().unwrap_or(f64::NAN)
                        } else {
                            f64::NAN
                        }
                    })
                    .collect(),
            ))
        }
        _ => Err(ParquetError::General(
            "a column's type changed between its schema and its data".into(),
        )),
    }
}

/// A whole (small) Parquet table read as text, numbers formatted as CSV
/// writes them: its column names and rows.
pub fn read_text(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>), ReadError> {
    let mut r = ParquetReader::open(path)?;
    let headers = r.columns().iter().map(|c| c.name.clone()).collect();
    let mut rows = Vec::with_capacity(r.rows() as usize);
    while let Some(g) = r.next_group()? {
        for row in 0..g.rows {
            rows.push(
                (0..g.data.len())
                    .map(|c| g.field(c, row).into_owned())
                    .collect(),
            );
        }
    }
    Ok((headers, rows))
}
