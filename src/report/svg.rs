//! Hand-rolled inline SVG: fan charts (median line with 50% and 90% bands
//! per policy) and the regional heat map. Coordinates are rounded to one
//! decimal and long series are downsampled, so the report stays small.

use std::fmt::Write as _;

use super::data::Point;
use super::escape;

/// Okabe–Ito, ordered so that the first colours are the most distinct on
/// white (yellow, the faintest, comes last).
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442",
];

/// Each policy's colour, stable across reports: a policy takes the colour
/// its name hashes to (FNV-1a), or, if a policy earlier in `names` has
/// it, the next free one; so a policy keeps its colour in every report
/// where no other name claims the same one. Yellow, faint on white, is
/// only used for an eighth policy; with more policies, colours repeat.
pub fn policy_colours(names: &[String]) -> Vec<&'static str> {
    let strong = PALETTE.len() - 1;
    let mut taken = [false; PALETTE.len()];
    names
        .iter()
        .map(|name| {
            let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            let first = (hash % strong as u64) as usize;
            let slot = (0..strong)
                .map(|k| (first + k) % strong)
                .chain([strong])
                .find(|&k| !taken[k])
                .unwrap_or(first);
            taken[slot] = true;
            if taken.iter().all(|t| *t) {
                taken = [false; PALETTE.len()];
            }
            PALETTE[slot]
        })
        .collect()
}

/// At most this many points per drawn line.
pub const MAX_POINTS: usize = 130;

/// A coordinate rounded to one decimal, without a trailing `.0`.
pub fn c(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r }; // no "-0"
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Display rule for table numbers: three significant digits; exact
/// integers below 1,000 as integers; from 1,000 on with a suffix (k, M, B,
/// T); below 0.001 in scientific notation; undefined as an em dash. The
/// minus sign is U+2212.
pub fn sig3(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let neg = v < 0.0;
    let a = v.abs();
    let body = if a == a.trunc() && a < 1000.0 {
        format!("{}", a as i64)
    } else {
        // The exponent after rounding to three significant digits.
        let sci = format!("{a:.2e}");
        let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let mant: f64 = mant.parse().unwrap_or(a);
        if (3..15).contains(&exp) {
            let group = exp / 3;
            let shift = exp - 3 * group;
            let scaled = mant * 10f64.powi(shift);
            let decimals = (2 - shift).max(0) as usize;
            let suffix = ["", "k", "M", "B", "T"][group as usize];
            format!("{scaled:.decimals$}{suffix}")
        } else if (-3..3).contains(&exp) {
            let decimals = (2 - exp) as usize;
            format!("{a:.decimals$}")
        } else {
            format!("{mant:.2}e{exp}")
        }
    };
    if neg { format!("−{body}") } else { body }
}

/// A "nice" tick step (1, 2 or 5 × 10^k) for about `target` intervals.
pub fn nice_step(range: f64, target: f64) -> f64 {
    if range.is_nan() || range <= 0.0 || !range.is_finite() {
        return 1.0;
    }
    let raw = range / target;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let f = if norm < 1.5 {
        1.0
    } else if norm < 3.0 {
        2.0
    } else if norm < 7.0 {
        5.0
    } else {
        10.0
    };
    f * mag
}

/// A value axis: its domain (extended to whole steps) and ticks.
#[derive(Debug, Clone)]
pub struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
}

impl Axis {
    /// An axis covering `lo..hi` with about five intervals.
    pub fn nice(lo: f64, hi: f64) -> Axis {
        let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
            (lo, hi)
        } else {
            (0.0, 1.0)
        };
        if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
            // A flat series: open a window around it.
            if hi == 0.0 {
                hi = 1.0;
            } else {
                let pad = hi.abs() * 0.1;
                lo -= pad;
                hi += pad;
            }
        }
        let step = nice_step(hi - lo, 5.0);
        let lo = (lo / step + 1e-9).floor() * step;
        let hi = (hi / step - 1e-9).ceil() * step;
        Axis { lo, hi, step }
    }

    pub fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as i64;
        (0..=n)
            .map(|i| {
                let t = self.lo + i as f64 * self.step;
                // Snap float noise to the step's precision.
                (t / self.step).round() * self.step
            })
            .collect()
    }

    /// A tick label: a suffix (k, M, B) when the axis reaches 10,000, and as
    /// many decimals as the step needs.
    pub fn label(&self, t: f64) -> String {
        let top = self.lo.abs().max(self.hi.abs());
        let (scale, suffix) = if top >= 1e9 {
            (1e9, "B")
        } else if top >= 1e6 {
            (1e6, "M")
        } else if top >= 1e4 {
            (1e3, "k")
        } else {
            (1.0, "")
        };
        let step = self.step / scale;
        let decimals = if step >= 1.0 {
            0
        } else {
            (-step.log10()).ceil().max(0.0) as usize
        };
        let v = t / scale;
        if v.abs() < step * 1e-6 {
            return "0".into();
        }
        let body = format!("{:.decimals$}", v.abs());
        let body = if suffix.is_empty() && decimals == 0 && v.abs() >= 1000.0 {
            thousands(&body)
        } else {
            body
        };
        let sign = if v < 0.0 { "−" } else { "" };
        format!("{sign}{body}{suffix}")
    }
}

