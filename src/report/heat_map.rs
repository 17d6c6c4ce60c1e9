//! The regional heat map: rows are regions, columns periods of weeks,
//! colour the value. Wide screens get one SVG; narrow ones (phones) a list
//! with a strip of cells per region, since the wide SVG shrunk to 420 px
//! is unreadable.

use std::fmt::Write as _;

use super::escape;
use super::svg::{Axis, c};
use super::time_axis::time_axis;
use crate::scenario::types::StartDate;

/// Viridis (perceptually uniform, colour-blind safe) at `t` in 0..=1.
pub fn viridis(t: f64) -> String {
    const STOPS: [(f64, f64, f64); 9] = [
        (68.0, 1.0, 84.0),
        (71.0, 44.0, 122.0),
        (59.0, 81.0, 139.0),
        (44.0, 113.0, 142.0),
        (33.0, 144.0, 141.0),
        (39.0, 173.0, 129.0),
        (92.0, 200.0, 99.0),
        (170.0, 220.0, 50.0),
        (253.0, 231.0, 37.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (STOPS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(STOPS.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |u: f64, v: f64| (u + (v - u) * f).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// One row of the heat map: a region and its (week, value) cells.
pub struct HeatRow<'a> {
    pub label: &'a str,
    /// A note drawn to the right of the row.
    pub note: String,
    pub cells: Vec<(f64, f64)>,
}

pub struct HeatMap<'a> {
    pub title: &'a str,
    pub unit: &'a str,
    pub weeks: f64,
    /// The calendar date of week 0, if the world gives one.
    pub start: Option<StartDate>,
    /// Weeks per column.
    pub bucket: f64,
    pub rows: Vec<HeatRow<'a>>,
    pub scale: &'a Axis,
    /// A value marked on the legend (a threshold), with its label.
    pub mark: Option<(f64, String)>,
}

/// The regional heat map: rows are regions, columns buckets of weeks.
pub fn heat_map(h: &HeatMap) -> String {
    let width = 1100.0;
    let label_w = h
        .rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(6) as f64
        * 7.0
        + 14.0;
    let note_w = h
        .rows
        .iter()
        .map(|r| r.note.chars().count())
        .max()
        .unwrap_or(0) as f64
        * 6.6
        + 14.0;
    let (left, top, row_h) = (label_w.max(60.0), 12.0, 20.0);
    let plot_w = width - left - note_w.max(20.0);
    let cols = (h.weeks / h.bucket).ceil().max(1.0);
    let cell_w = plot_w / cols;
    let x = |w: f64| left + w / h.bucket * cell_w;
    let (lo, hi) = (h.scale.lo, h.scale.hi);
    let t = |v: f64| (v - lo) / (hi - lo);
    let mut body = String::from(r#"<g shape-rendering="crispEdges">"#);
    for (i, row) in h.rows.iter().enumerate() {
        let y0 = top + i as f64 * row_h;
        let _ = write!(
            body,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#e6e6e6"/>"##,
            c(left),
            c(y0),
            c(plot_w),
            c(row_h - 2.0)
        );
        for &(week, v) in &row.cells {
            if !v.is_finite() {
                continue;
            }
            let _ = write!(
                body,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                c(x(week)),
                c(y0),
                c(cell_w + 0.5),
                c(row_h - 2.0),
                viridis(t(v))
            );
        }
        let _ = write!(
            body,
            r#"<text x="{}" y="{}" dy=".32em" text-anchor="end" class="tk">{}</text><text x="{}" y="{}" dy=".32em" class="tk">{}</text>"#,
            c(left - 6.0),
            c(y0 + (row_h - 2.0) / 2.0),
            escape(row.label),
            c(left + plot_w + 8.0),
            c(y0 + (row_h - 2.0) / 2.0),
            escape(&row.note)
        );
    }
    body.push_str("</g>");
    let bottom = top + h.rows.len() as f64 * row_h;
    let time = time_axis(h.weeks, h.start);
    for (tk, label) in &time.ticks {
        let xx = c(x(*tk));
        let _ = write!(
            body,
            r##"<path d="M{xx},{}v4" stroke="#666"/><text x="{xx}" y="{}" text-anchor="middle" class="tk">{label}</text>"##,
            c(bottom),
            c(bottom + 16.0),
        );
    }
    let _ = write!(
        body,
        r#"<text x="{}" y="{}" text-anchor="middle" class="ax">{}; each cell: {}</text>"#,
        c(left + plot_w / 2.0),
        c(bottom + 32.0),
        time.title,
        weeks_text(h.bucket)
    );
    // Colour legend: a gradient bar with ticks, and the "no data" swatch.
    let ly = bottom + 52.0;
    let lw = 320.0;
    let _ = write!(body, r#"<defs><linearGradient id="heatmap-scale">"#);
    for k in 0..=8 {
        let f = k as f64 / 8.0;
        let _ = write!(
            body,
            r#"<stop offset="{}" stop-color="{}"/>"#,
            f,
            viridis(f)
        );
    }
    let _ = write!(
        body,
        r##"</linearGradient></defs><text x="{}" y="{}" dy=".32em" text-anchor="end" class="ax">{}</text><rect x="{}" y="{}" width="{lw}" height="12" fill="url(#heatmap-scale)"/>"##,
        c(left - 6.0),
        c(ly + 6.0),
        escape(h.unit),
        c(left),
        c(ly)
    );
    for tk in h.scale.ticks() {
        let xx = c(left + t(tk) * lw);
        let _ = write!(
            body,
            r##"<path d="M{xx},{}v4" stroke="#333"/><text x="{xx}" y="{}" text-anchor="middle" class="tk">{}</text>"##,
            c(ly + 12.0),
            c(ly + 27.0),
            escape(&h.scale.label(tk))
        );
    }
    if let Some((v, label)) = &h.mark {
        let xx = c(left + t(*v).clamp(0.0, 1.0) * lw);
        let _ = write!(
            body,
            r##"<path d="M{xx},{}v18" stroke="#d00" stroke-width="2"/><text x="{xx}" y="{}" text-anchor="middle" class="th">{}</text>"##,
            c(ly - 4.0),
            c(ly - 7.0),
            escape(label)
        );
    }
    let _ = write!(
        body,
        r##"<rect x="{}" y="{}" width="22" height="12" fill="#e6e6e6"/><text x="{}" y="{}" dy=".32em" class="tk">no data (nobody started a course)</text>"##,
        c(left + lw + 30.0),
        c(ly),
        c(left + lw + 58.0),
        c(ly + 6.0)
    );
    let height = ly + 36.0;
    format!(
        r#"<svg id="heatmap" role="img" aria-labelledby="heatmap-t" viewBox="0 0 {} {}" class="heat"><title id="heatmap-t">{}</title>{body}</svg>"#,
        c(width),
        c(height),
        escape(h.title)
    )
}

/// The heat map for narrow screens: the colour scale, then one item per
/// region (in the map's order) with its note and a strip of its cells
/// under a shared time axis.
pub fn heat_list(h: &HeatMap) -> String {
    let cols = (h.weeks / h.bucket).ceil().max(1.0);
    let span = cols * h.bucket;
    let (lo, hi) = (h.scale.lo, h.scale.hi);
    let t = |v: f64| (v - lo) / (hi - lo);
    let mut out = String::from("<div class=\"heat-narrow\">");
    // The colour scale, as in the wide map.
    let lw = 300.0;
    let mut bar = String::new();
    for k in 0..=8 {
        let f = k as f64 / 8.0;
        let _ = write!(bar, r#"<stop offset="{f}" stop-color="{}"/>"#, viridis(f));
    }
    let _ = write!(
        out,
        r##"<svg viewBox="0 0 {} 44" class="heat-scale" role="img" aria-label="colour scale, {}"><defs><linearGradient id="heatlist-scale">{bar}</linearGradient></defs><text x="0" y="10" class="ax">{}</text><rect x="0" y="16" width="{lw}" height="10" fill="url(#heatlist-scale)"/>"##,
        c(lw + 10.0),
        escape(h.unit),
        escape(h.unit)
    );
    for tk in h.scale.ticks() {
        let xx = c(t(tk) * lw);
        let anchor = if tk == lo {
            "start"
        } else if tk == hi {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            out,
            r##"<path d="M{xx},26v4" stroke="#333"/><text x="{xx}" y="41" text-anchor="{anchor}" class="tk">{}</text>"##,
            escape(&h.scale.label(tk))
        );
    }
    out.push_str("</svg>\n");
    // The time axis, in HTML so that its labels keep their size, just
    // above the strips.
    let time = time_axis(h.weeks, h.start);
    let _ = write!(
        out,
        "<p class=\"note\">{}; each cell: {}; grey: nobody started a course.</p>\n<div class=\"strip-axis\" aria-hidden=\"true\">",
        escape(time.title),
        weeks_text(h.bucket)
    );
    for (week, label) in &time.ticks {
        let p = week / span * 100.0;
        let shift = if p < 8.0 {
            "0"
        } else if p > 92.0 {
            "-100%"
        } else {
            "-50%"
        };
        let _ = write!(
            out,
            "<span style=\"left:{}%;transform:translateX({shift})\">{}</span>",
            c(p),
            escape(label)
        );
    }
    out.push_str("</div>\n<ol class=\"heat-list\">\n");
    for row in &h.rows {
        let mut cells = String::new();
        for &(week, v) in &row.cells {
            if v.is_finite() {
                let _ = write!(
                    cells,
                    r#"<rect x="{}" width="{}" height="10" fill="{}"/>"#,
                    c(week / h.bucket * 4.0),
                    c(4.3),
                    viridis(t(v))
                );
            }
        }
        let _ = writeln!(
            out,
            r##"<li><strong>{}</strong> <span class="hl-n">{}</span><svg viewBox="0 0 {} 10" preserveAspectRatio="none" class="strip" role="img" aria-label="{}: {}"><rect width="100%" height="10" fill="#e6e6e6"/>{cells}</svg></li>"##,
            escape(row.label),
            escape(&row.note),
            c(cols * 4.0),
            escape(row.label),
            escape(&row.note)
        );
    }
    out.push_str("</ol>\n</div>");
    out
}

/// A number of weeks in words: `1 week`, `4 weeks`.
fn weeks_text(n: f64) -> String {
    if n == 1.0 {
        "1 week".into()
    } else {
        format!("{n} weeks")
    }
}
