//! `scale` does not change the answer (docs/model.md, "What scale changes
//! and what it does not"): each headline indicator's mean at scale 5 and 10
//! is equivalent to its mean at scale 1.
//!
//! The test is an equivalence test (two one-sided tests, TOST) on paired
//! replications: replication r runs under the same key at every scale, so
//! that households and persons are the same, and d_r is its value at
//! scale k minus its value at scale 1. With d̄ the mean of the R
//! differences and SE its standard error, the means are equivalent when the
//! 90% confidence interval d̄ ± t(0.95, R − 1) · SE lies within ±δ (each
//! one-sided test at 5%), with the margin
//!
//!   δ = max(5% of |scale-1 mean|, the floor of the indicator's unit),
//!
//! floors: 10 persons (or households), 0.001 of a share, 0.005 of an index, 0.1 week (a
//! mean near 0, such as a peak of emergency accommodation that the baseline
//! hardly needs, would otherwise have a margin smaller than a household).
//! Replications are chosen so that each test has power: about 90% for the
//! noisiest headline of each scenario (the underemployment rate in the last
//! week, a ratio of few agents at scale 10) given the spread of its paired
//! differences measured when this test was written.
//!
//! Always on: the baseline, 20 replications at each scale, every headline
//! but `underemployment_rate_final` (whose spread at scale 10 needs some 70
//! replications: judged in the full suite). The full suite, every scenario
//! file in `scenarios/` and the bundled experiment's satisficing shares, is
//! ignored by `cargo test` (20–25 minutes on two cores) and run by
//! `.ci/run` (`cargo test --test scale -- --ignored`, as the test user on
//! `cargo test`'s build; the dev profile is optimised). To measure one
//! file's spread, FORESIGHT_SCALE_ONLY=surge judges only
//! `scenarios/surge.yaml`, and FORESIGHT_SCALE_REPS=160,40 sets its
//! replications at scales 1 and 10, and at 5.

use std::path::Path;

use foresight::experiment::robustness::judge;
use foresight::experiment::runner::{Outcome, Plan, run_cell};
use foresight::model::indicators::Unit;
use foresight::model::{HEADLINES, ReplicationKey, run_replication};
use foresight::scenario::Scenario;
use rayon::prelude::*;

/// The smallest margin in each unit (see the module's comment).
fn floor(unit: Unit) -> f64 {
    match unit {
        Unit::Persons | Unit::Households | Unit::Places | Unit::Jobs => 10.0,
        Unit::Share => 0.001,
        Unit::Index | Unit::Multiple => 0.005,
        Unit::Weeks => 0.1,
        Unit::Currency | Unit::CurrencyPerWeek => 0.0,
    }
}

/// The 95% quantile of Student's t with `df` degrees of freedom (Cornish–
/// Fisher expansion around the normal's 1.6449: within 0.002 for df ≥ 5).
fn t95(df: f64) -> f64 {
    let z: f64 = 1.644_853_6;
    z + (z.powi(3) + z) / (4.0 * df)
        + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * df.powi(2))
        + (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / (384.0 * df.powi(3))
}

/// One headline at one scale against scale 1.
struct Comparison {
    headline: &'static str,
    scale: u32,
    pairs: usize,
    mean1: f64,
    diff: f64,
    se: f64,
    margin: f64,
}

impl Comparison {
    fn upper(&self) -> f64 {
        t95(self.pairs as f64 - 1.0) * self.se
    }
    fn equivalent(&self) -> bool {
        self.diff.abs() + self.upper() <= self.margin
    }
}

/// Every replication's headline indicators at a scale.
fn headlines(s: &Scenario, scale: u32, reps: u32) -> Vec<Vec<f64>> {
    let mut s = s.clone();
    s.scale = scale;
    (0..reps)
        .into_par_iter()
        .map(|r| run_replication(&s, ReplicationKey::new(s.seed, r)).headline)
        .collect()
}

