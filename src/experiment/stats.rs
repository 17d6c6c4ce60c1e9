//! Summaries across replications in bounded memory: for each series point
//! (week, region, indicator), Welford's running mean and variance and the
//! point's values for its percentiles, exactly up to [`EXACT_VALUES`] and
//! beyond that in a t-digest ([`super::sketch`]). Memory per point is
//! bounded by the sketch's capacity, whatever the number of replications.
//!
//! The fold of every replication's series into these summaries runs once
//! per cell over hundreds of thousands of points (weeks × regions and the
//! nation × indicators: 326,040 for the baseline), so its layout
//! matters as much as the simulation's at small scales: while every point
//! is exact, the values of all points are kept in one flat table (a row
//! per point, as wide as the values expected), not in a buffer per point;
//! a point that needs more than [`EXACT_VALUES`] turns the accumulator
//! into a sketch per point. The two forms give the same statistics and
//! the same encoding bit for bit.

pub use super::sketch::{COMPRESSION, EXACT_VALUES, Sketch, exact_quantiles, type7};
use rayon::prelude::*;

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
    values: Values,
}

/// The values behind a point's percentiles.
#[derive(Debug, Clone)]
enum Values {
    /// Every point exact: point `p`'s values are
    /// `table[p * width..][..len[p]]`, in the order they came.
    Exact {
        width: usize,
        len: Vec<u8>,
        table: Vec<f64>,
        /// The largest `len` (a point that would pass `width` widens the
        /// table first).
        longest: usize,
    },
    /// A sketch per point.
    Sketches(Vec<Sketch>),
}

/// Points in a chunk of the parallel fold (a few tens of kilobytes of each
/// column: the chunks of a cell's hundreds of thousands of points are
/// worth stealing).
const CHUNK: usize = 4096;
/// Chunks a task takes at least (small accumulators stay on one thread).
const MIN_CHUNKS: usize = 2;

/// Runs a closure on every chunk of a fold: on the pool's threads when
/// called from one of them (they steal chunks when free), else on the
/// calling thread alone (a thread outside the pool, such as the command
/// line's main thread, is a thread of its own, and would otherwise wait
/// for a pool thread to come free).
trait Chunks<T> {
    /// The largest of the closure's results (0 if none).
    fn pipe_max(self, f: impl Fn(T) -> usize + Sync + Send) -> usize;
    fn pipe_each(self, f: impl Fn(T) + Sync + Send);
}

impl<T: Send> Chunks<T> for Vec<T> {
    fn pipe_max(self, f: impl Fn(T) -> usize + Sync + Send) -> usize {
        if rayon::current_thread_index().is_some() {
            self.into_par_iter().with_min_len(MIN_CHUNKS).map(f).max()
        } else {
            self.into_iter().map(f).max()
        }
        .unwrap_or(0)
    }
    fn pipe_each(self, f: impl Fn(T) + Sync + Send) {
        if rayon::current_thread_index().is_some() {
            self.into_par_iter().with_min_len(MIN_CHUNKS).for_each(f);
        } else {
            self.into_iter().for_each(f);
        }
    }
}

/// The quantiles of [`STATS`] after count, mean and sd.
const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

impl SeriesAccumulator {
    /// An accumulator of `points` points for a few values each (it grows).
    pub fn new(points: usize) -> SeriesAccumulator {
        SeriesAccumulator::with_capacity(points, 1)
    }

    /// An accumulator of `points` points expecting up to `values` values
    /// each (a block's or a pair's cells): exact in a flat table when
    /// that is at most [`EXACT_VALUES`], a sketch per point beyond.
    pub fn with_capacity(points: usize, values: usize) -> SeriesAccumulator {
        let values = if values > EXACT_VALUES {
            Values::Sketches(vec![Sketch::default(); points])
        } else {
            let width = values.max(1);
            Values::Exact {
                width,
                len: vec![0; points],
                table: vec![0.0; points * width],
                longest: 0,
            }
        };
        SeriesAccumulator {
            moments: vec![Moments::default(); points],
            values,
        }
    }

