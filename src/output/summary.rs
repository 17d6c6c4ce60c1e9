//! The summary shown at the terminal: each headline indicator's mean ± σ and
//! its range across replications, in the manner of hyperfine.

use std::fmt::Write as _;

use crate::model::HEADLINES;
use crate::run::RunResult;

/// Mean, standard deviation, minimum and maximum of the defined values.
pub fn spread(values: impl Iterator<Item = f64>) -> Option<(f64, f64, f64, f64, usize)> {
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
    Some((mean, var.sqrt(), min, max, v.len()))
}

fn num(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.3e}", v)
    } else if a >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// The terminal summary of a run.
pub fn terminal_summary(run: &RunResult) -> String {
    let mut out = String::new();
    let n = run.replications.len();
    let _ = writeln!(
        out,
        "{} — {n} replication{}, seed {}",
        run.scenario_name,
        if n == 1 { "" } else { "s" },
        run.master_seed
    );
    let width = HEADLINES.iter().map(|h| h.len()).max().unwrap_or(0);
    for (k, name) in HEADLINES.iter().enumerate() {
        let line = match spread(run.replications.iter().map(|r| r.headline[k])) {
            None => "undefined".to_string(),
            Some((mean, sd, min, max, _)) if n > 1 => {
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
        let _ = writeln!(out, "  {name:<width$}  {line}");
    }
    out
}
