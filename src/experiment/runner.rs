//! Running an experiment: every (scenario, policy, sample, replication)
//! cell in parallel with rayon, reduced in a fixed order into bounded-memory
//! summaries.
//!
//! The reduction has two levels, fixed by the experiment alone (see
//! [`Plan`]): the cells of a (scenario, policy) pair are split into at most
//! [`MAX_BLOCKS_PER_PAIR`] blocks of consecutive cells; each block's series
//! are folded in cell order into a block accumulator, and the blocks are
//! merged in block order into the pair's summary. A block is therefore the
//! unit that can be recorded (the journal of an interrupted run), computed
//! elsewhere (a shard on another machine) and merged later, always giving the
//! same bytes as one uninterrupted run on one machine, whatever the number of
//! threads or the order in which cells finish.
//!
//! Each cell's random streams depend only on the master seed and the cell's
//! (scenario, sample, replication): every policy meets the same futures.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use std::sync::Arc;

use super::Experiment;
use super::stats::SeriesAccumulator;
use super::summary::{self, NATIONAL, Names};
pub use super::summary::{LookupError, PairSummary, PointStats};
use crate::model::indicators::{UnknownName, headline};
use crate::model::{ReplicationKey, ReplicationResult, indicators, run_replication};

/// The most blocks a (scenario, policy) pair is split into: the finest
/// unit of sharding and resuming, and a bound on the summary state a shard
/// carries (one accumulator per block).
pub const MAX_BLOCKS_PER_PAIR: u64 = 16;

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
    /// One value per entry of [`crate::model::HEADLINES`], in that order.
    pub headline: Vec<f64>,
    /// The adaptive rules' steps (`actions.csv`).
    pub actions: Vec<crate::model::adaptation::ActionTaken>,
    /// The cell's yearly accounts and beyond-fiscal totals
    /// ([`crate::analysis::cost_benefit::cell_accounts`]).
    pub accounts: Vec<f64>,
    /// The cell's cohort values ([`ReplicationResult::cohorts`]) when the
    /// run keeps every cell's results ([`Hooks::keep_cohorts`]); empty
    /// otherwise, so that memory does not grow with the cells.
    pub cohorts: Vec<f64>,
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
    /// Seconds the calling thread spent on the runner's own work (folding
    /// each cell into its block and summary, in order, and the hooks),
    /// whether or not other threads helped with the fold's chunks: the
    /// part of a run that does not shrink with more threads unless the fold
    /// is shared. Measured, never written to an output.
    pub runner_seconds: f64,
    /// Of which folding series into the accumulators (adding each cell,
    /// merging blocks, the summaries' statistics): the part that other
    /// threads can share ([`SeriesAccumulator::add`]).
    pub fold_seconds: f64,
    /// The scenario, policy, region and indicator names of the summaries.
    pub names: Arc<Names>,
}

impl ExperimentResult {
    /// The summary of a (scenario, policy) by name.
    pub fn summary(&self, scenario: &str, policy: &str) -> Result<&PairSummary, UnknownName> {
        let s = summary::position("scenario", &self.names.scenarios, scenario)?;
        let p = summary::position("policy", &self.names.policies, policy)?;
        Ok(self
            .summaries
            .iter()
            .find(|x| x.scenario == s && x.policy == p)
            .expect("a summary per (scenario, policy)"))
    }
}

impl Outcome {
    /// A headline indicator by name, or an error listing the names.
    pub fn headline_value(&self, name: &str) -> Result<f64, UnknownName> {
        headline::position(name).map(|i| self.headline[i])
    }
}

/// How an experiment's cells are grouped into blocks. Cells are numbered in
/// order (scenario, policy, sample, replication); blocks are numbered in the
/// same order, `blocks_per_pair` to a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub pairs: u64,
    pub cells_per_pair: u64,
    pub cells_per_block: u64,
    pub blocks_per_pair: u64,
    policies: u64,
    replications: u64,
}

impl Plan {
    pub fn new(exp: &Experiment) -> Plan {
        let cells_per_pair = exp.samples.len() as u64 * u64::from(exp.replications);
        let cells_per_block = cells_per_pair.div_ceil(MAX_BLOCKS_PER_PAIR).max(1);
        Plan {
            pairs: (exp.scenarios.len() * exp.policies.len()) as u64,
            cells_per_pair,
            cells_per_block,
            blocks_per_pair: cells_per_pair.div_ceil(cells_per_block),
            policies: exp.policies.len() as u64,
            replications: u64::from(exp.replications),
        }
    }