    /// Make room for up to `values` values a point (a block that becomes
    /// its pair's accumulator); nothing changes in what it holds.
    pub fn reserve(&mut self, values: usize) {
        if let Values::Exact { width, .. } = self.values
            && values > width
        {
            self.widen(values);
        }
    }

    /// Make the exact table `values` wide, or turn it into sketches when
    /// that is more than [`EXACT_VALUES`].
    #[cold]
    fn widen(&mut self, values: usize) {
        let Values::Exact {
            width, len, table, ..
        } = &self.values
        else {
            return;
        };
        if values > EXACT_VALUES {
            let sketches = len
                .iter()
                .enumerate()
                .map(|(p, &n)| {
                    let mut s = Sketch::default();
                    for &v in &table[p * width..][..usize::from(n)] {
                        s.add(v);
                    }
                    s
                })
                .collect();
            self.values = Values::Sketches(sketches);
            return;
        }
        let wider = values.max(width * 2).min(EXACT_VALUES);
        let mut new = vec![0.0; len.len() * wider];
        for (p, &n) in len.iter().enumerate() {
            let n = usize::from(n);
            new[p * wider..][..n].copy_from_slice(&table[p * width..][..n]);
        }
        if let Values::Exact { width, table, .. } = &mut self.values {
            *width = wider;
            *table = new;
        }
    }

    /// Add one replication's values (NaN, undefined, is skipped).
    ///
    /// Points are independent, so the fold is split into chunks of points
    /// that, when called on a thread of a pool, the pool's threads share
    /// (they steal them when free, as when the runner's calling thread
    /// falls behind); each point still sees its values in the same order,
    /// so the result is the same.
    pub fn add(&mut self, values: &[f64]) {
        debug_assert_eq!(values.len(), self.moments.len());
        if let Values::Exact { width, longest, .. } = self.values
            && longest == width
        {
            self.widen(width + 1);
        }
        match &mut self.values {
            Values::Exact {
                width,
                len,
                table,
                longest,
            } => {
                let width = *width;
                let top = self
                    .moments
                    .chunks_mut(CHUNK)
                    .zip(len.chunks_mut(CHUNK))
                    .zip(table.chunks_mut(CHUNK * width))
                    .zip(values.chunks(CHUNK))
                    .collect::<Vec<_>>()
                    .pipe_max(|(((moments, len), table), values)| {
                        let mut top = 0;
                        for (p, ((m, n), &v)) in moments.iter_mut().zip(len).zip(values).enumerate()
                        {
                            if !v.is_nan() {
                                m.add(v);
                                table[p * width + usize::from(*n)] = v;
                                *n += 1;
                                top = top.max(usize::from(*n));
                            }
                        }
                        top
                    });
                *longest = (*longest).max(top);
            }
            Values::Sketches(sketches) => {
                self.moments
                    .chunks_mut(CHUNK)
                    .zip(sketches.chunks_mut(CHUNK))
                    .zip(values.chunks(CHUNK))
                    .collect::<Vec<_>>()
                    .pipe_each(|((moments, sketches), values)| {
                        for ((m, s), &v) in moments.iter_mut().zip(sketches).zip(values) {
                            if !v.is_nan() {
                                m.add(v);
                                s.add(v);
                            }
                        }
                    });
            }
        }
    }

