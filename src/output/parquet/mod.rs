//! Tables as Apache Parquet files (zstd-compressed), written through the
//! same output file as CSV ([`OutFile`], so through [`super::storage`] and its
//! test hook), read back for the report, `discover` and `compare`, and
//! concatenated without decoding (the series of an experiment's blocks).
//!
//! Only the `parquet` crate's own column writers are used, not Arrow: the
//! tables are flat, and Arrow would add a large build for nothing here.
//!
//! **Same bytes everywhere.** A file's bytes depend on its rows alone: row
//! groups hold a fixed number of rows ([`ROW_GROUP_ROWS`]), the writer is
//! named by foresight's version (not the time or the machine), and no
//! page index is written, so that files concatenated row group by row group
//! ([`concat`]) are the same whichever machine wrote each part.
//!
//! Column types: text is an optional UTF-8 `BYTE_ARRAY` (null where CSV has
//! an empty field), whole numbers `INT64` (seeds unsigned), values optional
//! `DOUBLE` (null where undefined), values whole in every row
//! ([`Kind::Whole`]) signed `INT64`.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical, ZstdLevel};
use parquet::column::writer::ColumnCloseResult;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::metadata::ParquetMetaDataReader;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use super::folder::{OutFile, OutputError};
use super::table::{Column, Kind, is_whole};

/// Rows per row group (the last group of a file holds the rest).
pub const ROW_GROUP_ROWS: usize = 1 << 18;

/// The zstd level: 3, zstd's default; higher levels gained little on the
/// bundled experiment's tables for much more time.
const ZSTD_LEVEL: i32 = 3;

/// A text field's index in the file's strings when undefined.
const NULL: u32 = u32::MAX;

/// Attach a path to a Parquet error (an I/O error keeps its kind, so that
/// a full disk reads as one).
fn error(path: &Path, e: ParquetError) -> OutputError {
    let error = match e {
        ParquetError::External(inner) => match inner.downcast::<std::io::Error>() {
            Ok(io) => *io,
            Err(other) => std::io::Error::other(other.to_string()),
        },
        other => std::io::Error::other(other.to_string()),
    };
    OutputError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// The writer's settings: the same for every file, so files can be
/// concatenated and read back the same.
fn properties() -> Arc<WriterProperties> {
    let level = ZstdLevel::try_new(ZSTD_LEVEL).expect("a valid zstd level");
    Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            .set_created_by(format!("foresight {}", crate::VERSION))
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_offset_index_disabled(true)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build(),
    )
}

/// The file's schema.
fn schema(columns: &[Column]) -> Result<Arc<Type>, ParquetError> {
    let fields = columns
        .iter()
        .map(|c| {
            let b = match c.kind {
                Kind::Text => Type::primitive_type_builder(&c.name, Physical::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String))
                    .with_repetition(Repetition::OPTIONAL),
                Kind::Int | Kind::Whole => Type::primitive_type_builder(&c.name, Physical::INT64)
                    .with_repetition(Repetition::REQUIRED),
                Kind::Unsigned => Type::primitive_type_builder(&c.name, Physical::INT64)
                    .with_logical_type(Some(LogicalType::integer(64, false)))
                    .with_repetition(Repetition::REQUIRED),
                Kind::Value => Type::primitive_type_builder(&c.name, Physical::DOUBLE)
                    .with_repetition(Repetition::OPTIONAL),
            };
            b.build().map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Arc::new(
        Type::group_type_builder("schema")
            .with_fields(fields)
            .build()?,
    ))
}

/// One column's rows of the row group being filled.
enum Buffer {
    /// Indices into the file's strings ([`NULL`] if undefined).
    Text(Vec<u32>),
    Int(Vec<i64>),
    Value(Vec<f64>),
}

/// A Parquet table being written, row by row.
pub struct ParquetFile {
    w: SerializedFileWriter<OutFile>,
    path: PathBuf,
    columns: Vec<Column>,
    buffers: Vec<Buffer>,
    /// The column of the next field.
    next: usize,
    rows: usize,
    /// Distinct text values (few: names of scenarios, regions, indicators).
    strings: Vec<ByteArray>,
    index: HashMap<Box<str>, u32>,
}

