//! The cost-benefit section's charts: each policy's net present value
//! against the reference across futures (a dot at the mean, a line over
//! the 90% range), and the cumulative discounted net against the
//! reference over time (a fan chart per scenario, one series per policy).

use std::fmt::Write as _;

use super::data::{Point, Table};
use super::svg::{self, Axis, FanChart, FanSeries, c};
use super::{Ids, ReportError, escape, sanitize};
use crate::scenario::types::StartDate;

/// What the charts need to know of the run.
pub struct Run<'a> {
    pub weeks: f64,
    pub start: Option<StartDate>,
    pub currency: &'a str,
    /// Every policy, in the order that gives their colours.
    pub policies: &'a [String],
}

/// One policy's net present value against the reference across futures.
struct Npv {
    policy: String,
    mean: f64,
    p5: f64,
    p95: f64,
}

/// Both charts, one of each per scenario, for the pairs in `pairs`.
pub fn charts(
    out: &mut String,
    t: &Table,
    pairs: &[(String, String)],
    run: &Run,
    reference: &str,
) -> Result<(), ReportError> {
    let (cs, cp, cy, cq) = (
        t.col("scenario")?,
        t.col("policy")?,
        t.col("year")?,
        t.col("quantity")?,
    );
    let (mean, p5, p50, p95) = (t.col("mean")?, t.col("p5")?, t.col("p50")?, t.col("p95")?);
    let mut scenarios: Vec<&str> = Vec::new();
    for (s, _) in pairs {
        if !scenarios.contains(&s.as_str()) {
            scenarios.push(s);
        }
    }
    let others = |s: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(x, p)| x == s && p != reference)
            .map(|(_, p)| p.as_str())
            .collect()
    };
    let row = |s: &str, p: &str, year: &str, q: &str| {
        t.rows
            .iter()
            .position(|r| r[cs] == s && r[cp] == p && r[cy] == year && r[cq] == q)
    };
    let num = |i: usize, col: usize| t.num(i, col).unwrap_or(f64::NAN);

    // Net present value: one axis for every scenario, so they compare.
    let mut npvs: Vec<(&str, Vec<Npv>)> = Vec::new();
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for &s in &scenarios {
        let mut v = Vec::new();
        for p in others(s) {
            if let Some(i) = row(s, p, "horizon", "npv_vs_reference") {
                let n = Npv {
                    policy: p.to_string(),
                    mean: num(i, mean),
                    p5: num(i, p5),
                    p95: num(i, p95),
                };
                for x in [n.mean, n.p5, n.p95].into_iter().filter(|x| x.is_finite()) {
                    lo = lo.min(x);
                    hi = hi.max(x);
                }
                v.push(n);
            }
        }
        npvs.push((s, v));
    }
    if npvs.iter().all(|(_, v)| v.is_empty()) {
        return Ok(());
    }
    let axis = Axis::nice_in(lo, hi, 1e-6);
    let unit =
        crate::output::numbers::unit_text(crate::model::indicators::Unit::Currency, run.currency);
    let _ = writeln!(
        out,
        "<h3>Net present value against {} <span class=\"u\">({})</span></h3>\n<p class=\"note\">Per scenario and policy, across its futures: the dot is the mean, the line runs from the 5th to the 95th percentile. Right of zero, the policy costs the public purse less than {} in the same futures (terminal value included).</p>\n<div class=\"grid\">",
        escape(reference),
        escape(&unit),
        escape(reference)
    );
    let mut ids = Ids::default();
    for (s, v) in &npvs {
        let id = ids.unique(format!("npv-{}", sanitize(s)));
        out.push_str(&npv_chart(&id, s, v, &axis, &unit, run, reference));
        out.push('\n');
    }
    out.push_str("</div>\n");

    // The cumulative net over time: a point at the end of every year.
    let _ = writeln!(
        out,
        "<h3>Cumulative discounted net against {} over time <span class=\"u\">({})</span></h3>\n<p class=\"note\">Per scenario, each policy's discounted net (contributions minus costs) summed from the start, minus the reference's in the same future, at the end of each year of the run (52 weeks; the last may be shorter): median and the 5th to 95th percentile across futures (no 50% band: the table gives no quartiles). Where a line crosses zero for good, the policy has paid for itself (the break-even year); the terminal value is not included.</p>\n<div class=\"grid\">",
        escape(reference),
        escape(&unit)
    );
    let colours = svg::policy_colours(run.policies);
    let colour = |p: &str| {
        run.policies
            .iter()
            .position(|x| x == p)
            .and_then(|i| colours.get(i).copied())
            .unwrap_or(svg::PALETTE[0])
    };
    for &s in &scenarios {
        let mut lines: Vec<(&str, Vec<Point>)> = Vec::new();
        for p in others(s) {
            let mut points = vec![Point {
                week: 0.0,
                q: [0.0; 5],
            }];
            for year in 1.. {
                let Some(i) = row(s, p, &year.to_string(), "cumulative_net_vs_reference") else {
                    break;
                };
                let (a, m, z) = (num(i, p5), num(i, p50), num(i, p95));
                points.push(Point {
                    week: (f64::from(year) * 52.0).min(run.weeks) - 1.0,
                    q: [a, f64::NAN, m, f64::NAN, z],
                });
            }
            if points.len() > 1 {
                lines.push((p, points));
            }
        }
        if lines.is_empty() {
            continue;
        }
        let series: Vec<FanSeries> = lines
            .iter()
            .map(|(p, points)| FanSeries {
                label: p,
                colour: colour(p),
                points,
            })
            .collect();
        let axis = super::charts::y_axis("cumulative_discounted_balance", &series, &[]);
        let id = ids.unique(format!("cumulative-net-{}", sanitize(s)));
        let title = format!(
            "Cumulative discounted net against {}, scenario {s}",
            reference
        );
        let heading = format!("scenario: {s}");
        out.push_str(&svg::fan_chart(&FanChart {
            id: &id,
            title: &title,
            heading: &heading,
            unit: &unit,
            weeks: run.weeks,
            start: run.start,
            y: &axis,
            series,
            thresholds: &[],
            key: "median and 90% band",
        }));
        out.push('\n');
    }
    out.push_str("</div>\n");
    Ok(())
}

