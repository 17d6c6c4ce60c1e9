//! PRIM, the patient rule induction method (Friedman & Fisher 1999), for
//! scenario discovery (Bryant & Lempert 2010), as the EMA Workbench's
//! `prim.Prim(x, y, threshold, peel_alpha, paste_alpha, mass_min)` with its
//! default objective (LENIENT1) and its default box choice: the same peels,
//! pastes, tie-breaks, box and quasi-p-values (`tests/ema/compare_prim.py`
//! checks this against the Workbench itself).
//!
//! The rules, as the Workbench (2.5.3; 3.0.0 has the same peeling and
//! pasting) applies them:
//! - Inputs are real (`Real`), whole numbers (`Whole`, pandas' int64) or
//!   categories (`Categories`, a set of levels). Candidates are taken in
//!   that order of kinds, each kind in column order; a categorical input
//!   with a single level is dropped.
//! - Peeling: for each real input, the box's upper and then lower
//!   `peel_alpha` quantile (the Workbench's `get_quantile`, which moves off
//!   runs of equal values); for each whole input, the same quantile cut to
//!   a whole number and moved to the nearest value present; for each
//!   categorical input, each of its levels removed in turn. The candidate
//!   with the largest gain in mean per case removed wins (ties: the one
//!   restricting fewer inputs, then the earlier one); it is taken while
//!   the mass stays at least `mass_min` and the gain is positive.
//! - Pasting: for each restricted input, the box is widened to the
//!   `paste_alpha` quantile of the cases just outside it (categorical: one
//!   level added back). The best candidate is taken while it raises the
//!   mean. As in the Workbench, nothing is pasted unless some real-valued
//!   input is restricted.
//! - The box: the last on the peeling and pasting trajectory (the
//!   Workbench's default), or, with [`BoxChoice::DensestWithCoverage`], the
//!   densest box on the trajectory whose coverage reaches the given share.
//!   It is kept if its density (the mean of y in it) reaches `threshold`;
//!   otherwise no box is found (the Workbench returns a "dump box" of all
//!   the data then).
//! - Quasi-p-values (Bryant & Lempert 2010): for each restricted limit, the
//!   one-sided binomial test of the box's cases of interest against the
//!   density of the box with that limit removed.
//! - Covering: the cases in a box are removed and the search runs again on
//!   the rest; coverage and mass stay shares of all the data.
//!
//! Where the Workbench breaks a tie between two categorical levels by the
//! iteration order of a Python set (which varies with the process's hash
//! seed), this takes the levels in sorted order.

use super::special::binomial_upper_tail;

/// The values of one input, one per case.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Real(Vec<f64>),
    /// Whole numbers (read as integers, as pandas reads a column of them).
    Whole(Vec<i64>),
    /// Levels by index into `levels` (sorted names).
    Categories {
        codes: Vec<usize>,
        levels: Vec<String>,
    },
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Real(v) => v.len(),
            Values::Whole(v) => v.len(),
            Values::Categories { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An input (an uncertainty, or the scenario) over the cases.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub name: String,
    pub values: Values,
}

/// PRIM's settings, with the Workbench's defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The density a box must reach to be kept.
    pub threshold: f64,
    pub peel_alpha: f64,
    pub paste_alpha: f64,
    /// The smallest share of all cases a box may hold.
    pub mass_min: f64,
    pub choice: BoxChoice,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.8,
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
            choice: BoxChoice::Last,
        }
    }
}

impl Settings {
    /// Refuse settings outside the ranges PRIM works in.
    pub fn check(&self) -> Result<(), PrimError> {
        for (name, v, lo, hi) in [
            ("peel alpha", self.peel_alpha, 0.0, 0.5),
            ("paste alpha", self.paste_alpha, 0.0, 0.5),
            ("mass min", self.mass_min, 0.0, 1.0),
            ("threshold", self.threshold, 0.0, 1.0),
        ] {
            if !(v > lo && v <= hi) {
                return Err(PrimError::BadSetting(format!(
                    "{name} must be above {lo} and at most {hi}, found {v}"
                )));
            }
        }
        if let BoxChoice::DensestWithCoverage(c) = self.choice
            && !(0.0..=1.0).contains(&c)
        {
            return Err(PrimError::BadSetting(format!(
                "the coverage of the chosen box must be from 0 to 1, found {c}"
            )));
        }
        Ok(())
    }
}

