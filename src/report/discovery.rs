//! The report's discovery section, drawn from `DIR/discovery/` when
//! `foresight discover` wrote it, and its table of robustness metrics from
//! `robustness_metrics.csv`: for each policy and target, the trade-off
//! between coverage and density along PRIM's peeling trajectory
//! (`<svg id="tradeoff-<policy>-<n>">`) and each box's limits drawn over
//! its inputs' ranges (`id="box-<policy>-<n>-<box>"`); feature scores
//! (`id="feature-scores"`); Sobol or Morris indices (`id="sensitivity"`);
//! robustness metrics (`id="robustness-metrics"`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::data::Table;
use super::format_of;
use super::svg::{PALETTE, c};
use super::{ReportError, escape, sanitize};
use crate::analysis::discover::{FOLDER, written_by_discover};
use crate::output::numbers::{UNDEFINED, general, percent};

/// Whether the folder has a discovery written by `discover`.
pub fn present(dir: &Path) -> bool {
    written_by_discover(&dir.join(FOLDER))
}

fn num(t: &Table, row: usize, col: usize) -> f64 {
    t.num(row, col).unwrap_or(f64::NAN)
}

/// The discovery section (nothing when there is no discovery folder).
pub fn section(out: &mut String, dir: &Path) -> Result<(), ReportError> {
    if !present(dir) {
        return Ok(());
    }
    let d = dir.join(FOLDER);
    let trajectory = Table::read(&d.join("trajectory.csv"))?;
    let boxes = Table::read(&d.join("boxes.csv"))?;
    let scores = Table::read(&d.join("feature_scores.csv"))?;
    out.push_str("<section id=\"discovery\">\n<h2>Scenario discovery</h2>\n");
    out.push_str("<p class=\"note\">From <code>foresight discover</code> (<code>discovery/</code>). For each policy and each condition (a threshold missed, or a condition given on the command line), PRIM (Friedman &amp; Fisher 1999, as in the EMA Workbench) looks for a box of inputs in which the futures of interest concentrate. <em>Coverage</em> is the share of all futures of interest inside the box, <em>density</em> the share of the box's futures that are of interest: peeling trades coverage for density, and the chart shows that trade-off step by step (the chosen box circled). Each box found is drawn over the full range of every input it restricts, with its quasi-p-value (small: the restriction matters).</p>\n");
    tradeoffs(out, &trajectory, &boxes)?;
    feature_scores(out, &scores)?;
    let sens = d.join("sensitivity.csv");
    if sens.exists() {
        sensitivity(out, &Table::read(&sens)?)?;
    }
    out.push_str("</section>\n");
    Ok(())
}

