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
    // count, mean, sd and percentiles of one point, found by name: a
    // (scenario, policy) pair, a week, a region ("all": the national total)
    // and an indicator (docs/model.md, section 5, lists them).
    let (scenario, policy) = (&exp.scenarios[0], &exp.policies[0]);
    let week = exp.horizon_weeks as usize - 1; // the last week
    let summary = result.summary(scenario, policy)?;
    let stats = summary.get_by_name(week, "all", "language_mean_wait_weeks")?;

    println!(
        "{scenario} / {policy}: language-course wait in the last week, national: median {:.1} weeks (p5 {:.1}, p95 {:.1})",
        stats.p50, stats.p5, stats.p95
    );
    print!("{}", foresight::output::robustness_table(&exp, &robustness));
    Ok(())
}
