//! Run a scenario's replications from Rust, without the command line: the
//! README's first Rust example. From the repository's folder:
//!
//! ```sh
//! cargo run --release --example run_scenario
//! ```
//!
//! (`tests/examples.rs` runs it, and checks that the README shows this code.)

use std::error::Error;

pub fn main() -> Result<(), Box<dyn Error>> {
    let scenario = foresight::scenario::load("scenarios/baseline.yaml".as_ref())?;
    let result =
        foresight::run::run_scenario(&scenario, scenario.seed, scenario.replications, &|| {});
    println!(
        "{} replications of {}: {:.3e} person-weeks",
        result.outcomes.len(),
        scenario.name,
        result.person_weeks
    );
    Ok(())
}
