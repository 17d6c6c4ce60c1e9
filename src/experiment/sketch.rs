//! A mergeable quantile sketch of one series point: every value exactly up
//! to [`EXACT_VALUES`], beyond that a t-digest (Dunning's merging digest,
//! scale function k1, compression [`COMPRESSION`]). Percentiles use linear
//! interpolation between order statistics (type 7, the default of numpy
//! and R) while the sketch is exact; beyond it, the t-digest's
//! interpolation between centroids.
//!
//! [`SeriesAccumulator`](super::stats::SeriesAccumulator) keeps the exact
//! values of many points in one flat table and turns to a sketch per point
//! only beyond [`EXACT_VALUES`]; both give the same numbers bit for bit.

/// Values kept exactly before the sketch starts to compress: up to this many
/// values per point (samples × replications of one scenario and policy),
/// percentiles are exact.
pub const EXACT_VALUES: usize = 64;
/// The t-digest's compression δ (at most about δ/2 centroids after compression).
/// Percentile-rank error at p5, p50 and p95 on 10,000 values, in any order,
/// through one sketch or 16 merged block sketches: below 0.01 (one
/// percentile point; measured worst 0.008), as the tests assert.
pub const COMPRESSION: f64 = 60.0;

/// A mergeable quantile sketch of one series point.
#[derive(Debug, Clone, Default)]
pub struct Sketch {
    /// (mean, weight), sorted by mean after compression; exact values have
    /// weight 1.
    pub(super) centroids: Vec<(f64, f64)>,
    pub(super) compressed: bool,
    pub(super) min: f64,
    pub(super) max: f64,
}

/// The lower and higher of two values in the total order of `f64`
/// (`-0 < +0`), so that a range is the same however its values are
/// grouped: a point's range may be folded value by value or block by block.
fn lower(a: f64, b: f64) -> f64 {
    if b.total_cmp(&a).is_lt() { b } else { a }
}
fn higher(a: f64, b: f64) -> f64 {
    if b.total_cmp(&a).is_gt() { b } else { a }
}

impl Sketch {
    pub fn add(&mut self, v: f64) {
        if self.centroids.is_empty() && !self.compressed {
            self.min = v;
            self.max = v;
        } else {
            self.min = lower(self.min, v);
            self.max = higher(self.max, v);
        }
        // Compress before the buffer would grow past EXACT_VALUES, so its
        // capacity never exceeds that (memory per point stays bounded, and
        // small runs use little).
        if self.centroids.len() == EXACT_VALUES {
            self.compress();
        }
        self.centroids.push((v, 1.0));
    }

    /// Merge another sketch into this one (deterministic for a given order).
    pub fn merge(&mut self, other: &Sketch) {
        if other.centroids.is_empty() {
            return;
        }
        if self.centroids.is_empty() {
            self.min = other.min;
            self.max = other.max;
        } else {
            self.min = lower(self.min, other.min);
            self.max = higher(self.max, other.max);
        }
        self.compressed |= other.compressed;
        // Exactly the room needed, and none kept after compressing: a
        // pair's summary holds a sketch for each of its hundreds of
        // thousands of points for the whole run, and doubling buffers
        // would keep each at up to twice its peak for good.
        self.centroids.reserve_exact(other.centroids.len());
        self.centroids.extend_from_slice(&other.centroids);
        if self.centroids.len() > EXACT_VALUES || self.compressed {
            self.compress();
            self.centroids.shrink_to_fit();
        }
    }

    fn compress(&mut self) {
        self.compressed = true;
        // Stable sort: equal means keep their insertion order (determinism).
        self.centroids.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: f64 = self.centroids.iter().map(|c| c.1).sum();
        let k = |q: f64| COMPRESSION / (2.0 * std::f64::consts::PI) * (2.0 * q - 1.0).asin();
        let k_inv = |k: f64| ((2.0 * std::f64::consts::PI * k / COMPRESSION).sin() + 1.0) / 2.0;
        // Merge in place: the write index never passes the read index.
        let c = &mut self.centroids;
        let mut written = 0;
        let mut cur = c[0];
        let mut before = 0.0;
        let mut limit = k_inv(k(0.0) + 1.0) * total;
        for i in 1..c.len() {
            let next = c[i];
            if before + cur.1 + next.1 <= limit {
                let w = cur.1 + next.1;
                cur = (cur.0 + (next.0 - cur.0) * next.1 / w, w);
            } else {
                before += cur.1;
                c[written] = cur;
                written += 1;
                limit = k_inv(k((before / total).min(1.0)) + 1.0) * total;
                cur = next;
            }
        }
        c[written] = cur;
        c.truncate(written + 1);
    }

    /// Empty again, keeping the buffer.
    pub fn clear(&mut self) {
        self.centroids.clear();
        self.compressed = false;
    }

    pub fn count(&self) -> f64 {
        self.centroids.iter().map(|c| c.1).sum()
    }

