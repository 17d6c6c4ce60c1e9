//! Costs and benefits of each policy against a reference policy (issue 18,
//! `docs/model.md` "Cost-benefit analysis"): per year, the discounted costs
//! by category, contributions and net balance; over the horizon, the net
//! present value with a terminal value, its difference against the
//! reference in the same futures (common random numbers: every policy meets
//! the same random streams, so the difference is the policy's), the share
//! of futures in which it is positive, the break-even year, and the cost of
//! each outcome gained that money does not count.
//!
//! Each cell keeps a short vector of its accounts ([`cell_accounts`]),
//! computed from its series when it is run and recorded with its headline,
//! so that resumed and sharded runs give the same `cost_benefit.csv`.

use crate::experiment::Experiment;
use crate::experiment::runner::Outcome;
use crate::experiment::stats::type7;
use crate::model::components::Service;
use crate::model::indicators::{self as ind, Series, WEEKLY, service_indicator};
use crate::scenario::Scenario;

/// The policy compared against when none is named: `status_quo` if there
/// is one, else the first policy the file lists.
pub const DEFAULT_REFERENCE: &str = "status_quo";

/// Values kept per year of a cell, in this order: the eight cost
/// categories, cost, contributions and net balance, all discounted to week
/// 0; then the net balance undiscounted (for the terminal value).
pub const YEAR_FIELDS: usize = ind::COST_CATEGORIES.len() + 4;
const COST_AT: usize = ind::COST_CATEGORIES.len();
const CONTRIBUTIONS_AT: usize = COST_AT + 1;
const NET_AT: usize = COST_AT + 2;
const NET_UNDISCOUNTED_AT: usize = COST_AT + 3;

/// Outcomes money does not count, over the whole run, in person-years
/// (persons × weeks ÷ 52), kept apart and never converted into money.
pub const BEYOND_FISCAL: [(&str, &str); 5] = [
    ("employment_years", "Employment years of refugees"),
    ("homeless_years", "Person-years homeless"),
    ("overcrowded_years", "Person-years overcrowded"),
    ("waiting_years", "Person-years waiting for a service"),
    (
        "school_waiting_years",
        "Children's school years lost waiting for a place",
    ),
];

/// Values kept per cell after the years: the [`BEYOND_FISCAL`] totals, the
/// terminal value, and the monetised value of employment and homelessness
/// (NaN unless `accounts.shadow_prices.enabled`).
const TOTALS: usize = BEYOND_FISCAL.len() + 2;
const TERMINAL_AT: usize = BEYOND_FISCAL.len();
const MONETISED_AT: usize = BEYOND_FISCAL.len() + 1;

/// The terminal value in a cell's accounts.
pub fn terminal(accounts: &[f64]) -> f64 {
    accounts[accounts.len() - TOTALS + TERMINAL_AT]
}

/// Years the horizon starts (the last may be partial).
pub fn years(horizon_weeks: u32) -> usize {
    (horizon_weeks as usize).div_ceil(52)
}

/// The length of a cell's accounts.
pub fn accounts_len(horizon_weeks: u32) -> usize {
    years(horizon_weeks) * YEAR_FIELDS + TOTALS
}

