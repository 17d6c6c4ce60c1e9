//! The report's cost-benefit section, from `cost_benefit.csv`: per scenario
//! and policy, the net present value against the reference policy (mean
//! and 90% range across futures, with its standard error under common
//! random numbers and for independent runs), the share of futures in which
//! it is positive, the break-even year, and the cost of what money does not
//! count (`<table id="cost-benefit">`); then the cumulative discounted net
//! against the reference year by year (`<table id="cost-benefit-years">`),
//! after the charts of both ([`super::cost_benefit_charts`]).

use std::fmt::Write as _;
use std::path::Path;

use super::cost_benefit_charts::Run;
use super::data::Table;
use super::{ReportError, escape};
use crate::model::indicators::Unit;
use crate::output::numbers::{Format, UNDEFINED, general, grouped, percent};

const FILE: &str = "cost_benefit.csv";

/// The cost-benefit section (nothing when the folder has no
/// `cost_benefit.csv`, as in a folder of an older version).
pub fn section(out: &mut String, dir: &Path, run: &Run) -> Result<(), ReportError> {
    let currency = run.currency;
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
    // Money totals in millions, fitted to the largest net present value or
    // cumulative net; money per person-year in units; counts as they are.
    let millions = Format::fitting(
        Unit::Currency,
        currency,
        &t.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                matches!(
                    r[cq].as_str(),
                    "npv_vs_reference" | "cumulative_net_vs_reference"
                )
            })
            .flat_map(|(i, _)| [mean, p5, p50, p95].map(|c| t.num(i, c).unwrap_or(f64::NAN)))
            .collect::<Vec<_>>(),
    );
    let cell_in = |row: Option<usize>, col: usize, show: &dyn Fn(f64) -> String| -> String {
        match row {
            Some(i) => {
                let raw = &t.rows[i][col];
                let v = t.num(i, col).unwrap_or(f64::NAN);
                format!(
                    "<td data-value=\"{}\">{}</td>",
                    escape(raw),
                    escape(&show(v))
                )
            }
            None => format!("<td>{UNDEFINED}</td>"),
        }
    };
    let money = |v: f64| millions.show(v);
    let per_year = |v: f64| grouped(v, 0);
    let cell = |row: Option<usize>, col: usize| cell_in(row, col, &money);
    let share_cell = |row: Option<usize>| -> String {
        match row {
            Some(i) => {
                let v = t.num(i, share).unwrap_or(f64::NAN);
                let text = percent(v);
                format!(
                    "<td data-value=\"{}\">{}</td>",
                    escape(&t.rows[i][share]),
                    text
                )
            }
            None => format!("<td>{UNDEFINED}</td>"),
        }
    };
    let _ = writeln!(
        out,
        "<section id=\"cost-benefit-section\">\n<h2>Costs and benefits</h2>\n<p class=\"note\">From <code>{shown}</code>. Each policy against <strong>{}</strong> in the same futures (common random numbers), money discounted to the first week. The net present value adds a terminal value for the years after the horizon (<code>accounts.terminal_years</code>). Standard errors: of the paired difference, and what independent runs would give. The break-even year is the first year from whose end the cumulative discounted difference stays at or above zero. Person-years of employment and homelessness are not converted into money.</p>",
        escape(reference)
    );
    let _ = write!(
        out,
        "<div class=\"scroll\"><table id=\"cost-benefit\">\n<thead><tr><th>scenario</th><th>policy</th><th>NPV against reference, mean <span class=\"u\">({m})</span></th><th>p5</th><th>p95</th><th>standard error</th><th>independent runs' standard error</th><th>futures with NPV &gt; 0</th><th>break-even year, median</th><th>futures that break even</th><th>employment years gained</th><th>cost per employment year <span class=\"u\">({c})</span></th><th>homeless person-years avoided</th><th>cost per homeless person-year avoided <span class=\"u\">({c})</span></th></tr></thead>\n<tbody>\n",
        m = escape(&millions.unit),
        c = escape(currency)
    );
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
            cell_in(be, p50, &general),
            share_cell(be),
            cell_in(
                find(s, p, "horizon", "employment_years_gained"),
                mean,
                &general
            ),
            cell_in(
                find(s, p, "horizon", "cost_per_employment_year_gained"),
                mean,
                &per_year
            ),
            cell_in(
                find(s, p, "horizon", "homeless_years_avoided"),
                mean,
                &general
            ),
            cell_in(
                find(s, p, "horizon", "cost_per_homeless_year_avoided"),
                mean,
                &per_year
            ),
        );
    }
    out.push_str("</tbody></table></div>\n");
    super::cost_benefit_charts::charts(out, &t, &pairs, run, reference)?;

    // The cumulative net against the reference, year by year (median).
    let mut years: Vec<String> = Vec::new();
    for r in &t.rows {
        if r[cy] != "horizon" && !years.contains(&r[cy]) {
            years.push(r[cy].clone());
        }
    }
    let _ = write!(
        out,
        "<h3>Cumulative discounted net against the reference, median across futures, by year <span class=\"u\">({})</span></h3>\n<div class=\"scroll\"><table id=\"cost-benefit-years\">\n<thead><tr><th>scenario</th><th>policy</th>",
        escape(&millions.unit)
    );
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