fn thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Downsample a sorted series to at most [`MAX_POINTS`] points: each bucket
/// of consecutive weeks becomes one point at its mean week, with the mean
/// median and the envelope of the bands (lowest p5 and p25, highest p75
/// and p95), so a peak is never narrowed away. Undefined values are
/// skipped; a bucket with none is undefined.
pub fn downsample(points: &[Point]) -> Vec<Point> {
    if points.len() <= MAX_POINTS {
        return points.to_vec();
    }
    let k = points.len().div_ceil(MAX_POINTS);
    points
        .chunks(k)
        .map(|b| {
            let week = b.iter().map(|p| p.week).sum::<f64>() / b.len() as f64;
            let defined = |j: usize| b.iter().map(move |p| p.q[j]).filter(|v| !v.is_nan());
            let fold = |j: usize, f: fn(f64, f64) -> f64| defined(j).reduce(f).unwrap_or(f64::NAN);
            let n50 = defined(2).count();
            let p50 = if n50 == 0 {
                f64::NAN
            } else {
                defined(2).sum::<f64>() / n50 as f64
            };
            Point {
                week,
                q: [
                    fold(0, f64::min),
                    fold(1, f64::min),
                    p50,
                    fold(3, f64::max),
                    fold(4, f64::max),
                ],
            }
        })
        .collect()
}

/// One policy's series in a fan chart.
pub struct FanSeries<'a> {
    pub label: &'a str,
    pub colour: &'a str,
    pub points: &'a [Point],
}

/// A dashed horizontal line at a threshold's value.
#[derive(Debug, Clone)]
pub struct ThresholdLine {
    pub value: f64,
    pub label: String,
}

pub struct FanChart<'a> {
    pub id: &'a str,
    /// The accessible name (`<title>`).
    pub title: &'a str,
    /// Drawn at the top left (the scenario, or the indicator).
    pub heading: &'a str,
    /// The y axis's unit, drawn above the axis.
    pub unit: &'a str,
    pub weeks: f64,
    pub y: &'a Axis,
    pub series: Vec<FanSeries<'a>>,
    pub thresholds: &'a [ThresholdLine],
}

const W: f64 = 440.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 46.0;
const PLOT_H: f64 = 170.0;
/// Approximate width of a character of the 11 px legend text.
const CHAR_W: f64 = 6.3;

/// Ticks on the week axis: every year (52 weeks) for runs of two years or
/// more, otherwise nice steps.
pub fn week_ticks(weeks: f64) -> Vec<f64> {
    let last = (weeks - 1.0).max(1.0);
    let step = if last >= 104.0 {
        52.0 * (last / 52.0 / 6.0).ceil().max(1.0)
    } else {
        // Weeks are whole numbers.
        nice_step(last, 5.0).max(1.0).round()
    };
    let n = (last / step + 1e-9).floor() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// A tick of the week axis as it reads: in years when the ticks are whole
/// years (runs of two years or more), else in weeks.
pub fn week_tick_label(t: f64, weeks: f64) -> String {
    if in_years(weeks) {
        format!("{}", (t / 52.0).round())
    } else {
        format!("{t}")
    }
}

/// Whether the week axis reads in years.
pub fn in_years(weeks: f64) -> bool {
    weeks - 1.0 >= 104.0
}

/// Split a series into runs where all the given quantiles are defined.
fn runs<'p>(points: &'p [Point], cols: &[usize]) -> Vec<&'p [Point]> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, p) in points.iter().enumerate() {
        let ok = cols.iter().all(|&j| p.q[j].is_finite());
        match (ok, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&points[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&points[s..]);
    }
    out
}

