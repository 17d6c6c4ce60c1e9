//! Sensitivity indices of an experiment run with a `sobol` or `morris`
//! design: for each (scenario, policy) and each headline indicator, the
//! output of a sample is its mean over the replications (chance is
//! averaged out, not attributed), and the indices are taken over the
//! design's points: Sobol first-order (S1) and total (ST) indices, or
//! Morris μ, μ* and σ. Written to `sensitivity.csv` in tidy form.

use rayon::prelude::*;

use super::dataset::Dataset;
use super::{morris, sobol};
use crate::experiment::design::DEFAULT_LEVELS;
use crate::experiment::sensitivity_design::{self, Trajectory};
use crate::model::rng::mix;
use crate::output::csv_file::CsvFile;
use crate::output::folder::{OutputError, RunFolder};

/// One index of one uncertainty for one indicator, scenario and policy.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRow {
    pub scenario: usize,
    pub policy: usize,
    pub indicator: String,
    pub uncertainty: String,
    /// `S1`, `ST` (Sobol) or `mu`, `mu_star`, `sigma` (Morris).
    pub index: &'static str,
    pub value: f64,
    /// The 95% bootstrap interval (NaN where none is computed).
    pub low: f64,
    pub high: f64,
    /// Base points (Sobol) or trajectories (Morris) used.
    pub points: usize,
}

/// The design's structure, rebuilt from the manifest.
enum Structure {
    Sobol { base: usize },
    Morris { trajectories: Vec<Trajectory> },
}

/// Indices for every scenario, chosen policy and indicator, and a note of
/// what was done (or why nothing was).
pub fn for_experiment(
    data: &Dataset,
    policies: &[usize],
    resamples: usize,
) -> Result<(Vec<SensitivityRow>, String), String> {
    let k = data.uncertainties.len();
    let Some(sampling) = &data.sampling else {
        return Ok((
            Vec::new(),
            "none: the manifest does not record the sampling design".into(),
        ));
    };
    let n = sampling.samples as usize;
    let samples_seen = data.cells.iter().map(|c| c.sample + 1).max().unwrap_or(0);
    let structure = match sampling.design.as_str() {
        "sobol" => {
            let expected = n * sensitivity_design::saltelli_block(k);
            if samples_seen != expected {
                return Err(format!(
                    "the manifest records a sobol design of {n} base samples and {k} uncertainties \
                     ({expected} samples), but experiments.csv has {samples_seen}"
                ));
            }
            Structure::Sobol { base: n }
        }
        "morris" => {
            let levels = sampling.levels.unwrap_or(u64::from(DEFAULT_LEVELS)) as usize;
            let trajectories = sensitivity_design::morris(
                k,
                n,
                levels,
                &mut sensitivity_design::stream(data.seed),
            );
            check_morris(data, &trajectories)?;
            Structure::Morris { trajectories }
        }
        other => {
            return Ok((
                Vec::new(),
                format!(
                    "none: the experiment's design is {other}; Sobol indices need `design: sobol`, \
                     Morris measures `design: morris`"
                ),
            ));
        }
    };
    let samples = samples_seen;
    let mut jobs = Vec::new();
    for s in 0..data.scenarios.len() {
        for &p in policies {
            for o in 0..data.outcomes.len() {
                jobs.push((s, p, o));
            }
        }
    }
    // Replication means per (scenario, policy, sample), for each outcome.
    let mut sums = vec![
        vec![(0.0f64, 0usize, false); samples];
        data.scenarios.len() * data.policies.len() * data.outcomes.len()
    ];
    let at = |s: usize, p: usize, o: usize| (s * data.policies.len() + p) * data.outcomes.len() + o;
    for (r, c) in data.cells.iter().enumerate() {
        for o in 0..data.outcomes.len() {
            let v = data.values[o][r];
            let slot = &mut sums[at(c.scenario, c.policy, o)][c.sample];
            if v.is_nan() {
                slot.2 = true;
            } else {
                slot.0 += v;
                slot.1 += 1;
            }
        }
    }
    let rows: Vec<Vec<SensitivityRow>> = jobs
        .par_iter()
        .map(|&(s, p, o)| {
            // A sample with an undefined replication is undefined: its
            // mean would be over other replications than its neighbours'.
            let y: Vec<f64> = sums[at(s, p, o)]
                .iter()
                .map(|&(sum, n, undefined)| {
                    if undefined || n == 0 {
                        f64::NAN
                    } else {
                        sum / n as f64
                    }
                })
                .collect();
            let seed = mix(data.seed ^ mix(((s * 1_000 + p) * 1_000 + o) as u64 + 1));
            let row =
                |u: usize, index: &'static str, e: sobol::Estimate, points: usize| SensitivityRow {
                    scenario: s,
                    policy: p,
                    indicator: data.outcomes[o].clone(),
                    uncertainty: data.uncertainties[u].clone(),
                    index,
                    value: e.value,
                    low: e.low,
                    high: e.high,
                    points,
                };
            let plain = |v: f64| sobol::Estimate {
                value: v,
                low: f64::NAN,
                high: f64::NAN,
            };
            let mut out = Vec::new();
            match &structure {
                Structure::Sobol { base } => {
                    let ix = sobol::indices(&y[..base * (2 * k + 2)], k, resamples, seed);
                    for u in 0..k {
                        out.push(row(u, "S1", ix.first[u], ix.base_points));
                        out.push(row(u, "ST", ix.total[u], ix.base_points));
                    }
                }
                Structure::Morris { trajectories } => {
                    let m = morris::measures(&y, trajectories, k, resamples, seed);
                    for (u, m) in m.iter().enumerate() {
                        out.push(row(u, "mu", plain(m.mu), m.trajectories));
                        out.push(row(u, "mu_star", m.mu_star, m.trajectories));
                        out.push(row(u, "sigma", plain(m.sigma), m.trajectories));
                    }
                }
            }
            out
        })
        .collect();
    let note = match &structure {
        Structure::Sobol { base } => format!(
            "Sobol first-order (S1, Saltelli 2010) and total (ST, Jansen 1999) indices from {base} \
             base samples, 95% percentile bootstrap intervals ({resamples} resamples)"
        ),
        Structure::Morris { trajectories } => format!(
            "Morris mu, mu* and sigma from {} trajectories, 95% percentile bootstrap intervals \
             of mu* ({resamples} resamples)",
            trajectories.len()
        ),
    };
    Ok((rows.into_iter().flatten().collect(), note))
}

