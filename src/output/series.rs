//! The weekly series of every replication, streamed to `weekly.csv` (a
//! scenario run) or `series.csv` (an experiment), or their `.parquet`.

use std::ops::Range;
use std::path::PathBuf;

use super::csv_file::CsvFile;
use super::folder::{JOURNAL, OutFile, OutputError, RunFolder};
use super::format::Format;
use super::parquet::{self as pq, ParquetFile};
use super::table::{Column, Kind};
use crate::experiment::{CellId, Experiment};
use crate::model::ReplicationResult;

/// Streams every replication's weekly series as it finishes (in cell order):
/// `weekly.csv` for a plain scenario (replication, week, region, indicator,
/// value), `series.csv` for an experiment (with scenario, policy, sample).
///
/// In Parquet, each block's series is a part of its own in the journal
/// (`series-NNNNNNNN.parquet`), written when the block ends; the parts are
/// joined row group by row group when the run finishes. A file's row groups
/// therefore end where blocks end, whatever the threads, an interruption or
/// the shards, so that the bytes are the same.
pub struct SeriesWriter {
    sink: Sink,
    plain: bool,
    scenarios: Vec<String>,
    policies: Vec<String>,
    regions: Vec<String>,
    names: Vec<String>,
}

enum Sink {
    Csv(CsvFile),
    Parquet {
        /// The block parts' folder, and the final file.
        parts: PathBuf,
        out: String,
        blocks: Range<u64>,
        /// The block being written and its part (opened at its first cell).
        next: u64,
        part: Option<ParquetFile>,
    },
}

/// The file holding block `b`'s series in Parquet, in the journal.
fn part_name(b: u64) -> String {
    format!("series-{b:08}.parquet")
}

