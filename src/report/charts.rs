//! The fan charts of national indicators over time, with threshold lines.

use std::fmt::Write as _;

use super::data::{Kind, Manifest, Point, Summary, Threshold};
use super::html::{ATTITUDE, HOMELESS_REFUGEES, colour, is_homeless_share, threshold_bound};
use super::svg::{self, Axis, FanChart, FanSeries, ThresholdLine};
use super::{FAN_CHARTS, Ids, chart_heading, escape, sanitize, unit_of};

/// Which chart a threshold's headline indicator belongs to, and what it
/// measures there (short, for the line's label, and long, for the
/// caption): (headline, chart, short, long).
const THRESHOLD_CHARTS: &[(&str, &str, &str, &str)] = &[
    (
        "language_wait_worst_region_weeks",
        "language_mean_wait_weeks",
        "worst region, run mean",
        "the worst region's mean wait over the whole run",
    ),
    (
        "language_wait_mean_weeks",
        "language_mean_wait_weeks",
        "all regions, run mean",
        "the mean wait over the whole run, all regions",
    ),
    (
        "employment_rate_3y_plus_final",
        "employment_rate",
        "3+ years, final week",
        "the final-week employment rate of those who arrived 3+ years before",
    ),
    (
        "employment_rate_final",
        "employment_rate",
        "final week",
        "the final week's rate",
    ),
    (
        "attitude_final",
        "attitude",
        "final week",
        "the final week's index",
    ),
    (
        "attitude_min_region_final",
        "attitude",
        "lowest region, final week",
        "the lowest region's index in the final week",
    ),
    (
        "asylum_backlog_final",
        "asylum_backlog",
        "final week",
        "the final week's backlog",
    ),
    (
        "asylum_backlog_peak",
        "asylum_backlog",
        "peak",
        "the peak week's backlog",
    ),
    (
        "emergency_accommodation_peak",
        "emergency_accommodation",
        "peak",
        "the peak week's number",
    ),
    (
        "homeless_refugees_peak",
        "homeless_refugees",
        "peak",
        "the peak week's number",
    ),
    (
        "cumulative_discounted_balance",
        "cumulative_discounted_balance",
        "end of run",
        "the balance at the end of the run",
    ),
];

fn threshold_chart(indicator: &str) -> Option<(&'static str, &'static str, &'static str)> {
    THRESHOLD_CHARTS
        .iter()
        .find(|t| t.0 == indicator)
        .map(|&(_, chart, short, long)| (chart, short, long))
}

fn chart_note(indicator: &str) -> &'static str {
    match indicator {
        "asylum_backlog" => "Persons awaiting an asylum decision at the end of each week.",
        "reception_occupancy" => "Persons in reception places.",
        "emergency_accommodation" => {
            "Asylum seekers in reception overflow, and recognised households in emergency accommodation."
        }
        "homeless_refugees" => {
            "Homeless persons with protection or resettled: the move-on outcome (refused persons in limbo are not counted)."
        }
        "homeless_after_move_on" => {
            "Homeless because, granted protection, they had no home at the end of the move-on period and no move-on support."
        }
        "homeless_after_rejection" => {
            "Homeless because their accommodation ended after a final refusal (policy.rejected_accommodation: none)."
        }
        "searching_for_home" => {
            "In a housing queue at the end of each week: in reception, emergency accommodation, homeless or overcrowded."
        }
        "appeals_pending" => "Refused at first instance with an appeal not yet decided.",
        "language_waiting" => "Persons on a language-course waiting list at the end of each week.",
        "language_mean_wait_weeks" => {
            "Mean wait of those who started a language course that week, nationally; a gap is a week in which nobody started. A growing queue shows first in the waiting list above."
        }
        "employment_rate" => {
            "Employed share of refugees (with protection, or resettled) of working age."
        }
        "attitude" => {
            "Public attitude towards refugees, population-weighted national index from 0 to 1."
        }
        "mean_bridges" => {
            "Mean social bridges of adults present, 0 to 1: contact outside their own group (feeds job finding with feedback.bridges_to_jobs)."
        }
        "volunteers" => {
            "National stock of mentors and sponsors as a multiple of the policy's numbers; 1 throughout unless feedback.volunteers is on."
        }
        "cumulative_discounted_balance" => {
            "Contributions minus costs, discounted to week 0 and summed to date."
        }
        _ => "",
    }
}