/// One chart per (policy, target) and the limits of each box found.
fn tradeoffs(out: &mut String, t: &Table, b: &Table) -> Result<(), ReportError> {
    let (tp, tt, tb, tf, tc, td, tch, tr) = (
        t.col("policy")?,
        t.col("target")?,
        t.col("box")?,
        t.col("found")?,
        t.col("coverage")?,
        t.col("density")?,
        t.col("chosen")?,
        t.col("restricted")?,
    );
    // (policy, target) in file order.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for r in &t.rows {
        let key = (r[tp].clone(), r[tt].clone());
        if !pairs.contains(&key) {
            pairs.push(key);
        }
    }
    out.push_str("<div class=\"grid\">\n");
    for (n, (policy, target)) in pairs.iter().enumerate() {
        let rows: Vec<usize> = (0..t.rows.len())
            .filter(|&i| &t.rows[i][tp] == policy && &t.rows[i][tt] == target)
            .collect();
        let (w, h, l, r_, top, bot) = (380.0, 260.0, 46.0, 12.0, 14.0, 40.0);
        let x = |v: f64| l + v * (w - l - r_);
        let y = |v: f64| top + (1.0 - v) * (h - top - bot);
        let id = format!("tradeoff-{}-{n}", sanitize(policy));
        let _ = write!(
            out,
            "<figure><h3>{} <span class=\"unit\">— {}</span></h3><svg id=\"{id}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"coverage against density for {} and {}\">",
            escape(policy),
            escape(target),
            escape(policy),
            escape(target)
        );
        for i in 0..=5 {
            let v = i as f64 / 5.0;
            let _ = write!(
                out,
                "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e3e3e3\"/><text class=\"tk\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><text class=\"tk\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                c(x(0.0)),
                c(x(1.0)),
                c(y(v)),
                c(y(v)),
                c(x(0.0) - 4.0),
                c(y(v) + 4.0),
                percent(v),
                c(x(v)),
                c(y(0.0) + 14.0),
                percent(v)
            );
        }
        let _ = write!(
            out,
            "<text class=\"ax\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">coverage</text><text class=\"ax\" transform=\"translate(12 {}) rotate(-90)\" text-anchor=\"middle\">density</text>",
            c((x(0.0) + x(1.0)) / 2.0),
            c(h - 6.0),
            c((y(0.0) + y(1.0)) / 2.0)
        );
        let mut by_box: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
        for &i in &rows {
            by_box
                .entry(t.rows[i][tb].parse().unwrap_or(0))
                .or_default()
                .push(i);
        }
        for (k, steps) in &by_box {
            let colour = PALETTE[*k as usize % PALETTE.len()];
            let found = t.rows[steps[0]][tf] == "true";
            let path: Vec<String> = steps
                .iter()
                .map(|&i| format!("{},{}", c(x(num(t, i, tc))), c(y(num(t, i, td)))))
                .collect();
            let _ = write!(
                out,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"{}/>",
                path.join(" "),
                if found {
                    ""
                } else {
                    " stroke-dasharray=\"4 3\""
                }
            );
            for &i in steps {
                let chosen = t.rows[i][tch] == "true";
                let _ = write!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"{colour}\"><title>box {} step: coverage {}, density {}, {} inputs restricted</title></circle>",
                    c(x(num(t, i, tc))),
                    c(y(num(t, i, td))),
                    if chosen { 5 } else { 2 },
                    if chosen && found { colour } else { "#fff" },
                    k + 1,
                    percent(num(t, i, tc)),
                    percent(num(t, i, td)),
                    escape(&t.rows[i][tr])
                );
            }
        }
        out.push_str("</svg>");
        let found: Vec<u64> = by_box
            .iter()
            .filter(|(_, s)| t.rows[s[0]][tf] == "true")
            .map(|(k, _)| *k)
            .collect();
        if found.is_empty() {
            out.push_str("<figcaption>No box reaches the density threshold (dashed: the search).</figcaption>");
        } else {
            out.push_str(
                "<figcaption>Dashed: a search whose box misses the density threshold.</figcaption>",
            );
        }
        for k in found {
            box_limits(out, b, policy, target, k, n)?;
        }
        out.push_str("</figure>\n");
    }
    out.push_str("</div>\n");
    Ok(())
}

