//! The policy comparison of an experiment (satisficing shares, each
//! threshold's indicator across futures, regret), each policy's worst
//! futures, and a plain run's headline table.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::data::{Manifest, Summary, Table, Threshold};
use super::format_of;
use super::html::{BALANCE, code_wbr, colour, headline_label, plural, threshold_bound};
use super::{ReportError, escape};
use crate::model::indicators::headline;
use crate::output::numbers::{Format, UNDEFINED, general, percent};

/// Whether a value breaks a threshold.
pub(super) fn breaks(t: &Threshold, v: f64) -> bool {
    match (t.value, t.op.as_str()) {
        (Some(x), "<") => v >= x,
        (Some(x), "≤") => v > x,
        (Some(x), ">") => v <= x,
        (Some(x), "≥") => v < x,
        _ => false,
    }
}

fn td(raw: &str, class: &str, format: &Format) -> String {
    let v = raw.trim().parse::<f64>().unwrap_or(f64::NAN);
    format!(
        "<td{} data-value=\"{}\">{}</td>",
        if class.is_empty() {
            String::new()
        } else {
            format!(" class=\"{class}\"")
        },
        escape(raw),
        escape(&format.show(v))
    )
}

/// The robustness table and each policy's worst futures.
pub(super) fn policy_comparison(
    out: &mut String,
    m: &Manifest,
    s: &Summary,
    rob: &Table,
    sat: Option<&Table>,
    fail: Option<&Table>,
) -> Result<(), ReportError> {
    let (rp, ri, rb) = (
        rob.col("policy")?,
        rob.col("indicator")?,
        rob.col("better")?,
    );
    let rcols = [
        rob.col("mean")?,
        rob.col("p5")?,
        rob.col("p95")?,
        rob.col("regret_mean")?,
    ];
    let mut rob_rows: HashMap<(&str, &str), usize> = HashMap::new();
    let mut policies: Vec<String> = Vec::new();
    for (i, r) in rob.rows.iter().enumerate() {
        let (p, ind) = (r[rp].as_str(), r[ri].as_str());
        rob_rows.insert((p, ind), i);
        if !policies.iter().any(|x| x == p) {
            policies.push(p.to_string());
        }
    }
    // Satisficing shares by (policy, scenario), raw.
    let mut sat_raw: HashMap<(String, String), String> = HashMap::new();
    let mut sat_scenarios: Vec<String> = Vec::new();
    if let Some(t) = sat {
        let (sp, ss, sv) = (
            t.col("policy")?,
            t.col("scenario")?,
            t.col("satisficing_share")?,
        );
        for (i, r) in t.rows.iter().enumerate() {
            t.num(i, sv)?; // a format check
            if r[ss] != "all" && !sat_scenarios.contains(&r[ss]) {
                sat_scenarios.push(r[ss].clone());
            }
            if !policies.contains(&r[sp]) {
                policies.push(r[sp].clone());
            }
            sat_raw.insert((r[sp].clone(), r[ss].clone()), r[sv].clone());
        }
    }
    // Scenarios in the manifest's order.
    sat_scenarios.sort_by_key(|x| {
        s.scenarios
            .iter()
            .position(|y| y == x)
            .unwrap_or(usize::MAX)
    });
    let overall = |p: &str| -> f64 {
        sat_raw
            .get(&(p.to_string(), "all".to_string()))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    policies.sort_by(|a, b| {
        let (x, y) = (overall(a), overall(b));
        match (x.is_nan(), y.is_nan()) {
            (false, false) => y.total_cmp(&x),
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            (true, true) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.cmp(b))
    });

    // The indicators: each threshold's, then the balance.
    let mut indicators: Vec<(String, Option<&Threshold>)> = Vec::new();
    for t in &m.thresholds {
        if !indicators.iter().any(|(i, _)| *i == t.indicator) {
            indicators.push((t.indicator.clone(), Some(t)));
        }
    }
    if !indicators.iter().any(|(i, _)| i == BALANCE) {
        indicators.push((BALANCE.into(), None));
    }

    // One format per indicator, fitting every value of its columns.
    let mut formats: HashMap<&str, Format> = HashMap::new();
    for (ind, _) in &indicators {
        let mut values = Vec::new();
        for (&(_, i), &r) in &rob_rows {
            if i == ind {
                values.extend(
                    rcols
                        .iter()
                        .map(|&c| rob.rows[r][c].parse().unwrap_or(f64::NAN)),
                );
            }
        }
        formats.insert(ind, format_of(ind, &m.currency, &values));
    }
    out.push_str("<section id=\"policies\">\n<h2>Policy comparison</h2>\n");
    let futures = s.scenarios.len() as u64 * m.samples.unwrap_or(1) * m.replications.unwrap_or(1);
    let futures = plural(futures, "future", "futures");
    let regret = "the mean <strong>regret</strong>: how far the policy falls behind the best policy in the same future (0 = best in every future)";
    if sat.is_some() {
        let _ = writeln!(
            out,
            "<p class=\"note\">Policies are sorted by their <strong>satisficing share</strong>: the share of the {futures} (scenario × sample × replication) in which every threshold holds, overall and per scenario. For each indicator, the mean and the 5th and 95th percentiles across all futures, and {regret}. Red: the value breaks the threshold. Each indicator's unit is in its heading: shares in percent (regrets in percentage points), money in millions of {}.</p>",
            escape(&m.currency)
        );
    } else {
        let _ = writeln!(
            out,
            "<p class=\"note\">This experiment sets no thresholds, so there is no satisficing share; policies are in alphabetical order. For each indicator, the mean and the 5th and 95th percentiles across the {futures} (scenario × sample × replication), and {regret}.</p>"
        );
    }
    out.push_str("<div class=\"scroll\"><table id=\"robustness\">\n<thead><tr><th class=\"l\" rowspan=\"2\">Policy</th>");
    let nsat = 1 + sat_scenarios.len();
    if sat.is_some() {
        let _ = write!(
            out,
            "<th class=\"g c\" colspan=\"{nsat}\">Satisficing share<small>all thresholds hold</small></th>"
        );
    }
    for (ind, t) in &indicators {
        let better = rob_rows
            .iter()
            .find(|((_, i), _)| i == ind)
            .map(|(_, &r)| rob.rows[r][rb].as_str())
            .unwrap_or("");
        let sub = match t {
            Some(t) => format!("threshold {}", escape(&threshold_bound(t, &m.currency))),
            None if better.is_empty() => String::new(),
            None => format!("{better} is better"),
        };
        let label = headline_label(ind);
        let unit = &formats[ind.as_str()].unit;
        let (head, code) = if label.is_empty() {
            (code_wbr(ind), String::new())
        } else {
            (
                format!(
                    "{} <span class=\"u\">({})</span>",
                    escape(label),
                    escape(unit)
                ),
                format!("<small>{}</small>", code_wbr(ind)),
            )
        };
        let _ = write!(
            out,
            "<th class=\"g c\" colspan=\"4\">{head}{code}<small>{sub}</small></th>"
        );
    }
    out.push_str("</tr>\n<tr>");
    if sat.is_some() {
        out.push_str("<th class=\"g\">all</th>");
        for sc in &sat_scenarios {
            let _ = write!(out, "<th>{}</th>", escape(sc));
        }
    }
    for _ in &indicators {
        out.push_str("<th class=\"g\">mean</th><th>p5</th><th>p95</th><th>regret</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for p in &policies {
        let pi = s.policies.iter().position(|x| x == p).unwrap_or(0);
        let _ = write!(
            out,
            "<tr><th class=\"l\" scope=\"row\"><span class=\"sw\" style=\"background:{}\"></span>{}</th>",
            colour(&s.policies, pi),
            escape(p)
        );
        if sat.is_some() {
            for (j, sc) in std::iter::once("all")
                .chain(sat_scenarios.iter().map(String::as_str))
                .enumerate()
            {
                let g = if j == 0 { " class=\"g\"" } else { "" };
                match sat_raw.get(&(p.clone(), sc.to_string())) {
                    Some(raw) => {
                        let _ = write!(
                            out,
                            "<td{g} data-value=\"{}\">{}</td>",
                            escape(raw),
                            percent(raw.parse().unwrap_or(f64::NAN))
                        );
                    }
                    None => {
                        let _ = write!(out, "<td{g}>{UNDEFINED}</td>");
                    }
                }
            }
        }
        for (ind, t) in &indicators {
            match rob_rows.get(&(p.as_str(), ind.as_str())) {
                Some(&r) => {
                    for (j, &col) in rcols.iter().enumerate() {
                        rob.num(r, col)?; // a format check
                        let raw = &rob.rows[r][col];
                        let v: f64 = raw.parse().unwrap_or(f64::NAN);
                        let mut class = String::new();
                        if j == 0 {
                            class.push('g');
                        }
                        if j < 3 && t.is_some_and(|t| v.is_finite() && breaks(t, v)) {
                            class.push_str(if class.is_empty() { "fail" } else { " fail" });
                        }
                        out.push_str(&td(raw, &class, &formats[ind.as_str()]));
                    }
                }
                None => {
                    let _ = write!(
                        out,
                        "<td class=\"g\">{UNDEFINED}</td><td>{UNDEFINED}</td><td>{UNDEFINED}</td><td>{UNDEFINED}</td>"
                    );
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");

    if let Some(f) = fail {
        worst_futures(out, f, &policies)?;
    }
    out.push_str("</section>\n");
    Ok(())
}

/// Per policy, the three (scenario, sample) pairs with the highest failure
/// share (the file's order among ties).
fn worst_futures(out: &mut String, f: &Table, policies: &[String]) -> Result<(), ReportError> {
    let (fp, fs, fsm, fr, fv) = (
        f.col("policy")?,
        f.col("scenario")?,
        f.col("sample")?,
        f.col("replications")?,
        f.col("failure_share")?,
    );
    // Ranking columns, not inputs (absent from older folders).
    let ranking: Vec<usize> = ["shortfall", "tied"]
        .iter()
        .filter_map(|c| f.col(c).ok())
        .collect();
    let extra: Vec<usize> = (0..f.headers.len())
        .filter(|&i| i > fv && ![fp, fs, fsm, fr].contains(&i) && !ranking.contains(&i))
        .collect();
    out.push_str("<h3>Where each policy fails most</h3>\n<p class=\"note\">For each policy, the three sampled futures (scenario and sample) in which the largest share of replications breaks some threshold (among equal shares, those that miss the thresholds by most), with the sample's uncertain inputs: the futures to plan against.</p>\n");
    out.push_str("<div class=\"scroll\"><table id=\"failures\">\n<thead><tr><th class=\"l\">Policy</th><th class=\"l g\">worst</th><th class=\"l g\">second</th><th class=\"l g\">third</th></tr></thead>\n<tbody>\n");
    for p in policies {
        let mut rows: Vec<(usize, f64)> = Vec::new();
        for (i, r) in f.rows.iter().enumerate() {
            if &r[fp] == p {
                rows.push((i, f.num(i, fv)?));
            }
        }
        rows.sort_by(|a, b| match (a.1.is_nan(), b.1.is_nan()) {
            (false, false) => b.1.total_cmp(&a.1),
            (x, y) => x.cmp(&y),
        });
        let _ = write!(out, "<tr><th class=\"l\" scope=\"row\">{}</th>", escape(p));
        for k in 0..3 {
            let Some(&(i, share)) = rows.get(k) else {
                let _ = write!(out, "<td class=\"l g\">{UNDEFINED}</td>");
                continue;
            };
            let r = &f.rows[i];
            let reps: u64 = r[fr].parse().unwrap_or(0);
            let inputs = extra
                .iter()
                .map(|&j| {
                    format!(
                        "{} {}",
                        escape(&f.headers[j]),
                        escape(&general(r[j].parse().unwrap_or(f64::NAN)))
                    )
                })
                .collect::<Vec<_>>()
                .join(" · ");
            let tied: u64 = f
                .col("tied")
                .ok()
                .and_then(|c| r[c].parse().ok())
                .unwrap_or(1);
            let _ = write!(
                out,
                "<td class=\"l g\" data-value=\"{}\"><strong>{}</strong>, sample {}: fails in <strong>{}</strong> of {}{}{}</td>",
                escape(&r[fv]),
                escape(&r[fs]),
                escape(&r[fsm]),
                percent(share),
                plural(reps, "replication", "replications"),
                if tied > 1 {
                    format!(
                        " (one of {tied} futures that fail as often; ranked by how far they miss)"
                    )
                } else {
                    String::new()
                },
                if inputs.is_empty() {
                    String::new()
                } else {
                    format!("<br><small>{inputs}</small>")
                }
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    Ok(())
}

/// A plain run: headline means ± sd across replications.
pub(super) fn headline_table(
    out: &mut String,
    h: &Table,
    currency: &str,
) -> Result<(), ReportError> {
    let n = h.rows.len();
    let _ = writeln!(
        out,
        "<section id=\"headlines\">\n<h2>Headline indicators</h2>\n<p class=\"note\">One value per replication (<code>headline.csv</code>): the mean ± standard deviation across the {} with a value, and the lowest and highest. \"Peak\" is the highest national weekly value, \"final\" the last week's. This run has one scenario and one policy, so there is no policy comparison; run an experiment for that.</p>",
        plural(n as u64, "replication", "replications")
    );
    out.push_str("<div class=\"scroll\"><table id=\"headline\">\n<thead><tr><th class=\"l\">Indicator</th><th class=\"l\">better</th><th>mean</th><th>± sd</th><th>lowest</th><th>highest</th><th>n</th></tr></thead>\n<tbody>\n");
    for (j, name) in h.headers.iter().enumerate() {
        if name == "replication" || name == "seed" {
            continue;
        }
        let mut vals = Vec::with_capacity(n);
        for i in 0..n {
            let v = h.num(i, j)?;
            if v.is_finite() {
                vals.push(v);
            }
        }
        let k = vals.len() as f64;
        let mean = if vals.is_empty() {
            f64::NAN
        } else {
            vals.iter().sum::<f64>() / k
        };
        let sd = if vals.len() < 2 {
            f64::NAN
        } else {
            (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt()
        };
        let lo = vals.iter().copied().reduce(f64::min).unwrap_or(f64::NAN);
        let hi = vals.iter().copied().reduce(f64::max).unwrap_or(f64::NAN);
        let raw = |v: f64| {
            if v.is_finite() {
                format!("{v}")
            } else {
                String::new()
            }
        };
        let format = format_of(name, currency, &[mean, sd, lo, hi]);
        let _ = write!(
            out,
            "<tr><th class=\"l\" scope=\"row\">{}</th><td class=\"l\">{}</td>",
            {
                let (label, unit) = (headline_label(name), &format.unit);
                if label.is_empty() {
                    format!("<code>{}</code>", escape(name))
                } else {
                    format!(
                        "{} <span class=\"u\">({})</span> <code class=\"k\">{}</code>",
                        escape(label),
                        escape(unit),
                        escape(name)
                    )
                }
            },
            headline::get(name).map_or("", |h| h.better.name())
        );
        for v in [mean, sd, lo, hi] {
            out.push_str(&td(&raw(v), "", &format));
        }
        let _ = writeln!(
            out,
            "<td data-value=\"{}\">{}</td></tr>",
            vals.len(),
            vals.len()
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
    Ok(())
}