/// A cell's accounts: [`YEAR_FIELDS`] per year, then the beyond-fiscal
/// totals and the terminal value, from the national row of its series.
pub fn cell_accounts(series: &Series, scenario: &Scenario) -> Vec<f64> {
    let a = &scenario.accounts;
    let weeks = series.weeks;
    let n = years(weeks as u32);
    let nat = series.national();
    let mut out = vec![0.0; n * YEAR_FIELDS + TOTALS];
    let mut totals = [0.0; BEYOND_FISCAL.len()];
    let prices = &a.shadow_prices;
    let mut monetised = 0.0;
    let waiting: Vec<usize> = Service::ALL
        .iter()
        .map(|&s| service_indicator(s, ind::WAITING))
        .collect();
    for w in 0..weeks {
        let d = (1.0 + a.discount_rate_annual).powf(-(w as f64) / 52.0);
        let year = &mut out[w / 52 * YEAR_FIELDS..(w / 52 + 1) * YEAR_FIELDS];
        for (slot, &k) in year.iter_mut().zip(&ind::COST_CATEGORIES) {
            *slot += series.get(w, nat, k) * d;
        }
        year[COST_AT] += series.get(w, nat, ind::COST) * d;
        year[CONTRIBUTIONS_AT] += series.get(w, nat, ind::CONTRIBUTIONS) * d;
        year[NET_AT] += series.get(w, nat, ind::BALANCE) * d;
        year[NET_UNDISCOUNTED_AT] += series.get(w, nat, ind::BALANCE);
        totals[0] += series.get(w, nat, ind::EMPLOYED_REFUGEES) / 52.0;
        totals[1] += series.get(w, nat, ind::HOMELESS) / 52.0;
        totals[2] += series.get(w, nat, ind::OVERCROWDED) / 52.0;
        totals[3] += waiting.iter().map(|&k| series.get(w, nat, k)).sum::<f64>() / 52.0;
        totals[4] += series.get(w, nat, ind::SCHOOL_WAITING) / 52.0;
        // Discounted like money: a year in work is worth its price, a year
        // homeless costs its price.
        monetised += d / 52.0
            * (series.get(w, nat, ind::EMPLOYED_REFUGEES) * prices.employment_year
                - series.get(w, nat, ind::HOMELESS) * prices.homeless_year);
    }
    let at = n * YEAR_FIELDS;
    out[at..at + BEYOND_FISCAL.len()].copy_from_slice(&totals);
    out[at + TERMINAL_AT] = terminal_value(&out[..at], weeks, scenario);
    out[at + MONETISED_AT] = if prices.enabled { monetised } else { f64::NAN };
    out
}

/// The terminal value: the mean annual (undiscounted) net balance of the
/// last five years of the run (fewer if the run is shorter; a partial last
/// year counted at its annual rate), received for `accounts.terminal_years`
/// more years and discounted to week 0.
fn terminal_value(years: &[f64], weeks: usize, scenario: &Scenario) -> f64 {
    let a = &scenario.accounts;
    let n = years.len() / YEAR_FIELDS;
    if n == 0 || a.terminal_years <= 0.0 {
        return 0.0;
    }
    let last = n.min(5);
    let annual: f64 = (n - last..n)
        .map(|y| {
            let length = (weeks - y * 52).min(52) as f64;
            years[y * YEAR_FIELDS + NET_UNDISCOUNTED_AT] * 52.0 / length
        })
        .sum::<f64>()
        / last as f64;
    let factor = 1.0 + a.discount_rate_annual;
    let whole = a.terminal_years.floor() as usize;
    let mut annuity: f64 = (1..=whole).map(|k| factor.powf(-(k as f64))).sum();
    annuity += (a.terminal_years - whole as f64) * factor.powf(-((whole + 1) as f64));
    annual * annuity * factor.powf(-(weeks as f64) / 52.0)
}

/// One row of `cost_benefit.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub scenario: usize,
    pub policy: usize,
    /// A year from 1, or `None` for the whole horizon.
    pub year: Option<usize>,
    pub quantity: String,
    pub stats: Stats,
}

/// A quantity across the futures (samples × replications) of a scenario:
/// NaN where it does not apply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub futures: usize,
    pub mean: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    /// Standard error of the mean (of the paired difference, for a
    /// difference against the reference).
    pub se: f64,
    /// For a difference: the standard error it would have if the two
    /// policies had been run in independent futures,
    /// √(var(policy)/n + var(reference)/n).
    pub se_independent: f64,
    /// For a difference: the share of futures in which it is positive
    /// (for the break-even year: the share that break even).
    pub share_positive: f64,
}

impl Stats {
    /// Mean, quantiles and standard error of `v`.
    pub fn of(v: &[f64]) -> Stats {
        let n = v.len();
        let mut sorted = v.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mean = v.iter().sum::<f64>() / n as f64;
        Stats {
            futures: n,
            mean,
            p5: type7(&sorted, 0.05),
            p50: type7(&sorted, 0.5),
            p95: type7(&sorted, 0.95),
            se: (variance(v) / n as f64).sqrt(),
            se_independent: f64::NAN,
            share_positive: f64::NAN,
        }
    }