/// A band between two quantiles as closed polygons, one per defined run.
fn band_path(
    points: &[Point],
    lo: usize,
    hi: usize,
    x: &dyn Fn(f64) -> f64,
    y: &dyn Fn(f64) -> f64,
) -> String {
    let mut d = String::new();
    for run in runs(points, &[lo, hi]) {
        for (i, p) in run.iter().enumerate() {
            d.push(if i == 0 { 'M' } else { 'L' });
            let _ = write!(d, "{},{}", c(x(p.week)), c(y(p.q[hi])));
        }
        for p in run.iter().rev() {
            let _ = write!(d, "L{},{}", c(x(p.week)), c(y(p.q[lo])));
        }
        d.push('Z');
    }
    d
}

fn line_path(points: &[Point], j: usize, x: &dyn Fn(f64) -> f64, y: &dyn Fn(f64) -> f64) -> String {
    let mut d = String::new();
    for run in runs(points, &[j]) {
        for (i, p) in run.iter().enumerate() {
            d.push(if i == 0 { 'M' } else { 'L' });
            let _ = write!(d, "{},{}", c(x(p.week)), c(y(p.q[j])));
        }
        if run.len() == 1 {
            // A lone defined week: a short tick so it shows.
            d.push_str("h1");
        }
    }
    d
}

/// Lay legend items out in rows from `x0`, wrapping before `x1`; returns
/// the SVG and the height used.
fn legend(items: &[LegendItem], x0: f64, x1: f64, y0: f64) -> (String, f64) {
    let mut out = String::new();
    let row_h = 17.0;
    let (mut x, mut y) = (x0, y0);
    for item in items {
        let w = 26.0 + item.label.chars().count() as f64 * CHAR_W + 14.0;
        if x > x0 && x + w > x1 {
            x = x0;
            y += row_h;
        }
        let sy = y - 4.0;
        match item.swatch {
            Swatch::Policy(colour) => swatch(&mut out, x, sy, colour),
            Swatch::Dashed => {
                let _ = write!(
                    out,
                    r##"<path d="M{},{}h20" stroke="#333" stroke-width="1.5" stroke-dasharray="5 3"/>"##,
                    c(x),
                    c(sy)
                );
            }
            Swatch::Key => swatch(&mut out, x, sy, "#666"),
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" class="lg">{}</text>"#,
            c(x + 26.0),
            c(y),
            escape(&item.label)
        );
        x += w;
    }
    (out, y - y0 + row_h)
}

/// A legend swatch: the two bands, the 90% band's edges and the median.
fn swatch(out: &mut String, x: f64, y: f64, colour: &str) {
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="20" height="12" fill="{colour}" opacity=".16"/><rect x="{}" y="{}" width="20" height="6" fill="{colour}" opacity=".28"/><path d="M{},{}h20M{},{}h20" stroke="{colour}" stroke-width=".8" stroke-opacity=".7"/><path d="M{},{}h20" stroke="{colour}" stroke-width="2"/>"#,
        c(x),
        c(y - 6.0),
        c(x),
        c(y - 3.0),
        c(x),
        c(y - 6.0),
        c(x),
        c(y + 6.0),
        c(x),
        c(y)
    );
}

enum Swatch<'a> {
    Policy(&'a str),
    Dashed,
    Key,
}

struct LegendItem<'a> {
    swatch: Swatch<'a>,
    label: String,
}

