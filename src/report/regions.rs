//! The regional heat map: where the language-course wait builds first.

use std::fmt::Write as _;

use super::data::{Kind, Manifest, Summary, Threshold};
use super::heat_map::{self, HeatMap, HeatRow};
use super::html::{WAIT_MEAN, WAIT_WORST_REGION, threshold_bound};
use super::policies::breaks;
use super::svg::Axis;
use super::time_axis::week_name;
use super::{HEATMAP_INDICATOR, chart_heading, escape};
use crate::output::numbers::general;

pub(super) fn regions(out: &mut String, m: &Manifest, s: &Summary, weeks: f64) {
    out.push_str("<section id=\"regions\">\n<h2>Regions: where pressure builds first</h2>\n");
    let bucket = (weeks / 65.0).ceil().max(1.0);
    let ncols = (weeks / bucket).ceil() as usize;
    // The language-wait threshold, if any, is the reference level.
    let reference = m.thresholds.iter().find(|t| {
        t.value.is_some() && matches!(t.indicator.as_str(), WAIT_WORST_REGION | WAIT_MEAN)
    });
    let mut rows: Vec<(usize, Option<usize>, f64, HeatRow)> = Vec::new();
    let mut top = f64::NEG_INFINITY;
    for (i, (region, pts)) in s.heat.iter().enumerate() {
        let mut sums = vec![(0.0f64, 0usize); ncols];
        for &(w, v) in pts {
            if v.is_finite() && w >= 0.0 {
                let b = ((w / bucket).floor() as usize).min(ncols - 1);
                sums[b].0 += v;
                sums[b].1 += 1;
            }
        }
        let cells: Vec<(f64, f64)> = sums
            .iter()
            .enumerate()
            .map(|(b, &(sum, n))| {
                (
                    b as f64 * bucket,
                    if n == 0 { f64::NAN } else { sum / n as f64 },
                )
            })
            .collect();
        // The first week with the highest value.
        let peak = cells
            .iter()
            .filter(|c| c.1.is_finite())
            .fold(None::<(f64, f64)>, |best, &c| match best {
                Some(b) if b.1 >= c.1 => Some(b),
                _ => Some(c),
            });
        if let Some((_, v)) = peak {
            top = top.max(v);
        }
        let first = reference.and_then(|t| {
            cells
                .iter()
                .position(|&(_, v)| v.is_finite() && breaks(t, v))
        });
        let mut note = match peak {
            Some((_, v)) if v <= 0.0 => "no wait".to_string(),
            Some((w, v)) => format!("peak {} weeks ({})", general(v), week_name(w, m.start_date)),
            None => "no data".to_string(),
        };
        if let Some(t) = reference {
            note = match first {
                Some(b) => format!(
                    "{} from {}; {note}",
                    threshold_word(t),
                    week_name(b as f64 * bucket, m.start_date)
                ),
                None => format!("never {}; {note}", threshold_word(t)),
            };
        }
        rows.push((
            i,
            first,
            peak.map_or(f64::NEG_INFINITY, |p| p.1),
            HeatRow {
                label: region,
                note,
                cells,
            },
        ));
    }
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">The summary has no regional rows of <code>{HEATMAP_INDICATOR}</code>, so there is no heat map (an experiment's summary is national unless run with <code>--summary regions</code>).</p>\n</section>"
        );
        return;
    }
    // Earliest crossing of the threshold first, then the highest peak.
    rows.sort_by(|a, b| {
        a.1.unwrap_or(usize::MAX)
            .cmp(&b.1.unwrap_or(usize::MAX))
            .then(b.2.total_cmp(&a.2))
            .then(a.0.cmp(&b.0))
    });
    let mut hi = if top.is_finite() { top } else { 1.0 };
    let mark = reference.map(|t| {
        let v = t.value.unwrap_or(0.0);
        hi = hi.max(v);
        (v, format!("threshold {}", threshold_bound(t, &m.currency)))
    });
    let scale = Axis::nice(0.0, hi);
    let pair = if m.kind == Kind::Experiment {
        format!(
            " for scenario <strong>{}</strong> and policy <strong>{}</strong> (the first of each{})",
            escape(&s.heat_scenario),
            escape(&s.heat_policy),
            if m.samples.unwrap_or(1) > 1 || m.replications.unwrap_or(1) > 1 {
                "; median across its samples and replications"
            } else {
                ""
            }
        )
    } else {
        " (median across replications)".to_string()
    };
    let order = match reference {
        Some(t) => format!(
            "Rows are sorted by the week in which a region's wait first reaches the threshold (<code>{}</code>, which is judged on the mean over the whole run; here it is a reference level for the weekly wait), earliest first, then by their peak.",
            escape(&t.text)
        ),
        None => "Rows are sorted by each region's peak, highest first (the note on the right)."
            .to_string(),
    };
    let _ = writeln!(
        out,
        "<p class=\"note\">Mean wait of those who started a language course (<code>{HEATMAP_INDICATOR}</code>, p50), by region and {}-week period{pair}. Brighter is a longer wait; grey means nobody started a course in that period. {order}</p>",
        bucket
    );
    let title = format!(
        "Heat map of the language-course wait (weeks) by region and week, scenario {}, policy {}",
        s.heat_scenario, s.heat_policy
    );
    let map = HeatMap {
        title: &title,
        unit: &chart_heading(HEATMAP_INDICATOR, &m.currency).1,
        weeks,
        start: m.start_date,
        bucket,
        rows: rows.into_iter().map(|(_, _, _, r)| r).collect(),
        scale: &scale,
        mark,
    };
    // The wide map, or on narrow screens a list of regions with a strip each.
    let _ = write!(
        out,
        "<div class=\"heat-wide\">{}</div>\n{}",
        heat_map::heat_map(&map),
        heat_map::heat_list(&map)
    );
    out.push_str("\n</section>\n");
}

/// How a region breaking a threshold reads, e.g. "≥ 12".
fn threshold_word(t: &Threshold) -> String {
    let v = t.value.unwrap_or(f64::NAN);
    match t.op.as_str() {
        "<" => format!("≥ {v}"),
        "≤" => format!("> {v}"),
        ">" => format!("≤ {v}"),
        _ => format!("< {v}"),
    }
}
