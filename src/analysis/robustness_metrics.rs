//! Robustness metrics beside regret and satisficing, in McPhail et al.'s
//! (2018) terms, for each policy and judged headline indicator (written by
//! `foresight run` to `robustness_metrics.csv`):
//!
//! | metric | value |
//! |---|---|
//! | `laplace` | the mean over futures (Laplace's principle of insufficient reason) |
//! | `maximin` | the worst value (Wald's maximin) |
//! | `maximax` | the best value |
//! | `hurwicz` | α·best + (1 − α)·worst, α = `parameter` (Hurwicz's optimism–pessimism rule) |
//! | `percentile` | the value that `parameter`% of futures do worse than or equal to: the 10th percentile where higher is better, the 90th where lower is |
//! | `mean_variance` | μ/σ where higher is better (larger is more robust), (μ + 1)(σ + 1) where lower is better (smaller is more robust) (Hamarat et al. 2014) |
//! | `minimax_regret` | the largest regret (Savage) |
//! | `percentile_regret` | the 90th percentile of regret |
//! | `satisficing` | the share of futures in which this indicator meets its thresholds (`parameter`) |
//! | `starr_domain` | (indicator `all thresholds`) the share of sampled points (scenario × sample) at which the mean over replications meets every threshold (Starr 1963) |
//!
//! Each metric is computed over every future (scenario × sample ×
//! replication), and again over each replication's futures alone: the
//! spread of those per-replication values (standard deviation, minimum,
//! maximum) shows how much of a metric is chance. Undefined values are
//! left out, except in `satisficing` and `starr_domain`, where an undefined
//! value misses its threshold.

use super::super::experiment::stats::type7;
use crate::experiment::robustness::cell_regrets;
use crate::experiment::{Experiment, Outcome, Threshold};
use crate::model::HEADLINES;
use crate::model::indicators::Better;

/// Hurwicz's α (weight of the best case); 0.5 weighs best and worst alike.
pub const HURWICZ_ALPHA: f64 = 0.5;
/// The percentile of the percentile-based metrics: the worst decile.
pub const PERCENTILE: f64 = 10.0;

/// One metric of one policy on one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub policy: usize,
    /// A headline indicator, or `all thresholds`.
    pub indicator: String,
    pub better: Better,
    pub metric: &'static str,
    /// α, a percentile or the thresholds, as text; empty if none.
    pub parameter: String,
    pub value: f64,
    /// Across the replications' values: standard deviation (NaN with one
    /// replication), minimum, maximum.
    pub replication_sd: f64,
    pub replication_min: f64,
    pub replication_max: f64,
}

fn defined(v: &[f64]) -> Vec<f64> {
    let mut d: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
    d.sort_by(f64::total_cmp);
    d
}

/// The mean (Laplace).
pub fn laplace(v: &[f64]) -> f64 {
    let d = defined(v);
    if d.is_empty() {
        return f64::NAN;
    }
    d.iter().sum::<f64>() / d.len() as f64
}

/// The worst value.
pub fn maximin(v: &[f64], better: Better) -> f64 {
    let d = defined(v);
    match better {
        Better::Higher => d.first().copied().unwrap_or(f64::NAN),
        Better::Lower => d.last().copied().unwrap_or(f64::NAN),
        Better::NotJudged => f64::NAN,
    }
}

/// The best value.
pub fn maximax(v: &[f64], better: Better) -> f64 {
    let d = defined(v);
    match better {
        Better::Higher => d.last().copied().unwrap_or(f64::NAN),
        Better::Lower => d.first().copied().unwrap_or(f64::NAN),
        Better::NotJudged => f64::NAN,
    }
}

/// α·best + (1 − α)·worst.
pub fn hurwicz(v: &[f64], better: Better, alpha: f64) -> f64 {
    alpha * maximax(v, better) + (1.0 - alpha) * maximin(v, better)
}

/// The `pct`th percentile counted from the bad side (type 7).
pub fn percentile(v: &[f64], better: Better, pct: f64) -> f64 {
    let d = defined(v);
    match better {
        Better::Higher => type7(&d, pct / 100.0),
        Better::Lower => type7(&d, 1.0 - pct / 100.0),
        Better::NotJudged => f64::NAN,
    }
}

