//! The page: header, policy comparison or headline table, fan charts and
//! the regional heat map, assembled as one HTML string.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use super::TITLE;
use super::data::{self, Kind, Manifest, Point, Summary, Table, Threshold};
use super::svg::{self, Axis, FanChart, FanSeries, HeatMap, HeatRow, PALETTE, ThresholdLine, sig3};
use super::{FAN_CHARTS, HEATMAP_INDICATOR, ReportError, chart_heading, cohorts, escape, sanitize};
use crate::model::indicators::{self, headline};

pub(crate) const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;color:#1a1a1a;background:#fff;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif}
main{max-width:1400px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:28px;line-height:1.2;margin:2px 0 6px}
h2{font-size:21px;margin:40px 0 8px;padding-bottom:4px;border-bottom:2px solid #1a1a1a}
h3{font-size:16px;margin:22px 0 4px}
h3 .unit{font-weight:400;color:#555;font-size:14px}
.kicker{margin:0;color:#555;font-size:13px;letter-spacing:.04em;text-transform:uppercase}
.desc{margin:0 0 12px;font-size:16px;max-width:980px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:1px 18px;margin:0 0 14px;font-size:14px}
.meta dt{color:#555}
.meta dd{margin:0;overflow-wrap:anywhere}
code.k{color:#666;font-size:11px;margin-left:4px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.92em}
.guide{background:#f3f6f9;border-left:4px solid #0072B2;padding:10px 14px;margin:0;max-width:1040px}
nav{margin:14px 0 0;font-size:14px}
nav a{color:#0058a0;margin-right:14px}
p.note,figcaption{font-size:13.5px;color:#333;max-width:1040px}
figure{margin:0 0 10px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:6px 22px}
svg{display:block;width:100%;height:auto}
svg text{font-family:inherit}
.tk{font-size:11px;fill:#444}
.ax{font-size:11px;fill:#555}
.hd{font-size:13px;font-weight:600;fill:#1a1a1a}
.lg{font-size:11px;fill:#222}
.th{font-size:10.5px;font-weight:600;fill:#222;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:12.5px;font-variant-numeric:tabular-nums;margin:6px 0 4px}
th,td{padding:4px 5px;border-bottom:1px solid #e3e3e3;text-align:right;vertical-align:top}
td{white-space:nowrap}
tbody th{white-space:nowrap}
th.c{text-align:center}
th small{display:block;font-weight:400;color:#555}
.u{font-weight:400;color:#555}
thead th{background:#f3f3f3;font-weight:600;vertical-align:bottom}
th.g,td.g{border-left:1px solid #cfcfcf}
td.l,th.l{text-align:left}
td.l{white-space:normal}
td.fail{color:#b00020;font-weight:600}
.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
td small{color:#555}
footer{margin-top:40px;font-size:12.5px;color:#555;border-top:1px solid #ddd;padding-top:8px}
"#;

// Indicators the page treats apart, checked against the tables of
// indicators when compiled.
const BALANCE: &str = headline::checked("cumulative_discounted_balance");
const WAIT_WORST_REGION: &str = headline::checked("language_wait_worst_region_weeks");
const WAIT_MEAN: &str = headline::checked("language_wait_mean_weeks");
const SHARE_FINAL: &str = headline::checked("homeless_share_of_refugees_final");
const SHARE_PEAK: &str = headline::checked("homeless_share_of_refugees_peak");
const HOMELESS_REFUGEES: &str = indicators::checked("homeless_refugees");
const ATTITUDE: &str = indicators::checked("attitude");

/// A threshold on the homeless share of refugees, which has no chart.
fn is_homeless_share(t: &Threshold) -> bool {
    matches!(t.indicator.as_str(), SHARE_FINAL | SHARE_PEAK)
}

/// Render the whole page.
pub fn render(dir: &Path, m: &Manifest, date: &str) -> Result<String, ReportError> {
    // The small tables first: a missing one fails before the long stream.
    let tables = match m.kind {
        Kind::Experiment => {
            let optional = |name: &str| -> Result<Option<Table>, ReportError> {
                let path = data::table(dir, name);
                if m.thresholds.is_empty() && !path.exists() {
                    Ok(None)
                } else {
                    Table::read(&path).map(Some)
                }
            };
            Tables::Experiment {
                robustness: Table::read(&data::table(dir, "robustness"))?,
                satisficing: optional("satisficing")?,
                failures: optional("failures")?,
            }
        }
        Kind::Scenario => Tables::Scenario {
            headline: Table::read(&data::table(dir, "headline"))?,
        },
    };
    let s = data::summary(dir, m)?;
    let weeks = if s.weeks > 0.0 {
        s.weeks
    } else {
        m.horizon_weeks.unwrap_or(1) as f64
    };

    let mut out = String::with_capacity(1 << 20);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "{TITLE}{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>",
        escape(&m.name)
    );
    let with_cohorts = data::table(dir, crate::output::cohorts::SUMMARY).exists();
    let sections = Sections {
        discovery: super::discovery::present(dir),
        cohorts: with_cohorts,
    };
    header(&mut out, m, &s, date, sections);

    match &tables {
        Tables::Experiment {
            robustness,
            satisficing,
            failures,
        } => {
            policy_comparison(
                &mut out,
                m,
                &s,
                robustness,
                satisficing.as_ref(),
                failures.as_ref(),
            )?;
            super::cost_benefit::section(&mut out, dir)?;
            super::discovery::metrics(&mut out, dir)?;
            super::discovery::section(&mut out, dir)?;
        }
        Tables::Scenario { headline } => headline_table(&mut out, headline)?,
    }
    fan_charts(&mut out, m, &s, weeks);
    regions(&mut out, m, &s, weeks);
    super::pathways::sections(&mut out, dir, m, weeks)?;
    cohorts::section(&mut out, dir, &s.scenarios, &s.policies)?;

    let files = match m.kind {
        Kind::Experiment => {
            let mut f = vec!["manifest.json", "summary.csv", "robustness.csv"];
            if let Tables::Experiment {
                satisficing,
                failures,
                ..
            } = &tables
            {
                if satisficing.is_some() {
                    f.push("satisficing.csv");
                }
                if failures.is_some() {
                    f.push("failures.csv");
                }
            }
            if data::table(dir, "cost_benefit").exists() {
                f.push("cost_benefit.csv");
            }
            if data::table(dir, "robustness_metrics").exists() {
                f.push("robustness_metrics.csv");
            }
            if super::discovery::present(dir) {
                f.push("discovery/");
            }
            f
        }
        Kind::Scenario => vec!["manifest.json", "summary.csv", "headline.csv"],
    };
    let mut files = files;
    files.extend(super::pathways::files(dir));
    if with_cohorts {
        files.push("cohort_summary.csv");
    }
    let _ = writeln!(
        out,
        "<footer>Made by foresight {} from {} in this folder. Table numbers are shown to three significant digits; each cell keeps its exact value in <code>data-value</code> (the CSV's field as written, where it comes from one).</footer>\n</main>\n</body>\n</html>",
        escape(crate::VERSION),
        files
            .iter()
            .filter(|f| *f != &"summary.csv" || m.summary_written)
            .map(|f| format!("<code>{}</code>", data::shown(dir, f)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(out)
}

enum Tables {
    Experiment {
        robustness: Table,
        satisficing: Option<Table>,
        failures: Option<Table>,
    },
    Scenario {
        headline: Table,
    },
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The colour of policy `policy` of `policies` (see [`svg::policy_colours`]).
fn colour(policies: &[String], policy: usize) -> &'static str {
    svg::policy_colours(policies)
        .get(policy)
        .copied()
        .unwrap_or(PALETTE[0])
}

/// Where the provenance block sends a reader who asks where a default comes from.
const SOURCES: &str =
    "every default's source: <code>docs/sources.md</code> in the foresight repository";

/// The optional sections a report has, for its navigation.
#[derive(Clone, Copy)]
struct Sections {
    discovery: bool,
    cohorts: bool,
}

fn header(out: &mut String, m: &Manifest, s: &Summary, date: &str, sections: Sections) {
    let experiment = m.kind == Kind::Experiment;
    let _ = writeln!(
        out,
        "<header>\n<p class=\"kicker\">foresight report · {}</p>\n<h1>{}</h1>",
        if experiment {
            "experiment"
        } else {
            "scenario run"
        },
        escape(&m.name)
    );
    if !m.description.is_empty() {
        let _ = writeln!(out, "<p class=\"desc\">{}</p>", escape(&m.description));
    }
    out.push_str("<dl class=\"meta\">\n");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(out, "<dt>{k}</dt><dd>{v}</dd>");
    };
    row("Date", format!("{date} (UTC, when this report was made)"));
    row("foresight version", escape(&m.version));
    row("Seed", escape(&m.seed));
    row("Sources", SOURCES.into());
    let reps = m.replications.unwrap_or(0);
    if experiment {
        let ns = s.scenarios.len() as u64;
        let np = s.policies.len() as u64;
        let samples = m.samples.unwrap_or(1);
        let cells = m.cells.unwrap_or(ns * np * samples * reps);
        row(
            "Replications",
            format!("{} per scenario, policy and sample", reps),
        );
        row(
            "Design",
            format!(
                "{} × {} × {} × {} = {} runs ({} per policy)",
                plural(ns, "scenario", "scenarios"),
                plural(np, "policy", "policies"),
                plural(samples, "sample", "samples"),
                plural(reps, "replication", "replications"),
                cells,
                plural(ns * samples * reps, "future", "futures"),
            ),
        );
        if !m.uncertainties.is_empty() {
            row(
                "Uncertainties",
                m.uncertainties
                    .iter()
                    .map(|u| format!("<code>{}</code>", escape(u)))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        if !m.thresholds.is_empty() {
            row(
                "Thresholds",
                m.thresholds
                    .iter()
                    .map(|t| format!("<code>{}</code>", escape(&t.text)))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
        }
    } else {
        row("Replications", reps.to_string());
    }
    if !m.feedback_loops.is_empty() {
        let loops = |on: &[String]| {
            if on.is_empty() {
                "none".to_string()
            } else {
                on.iter()
                    .map(|l| format!("<code>{}</code>", escape(l)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let text = if m.feedback_loops.len() == 1 {
            loops(&m.feedback_loops[0].1)
        } else {
            m.feedback_loops
                .iter()
                .map(|(name, on)| format!("{}: {}", escape(name), loops(on)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        row("Feedback loops on", text);
    }
    if let Some(h) = m.horizon_weeks {
        row(
            "Horizon",
            format!("{h} weeks ({} years)", sig3(h as f64 / 52.0)),
        );
    }
    if !m.file.is_empty() {
        row("File", format!("<code>{}</code>", escape(&m.file)));
    }
    row(
        "File SHA-256",
        format!("<code>{}</code>", escape(&m.sha256)),
    );
    if let Some(w) = m.wall_seconds {
        row("Run time", format!("{} s", sig3(w)));
    }
    out.push_str("</dl>\n");
    let spread = if experiment {
        "the spread across replications and sampled futures (the uncertain inputs drawn within their ranges)"
    } else {
        "the spread across replications, which is chance only (who arrives when, who is recognised, who finds work); uncertainty about the parameters is not in it"
    };
    let compare = if experiment {
        "Compare policies within a scenario: they share their random numbers, so a difference there is the policy's effect in that future."
    } else {
        "Compare runs of this scenario with variants of it rather than reading the levels as predictions."
    };
    let worst = if experiment {
        "futures"
    } else {
        "replications"
    };
    let _ = writeln!(
        out,
        "<p class=\"guide\"><strong>How to read this report.</strong> This is a stress test across possible futures, not a forecast: the levels rest on assumptions, and most of the horizon lies beyond what anyone can predict. In the charts the line is the median and the bands show {spread}: the darker band holds the middle 50%, the lighter one 90%. {compare} Judge a strategy on its bad cases (the edge of the band, the 5th or 95th percentile, the worst {worst}), not on the median alone.</p>"
    );
    out.push_str("<nav>");
    if experiment {
        out.push_str("<a href=\"#policies\">Policy comparison</a>");
        if sections.discovery {
            out.push_str("<a href=\"#discovery\">Scenario discovery</a>");
        }
    } else {
        out.push_str("<a href=\"#headlines\">Headline indicators</a>");
    }
    out.push_str("<a href=\"#over-time\">Indicators over time</a><a href=\"#regions\">Regions</a>");
    if sections.cohorts {
        out.push_str("<a href=\"#cohorts\">Arrival cohorts</a>");
    }
    out.push_str("</nav>\n</header>\n");
}

/// Whether a value breaks a threshold.
fn breaks(t: &Threshold, v: f64) -> bool {
    match (t.value, t.op.as_str()) {
        (Some(x), "<") => v >= x,
        (Some(x), "≤") => v > x,
        (Some(x), ">") => v <= x,
        (Some(x), "≥") => v < x,
        _ => false,
    }
}

fn td(raw: &str, class: &str) -> String {
    let v = raw.trim().parse::<f64>().unwrap_or(f64::NAN);
    format!(
        "<td{} data-value=\"{}\">{}</td>",
        if class.is_empty() {
            String::new()
        } else {
            format!(" class=\"{class}\"")
        },
        escape(raw),
        escape(&sig3(v))
    )
}

fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{}%", sig3(v * 100.0))
    } else {
        "—".into()
    }
}

/// The robustness table and each policy's worst futures.
fn policy_comparison(
    out: &mut String,
    m: &Manifest,
    s: &Summary,
    rob: &Table,
    sat: Option<&Table>,
    fail: Option<&Table>,
) -> Result<(), ReportError> {
    let (rp, ri, rb) = (
        rob.col("policy")?,
        rob.col("indicator")?,
        rob.col("better")?,
    );
    let rcols = [
        rob.col("mean")?,
        rob.col("p5")?,
        rob.col("p95")?,
        rob.col("regret_mean")?,
    ];
    let mut rob_rows: HashMap<(&str, &str), usize> = HashMap::new();
    let mut policies: Vec<String> = Vec::new();
    for (i, r) in rob.rows.iter().enumerate() {
        let (p, ind) = (r[rp].as_str(), r[ri].as_str());
        rob_rows.insert((p, ind), i);
        if !policies.iter().any(|x| x == p) {
            policies.push(p.to_string());
        }
    }
    // Satisficing shares by (policy, scenario), raw.
    let mut sat_raw: HashMap<(String, String), String> = HashMap::new();
    let mut sat_scenarios: Vec<String> = Vec::new();
    if let Some(t) = sat {
        let (sp, ss, sv) = (
            t.col("policy")?,
            t.col("scenario")?,
            t.col("satisficing_share")?,
        );
        for (i, r) in t.rows.iter().enumerate() {
            t.num(i, sv)?; // a format check
            if r[ss] != "all" && !sat_scenarios.contains(&r[ss]) {
                sat_scenarios.push(r[ss].clone());
            }
            if !policies.contains(&r[sp]) {
                policies.push(r[sp].clone());
            }
            sat_raw.insert((r[sp].clone(), r[ss].clone()), r[sv].clone());
        }
    }
    // Scenarios in the manifest's order.
    sat_scenarios.sort_by_key(|x| {
        s.scenarios
            .iter()
            .position(|y| y == x)
            .unwrap_or(usize::MAX)
    });
    let overall = |p: &str| -> f64 {
        sat_raw
            .get(&(p.to_string(), "all".to_string()))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    policies.sort_by(|a, b| {
        let (x, y) = (overall(a), overall(b));
        match (x.is_nan(), y.is_nan()) {
            (false, false) => y.total_cmp(&x),
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            (true, true) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.cmp(b))
    });

    // The indicators: each threshold's, then the balance.
    let mut indicators: Vec<(String, Option<&Threshold>)> = Vec::new();
    for t in &m.thresholds {
        if !indicators.iter().any(|(i, _)| *i == t.indicator) {
            indicators.push((t.indicator.clone(), Some(t)));
        }
    }
    if !indicators.iter().any(|(i, _)| i == BALANCE) {
        indicators.push((BALANCE.into(), None));
    }

    out.push_str("<section id=\"policies\">\n<h2>Policy comparison</h2>\n");
    let futures = s.scenarios.len() as u64 * m.samples.unwrap_or(1) * m.replications.unwrap_or(1);
    let futures = plural(futures, "future", "futures");
    let regret = "the mean <strong>regret</strong>: how far the policy falls behind the best policy in the same future (0 = best in every future)";
    if sat.is_some() {
        let _ = writeln!(
            out,
            "<p class=\"note\">Policies are sorted by their <strong>satisficing share</strong>: the share of the {futures} (scenario × sample × replication) in which every threshold holds, overall and per scenario. For each indicator, the mean and the 5th and 95th percentiles across all futures, and {regret}. Red: the value breaks the threshold. Counts are persons; the balance is in the scenario's currency.</p>"
        );
    } else {
        let _ = writeln!(
            out,
            "<p class=\"note\">This experiment sets no thresholds, so there is no satisficing share; policies are in alphabetical order. For each indicator, the mean and the 5th and 95th percentiles across the {futures} (scenario × sample × replication), and {regret}.</p>"
        );
    }
    out.push_str("<div class=\"scroll\"><table id=\"robustness\">\n<thead><tr><th class=\"l\" rowspan=\"2\">Policy</th>");
    let nsat = 1 + sat_scenarios.len();
    if sat.is_some() {
        let _ = write!(
            out,
            "<th class=\"g c\" colspan=\"{nsat}\">Satisficing share<small>all thresholds hold</small></th>"
        );
    }
    for (ind, t) in &indicators {
        let better = rob_rows
            .iter()
            .find(|((_, i), _)| i == ind)
            .map(|(_, &r)| rob.rows[r][rb].as_str())
            .unwrap_or("");
        let sub = match t {
            Some(t) => format!(
                "threshold {} {}",
                escape(&t.op),
                t.value.map_or(String::new(), |v| format!("{v}"))
            ),
            None if better.is_empty() => String::new(),
            None => format!("{better} is better"),
        };
        let (label, unit) = headline_label(ind);
        let (head, code) = if label.is_empty() {
            (code_wbr(ind), String::new())
        } else {
            (
                format!("{} <span class=\"u\">({unit})</span>", escape(label)),
                format!("<small>{}</small>", code_wbr(ind)),
            )
        };
        let _ = write!(
            out,
            "<th class=\"g c\" colspan=\"4\">{head}{code}<small>{sub}</small></th>"
        );
    }
    out.push_str("</tr>\n<tr>");
    if sat.is_some() {
        out.push_str("<th class=\"g\">all</th>");
        for sc in &sat_scenarios {
            let _ = write!(out, "<th>{}</th>", escape(sc));
        }
    }
    for _ in &indicators {
        out.push_str("<th class=\"g\">mean</th><th>p5</th><th>p95</th><th>regret</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for p in &policies {
        let pi = s.policies.iter().position(|x| x == p).unwrap_or(0);
        let _ = write!(
            out,
            "<tr><th class=\"l\" scope=\"row\"><span class=\"sw\" style=\"background:{}\"></span>{}</th>",
            colour(&s.policies, pi),
            escape(p)
        );
        if sat.is_some() {
            for (j, sc) in std::iter::once("all")
                .chain(sat_scenarios.iter().map(String::as_str))
                .enumerate()
            {
                let g = if j == 0 { " class=\"g\"" } else { "" };
                match sat_raw.get(&(p.clone(), sc.to_string())) {
                    Some(raw) => {
                        let _ = write!(
                            out,
                            "<td{g} data-value=\"{}\">{}</td>",
                            escape(raw),
                            pct(raw.parse().unwrap_or(f64::NAN))
                        );
                    }
                    None => {
                        let _ = write!(out, "<td{g}>—</td>");
                    }
                }
            }
        }
        for (ind, t) in &indicators {
            match rob_rows.get(&(p.as_str(), ind.as_str())) {
                Some(&r) => {
                    for (j, &col) in rcols.iter().enumerate() {
                        rob.num(r, col)?; // a format check
                        let raw = &rob.rows[r][col];
                        let v: f64 = raw.parse().unwrap_or(f64::NAN);
                        let mut class = String::new();
                        if j == 0 {
                            class.push('g');
                        }
                        if j < 3 && t.is_some_and(|t| v.is_finite() && breaks(t, v)) {
                            class.push_str(if class.is_empty() { "fail" } else { " fail" });
                        }
                        out.push_str(&td(raw, &class));
                    }
                }
                None => out.push_str("<td class=\"g\">—</td><td>—</td><td>—</td><td>—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");

    if let Some(f) = fail {
        worst_futures(out, f, &policies)?;
    }
    out.push_str("</section>\n");
    Ok(())
}

/// Per policy, the three (scenario, sample) pairs with the highest failure
/// share (the file's order among ties).
fn worst_futures(out: &mut String, f: &Table, policies: &[String]) -> Result<(), ReportError> {
    let (fp, fs, fsm, fr, fv) = (
        f.col("policy")?,
        f.col("scenario")?,
        f.col("sample")?,
        f.col("replications")?,
        f.col("failure_share")?,
    );
    // Ranking columns, not inputs (absent from older folders).
    let ranking: Vec<usize> = ["shortfall", "tied"]
        .iter()
        .filter_map(|c| f.col(c).ok())
        .collect();
    let extra: Vec<usize> = (0..f.headers.len())
        .filter(|&i| i > fv && ![fp, fs, fsm, fr].contains(&i) && !ranking.contains(&i))
        .collect();
    out.push_str("<h3>Where each policy fails most</h3>\n<p class=\"note\">For each policy, the three sampled futures (scenario and sample) in which the largest share of replications breaks some threshold (among equal shares, those that miss the thresholds by most), with the sample's uncertain inputs: the futures to plan against.</p>\n");
    out.push_str("<div class=\"scroll\"><table id=\"failures\">\n<thead><tr><th class=\"l\">Policy</th><th class=\"l g\">worst</th><th class=\"l g\">second</th><th class=\"l g\">third</th></tr></thead>\n<tbody>\n");
    for p in policies {
        let mut rows: Vec<(usize, f64)> = Vec::new();
        for (i, r) in f.rows.iter().enumerate() {
            if &r[fp] == p {
                rows.push((i, f.num(i, fv)?));
            }
        }
        rows.sort_by(|a, b| match (a.1.is_nan(), b.1.is_nan()) {
            (false, false) => b.1.total_cmp(&a.1),
            (x, y) => x.cmp(&y),
        });
        let _ = write!(out, "<tr><th class=\"l\" scope=\"row\">{}</th>", escape(p));
        for k in 0..3 {
            let Some(&(i, share)) = rows.get(k) else {
                out.push_str("<td class=\"l g\">—</td>");
                continue;
            };
            let r = &f.rows[i];
            let reps: u64 = r[fr].parse().unwrap_or(0);
            let inputs = extra
                .iter()
                .map(|&j| {
                    format!(
                        "{} {}",
                        escape(&f.headers[j]),
                        escape(&sig3(r[j].parse().unwrap_or(f64::NAN)))
                    )
                })
                .collect::<Vec<_>>()
                .join(" · ");
            let tied: u64 = f
                .col("tied")
                .ok()
                .and_then(|c| r[c].parse().ok())
                .unwrap_or(1);
            let _ = write!(
                out,
                "<td class=\"l g\" data-value=\"{}\"><strong>{}</strong>, sample {}: fails in <strong>{}</strong> of {}{}{}</td>",
                escape(&r[fv]),
                escape(&r[fs]),
                escape(&r[fsm]),
                pct(share),
                plural(reps, "replication", "replications"),
                if tied > 1 {
                    format!(
                        " (one of {tied} futures that fail as often; ranked by how far they miss)"
                    )
                } else {
                    String::new()
                },
                if inputs.is_empty() {
                    String::new()
                } else {
                    format!("<br><small>{inputs}</small>")
                }
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    Ok(())
}

/// A plain run: headline means ± sd across replications.
fn headline_table(out: &mut String, h: &Table) -> Result<(), ReportError> {
    let n = h.rows.len();
    let _ = writeln!(
        out,
        "<section id=\"headlines\">\n<h2>Headline indicators</h2>\n<p class=\"note\">One value per replication (<code>headline.csv</code>): the mean ± standard deviation across the {} with a value, and the lowest and highest. \"Peak\" is the highest national weekly value, \"final\" the last week's. This run has one scenario and one policy, so there is no policy comparison; run an experiment for that.</p>",
        plural(n as u64, "replication", "replications")
    );
    out.push_str("<div class=\"scroll\"><table id=\"headline\">\n<thead><tr><th class=\"l\">Indicator</th><th class=\"l\">better</th><th>mean</th><th>± sd</th><th>lowest</th><th>highest</th><th>n</th></tr></thead>\n<tbody>\n");
    for (j, name) in h.headers.iter().enumerate() {
        if name == "replication" || name == "seed" {
            continue;
        }
        let mut vals = Vec::with_capacity(n);
        for i in 0..n {
            let v = h.num(i, j)?;
            if v.is_finite() {
                vals.push(v);
            }
        }
        let k = vals.len() as f64;
        let mean = if vals.is_empty() {
            f64::NAN
        } else {
            vals.iter().sum::<f64>() / k
        };
        let sd = if vals.len() < 2 {
            f64::NAN
        } else {
            (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt()
        };
        let lo = vals.iter().copied().reduce(f64::min).unwrap_or(f64::NAN);
        let hi = vals.iter().copied().reduce(f64::max).unwrap_or(f64::NAN);
        let raw = |v: f64| {
            if v.is_finite() {
                format!("{v}")
            } else {
                String::new()
            }
        };
        let _ = write!(
            out,
            "<tr><th class=\"l\" scope=\"row\">{}</th><td class=\"l\">{}</td>",
            {
                let (label, unit) = headline_label(name);
                if label.is_empty() {
                    format!("<code>{}</code>", escape(name))
                } else {
                    format!(
                        "{} <span class=\"u\">({unit})</span> <code class=\"k\">{}</code>",
                        escape(label),
                        escape(name)
                    )
                }
            },
            headline::get(name).map_or("", |h| h.better.name())
        );
        for v in [mean, sd, lo, hi] {
            out.push_str(&td(&raw(v), ""));
        }
        let _ = writeln!(
            out,
            "<td data-value=\"{}\">{}</td></tr>",
            vals.len(),
            vals.len()
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
    Ok(())
}

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

/// A headline indicator's label and unit, empty for a name the table does
/// not know (a folder from another version).
fn headline_label(name: &str) -> (&'static str, &'static str) {
    headline::get(name).map_or(("", ""), |h| (h.label, h.unit.text()))
}

/// An indicator's code name with break opportunities after underscores.
fn code_wbr(name: &str) -> String {
    format!("<code>{}</code>", escape(name).replace('_', "_<wbr>"))
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

fn fan_charts(out: &mut String, m: &Manifest, s: &Summary, weeks: f64) {
    let experiment = m.kind == Kind::Experiment;
    let multi = s.scenarios.len() > 1;
    out.push_str("<section id=\"over-time\">\n<h2>Indicators over time</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">National values by week. Line: median (p50); darker band: middle 50% (p25–p75); lighter band: 90% (p5–p95), across {}. {}Thin lines mark the edges of the 90% band. Where the policies' bands coincide, the policy listed last is drawn on top. Dashed lines are thresholds, labelled with what they measure.</p>",
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
    let mut used_ids: Vec<String> = Vec::new();
    if !multi {
        out.push_str("<div class=\"grid\">\n");
    }
    for (k, &ind) in FAN_CHARTS.iter().enumerate() {
        let (title, unit) = chart_heading(ind);
        let title = title.as_str();
        let lines: Vec<ThresholdLine> = m
            .thresholds
            .iter()
            .filter_map(|t| {
                let (chart, short, _) = threshold_chart(&t.indicator)?;
                (chart == ind).then_some(())?;
                Some(ThresholdLine {
                    value: t.value?,
                    label: format!("threshold: {} {} ({short})", t.op, t.value?),
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
            let mut id = format!("fan-{}-{}", sanitize(scenario), sanitize(ind));
            if used_ids.contains(&id) {
                let mut n = 2;
                while used_ids.contains(&format!("{id}-{n}")) {
                    n += 1;
                }
                id = format!("{id}-{n}");
            }
            used_ids.push(id.clone());
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
                y: &axis,
                series,
                thresholds: &lines,
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
    Axis::nice(lo, hi)
}

fn regions(out: &mut String, m: &Manifest, s: &Summary, weeks: f64) {
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
            Some((w, v)) => format!("peak {} wk (week {w})", sig3(v)),
            None => "no data".to_string(),
        };
        if let Some(t) = reference {
            note = match first {
                Some(b) => format!(
                    "{} from week {}; {note}",
                    threshold_word(t),
                    b as f64 * bucket
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
        (v, format!("threshold {v}"))
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
    out.push_str(&svg::heat_map(&HeatMap {
        title: &title,
        unit: chart_heading(HEATMAP_INDICATOR).1,
        weeks,
        bucket,
        rows: rows.into_iter().map(|(_, _, _, r)| r).collect(),
        scale: &scale,
        mark,
    }));
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

#[cfg(test)]
mod tests {
    use super::*;

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