pub(super) fn fan_charts(out: &mut String, m: &Manifest, s: &Summary, weeks: f64) {
    let experiment = m.kind == Kind::Experiment;
    let multi = s.scenarios.len() > 1;
    out.push_str("<section id=\"over-time\">\n<h2>Indicators over time</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">National values by week. Line: median (p50); darker band: middle 50% (p25–p75); lighter band: 90% (p5–p95), across {}. {}Thin lines mark the edges of each policy's 90% band. Where policies' bands overlap, the fill of the one listed last shows; where their medians coincide (within a pixel), the lines alternate in dashes of each policy's colour, so that no policy hides another. Dashed lines are thresholds, labelled with what they measure.</p>",
        if experiment {
            "replications and sampled futures"
        } else {
            "replications"
        },
        if multi {
            "Each row is one indicator with one chart per scenario; compare the policies (colours) within a chart, and mind that each chart has its own scale. "
        } else {
            ""
        }
    );
    // Thresholds without a chart.
    let unplotted: Vec<&Threshold> = m
        .thresholds
        .iter()
        .filter(|t| threshold_chart(&t.indicator).is_none())
        .collect();
    let mut ids = Ids::default();
    if !multi {
        out.push_str("<div class=\"grid\">\n");
    }
    for (k, &ind) in FAN_CHARTS.iter().enumerate() {
        let (title, unit) = chart_heading(ind, &m.currency);
        let (title, unit) = (title.as_str(), unit.as_str());
        let lines: Vec<ThresholdLine> = m
            .thresholds
            .iter()
            .filter_map(|t| {
                let (chart, short, _) = threshold_chart(&t.indicator)?;
                (chart == ind).then_some(())?;
                Some(ThresholdLine {
                    value: t.value?,
                    label: format!("threshold: {} ({short})", threshold_bound(t, &m.currency)),
                })
            })
            .collect();
        let mut caption = chart_note(ind).to_string();
        for t in &m.thresholds {
            if let Some((chart, _, what)) = threshold_chart(&t.indicator)
                && chart == ind
            {
                let _ = write!(
                    caption,
                    " Threshold <code>{}</code> ({what}){}",
                    escape(&t.text),
                    if t.indicator == ind {
                        ".".to_string()
                    } else {
                        format!(
                            ": it is judged on <code>{}</code>, not on this weekly national line, which shows the trend behind it.",
                            escape(&t.indicator)
                        )
                    }
                );
            }
        }
        if ind == HOMELESS_REFUGEES {
            for t in unplotted.iter().filter(|t| is_homeless_share(t)) {
                let _ = write!(
                    caption,
                    " Threshold <code>{}</code> is on the homeless share of refugees (homeless refugees ÷ recognised and resettled persons), which has no chart of its own; its results are in the policy comparison.",
                    escape(&t.text)
                );
            }
        }
        if multi {
            let _ = write!(
                out,
                "<figure>\n<h3>{} <span class=\"unit\">({})</span></h3>\n<div class=\"grid\">\n",
                escape(title),
                escape(unit)
            );
        } else {
            // The chart shows the unit; a one-line heading keeps the grid aligned.
            let _ = write!(out, "<figure>\n<h3>{}</h3>\n", escape(title));
        }
        for (si, scenario) in s.scenarios.iter().enumerate() {
            let series: Vec<FanSeries> = s
                .policies
                .iter()
                .enumerate()
                .filter_map(|(pi, p)| {
                    s.fans.get(&(si, pi, k)).map(|pts: &Vec<Point>| FanSeries {
                        label: p,
                        colour: colour(&s.policies, pi),
                        points: pts,
                    })
                })
                .collect();
            if series.is_empty() && s.fans.keys().all(|(x, _, _)| *x != si) {
                continue; // a scenario with no national rows at all
            }
            let axis = y_axis(ind, &series, &lines);
            let id = ids.unique(format!("fan-{}-{}", sanitize(scenario), sanitize(ind)));
            let chart_title = format!(
                "{title} ({unit}), scenario {scenario}: median with 50% and 90% bands for {}",
                if series.is_empty() {
                    "no policy (no data)".to_string()
                } else {
                    series
                        .iter()
                        .map(|x| x.label)
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            );
            let heading = if multi {
                format!("scenario: {scenario}")
            } else {
                scenario.clone()
            };
            out.push_str(&svg::fan_chart(&FanChart {
                id: &id,
                title: &chart_title,
                heading: &heading,
                unit,
                weeks,
                start: m.start_date,
                y: &axis,
                series,
                thresholds: &lines,
                key: svg::BANDS,
            }));
            out.push('\n');
        }
        if multi {
            out.push_str("</div>\n");
        }
        let _ = writeln!(out, "<figcaption>{caption}</figcaption>\n</figure>");
    }
    if !multi {
        out.push_str("</div>\n");
    }
    let others: Vec<&&Threshold> = unplotted.iter().filter(|t| !is_homeless_share(t)).collect();
    if !others.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">Thresholds with no chart here (see the policy comparison): {}.</p>",
            others
                .iter()
                .map(|t| format!("<code>{}</code>", escape(&t.text)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out.push_str("</section>\n");
}

/// A chart's y axis: all its bands and threshold lines, and zero (but
/// for the attitude index, which lives in a narrow range).
pub(crate) fn y_axis(indicator: &str, series: &[FanSeries], lines: &[ThresholdLine]) -> Axis {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in series
        .iter()
        .flat_map(|s| s.points.iter().flat_map(|p| p.q))
        .chain(lines.iter().map(|l| l.value))
        .filter(|v| v.is_finite())
    {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if indicator != ATTITUDE && lo.is_finite() {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    Axis::nice_in(lo, hi, unit_of(indicator).map_or(1.0, |u| u.display().0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::indicators::headline;

    #[test]
    fn threshold_charts_tie_headline_indicators_to_drawn_charts() {
        for &(h, chart, _, _) in THRESHOLD_CHARTS {
            assert!(
                headline::get(h).is_some(),
                "{h} is not a headline indicator"
            );
            assert!(FAN_CHARTS.contains(&chart), "no chart {chart}");
        }
    }

    #[test]
    fn every_chart_has_a_caption() {
        for chart in FAN_CHARTS {
            assert!(!chart_note(chart).is_empty(), "{chart}");
        }
    }
}
