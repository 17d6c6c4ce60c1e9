//! The report's sections on wildcards and adaptive rules, drawn from
//! `event_counts.csv`, `events.csv` and `actions.csv` when the run wrote
//! them: how often each wildcard struck, the events of the first future as
//! bars over time, and, per policy, a pathways chart (action × quarter,
//! shaded by the share of futures in which the action held a step at the
//! quarter's end).
//!
//! Element ids: the events section `id="events"` with its timeline
//! `<svg id="events-timeline">`; the pathways section `id="pathways"` with
//! one `<svg id="pathway-<policy>">` per policy with rules.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::data::{Kind, Manifest, Table};
use super::svg::{PALETTE, c};
use super::{ReportError, escape, sanitize};
use crate::output::numbers::{general, percent};

/// Weeks per column of a pathways chart.
const QUARTER: u64 = 13;

/// A table this module reads, named as in a CSV folder (`STEM.csv`): the
/// folder's file of that table, CSV or Parquet.
fn table(dir: &Path, name: &str) -> std::path::PathBuf {
    super::data::table(dir, name.trim_end_matches(".csv"))
}

/// The files this module reads that a folder has.
pub fn files(dir: &Path) -> Vec<&'static str> {
    ["events.csv", "event_counts.csv", "actions.csv"]
        .into_iter()
        .filter(|f| table(dir, f).exists())
        .collect()
}

/// Both sections, each only if its files are there.
pub fn sections(out: &mut String, dir: &Path, m: &Manifest, weeks: f64) -> Result<(), ReportError> {
    if table(dir, "event_counts.csv").exists() && table(dir, "events.csv").exists() {
        events(out, dir, m, weeks)?;
    }
    if table(dir, "actions.csv").exists() {
        pathways(out, dir, m, weeks)?;
    }
    Ok(())
}

/// The futures of a run: (scenario, sample, replication) in an experiment,
/// the replication in a plain run. Each row's key.
fn future(t: &Table, row: usize, kind: Kind) -> Result<String, ReportError> {
    let r = &t.rows[row];
    Ok(match kind {
        Kind::Scenario => r[t.col("replication")?].clone(),
        Kind::Experiment => format!(
            "{}/{}/{}",
            r[t.col("scenario")?],
            r[t.col("sample")?],
            r[t.col("replication")?]
        ),
    })
}

fn events(out: &mut String, dir: &Path, m: &Manifest, weeks: f64) -> Result<(), ReportError> {
    let counts = Table::read(&table(dir, "event_counts.csv"))?;
    let events = Table::read(&table(dir, "events.csv"))?;
    let (wc, kc, nc) = (
        counts.col("wildcard")?,
        counts.col("kind")?,
        counts.col("events")?,
    );
    // Per wildcard, in file order: kind, futures, events, futures with one.
    let mut order: Vec<String> = Vec::new();
    let mut stats: BTreeMap<String, (String, f64, f64, f64)> = BTreeMap::new();
    for row in 0..counts.rows.len() {
        let name = counts.rows[row][wc].clone();
        let n = counts.num(row, nc)?;
        let e = stats.entry(name.clone()).or_insert_with(|| {
            order.push(name.clone());
            (counts.rows[row][kc].clone(), 0.0, 0.0, 0.0)
        });
        e.1 += 1.0;
        e.2 += n;
        e.3 += f64::from(n > 0.0);
    }
    out.push_str("<section id=\"events\">\n<h2>Events that happened by chance</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">Wildcards (<code>event_counts.csv</code>, <code>events.csv</code>): each future draws its own events, the same for every policy. Events per future are the mean over the {} futures; the chart shows the events of the first future, each as a bar from its start for its duration.</p>",
        stats.values().next().map_or(0.0, |s| s.1)
    );
    out.push_str("<table id=\"event-counts\">\n<thead><tr><th class=\"l\">Wildcard</th><th class=\"l\">Kind</th><th>Events per future</th><th>Futures with one</th></tr></thead>\n<tbody>\n");
    for name in &order {
        let (kind, futures, n, with) = &stats[name];
        let _ = writeln!(
            out,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            escape(kind),
            general(n / futures),
            percent(with / futures)
        );
    }
    out.push_str("</tbody></table>\n");

    // The first future's events as bars, one row per wildcard.
    let first = (!events.rows.is_empty())
        .then(|| future(&events, 0, m.kind))
        .transpose()?;
    let (ew, sw, dw) = (
        events.col("wildcard")?,
        events.col("week")?,
        events.col("duration_weeks")?,
    );
    let (left, width, row_h) = (150.0, 560.0, 22.0);
    let height = row_h * order.len() as f64 + 30.0;
    let x = |w: f64| left + width * (w / weeks).clamp(0.0, 1.0);
    let _ = writeln!(
        out,
        "<figure><svg id=\"events-timeline\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Events of the first future over time\">",
        c(left + width + 10.0),
        c(height)
    );
    for (i, name) in order.iter().enumerate() {
        let y = row_h * i as f64 + 4.0;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">{}</text>",
            c(left - 6.0),
            c(y + 12.0),
            escape(name)
        );
        let _ = writeln!(
            out,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#ddd\"/>",
            c(left),
            c(left + width),
            c(y + 16.0),
            c(y + 16.0)
        );
        for row in 0..events.rows.len() {
            if Some(future(&events, row, m.kind)?) != first || events.rows[row][ew] != *name {
                continue;
            }
            let start = events.num(row, sw)?;
            let length = events.num(row, dw)?;
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"{}\"><title>{} from week {} for {} weeks</title></rect>",
                c(x(start)),
                c(y + 3.0),
                c((x(start + length) - x(start)).max(1.5)),
                PALETTE[i % PALETTE.len()],
                escape(name),
                start,
                length
            );
        }
    }
    let axis_y = height - 10.0;
    for k in 0..=4 {
        let w = weeks * f64::from(k) / 4.0;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">week {}</text>",
            c(x(w)),
            c(axis_y),
            w.round()
        );
    }
    out.push_str("</svg><figcaption>Events of the first future (bars: start and duration).</figcaption></figure>\n</section>\n");
    Ok(())
}

