//! Judging policies across futures: for each policy, the mean and 5th/95th
//! percentiles of each headline indicator over all scenarios, samples and
//! replications; regret against the best policy in the same cell (same
//! scenario, sample and replication, hence the same random future); the
//! satisficing share (how often all thresholds hold); and the (scenario,
//! sample) pairs where it fails most.

use super::Experiment;
use super::runner::Outcome;
use super::stats::type7;
use crate::model::HEADLINES;
use crate::model::indicators::{Better, headline};

/// One policy's judgement on one headline indicator.
#[derive(Debug, Clone)]
pub struct IndicatorJudgement {
    pub policy: usize,
    pub indicator: usize,
    pub mean: f64,
    pub p5: f64,
    pub p95: f64,
    pub regret_mean: f64,
    pub regret_p95: f64,
    pub regret_max: f64,
}

/// How often a policy satisfies every threshold, overall (`scenario` None)
/// or in one scenario.
#[derive(Debug, Clone)]
pub struct Satisficing {
    pub policy: usize,
    pub scenario: Option<usize>,
    pub cells: usize,
    pub share: f64,
}

/// How often a policy fails some threshold in one (scenario, sample).
#[derive(Debug, Clone)]
pub struct Failure {
    pub policy: usize,
    pub scenario: usize,
    pub sample: usize,
    pub replications: usize,
    pub share: f64,
    /// How far it misses, averaged over replications: the sum over the
    /// thresholds of each miss in units of the indicator's range across
    /// the whole experiment (an undefined value misses by one range).
    pub shortfall: f64,
    /// How many of the policy's (scenario, sample) futures share this
    /// failure share.
    pub tied: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Robustness {
    pub indicators: Vec<IndicatorJudgement>,
    /// Empty when the experiment sets no thresholds.
    pub satisficing: Vec<Satisficing>,
    /// Per policy, worst first.
    pub failures: Vec<Failure>,
}

/// Regret of every policy in every future, for headline indicator `h`:
/// `[future][policy]`, futures in (scenario, sample, replication) order.
/// Regret is how far the policy falls behind the best policy in the same
/// future (same scenario, sample and replication: the same random numbers),
/// so the best policy's regret is 0. NaN where the policy's value is
/// undefined or the indicator is not a judgement.
pub fn cell_regrets(exp: &Experiment, outcomes: &[Outcome], h: usize) -> Vec<Vec<f64>> {
    let (ns, np, nk, nr) = (
        exp.scenarios.len(),
        exp.policies.len(),
        exp.samples.len(),
        exp.replications as usize,
    );
    let better = HEADLINES[h].better;
    let mut out = Vec::with_capacity(ns * nk * nr);
    for s in 0..ns {
        for k in 0..nk {
            for r in 0..nr {
                let values: Vec<f64> = (0..np)
                    .map(|p| outcomes[((s * np + p) * nk + k) * nr + r].headline[h])
                    .collect();
                let defined = values.iter().copied().filter(|x| !x.is_nan());
                let best = match better {
                    Better::Lower => defined.fold(f64::NAN, f64::min),
                    Better::Higher => defined.fold(f64::NAN, f64::max),
                    Better::NotJudged => f64::NAN,
                };
                out.push(values.iter().map(|v| (v - best).abs()).collect());
            }
        }
    }
    out
}

/// Judge every policy. `outcomes` must be in cell order, as the runner
/// returns them.
///
/// # Panics
///
/// If a threshold names no headline indicator: [`Experiment::resolve`]
/// refuses such a file.
pub fn judge(exp: &Experiment, outcomes: &[Outcome]) -> Robustness {
    let (ns, np, nk, nr) = (
        exp.scenarios.len(),
        exp.policies.len(),
        exp.samples.len(),
        exp.replications as usize,
    );
    let at = |s: usize, p: usize, k: usize, r: usize| &outcomes[((s * np + p) * nk + k) * nr + r];
    let threshold_index: Vec<usize> = exp
        .thresholds
        .iter()
        .map(|t| headline::position(&t.indicator).unwrap_or_else(|e| panic!("threshold: {e}")))
        .collect();
    let holds = |o: &Outcome| {
        exp.thresholds
            .iter()
            .zip(&threshold_index)
            .all(|(t, &i)| t.holds(o.headline[i]))
    };

    let mut out = Robustness::default();
    for (h, indicator) in HEADLINES.iter().enumerate() {
        let regrets_by_cell = if indicator.better == Better::NotJudged {
            Vec::new()
        } else {
            cell_regrets(exp, outcomes, h)
        };
        for p in 0..np {
            let mut values = Vec::with_capacity(ns * nk * nr);
            let mut regrets = Vec::with_capacity(ns * nk * nr);
            for s in 0..ns {
                for k in 0..nk {
                    for r in 0..nr {
                        let v = at(s, p, k, r).headline[h];
                        if !v.is_nan() {
                            values.push(v);
                        }
                    }
                }
            }
            regrets.extend(regrets_by_cell.iter().map(|c| c[p]).filter(|x| !x.is_nan()));
            values.sort_by(f64::total_cmp);
            regrets.sort_by(f64::total_cmp);
            let mean = |v: &[f64]| {
                if v.is_empty() {
                    f64::NAN
                } else {
                    v.iter().sum::<f64>() / v.len() as f64
                }
            };
            out.indicators.push(IndicatorJudgement {
                policy: p,
                indicator: h,
                mean: mean(&values),
                p5: type7(&values, 0.05),
                p95: type7(&values, 0.95),
                regret_mean: mean(&regrets),
                regret_p95: type7(&regrets, 0.95),
                regret_max: regrets.last().copied().unwrap_or(f64::NAN),
            });
        }
    }

    if exp.thresholds.is_empty() {
        return out;
    }
    let shortfall = shortfall_of(exp, outcomes, &threshold_index);
    for p in 0..np {
        let mut all = (0, 0);
        for s in 0..ns {
            let mut here = (0, 0);
            for k in 0..nk {
                let mut failed = 0;
                let mut missed_by = 0.0;
                for r in 0..nr {
                    let ok = holds(at(s, p, k, r));
                    here.0 += 1;
                    here.1 += usize::from(ok);
                    failed += usize::from(!ok);
                    missed_by += shortfall(at(s, p, k, r));
                }
                out.failures.push(Failure {
                    policy: p,
                    scenario: s,
                    sample: k,
                    replications: nr,
                    share: failed as f64 / nr as f64,
                    shortfall: missed_by / nr as f64,
                    tied: 0,
                });
            }
            out.satisficing.push(Satisficing {
                policy: p,
                scenario: Some(s),
                cells: here.0,
                share: here.1 as f64 / here.0 as f64,
            });
            all.0 += here.0;
            all.1 += here.1;
        }
        out.satisficing.push(Satisficing {
            policy: p,
            scenario: None,
            cells: all.0,
            share: all.1 as f64 / all.0 as f64,
        });
    }
    // Worst first within each policy: the larger failure share, then the
    // larger shortfall (never the names); exact ties in cell order.
    out.failures.sort_by(|a, b| {
        a.policy
            .cmp(&b.policy)
            .then(b.share.total_cmp(&a.share))
            .then(b.shortfall.total_cmp(&a.shortfall))
    });
    // Equal shares of a policy are now adjacent: count each run.
    let mut start = 0;
    while start < out.failures.len() {
        let key = (out.failures[start].policy, out.failures[start].share);
        let end = start
            + out.failures[start..]
                .iter()
                .take_while(|f| (f.policy, f.share) == key)
                .count();
        for f in &mut out.failures[start..end] {
            f.tied = end - start;
        }
        start = end;
    }
    out
}

/// How far a cell misses the thresholds: the sum of each miss divided by
/// the range (max − min) of its indicator over every cell of the
/// experiment, so that misses on different indicators add up; an
/// undefined value misses by one range; a threshold met adds nothing.
fn shortfall_of<'a>(
    exp: &'a Experiment,
    outcomes: &[Outcome],
    threshold_index: &'a [usize],
) -> impl Fn(&Outcome) -> f64 + 'a {
    let ranges: Vec<f64> = threshold_index
        .iter()
        .map(|&h| {
            let (lo, hi) = outcomes
                .iter()
                .map(|o| o.headline[h])
                .filter(|v| !v.is_nan())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                });
            if hi > lo { hi - lo } else { 1.0 }
        })
        .collect();
    move |o: &Outcome| {
        exp.thresholds
            .iter()
            .zip(threshold_index)
            .zip(&ranges)
            .map(|((t, &h), range)| {
                let v = o.headline[h];
                if v.is_nan() {
                    return 1.0;
                }
                if t.holds(v) {
                    return 0.0;
                }
                let bound = [t.below, t.at_most, t.above, t.at_least]
                    .into_iter()
                    .flatten()
                    .next()
                    .unwrap_or(v);
                (v - bound).abs() / range
            })
            .sum()
    }
}
