//! Sampling designs for the uncertainties: Monte Carlo, Latin hypercube,
//! full factorial, and the sensitivity designs `sobol` and `morris`
//! ([`super::sensitivity_design`]). Each draws points in the unit cube (or
//! picks discrete levels) and maps them through each distribution's inverse
//! CDF, so Latin hypercube strata are strata of probability.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::format::{Design, Distribution, Sampling, Uncertainty};
use super::sensitivity_design;
use crate::model::rng::mix;

/// Morris levels when the file gives none.
pub const DEFAULT_LEVELS: u32 = 4;

/// How many samples a design draws (before anything is built).
pub fn count(uncertainties: &[Uncertainty], sampling: &Sampling) -> u64 {
    let k = uncertainties.len() as u64;
    let n = u64::from(sampling.samples);
    if k == 0 {
        return 1;
    }
    match sampling.design {
        Design::MonteCarlo | Design::LatinHypercube => n,
        Design::FullFactorial => uncertainties
            .iter()
            .map(|u| match &u.distribution {
                Distribution::Discrete { values, .. } => values.len() as u64,
                _ => 1,
            })
            .fold(1, u64::saturating_mul),
        Design::Sobol => n.saturating_mul(2 * k + 2),
        Design::Morris => n.saturating_mul(k + 1),
    }
}

/// The sampled values: `values[sample][uncertainty]`.
pub fn sample(
    uncertainties: &[Uncertainty],
    sampling: &Sampling,
    master_seed: u64,
) -> Vec<Vec<f64>> {
    let dims = uncertainties.len();
    if dims == 0 {
        return vec![Vec::new()];
    }
    let map = |points: Vec<Vec<f64>>| -> Vec<Vec<f64>> {
        points
            .into_iter()
            .map(|p| {
                uncertainties
                    .iter()
                    .zip(p)
                    .map(|(u, q)| quantile(&u.distribution, q))
                    .collect()
            })
            .collect()
    };
    // The sampling stream depends on the master seed only.
    let mut rng = Pcg64Mcg::seed_from_u64(mix(master_seed ^ 0x7361_6d70_6c65)); // "sample"
    match sampling.design {
        Design::MonteCarlo => (0..sampling.samples)
            .map(|_| {
                uncertainties
                    .iter()
                    .map(|u| quantile(&u.distribution, rng.random::<f64>()))
                    .collect()
            })
            .collect(),
        Design::LatinHypercube => {
            let n = sampling.samples as usize;
            let strata: Vec<Vec<usize>> = (0..dims).map(|_| permutation(&mut rng, n)).collect();
            (0..n)
                .map(|i| {
                    uncertainties
                        .iter()
                        .enumerate()
                        .map(|(d, u)| {
                            let p = (strata[d][i] as f64 + rng.random::<f64>()) / n as f64;
                            quantile(&u.distribution, p)
                        })
                        .collect()
                })
                .collect()
        }
        Design::Sobol => map(sensitivity_design::saltelli(
            dims,
            sampling.samples as usize,
            &mut sensitivity_design::stream(master_seed),
        )),
        Design::Morris => map(sensitivity_design::morris(
            dims,
            sampling.samples as usize,
            sampling.levels.unwrap_or(DEFAULT_LEVELS) as usize,
            &mut sensitivity_design::stream(master_seed),
        )
        .into_iter()
        .flat_map(|t| t.points)
        .collect()),
        Design::FullFactorial => {
            let levels: Vec<&[f64]> = uncertainties
                .iter()
                .map(|u| match &u.distribution {
                    Distribution::Discrete { values, .. } => values.as_slice(),
                    _ => &[][..], // rejected by validation
                })
                .collect();
            let total: usize = levels.iter().map(|l| l.len()).product();
            (0..total)
                .map(|mut i| {
                    // The last uncertainty varies fastest.
                    let mut point = vec![0.0; dims];
                    for d in (0..dims).rev() {
                        let l = levels[d];
                        point[d] = l[i % l.len()];
                        i /= l.len();
                    }
                    point
                })
                .collect()
        }
    }
}

/// Stratum of each sample in one dimension: a random permutation of 0..n.
pub fn permutation(rng: &mut Pcg64Mcg, n: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        v.swap(i, j);
    }
    v
}

/// The inverse CDF of a distribution at probability `p` in [0, 1).
pub fn quantile(d: &Distribution, p: f64) -> f64 {
    // Keep unbounded distributions finite at the (vanishingly rare) ends.
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    match d {
        Distribution::Uniform { low, high } => low + (high - low) * p,
        Distribution::Normal { mean, sd } => mean + sd * normal_quantile(p),
        Distribution::Triangular { low, mode, high } => {
            let (a, c, b) = (*low, *mode, *high);
            if b <= a {
                return a;
            }
            let f = (c - a) / (b - a);
            if p < f {
                a + (p * (b - a) * (c - a)).sqrt()
            } else {
                b - ((1.0 - p) * (b - a) * (b - c)).sqrt()
            }
        }
        Distribution::LogNormal { mu, sigma } => (mu + sigma * normal_quantile(p)).exp(),
        Distribution::Discrete { values, weights } => {
            let n = values.len();
            let total: f64 = weights.as_ref().map_or(n as f64, |w| w.iter().sum());
            let mut acc = 0.0;
            for (i, v) in values.iter().enumerate() {
                acc += weights.as_ref().map_or(1.0, |w| w[i]) / total;
                if p < acc {
                    return *v;
                }
            }
            values[n - 1]
        }
    }
}

/// The standard normal quantile (Acklam's rational approximation, relative
/// error below 1.2e-9, ample for sampling).
pub fn normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let low = 0.024_25;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantiles_match_tables() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-6);
        assert!((normal_quantile(0.5)).abs() < 1e-9);
        assert!((normal_quantile(0.05) + 1.644_853_626_951_472).abs() < 1e-6);
        assert!((normal_quantile(0.001) + 3.090_232_306_167_813).abs() < 1e-6);
    }

    #[test]
    fn triangular_quantiles() {
        let d = Distribution::Triangular {
            low: 0.0,
            mode: 1.0,
            high: 2.0,
        };
        assert!((quantile(&d, 0.5) - 1.0).abs() < 1e-12);
        assert!((quantile(&d, 0.125) - 0.5).abs() < 1e-12);
    }
}
