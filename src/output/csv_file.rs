//! A CSV file of a run folder, written with the `csv` crate (quoting,
//! separators, line ends). Numbers are formatted here: the crate's own float
//! formatting writes exponents (`1e16`) that the outputs have never used.
//! Whole numbers, most of the fields, go through `itoa` (several times
//! faster than `core::fmt`, which keeps the crate's per-field cost from
//! slowing down the output).

use std::fmt::Write as _;
use std::path::PathBuf;

use super::folder::{OutFile, OutputError};
use super::table::is_whole;

/// A CSV file being written, one field at a time or a record at once.
pub struct CsvFile {
    w: csv::Writer<OutFile>,
    path: PathBuf,
    /// Reused for formatting numbers.
    text: String,
}

impl CsvFile {
    pub fn new(file: OutFile) -> CsvFile {
        let path = file.path().to_path_buf();
        let w = csv::WriterBuilder::new()
            .has_headers(false)
            .buffer_capacity(1 << 16)
            .from_writer(file);
        CsvFile {
            w,
            path,
            text: String::with_capacity(32),
        }
    }

    fn error(&self, e: csv::Error) -> OutputError {
        let error = match e.into_kind() {
            csv::ErrorKind::Io(error) => error,
            other => std::io::Error::other(format!("{other:?}")),
        };
        OutputError::Io {
            path: self.path.clone(),
            error,
        }
    }

    /// One field of the current record (quoted if CSV needs it).
    pub fn field(&mut self, text: impl AsRef<[u8]>) -> Result<(), OutputError> {
        self.w.write_field(text).map_err(|e| self.error(e))
    }

    /// A whole number.
    pub fn int(&mut self, n: u64) -> Result<(), OutputError> {
        let r = self.w.write_field(itoa::Buffer::new().format(n));
        r.map_err(|e| self.error(e))
    }

    /// A value: the shortest decimal that reads back as the same number,
    /// whole numbers without a decimal point, undefined (NaN) as an empty field.
    pub fn value(&mut self, v: f64) -> Result<(), OutputError> {
        let r = if is_whole(v) {
            self.w.write_field(itoa::Buffer::new().format(v as i64))
        } else {
            self.text.clear();
            fmt_value(&mut self.text, v);
            self.w.write_field(self.text.as_bytes())
        };
        r.map_err(|e| self.error(e))
    }

    /// End the current record.
    pub fn end(&mut self) -> Result<(), OutputError> {
        self.w
            .write_record(None::<&[u8]>)
            .map_err(|e| self.error(e))
    }

    /// A whole record of text fields.
    pub fn record<T: AsRef<[u8]>>(
        &mut self,
        fields: impl IntoIterator<Item = T>,
    ) -> Result<(), OutputError> {
        self.w.write_record(fields).map_err(|e| self.error(e))
    }

    /// Hand everything written to the operating system; returns the length.
    pub fn flush(&mut self) -> Result<u64, OutputError> {
        self.w.flush().map_err(|error| OutputError::Io {
            path: self.path.clone(),
            error,
        })?;
        Ok(self.w.get_ref().written())
    }

    /// The file, with every record handed to it.
    pub fn into_file(self) -> Result<OutFile, OutputError> {
        let path = self.path;
        self.w.into_inner().map_err(|e| OutputError::Io {
            path,
            error: e.into_error(),
        })
    }

    /// Flush and sync to disk.
    pub fn finish(self) -> Result<(), OutputError> {
        self.into_file()?.finish()
    }
}

/// Format a value for CSV: shortest round-trip decimal; NaN as an empty field.
pub fn fmt_value(out: &mut String, v: f64) {
    if v.is_nan() {
        return;
    }
    if is_whole(v) {
        let _ = write!(out, "{}", v as i64);
    } else {
        let _ = write!(out, "{v}");
    }
}

#[cfg(test)]
mod tests {
    use super::fmt_value;

    #[test]
    fn values_are_written_as_shortest_decimals_without_exponents() {
        let f = |v: f64| {
            let mut s = String::new();
            fmt_value(&mut s, v);
            s
        };
        assert_eq!(f(3.0), "3");
        assert_eq!(f(-0.0), "0");
        assert_eq!(f(0.1), "0.1");
        assert_eq!(f(1e16), "10000000000000000");
        assert_eq!(f(2.5e-7), "0.00000025");
        assert_eq!(f(f64::NAN), "");
    }
}
