//! The cohort files of a run folder: `cohort_summary.csv` (always: per
//! scenario, policy, arrival cohort, years since arrival and cohort
//! indicator, the statistics across samples and replications) and
//! `cohorts.csv` (every cell's values, when every cell's series is kept).

use super::csv_file::CsvFile;
use super::folder::{OutputError, RunFolder};
use crate::experiment::stats::STATS;
use crate::experiment::{Experiment, ExperimentResult};
use crate::model::indicators::cohort::{self, COHORT};

pub const SUMMARY: &str = "cohort_summary.csv";
pub const VALUES: &str = "cohorts.csv";

/// `cohort_summary.csv`: `scenario, policy, cohort, years_since_arrival,
/// indicator`, then the statistics of [`STATS`].
pub fn write_summary(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file(SUMMARY)?);
    let head = [
        "scenario",
        "policy",
        "cohort",
        "years_since_arrival",
        "indicator",
    ];
    f.record(head.iter().chain(STATS.iter()))?;
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
    f.finish()
}

/// `cohorts.csv`: every cell's cohort values, `replication` (plain runs)
/// or `scenario, policy, sample, replication` (experiments), then
/// `cohort, years_since_arrival, indicator, value`.
pub fn write_values(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file(VALUES)?);
    let cell: &[&str] = if exp.plain {
        &["replication"]
    } else {
        &["scenario", "policy", "sample", "replication"]
    };
    let rest = ["cohort", "years_since_arrival", "indicator", "value"];
    f.record(cell.iter().chain(rest.iter()))?;
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
    f.finish()
}
