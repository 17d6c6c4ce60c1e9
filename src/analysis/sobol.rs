//! Sobol sensitivity indices from a Saltelli design
//! ([`crate::experiment::sensitivity_design::saltelli`]): first-order
//! indices by Saltelli et al.'s (2010) estimator, total indices by
//! Jansen's (1999), both as SALib computes them (the outputs standardised
//! first, the variance of the A and B points as the denominator), with
//! percentile bootstrap confidence intervals over the base points.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// A point estimate with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// First-order and total indices, one per uncertainty.
#[derive(Debug, Clone, PartialEq)]
pub struct Indices {
    pub first: Vec<Estimate>,
    pub total: Vec<Estimate>,
    /// Base points used (blocks with an undefined output are left out).
    pub base_points: usize,
}

/// The confidence level of the intervals.
pub const CONFIDENCE: f64 = 0.95;

/// Indices from outputs `y` in the design's order (blocks of 2k + 2 per
/// base point: A, AB_1…AB_k, BA_1…BA_k, B). NaN estimates when the output
/// does not vary. `resamples` bootstrap draws from a stream seeded by `seed`.
pub fn indices(y: &[f64], k: usize, resamples: usize, seed: u64) -> Indices {
    let block = 2 * k + 2;
    // Whole blocks with every output defined.
    let blocks: Vec<&[f64]> = y
        .chunks_exact(block)
        .filter(|b| b.iter().all(|v| !v.is_nan()))
        .collect();
    let n = blocks.len();
    let nan = Estimate {
        value: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
    };
    let empty = Indices {
        first: vec![nan; k],
        total: vec![nan; k],
        base_points: n,
    };
    if n < 2 {
        return empty;
    }
    // Standardise, as SALib does (the first-order estimator is not
    // invariant to a shift of the output).
    let all: Vec<f64> = blocks.iter().flat_map(|b| b.iter().copied()).collect();
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    let sd = (all.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / all.len() as f64).sqrt();
    if sd.is_nan() || sd <= 0.0 {
        return empty;
    }
    let z: Vec<Vec<f64>> = blocks
        .iter()
        .map(|b| b.iter().map(|v| (v - mean) / sd).collect())
        .collect();
    let estimate = |rows: &[usize]| -> (Vec<f64>, Vec<f64>) {
        let m = rows.len() as f64;
        let ab: Vec<f64> = rows
            .iter()
            .flat_map(|&j| [z[j][0], z[j][block - 1]])
            .collect();
        let mu = ab.iter().sum::<f64>() / ab.len() as f64;
        let var = ab.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / ab.len() as f64;
        let mut first = vec![0.0; k];
        let mut total = vec![0.0; k];
        for &j in rows {
            let (a, b) = (z[j][0], z[j][block - 1]);
            for i in 0..k {
                let abi = z[j][1 + i];
                first[i] += b * (abi - a);
                total[i] += (a - abi).powi(2);
            }
        }
        (
            first.iter().map(|s| s / m / var).collect(),
            total.iter().map(|s| 0.5 * s / m / var).collect(),
        )
    };
    let rows: Vec<usize> = (0..n).collect();
    let (s1, st) = estimate(&rows);
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut boot_first = vec![Vec::with_capacity(resamples); k];
    let mut boot_total = vec![Vec::with_capacity(resamples); k];
    for _ in 0..resamples {
        let draw: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        let (f, t) = estimate(&draw);
        for i in 0..k {
            boot_first[i].push(f[i]);
            boot_total[i].push(t[i]);
        }
    }
    let interval = |value: f64, mut draws: Vec<f64>| {
        draws.retain(|v| !v.is_nan());
        draws.sort_by(f64::total_cmp);
        let tail = (1.0 - CONFIDENCE) / 2.0;
        Estimate {
            value,
            low: crate::experiment::stats::type7(&draws, tail),
            high: crate::experiment::stats::type7(&draws, 1.0 - tail),
        }
    };
    Indices {
        first: s1
            .into_iter()
            .zip(boot_first)
            .map(|(v, d)| interval(v, d))
            .collect(),
        total: st
            .into_iter()
            .zip(boot_total)
            .map(|(v, d)| interval(v, d))
            .collect(),
        base_points: n,
    }
}
