//! Hand-rolled inline SVG: fan charts (median line with 50% and 90% bands
//! per policy) and the regional heat map. Coordinates are rounded to one
//! decimal and long series are downsampled, so the report stays small.

use std::fmt::Write as _;

use super::data::Point;
use super::escape;
use super::time_axis::time_axis;
use crate::output::numbers::grouped;
use crate::scenario::types::StartDate;

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

/// A value axis: its domain (extended to whole steps of the unit people
/// read) and ticks. Values are in the indicator's own unit (a share from
/// 0 to 1, money in units of the currency); `scale` turns them into the
/// unit they read in (percent, millions), as in the tables.
#[derive(Debug, Clone)]
pub struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub scale: f64,
}

impl Axis {
    /// An axis covering `lo..hi` with about five intervals, read as it is.
    pub fn nice(lo: f64, hi: f64) -> Axis {
        Axis::nice_in(lo, hi, 1.0)
    }

    /// An axis covering `lo..hi` with about five intervals that are round
    /// numbers once multiplied by `scale` ([`Unit::display`](crate::model::indicators::Unit::display)).
    pub fn nice_in(lo: f64, hi: f64, scale: f64) -> Axis {
        let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
            (lo * scale, hi * scale)
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
        Axis {
            lo: lo / scale,
            hi: hi / scale,
            step: step / scale,
            scale,
        }
    }

    /// The ticks, whole multiples of the step (zero is exactly 0).
    pub fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as i64;
        let first = (self.lo / self.step).round() as i64;
        (first..=first + n).map(|k| k as f64 * self.step).collect()
    }

    /// A tick label in the unit people read, by the rule of the tables
    /// (`output::numbers`): thousands separators and as many decimals as
    /// the step needs.
    pub fn label(&self, t: f64) -> String {
        let step = self.step * self.scale;
        let decimals = if step >= 1.0 {
            0
        } else {
            (-step.log10() - 1e-9).ceil().max(0.0) as usize
        };
        let v = t * self.scale;
        if v.abs() < step * 1e-6 {
            return "0".into();
        }
        grouped(v, decimals)
    }

    /// The widest tick label, in characters.
    pub fn label_chars(&self) -> usize {
        self.ticks()
            .iter()
            .map(|&t| self.label(t).chars().count())
            .max()
            .unwrap_or(1)
    }
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
    /// The calendar date of week 0, if the world gives one.
    pub start: Option<StartDate>,
    pub y: &'a Axis,
    pub series: Vec<FanSeries<'a>>,
    pub thresholds: &'a [ThresholdLine],
    /// The legend's key to the bands ([`BANDS`] for the summaries' charts).
    pub key: &'a str,
}

/// The legend's key to a chart with both bands.
pub const BANDS: &str = "median, 50% and 90% bands";

const W: f64 = 440.0;
const LEFT: f64 = 58.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 46.0;
const PLOT_H: f64 = 170.0;
/// Approximate width of a character of the 11 px legend text.
const CHAR_W: f64 = 6.3;

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

/// Length of a dash of a median that coincides with others.
const DASH: f64 = 5.0;

/// Series `i`'s rank and the size of its group of coinciding medians at
/// point `k`: the medians of the series at the same week, sorted, form
/// chains in which each lies within a pixel of the next, and a chain is a
/// group. Every series of a chain finds the same chain, so the phases of
/// its dashes never overlap (a pairwise test would let a ≈ b ≈ c with
/// a ≉ c give a and b overlapping dashes).
fn coincidence(ys: &[Vec<f64>], weeks: &[Vec<f64>], i: usize, k: usize) -> (usize, usize) {
    let Some(&yi) = ys[i].get(k).filter(|y| y.is_finite()) else {
        return (0, 1);
    };
    let mut at: Vec<(f64, usize)> = (0..ys.len())
        .filter(|&j| weeks[j].get(k) == weeks[i].get(k))
        .filter_map(|j| ys[j].get(k).filter(|y| y.is_finite()).map(|&y| (y, j)))
        .collect();
    at.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let pos = at.iter().position(|&(y, j)| j == i && y == yi).unwrap_or(0);
    let mut lo = pos;
    while lo > 0 && at[lo].0 - at[lo - 1].0 < 1.0 {
        lo -= 1;
    }
    let mut hi = pos;
    while hi + 1 < at.len() && at[hi + 1].0 - at[hi].0 < 1.0 {
        hi += 1;
    }
    let chain = &at[lo..=hi];
    let rank = chain.iter().filter(|&&(_, j)| j < i).count();
    (rank, chain.len())
}

