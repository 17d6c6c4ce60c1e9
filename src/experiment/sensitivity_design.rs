//! Sampling designs for sensitivity analysis, in probability space (each
//! coordinate is later mapped through its uncertainty's inverse CDF):
//!
//! - **Sobol** (Saltelli 2002; Saltelli et al. 2010): two independent base
//!   matrices A and B of N points (the two halves of one 2k-dimensional
//!   Latin hypercube), and for each uncertainty i the matrix AB_i (A with
//!   column i from B) and BA_i (B with column i from A): N(2k + 2) points,
//!   in SALib's order per base point j: A_j, AB_j^1 … AB_j^k, BA_j^1 …
//!   BA_j^k, B_j.
//! - **Morris** (Morris 1991): r trajectories of k + 1 points on a grid of
//!   p levels (p even) at the probabilities (l + ½)/p, l = 0 … p − 1. Each
//!   trajectory starts at a random grid point and moves one uncertainty at
//!   a time, in random order, by Δ = p/2 levels (a probability step of ½),
//!   up or down, whichever stays on the grid.
//!
//! Both depend only on the master seed, the number of uncertainties and the
//! design's settings, so `foresight discover` rebuilds them from the
//! manifest to know which points form a Sobol block or a Morris step.

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::design::permutation;
use crate::model::rng::mix;

/// The random stream of a sensitivity design (the master seed's alone).
pub fn stream(master_seed: u64) -> Pcg64Mcg {
    Pcg64Mcg::seed_from_u64(mix(master_seed ^ 0x7365_6e73_6974)) // "sensit"
}

/// Points of a Saltelli design for `k` uncertainties from `n` base points.
pub fn saltelli(k: usize, n: usize, rng: &mut Pcg64Mcg) -> Vec<Vec<f64>> {
    // One Latin hypercube of 2k columns: A is the first k, B the last k.
    let strata: Vec<Vec<usize>> = (0..2 * k).map(|_| permutation(rng, n)).collect();
    let base: Vec<Vec<f64>> = (0..n)
        .map(|j| {
            (0..2 * k)
                .map(|d| (strata[d][j] as f64 + rng.random::<f64>()) / n as f64)
                .collect()
        })
        .collect();
    let mut out = Vec::with_capacity(n * (2 * k + 2));
    for point in &base {
        let (a, b) = point.split_at(k);
        out.push(a.to_vec());
        for i in 0..k {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            out.push(ab);
        }
        for i in 0..k {
            let mut ba = b.to_vec();
            ba[i] = a[i];
            out.push(ba);
        }
        out.push(b.to_vec());
    }
    out
}

/// The points of a Saltelli design per base point.
pub fn saltelli_block(k: usize) -> usize {
    2 * k + 2
}

/// One Morris trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// k + 1 points of k probabilities.
    pub points: Vec<Vec<f64>>,
    /// The uncertainty moved at each step (k steps).
    pub moved: Vec<usize>,
    /// The probability step of each move (+½ or −½).
    pub step: Vec<f64>,
}

/// `r` Morris trajectories for `k` uncertainties on `levels` levels (even).
pub fn morris(k: usize, r: usize, levels: usize, rng: &mut Pcg64Mcg) -> Vec<Trajectory> {
    let delta = levels / 2;
    let prob = |l: usize| (l as f64 + 0.5) / levels as f64;
    (0..r)
        .map(|_| {
            let mut level: Vec<usize> = (0..k).map(|_| rng.random_range(0..levels)).collect();
            let order = permutation(rng, k);
            let mut points = vec![level.iter().map(|&l| prob(l)).collect::<Vec<f64>>()];
            let mut step = Vec::with_capacity(k);
            for &i in &order {
                // With Δ = p/2, exactly one of ±Δ stays on the grid.
                if level[i] + delta < levels {
                    level[i] += delta;
                    step.push(delta as f64 / levels as f64);
                } else {
                    level[i] -= delta;
                    step.push(-(delta as f64) / levels as f64);
                }
                points.push(level.iter().map(|&l| prob(l)).collect());
            }
            Trajectory {
                points,
                moved: order,
                step,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saltelli_blocks_swap_one_column() {
        let (k, n) = (3, 8);
        let pts = saltelli(k, n, &mut stream(1));
        assert_eq!(pts.len(), n * saltelli_block(k));
        for j in 0..n {
            let b = &pts[j * saltelli_block(k)..(j + 1) * saltelli_block(k)];
            let (a, bb) = (&b[0], &b[2 * k + 1]);
            for i in 0..k {
                for d in 0..k {
                    assert_eq!(b[1 + i][d], if d == i { bb[d] } else { a[d] });
                    assert_eq!(b[1 + k + i][d], if d == i { a[d] } else { bb[d] });
                }
            }
        }
        // Each of A's columns is stratified: one point per 1/n.
        for d in 0..k {
            let mut strata: Vec<usize> = pts
                .iter()
                .step_by(saltelli_block(k))
                .map(|p| (p[d] * n as f64) as usize)
                .collect();
            strata.sort();
            assert_eq!(strata, (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn morris_moves_each_uncertainty_once_by_half() {
        let (k, r, p) = (4, 20, 4);
        for t in morris(k, r, p, &mut stream(2)) {
            assert_eq!(t.points.len(), k + 1);
            let mut moved = t.moved.clone();
            moved.sort();
            assert_eq!(moved, (0..k).collect::<Vec<_>>());
            for s in 0..k {
                for d in 0..k {
                    let change = t.points[s + 1][d] - t.points[s][d];
                    if d == t.moved[s] {
                        assert_eq!(change, t.step[s]);
                        assert_eq!(change.abs(), 0.5);
                    } else {
                        assert_eq!(change, 0.0);
                    }
                }
            }
            for v in t.points.iter().flatten() {
                assert!([0.125, 0.375, 0.625, 0.875].contains(v));
            }
        }
    }
}