impl ParquetFile {
    pub fn new(file: OutFile, columns: Vec<Column>) -> Result<ParquetFile, OutputError> {
        let path = file.path().to_path_buf();
        let schema = schema(&columns).map_err(|e| error(&path, e))?;
        let w =
            SerializedFileWriter::new(file, schema, properties()).map_err(|e| error(&path, e))?;
        let buffers = columns
            .iter()
            .map(|c| match c.kind {
                Kind::Text => Buffer::Text(Vec::new()),
                Kind::Int | Kind::Unsigned | Kind::Whole => Buffer::Int(Vec::new()),
                Kind::Value => Buffer::Value(Vec::new()),
            })
            .collect();
        Ok(ParquetFile {
            w,
            path,
            columns,
            buffers,
            next: 0,
            rows: 0,
            strings: Vec::new(),
            index: HashMap::new(),
        })
    }

    /// The buffer of the next field, which must be of kind `kind` (the
    /// tables' writers give their fields in the declared order).
    fn slot(&mut self, kind: Kind) -> &mut Buffer {
        let c = &self.columns[self.next.min(self.columns.len() - 1)];
        assert!(
            self.next < self.columns.len() && c.kind == kind,
            "{}: field {} given as {kind:?}, but the column `{}` is {:?}",
            self.path.display(),
            self.next,
            c.name,
            c.kind
        );
        self.next += 1;
        &mut self.buffers[self.next - 1]
    }

    pub fn text(&mut self, text: &str) -> Result<(), OutputError> {
        let i = if text.is_empty() {
            NULL
        } else if let Some(&i) = self.index.get(text) {
            i
        } else {
            let i = self.strings.len() as u32;
            self.strings.push(ByteArray::from(text));
            self.index.insert(text.into(), i);
            i
        };
        if let Buffer::Text(v) = self.slot(Kind::Text) {
            v.push(i);
        }
        Ok(())
    }

    pub fn int(&mut self, n: u64) -> Result<(), OutputError> {
        let kind = match self.columns.get(self.next) {
            Some(c) if c.kind == Kind::Unsigned => Kind::Unsigned,
            _ => Kind::Int,
        };
        // An unsigned column stores the bits of the u64 (Parquet's UINT_64).
        if let Buffer::Int(v) = self.slot(kind) {
            v.push(n as i64);
        }
        Ok(())
    }

    pub fn value(&mut self, v: f64) -> Result<(), OutputError> {
        let whole = self
            .columns
            .get(self.next)
            .is_some_and(|c| c.kind == Kind::Whole);
        if whole {
            // The table's writer declared the column whole from every row's
            // value: a fraction here is its mistake.
            assert!(
                is_whole(v),
                "{}: {v} in the whole-valued column `{}`",
                self.path.display(),
                self.columns[self.next].name
            );
            if let Buffer::Int(b) = self.slot(Kind::Whole) {
                b.push(v as i64);
            }
        } else if let Buffer::Value(b) = self.slot(Kind::Value) {
            b.push(v);
        }
        Ok(())
    }

    pub fn end(&mut self) -> Result<(), OutputError> {
        assert_eq!(
            self.next,
            self.columns.len(),
            "{}: a row ended after {} of {} fields",
            self.path.display(),
            self.next,
            self.columns.len()
        );
        self.next = 0;
        self.rows += 1;
        if self.rows == ROW_GROUP_ROWS {
            self.write_group()?;
        }
        Ok(())
    }

    /// Write the buffered rows as a row group.
    fn write_group(&mut self) -> Result<(), OutputError> {
        let path = self.path.clone();
        let e = |e| error(&path, e);
        let mut group = self.w.next_row_group().map_err(e)?;
        for buffer in &mut self.buffers {
            let mut col = group
                .next_column()
                .map_err(e)?
                .expect("one column per declared column");
            match buffer {
                Buffer::Text(ix) => {
                    let defs: Vec<i16> = ix.iter().map(|&i| i16::from(i != NULL)).collect();
                    let values: Vec<ByteArray> = ix
                        .iter()
                        .filter(|&&i| i != NULL)
                        .map(|&i| self.strings[i as usize].clone())
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&values, Some(&defs), None)
                        .map_err(e)?;
                    ix.clear();
                }
                Buffer::Int(v) => {
                    col.typed::<Int64Type>()
                        .write_batch(v, None, None)
                        .map_err(e)?;
                    v.clear();
                }
                Buffer::Value(v) => {
                    let defs: Vec<i16> = v.iter().map(|x| i16::from(!x.is_nan())).collect();
                    let values: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
                    col.typed::<DoubleType>()
                        .write_batch(&values, Some(&defs), None)
                        .map_err(e)?;
                    v.clear();
                }
            }
            col.close().map_err(e)?;
        }
        group.close().map_err(e)?;
        self.rows = 0;
        Ok(())
    }

    /// Write the last rows and the footer, sync to disk; returns the length.
    pub fn finish(mut self) -> Result<u64, OutputError> {
        if self.rows > 0 {
            self.write_group()?;
        }
        let path = self.path.clone();
        let file = self.w.into_inner().map_err(|e| error(&path, e))?;
        let len = file.written();
        file.finish()?;
        Ok(len)
    }
}