/// A box's limits over each restricted input's range.
fn box_limits(
    out: &mut String,
    b: &Table,
    policy: &str,
    target: &str,
    k: u64,
    n: usize,
) -> Result<(), ReportError> {
    let col = |name: &str| b.col(name);
    let (bp, bt, bb, bi) = (col("policy")?, col("target")?, col("box")?, col("input")?);
    let (lo, hi, lv, mn, mx) = (
        col("lower")?,
        col("upper")?,
        col("levels")?,
        col("input_min")?,
        col("input_max")?,
    );
    let (ql, qu, cov, den, mass) = (
        col("qp_lower")?,
        col("qp_upper")?,
        col("coverage")?,
        col("density")?,
        col("mass")?,
    );
    let rows: Vec<usize> = (0..b.rows.len())
        .filter(|&i| {
            b.rows[i][bp] == policy && b.rows[i][bt] == target && b.rows[i][bb] == k.to_string()
        })
        .collect();
    let Some(&first) = rows.first() else {
        return Ok(());
    };
    let colour = PALETTE[k as usize % PALETTE.len()];
    let (w, row_h, label_w) = (380.0, 30.0, 150.0);
    let h = 8.0 + row_h * rows.len() as f64;
    let _ = write!(
        out,
        "<p class=\"note\"><strong>Box {}</strong>: coverage {}, density {}, mass {}.</p><svg id=\"box-{}-{n}-{k}\" viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"box {} limits\">",
        k + 1,
        percent(num(b, first, cov)),
        percent(num(b, first, den)),
        percent(num(b, first, mass)),
        sanitize(policy),
        c(h),
        k + 1
    );
    let (x0, x1) = (label_w, w - 10.0);
    for (j, &i) in rows.iter().enumerate() {
        let r = &b.rows[i];
        let ytop = 4.0 + row_h * j as f64;
        let qp: Vec<String> = [ql, qu]
            .iter()
            .map(|&q| num(b, i, q))
            .filter(|v| v.is_finite())
            .map(|v| format!("{v:.1e}"))
            .collect();
        let _ = write!(
            out,
            "<text class=\"lg\" x=\"0\" y=\"{}\">{}</text><text class=\"tk\" x=\"0\" y=\"{}\">quasi-p {}</text>",
            c(ytop + 11.0),
            escape(&r[bi]),
            c(ytop + 23.0),
            escape(&qp.join(", "))
        );
        if r[lv].is_empty() {
            let (a, z) = (num(b, i, mn), num(b, i, mx));
            let span = if z > a { z - a } else { 1.0 };
            let pos = |v: f64| x0 + (v - a) / span * (x1 - x0);
            let (l, u) = (num(b, i, lo), num(b, i, hi));
            // Labels under the limits, kept inside the bar; one if equal.
            let label = |v: f64, prefer_end: bool| {
                let x = pos(v);
                let end = if prefer_end {
                    x > x0 + 40.0
                } else {
                    x > x1 - 40.0
                };
                format!(
                    "<text class=\"tk\" x=\"{}\" y=\"{}\"{}>{}</text>",
                    c(x),
                    c(ytop + 23.0),
                    if end { " text-anchor=\"end\"" } else { "" },
                    general(v)
                )
            };
            let labels = if l == u {
                label(l, pos(l) > (x0 + x1) / 2.0)
            } else {
                label(l, false) + &label(u, true)
            };
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"8\" fill=\"#e3e3e3\"/><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"8\" fill=\"{colour}\"/>{labels}<title>{}: {} to {} (range {} to {})</title>",
                c(x0),
                c(ytop + 4.0),
                c(x1 - x0),
                c(pos(l)),
                c(ytop + 4.0),
                c((pos(u) - pos(l)).max(1.5)),
                escape(&r[bi]),
                general(l),
                general(u),
                general(a),
                general(z)
            );
        } else {
            let _ = write!(
                out,
                "<text class=\"lg\" x=\"{}\" y=\"{}\">in {{{}}}</text>",
                c(x0),
                c(ytop + 13.0),
                escape(&r[lv].replace(';', ", "))
            );
        }
    }
    out.push_str("</svg>");
    Ok(())
}