/// Which box on the trajectory is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BoxChoice {
    /// The last box after peeling and pasting (the EMA Workbench's choice).
    Last,
    /// The densest box whose coverage is at least this share (ties: the
    /// larger coverage, then the earlier box); the last box if none is.
    DensestWithCoverage(f64),
}

/// A box's limit on one input.
#[derive(Debug, Clone, PartialEq)]
pub enum Limit {
    /// Inclusive bounds.
    Range { lower: f64, upper: f64 },
    /// The levels inside the box (`true` at a level's index).
    Set(Vec<bool>),
}

/// How a box on the trajectory was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Start,
    Peel,
    Paste,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Start => "start",
            Phase::Peel => "peel",
            Phase::Paste => "paste",
        }
    }
}

/// One box on the peeling and pasting trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub phase: Phase,
    /// One limit per input, in the order the inputs were given.
    pub limits: Vec<Limit>,
    /// Cases in the box, and cases of interest among them.
    pub n: usize,
    pub k: usize,
    /// Share of all cases of interest (of the whole data) in the box.
    pub coverage: f64,
    /// Share of the box's cases that are of interest (its mean).
    pub density: f64,
    /// Share of all cases in the box.
    pub mass: f64,
    /// Inputs whose limits are narrower than the whole data's.
    pub restricted: usize,
}

/// A restricted limit's quasi-p-values (NaN on a side that is not
/// restricted; a categorical limit has one, given as `lower`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuasiP {
    pub input: usize,
    pub lower: f64,
    pub upper: f64,
}

/// The outcome of one search: the trajectory and the chosen box.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    pub trajectory: Vec<Step>,
    /// Index into `trajectory` of the chosen box.
    pub chosen: usize,
    /// Whether the chosen box's density reaches the threshold.
    pub found: bool,
    /// The chosen box's quasi-p-values, one per restricted input (inputs
    /// in the order given).
    pub quasi_p: Vec<QuasiP>,
    /// The cases (row indices) in the chosen box.
    pub rows: Vec<usize>,
}

impl Search {
    pub fn chosen_step(&self) -> &Step {
        &self.trajectory[self.chosen]
    }
}

/// An input in PRIM's working form.
#[derive(Debug, Clone)]
enum Column {
    /// Real or whole values (whole ones are exact in f64 below 2^53).
    Numeric {
        x: Vec<f64>,
        whole: bool,
    },
    Categorical {
        codes: Vec<usize>,
    },
}

/// A PRIM search over fixed data, box after box (covering).
#[derive(Debug, Clone)]
pub struct Prim {
    settings: Settings,
    columns: Vec<Column>,
    /// Working order: real inputs, whole inputs, categories, each in the
    /// given order (the Workbench's order of candidates); indices into
    /// `columns`. Single-level categorical inputs are left out.
    order: Vec<usize>,
    y: Vec<bool>,
    /// Cases of interest in all the data.
    total_k: usize,
    init: Vec<Limit>,
    remaining: Vec<usize>,
}

/// Why PRIM cannot run on some data.
#[derive(Debug, Clone, PartialEq)]
pub enum PrimError {
    NoCases,
    LengthMismatch {
        input: String,
        len: usize,
        cases: usize,
    },
    NoCaseOfInterest,
    AllOfInterest,
    BadSetting(String),
}

