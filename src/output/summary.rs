//! What is shown at the terminal: for a scenario, each headline indicator's
//! mean ± σ and range across replications (in the manner of hyperfine); for
//! an experiment, a compact table of the policies' robustness.

use std::fmt::Write as _;

use crate::experiment::{Experiment, ExperimentResult, Robustness};
use crate::model::HEADLINES;
use crate::model::indicators::headline;

/// Mean, standard deviation, minimum and maximum of the defined values.
pub fn spread(values: impl Iterator<Item = f64>) -> Option<(f64, f64, f64, f64)> {
    let v: Vec<f64> = values.filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return None;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((mean, var.sqrt(), min, max))
}

/// A number in few characters.
pub fn num(v: f64) -> String {
    let a = v.abs();
    if v.is_nan() {
        "–".into()
    } else if a >= 1e6 {
        format!("{v:.3e}")
    } else if a >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// The terminal summary of a plain scenario run.
pub fn terminal_summary(exp: &Experiment, result: &ExperimentResult) -> String {
    let mut out = String::new();
    let n = result.outcomes.len();
    let _ = writeln!(
        out,
        "{} — {n} replication{}, seed {}",
        exp.name,
        if n == 1 { "" } else { "s" },
        exp.seed
    );
    let width = HEADLINES.iter().map(|h| h.name.len()).max().unwrap_or(0);
    for (k, h) in HEADLINES.iter().enumerate() {
        let line = match spread(result.outcomes.iter().map(|o| o.headline[k])) {
            None => "undefined".to_string(),
            Some((mean, sd, min, max)) if n > 1 => {
                format!(
                    "{:>10} ± {:<9} [{} … {}]",
                    num(mean),
                    num(sd),
                    num(min),
                    num(max)
                )
            }
            Some((mean, ..)) => format!("{:>10}", num(mean)),
        };
        let _ = writeln!(out, "  {:<width$}  {line}", h.name);
    }
    out
}

/// The robustness table's columns when an experiment sets no thresholds.
const DEFAULT_COLUMNS: [usize; 3] = [
    headline::index("language_wait_worst_region_weeks"),
    headline::index("homeless_share_of_refugees_peak"),
    headline::index("employment_rate_3y_plus_final"),
];
/// The indicator whose regret the robustness table shows.
const BALANCE: usize = headline::index("cumulative_discounted_balance");

/// The terminal table of an experiment: per policy, the satisficing share,
/// each threshold indicator's mean [5th … 95th percentile], mean regret on
/// the discounted balance, and where the policy fails most.
pub fn robustness_table(exp: &Experiment, r: &Robustness) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} scenario{} × {} polic{} × {} sample{} × {} replication{} = {} futures per policy",
        exp.name,
        exp.scenarios.len(),
        if exp.scenarios.len() == 1 { "" } else { "s" },
        exp.policies.len(),
        if exp.policies.len() == 1 { "y" } else { "ies" },
        exp.samples.len(),
        if exp.samples.len() == 1 { "" } else { "s" },
        exp.replications,
        if exp.replications == 1 { "" } else { "s" },
        exp.scenarios.len() * exp.samples.len() * exp.replications as usize
    );
    // Columns: the thresholds' indicators, or a default set.
    let mut columns: Vec<usize> = exp
        .thresholds
        .iter()
        .filter_map(|t| headline::position(&t.indicator).ok())
        .collect();
    let mut seen = std::collections::HashSet::new();
    columns.retain(|c| seen.insert(*c));
    if columns.is_empty() {
        columns = DEFAULT_COLUMNS.to_vec();
    }
    for t in &exp.thresholds {
        let _ = writeln!(out, "  threshold: {}", t.describe());
    }
    let pw = exp
        .policies
        .iter()
        .map(|p| p.len())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut header = format!("  {:<pw$}", "policy");
    if !exp.thresholds.is_empty() {
        header.push_str(&format!("  {:>11}", "satisficing"));
    }
    for &c in &columns {
        header.push_str(&format!("  {:>28}", HEADLINES[c].short));
    }
    header.push_str(&format!("  {:>14}", "balance regret"));
    let _ = writeln!(out, "{header}");
    let judgement = |p: usize, h: usize| {
        r.indicators
            .iter()
            .find(|j| j.policy == p && j.indicator == h)
    };
    // Best satisficing share first, then by name.
    let mut order: Vec<usize> = (0..exp.policies.len()).collect();
    let share = |p: usize| {
        r.satisficing
            .iter()
            .find(|s| s.policy == p && s.scenario.is_none())
            .map_or(f64::NAN, |s| s.share)
    };
    order.sort_by(|a, b| share(*b).total_cmp(&share(*a)).then(a.cmp(b)));
    for p in order {
        let mut line = format!("  {:<pw$}", exp.policies[p]);
        if !exp.thresholds.is_empty() {
            line.push_str(&format!("  {:>10.0}%", share(p) * 100.0));
        }
        for &c in &columns {
            let cell = judgement(p, c)
                .map(|j| format!("{} [{} … {}]", num(j.mean), num(j.p5), num(j.p95)))
                .unwrap_or_default();
            line.push_str(&format!("  {cell:>28}"));
        }
        let regret = judgement(p, BALANCE).map_or(f64::NAN, |j| j.regret_mean);
        line.push_str(&format!("  {:>14}", num(regret)));
        let _ = writeln!(out, "{line}");
    }
    for p in 0..exp.policies.len() {
        let failing: Vec<_> = r
            .failures
            .iter()
            .filter(|f| f.policy == p && f.share > 0.0)
            .collect();
        let worst: Vec<String> = failing
            .iter()
            .take(3)
            .map(|f| {
                format!(
                    "{} sample {} ({:.0}%, shortfall {})",
                    exp.scenarios[f.scenario],
                    f.sample,
                    f.share * 100.0,
                    num(f.shortfall)
                )
            })
            .collect();
        if let Some(first) = failing.first() {
            // Ranked by failure share, then by how far they miss; say how
            // many share the top failure share.
            let tie = if first.tied > 1 {
                format!(
                    "; {} futures fail in {:.0}% of replications",
                    first.tied,
                    first.share * 100.0
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {} fails most in: {}{tie}",
                exp.policies[p],
                worst.join(", ")
            );
        }
    }
    out
}