/// Concatenate Parquet files of the same schema, row group by row group,
/// without decoding them, into `out`; returns the length written.
pub fn concat(parts: &[PathBuf], out: OutFile) -> Result<u64, OutputError> {
    let path = out.path().to_path_buf();
    let bad = |p: &Path, message: String| OutputError::Invalid {
        path: p.to_path_buf(),
        message,
    };
    let mut inputs = Vec::with_capacity(parts.len());
    for p in parts {
        let file = File::open(p).map_err(super::folder::io(p))?;
        let meta = ParquetMetaDataReader::new()
            .parse_and_finish(&file)
            .map_err(|e| bad(p, format!("not a whole Parquet file: {e}")))?;
        inputs.push((p, file, meta));
    }
    let Some((_, _, first)) = inputs.first() else {
        return Err(bad(&path, "no Parquet files to concatenate".into()));
    };
    let schema = first.file_metadata().schema_descr().root_schema_ptr();
    for (p, _, meta) in &inputs[1..] {
        if meta.file_metadata().schema_descr().root_schema_ptr() != schema {
            return Err(bad(p, "its columns differ from the other parts'".into()));
        }
    }
    let e = |e| error(&path, e);
    let mut w = SerializedFileWriter::new(out, schema, properties()).map_err(e)?;
    for (p, file, meta) in &inputs {
        for rg in meta.row_groups() {
            let mut group = w.next_row_group().map_err(e)?;
            for column in rg.columns() {
                let close = ColumnCloseResult {
                    bytes_written: column.compressed_size() as u64,
                    rows_written: rg.num_rows() as u64,
                    metadata: column.clone(),
                    bloom_filter: None,
                    column_index: None,
                    offset_index: None,
                };
                group
                    .append_column(file, close)
                    .map_err(|x| bad(p, format!("cannot copy its rows: {x}")))?;
            }
            group.close().map_err(e)?;
        }
    }
    let file = w.into_inner().map_err(e)?;
    let len = file.written();
    file.finish()?;
    Ok(len)
}

