//! Running a plain scenario's replications from Rust: a one-scenario,
//! one-policy experiment. For several scenarios, policies and uncertainties
//! see [`crate::experiment`].

use crate::experiment::{Experiment, ExperimentResult, run_experiment};
use crate::scenario::Scenario;

/// Run `replications` replications of a scenario with master seed `seed`;
/// `progress` is told of each finished replication (from any thread).
pub fn run_scenario(
    scenario: &Scenario,
    seed: u64,
    replications: u32,
    progress: &(dyn Fn() + Sync),
) -> ExperimentResult {
    let mut s = scenario.clone();
    s.seed = seed;
    s.replications = replications;
    let exp = Experiment::from_scenario(s);
    match run_experiment::<std::convert::Infallible>(&exp, progress, &mut |_, _| Ok(())) {
        Ok(r) => r,
        Err(never) => match never {},
    }
}
