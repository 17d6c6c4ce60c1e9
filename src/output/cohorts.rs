//! The cohort files of a run folder: `cohort_summary.csv` (always: per
//! scenario, policy, arrival cohort, years since arrival and cohort
//! indicator, the statistics across samples and replications) and
//! `cohorts.csv` (every cell's values, when every cell's series is kept);
//! `.parquet` in place of `.csv` with `--format parquet`.

use super::folder::{OutputError, RunFolder};
use super::format::Format;
use super::table::{Column, Kind, TableFile, columns};
use crate::experiment::stats::STATS;
use crate::experiment::{Experiment, ExperimentResult};
use crate::model::indicators::cohort::{self, COHORT};

/// The tables' stems (`cohort_summary.csv` or `cohort_summary.parquet`).
pub const SUMMARY: &str = "cohort_summary";
pub const VALUES: &str = "cohorts";

/// `cohort_summary.csv`: `scenario, policy, cohort, years_since_arrival,
/// indicator`, then the statistics of [`STATS`].
pub fn write_summary(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    format: Format,
) -> Result<(), OutputError> {
    let mut cols = columns(["scenario", "policy"], Kind::Text);
    cols.extend(columns(["cohort", "years_since_arrival"], Kind::Int));
    cols.push(Column::new("indicator", Kind::Text));
    cols.extend(columns(STATS, Kind::Value));
    let mut f = TableFile::create(folder, SUMMARY, format, cols)?;
    for pair in &result.summaries {
        let scenario = &exp.scenarios[pair.scenario];
        let policy = &exp.policies[pair.policy];
        for (c, since) in cohort::observed(exp.horizon_weeks) {
            for (k, ind) in COHORT.iter().enumerate() {
                f.field(scenario)?;
                f.field(policy)?;
                f.int(c as u64)?;
                f.int(since as u64)?;
                f.field(ind.name)?;
                for v in pair.cohort(c, since, k) {
                    f.value(*v)?;
                }
                f.end()?;
            }
        }
    }
    f.finish().map(drop)
}

/// `cohorts.csv`: every cell's cohort values, `replication` (plain runs)
/// or `scenario, policy, sample, replication` (experiments), then
/// `cohort, years_since_arrival, indicator, value`.
pub fn write_values(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    format: Format,
) -> Result<(), OutputError> {
    let mut cols = Vec::new();
    if !exp.plain {
        cols = columns(["scenario", "policy"], Kind::Text);
        cols.push(Column::new("sample", Kind::Int));
    }
    cols.extend(columns(
        ["replication", "cohort", "years_since_arrival"],
        Kind::Int,
    ));
    cols.push(Column::new("indicator", Kind::Text));
    cols.push(Column::new("value", Kind::Value));
    let mut f = TableFile::create(folder, VALUES, format, cols)?;
    let years = cohort::years(exp.horizon_weeks);
    for o in &result.outcomes {
        let c = &o.cell;
        for (cohort, since) in cohort::observed(exp.horizon_weeks) {
            for (k, ind) in COHORT.iter().enumerate() {
                if !exp.plain {
                    f.field(&exp.scenarios[c.scenario])?;
                    f.field(&exp.policies[c.policy])?;
                    f.int(c.sample as u64)?;
                }
                f.int(u64::from(c.replication))?;
                f.int(cohort as u64)?;
                f.int(since as u64)?;
                f.field(ind.name)?;
                f.value(o.cohorts[cohort::index(years, cohort, since, k)])?;
                f.end()?;
            }
        }
    }
    f.finish().map(drop)
}
