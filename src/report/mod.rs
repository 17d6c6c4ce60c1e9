//! The HTML report of an output folder: one self-contained `report.html`
//! (inline SVG and CSS, no JavaScript, no external resources) for a plain
//! scenario run or an experiment.
//!
//! It shows a header with the run's provenance and a reading guide; for an
//! experiment the policy comparison (robustness table sorted by satisficing
//! share, and each policy's worst futures), for a plain run the headline
//! table; fan charts over time of the national indicators in
//! [`FAN_CHARTS`] (median with 50% and 90% bands, one colour per policy,
//! one chart per scenario and indicator, thresholds as dashed lines); a
//! heat map of the language-course wait by region and week; and employment
//! and language of each arrival cohort by years since arrival, one line per
//! cohort (`cohort_summary.csv`).
//!
//! Element ids a test can look for: each fan chart is
//! `<svg id="fan-<scenario>-<indicator>">` (characters outside
//! `[A-Za-z0-9_-]` in the scenario replaced by `-`), the heat map
//! `id="heatmap"`, each cohort chart
//! `id="cohort-<scenario>-<policy>-<indicator>"`, the robustness table `id="robustness"`, the worst
//! futures `id="failures"`, the headline table of a plain run
//! `id="headline"`; the discovery section's ids are in `discovery.rs`, the
//! cost-benefit section's in `cost_benefit.rs`.
//! Every table cell with a number from a CSV carries the
//! CSV's field verbatim in `data-value`.

mod charts;
mod cohorts;
mod cost_benefit;
mod cost_benefit_charts;
pub(crate) mod data;
mod discovery;
mod heat_map;
pub(crate) mod html;
mod pathways;
mod policies;
mod regions;
pub(crate) mod svg;
mod time_axis;

use std::path::{Path, PathBuf};

use crate::model::indicators::Unit;
use crate::output::numbers::{Format, unit_text};
use crate::scenario::types::civil_from_days;

/// The national weekly indicators drawn as fan charts, in report order.
/// A chart's title and unit are its indicator's label and unit
/// ([`chart_heading`]).
pub const FAN_CHARTS: &[&str] = &[
    "asylum_backlog",
    "reception_occupancy",
    "emergency_accommodation",
    "homeless_refugees",
    "homeless_after_move_on",
    "homeless_after_rejection",
    "searching_for_home",
    "appeals_pending",
    "language_waiting",
    "language_mean_wait_weeks",
    "employment_rate",
    "attitude",
    "mean_bridges",
    "volunteers",
    "cumulative_discounted_balance",
];

/// The title and unit of a chart of a weekly indicator: its label and
/// the unit its values read in (`%`, `million EUR`, `persons`) from the
/// table of indicators (the name itself for a name the table does not
/// know, as in a folder from another version).
pub fn chart_heading(indicator: &str, currency: &str) -> (String, String) {
    crate::model::indicators::find(indicator).map_or_else(
        || (indicator.to_string(), String::new()),
        |i| (i.label, unit_text(i.entry.unit, currency)),
    )
}

/// The unit of an indicator a report shows (weekly, headline or cohort),
/// if the tables of indicators know its name.
pub(crate) fn unit_of(name: &str) -> Option<Unit> {
    use crate::model::indicators::{cohort, find, headline};
    headline::get(name)
        .map(|h| h.unit)
        .or_else(|| find(name).map(|i| i.entry.unit))
        .or_else(|| cohort::find(name).map(|c| c.unit))
}

/// How values of indicator `name` shown beside each other read: in its
/// unit ([`output::numbers`](crate::output::numbers)), or as plain
/// numbers for a name the tables do not know.
pub(crate) fn format_of(name: &str, currency: &str, values: &[f64]) -> Format {
    match unit_of(name) {
        Some(unit) => Format::fitting(unit, currency, values),
        None => Format::plain(
            values
                .iter()
                .filter(|v| v.is_finite())
                .fold(0.0, |m: f64, v| m.max(v.abs())),
        ),
    }
}

/// Element ids of one page: a name seen before gets `-2`, `-3`, … so that
/// two scenarios whose names sanitise alike (`a b`, `a-b`) keep their own
/// charts and accessible names.
#[derive(Default)]
pub(crate) struct Ids(Vec<String>);

impl Ids {
    pub(crate) fn unique(&mut self, id: String) -> String {
        let mut out = id.clone();
        let mut n = 2;
        while self.0.contains(&out) {
            out = format!("{id}-{n}");
            n += 1;
        }
        self.0.push(out.clone());
        out
    }
}

/// The regional indicator of the heat map (its p50 by region and week).
pub(crate) const HEATMAP_INDICATOR: &str = "language_mean_wait_weeks";