    /// Merge another accumulator's values after this one's (in parallel by
    /// chunks of points, as [`SeriesAccumulator::add`]).
    pub fn merge(&mut self, other: &SeriesAccumulator) {
        let more = match &other.values {
            Values::Exact { longest, .. } => *longest,
            Values::Sketches(_) => EXACT_VALUES + 1,
        };
        if let Values::Exact { width, longest, .. } = self.values
            && longest + more > width
        {
            self.widen(longest + more);
        }
        let moments = self
            .moments
            .chunks_mut(CHUNK)
            .zip(other.moments.chunks(CHUNK));
        let merge_moments = |mine: &mut [Moments], theirs: &[Moments]| {
            for (m, o) in mine.iter_mut().zip(theirs) {
                m.merge(o);
            }
        };
        match (&mut self.values, &other.values) {
            (
                Values::Exact {
                    width,
                    len,
                    table,
                    longest,
                },
                Values::Exact {
                    width: ow,
                    len: olen,
                    table: otable,
                    ..
                },
            ) => {
                let (width, ow) = (*width, *ow);
                let top = moments
                    .zip(len.chunks_mut(CHUNK))
                    .zip(table.chunks_mut(CHUNK * width))
                    .zip(olen.chunks(CHUNK))
                    .zip(otable.chunks(CHUNK * ow))
                    .collect::<Vec<_>>()
                    .pipe_max(|((((m, len), table), olen), otable)| {
                        merge_moments(m.0, m.1);
                        let mut top = 0;
                        for (p, (n, &on)) in len.iter_mut().zip(olen).enumerate() {
                            let (at, on) = (usize::from(*n), usize::from(on));
                            if on > 0 {
                                table[p * width + at..][..on]
                                    .copy_from_slice(&otable[p * ow..][..on]);
                                *n += on as u8;
                            }
                            top = top.max(at + on);
                        }
                        top
                    });
                *longest = (*longest).max(top);
            }
            (
                Values::Sketches(sketches),
                Values::Exact {
                    width, len, table, ..
                },
            ) => {
                let width = *width;
                moments
                    .zip(sketches.chunks_mut(CHUNK))
                    .zip(len.chunks(CHUNK))
                    .zip(table.chunks(CHUNK * width))
                    .collect::<Vec<_>>()
                    .pipe_each(|(((m, sketches), len), table)| {
                        merge_moments(m.0, m.1);
                        let mut block = Sketch::default();
                        for (p, (s, &n)) in sketches.iter_mut().zip(len).enumerate() {
                            if n > 0 {
                                block.clear();
                                for &v in &table[p * width..][..usize::from(n)] {
                                    block.add(v);
                                }
                                s.merge(&block);
                            }
                        }
                    });
            }
            (Values::Sketches(sketches), Values::Sketches(others)) => {
                moments
                    .zip(sketches.chunks_mut(CHUNK))
                    .zip(others.chunks(CHUNK))
                    .collect::<Vec<_>>()
                    .pipe_each(|((m, sketches), others)| {
                        merge_moments(m.0, m.1);
                        for (s, o) in sketches.iter_mut().zip(others) {
                            s.merge(o);
                        }
                    });
            }
            (Values::Exact { .. }, Values::Sketches(_)) => {
                unreachable!("widened into sketches above")
            }
        }
    }

