//! The choices a run makes about its files: the format of its tables
//! (`--format csv|parquet`) and how far its summary reaches (`--summary
//! national|regions|none`). Both are recorded in the manifest, so that the
//! readers (report, discover, compare) and a merge of shards know them.

use std::path::{Path, PathBuf};

/// The format of every table a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Comma-separated text, the default for scenario runs: opens anywhere.
    #[default]
    Csv,
    /// Apache Parquet, compressed with zstd, the default for experiments: a
    /// quarter of the size or less, typed columns, fast to load.
    Parquet,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Csv, Format::Parquet];

    /// As written on the command line and in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// A table's file extension (without the dot).
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// A table's file name: `STEM.csv` or `STEM.parquet`.
    pub fn file(self, stem: &str) -> String {
        format!("{stem}.{}", self.extension())
    }

    pub fn parse(text: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == text)
            .ok_or_else(|| format!("'{text}' is not a format: expected csv or parquet"))
    }

    /// The default: CSV for a plain scenario run, which a spreadsheet opens
    /// and which stays small; Parquet for an experiment, whose summary
    /// alone runs to tens of megabytes in CSV (README.md gives sizes). The same rule as the summary's
    /// scope ([`SummaryScope::default_for`]): the kind of run decides.
    pub fn default_for(plain: bool) -> Format {
        if plain { Format::Csv } else { Format::Parquet }
    }

    /// The format a manifest records (CSV for folders written before the
    /// choice existed).
    pub fn of_manifest(manifest: &serde_json::Value) -> Result<Format, String> {
        match manifest["format"].as_str() {
            None => Ok(Format::Csv),
            Some(text) => Format::parse(text),
        }
    }
}

/// Which rows of the summary a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryScope {
    /// The national totals only (`region = all`): the default for
    /// experiments, whose regional rows are ten times as many.
    National,
    /// The national totals and every region: the default for scenario runs.
    Regions,
    /// No summary file.
    None,
}

impl SummaryScope {
    pub const ALL: [SummaryScope; 3] = [
        SummaryScope::National,
        SummaryScope::Regions,
        SummaryScope::None,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SummaryScope::National => "national",
            SummaryScope::Regions => "regions",
            SummaryScope::None => "none",
        }
    }

    pub fn parse(text: &str) -> Result<SummaryScope, String> {
        SummaryScope::ALL
            .into_iter()
            .find(|s| s.name() == text)
            .ok_or_else(|| {
                format!("'{text}' is not a summary scope: expected national, regions or none")
            })
    }

    /// The default: regions for a plain scenario run, national for an
    /// experiment.
    pub fn default_for(plain: bool) -> SummaryScope {
        if plain {
            SummaryScope::Regions
        } else {
            SummaryScope::National
        }
    }

    /// The scope a manifest records (regions for folders written before the
    /// choice existed, which held every region).
    pub fn of_manifest(manifest: &serde_json::Value) -> Result<SummaryScope, String> {
        match manifest["summary"].as_str() {
            None => Ok(SummaryScope::Regions),
            Some(text) => SummaryScope::parse(text),
        }
    }

    /// Whether the summary holds the rows of each region.
    pub fn regions(self) -> bool {
        self == SummaryScope::Regions
    }
}

/// A run's choices of files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Files {
    /// `None`: the default for the kind of run ([`Format::default_for`]).
    pub format: Option<Format>,
    /// `None`: the default for the kind of run ([`SummaryScope::default_for`]).
    pub summary: Option<SummaryScope>,
}

impl Files {
    /// The tables' format, the default resolved.
    pub fn format_for(&self, plain: bool) -> Format {
        self.format.unwrap_or_else(|| Format::default_for(plain))
    }

    /// The summary scope, the default resolved.
    pub fn summary_for(&self, plain: bool) -> SummaryScope {
        self.summary
            .unwrap_or_else(|| SummaryScope::default_for(plain))
    }
}

/// The file holding table `stem` in an output folder: the one the
/// manifest's format names, or, for a folder without a manifest that says,
/// whichever of `STEM.csv` and `STEM.parquet` is there (CSV if neither).
pub fn table_path(dir: &Path, stem: &str, format: Option<Format>) -> PathBuf {
    if let Some(format) = format {
        return dir.join(format.file(stem));
    }
    let parquet = dir.join(Format::Parquet.file(stem));
    let csv = dir.join(Format::Csv.file(stem));
    if !csv.exists() && parquet.exists() {
        parquet
    } else {
        csv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_scopes_read_their_names_and_refuse_others_in_words() {
        assert_eq!(Format::parse("parquet"), Ok(Format::Parquet));
        assert_eq!(Format::parse("csv"), Ok(Format::Csv));
        let e = Format::parse("xlsx").unwrap_err();
        assert_eq!(e, "'xlsx' is not a format: expected csv or parquet");
        for s in SummaryScope::ALL {
            assert_eq!(SummaryScope::parse(s.name()), Ok(s));
        }
        assert!(
            SummaryScope::parse("regional")
                .unwrap_err()
                .contains("expected national, regions or none")
        );
    }

    #[test]
    fn defaults_national_for_experiments_regions_for_scenarios() {
        let files = Files::default();
        assert_eq!(files.summary_for(true), SummaryScope::Regions);
        assert_eq!(files.summary_for(false), SummaryScope::National);
        let none = Files {
            summary: Some(SummaryScope::None),
            ..files
        };
        assert_eq!(none.summary_for(true), SummaryScope::None);
    }

    #[test]
    fn defaults_parquet_for_experiments_csv_for_scenarios_unless_chosen() {
        let files = Files::default();
        assert_eq!(files.format_for(true), Format::Csv);
        assert_eq!(files.format_for(false), Format::Parquet);
        let csv = Files {
            format: Some(Format::Csv),
            ..files
        };
        assert_eq!(csv.format_for(false), Format::Csv);
        let parquet = Files {
            format: Some(Format::Parquet),
            ..files
        };
        assert_eq!(parquet.format_for(true), Format::Parquet);
    }

    #[test]
    fn an_older_manifest_means_csv_with_every_region() {
        let old = serde_json::json!({"kind": "experiment"});
        assert_eq!(Format::of_manifest(&old), Ok(Format::Csv));
        assert_eq!(SummaryScope::of_manifest(&old), Ok(SummaryScope::Regions));
        let new = serde_json::json!({"format": "parquet", "summary": "none"});
        assert_eq!(Format::of_manifest(&new), Ok(Format::Parquet));
        assert_eq!(SummaryScope::of_manifest(&new), Ok(SummaryScope::None));
    }
}
