//! The report's cost-benefit section, from `cost_benefit.csv`: per scenario
//! and policy, the net present value against the reference policy (mean
//! and 90% range across futures, with its standard error under common
//! random numbers and for independent runs), the share of futures in which
//! it is positive, the break-even year, and the cost of what money does not
//! count (`<table id="cost-benefit">`); then the cumulative discounted net
//! against the reference year by year (`<table id="cost-benefit-years">`).

use std::fmt::Write as _;
use std::path::Path;

use super::data::Table;
use super::svg::sig3;
use super::{ReportError, escape};

const FILE: &str = "cost_benefit.csv";

/// The cost-benefit section (nothing when the folder has no
/// `cost_benefit.csv`, as in a folder of an older version).
pub fn section(out: &mut String, dir: &Path) -> Result<(), ReportError> {
    let path = super::data::table(dir, "cost_benefit");
    let shown = super::data::shown(dir, FILE);
    if !path.exists() {
        return Ok(());
    }
    let t = Table::read(&path)?;
    let (cs, cp, cr, cy, cq) = (
        t.col("scenario")?,
        t.col("policy")?,
        t.col("reference")?,
        t.col("year")?,
        t.col("quantity")?,
    );
    let (mean, p5, p50, p95, se, sei, share) = (
        t.col("mean")?,
        t.col("p5")?,
        t.col("p50")?,
        t.col("p95")?,
        t.col("se")?,
        t.col("se_independent")?,
        t.col("share_positive")?,
    );
    let reference = t.rows.first().map_or("", |r| r[cr].as_str());
    // (scenario, policy) in file order.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for r in &t.rows {
        let key = (r[cs].clone(), r[cp].clone());
        if !pairs.contains(&key) {
            pairs.push(key);
        }
    }
    let find = |s: &str, p: &str, year: &str, q: &str| {
        t.rows
            .iter()
            .position(|r| r[cs] == s && r[cp] == p && r[cy] == year && r[cq] == q)
    };
    let cell = |row: Option<usize>, col: usize| -> String {
        match row {
            Some(i) => {
                let raw = &t.rows[i][col];
                let v = t.num(i, col).unwrap_or(f64::NAN);
                format!(
                    "<td data-value=\"{}\">{}</td>",
                    escape(raw),
                    escape(&sig3(v))
                )
            }
            None => "<td>—</td>".into(),
        }
    };
    let share_cell = |row: Option<usize>| -> String {
        match row {
            Some(i) => {
                let v = t.num(i, share).unwrap_or(f64::NAN);
                let text = if v.is_finite() {
                    format!("{}%", sig3(v * 100.0))
                } else {
                    "—".into()
                };
                format!(
                    "<td data-value=\"{}\">{}</td>",
                    escape(&t.rows[i][share]),
                    text
                )
            }
            None => "<td>—</td>".into(),
        }
    };
    let _ = writeln!(
        out,
        "<section id=\"cost-benefit-section\">\n<h2>Costs and benefits</h2>\n<p class=\"note\">From <code>{shown}</code>. Each policy against <strong>{}</strong> in the same futures (common random numbers), money discounted to the first week. The net present value adds a terminal value for the years after the horizon (<code>accounts.terminal_years</code>). Standard errors: of the paired difference, and what independent runs would give. The break-even year is the first year from whose end the cumulative discounted difference stays at or above zero. Person-years of employment and homelessness are not converted into money.</p>",
        escape(reference)
    );
    out.push_str("<div class=\"scroll\"><table id=\"cost-benefit\">\n<thead><tr><th>scenario</th><th>policy</th><th>NPV against reference, mean</th><th>p5</th><th>p95</th><th>standard error</th><th>independent runs' standard error</th><th>futures with NPV &gt; 0</th><th>break-even year, median</th><th>futures that break even</th><th>employment years gained</th><th>cost per employment year</th><th>homeless person-years avoided</th><th>cost per homeless person-year avoided</th></tr></thead>\n<tbody>\n");
    for (s, p) in &pairs {
        let npv = find(s, p, "horizon", "npv_vs_reference");
        let be = find(s, p, "horizon", "break_even_year");
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td>{}{}{}{}{}{}{}{}{}{}{}{}</tr>",
            escape(s),
            escape(p),
            cell(npv, mean),
            cell(npv, p5),
            cell(npv, p95),
            cell(npv, se),
            cell(npv, sei),
            share_cell(npv),
            cell(be, p50),
            share_cell(be),
            cell(find(s, p, "horizon", "employment_years_gained"), mean),
            cell(
                find(s, p, "horizon", "cost_per_employment_year_gained"),
                mean
            ),
            cell(find(s, p, "horizon", "homeless_years_avoided"), mean),
            cell(
                find(s, p, "horizon", "cost_per_homeless_year_avoided"),
                mean
            ),
        );
    }
    out.push_str("</tbody></table></div>\n");

    // The cumulative net against the reference, year by year (median).
    let mut years: Vec<String> = Vec::new();
    for r in &t.rows {
        if r[cy] != "horizon" && !years.contains(&r[cy]) {
            years.push(r[cy].clone());
        }
    }
    out.push_str("<h3>Cumulative discounted net against the reference, median across futures, by year</h3>\n<div class=\"scroll\"><table id=\"cost-benefit-years\">\n<thead><tr><th>scenario</th><th>policy</th>");
    for y in &years {
        let _ = write!(out, "<th>{}</th>", escape(y));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (s, p) in &pairs {
        let _ = write!(out, "<tr><td>{}</td><td>{}</td>", escape(s), escape(p));
        for y in &years {
            out.push_str(&cell(find(s, p, y, "cumulative_net_vs_reference"), p50));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n</section>\n");
    Ok(())
}