    /// The `q` quantile (0 ≤ q ≤ 1); NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        let mut out = [0.0];
        self.quantiles(&[q], &mut out);
        out[0]
    }

    /// The quantiles `qs` into `out` (sorting an exact sketch's values once).
    pub fn quantiles(&self, qs: &[f64], out: &mut [f64]) {
        if self.centroids.is_empty() {
            out.fill(f64::NAN);
        } else if !self.compressed {
            let mut v = [0.0; EXACT_VALUES + 1];
            let v = &mut v[..self.centroids.len()];
            for (x, c) in v.iter_mut().zip(&self.centroids) {
                *x = c.0;
            }
            exact_quantiles(v, qs, out);
        } else {
            for (o, &q) in out.iter_mut().zip(qs) {
                *o = self.digest_quantile(q);
            }
        }
    }

    fn digest_quantile(&self, q: f64) -> f64 {
        let c = &self.centroids;
        let total = self.count();
        let target = q * total;
        // Centroid i stands at cumulative weight (before_i + w_i / 2).
        let mut before = 0.0;
        let mut prev_pos = 0.0;
        let mut prev_mean = self.min;
        for &(mean, w) in c {
            let pos = before + w / 2.0;
            if target <= pos {
                if pos <= prev_pos {
                    return mean;
                }
                let t = (target - prev_pos) / (pos - prev_pos);
                return prev_mean + t * (mean - prev_mean);
            }
            prev_pos = pos;
            prev_mean = mean;
            before += w;
        }
        let t = if total > prev_pos {
            (target - prev_pos) / (total - prev_pos)
        } else {
            1.0
        };
        prev_mean + t.clamp(0.0, 1.0) * (self.max - prev_mean)
    }
}

/// Type-7 quantiles `qs` of exact values (sorted here, in place) into `out`.
pub fn exact_quantiles(values: &mut [f64], qs: &[f64], out: &mut [f64]) {
    // Equal under the total order means the same bits: an unstable sort
    // gives the same sequence as a stable one.
    values.sort_unstable_by(f64::total_cmp);
    for (o, &q) in out.iter_mut().zip(qs) {
        *o = type7(values, q);
    }
}

/// Type-7 quantile of sorted values.
pub fn type7(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn exact_up_to_the_cap() {
        let mut s = Sketch::default();
        let values: Vec<f64> = (0..EXACT_VALUES).map(|i| ((i * 37) % 48) as f64).collect();
        for v in &values {
            s.add(*v);
        }
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for q in [0.0, 0.05, 0.5, 0.95, 1.0] {
            assert_eq!(s.quantile(q), type7(&sorted, q));
        }
    }

    /// The accuracy [`COMPRESSION`]'s comment and the README claim: at p5,
    /// p50 and p95 of 10,000 values the estimate's percentile rank is
    /// within 0.01 of the percentile, whatever the order the values come
    /// in (random, sorted, reversed), whether they pass through one sketch
    /// or through 16 block sketches merged in order (as the runner does),
    /// for skewed and symmetric values, over ten seeds (120 estimates at
    /// each percentile). Measured worst: 0.008, at p5 of merged sketches;
    /// one sketch alone stays below 0.006.
    #[test]
    fn digest_percentile_rank_error_is_below_one_percentile_point() {
        let mut worst: f64 = 0.0;
        for seed in 0..10 {
            let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed);
            let skewed: Vec<f64> = (0..10_000)
                .map(|_| rng.random::<f64>().powi(3) * 1000.0)
                .collect();
            // A sum of uniforms: symmetric, bell-shaped.
            let symmetric: Vec<f64> = (0..10_000)
                .map(|_| (0..4).map(|_| rng.random::<f64>()).sum::<f64>())
                .collect();
            for values in [skewed, symmetric] {
                let mut sorted = values.clone();
                sorted.sort_by(f64::total_cmp);
                let mut reversed = sorted.clone();
                reversed.reverse();
                for (order, input) in [
                    ("random", &values),
                    ("sorted", &sorted),
                    ("reversed", &reversed),
                ] {
                    let mut one = Sketch::default();
                    for v in input {
                        one.add(*v);
                    }
                    let mut merged = Sketch::default();
                    for block in input.chunks(input.len().div_ceil(16)) {
                        let mut b = Sketch::default();
                        for v in block {
                            b.add(*v);
                        }
                        merged.merge(&b);
                    }
                    for (how, s) in [("one sketch", &one), ("16 merged", &merged)] {
                        assert!(s.centroids.len() <= EXACT_VALUES + 1);
                        for q in [0.05, 0.5, 0.95] {
                            let est = s.quantile(q);
                            let rank =
                                sorted.partition_point(|x| *x < est) as f64 / sorted.len() as f64;
                            worst = worst.max((rank - q).abs());
                            assert!(
                                (rank - q).abs() < 0.01,
                                "seed {seed}, {order} input, {how}, q {q}: rank {rank}"
                            );
                        }
                    }
                }
            }
        }
        eprintln!("worst percentile-rank error: {worst}");
    }
}