    pub fn cells(&self) -> u64 {
        self.pairs * self.cells_per_pair
    }

    pub fn blocks(&self) -> u64 {
        self.pairs * self.blocks_per_pair
    }

    /// The cells of block `b`.
    pub fn block_cells(&self, b: u64) -> Range<u64> {
        let pair = b / self.blocks_per_pair;
        let start = pair * self.cells_per_pair + b % self.blocks_per_pair * self.cells_per_block;
        let end = (start + self.cells_per_block).min((pair + 1) * self.cells_per_pair);
        start..end
    }

    /// Whether block `b` is the last of its pair.
    pub fn ends_pair(&self, b: u64) -> bool {
        b % self.blocks_per_pair == self.blocks_per_pair - 1
    }

    /// The blocks of shard `k` of `n` (0-based): contiguous, as even as
    /// possible, together every block exactly once.
    pub fn shard_blocks(&self, k: u64, n: u64) -> Range<u64> {
        let b = u128::from(self.blocks());
        let at = |i: u64| (b * u128::from(i) / u128::from(n)) as u64;
        at(k)..at(k + 1)
    }

    pub fn cell(&self, i: u64) -> CellId {
        let pair = i / self.cells_per_pair;
        let within = i % self.cells_per_pair;
        CellId {
            scenario: (pair / self.policies) as usize,
            policy: (pair % self.policies) as usize,
            sample: (within / self.replications) as usize,
            replication: (within % self.replications) as u32,
        }
    }
}

/// One block's share of the summaries: its cells' series and cohort values
/// folded in cell order, their headlines, and the person-weeks simulated.
#[derive(Debug, Clone)]
pub struct BlockResult {
    pub index: u64,
    pub series: SeriesAccumulator,
    pub cohorts: SeriesAccumulator,
    pub outcomes: Vec<Outcome>,
    pub person_weeks: f64,
}

/// Why [`run_blocks`] stopped before the end.
#[derive(Debug)]
pub enum Stopped<E> {
    /// The stop flag was raised (Ctrl-C); every block finished before it
    /// has been handed over.
    Interrupted,
    /// A hook failed.
    Failed(E),
}

/// What [`run_blocks`] is told and tells as it goes.
pub struct Hooks<'a, E> {
    /// Told of each finished cell (from any thread).
    pub progress: &'a (dyn Fn() + Sync),
    /// Raised to stop: cells not yet started are not started.
    pub stop: Option<&'a AtomicBool>,
    /// Blocks already done (recorded in a journal): not run, but loaded
    /// with `load` when their turn comes.
    pub done: &'a dyn Fn(u64) -> bool,
    /// Whether done blocks are loaded and handed over (a shard needs only
    /// the new ones).
    pub load_done: bool,
    /// Whether each cell's cohort values are kept in its [`Outcome`] (when
    /// every cell's series is kept too).
    pub keep_cohorts: bool,
    pub load: &'a mut dyn FnMut(u64) -> Result<BlockResult, E>,
    /// Sees each newly run replication, in cell order (to keep series).
    pub cell: &'a mut dyn FnMut(&CellId, &ReplicationResult) -> Result<(), E>,
    /// Receives every block of the range in block order; `true` when it
    /// was run now rather than loaded.
    pub block: &'a mut dyn FnMut(BlockResult, bool) -> Result<(), E>,
}