fn pathways(out: &mut String, dir: &Path, m: &Manifest, weeks: f64) -> Result<(), ReportError> {
    let t = Table::read(&table(dir, "actions.csv"))?;
    let (wc, rc, ac, sc) = (
        t.col("week")?,
        t.col("rule")?,
        t.col("action")?,
        t.col("size")?,
    );
    let pc = match m.kind {
        Kind::Experiment => Some(t.col("policy")?),
        Kind::Scenario => None,
    };
    // Futures per policy: all cells over the policies.
    let futures = match (m.kind, m.cells, m.replications) {
        (Kind::Experiment, Some(cells), _) => cells as f64 / m.policies.len().max(1) as f64,
        (_, _, Some(r)) => r as f64,
        _ => 1.0,
    };
    let quarters = (weeks as u64).div_ceil(QUARTER).max(1) as usize;
    // policy → (rule, action) → future → steps (week, size).
    type Steps = BTreeMap<String, Vec<(f64, f64)>>;
    let mut by: BTreeMap<String, BTreeMap<(String, String), Steps>> = BTreeMap::new();
    let mut order: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for row in 0..t.rows.len() {
        let r = &t.rows[row];
        let policy = pc.map_or_else(|| "default".to_string(), |p| r[p].clone());
        let key = (r[rc].clone(), r[ac].clone());
        let list = order.entry(policy.clone()).or_default();
        if !list.contains(&key) {
            list.push(key.clone());
        }
        let f = future(&t, row, m.kind)?;
        by.entry(policy)
            .or_default()
            .entry(key)
            .or_default()
            .entry(f)
            .or_default()
            .push((t.num(row, wc)?, t.num(row, sc)?));
    }
    out.push_str("<section id=\"pathways\">\n<h2>Adaptive pathways: when the rules acted</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">From <code>actions.csv</code>. For each policy with adaptive rules, one row per action of each rule's pathway and one column per quarter (13 weeks): the shade and the number give the share of the policy's {} futures in which the action held at least one step (decided, not yet released) at the quarter's end. Policies without rules took no actions.</p>",
        general(futures)
    );
    let (left, cell_w, row_h) = (230.0, 560.0 / quarters as f64, 20.0);
    for (pi, (policy, rows)) in order.iter().enumerate() {
        let height = row_h * rows.len() as f64 + 26.0;
        let _ = writeln!(
            out,
            "<figure><svg id=\"pathway-{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Pathways of policy {}\">",
            sanitize(policy),
            c(left + 560.0 + 10.0),
            c(height),
            escape(policy)
        );
        let colour =
            PALETTE[m.policies.iter().position(|p| p == policy).unwrap_or(pi) % PALETTE.len()];
        for (i, key) in rows.iter().enumerate() {
            let y = row_h * i as f64;
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">{} · {}</text>",
                c(left - 6.0),
                c(y + 14.0),
                escape(&key.0),
                escape(&key.1)
            );
            let per_future = &by[policy][key];
            for q in 0..quarters {
                let end = ((q as u64 + 1) * QUARTER) as f64;
                let held = per_future
                    .values()
                    .filter(|steps| {
                        steps
                            .iter()
                            .filter(|(w, _)| *w < end)
                            .map(|(_, s)| *s)
                            .sum::<f64>()
                            > 1e-9
                    })
                    .count() as f64;
                let share = (held / futures).min(1.0);
                if share > 0.0 {
                    let _ = writeln!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\" fill-opacity=\"{}\"><title>quarter {}: {}</title></rect>",
                        c(left + cell_w * q as f64),
                        c(y + 2.0),
                        c(cell_w - 1.0),
                        c(row_h - 4.0),
                        c(0.15 + 0.85 * share),
                        q + 1,
                        percent(share)
                    );
                }
            }
        }
        let axis_y = height - 8.0;
        for k in 0..=4 {
            let w = weeks * f64::from(k) / 4.0;
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">week {}</text>",
                c(left + 560.0 * (w / weeks)),
                c(axis_y),
                w.round()
            );
        }
        let _ = writeln!(
            out,
            "</svg><figcaption>Policy <code>{}</code>: share of futures with each action in force, by quarter.</figcaption></figure>",
            escape(policy)
        );
    }
    out.push_str("</section>\n");
    Ok(())
}