/// One fan chart as an inline `<svg>`.
pub fn fan_chart(f: &FanChart) -> String {
    let plot_w = W - LEFT - RIGHT;
    let x_hi = (f.weeks - 1.0).max(1.0);
    let x = move |w: f64| LEFT + w / x_hi * plot_w;
    let (lo, hi) = (f.y.lo, f.y.hi);
    let y = move |v: f64| TOP + PLOT_H - (v - lo) / (hi - lo) * PLOT_H;
    let mut body = String::new();

    // Grid and y ticks.
    for t in f.y.ticks() {
        let yy = c(y(t));
        let _ = write!(
            body,
            r##"<path d="M{},{yy}h{}" stroke="{}"/><text x="{}" y="{yy}" dy=".32em" text-anchor="end" class="tk">{}</text>"##,
            c(LEFT),
            c(plot_w),
            if t == 0.0 { "#999" } else { "#e3e3e3" },
            c(LEFT - 6.0),
            escape(&f.y.label(t))
        );
    }
    // X ticks.
    for t in week_ticks(f.weeks) {
        let xx = c(x(t));
        let _ = write!(
            body,
            r##"<path d="M{xx},{}v4" stroke="#666"/><text x="{xx}" y="{}" text-anchor="middle" class="tk">{}</text>"##,
            c(TOP + PLOT_H),
            c(TOP + PLOT_H + 16.0),
            week_tick_label(t, f.weeks)
        );
    }
    let _ = write!(
        body,
        r##"<path d="M{},{}h{}" stroke="#666"/>"##,
        c(LEFT),
        c(TOP + PLOT_H),
        c(plot_w)
    );
    let _ = write!(
        body,
        r#"<text x="{}" y="{}" text-anchor="middle" class="ax">{}</text>"#,
        c(LEFT + plot_w / 2.0),
        c(TOP + PLOT_H + 32.0),
        if in_years(f.weeks) {
            "years since the start"
        } else {
            "weeks since the start"
        }
    );
    // Bands: each kind in a group with the opacity on the group, so that
    // overlapping bands of several policies do not darken into a colour
    // of their own (the last policy's band shows where they overlap). The
    // 90% band's edges are thin lines, so every policy's range stays
    // visible; medians come on top.
    let pts: Vec<Vec<Point>> = f.series.iter().map(|s| downsample(s.points)).collect();
    for (lo_q, hi_q, opacity) in [(0, 4, ".16"), (1, 3, ".28")] {
        let mut g = String::new();
        for (s, p) in f.series.iter().zip(&pts) {
            let d = band_path(p, lo_q, hi_q, &x, &y);
            if !d.is_empty() {
                let _ = write!(g, r#"<path d="{d}" fill="{}"/>"#, s.colour);
            }
        }
        if !g.is_empty() {
            let _ = write!(body, r#"<g opacity="{opacity}">{g}</g>"#);
        }
    }
    let mut g = String::new();
    for (s, p) in f.series.iter().zip(&pts) {
        let d = format!("{}{}", line_path(p, 0, &x, &y), line_path(p, 4, &x, &y));
        if !d.is_empty() {
            let _ = write!(
                g,
                r#"<path d="{d}" fill="none" stroke="{}" stroke-width=".8"/>"#,
                s.colour
            );
        }
    }
    if !g.is_empty() {
        let _ = write!(body, r#"<g opacity=".7">{g}</g>"#);
    }
    for (s, p) in f.series.iter().zip(&pts) {
        let d = line_path(p, 2, &x, &y);
        if !d.is_empty() {
            let _ = write!(
                body,
                r#"<path d="{d}" fill="none" stroke="{}" stroke-width="1.8" stroke-linejoin="round"/>"#,
                s.colour
            );
        }
    }
    // Threshold lines, labelled at the right end.
    for t in f.thresholds {
        let yy = y(t.value);
        let _ = write!(
            body,
            r##"<path d="M{},{}h{}" stroke="#333" stroke-width="1.5" stroke-dasharray="5 3"/><text x="{}" y="{}" text-anchor="end" class="th">{}</text>"##,
            c(LEFT),
            c(yy),
            c(plot_w),
            c(LEFT + plot_w - 2.0),
            c(if yy - TOP < 14.0 { yy + 12.0 } else { yy - 4.0 }),
            escape(&t.label)
        );
    }
    // Heading and unit.
    let _ = write!(
        body,
        r#"<text x="4" y="15" class="hd">{}</text><text x="4" y="{}" class="ax">{}</text>"#,
        escape(f.heading),
        c(TOP - 12.0),
        escape(f.unit)
    );
    // Legend.
    let mut items: Vec<LegendItem> = f
        .series
        .iter()
        .map(|s| LegendItem {
            swatch: Swatch::Policy(s.colour),
            label: s.label.to_string(),
        })
        .collect();
    items.push(LegendItem {
        swatch: Swatch::Key,
        label: "median, 50% and 90% bands".into(),
    });
    if !f.thresholds.is_empty() {
        items.push(LegendItem {
            swatch: Swatch::Dashed,
            label: "threshold".into(),
        });
    }
    let (lg, lg_h) = legend(&items, 4.0, W - 4.0, TOP + PLOT_H + 54.0);
    body.push_str(&lg);
    let h = TOP + PLOT_H + 54.0 + lg_h - 6.0;
    format!(
        r#"<svg id="{}" role="img" aria-labelledby="{}-t" viewBox="0 0 {} {}" class="chart"><title id="{}-t">{}</title>{body}</svg>"#,
        f.id,
        f.id,
        c(W),
        c(h),
        f.id,
        escape(f.title)
    )
}

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
    for tk in week_ticks(h.weeks) {
        let xx = c(x(tk));
        let _ = write!(
            body,
            r##"<path d="M{xx},{}v4" stroke="#666"/><text x="{xx}" y="{}" text-anchor="middle" class="tk">{}</text>"##,
            c(bottom),
            c(bottom + 16.0),
            week_tick_label(tk, h.weeks)
        );
    }
    let _ = write!(
        body,
        r#"<text x="{}" y="{}" text-anchor="middle" class="ax">{} since the start (each cell: {} weeks)</text>"#,
        c(left + plot_w / 2.0),
        c(bottom + 32.0),
        if in_years(h.weeks) { "years" } else { "weeks" },
        h.bucket
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_keeps_its_colour_whatever_the_other_policies() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let four = policy_colours(&names(&["adaptive", "day_one", "mentoring", "status_quo"]));
        assert!(!four.contains(&PALETTE[7]), "no yellow for four policies");
        let mut distinct = four.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "{four:?}");
        // Alone, or beside another policy, `status_quo` has the colour of
        // its name unless an earlier name took it.
        let alone = policy_colours(&names(&["status_quo"]))[0];
        let claimed = four[..3].contains(&alone);
        assert!(claimed || four[3] == alone);
        assert_eq!(
            policy_colours(&names(&["a_new_one", "status_quo"]))[1] == alone,
            policy_colours(&names(&["a_new_one"]))[0] != alone
        );
        assert_eq!(week_tick_label(104.0, 261.0), "2");
        assert_eq!(week_tick_label(20.0, 60.0), "20");
    }

    #[test]
    fn sig3_rule() {
        assert_eq!(sig3(0.6666666666666666), "0.667");
        assert_eq!(sig3(0.0), "0");
        assert_eq!(sig3(1.0), "1");
        assert_eq!(sig3(12.0), "12");
        assert_eq!(sig3(8.4234), "8.42");
        assert_eq!(sig3(33.5), "33.5");
        assert_eq!(sig3(0.2), "0.200");
        assert_eq!(sig3(138479.44), "138k");
        assert_eq!(sig3(30048.7), "30.0k");
        assert_eq!(sig3(9120.6), "9.12k");
        assert_eq!(sig3(999.6), "1.00k");
        assert_eq!(sig3(-1.515e9), "−1.52B");
        assert_eq!(sig3(0.00012345), "1.23e-4");
        assert_eq!(sig3(f64::NAN), "—");
    }

    #[test]
    fn axis_ticks_and_labels() {
        let a = Axis::nice(0.0, 78_000.0);
        assert_eq!(a.lo, 0.0);
        assert!(a.hi >= 78_000.0);
        assert_eq!(a.label(20_000.0), "20k");
        let b = Axis::nice(0.41, 0.53);
        assert!(b.lo <= 0.41 && b.hi >= 0.53);
        assert_eq!(b.label(0.45), "0.45");
        let m = Axis::nice(-1.6e9, 0.0);
        assert_eq!(m.label(-1.5e9), "−1.5B");
        assert_eq!(Axis::nice(0.0, 2500.0).label(2000.0), "2,000");
    }

    #[test]
    fn downsampling_keeps_the_envelope() {
        let pts: Vec<Point> = (0..260)
            .map(|w| Point {
                week: w as f64,
                q: [
                    w as f64 - 2.0,
                    w as f64 - 1.0,
                    w as f64,
                    w as f64 + 1.0,
                    w as f64 + 2.0,
                ],
            })
            .collect();
        let d = downsample(&pts);
        assert!(d.len() <= MAX_POINTS);
        assert_eq!(d[0].q, [-2.0, -1.0, 0.5, 2.0, 3.0]);
    }
}
