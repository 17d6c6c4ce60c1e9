//! Run an experiment from Rust and judge its policies: the README's second
//! Rust example. From the repository's folder (a minute or two):
//!
//! ```sh
//! cargo run --release --example run_experiment
//! ```
//!
//! (`tests/examples.rs` checks that the README shows this code; CI builds it.)

use std::error::Error;

use foresight::experiment::{self, judge, run_experiment};

pub fn main() -> Result<(), Box<dyn Error>> {
    let exp = experiment::load("scenarios/experiment.yaml".as_ref())?; // scenario or experiment file, validated
    let result = run_experiment(&exp, &|| {}, &mut |_, _| {
        Ok::<(), std::convert::Infallible>(())
    })?;
    let robustness = judge(&exp, &result.outcomes); // per-policy means, percentiles, regret, satisficing
    // count, mean, sd, p5, p25, p50, p75, p95 of one point of the first (scenario, policy):
    let week = exp.horizon_weeks as usize - 1; // the last week
    let slot = exp.region_names.len(); // the national total; a region's index for a region
    let indicator = result
        .indicator_names
        .iter()
        .position(|n| n == "language_mean_wait_weeks")
        .ok_or("no such indicator")?;
    let stats = result.summaries[0].get(week, slot, indicator);

    println!(
        "{} / {}: language-course wait in the last week, national: median {:.1} weeks (p5 {:.1}, p95 {:.1})",
        exp.scenarios[0], exp.policies[0], stats[5], stats[3], stats[7]
    );
    print!("{}", foresight::output::robustness_table(&exp, &robustness));
    Ok(())
}
