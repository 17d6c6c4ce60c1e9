//! Running an experiment: every (scenario, policy, sample, replication)
//! cell in parallel with rayon, reduced in cell order into bounded-memory
//! summaries. Cells run in batches; each batch is folded in cell order, so
//! the results are the same whatever the number of threads or the order in
//! which cells finish. Each cell's random streams depend only on the master
//! seed and the cell's (scenario, sample, replication): every policy meets
//! the same futures.

use rayon::prelude::*;

use super::Experiment;
use super::stats::{STATS, SeriesAccumulator};
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
/// replications: `stats[point × STATS.len() + stat]` with the stats of
/// [`STATS`], point = (week × slots + slot) × indicators + indicator.
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
    /// The statistics of a point, in [`STATS`] order (count, mean, sd, p5,
    /// p25, p50, p75, p95).
    pub fn get(&self, week: usize, slot: usize, indicator: usize) -> &[f64] {
        let n = STATS.len();
        let point = (week * self.slots + slot) * self.indicators + indicator;
        &self.stats[point * n..point * n + n]
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
    let total = exp.cells() as usize;
    let (np, nr) = (exp.policies.len(), exp.replications as usize);
    // Batches span (scenario, policy) pairs so that every thread has work
    // even when a pair has few cells; they bound the memory of finished
    // series waiting to be folded. The batch size does not change any result.
    let batch = (rayon::current_num_threads() * 4).max(4);
    let mut summaries = Vec::new();
    let mut outcomes = Vec::with_capacity(total.min(10_000_000));
    let mut person_weeks = 0.0;
    // Folding is in cell order, so one pair's accumulator is open at a time.
    let mut acc: Option<SeriesAccumulator> = None;
    let mut start = 0;
    while start < total {
        let end = (start + batch).min(total);
        let results: Vec<(CellId, ReplicationResult)> = (start..end)
            .into_par_iter()
            .map(|i| {
                let cell = CellId {
                    scenario: i / per_pair / np,
                    policy: i / per_pair % np,
                    sample: i % per_pair / nr,
                    replication: (i % nr) as u32,
                };
                let key = ReplicationKey {
                    master_seed: exp.seed,
                    scenario: exp.stream_scenario(cell.scenario).to_string(),
                    sample: cell.sample as u32,
                    replication: cell.replication,
                };
                let r = run_replication(exp.config(cell.scenario, cell.policy, cell.sample), key);
                progress();
                (cell, r)
            })
            .collect();
        for (offset, (cell, r)) in results.iter().enumerate() {
            let i = start + offset;
            let a = acc.get_or_insert_with(|| SeriesAccumulator::new(points));
            a.add(&r.series.values);
            person_weeks += r.person_weeks;
            sink(cell, r)?;
            outcomes.push(Outcome {
                cell: *cell,
                seed: r.seed,
                headline: r.headline.clone(),
            });
            if i % per_pair == per_pair - 1 {
                let done = acc.take().expect("open accumulator");
                summaries.push(PairSummary {
                    scenario: cell.scenario,
                    policy: cell.policy,
                    weeks,
                    slots,
                    indicators: names.len(),
                    stats: done.finish(),
                });
            }
        }
        start = end;
    }
    Ok(ExperimentResult {
        summaries,
        outcomes,
        indicator_names: names,
        person_weeks,
    })
}
