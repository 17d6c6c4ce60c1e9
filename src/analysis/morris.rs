//! Morris elementary effects (Morris 1991) from the trajectories of
//! [`crate::experiment::sensitivity_design::morris`]: for each uncertainty
//! the mean effect μ, the mean absolute effect μ* (Campolongo, Cariboni &
//! Saltelli 2007) with a percentile bootstrap interval over trajectories,
//! and the standard deviation σ (interactions and non-linearity). An
//! effect is the change in the output per unit of probability moved (a
//! step of ½ across the uncertainty's distribution), as SALib reports it
//! per unit of its normalised inputs.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::sobol::{CONFIDENCE, Estimate};
use crate::experiment::sensitivity_design::Trajectory;

/// One uncertainty's Morris measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    pub mu: f64,
    pub mu_star: Estimate,
    pub sigma: f64,
    /// Trajectories used (those with an undefined output are left out).
    pub trajectories: usize,
}

/// Measures for each of `k` uncertainties; `y` holds the outputs of the
/// trajectories' points in order.
pub fn measures(
    y: &[f64],
    trajectories: &[Trajectory],
    k: usize,
    resamples: usize,
    seed: u64,
) -> Vec<Measures> {
    // effects[t][i]: trajectory t's elementary effect of uncertainty i.
    let effects: Vec<Vec<f64>> = trajectories
        .iter()
        .enumerate()
        .filter_map(|(t, traj)| {
            let out = &y[t * (k + 1)..(t + 1) * (k + 1)];
            if out.iter().any(|v| v.is_nan()) {
                return None;
            }
            let mut e = vec![0.0; k];
            for (s, &i) in traj.moved.iter().enumerate() {
                e[i] = (out[s + 1] - out[s]) / traj.step[s];
            }
            Some(e)
        })
        .collect();
    let r = effects.len();
    let mean = |v: &mut dyn Iterator<Item = f64>| {
        let (s, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
        if n == 0 { f64::NAN } else { s / n as f64 }
    };
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let draws: Vec<Vec<usize>> = (0..resamples)
        .map(|_| (0..r).map(|_| rng.random_range(0..r.max(1))).collect())
        .collect();
    (0..k)
        .map(|i| {
            let mu = mean(&mut effects.iter().map(|e| e[i]));
            let mu_star = mean(&mut effects.iter().map(|e| e[i].abs()));
            let sigma = if r > 1 {
                (effects.iter().map(|e| (e[i] - mu).powi(2)).sum::<f64>() / (r - 1) as f64).sqrt()
            } else {
                f64::NAN
            };
            let mut boot: Vec<f64> = if r == 0 {
                Vec::new()
            } else {
                draws
                    .iter()
                    .map(|d| mean(&mut d.iter().map(|&t| effects[t][i].abs())))
                    .collect()
            };
            boot.sort_by(f64::total_cmp);
            let tail = (1.0 - CONFIDENCE) / 2.0;
            Measures {
                mu,
                mu_star: Estimate {
                    value: mu_star,
                    low: crate::experiment::stats::type7(&boot, tail),
                    high: crate::experiment::stats::type7(&boot, 1.0 - tail),
                },
                sigma,
                trajectories: r,
            }
        })
        .collect()
}