/// Feature scores: per policy, a table of outcomes × inputs.
fn feature_scores(out: &mut String, s: &Table) -> Result<(), ReportError> {
    let (sp, so, si, ss) = (
        s.col("policy")?,
        s.col("outcome")?,
        s.col("input")?,
        s.col("score")?,
    );
    let mut inputs: Vec<String> = Vec::new();
    for r in &s.rows {
        if !inputs.contains(&r[si]) {
            inputs.push(r[si].clone());
        }
    }
    out.push_str("<h3>Which inputs matter most</h3>\n<p class=\"note\">Feature scores: the impurity importance of each input in an ensemble of extremely randomised trees (the EMA Workbench's <code>feature_scoring</code> defaults), per outcome; each row sums to 1. The darker the cell, the more the outcome depends on that input.</p>\n<div class=\"scroll\"><table id=\"feature-scores\">\n<thead><tr><th class=\"l\">Policy</th><th class=\"l\">Outcome</th>");
    for i in &inputs {
        let _ = write!(out, "<th>{}</th>", escape(i));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let mut row: Option<(String, String)> = None;
    for (i, r) in s.rows.iter().enumerate() {
        let key = (r[sp].clone(), r[so].clone());
        if row.as_ref() != Some(&key) {
            if row.is_some() {
                out.push_str("</tr>\n");
            }
            let _ = write!(
                out,
                "<tr><th class=\"l\" scope=\"row\">{}</th><td class=\"l\"><code>{}</code></td>",
                escape(&key.0),
                escape(&key.1)
            );
            row = Some(key);
        }
        let v = num(s, i, ss);
        let shade = if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let _ = write!(
            out,
            "<td data-value=\"{}\" style=\"background:rgba(0,114,178,{:.2})\">{}</td>",
            escape(&r[ss]),
            shade * 0.8,
            general(v)
        );
    }
    if row.is_some() {
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    Ok(())
}

/// Sobol or Morris indices: per scenario and policy, indicators × uncertainties.
fn sensitivity(out: &mut String, t: &Table) -> Result<(), ReportError> {
    let (ts, tp, ti, tu, tx, tv, tl, th) = (
        t.col("scenario")?,
        t.col("policy")?,
        t.col("indicator")?,
        t.col("uncertainty")?,
        t.col("index")?,
        t.col("value")?,
        t.col("ci_low")?,
        t.col("ci_high")?,
    );
    let sobol = t.rows.iter().any(|r| r[tx] == "S1");
    let (main, second) = if sobol {
        ("S1", "ST")
    } else {
        ("mu_star", "sigma")
    };
    let mut uncertainties: Vec<String> = Vec::new();
    for r in &t.rows {
        if !uncertainties.contains(&r[tu]) {
            uncertainties.push(r[tu].clone());
        }
    }
    let _ = write!(
        out,
        "<h3>Sensitivity indices</h3>\n<p class=\"note\">{}</p>\n<div class=\"scroll\"><table id=\"sensitivity\">\n<thead><tr><th class=\"l\">Scenario</th><th class=\"l\">Policy</th><th class=\"l\">Indicator</th>",
        if sobol {
            "Sobol indices of each headline indicator (its mean over replications) with respect to each uncertainty: first-order S1 (the share of the variance due to that uncertainty alone) and total ST (including its interactions), with 95% bootstrap intervals in brackets."
        } else {
            "Morris elementary effects of each headline indicator (its mean over replications): μ* (the mean absolute change for a move of half the uncertainty's distribution; large means influential), with its 95% bootstrap interval, and σ (large means non-linear or interacting)."
        }
    );
    for u in &uncertainties {
        let _ = write!(
            out,
            "<th class=\"g\">{} <small>{main}</small></th><th>{} <small>{second}</small></th>",
            escape(u),
            escape(u)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    // (scenario, policy, indicator) → (uncertainty, index) → row.
    type Cells = BTreeMap<(String, String, String), BTreeMap<(String, String), usize>>;
    let mut cells: Cells = BTreeMap::new();
    let mut order: Vec<(String, String, String)> = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        let key = (r[ts].clone(), r[tp].clone(), r[ti].clone());
        if !cells.contains_key(&key) {
            order.push(key.clone());
        }
        cells
            .entry(key)
            .or_default()
            .insert((r[tu].clone(), r[tx].clone()), i);
    }
    for key in order {
        let row = &cells[&key];
        let _ = write!(
            out,
            "<tr><th class=\"l\" scope=\"row\">{}</th><td class=\"l\">{}</td><td class=\"l\"><code>{}</code></td>",
            escape(&key.0),
            escape(&key.1),
            escape(&key.2)
        );
        for u in &uncertainties {
            for (j, index) in [main, second].iter().enumerate() {
                let Some(&i) = row.get(&(u.clone(), index.to_string())) else {
                    let _ = write!(out, "<td>{UNDEFINED}</td>");
                    continue;
                };
                let (v, l, h) = (num(t, i, tv), num(t, i, tl), num(t, i, th));
                let ci = if l.is_finite() && h.is_finite() {
                    format!(" <small>[{} … {}]</small>", general(l), general(h))
                } else {
                    String::new()
                };
                let _ = write!(
                    out,
                    "<td{} data-value=\"{}\">{}{ci}</td>",
                    if j == 0 { " class=\"g\"" } else { "" },
                    escape(&t.rows[i][tv]),
                    general(v)
                );
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    Ok(())
}

/// The robustness metrics table (`robustness_metrics.csv`), if the folder
/// has one: per policy and judged indicator, each metric with the range of
/// its per-replication values.
pub fn metrics(out: &mut String, dir: &Path, currency: &str) -> Result<(), ReportError> {
    let path = super::data::table(dir, "robustness_metrics");
    if !path.exists() {
        return Ok(());
    }
    let t = Table::read(&path)?;
    let (tp, ti, tm, tpar, tv, tmin, tmax) = (
        t.col("policy")?,
        t.col("indicator")?,
        t.col("metric")?,
        t.col("parameter")?,
        t.col("value")?,
        t.col("replication_min")?,
        t.col("replication_max")?,
    );
    let mut metrics: Vec<String> = Vec::new();
    for r in &t.rows {
        if !metrics.contains(&r[tm]) {
            metrics.push(r[tm].clone());
        }
    }
    out.push_str("<h3>Robustness metrics</h3>\n<p class=\"note\">Other ways to judge a policy across its futures (McPhail et al. 2018), in each indicator's unit (shares in percent, regrets of shares in percentage points, money in millions): <code>laplace</code> the mean; <code>maximin</code> the worst future, <code>maximax</code> the best; <code>hurwicz</code> their average weighted by α; <code>percentile</code> the worst decile; <code>mean_variance</code> μ/σ where higher is better, (μ+1)(σ+1) where lower is; <code>minimax_regret</code> and <code>percentile_regret</code> the largest and 90th-percentile regret; <code>satisficing</code> the share of futures meeting that indicator's threshold; <code>starr_domain</code> the share of sampled futures whose mean over replications meets every threshold. In small type: the range of the metric over the replications taken one at a time (chance alone).</p>\n<div class=\"scroll\"><table id=\"robustness-metrics\">\n<thead><tr><th class=\"l\">Policy</th><th class=\"l\">Indicator</th>");
    for m in &metrics {
        let _ = write!(out, "<th>{}</th>", escape(&m.replace('_', " ")));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut at: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for (i, r) in t.rows.iter().enumerate() {
        let key = (r[tp].clone(), r[ti].clone());
        if !rows.contains(&key) {
            rows.push(key.clone());
        }
        at.insert((key.0, key.1, r[tm].clone()), i);
    }
    for (policy, indicator) in rows {
        // The metrics in the indicator's unit share one format.
        let in_unit: Vec<f64> = metrics
            .iter()
            .filter(|m| metric_reads_in(m) == Reads::Indicator)
            .filter_map(|m| at.get(&(policy.clone(), indicator.clone(), m.clone())))
            .flat_map(|&i| [num(&t, i, tv), num(&t, i, tmin), num(&t, i, tmax)])
            .collect();
        let unit = format_of(&indicator, currency, &in_unit);
        let _ = write!(
            out,
            "<tr><th class=\"l\" scope=\"row\">{}</th><td class=\"l\"><code>{}</code></td>",
            escape(&policy),
            escape(&indicator)
        );
        for m in &metrics {
            match at.get(&(policy.clone(), indicator.clone(), m.clone())) {
                Some(&i) => {
                    let show = |v: f64| match metric_reads_in(m) {
                        Reads::Indicator => unit.show(v),
                        Reads::Share => percent(v),
                        Reads::Plain => general(v),
                    };
                    let (lo, hi) = (num(&t, i, tmin), num(&t, i, tmax));
                    let spread = if lo.is_finite() && hi.is_finite() && lo != hi {
                        format!("<br><small>{} … {}</small>", show(lo), show(hi))
                    } else {
                        String::new()
                    };
                    let _ = write!(
                        out,
                        "<td data-value=\"{}\" title=\"{}\">{}{spread}</td>",
                        escape(&t.rows[i][tv]),
                        escape(&t.rows[i][tpar]),
                        show(num(&t, i, tv))
                    );
                }
                None => {
                    let _ = write!(out, "<td>{UNDEFINED}</td>");
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    Ok(())
}

/// What a robustness metric's values read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// The indicator's own unit (levels and regrets).
    Indicator,
    /// A share of futures.
    Share,
    /// A ratio of no unit (`mean_variance`).
    Plain,
}

fn metric_reads_in(metric: &str) -> Reads {
    match metric {
        "satisficing" | "starr_domain" => Reads::Share,
        "mean_variance" => Reads::Plain,
        _ => Reads::Indicator,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_robustness_metric_reads_in_its_unit() {
        for m in [
            "laplace",
            "maximin",
            "maximax",
            "hurwicz",
            "percentile",
            "minimax_regret",
            "percentile_regret",
        ] {
            assert_eq!(metric_reads_in(m), Reads::Indicator, "{m}");
        }
        assert_eq!(metric_reads_in("satisficing"), Reads::Share);
        assert_eq!(metric_reads_in("starr_domain"), Reads::Share);
        assert_eq!(metric_reads_in("mean_variance"), Reads::Plain);
        // A regret of a share reads in percentage points: the share's format.
        let f = format_of("employment_rate_final", "EUR", &[0.0765, 0.0702]);
        assert_eq!((f.show(0.0765), f.unit.as_str()), ("7.65".to_string(), "%"));
    }
}
