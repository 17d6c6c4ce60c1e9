//! The cohort files of a run folder: `cohort_summary.csv` (always: per
//! scenario, policy, arrival cohort, years since arrival and cohort
//! indicator, the statistics across samples and replications) and
//! `cohorts.csv` (every cell's values, when every cell's series is kept).

use std::fmt::Write as _;

use super::files::{csv_field, fmt_value, row};
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
    let mut f = folder.file(SUMMARY)?;
    let mut line = String::from("scenario,policy,cohort,years_since_arrival,indicator");
    for s in STATS {
        line.push(',');
        line.push_str(s);
    }
    row(&mut f, &mut line)?;
    for pair in &result.summaries {
        let scenario = csv_field(&exp.scenarios[pair.scenario]);
        let policy = csv_field(&exp.policies[pair.policy]);
        for (c, since) in cohort::observed(exp.horizon_weeks) {
            for (k, ind) in COHORT.iter().enumerate() {
                let _ = write!(line, "{scenario},{policy},{c},{since},{}", ind.name);
                for v in pair.cohort(c, since, k) {
                    line.push(',');
                    fmt_value(&mut line, *v);
                }
                row(&mut f, &mut line)?;
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
    let mut f = folder.file(VALUES)?;
    let mut line = String::from(if exp.plain {
        "replication"
    } else {
        "scenario,policy,sample,replication"
    });
    line.push_str(",cohort,years_since_arrival,indicator,value");
    row(&mut f, &mut line)?;
    let years = cohort::years(exp.horizon_weeks);
    for o in &result.outcomes {
        let c = &o.cell;
        let prefix = if exp.plain {
            c.replication.to_string()
        } else {
            format!(
                "{},{},{},{}",
                csv_field(&exp.scenarios[c.scenario]),
                csv_field(&exp.policies[c.policy]),
                c.sample,
                c.replication
            )
        };
        for (cohort, since) in cohort::observed(exp.horizon_weeks) {
            for (k, ind) in COHORT.iter().enumerate() {
                let _ = write!(line, "{prefix},{cohort},{since},{},", ind.name);
                fmt_value(&mut line, o.cohorts[cohort::index(years, cohort, since, k)]);
                row(&mut f, &mut line)?;
            }
        }
    }
    f.finish()
}
