//! `events.csv` and `event_counts.csv`: the wildcards' events in every
//! random future of a run. Events are drawn on streams keyed by the future
//! (scenario, sample, replication), never by the policy, so they are the
//! same for every policy and are listed once per future, drawn again here
//! from the futures' identities rather than carried out of the simulation
//! (the same bytes after a resume or a shard merge).

use super::OutputError;
use super::csv_file::CsvFile;
use super::folder::RunFolder;
use crate::experiment::Experiment;
use crate::experiment::runner::replication_key;
use crate::model::wildcards::{draw_events, event_regions};

/// The files written when the run's world has wildcards.
pub const FILES: [&str; 2] = ["events.csv", "event_counts.csv"];

/// Whether any configuration of the run has wildcards.
pub fn has_wildcards(exp: &Experiment) -> bool {
    exp.configs.iter().any(|c| !c.wildcards.is_empty())
}

/// Write both files: `events.csv`, one row per event (a plain run without
/// the scenario and sample columns), and `event_counts.csv`, per future and
/// wildcard the number of events (zeros included).
pub fn write_events(folder: &RunFolder, exp: &Experiment) -> Result<(), OutputError> {
    let future = if exp.plain {
        &["replication"][..]
    } else {
        &["scenario", "sample", "replication"][..]
    };
    let mut events = CsvFile::new(folder.file(FILES[0])?);
    events.record(future.iter().chain(&[
        "week",
        "wildcard",
        "kind",
        "region",
        "size",
        "duration_weeks",
    ]))?;
    let mut counts = CsvFile::new(folder.file(FILES[1])?);
    counts.record(future.iter().chain(&["wildcard", "kind", "events"]))?;
    for scenario in 0..exp.scenarios.len() {
        for sample in 0..exp.samples.len() {
            // Wildcards are part of the world, which policies do not change.
            let config = exp.config(scenario, 0, sample);
            for replication in 0..exp.replications {
                let key = replication_key(exp, scenario, sample, replication);
                let drawn = draw_events(config, &key);
                let start = |f: &mut CsvFile| -> Result<(), OutputError> {
                    if !exp.plain {
                        f.field(&exp.scenarios[scenario])?;
                        f.int(sample as u64)?;
                    }
                    f.int(u64::from(replication))
                };
                for e in &drawn {
                    let w = &config.wildcards[e.wildcard];
                    start(&mut events)?;
                    events.int(u64::from(e.start_week))?;
                    events.field(&w.name)?;
                    events.field(w.kind.name())?;
                    events.field(event_regions(config, e))?;
                    events.value(e.size)?;
                    events.int(u64::from(e.duration_weeks))?;
                    events.end()?;
                }
                for (i, w) in config.wildcards.iter().enumerate() {
                    start(&mut counts)?;
                    counts.field(&w.name)?;
                    counts.field(w.kind.name())?;
                    counts.int(drawn.iter().filter(|e| e.wildcard == i).count() as u64)?;
                    counts.end()?;
                }
            }
        }
    }
    events.finish()?;
    counts.finish()
}
