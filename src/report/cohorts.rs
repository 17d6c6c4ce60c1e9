//! The report's arrival cohorts: employment and language by years since
//! arrival, one line per cohort, for each scenario and policy, read from
//! `cohort_summary.csv` (a folder written before it existed has no such
//! section). Each chart is `<svg id="cohort-<scenario>-<policy>-<indicator>">`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::data::Table;
use super::heat_map::viridis;
use super::svg::{Axis, PALETTE, c};
use super::{ReportError, escape, sanitize};
use crate::model::indicators::cohort;

/// The cohort indicators drawn, in order.
pub const COHORT_CHARTS: &[&str] = &[
    cohort::checked("employment_rate"),
    cohort::checked("language_proficient"),
];

/// Mean and 5th–95th percentiles of one (cohort, years since arrival).
#[derive(Debug, Clone, Copy)]
struct Value {
    since: f64,
    mean: f64,
    p5: f64,
    p95: f64,
}

/// (scenario, policy) → chart index → cohort → values by years since arrival.
type Lines = BTreeMap<(usize, usize), Vec<BTreeMap<u32, Vec<Value>>>>;

/// Read the drawn indicators of `cohort_summary.csv` (or `.parquet`), if
/// the folder has one.
fn read(
    dir: &Path,
    scenarios: &mut Vec<String>,
    policies: &mut Vec<String>,
) -> Result<Option<Lines>, ReportError> {
    let path = super::data::table(dir, crate::output::cohorts::SUMMARY);
    if !path.exists() {
        return Ok(None);
    }
    let t = Table::read(&path)?;
    let [sc, po, co, si, ind, mean, p5, p95] = [
        "scenario",
        "policy",
        "cohort",
        "years_since_arrival",
        "indicator",
        "mean",
        "p5",
        "p95",
    ]
    .map(|n| t.col(n));
    let (sc, po, co, si, ind) = (sc?, po?, co?, si?, ind?);
    let (mean, p5, p95) = (mean?, p5?, p95?);
    let mut lines = Lines::new();
    let index = |names: &mut Vec<String>, name: &str| {
        names.iter().position(|n| n == name).unwrap_or_else(|| {
            names.push(name.to_string());
            names.len() - 1
        })
    };
    for r in 0..t.rows.len() {
        let row = &t.rows[r];
        let Some(k) = COHORT_CHARTS.iter().position(|n| *n == row[ind]) else {
            continue;
        };
        let pair = (index(scenarios, &row[sc]), index(policies, &row[po]));
        let cohort: u32 = row[co].parse().map_err(|_| ReportError::Format {
            path: path.clone(),
            message: format!("line {}: cohort `{}` is not a whole number", r + 2, row[co]),
        })?;
        let v = Value {
            since: t.num(r, si)?,
            mean: t.num(r, mean)?,
            p5: t.num(r, p5)?,
            p95: t.num(r, p95)?,
        };
        lines
            .entry(pair)
            .or_insert_with(|| vec![BTreeMap::new(); COHORT_CHARTS.len()])[k]
            .entry(cohort)
            .or_default()
            .push(v);
    }
    Ok(Some(lines))
}