/// One scenario's net present values: a row per policy.
fn npv_chart(
    id: &str,
    scenario: &str,
    rows: &[Npv],
    axis: &Axis,
    unit: &str,
    run: &Run,
    reference: &str,
) -> String {
    const W: f64 = 440.0;
    const ROW: f64 = 24.0;
    const TOP: f64 = 30.0;
    let label_w = rows
        .iter()
        .map(|r| r.policy.chars().count())
        .max()
        .unwrap_or(6) as f64
        * 6.6
        + 12.0;
    let (left, right) = (label_w.clamp(60.0, 190.0), 18.0);
    let plot_w = W - left - right;
    let x = |v: f64| left + (v - axis.lo) / (axis.hi - axis.lo) * plot_w;
    let bottom = TOP + ROW * rows.len() as f64;
    let colours = svg::policy_colours(run.policies);
    let mut body = String::new();
    for t in axis.ticks() {
        let xx = c(x(t));
        let _ = write!(
            body,
            r##"<path d="M{xx},{}V{}" stroke="{}"/><text x="{xx}" y="{}" text-anchor="middle" class="tk">{}</text>"##,
            c(TOP - 4.0),
            c(bottom),
            if t == 0.0 { "#777" } else { "#e3e3e3" },
            c(bottom + 14.0),
            escape(&axis.label(t))
        );
    }
    for (k, r) in rows.iter().enumerate() {
        let y = TOP + ROW * k as f64 + ROW / 2.0;
        let colour = run
            .policies
            .iter()
            .position(|p| *p == r.policy)
            .and_then(|i| colours.get(i).copied())
            .unwrap_or(svg::PALETTE[0]);
        let _ = write!(
            body,
            r#"<text x="{}" y="{}" dy=".32em" text-anchor="end" class="tk">{}</text>"#,
            c(left - 8.0),
            c(y),
            escape(&r.policy)
        );
        if r.p5.is_finite() && r.p95.is_finite() {
            let _ = write!(
                body,
                r#"<path d="M{},{}H{}" stroke="{colour}" stroke-width="3" stroke-linecap="round"/>"#,
                c(x(r.p5)),
                c(y),
                c(x(r.p95).max(x(r.p5) + 0.5))
            );
        }
        if r.mean.is_finite() {
            let _ = write!(
                body,
                r##"<circle cx="{}" cy="{}" r="4.5" fill="{colour}" stroke="#fff" stroke-width="1.2"><title>{}: mean {}, 90% of futures from {} to {} ({})</title></circle>"##,
                c(x(r.mean)),
                c(y),
                escape(&r.policy),
                escape(&axis.label(r.mean)),
                escape(&axis.label(r.p5)),
                escape(&axis.label(r.p95)),
                escape(unit)
            );
        }
    }
    let h = bottom + 24.0;
    format!(
        r#"<svg id="{id}" role="img" aria-labelledby="{id}-t" viewBox="0 0 {} {}" class="chart"><title id="{id}-t">Net present value against {} ({}), scenario {}: mean and 90% range across futures</title><text x="4" y="15" class="hd">scenario: {}</text>{body}</svg>"#,
        c(W),
        c(h),
        escape(reference),
        escape(unit),
        escape(scenario),
        escape(scenario)
    )
}