/// Run the blocks `blocks` of the plan (those not done), handing every block
/// of the range to `hooks.block` in order. Returns the time the calling
/// thread spent on the runner's own work and, of it, on adding cells to
/// their blocks ([`ExperimentResult::runner_seconds`]).
pub fn run_blocks<E>(
    exp: &Experiment,
    plan: &Plan,
    blocks: Range<u64>,
    hooks: Hooks<'_, E>,
) -> Result<(Duration, Duration), Stopped<E>> {
    let points = points(exp);
    let cohort_points = cohort_points(exp);
    // The cells to run, in order.
    let todo: Vec<Range<u64>> = blocks
        .clone()
        .filter(|&b| !(hooks.done)(b))
        .map(|b| plan.block_cells(b))
        .collect();
    let mut cells = todo.iter().flat_map(|r| r.clone());
    let total: u64 = todo.iter().map(|r| r.end - r.start).sum();
    // Cells are started in order, each as a task of its own, at most
    // `window` ahead of the one being folded: every thread has work until
    // the end (no barrier between groups of cells), and the finished series
    // waiting to be folded are bounded. Folding stays in cell order, so
    // neither the window nor the order in which cells finish changes any
    // result.
    let window = (rayon::current_num_threads() * 4).max(4) as u64;
    let stopped = || hooks.stop.is_some_and(|s| s.load(Ordering::Relaxed));
    let progress = hooks.progress;
    let (sender, finished) = mpsc::channel::<Finished>();
    let mut next = blocks.start;
    let mut open: Option<BlockResult> = None;
    let (mut own, mut fold) = (Duration::ZERO, Duration::ZERO);
    rayon::in_place_scope(|scope| {
        let mut started = 0u64;
        let mut start = |n: u64| {
            let Some(i) = cells.next() else { return };
            let sender = sender.clone();
            scope.spawn(move |_| {
                let r = if stopped() {
                    None
                } else {
                    let cell = plan.cell(i);
                    let r = run_cell(exp, cell);
                    // The cell's accounts on this thread: off the calling
                    // thread, which folds cells in order.
                    let config = exp.config(cell.scenario, cell.policy, cell.sample);
                    let accounts = crate::analysis::cost_benefit::cell_accounts(&r.series, config);
                    progress();
                    Some((r, accounts))
                };
                // The receiver outlives the scope: sending cannot fail.
                let _ = sender.send((n, i, r));
            });
        };
        while started < total.min(window) {
            start(started);
            started += 1;
        }
        type Done = Option<(ReplicationResult, Vec<f64>)>;
        let mut waiting: BTreeMap<u64, (u64, Done)> = BTreeMap::new();
        for n in 0..total {
            let (i, r) = loop {
                if let Some(done) = waiting.remove(&n) {
                    break done;
                }
                let (k, i, r) = receive(&finished);
                waiting.insert(k, (i, r));
            };
            let since = Instant::now();
            if started < total && !stopped() {
                start(started);
                started += 1;
            }
            let Some((r, accounts)) = r else {
                return Err(Stopped::Interrupted);
            };
            let b = block_of(plan, i);
            // Hand over the recorded blocks that come before this one.
            while next < b {
                if hooks.load_done {
                    let loaded = (hooks.load)(next).map_err(Stopped::Failed)?;
                    (hooks.block)(loaded, false).map_err(Stopped::Failed)?;
                }
                next += 1;
            }
            let cells_in_block = (plan.block_cells(b).end - plan.block_cells(b).start) as usize;
            let block = open.get_or_insert_with(|| BlockResult {
                index: b,
                series: SeriesAccumulator::with_capacity(points, cells_in_block),
                cohorts: SeriesAccumulator::with_capacity(cohort_points, cells_in_block),
                outcomes: Vec::with_capacity(plan.cells_per_block as usize),
                person_weeks: 0.0,
            });
            let cell = plan.cell(i);
            let folding = Instant::now();
            block.series.add(&r.series.values);
            block.cohorts.add(&r.cohorts);
            fold += folding.elapsed();
            block.person_weeks += r.person_weeks;
            (hooks.cell)(&cell, &r).map_err(Stopped::Failed)?;
            block.outcomes.push(Outcome {
                cell,
                seed: r.seed,
                accounts,
                headline: r.headline,
                actions: r.actions,
                cohorts: if hooks.keep_cohorts {
                    r.cohorts
                } else {
                    Vec::new()
                },
            });
            if i + 1 == plan.block_cells(b).end {
                let done = open.take().expect("open block");
                (hooks.block)(done, true).map_err(Stopped::Failed)?;
                next = b + 1;
            }
            own += since.elapsed();
            if stopped() && n + 1 == started {
                return Err(Stopped::Interrupted);
            }
        }
        Ok(())
    })?;
    if stopped() {
        return Err(Stopped::Interrupted);
    }
    while next < blocks.end {
        if hooks.load_done {
            let loaded = (hooks.load)(next).map_err(Stopped::Failed)?;
            (hooks.block)(loaded, false).map_err(Stopped::Failed)?;
        }
        next += 1;
    }
    Ok((own, fold))
}

/// A finished cell: its place in the run's order, its id, its result and
/// accounts (none if it was not run because of a stop).
type Finished = (u64, u64, Option<(ReplicationResult, Vec<f64>)>);

/// The next finished cell. A thread of the pool runs waiting cells
/// meanwhile (it must: in a one-thread pool nobody else would); any other
/// thread blocks.
fn receive(finished: &mpsc::Receiver<Finished>) -> Finished {
    loop {
        if let Ok(done) = finished.try_recv() {
            return done;
        }
        match rayon::yield_now() {
            Some(rayon::Yield::Executed) => {}
            Some(rayon::Yield::Idle) => {
                // Every started cell is running elsewhere.
                if let Ok(done) = finished.recv_timeout(Duration::from_millis(1)) {
                    return done;
                }
            }
            None => return finished.recv().expect("the sender outlives the run"),
        }
    }
}