impl std::fmt::Display for PrimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrimError::NoCases => write!(f, "there are no cases to search"),
            PrimError::LengthMismatch { input, len, cases } => {
                write!(f, "input '{input}' has {len} values for {cases} cases")
            }
            PrimError::NoCaseOfInterest => write!(f, "no future is of interest"),
            PrimError::AllOfInterest => {
                write!(
                    f,
                    "every future is of interest: there is nothing to tell apart"
                )
            }
            PrimError::BadSetting(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for PrimError {}

impl Prim {
    /// Prepare a search: `y[i]` says whether case `i` is of interest.
    pub fn new(inputs: &[Input], y: Vec<bool>, settings: Settings) -> Result<Prim, PrimError> {
        let n = y.len();
        if n == 0 {
            return Err(PrimError::NoCases);
        }
        settings.check()?;
        let total_k = y.iter().filter(|&&b| b).count();
        if total_k == 0 {
            return Err(PrimError::NoCaseOfInterest);
        }
        if total_k == n {
            return Err(PrimError::AllOfInterest);
        }
        let mut columns = Vec::with_capacity(inputs.len());
        let mut init = Vec::with_capacity(inputs.len());
        for input in inputs {
            if input.values.len() != n {
                return Err(PrimError::LengthMismatch {
                    input: input.name.clone(),
                    len: input.values.len(),
                    cases: n,
                });
            }
            let (column, limit) = match &input.values {
                Values::Real(x) => numeric(x.clone(), false),
                Values::Whole(x) => numeric(x.iter().map(|&v| v as f64).collect(), true),
                Values::Categories { codes, levels } => {
                    let mut present = vec![false; levels.len()];
                    for &c in codes {
                        present[c] = true;
                    }
                    (
                        Column::Categorical {
                            codes: codes.clone(),
                        },
                        Limit::Set(present),
                    )
                }
            };
            columns.push(column);
            init.push(limit);
        }
        let kind = |c: &Column| match c {
            Column::Numeric { whole: false, .. } => 0,
            Column::Numeric { whole: true, .. } => 1,
            Column::Categorical { .. } => 2,
        };
        let mut order: Vec<usize> = (0..columns.len())
            .filter(|&i| match &init[i] {
                Limit::Set(s) => s.iter().filter(|&&b| b).count() > 1,
                Limit::Range { .. } => true,
            })
            .collect();
        order.sort_by_key(|&i| kind(&columns[i])); // stable: column order within a kind
        Ok(Prim {
            settings,
            columns,
            order,
            remaining: (0..n).collect(),
            y,
            total_k,
            init,
        })
    }

    /// Cases not yet in a box.
    pub fn remaining(&self) -> &[usize] {
        &self.remaining
    }

    /// Find the next box among the cases not in an earlier one; None when
    /// no case remains. A search whose box misses the threshold ends the
    /// covering (the next call returns None).
    pub fn find_box(&mut self) -> Option<Search> {
        if self.remaining.is_empty() {
            return None;
        }
        let start = self.remaining.clone();
        let mut trajectory = vec![self.step(Phase::Start, self.init.clone(), &start)];
        let mut rows = start;
        self.peel(&mut trajectory, &mut rows);
        self.paste(&mut trajectory, &mut rows);
        let chosen = self.choose(&trajectory);
        let step = &trajectory[chosen];
        let found = step.density >= self.settings.threshold;
        let rows = if chosen + 1 == trajectory.len() {
            rows
        } else {
            self.in_box_rows(&step.limits, &self.restricted_dims(&step.limits))
        };
        let quasi_p = self.quasi_p(step);
        if found {
            let inside: std::collections::HashSet<usize> = rows.iter().copied().collect();
            self.remaining.retain(|r| !inside.contains(r));
        } else {
            self.remaining.clear();
        }
        Some(Search {
            trajectory,
            chosen,
            found,
            quasi_p,
            rows,
        })
    }

    fn choose(&self, trajectory: &[Step]) -> usize {
        let last = trajectory.len() - 1;
        match self.settings.choice {
            BoxChoice::Last => last,
            BoxChoice::DensestWithCoverage(c) => {
                let mut best: Option<usize> = None;
                for (i, s) in trajectory.iter().enumerate() {
                    if s.coverage < c {
                        continue;
                    }
                    best = match best {
                        Some(b)
                            if (trajectory[b].density, trajectory[b].coverage)
                                >= (s.density, s.coverage) =>
                        {
                            Some(b)
                        }
                        _ => Some(i),
                    };
                }
                best.unwrap_or(last)
            }
        }
    }

    fn step(&self, phase: Phase, limits: Vec<Limit>, rows: &[usize]) -> Step {
        let n = rows.len();
        let k = self.count(rows);
        Step {
            phase,
            restricted: self.restricted_dims(&limits).len(),
            limits,
            n,
            k,
            coverage: k as f64 / self.total_k as f64,
            density: k as f64 / n as f64,
            mass: n as f64 / self.y.len() as f64,
        }
    }

    fn count(&self, rows: &[usize]) -> usize {
        rows.iter().filter(|&&r| self.y[r]).count()
    }

    /// The Workbench's mean of y over some cases (0 for none).
    fn mean(n: usize, k: usize) -> f64 {
        if n == 0 { 0.0 } else { k as f64 / n as f64 }
    }

    /// LENIENT1: the change in mean per case removed or added.
    fn objective(old: (usize, usize), new: (usize, usize)) -> f64 {
        let (m_old, m_new) = (Self::mean(old.0, old.1), Self::mean(new.0, new.1));
        if m_old == m_new || old.0 == new.0 {
            return 0.0;
        }
        (m_new - m_old) / old.0.abs_diff(new.0) as f64
    }

    fn restricted_dims(&self, limits: &[Limit]) -> Vec<usize> {
        self.order
            .iter()
            .copied()
            .filter(|&i| limits[i] != self.init[i])
            .collect()
    }

    fn inside(&self, row: usize, limits: &[Limit], dims: &[usize]) -> bool {
        dims.iter().all(|&i| match (&self.columns[i], &limits[i]) {
            (Column::Numeric { x, .. }, Limit::Range { lower, upper }) => {
                *lower <= x[row] && x[row] <= *upper
            }
            (Column::Categorical { codes, .. }, Limit::Set(s)) => s[codes[row]],
            _ => unreachable!("limits match their columns"),
        })
    }

    fn in_box_rows(&self, limits: &[Limit], dims: &[usize]) -> Vec<usize> {
        self.remaining
            .iter()
            .copied()
            .filter(|&r| self.inside(r, limits, dims))
            .collect()
    }

    fn peel(&self, trajectory: &mut Vec<Step>, rows: &mut Vec<usize>) {
        let n_all = self.y.len() as f64;
        let n_cols = self.order.len();
        loop {
            let limits = trajectory.last().expect("a start box").limits.clone();
            let old = (rows.len(), self.count(rows));
            let mut best: Option<(f64, usize, Vec<Limit>, Vec<usize>)> = None;
            let mut consider = |new_limits: Vec<Limit>, new_rows: Vec<usize>| {
                let obj = Self::objective(old, (new_rows.len(), self.count(&new_rows)));
                let free = n_cols - self.restricted_dims(&new_limits).len();
                if best
                    .as_ref()
                    .is_none_or(|b| obj > b.0 || (obj == b.0 && free > b.1))
                {
                    best = Some((obj, free, new_limits, new_rows));
                }
            };
            for &c in &self.order {
                match &self.columns[c] {
                    Column::Numeric { x, whole } => {
                        let mut xj: Vec<f64> = rows.iter().map(|&r| x[r]).collect();
                        xj.sort_by(f64::total_cmp);
                        let Limit::Range { lower, upper } = limits[c] else {
                            unreachable!()
                        };
                        for upper_side in [true, false] {
                            let alpha = if upper_side {
                                1.0 - self.settings.peel_alpha
                            } else {
                                self.settings.peel_alpha
                            };
                            let q = ema_quantile(&xj, alpha);
                            let (keep, limit): (Box<dyn Fn(f64) -> bool>, f64) = if !whole {
                                if upper_side {
                                    (Box::new(move |v| v <= q), q)
                                } else {
                                    (Box::new(move |v| v >= q), q)
                                }
                            } else {
                                let q = q.trunc();
                                let keep: Box<dyn Fn(f64) -> bool> = match (upper_side, q) {
                                    (true, q) if q == upper => {
                                        Box::new(move |v| v < upper && v >= lower)
                                    }
                                    (true, q) => Box::new(move |v| v <= q && v >= lower),
                                    (false, q) if q == lower => {
                                        Box::new(move |v| v > lower && v <= upper)
                                    }
                                    (false, q) => Box::new(move |v| v >= q && v <= upper),
                                };
                                let kept = xj.iter().copied().filter(|&v| keep(v));
                                let limit = if upper_side {
                                    kept.fold(f64::NAN, f64::max)
                                } else {
                                    kept.fold(f64::NAN, f64::min)
                                };
                                let limit = if limit.is_nan() {
                                    // Nothing kept: the Workbench's limit is
                                    // then the box's extreme value.
                                    if upper_side { xj[xj.len() - 1] } else { xj[0] }
                                } else {
                                    limit
                                };
                                (keep, limit)
                            };
                            let new_rows: Vec<usize> =
                                rows.iter().copied().filter(|&r| keep(x[r])).collect();
                            let mut new_limits = limits.clone();
                            new_limits[c] = if upper_side {
                                Limit::Range {
                                    lower,
                                    upper: limit,
                                }
                            } else {
                                Limit::Range {
                                    lower: limit,
                                    upper,
                                }
                            };
                            consider(new_limits, new_rows);
                        }
                    }
                    Column::Categorical { codes, .. } => {
                        let Limit::Set(set) = &limits[c] else {
                            unreachable!()
                        };
                        if set.iter().filter(|&&b| b).count() < 2 {
                            continue;
                        }
                        for level in (0..set.len()).filter(|&l| set[l]) {
                            let mut new_set = set.clone();
                            new_set[level] = false;
                            let new_rows: Vec<usize> = rows
                                .iter()
                                .copied()
                                .filter(|&r| codes[r] != level)
                                .collect();
                            let mut new_limits = limits.clone();
                            new_limits[c] = Limit::Set(new_set);
                            consider(new_limits, new_rows);
                        }
                    }
                }
            }
            let Some((obj, _, new_limits, new_rows)) = best else {
                return;
            };
            let (mass_old, mass_new) = (rows.len() as f64 / n_all, new_rows.len() as f64 / n_all);
            if mass_new >= self.settings.mass_min && mass_new < mass_old && obj > 0.0 {
                trajectory.push(self.step(Phase::Peel, new_limits, &new_rows));
                *rows = new_rows;
            } else {
                return;
            }
        }
    }

    fn paste(&self, trajectory: &mut Vec<Step>, rows: &mut Vec<usize>) {
        let n_all = self.y.len() as f64;
        let n_cols = self.order.len();
        loop {
            let limits = trajectory.last().expect("a start box").limits.clone();
            let dims = self.restricted_dims(&limits);
            let old = (rows.len(), self.count(rows));
            let mut candidates: Vec<(Vec<Limit>, Vec<usize>)> = Vec::new();
            // As in the Workbench, the kinds of input are taken in turn and
            // pasting stops after a kind that leaves no candidate: so
            // nothing is pasted unless a real-valued input is restricted.
            for kind in 0..3u8 {
                for &c in &self.order {
                    if !dims.contains(&c) {
                        continue;
                    }
                    match (&self.columns[c], &limits[c], kind) {
                        (Column::Numeric { x, whole }, Limit::Range { lower, upper }, k)
                            if (k == 0 && !whole) || (k == 1 && *whole) =>
                        {
                            let Limit::Range {
                                lower: min,
                                upper: max,
                            } = self.init[c]
                            else {
                                unreachable!()
                            };
                            for upper_side in [false, true] {
                                let mut region = limits.clone();
                                region[c] = if upper_side {
                                    Limit::Range {
                                        lower: *upper,
                                        upper: max,
                                    }
                                } else {
                                    Limit::Range {
                                        lower: min,
                                        upper: *lower,
                                    }
                                };
                                let mut data: Vec<f64> = self
                                    .remaining
                                    .iter()
                                    .filter(|&&r| self.inside(r, &region, &dims))
                                    .map(|&r| x[r])
                                    .collect();
                                data.sort_by(f64::total_cmp);
                                let value = match (data.is_empty(), upper_side) {
                                    (true, false) => min,
                                    (true, true) => max,
                                    (false, false) => {
                                        ema_quantile(&data, 1.0 - self.settings.paste_alpha)
                                    }
                                    (false, true) => ema_quantile(&data, self.settings.paste_alpha),
                                };
                                let mut new_limits = limits.clone();
                                new_limits[c] = if upper_side {
                                    Limit::Range {
                                        lower: *lower,
                                        upper: value,
                                    }
                                } else {
                                    Limit::Range {
                                        lower: value,
                                        upper: *upper,
                                    }
                                };
                                let new_rows = self.in_box_rows(&new_limits, &dims);
                                candidates.push((new_limits, new_rows));
                            }
                        }
                        (Column::Categorical { .. }, Limit::Set(set), 2) => {
                            let Limit::Set(all) = &self.init[c] else {
                                unreachable!()
                            };
                            for level in (0..set.len()).filter(|&l| all[l] && !set[l]) {
                                let mut new_set = set.clone();
                                new_set[level] = true;
                                let mut new_limits = limits.clone();
                                new_limits[c] = Limit::Set(new_set);
                                let new_rows = self.in_box_rows(&new_limits, &dims);
                                candidates.push((new_limits, new_rows));
                            }
                        }
                        _ => {}
                    }
                }
                if candidates.is_empty() {
                    return;
                }
            }
            let mut best: Option<(f64, usize, usize)> = None;
            for (i, (new_limits, new_rows)) in candidates.iter().enumerate() {
                let obj = Self::objective(old, (new_rows.len(), self.count(new_rows)));
                let free = n_cols - self.restricted_dims(new_limits).len();
                if best.is_none_or(|b| obj > b.0 || (obj == b.0 && free > b.1)) {
                    best = Some((obj, free, i));
                }
            }
            let (obj, _, i) = best.expect("candidates are not empty");
            let (new_limits, new_rows) = candidates.swap_remove(i);
            let new = (new_rows.len(), self.count(&new_rows));
            let (mass_old, mass_new) = (old.0 as f64 / n_all, new.0 as f64 / n_all);
            if mass_new >= self.settings.mass_min
                && mass_new > mass_old
                && obj > 0.0
                && Self::mean(new.0, new.1) > Self::mean(old.0, old.1)
            {
                trajectory.push(self.step(Phase::Paste, new_limits, &new_rows));
                *rows = new_rows;
            } else {
                return;
            }
        }
    }

    /// Quasi-p-values of a box (Bryant & Lempert 2010), as the Workbench
    /// computes them: for each restricted limit, P(X ≥ k) for X ~
    /// Binomial(n, p), where n and k are the box's cases and cases of
    /// interest and p is the density of the box with that limit lifted,
    /// among the cases not in an earlier box.
    fn quasi_p(&self, step: &Step) -> Vec<QuasiP> {
        let dims = self.restricted_dims(&step.limits);
        let mut out: Vec<QuasiP> = dims
            .iter()
            .map(|&c| {
                let test = |limits: &[Limit]| {
                    let rows = self.in_box_rows(limits, &dims);
                    let p = self.count(&rows) as f64 / rows.len() as f64;
                    binomial_upper_tail(step.k as u64, step.n as u64, p)
                };
                match (&step.limits[c], &self.init[c]) {
                    (
                        Limit::Range { lower, upper },
                        Limit::Range {
                            lower: min,
                            upper: max,
                        },
                    ) => {
                        let side = |lifted: Limit, restricted: bool| {
                            if !restricted {
                                return f64::NAN;
                            }
                            let mut limits = step.limits.clone();
                            limits[c] = lifted;
                            test(&limits)
                        };
                        QuasiP {
                            input: c,
                            lower: side(
                                Limit::Range {
                                    lower: *min,
                                    upper: *upper,
                                },
                                lower != min,
                            ),
                            upper: side(
                                Limit::Range {
                                    lower: *lower,
                                    upper: *max,
                                },
                                upper != max,
                            ),
                        }
                    }
                    (Limit::Set(_), all @ Limit::Set(_)) => {
                        let mut limits = step.limits.clone();
                        limits[c] = all.clone();
                        QuasiP {
                            input: c,
                            lower: test(&limits),
                            upper: f64::NAN,
                        }
                    }
                    _ => unreachable!("limits match their columns"),
                }
            })
            .collect();
        out.sort_by_key(|q| q.input);
        out
    }
}

fn numeric(x: Vec<f64>, whole: bool) -> (Column, Limit) {
    let lower = x.iter().copied().fold(f64::INFINITY, f64::min);
    let upper = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (Column::Numeric { x, whole }, Limit::Range { lower, upper })
}

/// The Workbench's `get_quantile` (after the sdtoolkit): the midpoint of
/// the two order statistics around `(n − 1)·q`, moved outwards (down for
/// an upper quantile, up for a lower one) past runs of equal values, so
/// that a peel always removes something when it can. `sorted` must be
/// sorted and non-empty; 0 < q < 1.
pub fn ema_quantile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let i = (n - 1) as f64 * q;
    let mut lo = i.floor() as usize;
    let mut hi = i.ceil() as usize;
    if q > 0.5 {
        while sorted[lo] == sorted[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while sorted[lo] == sorted[hi] && hi < n - 1 {
            hi += 1;
        }
    }
    (sorted[lo] + sorted[hi]) / 2.0
}

/// Several boxes by covering: search, remove the cases in the box, search
/// again, up to `max_boxes` boxes or until a search finds no box that
/// meets the threshold (that last search is returned too, not found).
pub fn covering(
    inputs: &[Input],
    y: Vec<bool>,
    settings: Settings,
    max_boxes: usize,
) -> Result<Vec<Search>, PrimError> {
    let mut prim = Prim::new(inputs, y, settings)?;
    let mut out = Vec::new();
    while out.len() < max_boxes {
        let Some(search) = prim.find_box() else {
            break;
        };
        let found = search.found;
        out.push(search);
        if !found || prim.remaining().iter().all(|&r| !prim.y[r]) {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ema_quantile_moves_past_ties() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(ema_quantile(&v, 0.5), 3.5); // q = 0.5 moves up: (3 + 4) / 2
        assert_eq!(ema_quantile(&v, 0.05), 1.5); // i = 0.2: (1 + 2) / 2
        assert_eq!(ema_quantile(&v, 0.95), 4.5); // i = 3.8: (4 + 5) / 2
        let t = [1.0, 1.0, 1.0, 2.0, 3.0];
        assert_eq!(ema_quantile(&t, 0.05), 1.5); // up past the run of 1s
        let u = [1.0, 2.0, 3.0, 3.0, 3.0];
        assert_eq!(ema_quantile(&u, 0.95), 2.5); // down past the run of 3s
        assert_eq!(ema_quantile(&[7.0, 7.0], 0.95), 7.0);
    }

    /// A square of 400 points on a grid, cases of interest where x > 0.6
    /// and z < 0.3 (plus a category): PRIM finds that corner.
    #[test]
    fn finds_a_planted_box() {
        let mut x = Vec::new();
        let mut z = Vec::new();
        let mut s = Vec::new();
        let mut y = Vec::new();
        for i in 0..20 {
            for j in 0..20 {
                let (xi, zj) = ((i as f64 + 0.5) / 20.0, (j as f64 + 0.5) / 20.0);
                x.push(xi);
                z.push(zj);
                let level = (i + j) % 3;
                s.push(level);
                y.push(xi > 0.6 && zj < 0.3 && level != 2);
            }
        }
        let inputs = vec![
            Input {
                name: "x".into(),
                values: Values::Real(x),
            },
            Input {
                name: "z".into(),
                values: Values::Real(z),
            },
            Input {
                name: "s".into(),
                values: Values::Categories {
                    codes: s,
                    levels: vec!["a".into(), "b".into(), "c".into()],
                },
            },
        ];
        let settings = Settings {
            mass_min: 0.01,
            ..Settings::default()
        };
        let boxes = covering(&inputs, y, settings, 1).unwrap();
        let b = &boxes[0];
        assert!(b.found);
        let step = b.chosen_step();
        assert_eq!(step.density, 1.0);
        assert!(step.coverage > 0.9, "{}", step.coverage);
        match (&step.limits[0], &step.limits[1], &step.limits[2]) {
            (Limit::Range { lower: xl, .. }, Limit::Range { upper: zu, .. }, Limit::Set(set)) => {
                assert!((0.55..=0.65).contains(xl), "{xl}");
                assert!((0.25..=0.35).contains(zu), "{zu}");
                assert_eq!(set, &vec![true, true, false]);
            }
            other => panic!("{other:?}"),
        }
        // Every restricted limit matters: quasi-p-values are small.
        assert_eq!(b.quasi_p.len(), 3);
        for q in &b.quasi_p {
            assert!(q.lower.is_nan() || q.lower < 1e-4, "{q:?}");
            assert!(q.upper.is_nan() || q.upper < 1e-4, "{q:?}");
        }
    }

    #[test]
    fn refuses_data_without_contrast() {
        let inputs = vec![Input {
            name: "x".into(),
            values: Values::Real(vec![1.0, 2.0]),
        }];
        assert_eq!(
            Prim::new(&inputs, vec![false, false], Settings::default()).unwrap_err(),
            PrimError::NoCaseOfInterest
        );
        assert_eq!(
            Prim::new(&inputs, vec![true, true], Settings::default()).unwrap_err(),
            PrimError::AllOfInterest
        );
    }
}
