//! `events.csv` and `event_counts.csv`: the wildcards' events in every
//! random future of a run. Events are drawn on streams keyed by the future
//! (scenario, sample, replication), never by the policy, so they are the
//! same for every policy and are listed once per future, drawn again here
//! from the futures' identities rather than carried out of the simulation
//! (the same bytes after a resume or a shard merge).

use super::OutputError;
use super::folder::RunFolder;
use super::format::Format;
use super::table::{Column, Kind, TableFile};
use crate::experiment::Experiment;
use crate::experiment::runner::replication_key;
use crate::model::wildcards::{draw_events, event_regions};

/// The tables written when the run's world has wildcards (by stem).
pub const EVENTS: &str = "events";
pub const COUNTS: &str = "event_counts";

/// Whether any configuration of the run has wildcards.
pub fn has_wildcards(exp: &Experiment) -> bool {
    exp.configs.iter().any(|c| !c.wildcards.is_empty())
}

/// Write both files: `events.csv`, one row per event (a plain run without
/// the scenario and sample columns), and `event_counts.csv`, per future and
/// wildcard the number of events (zeros included).
pub fn write_events(
    folder: &RunFolder,
    exp: &Experiment,
    format: Format,
) -> Result<(), OutputError> {
    let mut future = Vec::new();
    if !exp.plain {
        future.push(Column::new("scenario", Kind::Text));
        future.push(Column::new("sample", Kind::Int));
    }
    future.push(Column::new("replication", Kind::Int));
    let mut cols = future.clone();
    cols.extend([
        Column::new("week", Kind::Int),
        Column::new("wildcard", Kind::Text),
        Column::new("kind", Kind::Text),
        Column::new("region", Kind::Text),
        Column::new("size", Kind::Value),
        Column::new("duration_weeks", Kind::Int),
    ]);
    let mut events = TableFile::create(folder, EVENTS, format, cols)?;
    let mut cols = future;
    cols.extend([
        Column::new("wildcard", Kind::Text),
        Column::new("kind", Kind::Text),
        Column::new("events", Kind::Int),
    ]);
    let mut counts = TableFile::create(folder, COUNTS, format, cols)?;
    for scenario in 0..exp.scenarios.len() {
        for sample in 0..exp.samples.len() {
            // Wildcards are part of the world, which policies do not change.
            let config = exp.config(scenario, 0, sample);
            for replication in 0..exp.replications {
                let key = replication_key(exp, scenario, sample, replication);
                let drawn = draw_events(config, &key);
                let start = |f: &mut TableFile| -> Result<(), OutputError> {
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
                    events.field(&event_regions(config, e))?;
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
    counts.finish().map(drop)
}