/// μ/σ (higher is better) or (μ + 1)(σ + 1) (lower is better); σ with
/// divisor n − 1.
pub fn mean_variance(v: &[f64], better: Better) -> f64 {
    let d = defined(v);
    if d.len() < 2 {
        return f64::NAN;
    }
    let mu = d.iter().sum::<f64>() / d.len() as f64;
    let sd = (d.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (d.len() - 1) as f64).sqrt();
    match better {
        Better::Higher if sd > 0.0 => mu / sd,
        Better::Lower => (mu + 1.0) * (sd + 1.0),
        _ => f64::NAN,
    }
}

/// The largest regret.
pub fn minimax_regret(regrets: &[f64]) -> f64 {
    defined(regrets).last().copied().unwrap_or(f64::NAN)
}

/// The `pct`th percentile of regret.
pub fn percentile_regret(regrets: &[f64], pct: f64) -> f64 {
    type7(&defined(regrets), pct / 100.0)
}

/// The share of values meeting every one of `thresholds` (undefined misses).
pub fn satisficing(v: &[f64], thresholds: &[&Threshold]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let ok = v
        .iter()
        .filter(|&&x| thresholds.iter().all(|t| t.holds(x)))
        .count();
    ok as f64 / v.len() as f64
}

/// Starr's domain criterion: the share of points whose values (one list
/// per point, a value per threshold per replication: `points[p][r][t]`)
/// meet every threshold on the mean over replications.
pub fn starr_domain(points: &[Vec<Vec<f64>>], thresholds: &[&Threshold]) -> f64 {
    if points.is_empty() {
        return f64::NAN;
    }
    let ok = points
        .iter()
        .filter(|reps| {
            thresholds.iter().enumerate().all(|(t, th)| {
                let n = reps.len() as f64;
                let mean = reps.iter().map(|r| r[t]).sum::<f64>() / n;
                th.holds(mean)
            })
        })
        .count();
    ok as f64 / points.len() as f64
}