mod read;
pub use read::{Group, ParquetReader, ReadError, read_text};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::folder::RunFolder;

    fn columns() -> Vec<Column> {
        vec![
            Column::new("name", Kind::Text),
            Column::new("week", Kind::Int),
            Column::new("seed", Kind::Unsigned),
            Column::new("value", Kind::Value),
        ]
    }

    fn write(folder: &RunFolder, name: &str, rows: std::ops::Range<u64>) -> u64 {
        let mut f = ParquetFile::new(folder.file(name).unwrap(), columns()).unwrap();
        for i in rows {
            f.text(if i.is_multiple_of(3) {
                ""
            } else {
                ["a", "b"][i as usize % 2]
            })
            .unwrap();
            f.int(i).unwrap();
            f.int(u64::MAX - i).unwrap();
            f.value(if i.is_multiple_of(5) {
                f64::NAN
            } else {
                i as f64 / 4.0
            })
            .unwrap();
            f.end().unwrap();
        }
        f.finish().unwrap()
    }

    #[test]
    fn a_table_reads_back_with_its_types_nulls_and_row_groups() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = RunFolder::create(&tmp.path().join("out"), false).unwrap();
        let n = ROW_GROUP_ROWS as u64 + 10;
        write(&folder, "t.parquet", 0..n);
        let mut r = ParquetReader::open(&folder.path("t.parquet")).unwrap();
        assert_eq!(r.columns(), columns().as_slice());
        assert_eq!(r.rows(), n);
        let mut seen = 0u64;
        let mut groups = Vec::new();
        while let Some(g) = r.next_group().unwrap() {
            groups.push(g.rows);
            for row in 0..g.rows {
                let i = seen + row as u64;
                let name = if i.is_multiple_of(3) {
                    ""
                } else {
                    ["a", "b"][i as usize % 2]
                };
                assert_eq!(g.field(0, row), name);
                assert_eq!(g.number(1, row), Some(i as f64));
                assert_eq!(g.field(2, row), (u64::MAX - i).to_string());
                let v = g.number(3, row).unwrap();
                if i.is_multiple_of(5) {
                    assert!(v.is_nan());
                    assert_eq!(g.field(3, row), "");
                } else {
                    assert_eq!(v, i as f64 / 4.0);
                }
            }
            seen += g.rows as u64;
        }
        assert_eq!(groups, [ROW_GROUP_ROWS, 10]);
    }

    #[test]
    fn the_same_rows_give_the_same_bytes_and_parts_concatenate_to_the_same_file() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = RunFolder::create(&tmp.path().join("out"), false).unwrap();
        write(&folder, "a.parquet", 0..1000);
        write(&folder, "b.parquet", 0..1000);
        let bytes = |n: &str| std::fs::read(folder.path(n)).unwrap();
        assert_eq!(bytes("a.parquet"), bytes("b.parquet"));
        // Split 0..1000 in two ways; each concatenation reads back as 0..1000.
        write(&folder, "p1.parquet", 0..300);
        write(&folder, "p2.parquet", 300..1000);
        let parts = [folder.path("p1.parquet"), folder.path("p2.parquet")];
        concat(&parts, folder.file("c.parquet").unwrap()).unwrap();
        concat(&parts, folder.file("d.parquet").unwrap()).unwrap();
        assert_eq!(bytes("c.parquet"), bytes("d.parquet"));
        let (_, rows) = read_text(&folder.path("c.parquet")).unwrap();
        let (_, whole) = read_text(&folder.path("a.parquet")).unwrap();
        assert_eq!(rows, whole);
        // Nothing names the time or the machine.
        let a = bytes("a.parquet");
        let created = format!("foresight {}", crate::VERSION);
        assert!(a.windows(created.len()).any(|w| w == created.as_bytes()));
    }

    #[test]
    fn a_whole_valued_column_is_written_as_integers_and_reads_as_the_csv_writes_it() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = RunFolder::create(&tmp.path().join("out"), false).unwrap();
        let cols = vec![
            Column::new("capacity", Kind::Whole),
            Column::new("rate", Kind::Value),
        ];
        let mut f = ParquetFile::new(folder.file("w.parquet").unwrap(), cols).unwrap();
        for v in [20.0, -30.0, 4e14] {
            f.value(v).unwrap();
            f.value(v / 8.0).unwrap();
            f.end().unwrap();
        }
        f.finish().unwrap();
        let mut r = ParquetReader::open(&folder.path("w.parquet")).unwrap();
        // Signed INT64: read back as a whole-number column.
        assert_eq!(r.columns()[0], Column::new("capacity", Kind::Int));
        assert_eq!(r.columns()[1], Column::new("rate", Kind::Value));
        let g = r.next_group().unwrap().unwrap();
        for (row, want) in ["20", "-30", "400000000000000"].iter().enumerate() {
            assert_eq!(g.field(0, row), *want);
            let mut csv = String::new();
            crate::output::csv_file::fmt_value(&mut csv, want.parse().unwrap());
            assert_eq!(csv, *want, "the CSV's field");
        }
        assert_eq!(g.number(1, 1), Some(-3.75));
    }

    #[test]
    #[should_panic(expected = "0.5 in the whole-valued column `capacity`")]
    fn a_fraction_in_a_whole_valued_column_is_a_writers_mistake() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = RunFolder::create(&tmp.path().join("out"), false).unwrap();
        let cols = vec![Column::new("capacity", Kind::Whole)];
        let mut f = ParquetFile::new(folder.file("w.parquet").unwrap(), cols).unwrap();
        f.value(0.5).unwrap();
    }

    #[test]
    fn a_damaged_part_is_refused_by_name() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = RunFolder::create(&tmp.path().join("out"), false).unwrap();
        let len = write(&folder, "p.parquet", 0..100);
        let p = folder.path("p.parquet");
        let bytes = std::fs::read(&p).unwrap();
        std::fs::write(&p, &bytes[..len as usize / 2]).unwrap();
        let e = concat(std::slice::from_ref(&p), folder.file("c.parquet").unwrap()).unwrap_err();
        assert!(e.to_string().contains("not a whole Parquet file"), "{e}");
        assert!(ParquetReader::open(&p).is_err());
    }
}
