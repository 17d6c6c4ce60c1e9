//! What is shown at the terminal: for a scenario, each headline indicator's
//! mean ± σ and range across replications (in the manner of hyperfine); for
//! an experiment, a compact table of the policies' robustness; then where
//! the results are. Labels and units come from the table of indicators,
//! numbers from [`numbers`](super::numbers); everything fits in
//! [`WIDTH`] columns unless the caller asks for the full width (`--wide`).

use std::fmt::Write as _;
use std::path::Path;

use super::numbers::{Format, count_words, grouped, percent};
use super::text_table::{TextTable, paragraph, width};
use crate::experiment::{Experiment, ExperimentResult, Robustness, Threshold};
use crate::model::HEADLINES;
use crate::model::indicators::{Headline, headline};

pub use super::text_table::WIDTH;

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

/// The currency the experiment's money is in (every configuration shares
/// the world's accounts unless a scenario changes the label).
pub fn currency(exp: &Experiment) -> &str {
    exp.configs
        .first()
        .map_or("EUR", |c| c.accounts.currency.as_str())
}

/// A headline indicator's label with its unit: `Total cost (million EUR)`.
fn labelled(h: &Headline, f: &Format) -> String {
    format!("{} ({})", h.label, f.unit)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        grouped(n as f64, 0),
        if n == 1 { one } else { many }
    )
}

/// The terminal summary of a plain scenario run, in [`WIDTH`] columns.
pub fn terminal_summary(exp: &Experiment, result: &ExperimentResult) -> String {
    terminal_summary_in(exp, result, Some(WIDTH))
}

