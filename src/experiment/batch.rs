//! Running cells outside an experiment's own design: any list of
//! (configuration, replication key), run in parallel on the rayon pool,
//! each reduced on the thread that ran it, the results in the list's
//! order. A cell's result depends on its configuration and key alone, so
//! the results do not depend on the number of threads. The Python package's
//! EMA Workbench connector runs a whole Workbench design in one call here.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::model::{ReplicationKey, ReplicationResult, run_replication};
use crate::scenario::Scenario;

/// One replication to run.
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub config: &'a Scenario,
    pub key: ReplicationKey,
}

/// Run `cells` in parallel; `reduce` turns each cell's result (with its
/// index) into what is kept, on the worker thread, so that full series need
/// not be held. `progress` is told of each finished cell (from any thread).
/// Returns None if `stop` was raised before every cell ran (cells under way
/// finish; no new one starts).
pub fn run_cells<T: Send>(
    cells: &[Cell<'_>],
    progress: &(dyn Fn() + Sync),
    stop: Option<&AtomicBool>,
    reduce: &(dyn Fn(usize, ReplicationResult) -> T + Sync),
) -> Option<Vec<T>> {
    let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
    cells
        .par_iter()
        .enumerate()
        // One cell per task: cells take a second or more each, and uneven
        // ones would otherwise leave a thread idle at the end.
        .with_max_len(1)
        .map(|(i, c)| {
            if stopped() {
                return None;
            }
            let r = run_replication(c.config, c.key.clone());
            progress();
            Some(reduce(i, r))
        })
        .collect()
}