fn block_of(plan: &Plan, cell: u64) -> u64 {
    let pair = cell / plan.cells_per_pair;
    pair * plan.blocks_per_pair + cell % plan.cells_per_pair / plan.cells_per_block
}

/// Run one cell's replication.
pub fn run_cell(exp: &Experiment, cell: CellId) -> ReplicationResult {
    let key = replication_key(exp, cell.scenario, cell.sample, cell.replication);
    run_replication(exp.config(cell.scenario, cell.policy, cell.sample), key)
}

/// The identity of a random future: every policy's cell in it has this key.
pub fn replication_key(
    exp: &Experiment,
    scenario: usize,
    sample: usize,
    replication: u32,
) -> ReplicationKey {
    ReplicationKey {
        master_seed: exp.seed,
        scenario: exp.stream_scenario(scenario).to_string(),
        sample: sample as u32,
        replication,
    }
}

/// Series points per replication: weeks × (regions + national) × indicators.
pub fn points(exp: &Experiment) -> usize {
    exp.horizon_weeks as usize
        * (exp.region_names.len() + 1)
        * indicators::count_for(exp.horizon_weeks)
}

/// Cohort values per replication: cohorts × years since arrival × cohort
/// indicators.
pub fn cohort_points(exp: &Experiment) -> usize {
    indicators::cohort::points(exp.horizon_weeks)
}

/// Merges blocks, in block order, into the summaries of each pair: the one
/// reduction every run uses (on one machine, resumed, or merged from shards).
pub struct Summariser {
    plan: Plan,
    weeks: usize,
    slots: usize,
    /// Complete years of the horizon (cohorts observed).
    years: usize,
    names: Vec<String>,
    next: u64,
    pair: Option<(SeriesAccumulator, SeriesAccumulator)>,
    result: ExperimentResult,
}

impl Summariser {
    pub fn new(exp: &Experiment) -> Summariser {
        let plan = Plan::new(exp);
        let names = indicators::names(exp.horizon_weeks);
        let mut regions = exp.region_names.clone();
        regions.push(NATIONAL.to_string());
        let axes = Arc::new(Names {
            scenarios: exp.scenarios.clone(),
            policies: exp.policies.clone(),
            regions,
            indicators: names.clone(),
        });
        Summariser {
            plan,
            weeks: exp.horizon_weeks as usize,
            slots: exp.region_names.len() + 1,
            years: indicators::cohort::years(exp.horizon_weeks),
            next: 0,
            pair: None,
            result: ExperimentResult {
                summaries: Vec::new(),
                outcomes: Vec::with_capacity(plan.cells().min(10_000_000) as usize),
                indicator_names: names.clone(),
                person_weeks: 0.0,
                runner_seconds: 0.0,
                fold_seconds: 0.0,
                names: axes,
            },
            names,
        }
    }

    /// Add the next block (blocks must come in order).
    pub fn add(&mut self, block: BlockResult) {
        assert_eq!(block.index, self.next, "blocks are merged in order");
        self.next += 1;
        match &mut self.pair {
            Some((series, cohorts)) => {
                series.merge(&block.series);
                cohorts.merge(&block.cohorts);
            }
            None => {
                // The first block becomes the pair's accumulator (its
                // moments as they are), with room for the pair's values.
                let (mut series, mut cohorts) = (block.series, block.cohorts);
                series.reserve(self.plan.cells_per_pair as usize);
                cohorts.reserve(self.plan.cells_per_pair as usize);
                self.pair = Some((series, cohorts));
            }
        }
        self.result.person_weeks += block.person_weeks;
        self.result.outcomes.extend(block.outcomes);
        if self.plan.ends_pair(block.index) {
            let pair = block.index / self.plan.blocks_per_pair;
            let (series, cohorts) = self.pair.take().expect("open pair");
            self.result.summaries.push(PairSummary {
                scenario: (pair / self.plan.policies) as usize,
                policy: (pair % self.plan.policies) as usize,
                weeks: self.weeks,
                slots: self.slots,
                indicators: self.names.len(),
                stats: series.finish(),
                years: self.years,
                cohort_stats: cohorts.finish(),
                names: self.result.names.clone(),
            });
        }
    }

