//! `actions.csv`: every step the adaptive rules took, per cell, in the
//! order taken (a release has a negative size).

use super::OutputError;
use super::csv_file::CsvFile;
use super::folder::RunFolder;
use crate::experiment::{Experiment, ExperimentResult};

pub const FILE: &str = "actions.csv";

/// Whether any configuration of the run has adaptive rules.
pub fn has_rules(exp: &Experiment) -> bool {
    exp.configs.iter().any(|c| !c.policy.adaptation.is_empty())
}

pub fn write_actions(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
) -> Result<(), OutputError> {
    let cell = if exp.plain {
        &["replication"][..]
    } else {
        &["scenario", "policy", "sample", "replication"][..]
    };
    let mut f = CsvFile::new(folder.file(FILE)?);
    f.record(
        cell.iter()
            .chain(&["week", "rule", "action", "lever", "region", "size"]),
    )?;
    for o in &result.outcomes {
        let c = &o.cell;
        let config = exp.config(c.scenario, c.policy, c.sample);
        for a in &o.actions {
            if !exp.plain {
                f.field(&exp.scenarios[c.scenario])?;
                f.field(&exp.policies[c.policy])?;
                f.int(c.sample as u64)?;
            }
            f.int(u64::from(c.replication))?;
            f.int(u64::from(a.week))?;
            let rule = &config.policy.adaptation[a.rule];
            let action = &rule.actions[a.action];
            f.field(&rule.name)?;
            f.field(&action.name)?;
            f.field(action.lever.name())?;
            match a.region {
                Some(r) => f.field(&config.regions[r].name)?,
                None if action.regions.is_empty() => f.field("all")?,
                None => f.field(action.regions.join(";"))?,
            }
            f.value(a.size)?;
            f.end()?;
        }
    }
    f.finish()
}
