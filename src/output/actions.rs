//! `actions.csv`: every step the adaptive rules took, per cell, in the
//! order taken (a release has a negative size).

use super::OutputError;
use super::folder::RunFolder;
use super::format::Format;
use super::table::{Column, Kind, TableFile};
use crate::experiment::{Experiment, ExperimentResult};

/// The table's stem.
pub const TABLE: &str = "actions";

/// Whether any configuration of the run has adaptive rules.
pub fn has_rules(exp: &Experiment) -> bool {
    exp.configs.iter().any(|c| !c.policy.adaptation.is_empty())
}

pub fn write_actions(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    format: Format,
) -> Result<(), OutputError> {
    let mut cols = Vec::new();
    if !exp.plain {
        cols.push(Column::new("scenario", Kind::Text));
        cols.push(Column::new("policy", Kind::Text));
        cols.push(Column::new("sample", Kind::Int));
    }
    cols.push(Column::new("replication", Kind::Int));
    cols.push(Column::new("week", Kind::Int));
    cols.extend(["rule", "action", "lever", "region"].map(|n| Column::new(n, Kind::Text)));
    cols.push(Column::new("size", Kind::Value));
    let mut f = TableFile::create(folder, TABLE, format, cols)?;
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
                None => f.field(&action.regions.join(";"))?,
            }
            f.value(a.size)?;
            f.end()?;
        }
    }
    f.finish().map(drop)
}