    /// The statistics of every point: `[point × STATS.len() + stat]` in
    /// [`STATS`] order. Points are independent, so they are computed in
    /// chunks, shared as [`SeriesAccumulator::add`]'s, with the same result.
    pub fn finish(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.moments.len() * STATS.len()];
        out.chunks_mut(CHUNK * STATS.len())
            .enumerate()
            .collect::<Vec<_>>()
            .pipe_each(|(c, chunk)| {
                let mut scratch = [0.0; EXACT_VALUES];
                for (i, row) in chunk.chunks_exact_mut(STATS.len()).enumerate() {
                    let p = c * CHUNK + i;
                    let m = &self.moments[p];
                    row[0] = m.count;
                    row[1] = if m.count > 0.0 { m.mean } else { f64::NAN };
                    row[2] = m.sd();
                    let q = &mut row[3..];
                    match &self.values {
                        Values::Exact {
                            width, len, table, ..
                        } => {
                            let n = usize::from(len[p]);
                            if n == 0 {
                                q.fill(f64::NAN);
                            } else {
                                let v = &mut scratch[..n];
                                v.copy_from_slice(&table[p * width..][..n]);
                                exact_quantiles(v, &QUANTILES, q);
                            }
                        }
                        Values::Sketches(s) => s[p].quantiles(&QUANTILES, q),
                    }
                }
            });
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
        let exact = |out: &mut Vec<u8>, values: &mut dyn Iterator<Item = f64>, n: usize| {
            out.push(0);
            out.extend_from_slice(&(n as u32).to_le_bytes());
            for v in values {
                out.extend_from_slice(&v.to_le_bytes());
            }
        };
        match &self.values {
            Values::Exact {
                width, len, table, ..
            } => {
                for (p, &n) in len.iter().enumerate() {
                    let n = usize::from(n);
                    exact(out, &mut table[p * width..][..n].iter().copied(), n);
                }
            }
            Values::Sketches(sketches) => {
                for (m, s) in self.moments.iter().zip(sketches) {
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
                        let n = s.centroids.len();
                        exact(out, &mut s.centroids.iter().map(|c| c.0), n);
                    }
                }
            }
        }
    }

    /// Read what [`SeriesAccumulator::encode`] wrote, from the front of
    /// `bytes`; returns the accumulator and the bytes left, or `None` if the
    /// bytes are not a well-formed accumulator of `points` points.
    pub fn decode(bytes: &[u8], points: usize) -> Option<(SeriesAccumulator, &[u8])> {
        // A first pass checks the form and finds the widest exact point and
        // whether any is compressed: then the accumulator is built in the
        // form it would have had.
        let mut r = Reader(bytes);
        if r.u64()? != points as u64 {
            return None;
        }
        let (mut widest, mut compressed) = (1, false);
        for _ in 0..points {
            match r.u8()? {
                0 => {
                    let n = r.u32()? as usize;
                    if n > EXACT_VALUES {
                        return None;
                    }
                    widest = widest.max(n);
                    r.bytes(n * 8)?;
                }
                1 => {
                    r.bytes(5 * 8)?;
                    let n = r.u32()? as usize;
                    // Generous: a compressed sketch holds at most about δ centroids.
                    if n == 0 || n > 1 << 16 {
                        return None;
                    }
                    compressed = true;
                    r.bytes(n * 16)?;
                }
                _ => return None,
            }
        }
        let rest = r.0;
        let mut r = Reader(&bytes[8..]);
        let mut acc = SeriesAccumulator::with_capacity(
            points,
            if compressed { EXACT_VALUES + 1 } else { widest },
        );
        let values = &mut acc.values;
        for (p, m) in acc.moments.iter_mut().enumerate() {
            // The form was checked above.
            if r.u8()? == 0 {
                let n = r.u32()? as usize;
                for i in 0..n {
                    let v = r.f64()?;
                    m.add(v);
                    match values {
                        Values::Exact {
                            width,
                            len,
                            table,
                            longest,
                        } => {
                            table[p * *width + i] = v;
                            len[p] += 1;
                            *longest = (*longest).max(i + 1);
                        }
                        Values::Sketches(s) => s[p].add(v),
                    }
                }
            } else {
                let Values::Sketches(sketches) = values else {
                    return None;
                };
                let s = &mut sketches[p];
                *m = Moments {
                    count: r.f64()?,
                    mean: r.f64()?,
                    m2: r.f64()?,
                };
                s.min = r.f64()?;
                s.max = r.f64()?;
                let n = r.u32()? as usize;
                s.compressed = true;
                s.centroids.reserve_exact(n);
                for _ in 0..n {
                    s.centroids.push((r.f64()?, r.f64()?));
                }
            }
        }
        Some((acc, rest))
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

    /// The one-buffer-per-point form the flat table replaced: moments and
    /// a [`Sketch`] per point, added and merged value by value.
    struct Reference {
        moments: Vec<Moments>,
        sketches: Vec<Sketch>,
    }

    impl Reference {
        fn new(points: usize) -> Reference {
            Reference {
                moments: vec![Moments::default(); points],
                sketches: vec![Sketch::default(); points],
            }
        }
        fn add(&mut self, values: &[f64]) {
            for ((m, s), &v) in self.moments.iter_mut().zip(&mut self.sketches).zip(values) {
                if !v.is_nan() {
                    m.add(v);
                    s.add(v);
                }
            }
        }
        fn merge(&mut self, o: &Reference) {
            for (m, x) in self.moments.iter_mut().zip(&o.moments) {
                m.merge(x);
            }
            for (s, x) in self.sketches.iter_mut().zip(&o.sketches) {
                s.merge(x);
            }
        }
        fn finish(&self) -> Vec<f64> {
            let mut out = Vec::new();
            for (m, s) in self.moments.iter().zip(&self.sketches) {
                out.extend([
                    m.count,
                    if m.count > 0.0 { m.mean } else { f64::NAN },
                    m.sd(),
                ]);
                for q in QUANTILES {
                    out.push(s.quantile(q));
                }
            }
            out
        }
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    /// The runner's reduction (cells folded into blocks in order, the first
    /// block becoming the pair's accumulator, the others merged into it)
    /// gives the same statistics bit for bit in the flat table as in a
    /// sketch per point, and the same encoding, for pairs of 1 to 300 cells
    /// in blocks of 1 to 100 (so across the exact limit of 64, in blocks and
    /// in pairs), with undefined values, repeated values and both zeros;
    /// with and without the capacity hints.
    #[test]
    fn the_flat_table_folds_like_a_sketch_per_point() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(11);
        for (cells, per_block, hinted) in [
            (1, 1, true),
            (12, 1, true),
            (12, 5, false),
            (64, 4, true),
            (65, 5, true),
            (65, 65, false),
            (100, 7, true),
            (130, 64, true),
            (300, 19, false),
            (200, 100, true),
        ] {
            fold_both_ways(&mut rng, 7, cells, per_block, hinted);
        }
        // Enough points for several chunks of the fold, on this thread
        // and shared by a pool's threads.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .expect("a pool");
        for (cells, per_block) in [(12, 1), (100, 7)] {
            fold_both_ways(&mut rng, 3 * CHUNK + 5, cells, per_block, true);
            pool.install(|| fold_both_ways(&mut rng, 3 * CHUNK + 5, cells, per_block, true));
        }
    }

    fn fold_both_ways(
        rng: &mut rand_pcg::Pcg64Mcg,
        points: usize,
        cells: usize,
        per_block: usize,
        hinted: bool,
    ) {
        let mut pair: Option<SeriesAccumulator> = None;
        let mut reference: Option<Reference> = None;
        let mut cell = 0;
        while cell < cells {
            let n = per_block.min(cells - cell);
            let mut block = if hinted {
                SeriesAccumulator::with_capacity(points, n)
            } else {
                SeriesAccumulator::new(points)
            };
            let mut rblock = Reference::new(points);
            for _ in 0..n {
                let values: Vec<f64> = (0..points)
                    .map(|p| match (p, rng.random_range(0..10)) {
                        (0, _) => f64::NAN,
                        (_, 0) => f64::NAN,
                        (_, 1) => 0.0,
                        (_, 2) => -0.0,
                        (1, _) => 3.0,
                        _ => rng.random::<f64>() * 100.0 - 20.0,
                    })
                    .collect();
                block.add(&values);
                rblock.add(&values);
            }
            // A block passes through the journal's encoding on the way.
            let mut bytes = Vec::new();
            block.encode(&mut bytes);
            let (block, rest) = SeriesAccumulator::decode(&bytes, points).expect("decodes");
            assert!(rest.is_empty());
            match (&mut pair, &mut reference) {
                (Some(p), Some(r)) => {
                    p.merge(&block);
                    r.merge(&rblock);
                }
                _ => {
                    let mut p = block;
                    if hinted {
                        p.reserve(cells);
                    }
                    pair = Some(p);
                    reference = Some(rblock);
                }
            }
            cell += n;
        }
        let (pair, reference) = (pair.unwrap(), reference.unwrap());
        let what = format!("{cells} cells in blocks of {per_block}, hinted {hinted}");
        assert_eq!(bits(&pair.finish()), bits(&reference.finish()), "{what}");
        let mut bytes = Vec::new();
        pair.encode(&mut bytes);
        let mut want = Vec::new();
        SeriesAccumulator {
            moments: reference.moments.clone(),
            values: Values::Sketches(reference.sketches.clone()),
        }
        .encode(&mut want);
        assert_eq!(bytes, want, "{what}");
        if cells <= EXACT_VALUES {
            assert!(
                matches!(pair.values, Values::Exact { .. }),
                "{what}: exact in the flat table while it can be"
            );
        }
    }
}
