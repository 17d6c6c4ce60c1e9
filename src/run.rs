//! Running replications: many cheap, self-contained calls of
//! [`run_replication`] in parallel with rayon, collected in replication
//! order so that results do not depend on the number of threads.

use rayon::prelude::*;

use crate::model::{ReplicationKey, ReplicationResult, run_replication};
use crate::scenario::Scenario;

/// The results of running one scenario.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub scenario_name: String,
    pub master_seed: u64,
    /// Replication results, in replication order.
    pub replications: Vec<ReplicationResult>,
}

impl RunResult {
    /// Persons present summed over weeks and replications.
    pub fn person_weeks(&self) -> f64 {
        self.replications.iter().map(|r| r.person_weeks).sum()
    }
}

/// Run `replications` replications of a scenario with master seed `seed`.
/// `progress` is called once per finished replication (from any thread).
pub fn run_scenario(
    scenario: &Scenario,
    seed: u64,
    replications: u32,
    progress: &(dyn Fn() + Sync),
) -> RunResult {
    let results: Vec<ReplicationResult> = (0..replications)
        .into_par_iter()
        .map(|i| {
            let r = run_replication(scenario, ReplicationKey::new(seed, i));
            progress();
            r
        })
        .collect();
    RunResult {
        scenario_name: scenario.name.clone(),
        master_seed: seed,
        replications: results,
    }
}