/// Compare each headline at each of `scales` (with its replications) with
/// scale 1.
fn compare(s: &Scenario, scales: &[(u32, u32)]) -> Vec<Comparison> {
    let reps1 = scales.iter().map(|x| x.1).max().unwrap_or(0);
    let one = headlines(s, 1, reps1);
    let mut out = Vec::new();
    for &(scale, reps) in scales {
        let k = headlines(s, scale, reps);
        for (h, headline) in HEADLINES.iter().enumerate() {
            // Undefined values (an empty field) pair with nothing.
            let pairs: Vec<(f64, f64)> = one
                .iter()
                .zip(&k)
                .map(|(a, b)| (a[h], b[h]))
                .filter(|(a, b)| !a.is_nan() && !b.is_nan())
                .collect();
            let n = pairs.len();
            if n < 3 {
                // Over the paired replications: scale 1 may have run more.
                assert_eq!(
                    one.iter().take(k.len()).filter(|a| a[h].is_nan()).count(),
                    k.iter().filter(|b| b[h].is_nan()).count(),
                    "{}: {} is undefined as often at every scale",
                    s.name,
                    headline.name
                );
                continue;
            }
            let mean1 = pairs.iter().map(|p| p.0).sum::<f64>() / n as f64;
            let d: Vec<f64> = pairs.iter().map(|p| p.1 - p.0).collect();
            let diff = d.iter().sum::<f64>() / n as f64;
            let var = d.iter().map(|x| (x - diff).powi(2)).sum::<f64>() / (n as f64 - 1.0);
            out.push(Comparison {
                headline: headline.name,
                scale,
                pairs: n,
                mean1,
                diff,
                se: (var / n as f64).sqrt(),
                margin: (0.05 * mean1.abs()).max(floor(headline.unit)),
            });
        }
    }
    out
}