/// Every metric of every policy, in (policy, indicator, metric) order.
pub fn metrics(exp: &Experiment, outcomes: &[Outcome]) -> Vec<Metric> {
    let (ns, np, nk, nr) = (
        exp.scenarios.len(),
        exp.policies.len(),
        exp.samples.len(),
        exp.replications as usize,
    );
    let at = |s: usize, p: usize, k: usize, r: usize| &outcomes[((s * np + p) * nk + k) * nr + r];
    // Futures in (scenario, sample, replication) order, as cell_regrets.
    let futures: Vec<(usize, usize, usize)> = (0..ns)
        .flat_map(|s| (0..nk).flat_map(move |k| (0..nr).map(move |r| (s, k, r))))
        .collect();
    let spread = |per_rep: &[f64]| {
        let d = defined(per_rep);
        let sd = if d.len() > 1 {
            let m = d.iter().sum::<f64>() / d.len() as f64;
            (d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (d.len() - 1) as f64).sqrt()
        } else {
            f64::NAN
        };
        (
            sd,
            d.first().copied().unwrap_or(f64::NAN),
            d.last().copied().unwrap_or(f64::NAN),
        )
    };
    let index_of = |name: &str| HEADLINES.iter().position(|h| h.name == name);
    let mut by_policy: Vec<Vec<Metric>> = vec![Vec::new(); np];
    for (h, entry) in HEADLINES.iter().enumerate() {
        let (name, better) = (entry.name, entry.better);
        if better == Better::NotJudged {
            continue;
        }
        // Once per indicator: every policy's regret in every future.
        let all_regrets = cell_regrets(exp, outcomes, h);
        for (p, out) in by_policy.iter_mut().enumerate() {
            let values: Vec<f64> = futures
                .iter()
                .map(|&(s, k, r)| at(s, p, k, r).headline[h])
                .collect();
            let regrets: Vec<f64> = all_regrets.iter().map(|c| c[p]).collect();
            let rep = |r: usize, v: &[f64]| -> Vec<f64> {
                futures
                    .iter()
                    .zip(v)
                    .filter(|((_, _, rr), _)| *rr == r)
                    .map(|(_, x)| *x)
                    .collect()
            };
            let thresholds: Vec<&Threshold> = exp
                .thresholds
                .iter()
                .filter(|t| t.indicator == *name)
                .collect();
            type OnValues<'a> = Box<dyn Fn(&[f64]) -> f64 + 'a>;
            let mut list: Vec<(&'static str, String, bool, OnValues)> = vec![
                ("laplace", String::new(), false, Box::new(laplace)),
                (
                    "maximin",
                    String::new(),
                    false,
                    Box::new(move |v| maximin(v, better)),
                ),
                (
                    "maximax",
                    String::new(),
                    false,
                    Box::new(move |v| maximax(v, better)),
                ),
                (
                    "hurwicz",
                    HURWICZ_ALPHA.to_string(),
                    false,
                    Box::new(move |v| hurwicz(v, better, HURWICZ_ALPHA)),
                ),
                (
                    "percentile",
                    PERCENTILE.to_string(),
                    false,
                    Box::new(move |v| percentile(v, better, PERCENTILE)),
                ),
                (
                    "mean_variance",
                    String::new(),
                    false,
                    Box::new(move |v| mean_variance(v, better)),
                ),
                (
                    "minimax_regret",
                    String::new(),
                    true,
                    Box::new(minimax_regret),
                ),
                (
                    "percentile_regret",
                    (100.0 - PERCENTILE).to_string(),
                    true,
                    Box::new(|v| percentile_regret(v, 100.0 - PERCENTILE)),
                ),
            ];
            if !thresholds.is_empty() {
                let text = thresholds
                    .iter()
                    .map(|t| t.describe())
                    .collect::<Vec<_>>()
                    .join(" and ");
                let ts = thresholds.clone();
                list.push((
                    "satisficing",
                    text,
                    false,
                    Box::new(move |v| satisficing(v, &ts)),
                ));
            }
            for (metric, parameter, on_regret, f) in list {
                let source = if on_regret { &regrets } else { &values };
                let per_rep: Vec<f64> = (0..nr).map(|r| f(&rep(r, source))).collect();
                let (sd, min, max) = spread(&per_rep);
                out.push(Metric {
                    policy: p,
                    indicator: name.to_string(),
                    better,
                    metric,
                    parameter,
                    value: f(source),
                    replication_sd: sd,
                    replication_min: min,
                    replication_max: max,
                });
            }
        }
    }
    for (p, out) in by_policy.iter_mut().enumerate() {
        if !exp.thresholds.is_empty() {
            let all: Vec<&Threshold> = exp.thresholds.iter().collect();
            let cols: Vec<usize> = all
                .iter()
                .map(|t| index_of(&t.indicator).unwrap_or(0))
                .collect();
            let point =
                |s: usize, k: usize, reps: &mut dyn Iterator<Item = usize>| -> Vec<Vec<f64>> {
                    reps.map(|r| cols.iter().map(|&c| at(s, p, k, r).headline[c]).collect())
                        .collect()
                };
            let points: Vec<Vec<Vec<f64>>> = (0..ns)
                .flat_map(|s| (0..nk).map(move |k| (s, k)))
                .map(|(s, k)| point(s, k, &mut (0..nr)))
                .collect();
            let per_rep: Vec<f64> = (0..nr)
                .map(|r| {
                    let pts: Vec<Vec<Vec<f64>>> = (0..ns)
                        .flat_map(|s| (0..nk).map(move |k| (s, k)))
                        .map(|(s, k)| point(s, k, &mut std::iter::once(r)))
                        .collect();
                    starr_domain(&pts, &all)
                })
                .collect();
            let (sd, min, max) = spread(&per_rep);
            out.push(Metric {
                policy: p,
                indicator: "all thresholds".into(),
                better: Better::Higher,
                metric: "starr_domain",
                parameter: all
                    .iter()
                    .map(|t| t.describe())
                    .collect::<Vec<_>>()
                    .join(" and "),
                value: starr_domain(&points, &all),
                replication_sd: sd,
                replication_min: min,
                replication_max: max,
            });
        }
    }
    by_policy.into_iter().flatten().collect()
}