    /// The summaries, once every block has been added.
    pub fn finish(self) -> ExperimentResult {
        assert_eq!(self.next, self.plan.blocks(), "every block merged");
        self.result
    }
}

/// Run every cell in memory. `progress` is told of each finished cell (from
/// any thread); `sink` sees each replication in cell order (to keep series)
/// and may stop the run with an error. Each cell's cohort values are kept in
/// its outcome for a plain scenario of up to
/// [`SERIES_BY_DEFAULT`](crate::run::SERIES_BY_DEFAULT) replications, as a
/// run into a folder keeps them.
pub fn run_experiment<E>(
    exp: &Experiment,
    progress: &(dyn Fn() + Sync),
    sink: &mut dyn FnMut(&CellId, &ReplicationResult) -> Result<(), E>,
) -> Result<ExperimentResult, E> {
    match run_in_memory(exp, progress, None, sink) {
        Ok(r) => Ok(r),
        Err(Stopped::Failed(e)) => Err(e),
        Err(Stopped::Interrupted) => unreachable!("no stop flag"),
    }
}

/// [`run_experiment`] that stops when `stop` is raised (by a caller's
/// Ctrl-C handler, from any thread): cells under way finish, no new cell
/// starts, and nothing is returned but [`Stopped::Interrupted`].
pub fn run_experiment_until<E>(
    exp: &Experiment,
    progress: &(dyn Fn() + Sync),
    stop: &AtomicBool,
    sink: &mut dyn FnMut(&CellId, &ReplicationResult) -> Result<(), E>,
) -> Result<ExperimentResult, Stopped<E>> {
    run_in_memory(exp, progress, Some(stop), sink)
}

fn run_in_memory<E>(
    exp: &Experiment,
    progress: &(dyn Fn() + Sync),
    stop: Option<&AtomicBool>,
    sink: &mut dyn FnMut(&CellId, &ReplicationResult) -> Result<(), E>,
) -> Result<ExperimentResult, Stopped<E>> {
    let plan = Plan::new(exp);
    let mut summariser = Summariser::new(exp);
    let mut merging = Duration::ZERO;
    let (own, fold) = run_blocks(
        exp,
        &plan,
        0..plan.blocks(),
        Hooks {
            progress,
            stop,
            done: &|_| false,
            load_done: false,
            keep_cohorts: exp.plain && exp.replications <= crate::run::SERIES_BY_DEFAULT,
            load: &mut |_| unreachable!("no block is recorded"),
            cell: sink,
            block: &mut |b, _| {
                let start = Instant::now();
                summariser.add(b);
                merging += start.elapsed();
                Ok(())
            },
        },
    )?;
    let mut result = summariser.finish();
    result.runner_seconds = own.as_secs_f64();
    result.fold_seconds = (fold + merging).as_secs_f64();
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(pairs: u64, cells_per_pair: u64) -> Plan {
        let cells_per_block = cells_per_pair.div_ceil(MAX_BLOCKS_PER_PAIR).max(1);
        Plan {
            pairs,
            cells_per_pair,
            cells_per_block,
            blocks_per_pair: cells_per_pair.div_ceil(cells_per_block),
            policies: 1,
            replications: cells_per_pair,
        }
    }

    #[test]
    fn blocks_cover_every_cell_once_in_order() {
        for (pairs, per_pair) in [(1, 1), (3, 6), (2, 16), (2, 17), (1, 10_000), (5, 33)] {
            let p = plan(pairs, per_pair);
            assert!(p.blocks_per_pair <= MAX_BLOCKS_PER_PAIR);
            let mut next = 0;
            for b in 0..p.blocks() {
                let r = p.block_cells(b);
                assert_eq!(r.start, next, "{pairs}×{per_pair} block {b}");
                assert!(r.end > r.start);
                for c in r.clone() {
                    assert_eq!(block_of(&p, c), b);
                }
                // No block spans two pairs.
                assert_eq!(r.start / per_pair, (r.end - 1) / per_pair);
                assert_eq!(p.ends_pair(b), r.end.is_multiple_of(per_pair));
                next = r.end;
            }
            assert_eq!(next, p.cells());
        }
    }

    #[test]
    fn shards_partition_the_blocks() {
        let p = plan(12, 6);
        for n in 1..=p.blocks() {
            let mut next = 0;
            for k in 0..n {
                let r = p.shard_blocks(k, n);
                assert_eq!(r.start, next);
                assert!(r.end > r.start, "shard {k}/{n} is empty");
                next = r.end;
            }
            assert_eq!(next, p.blocks());
        }
    }
}