/// Whether a name is that of a block's series part.
pub fn is_series_part(name: &str) -> bool {
    name.strip_prefix("series-")
        .and_then(|n| n.strip_suffix(".parquet"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

impl SeriesWriter {
    /// Write the series of `blocks`, of which the first `done` are written
    /// already (an interrupted run's): in CSV the file is continued from
    /// byte `len`, in Parquet their parts are kept.
    pub fn create(
        folder: &RunFolder,
        exp: &Experiment,
        format: Format,
        blocks: Range<u64>,
        resume: Option<(u64, u64)>,
    ) -> Result<SeriesWriter, OutputError> {
        let name = Self::name(exp, format);
        let sink = match (format, resume) {
            (Format::Csv, None) => {
                let mut csv = CsvFile::new(folder.file(&name)?);
                csv.record(Self::header(exp.plain))?;
                Sink::Csv(csv)
            }
            (Format::Csv, Some((_, len))) => {
                Sink::Csv(CsvFile::new(OutFile::append(folder.path(&name), len)?))
            }
            (Format::Parquet, resume) => {
                let parts = folder.path(JOURNAL);
                crate::output::storage::create_dir_all(&parts)
                    .map_err(super::folder::io(&parts))?;
                Sink::Parquet {
                    parts,
                    out: name,
                    next: blocks.start + resume.map_or(0, |(done, _)| done),
                    blocks,
                    part: None,
                }
            }
        };
        let mut regions = exp.region_names.clone();
        regions.push("all".into());
        Ok(SeriesWriter {
            sink,
            plain: exp.plain,
            scenarios: exp.scenarios.clone(),
            policies: exp.policies.clone(),
            regions,
            names: crate::model::indicators::names(exp.horizon_weeks),
        })
    }

    /// The file's name in a run folder.
    pub fn name(exp: &Experiment, format: Format) -> String {
        format.file(if exp.plain { "weekly" } else { "series" })
    }

    /// The file's columns' names (`plain`: a scenario run's).
    pub fn header(plain: bool) -> &'static [&'static str] {
        if plain {
            &["replication", "week", "region", "indicator", "value"]
        } else {
            &[
                "scenario",
                "policy",
                "sample",
                "replication",
                "week",
                "region",
                "indicator",
                "value",
            ]
        }
    }

    pub fn add(&mut self, cell: &CellId, r: &ReplicationResult) -> Result<(), OutputError> {
        let plain = self.plain;
        let mut w = match &mut self.sink {
            Sink::Csv(csv) => Row::Csv(csv),
            Sink::Parquet {
                parts, next, part, ..
            } => {
                if part.is_none() {
                    let path = parts.join(part_name(*next));
                    let file = OutFile::create(path)?;
                    *part = Some(ParquetFile::new(file, Self::columns_of(plain))?);
                }
                Row::Parquet(part.as_mut().expect("opened above"))
            }
        };
        let s = &r.series;
        for week in 0..s.weeks {
            for (slot, region) in self.regions.iter().enumerate() {
                for (k, name) in self.names.iter().enumerate() {
                    if !self.plain {
                        w.field(&self.scenarios[cell.scenario])?;
                        w.field(&self.policies[cell.policy])?;
                        w.int(cell.sample as u64)?;
                    }
                    w.int(cell.replication as u64)?;
                    w.int(week as u64)?;
                    w.field(region)?;
                    w.field(name)?;
                    w.value(s.get(week, slot, k))?;
                    w.end()?;
                }
            }
        }
        Ok(())
    }

    fn kind(name: &str) -> Kind {
        match name {
            "scenario" | "policy" | "region" | "indicator" => Kind::Text,
            "value" => Kind::Value,
            _ => Kind::Int,
        }
    }

    /// A block ended: hand what was written to the operating system; returns
    /// the CSV file's length (0 in Parquet, whose block parts are whole files).
    pub fn flush(&mut self) -> Result<u64, OutputError> {
        match &mut self.sink {
            Sink::Csv(csv) => csv.flush(),
            Sink::Parquet { next, part, .. } => {
                if let Some(p) = part.take() {
                    p.finish()?;
                }
                *next += 1;
                Ok(0)
            }
        }
    }

    /// Complete the file (in Parquet: join the blocks' parts and remove them).
    pub fn finish(self, folder: &RunFolder) -> Result<(), OutputError> {
        match self.sink {
            Sink::Csv(csv) => csv.finish(),
            Sink::Parquet {
                parts, out, blocks, ..
            } => {
                let paths: Vec<PathBuf> = blocks.map(|b| parts.join(part_name(b))).collect();
                let file = folder.file(&out)?;
                if paths.is_empty() {
                    ParquetFile::new(file, Self::columns_of(self.plain))?.finish()?;
                } else {
                    pq::concat(&paths, file)?;
                }
                for p in &paths {
                    std::fs::remove_file(p).map_err(super::folder::io(p))?;
                }
                Ok(())
            }
        }
    }

    fn columns_of(plain: bool) -> Vec<Column> {
        Self::header(plain)
            .iter()
            .map(|&n| Column::new(n, Self::kind(n)))
            .collect()
    }
}

/// A row's destination.
enum Row<'a> {
    Csv(&'a mut CsvFile),
    Parquet(&'a mut ParquetFile),
}

impl Row<'_> {
    fn field(&mut self, text: &str) -> Result<(), OutputError> {
        match self {
            Row::Csv(f) => f.field(text),
            Row::Parquet(f) => f.text(text),
        }
    }
    fn int(&mut self, n: u64) -> Result<(), OutputError> {
        match self {
            Row::Csv(f) => f.int(n),
            Row::Parquet(f) => f.int(n),
        }
    }
    fn value(&mut self, v: f64) -> Result<(), OutputError> {
        match self {
            Row::Csv(f) => f.value(v),
            Row::Parquet(f) => f.value(v),
        }
    }
    fn end(&mut self) -> Result<(), OutputError> {
        match self {
            Row::Csv(f) => f.end(),
            Row::Parquet(f) => f.end(),
        }
    }
}