/// The section, or nothing for a folder without cohort outcomes.
pub fn section(
    out: &mut String,
    dir: &Path,
    scenarios: &[String],
    policies: &[String],
) -> Result<(), ReportError> {
    let (mut scenarios, mut policies) = (scenarios.to_vec(), policies.to_vec());
    let Some(lines) = read(dir, &mut scenarios, &mut policies)? else {
        return Ok(());
    };
    out.push_str("<section id=\"cohorts\">\n<h2>Arrival cohorts: employment and language by years since arrival</h2>\n");
    out.push_str("<p class=\"note\">Each line is one arrival cohort (those who arrived in that year of the run through a humanitarian channel and are still in the country), observed at the end of every complete year: its mean across replications and futures, with a bar from the 5th to the 95th percentile. Employment is of working-age members with the right to work; language proficiency is the share of adult members at or above 0.6 on the model's language index (an assumption, A46 in <code>docs/sources.md</code>, not a test level). From <code>");
    out.push_str(&escape(&super::data::shown(dir, "cohort_summary.csv")));
    out.push_str("</code>.</p>\n");
    if lines.is_empty() {
        out.push_str("<p class=\"note\">The run is shorter than a year: no cohort was observed.</p>\n</section>\n");
        return Ok(());
    }
    for ((s, p), charts) in &lines {
        let _ = writeln!(
            out,
            "<h3>scenario {}, policy {}</h3>\n<div class=\"grid\">",
            escape(&scenarios[*s]),
            escape(&policies[*p])
        );
        for (k, cohorts) in charts.iter().enumerate() {
            let name = COHORT_CHARTS[k];
            let label = cohort::find(name).map_or(name, |i| i.label);
            let id = format!(
                "cohort-{}-{}-{}",
                sanitize(&scenarios[*s]),
                sanitize(&policies[*p]),
                sanitize(name)
            );
            out.push_str(&chart(&id, label, cohorts));
            out.push('\n');
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
    Ok(())
}

const W: f64 = 440.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 40.0;
const PLOT_H: f64 = 170.0;
/// Legend entries per row.
const PER_ROW: usize = 4;

/// One chart: a line per cohort over years since arrival, shares on 0–100%.
fn chart(id: &str, label: &str, cohorts: &BTreeMap<u32, Vec<Value>>) -> String {
    let years = cohorts
        .values()
        .flat_map(|v| v.iter().map(|x| x.since))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let plot_w = W - LEFT - RIGHT;
    let x = |s: f64| LEFT + 12.0 + s / years * (plot_w - 24.0);
    // Shares read as percentages, as in the tables.
    let axis = Axis::nice_in(0.0, 1.0, 100.0);
    let y = |v: f64| TOP + PLOT_H - (v - axis.lo) / (axis.hi - axis.lo) * PLOT_H;
    let mut body = String::new();
    for t in axis.ticks() {
        let yy = c(y(t));
        let _ = write!(
            body,
            r##"<path d="M{},{yy}h{}" stroke="{}"/><text x="{}" y="{yy}" dy=".32em" text-anchor="end" class="tk">{}</text>"##,
            c(LEFT),
            c(plot_w),
            if t == 0.0 { "#999" } else { "#e3e3e3" },
            c(LEFT - 6.0),
            escape(&axis.label(t))
        );
    }
    for s in 0..=(years as u32) {
        let xx = c(x(f64::from(s)));
        let _ = write!(
            body,
            r##"<path d="M{xx},{}v4" stroke="#666"/><text x="{xx}" y="{}" text-anchor="middle" class="tk">{s}</text>"##,
            c(TOP + PLOT_H),
            c(TOP + PLOT_H + 16.0)
        );
    }
    let _ = write!(
        body,
        r#"<text x="{}" y="{}" text-anchor="middle" class="ax">years since arrival (0: end of the arrival year)</text>"#,
        c(LEFT + plot_w / 2.0),
        c(TOP + PLOT_H + 32.0)
    );
    let n = cohorts.len().max(1);
    let mut legend = String::new();
    for (i, (cohort, values)) in cohorts.iter().enumerate() {
        // The palette without its last colour (yellow, faint on white).
        let colour = if n < PALETTE.len() {
            PALETTE[i].to_string()
        } else {
            viridis(i as f64 / (n - 1) as f64)
        };
        let mut d = String::new();
        for v in values.iter().filter(|v| v.mean.is_finite()) {
            d.push(if d.is_empty() { 'M' } else { 'L' });
            let _ = write!(d, "{},{}", c(x(v.since)), c(y(v.mean)));
            if v.p5.is_finite() && v.p95.is_finite() {
                let _ = write!(
                    body,
                    r#"<path d="M{},{}V{}" stroke="{colour}" stroke-width="1" opacity=".6"/>"#,
                    c(x(v.since)),
                    c(y(v.p5)),
                    c(y(v.p95))
                );
            }
            let _ = write!(
                body,
                r#"<circle cx="{}" cy="{}" r="2.6" fill="{colour}"/>"#,
                c(x(v.since)),
                c(y(v.mean))
            );
        }
        if !d.is_empty() {
            let _ = write!(
                body,
                r#"<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.8" stroke-linejoin="round"/>"#
            );
        }
        let lx = 4.0 + (i % PER_ROW) as f64 * 108.0;
        let ly = TOP + PLOT_H + 54.0 + (i / PER_ROW) as f64 * 17.0;
        let _ = write!(
            legend,
            r#"<path d="M{},{}h18" stroke="{colour}" stroke-width="2"/><text x="{}" y="{}" class="lg">arrived year {cohort}</text>"#,
            c(lx),
            c(ly - 4.0),
            c(lx + 22.0),
            c(ly)
        );
    }
    let h = TOP + PLOT_H + 54.0 + n.div_ceil(PER_ROW) as f64 * 17.0;
    format!(
        r#"<svg id="{id}" role="img" aria-labelledby="{id}-t" viewBox="0 0 {} {}" class="chart"><title id="{id}-t">{} by years since arrival, one line per arrival cohort</title><text x="4" y="15" class="hd">{}</text><text x="4" y="{}" class="ax">%</text>{body}{legend}</svg>"#,
        c(W),
        c(h),
        escape(label),
        escape(label),
        c(TOP - 10.0)
    )
}