    /// [`Stats::of`] the paired differences `policy − reference`, with the
    /// independent runs' standard error and the share positive.
    pub fn difference(policy: &[f64], reference: &[f64]) -> Stats {
        let d: Vec<f64> = policy.iter().zip(reference).map(|(p, r)| p - r).collect();
        let n = d.len() as f64;
        Stats {
            se_independent: ((variance(policy) + variance(reference)) / n).sqrt(),
            share_positive: d.iter().filter(|&&x| x > 0.0).count() as f64 / n,
            ..Stats::of(&d)
        }
    }
}

/// Sample variance (divisor n − 1); NaN for fewer than two values.
fn variance(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    if v.len() < 2 {
        return f64::NAN;
    }
    let mean = v.iter().sum::<f64>() / n;
    v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)
}

/// The rows of `cost_benefit.csv` for an experiment whose outcomes are in
/// cell order.
pub fn rows(exp: &Experiment, outcomes: &[Outcome]) -> Vec<Row> {
    let n_years = years(exp.horizon_weeks);
    let futures = exp.samples.len() * exp.replications as usize;
    let reference = exp.reference_policy;
    let policies = exp.policies.len();
    // The cells of (scenario, policy), in future order.
    let cells = |s: usize, p: usize| {
        let start = (s * policies + p) * futures;
        &outcomes[start..start + futures]
    };
    let field = |cs: &[Outcome], i: usize| cs.iter().map(|o| o.accounts[i]).collect::<Vec<f64>>();
    let mut out = Vec::new();
    for s in 0..exp.scenarios.len() {
        let base = cells(s, reference);
        for p in 0..policies {
            let mine = cells(s, p);
            let mut push = |year: Option<usize>, quantity: &str, stats: Stats| {
                out.push(Row {
                    scenario: s,
                    policy: p,
                    year,
                    quantity: quantity.to_string(),
                    stats,
                })
            };
            let mut cumulative = vec![0.0; futures];
            let mut cumulative_by_year = Vec::with_capacity(n_years);
            for y in 0..n_years {
                let at = y * YEAR_FIELDS;
                for (j, &k) in ind::COST_CATEGORIES.iter().enumerate() {
                    push(Some(y + 1), WEEKLY[k].name, Stats::of(&field(mine, at + j)));
                }
                push(Some(y + 1), "cost", Stats::of(&field(mine, at + COST_AT)));
                let contributions = field(mine, at + CONTRIBUTIONS_AT);
                push(Some(y + 1), "contributions", Stats::of(&contributions));
                let net = field(mine, at + NET_AT);
                let net_base = field(base, at + NET_AT);
                push(Some(y + 1), "net", Stats::of(&net));
                push(
                    Some(y + 1),
                    "net_vs_reference",
                    Stats::difference(&net, &net_base),
                );
                for (c, (a, b)) in cumulative.iter_mut().zip(net.iter().zip(&net_base)) {
                    *c += a - b;
                }
                push(
                    Some(y + 1),
                    "cumulative_net_vs_reference",
                    Stats::of(&cumulative),
                );
                cumulative_by_year.push(cumulative.clone());
            }
            let npv = |cs: &[Outcome]| -> Vec<f64> {
                cs.iter()
                    .map(|o| {
                        (0..n_years)
                            .map(|y| o.accounts[y * YEAR_FIELDS + NET_AT])
                            .sum::<f64>()
                            + o.accounts[n_years * YEAR_FIELDS + TERMINAL_AT]
                    })
                    .collect()
            };
            let terminal = field(mine, n_years * YEAR_FIELDS + TERMINAL_AT);
            let (npv_mine, npv_base) = (npv(mine), npv(base));
            push(None, "npv", Stats::of(&npv_mine));
            push(None, "terminal_value", Stats::of(&terminal));
            push(
                None,
                "npv_vs_reference",
                Stats::difference(&npv_mine, &npv_base),
            );
            push(
                None,
                "break_even_year",
                break_even(&cumulative_by_year, futures),
            );
            // Outcomes money does not count, and their cost.
            let cost = |cs: &[Outcome]| -> Vec<f64> {
                cs.iter()
                    .map(|o| {
                        (0..n_years)
                            .map(|y| o.accounts[y * YEAR_FIELDS + COST_AT])
                            .sum::<f64>()
                    })
                    .collect()
            };
            let extra_cost = Stats::difference(&cost(mine), &cost(base));
            push(None, "cost_vs_reference", extra_cost);
            for (i, (name, _)) in BEYOND_FISCAL.iter().enumerate() {
                let at = n_years * YEAR_FIELDS + i;
                push(None, name, Stats::of(&field(mine, at)));
                // Employment gained is higher-better; the others are avoided.
                let (gain, label) = if i == 0 {
                    (
                        Stats::difference(&field(mine, at), &field(base, at)),
                        "employment_years_gained".to_string(),
                    )
                } else {
                    (
                        Stats::difference(&field(base, at), &field(mine, at)),
                        format!("{name}_avoided"),
                    )
                };
                push(None, &label, gain);
                let per = if gain.mean > 0.0 {
                    extra_cost.mean / gain.mean
                } else {
                    f64::NAN
                };
                push(
                    None,
                    &format!("cost_per_{}", label.replacen("_years_", "_year_", 1)),
                    Stats {
                        futures,
                        mean: per,
                        ..Stats::undefined()
                    },
                );
            }
            // The monetised view, apart from the fiscal one: the NPV against
            // the reference plus the shadow-priced employment gained and
            // homelessness avoided (the terminal value stays fiscal).
            let monetised = field(mine, n_years * YEAR_FIELDS + MONETISED_AT);
            if monetised.iter().all(|m| !m.is_nan()) {
                let with = |npv: &[f64], m: &[f64]| -> Vec<f64> {
                    npv.iter().zip(m).map(|(a, b)| a + b).collect()
                };
                let base_m = field(base, n_years * YEAR_FIELDS + MONETISED_AT);
                push(
                    None,
                    "shadow_value_vs_reference",
                    Stats::difference(&monetised, &base_m),
                );
                push(
                    None,
                    "monetised_npv_vs_reference",
                    Stats::difference(&with(&npv_mine, &monetised), &with(&npv_base, &base_m)),
                );
            }
        }
    }
    out
}

