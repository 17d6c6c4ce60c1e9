//! `compare.html`: the headline table with the differences, and the fan
//! charts of the weekly national indicators with the runs overlaid (the
//! report's charts and style).

use std::fmt::Write as _;

use super::{Comparison, Pairing};
use crate::report::data::{self, Kind, Summary};
use crate::report::html::{CSS, y_axis};
use crate::report::svg::{self, FanChart, FanSeries};
use crate::report::{FAN_CHARTS, chart_heading, escape};

/// The scenario the charts of an experiment show: the steady or baseline
/// scenario (or the first) among those every run holds.
fn chart_scenario(c: &Comparison) -> Option<String> {
    let a = &c.runs[0].manifest.scenarios;
    let common: Vec<&String> = a
        .iter()
        .filter(|s| c.runs.iter().all(|r| r.manifest.scenarios.contains(s)))
        .collect();
    ["steady", "baseline"]
        .iter()
        .find_map(|w| common.iter().find(|s| s.as_str() == *w))
        .or(common.first())
        .map(|s| s.to_string())
}

pub fn page(c: &Comparison) -> String {
    let labels: Vec<String> = c.runs.iter().map(|r| r.label.clone()).collect();
    let colours = svg::policy_colours(&labels);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let title = format!("foresight compare: {}", labels.join(" · "));
    let _ = writeln!(
        out,
        "<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>",
        escape(&title),
        escape(&title)
    );
    out.push_str("<ul>\n");
    for (r, colour) in c.runs.iter().zip(&colours) {
        let _ = writeln!(
            out,
            "<li><span style=\"color:{colour}\">■</span> <b>{}</b>: <code>{}</code> ({}, seed {}, {} replications)</li>",
            escape(&r.label),
            escape(&r.dir.display().to_string()),
            escape(&r.manifest.name),
            escape(&r.manifest.seed),
            r.manifest
                .replications
                .map_or("?".into(), |n| n.to_string())
        );
    }
    out.push_str("</ul>\n");

    out.push_str("<h2>Headline indicators</h2>\n");
    for (i, b) in c.runs.iter().enumerate().skip(1) {
        let how = match &c.pairing[i - 1] {
            Pairing::Paired => {
                "paired (the same seed and replications: common random numbers)".to_string()
            }
            Pairing::Unpaired(why) => format!("unpaired (Welch's t): {why}"),
        };
        let _ = writeln!(
            out,
            "<h3>{} − {}</h3>\n<p>{}</p>",
            escape(&b.label),
            escape(&c.runs[0].label),
            escape(&how)
        );
        let policies: Vec<&String> = c.runs[0]
            .groups
            .keys()
            .filter(|p| b.groups.contains_key(*p))
            .collect();
        for policy in policies {
            if !policy.is_empty() {
                let _ = writeln!(out, "<p><b>policy {}</b></p>", escape(policy));
            }
            let _ = writeln!(
                out,
                "<div class=\"scroll\"><table>\n<thead><tr><th>indicator</th><th>unit</th><th>{}</th><th>{}</th><th>difference</th><th>95% interval</th><th>p</th></tr></thead>\n<tbody>",
                escape(&c.runs[0].label),
                escape(&b.label)
            );
            for r in c
                .rows
                .iter()
                .filter(|r| r.other == i && &r.policy == policy)
            {
                let s = c.shown(r);
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td>",
                    escape(&s[0]),
                    escape(&s[1])
                );
                for cell in &s[2..] {
                    let _ = write!(out, "<td class=\"num\">{}</td>", escape(cell));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table></div>\n");
        }
    }
    out.push_str(
        "<p>Difference: the later run minus the first, in the indicator's unit. 95% interval: \
         where the true difference lies with 95% confidence. p: the chance of a difference at \
         least this large if the runs did not differ.</p>\n",
    );
    charts(&mut out, c, &colours);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The fan charts, one per weekly indicator (and per policy for
/// experiments), each run's median and bands overlaid in its colour.
fn charts(out: &mut String, c: &Comparison, colours: &[&'static str]) {
    let summaries: Vec<Option<Summary>> = c
        .runs
        .iter()
        .map(|r| data::summary(&r.dir, &r.manifest).ok())
        .collect();
    out.push_str("<h2>Weekly national indicators</h2>\n");
    let scenario = match c.runs[0].manifest.kind {
        Kind::Scenario => None,
        Kind::Experiment => chart_scenario(c),
    };
    if c.runs[0].manifest.kind == Kind::Experiment && scenario.is_none() {
        out.push_str("<p>The runs share no scenario: no charts.</p>\n");
        return;
    }
    if let Some(s) = &scenario {
        let _ = writeln!(
            out,
            "<p>Scenario <b>{}</b>: median with 50% and 90% bands across samples and replications.</p>",
            escape(s)
        );
    } else {
        out.push_str("<p>Median with 50% and 90% bands across replications.</p>\n");
    }
    let policies: Vec<String> = match c.runs[0].manifest.kind {
        Kind::Scenario => vec![String::new()],
        Kind::Experiment => c.runs[0]
            .groups
            .keys()
            .filter(|p| c.runs.iter().all(|r| r.groups.contains_key(*p)))
            .cloned()
            .collect(),
    };
    let weeks = summaries
        .iter()
        .flatten()
        .map(|s| s.weeks)
        .fold(1.0f64, f64::max);
    // Dates on the time axis when every run has the same calendar.
    let start = c.runs[0].manifest.start_date;
    let start = start.filter(|_| c.runs.iter().all(|r| r.manifest.start_date == start));
    let mut shown = 0;
    for (k, ind) in FAN_CHARTS.iter().enumerate() {
        let (title, unit) = chart_heading(ind, &c.runs[0].manifest.currency);
        let unit = unit.as_str();
        let _ = write!(
            out,
            "<figure>\n<h3>{} <span class=\"unit\">({})</span></h3>\n<div class=\"grid\">\n",
            escape(&title),
            escape(unit)
        );
        for policy in &policies {
            let series: Vec<FanSeries> = c
                .runs
                .iter()
                .zip(&summaries)
                .enumerate()
                .filter_map(|(ri, (run, s))| {
                    let s = s.as_ref()?;
                    let si = match &scenario {
                        None => 0,
                        Some(name) => s.scenarios.iter().position(|x| x == name)?,
                    };
                    let pi = if policy.is_empty() {
                        0
                    } else {
                        s.policies.iter().position(|x| x == policy)?
                    };
                    s.fans.get(&(si, pi, k)).map(|pts| FanSeries {
                        label: &run.label,
                        colour: colours[ri],
                        points: pts,
                    })
                })
                .collect();
            if series.is_empty() {
                continue;
            }
            shown += 1;
            let axis = y_axis(ind, &series, &[]);
            let id = format!("cmp-{k}-{shown}");
            let heading = if policy.is_empty() {
                String::new()
            } else {
                format!("policy: {policy}")
            };
            let chart_title = format!("{title} ({unit}) {heading}");
            out.push_str(&svg::fan_chart(&FanChart {
                id: &id,
                title: &chart_title,
                heading: &heading,
                unit,
                weeks,
                start,
                y: &axis,
                series,
                thresholds: &[],
                key: svg::BANDS,
            }));
            out.push('\n');
        }
        out.push_str("</div>\n</figure>\n");
    }
    if shown == 0 {
        out.push_str("<p>No run holds a summary with national rows (<code>--summary none</code>): no charts.</p>\n");
    }
}