/// A median cut into pieces that each keep one grouping (rank among the
/// series it coincides with, and their number) along the way: a segment
/// belongs to a group when both its ends do; the pieces share their end
/// points, so the line stays whole.
fn median_pieces<'p>(
    points: &'p [Point],
    groups: &[(usize, usize)],
) -> Vec<(&'p [Point], (usize, usize))> {
    let mut out = Vec::new();
    if points.len() < 2 {
        if !points.is_empty() {
            out.push((points, groups[0]));
        }
        return out;
    }
    let class = |k: usize| {
        if groups[k] == groups[k + 1] {
            groups[k]
        } else {
            (0, 1)
        }
    };
    let mut start = 0;
    for k in 1..points.len() - 1 {
        if class(k) != class(start) {
            out.push((&points[start..=k], class(start)));
            start = k;
        }
    }
    out.push((&points[start..], class(start)));
    out
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
        match &item.swatch {
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
            Swatch::Alternating(colours) => {
                let n = colours.len().max(1) as f64;
                for (k, colour) in colours.iter().enumerate() {
                    let _ = write!(
                        out,
                        r#"<path d="M{},{}h{}" stroke="{colour}" stroke-width="2.4"/>"#,
                        c(x + 20.0 * k as f64 / n),
                        c(sy),
                        c(20.0 / n)
                    );
                }
            }
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
    /// Each policy's colour in turn, for medians that coincide.
    Alternating(Vec<&'a str>),
}

struct LegendItem<'a> {
    swatch: Swatch<'a>,
    label: String,
}

/// One fan chart as an inline `<svg>`.
pub fn fan_chart(f: &FanChart) -> String {
    // Room for the widest tick label.
    let left = LEFT.max(f.y.label_chars() as f64 * CHAR_W + 12.0);
    let plot_w = W - left - RIGHT;
    let x_hi = (f.weeks - 1.0).max(1.0);
    let x = move |w: f64| left + w / x_hi * plot_w;
    let (lo, hi) = (f.y.lo, f.y.hi);
    let y = move |v: f64| TOP + PLOT_H - (v - lo) / (hi - lo) * PLOT_H;
    let mut body = String::new();

    // Grid and y ticks.
    for t in f.y.ticks() {
        let yy = c(y(t));
        let _ = write!(
            body,
            r##"<path d="M{},{yy}h{}" stroke="{}"/><text x="{}" y="{yy}" dy=".32em" text-anchor="end" class="tk">{}</text>"##,
            c(left),
            c(plot_w),
            if t == 0.0 { "#999" } else { "#e3e3e3" },
            c(left - 6.0),
            escape(&f.y.label(t))
        );
    }
    // X ticks.
    let time = time_axis(f.weeks, f.start);
    for (t, label) in &time.ticks {
        let xx = c(x(*t));
        let _ = write!(
            body,
            r##"<path d="M{xx},{}v4" stroke="#666"/><text x="{xx}" y="{}" text-anchor="middle" class="tk">{label}</text>"##,
            c(TOP + PLOT_H),
            c(TOP + PLOT_H + 16.0),
        );
    }
    let _ = write!(
        body,
        r##"<path d="M{},{}h{}" stroke="#666"/>"##,
        c(left),
        c(TOP + PLOT_H),
        c(plot_w)
    );
    let _ = write!(
        body,
        r#"<text x="{}" y="{}" text-anchor="middle" class="ax">{}</text>"#,
        c(left + plot_w / 2.0),
        c(TOP + PLOT_H + 32.0),
        time.title
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
    // Medians: where several coincide (within a pixel), each is drawn in
    // dashes at its own phase, so that every policy's colour shows in turn
    // and none hides another.
    let ys: Vec<Vec<f64>> = pts
        .iter()
        .map(|p| p.iter().map(|q| y(q.q[2])).collect())
        .collect();
    let weeks: Vec<Vec<f64>> = pts
        .iter()
        .map(|p| p.iter().map(|q| q.week).collect())
        .collect();
    let mut coinciding = false;
    for (i, (s, p)) in f.series.iter().zip(&pts).enumerate() {
        let groups: Vec<(usize, usize)> = (0..p.len())
            .map(|k| coincidence(&ys, &weeks, i, k))
            .collect();
        for (piece, (rank, size)) in median_pieces(p, &groups) {
            let d = line_path(piece, 2, &x, &y);
            if d.is_empty() {
                continue;
            }
            let dash = if size > 1 {
                coinciding = true;
                format!(
                    r#" stroke-dasharray="{DASH} {}" stroke-dashoffset="{}""#,
                    DASH * (size - 1) as f64,
                    DASH * rank as f64
                )
            } else {
                String::new()
            };
            let _ = write!(
                body,
                r#"<path d="{d}" fill="none" stroke="{}" stroke-width="1.8" stroke-linejoin="round"{dash}/>"#,
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
            c(left),
            c(yy),
            c(plot_w),
            c(left + plot_w - 2.0),
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
        label: f.key.into(),
    });
    if coinciding {
        let colours: Vec<&str> = f.series.iter().map(|s| s.colour).collect();
        items.push(LegendItem {
            swatch: Swatch::Alternating(colours),
            label: "medians that coincide alternate".into(),
        });
    }
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
    }

    #[test]
    fn axis_ticks_and_labels() {
        let a = Axis::nice(0.0, 78_000.0);
        assert_eq!(a.lo, 0.0);
        assert!(a.hi >= 78_000.0);
        assert_eq!(a.label(20_000.0), "20,000");
        let b = Axis::nice(0.41, 0.53);
        assert!(b.lo <= 0.41 && b.hi >= 0.53);
        assert_eq!(b.label(0.45), "0.45");
        // Money in millions, shares in percent: as the tables show them.
        let m = Axis::nice_in(-1.6e9, 0.0, 1e-6);
        assert_eq!(m.label(-1.5e9), "−1,500");
        let share = Axis::nice_in(0.0, 0.23, 100.0);
        assert_eq!(share.ticks().len(), 6);
        assert_eq!(share.label(share.ticks()[1]), "5");
        assert_eq!(Axis::nice_in(0.0, 0.012, 100.0).label(0.002), "0.2");
        assert_eq!(Axis::nice(0.0, 2500.0).label(2000.0), "2,000");
        assert_eq!(Axis::nice(0.0, 2500.0).label_chars(), 5);
        // Zero is a tick of its own, exactly, whatever the range and unit.
        for (lo, hi, scale) in [
            (-0.41e6, 0.16e6, 1e-6),
            (-0.3, 0.05, 100.0),
            (-7.7e9, 2.4e9, 1e-6),
        ] {
            let a = Axis::nice_in(lo, hi, scale);
            assert!(a.ticks().contains(&0.0), "{lo}..{hi}: {:?}", a.ticks());
        }
    }

    #[test]
    fn coinciding_medians_alternate_and_the_others_stay_solid() {
        let line = |level: f64| -> Vec<Point> {
            (0..40)
                .map(|w| Point {
                    week: w as f64,
                    q: [level - 2.0, level - 1.0, level, level + 1.0, level + 2.0],
                })
                .collect()
        };
        let (same, other) = (line(10.0), line(30.0));
        let axis = Axis::nice(0.0, 40.0);
        // A chart of series given as (colour, points).
        let draw = |series: &[(&'static str, &Vec<Point>)]| {
            fan_chart(&FanChart {
                id: "t",
                title: "t",
                heading: "t",
                unit: "persons",
                weeks: 40.0,
                start: None,
                y: &axis,
                series: series
                    .iter()
                    .map(|&(colour, points)| FanSeries {
                        label: colour,
                        colour,
                        points,
                    })
                    .collect(),
                thresholds: &[],
                key: BANDS,
            })
        };
        let chart = draw(&[
            ("#000001", &same),
            ("#000002", &same),
            ("#000003", &same),
            ("#000004", &other),
        ]);
        let median = |colour: &str| {
            chart
                .split("<path ")
                .find(|p| p.contains(&format!("stroke=\"{colour}\" stroke-width=\"1.8\"")))
                .unwrap_or_default()
                .to_string()
        };
        // Three coinciding medians: dashes of 5 with gaps of 10, at phases
        // 0, 5 and 10, so each colour shows in turn.
        for (colour, phase) in [("#000001", 0), ("#000002", 5), ("#000003", 10)] {
            assert!(
                median(colour).contains(&format!(
                    r#"stroke-dasharray="5 10" stroke-dashoffset="{phase}""#
                )),
                "{colour}: {}",
                median(colour)
            );
        }
        assert!(
            !median("#000004").contains("dasharray"),
            "{}",
            median("#000004")
        );
        assert!(chart.contains("medians that coincide alternate"));
        // Apart, nobody is dashed and the legend says nothing of it.
        let apart = draw(&[("#000001", &same), ("#000004", &other)]);
        assert!(!apart.contains("stroke-dasharray=\"5"));
        assert!(!apart.contains("coincide"));
    }

    #[test]
    fn a_chain_of_near_medians_is_one_group() {
        // a ≈ b ≈ c (0.6 px apart each) but a ≉ c (1.2 px): one group of
        // three, so the phases are 0, 1 and 2 dashes; d apart is alone.
        let ys = vec![vec![10.0], vec![10.6], vec![11.2], vec![40.0]];
        let weeks = vec![vec![0.0]; 4];
        let groups: Vec<_> = (0..4).map(|i| coincidence(&ys, &weeks, i, 0)).collect();
        assert_eq!(groups, [(0, 3), (1, 3), (2, 3), (0, 1)]);
        // An undefined median is alone.
        let ys = vec![vec![10.0], vec![f64::NAN]];
        let weeks = vec![vec![0.0]; 2];
        assert_eq!(coincidence(&ys, &weeks, 1, 0), (0, 1));
        assert_eq!(coincidence(&ys, &weeks, 0, 0), (0, 1));
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