/// Why a report could not be made.
#[derive(Debug)]
pub enum ReportError {
    /// A file the folder should hold is not there.
    Missing(PathBuf),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A file is there but cannot be read as expected.
    Format { path: PathBuf, message: String },
    /// A `report.html` foresight did not write is in the way; it is kept.
    NotOurs(PathBuf),
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportError::Missing(p) => write!(
                f,
                "{} is missing: is this the output folder of a complete `foresight run`?",
                p.display()
            ),
            ReportError::Io { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            ReportError::Format { path, message } => write!(f, "{}: {message}", path.display()),
            ReportError::NotOurs(p) => write!(
                f,
                "{} was not written by foresight, so it is left as it is: \
                 move it away to write the report",
                p.display()
            ),
        }
    }
}

impl std::error::Error for ReportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReportError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Render the report of an output folder (plain scenario run or experiment) as HTML.
pub fn render(dir: &Path) -> Result<String, ReportError> {
    let manifest = data::manifest(dir)?;
    html::render(dir, &manifest, &today_utc())
}

/// The report's file name in an output folder.
pub const REPORT: &str = "report.html";

/// How a report's title begins: what tells a report foresight wrote.
pub(crate) const TITLE: &str = "<title>foresight report: ";

/// Whether `path` is a report foresight wrote (a plain file whose head
/// holds the report's title).
pub fn is_report(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(1024);
    let read = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
        && std::fs::File::open(path)
            .and_then(|f| f.take(1024).read_to_end(&mut head))
            .is_ok();
    read && head.starts_with(b"<!DOCTYPE html>")
        && head.windows(TITLE.len()).any(|w| w == TITLE.as_bytes())
}

/// The name the report is written under before it is renamed into place.
fn temporary(pid: u32) -> String {
    format!(".{REPORT}.{pid}.tmp")
}

/// Whether a file name is that of a report being written (left behind if
/// `foresight report` was killed).
pub fn is_temporary(name: &str) -> bool {
    name.strip_prefix(&format!(".{REPORT}."))
        .and_then(|n| n.strip_suffix(".tmp"))
        .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Render and write `dir/report.html` (write to a temporary file in `dir`,
/// then rename). An existing `report.html` is replaced only if foresight
/// wrote it.
pub fn write_report(dir: &Path) -> Result<PathBuf, ReportError> {
    let path = dir.join(REPORT);
    if std::fs::symlink_metadata(&path).is_ok() && !is_report(&path) {
        return Err(ReportError::NotOurs(path));
    }
    let text = render(dir)?;
    let tmp = dir.join(temporary(std::process::id()));
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |error| ReportError::Io { path: p, error }
    };
    let written = crate::output::storage::DiskFile::create_new(&tmp).and_then(|mut f| {
        use std::io::Write;
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            let _ = std::fs::remove_file(&tmp);
        }
        return Err(io(&tmp)(e));
    }
    if let Err(e) = std::fs::rename(&tmp, &path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(&path)(e));
    }
    Ok(path)
}

/// Escape text for HTML (element content and quoted attributes).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An id fragment: characters outside `[A-Za-z0-9_-]` become `-`.
pub(crate) fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Today's date in UTC as YYYY-MM-DD.
fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_draws_a_weekly_indicator_of_the_table() {
        for name in FAN_CHARTS.iter().chain([&HEATMAP_INDICATOR]) {
            assert!(
                crate::model::indicators::find(name).is_some(),
                "{name} is not a weekly indicator"
            );
        }
        assert_eq!(
            chart_heading("language_waiting", "EUR"),
            (
                "Waiting for a language course".to_string(),
                "persons".to_string()
            )
        );
        assert_eq!(chart_heading("employment_rate", "EUR").1, "%");
        assert_eq!(
            chart_heading("cumulative_discounted_balance", "SEK").1,
            "million SEK"
        );
    }

    #[test]
    fn ids_and_escaping() {
        assert_eq!(sanitize("surge 2/b"), "surge-2-b");
        let mut ids = Ids::default();
        let names: Vec<String> = ["a b", "a-b", "a b"]
            .iter()
            .map(|n| ids.unique(format!("npv-{}", sanitize(n))))
            .collect();
        assert_eq!(names, ["npv-a-b", "npv-a-b-2", "npv-a-b-3"]);
        assert_eq!(escape(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    #[test]
    fn temporary_report_names_are_recognised() {
        assert!(is_temporary(&temporary(4242)));
        assert!(!is_temporary(".report.html.tmp"));
        assert!(!is_temporary("report.html"));
        assert!(!is_temporary(".report.html.12x.tmp"));
    }
}