impl Stats {
    fn undefined() -> Stats {
        Stats {
            futures: 0,
            mean: f64::NAN,
            p5: f64::NAN,
            p50: f64::NAN,
            p95: f64::NAN,
            se: f64::NAN,
            se_independent: f64::NAN,
            share_positive: f64::NAN,
        }
    }
}

/// The break-even year of each future: the first year (from 1) from whose
/// end the cumulative discounted difference against the reference stays at
/// or above 0 to the end of the horizon. Quantiles over the futures that
/// break even; `share_positive` is their share.
fn break_even(cumulative_by_year: &[Vec<f64>], futures: usize) -> Stats {
    let mut years = Vec::new();
    for f in 0..futures {
        let mut found = None;
        for y in (0..cumulative_by_year.len()).rev() {
            if cumulative_by_year[y][f] >= 0.0 {
                found = Some(y + 1);
            } else {
                break;
            }
        }
        if let Some(y) = found {
            years.push(y as f64);
        }
    }
    let share = years.len() as f64 / futures as f64;
    if years.is_empty() {
        return Stats {
            futures,
            share_positive: share,
            ..Stats::undefined()
        };
    }
    Stats {
        futures,
        share_positive: share,
        se_independent: f64::NAN,
        ..Stats::of(&years)
    }
}

/// The header of `cost_benefit.csv`.
pub const HEADER: [&str; 13] = [
    "scenario",
    "policy",
    "reference",
    "year",
    "quantity",
    "futures",
    "mean",
    "p5",
    "p50",
    "p95",
    "se",
    "se_independent",
    "share_positive",
];