/// Print the comparisons (Markdown, for docs/model.md) and return those
/// not shown equivalent.
fn report(name: &str, comparisons: &[Comparison]) -> Vec<String> {
    println!("\n{name}\n");
    println!(
        "| headline | scale | pairs | scale-1 mean | difference | 90% CI half-width | margin | equivalent |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut failed = Vec::new();
    for c in comparisons {
        println!(
            "| `{}` | {} | {} | {:.5} | {:+.5} | {:.5} | {:.5} | {} |",
            c.headline,
            c.scale,
            c.pairs,
            c.mean1,
            c.diff,
            c.upper(),
            c.margin,
            if c.equivalent() { "yes" } else { "**no**" }
        );
        if !c.equivalent() {
            failed.push(format!(
                "{name}: {} at scale {}: difference {:+} ± {} (90% CI) against a margin of {}",
                c.headline,
                c.scale,
                c.diff,
                c.upper(),
                c.margin
            ));
        }
    }
    failed
}

fn load(path: &Path) -> Scenario {
    foresight::scenario::load(path).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn baseline_headlines_are_the_same_at_scales_1_5_and_10() {
    let s = load(Path::new("scenarios/baseline.yaml"));
    // Two headlines are too noisy for 20 pairs to show equivalence (the
    // 90% interval alone is as wide as the margin): the underemployment
    // rate and the second generation's employment rate (a few hundred
    // young adults; at 20 pairs its interval was ±0.0154 against a margin
    // of 0.0151). The full suite judges both on 80 pairs.
    const NOISY: [&str; 2] = [
        "underemployment_rate_final",
        "second_generation_employment_rate_final",
    ];
    let comparisons: Vec<Comparison> = compare(&s, &[(5, 20), (10, 20)])
        .into_iter()
        .filter(|c| !NOISY.contains(&c.headline))
        .collect();
    assert_eq!(comparisons.len(), 2 * (HEADLINES.len() - NOISY.len()));
    let failed = report("baseline (20 replications)", &comparisons);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Replications at scale 1 and 10, and at scale 5, per scenario file
/// (enough for the underemployment rate's spread; 30 for a file not listed).
/// Scenario files the suite leaves out, and why: each is judged elsewhere.
const NOT_IN_SUITE: &[(&str, &str)] = &[(
    "germany_2015_2020",
    "the national hindcast: about 0.45 billion person-weeks per replication at any scale \
     (everyone is simulated), so 30 at each of three scales would take at least half an hour; \
     its world is germany_2015's, which the suite judges",
)];

fn replications(stem: &str) -> (u32, u32) {
    match stem {
        "baseline" => (80, 50),
        // The second generation's employment rate (a few hundred young
        // adults): 30 pairs gave +0.0043 +/- 0.0047 at scale 10 against a
        // margin of 0.0075, too few to show equivalence.
        "housing_pressure" => (120, 50),
        // The same headline: 30 pairs gave -0.0099 +/- 0.0083 at scale 10
        // against a margin of 0.0109.
        "wildcards" => (80, 50),
        "surge" => (70, 50),
        // The lowest region's attitude: 25 pairs at scale 5 gave
        // -0.0020 +/- 0.0052 against a margin of 0.0069.
        "labour_market_change" => (60, 50),
        "germany_2015" => (30, 30),
        _ => (30, 30),
    }
}

#[test]
#[ignore = "the full scale suite, 20-25 minutes on two cores: run by .ci/run"]
fn every_scenario_file_has_the_same_headlines_at_scales_1_5_and_10() {
    // FORESIGHT_SCALE_ONLY=surge judges one file; FORESIGHT_SCALE_REPS=160,40
    // overrides its replications (to measure a spread, not to pass the suite).
    let only = std::env::var("FORESIGHT_SCALE_ONLY").ok();
    let reps = std::env::var("FORESIGHT_SCALE_REPS").ok().map(|v| {
        let (a, b) = v.split_once(',').expect("FORESIGHT_SCALE_REPS=r10,r5");
        (a.parse::<u32>().unwrap(), b.parse::<u32>().unwrap())
    });
    let mut failed = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut n = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        if text.lines().any(|l| l.starts_with("experiment:")) {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if let Some((_, why)) = NOT_IN_SUITE.iter().find(|(s, _)| *s == stem) {
            println!("{stem}: left out of the suite ({why})");
            continue;
        }
        if only.as_ref().is_some_and(|o| *o != stem) {
            continue;
        }
        let s = load(&path);
        let (r10, r5) = reps.unwrap_or_else(|| replications(&stem));
        let comparisons = compare(&s, &[(5, r5), (10, r10)]);
        failed.extend(report(
            &format!("{stem} ({r10} replications at scales 1 and 10, {r5} at 5)"),
            &comparisons,
        ));
        n += 1;
    }
    assert!(n >= 4 || only.is_some(), "{n} scenario files");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Each policy's satisficing share (over every cell) at a scale.
fn satisficing(path: &Path, scale: u32) -> Vec<(String, f64, usize)> {
    let mut exp = foresight::experiment::load(path).unwrap_or_else(|d| panic!("{d}"));
    for c in &mut exp.configs {
        c.scale = scale;
    }
    let plan = Plan::new(&exp);
    let outcomes: Vec<Outcome> = (0..plan.cells())
        .into_par_iter()
        .map(|i| {
            let cell = plan.cell(i);
            let r = run_cell(&exp, cell);
            Outcome {
                cell,
                seed: r.seed,
                headline: r.headline,
                actions: r.actions,
                // Not judged here.
                accounts: Vec::new(),
                cohorts: Vec::new(),
            }
        })
        .collect();
    judge(&exp, &outcomes)
        .satisficing
        .iter()
        .filter(|x| x.scenario.is_none())
        .map(|x| (exp.policies[x.policy].clone(), x.share, x.cells))
        .collect()
}

#[test]
#[ignore = "part of the full scale suite, about 3 minutes on two cores: run by .ci/run"]
fn the_bundled_experiments_satisficing_shares_are_the_same_at_scales_1_and_10() {
    // Each share is a proportion of n futures; two independent proportions
    // differ by more than twice the standard error of their difference
    // about 5% of the time (here the futures are paired, which only
    // narrows the difference).
    let path = Path::new("scenarios/experiment.yaml");
    let one = satisficing(path, 1);
    let ten = satisficing(path, 10);
    assert!(!one.is_empty(), "the bundled experiment sets thresholds");
    println!("\n| policy | futures | satisficing at scale 1 | at scale 10 | allowed difference |");
    println!("|---|---|---|---|---|");
    let mut failed = Vec::new();
    for ((policy, a, n), (_, b, _)) in one.iter().zip(&ten) {
        let n = *n as f64;
        let p = (a + b) / 2.0;
        // A floor of one future, for shares of 0 or 1.
        let allowed = (2.0 * (2.0 * p * (1.0 - p) / n).sqrt()).max(1.0 / n);
        println!("| {policy} | {n} | {a:.3} | {b:.3} | {allowed:.3} |");
        if (a - b).abs() > allowed {
            failed.push(format!(
                "{policy}: {a:.3} at scale 1, {b:.3} at scale 10 (allowed {allowed:.3})"
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn the_t_quantile_is_right() {
    // Tables of Student's t: 0.95 quantiles.
    for (df, t) in [(5.0, 2.015), (9.0, 1.833), (19.0, 1.729), (79.0, 1.664)] {
        assert!((t95(df) - t).abs() < 0.003, "df {df}: {}", t95(df));
    }
}
