//! The page: header, policy comparison or headline table, fan charts and
//! the regional heat map, assembled as one HTML string.

use std::fmt::Write as _;
use std::path::Path;

use super::TITLE;
use super::charts::fan_charts;
use super::data::{self, Kind, Manifest, Summary, Table, Threshold};
use super::policies::{headline_table, policy_comparison};
use super::regions::regions;
use super::svg::{self, PALETTE};
use super::{ReportError, cohorts, escape};
use crate::model::indicators::{self, headline};
use crate::output::numbers::{general, unit_text};

pub(crate) use super::charts::y_axis;

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
.heat-narrow{display:none}
@media (max-width:760px){.heat-wide{display:none}.heat-narrow{display:block}}
.heat-scale{max-width:320px}
.strip-axis{position:relative;height:16px;font-size:11px;color:#444;margin-top:4px}
.strip-axis span{position:absolute;top:0;white-space:nowrap}
.heat-list{list-style:none;padding:0;margin:4px 0}
.heat-list li{margin:0 0 9px;font-size:13.5px}
.heat-list .strip{display:block;width:100%;height:14px;margin-top:2px}
.hl-n{font-size:12px;color:#444}
footer{margin-top:40px;font-size:12.5px;color:#555;border-top:1px solid #ddd;padding-top:8px}
"#;

// Indicators the page treats apart, checked against the tables of
// indicators when compiled.
pub(super) const BALANCE: &str = headline::checked("cumulative_discounted_balance");
pub(super) const WAIT_WORST_REGION: &str = headline::checked("language_wait_worst_region_weeks");
pub(super) const WAIT_MEAN: &str = headline::checked("language_wait_mean_weeks");
pub(super) const SHARE_FINAL: &str = headline::checked("homeless_share_of_refugees_final");
pub(super) const SHARE_PEAK: &str = headline::checked("homeless_share_of_refugees_peak");
pub(super) const HOMELESS_REFUGEES: &str = indicators::checked("homeless_refugees");
pub(super) const ATTITUDE: &str = indicators::checked("attitude");

/// A threshold on the homeless share of refugees, which has no chart.
pub(super) fn is_homeless_share(t: &Threshold) -> bool {
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
            super::cost_benefit::section(
                &mut out,
                dir,
                &super::cost_benefit_charts::Run {
                    weeks,
                    start: m.start_date,
                    currency: &m.currency,
                    policies: &s.policies,
                },
            )?;
            super::discovery::metrics(&mut out, dir, &m.currency)?;
            super::discovery::section(&mut out, dir)?;
        }
        Tables::Scenario { headline } => headline_table(&mut out, headline, &m.currency)?,
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
        "<footer>Made by foresight {} from {} in this folder. Numbers are shown as the terminal shows them: shares in percent, money in millions of the scenario's currency (per person-year in units of it), counts with thousands separators, to about three significant digits; each cell keeps its exact value in <code>data-value</code> (the CSV's field as written, where it comes from one).</footer>\n</main>\n</body>\n</html>",
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

pub(super) fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The colour of policy `policy` of `policies` (see [`svg::policy_colours`]).
pub(super) fn colour(policies: &[String], policy: usize) -> &'static str {
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
            format!("{h} weeks ({} years)", general(h as f64 / 52.0)),
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
        row("Run time", format!("{} s", general(w)));
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

/// A headline indicator's label, empty for a name the table does not know
/// (a folder from another version).
pub(super) fn headline_label(name: &str) -> &'static str {
    headline::get(name).map_or("", |h| h.label)
}

/// An indicator's code name with break opportunities after underscores.
pub(super) fn code_wbr(name: &str) -> String {
    format!("<code>{}</code>", escape(name).replace('_', "_<wbr>"))
}

/// A threshold's bound as it reads, in its indicator's unit: `< 12 weeks`,
/// `≥ 50%`, `< 1%`.
pub(super) fn threshold_bound(t: &Threshold, currency: &str) -> String {
    let Some(v) = t.value else {
        return t.text.clone();
    };
    let Some(unit) = super::unit_of(&t.indicator) else {
        return format!("{} {}", t.op, general(v));
    };
    let shown = general(v * unit.display().0);
    match unit_text(unit, currency).as_str() {
        "%" => format!("{} {shown}%", t.op),
        text => format!("{} {shown} {text}", t.op),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_read_in_their_indicators_unit() {
        let bound = |text: &str| threshold_bound(&Threshold::parse(text), "SEK");
        assert_eq!(bound("employment_rate_3y_plus_final >= 0.5"), "≥ 50%");
        assert_eq!(bound("homeless_share_of_refugees_final < 0.01"), "< 1%");
        assert_eq!(bound("language_wait_worst_region_weeks < 12"), "< 12 weeks");
        assert_eq!(
            bound("cumulative_discounted_balance > -2000000000"),
            "> −2,000 million SEK"
        );
        assert_eq!(bound("not_an_indicator < 3"), "< 3");
    }
}