/// Check that experiments.csv follows the rebuilt trajectories: between
/// consecutive points only the moved uncertainty may change.
fn check_morris(data: &Dataset, trajectories: &[Trajectory]) -> Result<(), String> {
    let k = data.uncertainties.len();
    let mut value = vec![vec![f64::NAN; k]; trajectories.len() * (k + 1)];
    for (r, c) in data.cells.iter().enumerate() {
        if c.sample >= value.len() {
            return Err(format!(
                "experiments.csv has sample {}, beyond the {} points of the Morris design in the manifest",
                c.sample,
                value.len()
            ));
        }
        for (u, input) in data.inputs.iter().enumerate() {
            value[c.sample][u] = input[r];
        }
    }
    for (t, traj) in trajectories.iter().enumerate() {
        for (s, &moved) in traj.moved.iter().enumerate() {
            let (a, b) = (&value[t * (k + 1) + s], &value[t * (k + 1) + s + 1]);
            if (0..k).any(|u| u != moved && a[u] != b[u]) {
                return Err(format!(
                    "experiments.csv does not follow the Morris design recorded in the manifest \
                     (samples {} and {} differ in more than '{}'): was it run by another version?",
                    t * (k + 1) + s,
                    t * (k + 1) + s + 1,
                    data.uncertainties[moved]
                ));
            }
        }
    }
    Ok(())
}

/// `sensitivity.csv`: scenario, policy, indicator, uncertainty, index,
/// value, ci_low, ci_high, points.
pub fn write(
    folder: &RunFolder,
    data: &Dataset,
    rows: &[SensitivityRow],
) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("sensitivity.csv")?);
    f.record([
        "scenario",
        "policy",
        "indicator",
        "uncertainty",
        "index",
        "value",
        "ci_low",
        "ci_high",
        "points",
    ])?;
    for r in rows {
        f.field(&data.scenarios[r.scenario])?;
        f.field(&data.policies[r.policy])?;
        f.field(&r.indicator)?;
        f.field(&r.uncertainty)?;
        f.field(r.index)?;
        for v in [r.value, r.low, r.high] {
            f.value(v)?;
        }
        f.int(r.points as u64)?;
        f.end()?;
    }
    f.finish()
}
