//! Summaries across replications in bounded memory: for each series point
//! (week, region, indicator), Welford's running mean and variance, and a
//! quantile sketch that keeps every value exactly up to [`EXACT_VALUES`]
//! and beyond that compresses them into a t-digest (Dunning's merging
//! digest, scale function k1, compression [`COMPRESSION`]). Memory per point
//! is bounded by the sketch's capacity, whatever the number of replications.
//!
//! Percentiles use linear interpolation between order statistics (type 7,
//! the default of numpy and R) while the sketch is exact; beyond it, the
//! t-digest's interpolation between centroids.

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
    centroids: Vec<(f64, f64)>,
    compressed: bool,
    min: f64,
    max: f64,
}

impl Sketch {
    pub fn add(&mut self, v: f64) {
        if self.centroids.is_empty() && !self.compressed {
            self.min = v;
            self.max = v;
        } else {
            self.min = self.min.min(v);
            self.max = self.max.max(v);
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
            self.min = self.min.min(other.min);
            self.max = self.max.max(other.max);
        }
        self.compressed |= other.compressed;
        self.centroids.extend_from_slice(&other.centroids);
        if self.centroids.len() > EXACT_VALUES || self.compressed {
            self.compress();
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

    pub fn count(&self) -> f64 {
        self.centroids.iter().map(|c| c.1).sum()
    }

    /// The `q` quantile (0 ≤ q ≤ 1); NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        let n = self.centroids.len();
        if n == 0 {
            return f64::NAN;
        }
        if !self.compressed {
            let mut v: Vec<f64> = self.centroids.iter().map(|c| c.0).collect();
            v.sort_by(f64::total_cmp);
            return type7(&v, q);
        }
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

/// Running count, mean and sum of squared deviations (Welford), mergeable
/// with Chan's formula.
#[derive(Debug, Clone, Copy, Default)]
pub struct Moments {
    pub count: f64,
    pub mean: f64,
    pub m2: f64,
}

impl Moments {
    pub fn add(&mut self, v: f64) {
        self.count += 1.0;
        let d = v - self.mean;
        self.mean += d / self.count;
        self.m2 += d * (v - self.mean);
    }
    pub fn merge(&mut self, o: &Moments) {
        if o.count == 0.0 {
            return;
        }
        let n = self.count + o.count;
        let d = o.mean - self.mean;
        self.mean += d * o.count / n;
        self.m2 += o.m2 + d * d * self.count * o.count / n;
        self.count = n;
    }
    /// Sample standard deviation (n − 1); NaN with fewer than two values.
    pub fn sd(&self) -> f64 {
        if self.count < 2.0 {
            f64::NAN
        } else {
            (self.m2 / (self.count - 1.0)).sqrt()
        }
    }
}

/// The statistics written for each point.
pub const STATS: [&str; 8] = ["count", "mean", "sd", "p5", "p25", "p50", "p75", "p95"];

/// Accumulates one (scenario, policy)'s series across replications.
#[derive(Debug, Clone)]
pub struct SeriesAccumulator {
    moments: Vec<Moments>,
    sketches: Vec<Sketch>,
}

impl SeriesAccumulator {
    pub fn new(points: usize) -> SeriesAccumulator {
        SeriesAccumulator {
            moments: vec![Moments::default(); points],
            sketches: vec![Sketch::default(); points],
        }
    }

    /// Add one replication's values (NaN, undefined, is skipped).
    pub fn add(&mut self, values: &[f64]) {
        for ((m, s), &v) in self.moments.iter_mut().zip(&mut self.sketches).zip(values) {
            if !v.is_nan() {
                m.add(v);
                s.add(v);
            }
        }
    }

    pub fn merge(&mut self, other: &SeriesAccumulator) {
        for (m, o) in self.moments.iter_mut().zip(&other.moments) {
            m.merge(o);
        }
        for (s, o) in self.sketches.iter_mut().zip(&other.sketches) {
            s.merge(o);
        }
    }

    /// The statistics of every point: `[point × STATS.len() + stat]` in
    /// [`STATS`] order.
    pub fn finish(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.moments.len() * STATS.len());
        for (m, s) in self.moments.iter().zip(&self.sketches) {
            let defined = m.count > 0.0;
            out.push(m.count);
            out.push(if defined { m.mean } else { f64::NAN });
            out.push(m.sd());
            for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
                out.push(s.quantile(q));
            }
        }
        out
    }
}

/// Binary form of an accumulator, for the journal of completed blocks and
/// for shards: little-endian, one record per point. A point whose sketch is
/// still exact is stored as its values alone (replaying them rebuilds the
/// same moments and sketch bit for bit); a compressed point as its moments,
/// range and centroids.
impl SeriesAccumulator {
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.moments.len() as u64).to_le_bytes());
        for (m, s) in self.moments.iter().zip(&self.sketches) {
            if s.compressed {
                out.push(1);
                for v in [m.count, m.mean, m.m2, s.min, s.max] {
                    out.extend_from_slice(&v.to_le_bytes());
                }
                out.extend_from_slice(&(s.centroids.len() as u32).to_le_bytes());
                for &(mean, weight) in &s.centroids {
                    out.extend_from_slice(&mean.to_le_bytes());
                    out.extend_from_slice(&weight.to_le_bytes());
                }
            } else {
                out.push(0);
                out.extend_from_slice(&(s.centroids.len() as u32).to_le_bytes());
                for &(v, _) in &s.centroids {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
    }

    /// Read what [`SeriesAccumulator::encode`] wrote, from the front of
    /// `bytes`; returns the accumulator and the bytes left, or `None` if the
    /// bytes are not a well-formed accumulator of `points` points.
    pub fn decode(bytes: &[u8], points: usize) -> Option<(SeriesAccumulator, &[u8])> {
        let mut r = Reader(bytes);
        if r.u64()? != points as u64 {
            return None;
        }
        let mut acc = SeriesAccumulator::new(points);
        for (m, s) in acc.moments.iter_mut().zip(&mut acc.sketches) {
            match r.u8()? {
                0 => {
                    let n = r.u32()? as usize;
                    if n > EXACT_VALUES {
                        return None;
                    }
                    for _ in 0..n {
                        let v = r.f64()?;
                        m.add(v);
                        s.add(v);
                    }
                }
                1 => {
                    *m = Moments {
                        count: r.f64()?,
                        mean: r.f64()?,
                        m2: r.f64()?,
                    };
                    s.min = r.f64()?;
                    s.max = r.f64()?;
                    let n = r.u32()? as usize;
                    // Generous: a compressed sketch holds at most about δ centroids.
                    if n == 0 || n > 1 << 16 {
                        return None;
                    }
                    s.compressed = true;
                    s.centroids.reserve_exact(n);
                    for _ in 0..n {
                        s.centroids.push((r.f64()?, r.f64()?));
                    }
                }
                _ => return None,
            }
        }
        Some((acc, r.0))
    }
}

/// Reads little-endian numbers from the front of a byte slice.
pub(crate) struct Reader<'a>(pub &'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }
    pub fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|b| b[0])
    }
    pub fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }
    pub fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }
    pub fn f64(&mut self) -> Option<f64> {
        self.take().map(f64::from_le_bytes)
    }
    pub fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
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

    #[test]
    fn moments_merge_like_one_pass() {
        let mut a = Moments::default();
        let mut b = Moments::default();
        let mut all = Moments::default();
        for i in 0..100 {
            let v = (i as f64).sin() * 10.0;
            if i < 37 {
                a.add(v)
            } else {
                b.add(v)
            }
            all.add(v);
        }
        a.merge(&b);
        assert!((a.mean - all.mean).abs() < 1e-12);
        assert!((a.sd() - all.sd()).abs() < 1e-12);
    }

    #[test]
    fn encoding_round_trips_bit_for_bit() {
        // Points exact (few values), compressed (many) and undefined (NaN).
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(7);
        let mut acc = SeriesAccumulator::new(3);
        for i in 0..200 {
            let v: f64 = rng.random::<f64>() * 100.0;
            let few = if i < 10 { v } else { f64::NAN };
            acc.add(&[few, v, f64::NAN]);
        }
        let mut bytes = Vec::new();
        acc.encode(&mut bytes);
        bytes.extend_from_slice(b"tail");
        let (back, rest) = SeriesAccumulator::decode(&bytes, 3).expect("decodes");
        assert_eq!(rest, b"tail");
        let bits = |v: Vec<f64>| v.into_iter().map(f64::to_bits).collect::<Vec<_>>();
        assert_eq!(bits(back.finish()), bits(acc.finish()));
        let mut again = Vec::new();
        back.encode(&mut again);
        assert_eq!(again, bytes[..bytes.len() - 4]);
        // Merging the decoded copy gives what merging the original gives.
        let mut a = SeriesAccumulator::new(3);
        let mut b = SeriesAccumulator::new(3);
        a.add(&[1.0, 2.0, 3.0]);
        b.add(&[1.0, 2.0, 3.0]);
        a.merge(&acc);
        b.merge(&back);
        assert_eq!(bits(a.finish()), bits(b.finish()));
        // Truncated or wrong-sized input is refused, never a panic.
        for cut in [0, 1, 9, bytes.len() / 2] {
            assert!(SeriesAccumulator::decode(&bytes[..cut], 3).is_none());
        }
        assert!(SeriesAccumulator::decode(&bytes, 4).is_none());
    }
}