/// The terminal summary of a plain scenario run: a line per headline
/// indicator, its label and unit, mean ± standard deviation [lowest …
/// highest] across replications. Within `width` columns (None: one line
/// per indicator whatever its length); a row too long is split, the
/// numbers on a line of their own.
pub fn terminal_summary_in(
    exp: &Experiment,
    result: &ExperimentResult,
    width_limit: Option<usize>,
) -> String {
    let mut out = String::new();
    let n = result.outcomes.len();
    let _ = writeln!(
        out,
        "{}: {}, seed {}",
        exp.name,
        plural(n, "replication", "replications"),
        exp.seed
    );
    let legend = if n > 1 {
        format!("mean ± standard deviation [lowest … highest] across the {n} replications")
    } else {
        "one replication, so no spread: run more with --replications N".to_string()
    };
    out.push_str(&paragraph("", &legend, width_limit, 2));
    let currency = currency(exp);
    struct Row {
        label: String,
        cells: Option<[String; 4]>,
        note: String,
    }
    let rows: Vec<Row> = HEADLINES
        .iter()
        .enumerate()
        .map(|(k, h)| {
            let values: Vec<f64> = result.outcomes.iter().map(|o| o.headline[k]).collect();
            let defined = values.iter().filter(|v| !v.is_nan()).count();
            let stats = spread(values.iter().copied());
            let f = match stats {
                Some((mean, _, min, max)) => Format::fitting(h.unit, currency, &[mean, min, max]),
                None => Format::new(h.unit, currency, 0.0),
            };
            let note = if defined == 0 {
                "undefined in every replication".to_string()
            } else if defined < n {
                format!("(defined in {defined} of {n})")
            } else {
                String::new()
            };
            Row {
                label: labelled(h, &f),
                cells: stats.map(|(mean, sd, min, max)| {
                    [f.show(mean), f.show(sd), f.show(min), f.show(max)]
                }),
                note,
            }
        })
        .collect();
    let col = |j: usize| {
        rows.iter()
            .filter_map(|r| r.cells.as_ref().map(|c| width(&c[j])))
            .max()
            .unwrap_or(0)
    };
    let (mw, sw, lw, hw) = (col(0), col(1), col(2), col(3));
    let label_w = rows.iter().map(|r| width(&r.label)).max().unwrap_or(0);
    let numbers = |c: &[String; 4]| {
        if n > 1 {
            format!(
                "{:>mw$} ± {:>sw$}  [{:>lw$} … {:>hw$}]",
                c[0], c[1], c[2], c[3]
            )
        } else {
            format!("{:>mw$}", c[0])
        }
    };
    let numbers_w = rows
        .iter()
        .filter_map(|r| r.cells.as_ref().map(|c| width(&numbers(c))))
        .max()
        .unwrap_or(0);
    // One line per indicator when it fits, else the label on a line of its own.
    let split = width_limit.is_some_and(|w| 2 + label_w + 2 + numbers_w > w);
    for r in &rows {
        let body = match &r.cells {
            Some(c) => format!("{} {}", numbers(c), r.note),
            None => r.note.clone(),
        };
        let body = body.trim_end();
        if split {
            let _ = writeln!(out, "  {}\n      {body}", r.label);
        } else {
            let fill = " ".repeat(label_w - width(&r.label));
            let _ = writeln!(out, "  {}{fill}  {body}", r.label);
        }
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

/// A threshold in words: `Language-course wait, worst region < 12 weeks`.
pub fn threshold_words(t: &Threshold, currency: &str) -> String {
    let (op, v) = if let Some(v) = t.below {
        ("<", v)
    } else if let Some(v) = t.at_most {
        ("≤", v)
    } else if let Some(v) = t.above {
        (">", v)
    } else {
        ("≥", t.at_least.unwrap_or(f64::NAN))
    };
    match headline::get(&t.indicator) {
        Some(h) => {
            let (scale, _) = h.unit.display();
            let f = Format::new(h.unit, currency, v);
            // The bound as written, in the unit people read: 0.02 is 2%.
            let shown = (v * scale * 1e9).round() / 1e9;
            let value = if f.unit == "%" {
                format!("{}%", plain(shown))
            } else {
                format!("{} {}", plain(shown), f.unit)
            };
            format!("{} {op} {value}", h.label)
        }
        None => t.describe(),
    }
}

/// A number as written, with thousands separators: 12, 0.25, 1,500.
fn plain(v: f64) -> String {
    let text = format!("{v}");
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    grouped(v, decimals)
}

/// The terminal table of an experiment, in [`WIDTH`] columns.
pub fn robustness_table(exp: &Experiment, r: &Robustness) -> String {
    robustness_table_in(exp, r, Some(WIDTH))
}

/// The terminal table of an experiment: per policy, the satisficing share,
/// each threshold indicator's mean [5th … 95th percentile], mean regret on
/// the discounted balance, and where the policy fails most. Within `width`
/// columns (None: every column in full): the percentile ranges are left
/// out first, then columns from the right, and a note says so.
pub fn robustness_table_in(exp: &Experiment, r: &Robustness, width_limit: Option<usize>) -> String {
    let mut out = String::new();
    let futures = exp.scenarios.len() * exp.samples.len() * exp.replications as usize;
    let _ = writeln!(
        out,
        "{}: {} × {} × {} × {} = {} per policy",
        exp.name,
        plural(exp.scenarios.len(), "scenario", "scenarios"),
        plural(exp.policies.len(), "policy", "policies"),
        plural(exp.samples.len(), "sample", "samples"),
        plural(exp.replications as usize, "replication", "replications"),
        plural(futures, "future", "futures"),
    );
    let currency = currency(exp);
    for t in &exp.thresholds {
        let _ = writeln!(out, "  threshold: {}", threshold_words(t, currency));
    }
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

    // One format per column, fitting every value shown in it.
    let fmt = |h: usize| {
        let mut v = Vec::new();
        for p in 0..exp.policies.len() {
            if let Some(j) = judgement(p, h) {
                v.extend([j.mean, j.p5, j.p95, j.regret_mean]);
            }
        }
        Format::fitting(HEADLINES[h].unit, currency, &v)
    };
    let build = |ranges: bool, keep: usize| {
        let mut t = TextTable::new().column("policy", false);
        if !exp.thresholds.is_empty() {
            t = t.column("satisficing", true);
        }
        for &c in columns.iter().take(keep) {
            t = t.column(format!("{} ({})", HEADLINES[c].short, fmt(c).unit), true);
        }
        let bf = fmt(BALANCE);
        t = t.column(format!("balance regret ({})", bf.unit), true);
        for &p in &order {
            let mut row = vec![exp.policies[p].clone()];
            if !exp.thresholds.is_empty() {
                row.push(percent(share(p)));
            }
            for &c in columns.iter().take(keep) {
                let f = fmt(c);
                row.push(judgement(p, c).map_or(String::new(), |j| {
                    if ranges {
                        format!("{} [{} … {}]", f.show(j.mean), f.show(j.p5), f.show(j.p95))
                    } else {
                        f.show(j.mean)
                    }
                }));
            }
            row.push(bf.show(judgement(p, BALANCE).map_or(f64::NAN, |j| j.regret_mean)));
            t.row(row);
        }
        t
    };
    // The widest table that fits: ranges first, then fewer columns.
    let mut choice = (true, columns.len());
    if let Some(w) = width_limit {
        let fits = |(ranges, keep): (bool, usize)| build(ranges, keep).total_width(2) <= w;
        let candidates = std::iter::once((true, columns.len()))
            .chain((1..=columns.len()).rev().map(|k| (false, k)));
        choice = candidates.clone().find(|&c| fits(c)).unwrap_or((false, 1));
    }
    let table = build(choice.0, choice.1);
    let legend = format!(
        "satisficing: share of the futures in which every threshold holds; cells: mean{} across the \
         {futures} futures of each policy; regret: how far the discounted balance falls behind the \
         best policy in the same future, on average",
        if choice.0 {
            " [5th … 95th percentile]"
        } else {
            ""
        },
    );
    let legend = if exp.thresholds.is_empty() {
        legend.replacen(
            "satisficing: share of the futures in which every threshold holds; ",
            "",
            1,
        )
    } else {
        legend
    };
    out.push_str(&paragraph("  ", &legend, width_limit, 2));
    out.push_str(&table.render(2));
    if choice != (true, columns.len()) {
        let left: Vec<&str> = columns
            .iter()
            .skip(choice.1)
            .map(|&c| HEADLINES[c].short)
            .collect();
        let what = if left.is_empty() {
            "percentile ranges".to_string()
        } else {
            format!("percentile ranges and {}", left.join(", "))
        };
        out.push_str(&paragraph(
            "  ",
            &format!(
                "({what} left out to fit {} columns: --wide shows them)",
                width_limit.unwrap_or(0)
            ),
            width_limit,
            2,
        ));
    }
    failures(&mut out, exp, r, width_limit);
    out
}

/// Where each policy fails most, a wrapped paragraph per policy.
fn failures(out: &mut String, exp: &Experiment, r: &Robustness, width_limit: Option<usize>) {
    let failing = |p: usize| -> Vec<&crate::experiment::robustness::Failure> {
        r.failures
            .iter()
            .filter(|f| f.policy == p && f.share > 0.0)
            .collect()
    };
    if (0..exp.policies.len()).all(|p| failing(p).is_empty()) {
        return;
    }
    out.push_str(&paragraph(
        "",
        "Where each policy fails most: futures (scenario and sample), worst first, with the \
         share of replications that break a threshold and the shortfall (how far the thresholds \
         are missed, in ranges of each indicator across the experiment)",
        width_limit,
        2,
    ));
    let pw = exp.policies.iter().map(|p| width(p)).max().unwrap_or(0);
    for p in 0..exp.policies.len() {
        let failing = failing(p);
        let Some(first) = failing.first() else {
            continue;
        };
        let mut text = failing
            .iter()
            .take(3)
            .map(|f| {
                format!(
                    "{} sample {} ({}, {})",
                    exp.scenarios[f.scenario],
                    f.sample,
                    percent(f.share),
                    super::numbers::general(f.shortfall)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        // Ranked by failure share, then by how far they miss; say how many
        // share the top failure share.
        if first.tied > 1 {
            let how = if first.share >= 1.0 {
                "in every replication".to_string()
            } else {
                format!("in {} of replications", percent(first.share))
            };
            let _ = write!(text, "; {} futures fail {how}", first.tied);
        }
        let name = format!("  {:<pw$}  ", exp.policies[p]);
        out.push_str(&paragraph(&name, &text, width_limit, width(&name)));
    }
}

/// How fast the run was: `618.2 million person-weeks in 79.4 s (7.8
/// million a second on 2 threads)`, and cells taken from an interrupted
/// run.
pub fn speed_line(person_weeks: f64, seconds: f64, threads: usize, resumed: u64) -> String {
    let resumed = if resumed > 0 {
        format!("; {resumed} cells taken from the interrupted run")
    } else {
        String::new()
    };
    format!(
        "{} person-weeks in {} s ({} a second on {}){resumed}",
        count_words(person_weeks),
        super::numbers::general(seconds),
        count_words(person_weeks / seconds.max(1e-9)),
        plural(threads, "thread", "threads"),
    )
}

/// The closing line: where the results are, and the report (written, or
/// the command that writes it).
pub fn closing(out: &Path, report: Option<&Path>) -> String {
    match report {
        Some(path) => format!("results in {}; report in {}", out.display(), path.display()),
        None => format!(
            "results in {}; charts and tables: foresight report {}",
            out.display(),
            shell_word(&out.display().to_string())
        ),
    }
}

/// A path as one shell word.
fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:,@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_read_in_the_units_people_use() {
        let t = |indicator: &str, below: f64| Threshold {
            indicator: indicator.into(),
            below: Some(below),
            at_most: None,
            above: None,
            at_least: None,
        };
        assert_eq!(
            threshold_words(&t("homeless_share_of_refugees_final", 0.02), "EUR"),
            "Homeless share of refugees, final week < 2%"
        );
        assert_eq!(
            threshold_words(&t("language_wait_worst_region_weeks", 12.0), "EUR"),
            "Language-course wait, worst region < 12 weeks"
        );
        assert_eq!(
            threshold_words(&t("total_cost", 1.5e9), "SEK"),
            "Total cost < 1,500 million SEK"
        );
        assert_eq!(
            threshold_words(&t("happiness", 1.0), "EUR"),
            "happiness < 1"
        );
    }

    #[test]
    fn the_closing_line_names_the_folder_and_the_report_command() {
        assert_eq!(
            closing(Path::new("outputs/baseline"), None),
            "results in outputs/baseline; charts and tables: foresight report outputs/baseline"
        );
        assert!(closing(Path::new("my runs/a"), None).ends_with("foresight report 'my runs/a'"));
        assert_eq!(
            closing(Path::new("o"), Some(Path::new("o/report.html"))),
            "results in o; report in o/report.html"
        );
        assert_eq!(
            speed_line(6.182e8, 79.35, 2, 0),
            "618 million person-weeks in 79.3 s (7.8 million a second on 2 threads)"
        );
    }
}
