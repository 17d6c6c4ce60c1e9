//! Running an experiment: every (scenario, policy, sample, replication)
//! cell in parallel with rayon, reduced in cell order into bounded-memory
//! summaries. Cells run in batches; each batch is folded in cell order, so
//! the results are the same whatever the number of threads or the order in
//! which cells finish. Each cell's random streams depend only on the master
//! seed and the cell's (scenario, sample, replication): every policy meets
//! the same futures.

use rayon::prelude::*;

use super::Experiment;
use super::stats::SeriesAccumulator;
use crate::model::{ReplicationKey, ReplicationResult, indicators, run_replication};

/// A cell of the experiment (indices into the experiment's sorted lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellId {
    pub scenario: usize,
    pub policy: usize,
    pub sample: usize,
    pub replication: u32,
}

/// One cell's headline indicators.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub cell: CellId,
    /// The cell's seed (a digest of its key).
    pub seed: u64,
    /// One value per name in [`crate::model::HEADLINES`].
    pub headline: Vec<f64>,
}

/// The summary statistics of one (scenario, policy) across samples and
/// replications: `stats[point × 6 + stat]` with the stats of
/// [`super::stats::STATS`], point = (week × slots + slot) × indicators + indicator.
#[derive(Debug, Clone)]
pub struct PairSummary {
    pub scenario: usize,
    pub policy: usize,
    pub weeks: usize,
    pub slots: usize,
    pub indicators: usize,
    pub stats: Vec<f64>,
}

impl PairSummary {
    /// The statistics (count, mean, sd, p5, p50, p95) of a point.
    pub fn get(&self, week: usize, slot: usize, indicator: usize) -> &[f64] {
        let point = (week * self.slots + slot) * self.indicators + indicator;
        &self.stats[point * 6..point * 6 + 6]
    }
}

/// Everything an experiment produced, in memory.
#[derive(Debug, Clone)]
pub struct ExperimentResult {
    /// Per (scenario, policy), in that order.
    pub summaries: Vec<PairSummary>,
    /// Per cell, in cell order (scenario, policy, sample, replication).
    pub outcomes: Vec<Outcome>,
    pub indicator_names: Vec<String>,
    pub person_weeks: f64,
}

/// Run every cell. `progress` is told of each finished cell (from any
/// thread); `sink` sees each replication in cell order (to keep series) and
/// may stop the run with an error.
pub fn run_experiment<E>(
    exp: &Experiment,
    progress: &(dyn Fn() + Sync),
    sink: &mut dyn FnMut(&CellId, &ReplicationResult) -> Result<(), E>,
) -> Result<ExperimentResult, E> {
    let names = indicators::names(exp.horizon_weeks);
    let weeks = exp.horizon_weeks as usize;
    let slots = exp.region_names.len() + 1;
    let points = weeks * slots * names.len();
    let per_pair = exp.samples.len() * exp.replications as usize;
    // Batches bound the memory of finished series waiting to be folded; the
    // batch size does not change any result.
    let batch = (rayon::current_num_threads() * 4).max(4);
    let mut summaries = Vec::new();
    let mut outcomes = Vec::with_capacity(exp.cells().min(10_000_000) as usize);
    let mut person_weeks = 0.0;
    for s in 0..exp.scenarios.len() {
        for p in 0..exp.policies.len() {
            let mut acc = SeriesAccumulator::new(points);
            let mut start = 0;
            while start < per_pair {
                let end = (start + batch).min(per_pair);
                let results: Vec<(CellId, ReplicationResult)> = (start..end)
                    .into_par_iter()
                    .map(|i| {
                        let cell = CellId {
                            scenario: s,
                            policy: p,
                            sample: i / exp.replications as usize,
                            replication: (i % exp.replications as usize) as u32,
                        };
                        let key = ReplicationKey {
                            master_seed: exp.seed,
                            scenario: exp.stream_scenario(s).to_string(),
                            sample: cell.sample as u32,
                            replication: cell.replication,
                        };
                        let r = run_replication(exp.config(s, p, cell.sample), key);
                        progress();
                        (cell, r)
                    })
                    .collect();
                for (cell, r) in &results {
                    acc.add(&r.series.values);
                    person_weeks += r.person_weeks;
                    sink(cell, r)?;
                    outcomes.push(Outcome {
                        cell: *cell,
                        seed: r.seed,
                        headline: r.headline.clone(),
                    });
                }
                start = end;
            }
            summaries.push(PairSummary {
                scenario: s,
                policy: p,
                weeks,
                slots,
                indicators: names.len(),
                stats: acc.finish(),
            });
        }
    }
    Ok(ExperimentResult {
        summaries,
        outcomes,
        indicator_names: names,
        person_weeks,
    })
}
