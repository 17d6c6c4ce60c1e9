//! The files of a run folder. Every CSV is tidy (one observation per row)
//! and loads in one call in pandas, polars or R. Undefined values (a rate
//! with no one to count) are empty fields.
//!
//! A plain scenario run writes `weekly.csv` (every replication's series),
//! `headline.csv`, `summary.csv`, `cohort_summary.csv`, `cohorts.csv` (with
//! the series) and `manifest.json`. An experiment writes `summary.csv`,
//! `cohort_summary.csv`, `experiments.csv`, `outcomes.csv`,
//! `robustness.csv`, `satisficing.csv` and `failures.csv` (with
//! thresholds), `cost_benefit.csv`, `manifest.json`, and, with
//! `--keep-series`, `series.csv` and `cohorts.csv`. The cohort files are
//! written by [`super::cohorts`]. A run whose world has wildcards writes
//! `events.csv` and `event_counts.csv` ([`super::events`]); one whose
//! policies have adaptive rules, `actions.csv` ([`super::actions`]).
//! With `--format parquet` every table is a `.parquet` file instead
//! ([`super::format`]); `--summary` chooses the summary's rows.

use super::cohorts;
use super::folder::{OutputError, RunFolder};
use super::format::{Files, Format, SummaryScope};
use super::table::{Column, Kind, TableFile, columns, is_whole};
use crate::experiment::stats::STATS;
use crate::experiment::{CellId, Experiment, ExperimentResult, Robustness};
use crate::model::HEADLINES;

/// What the manifest records besides the results.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// SHA-256 of the file's bytes, hex.
    pub file_sha256: String,
    pub file: String,
    pub command_line: String,
    pub wall_seconds: f64,
    pub threads: usize,
    /// Whether every replication's series was written.
    pub series_written: bool,
    /// The world's scenario file, as the experiment names it, and its SHA-256.
    pub world_file: Option<String>,
    pub world_sha256: Option<String>,
    /// Whether the run finished an interrupted one.
    pub resumed: bool,
    /// The shard folders merged into this one (empty for a run on one machine).
    pub merged_shards: Vec<String>,
    /// The tables' format and the summary's scope.
    pub files: Files,
}

impl RunInfo {
    /// What the manifest records of `exp` read from `file` (bytes `bytes`).
    pub fn new(file: &std::path::Path, bytes: &[u8], exp: &Experiment) -> RunInfo {
        let world = exp.world_file.as_ref();
        RunInfo {
            file_sha256: sha256_hex(bytes),
            file: file.display().to_string(),
            command_line: std::env::args().collect::<Vec<_>>().join(" "),
            wall_seconds: 0.0,
            threads: rayon::current_num_threads(),
            series_written: false,
            world_file: world.map(|p| p.display().to_string()),
            world_sha256: world
                .and_then(|p| std::fs::read(p).ok())
                .map(|b| sha256_hex(&b)),
            resumed: false,
            merged_shards: Vec::new(),
            files: Files::default(),
        }
    }
}

/// Every table a run folder can hold, by stem (its manifest lists those it
/// does, as `STEM.csv` or `STEM.parquet`).
pub const TABLES: [&str; 16] = [
    "summary",
    cohorts::SUMMARY,
    cohorts::VALUES,
    "weekly",
    "series",
    "headline",
    "experiments",
    "outcomes",
    "robustness",
    "robustness_metrics",
    "cost_benefit",
    "satisficing",
    "failures",
    super::events::EVENTS,
    super::events::COUNTS,
    super::actions::TABLE,
];

/// Whether `name` is that of a file a run folder can hold: the manifest or
/// a table in either format.
pub fn is_file_name(name: &str) -> bool {
    name == "manifest.json"
        || Format::ALL.iter().any(|f| {
            name.strip_suffix(f.extension())
                .and_then(|n| n.strip_suffix('.'))
                .is_some_and(|stem| TABLES.contains(&stem))
        })
}

/// Write every results file of a run (the series are streamed separately).
pub fn write_results(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    robustness: &Robustness,
    info: &RunInfo,
) -> Result<(), OutputError> {
    let format = info.files.format_for(exp.plain);
    write_summary(
        folder,
        exp,
        result,
        info.files.summary_for(exp.plain),
        format,
    )?;
    cohorts::write_summary(folder, exp, result, format)?;
    if info.series_written {
        cohorts::write_values(folder, exp, result, format)?;
    }
    if exp.plain {
        write_headline(folder, result, format)?;
    } else {
        write_experiments(folder, exp, result, format)?;
        write_outcomes(folder, exp, result, format)?;
        write_robustness(folder, exp, robustness, format)?;
        write_robustness_metrics(folder, exp, result, format)?;
        write_cost_benefit(folder, exp, result, format)?;
        if !exp.thresholds.is_empty() {
            write_satisficing(folder, exp, robustness, format)?;
            write_failures(folder, exp, robustness, format)?;
        }
    }
    if super::events::has_wildcards(exp) {
        super::events::write_events(folder, exp, format)?;
    }
    if super::actions::has_rules(exp) {
        super::actions::write_actions(folder, exp, result, format)?;
    }
    // The manifest last: its presence marks a complete folder.
    write_manifest(folder, exp, result, info)
}

/// `summary.csv`: per (scenario, policy, week, region, indicator) the count,
/// mean, standard deviation and 5th, 50th, 95th percentiles across samples
/// and replications; the national rows only (`region = all`) unless the
/// scope is `regions`, none at all for `none`.
fn write_summary(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    scope: SummaryScope,
    format: Format,
) -> Result<(), OutputError> {
    if scope == SummaryScope::None {
        return Ok(());
    }
    let mut cols = columns(["scenario", "policy"], Kind::Text);
    cols.push(Column::new("week", Kind::Int));
    cols.extend(columns(["region", "indicator"], Kind::Text));
    cols.extend(columns(STATS, Kind::Value));
    let mut f = TableFile::create(folder, "summary", format, cols)?;
    let mut regions: Vec<&str> = exp.region_names.iter().map(String::as_str).collect();
    regions.push("all");
    let national = regions.len() - 1;
    for pair in &result.summaries {
        let scenario = &exp.scenarios[pair.scenario];
        let policy = &exp.policies[pair.policy];
        for week in 0..pair.weeks {
            for (slot, region) in regions.iter().enumerate() {
                if slot != national && !scope.regions() {
                    continue;
                }
                for (k, name) in result.indicator_names.iter().enumerate() {
                    f.field(scenario)?;
                    f.field(policy)?;
                    f.int(week as u64)?;
                    f.field(region)?;
                    f.field(name)?;
                    for v in pair.get(week, slot, k) {
                        f.value(*v)?;
                    }
                    f.end()?;
                }
            }
        }
    }
    f.finish().map(drop)
}

/// The headline indicators' columns.
fn headline_columns() -> Vec<Column> {
    columns(HEADLINES.iter().map(|h| h.name), Kind::Value)
}

/// `headline.csv` (plain runs): one row per replication.
fn write_headline(
    folder: &RunFolder,
    result: &ExperimentResult,
    format: Format,
) -> Result<(), OutputError> {
    let mut cols = vec![
        Column::new("replication", Kind::Int),
        Column::new("seed", Kind::Unsigned),
    ];
    cols.extend(headline_columns());
    let mut f = TableFile::create(folder, "headline", format, cols)?;
    for o in &result.outcomes {
        f.int(o.cell.replication as u64)?;
        f.int(o.seed)?;
        for v in &o.headline {
            f.value(*v)?;
        }
        f.end()?;
    }
    f.finish().map(drop)
}

/// The columns naming a cell: scenario, policy, sample and replication.
fn cell_columns() -> Vec<Column> {
    let mut cols = columns(["scenario", "policy"], Kind::Text);
    cols.extend(columns(["sample", "replication"], Kind::Int));
    cols
}

/// A cell's scenario, policy, sample and replication.
fn cell_fields(f: &mut TableFile, exp: &Experiment, c: &CellId) -> Result<(), OutputError> {
    f.field(&exp.scenarios[c.scenario])?;
    f.field(&exp.policies[c.policy])?;
    f.int(c.sample as u64)?;
    f.int(c.replication as u64)
}

/// `cost_benefit.csv`: per scenario, policy and year, then over the
/// horizon, each quantity across the futures, against the reference policy
/// (`analysis::cost_benefit`).
fn write_cost_benefit(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    format: Format,
) -> Result<(), OutputError> {
    use crate::analysis::cost_benefit as cb;
    // `year` is a year or `horizon` (the whole run): text in Parquet.
    let cols: Vec<Column> = cb::HEADER
        .iter()
        .map(|&name| {
            let kind = match name {
                "scenario" | "policy" | "reference" | "year" | "quantity" => Kind::Text,
                "futures" => Kind::Int,
                _ => Kind::Value,
            };
            Column::new(name, kind)
        })
        .collect();
    let mut f = TableFile::create(folder, "cost_benefit", format, cols)?;
    for row in cb::rows(exp, &result.outcomes) {
        f.field(&exp.scenarios[row.scenario])?;
        f.field(&exp.policies[row.policy])?;
        f.field(&exp.policies[exp.reference_policy])?;
        match row.year {
            Some(y) => f.field(&y.to_string())?,
            None => f.field("horizon")?,
        }
        f.field(&row.quantity)?;
        let s = row.stats;
        f.int(s.futures as u64)?;
        for v in [
            s.mean,
            s.p5,
            s.p50,
            s.p95,
            s.se,
            s.se_independent,
            s.share_positive,
        ] {
            f.value(v)?;
        }
        f.end()?;
    }
    f.finish().map(drop)
}

/// `experiments.csv`: one row per cell with its seed and sampled values (the
/// EMA Workbench's experiments table).
fn write_experiments(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    format: Format,
) -> Result<(), OutputError> {
    let mut cols = cell_columns();
    cols.push(Column::new("seed", Kind::Unsigned));
    // An input whose every sampled value is whole is an integer column in
    // Parquet too, as pandas reads it from the CSV: the EMA Workbench's PRIM
    // then peels it as an integer, as `discover` does.
    cols.extend(exp.uncertainties.iter().enumerate().map(|(j, u)| {
        let whole = exp.samples.iter().all(|s| is_whole(s[j]));
        Column::new(u.label(), if whole { Kind::Whole } else { Kind::Value })
    }));
    let mut f = TableFile::create(folder, "experiments", format, cols)?;
    for o in &result.outcomes {
        cell_fields(&mut f, exp, &o.cell)?;
        f.int(o.seed)?;
        for v in &exp.samples[o.cell.sample] {
            f.value(*v)?;
        }
        f.end()?;
    }
    f.finish().map(drop)
}

/// `outcomes.csv`: one row per cell with every headline indicator (the EMA
/// Workbench's outcomes).
fn write_outcomes(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    format: Format,
) -> Result<(), OutputError> {
    let mut cols = cell_columns();
    cols.extend(headline_columns());
    let mut f = TableFile::create(folder, "outcomes", format, cols)?;
    for o in &result.outcomes {
        cell_fields(&mut f, exp, &o.cell)?;
        for v in &o.headline {
            f.value(*v)?;
        }
        f.end()?;
    }
    f.finish().map(drop)
}

/// `robustness.csv`: per policy and headline indicator, the mean and 5th/95th
/// percentiles across all futures, and regret against the best policy in
/// the same future.
fn write_robustness(
    folder: &RunFolder,
    exp: &Experiment,
    r: &Robustness,
    format: Format,
) -> Result<(), OutputError> {
    let mut cols = columns(["policy", "indicator", "better"], Kind::Text);
    cols.extend(columns(
        [
            "mean",
            "p5",
            "p95",
            "regret_mean",
            "regret_p95",
            "regret_max",
        ],
        Kind::Value,
    ));
    let mut f = TableFile::create(folder, "robustness", format, cols)?;
    for j in &r.indicators {
        let h = &HEADLINES[j.indicator];
        f.field(&exp.policies[j.policy])?;
        f.field(h.name)?;
        f.field(h.better.name())?;
        for v in [
            j.mean,
            j.p5,
            j.p95,
            j.regret_mean,
            j.regret_p95,
            j.regret_max,
        ] {
            f.value(v)?;
        }
        f.end()?;
    }
    f.finish().map(drop)
}

/// `robustness_metrics.csv`: per policy, judged indicator and metric
/// (see [`crate::analysis::robustness_metrics`]), the value over every
/// future and its spread across replications.
fn write_robustness_metrics(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    format: Format,
) -> Result<(), OutputError> {
    let mut cols = columns(
        ["policy", "indicator", "better", "metric", "parameter"],
        Kind::Text,
    );
    cols.extend(columns(
        [
            "value",
            "replication_sd",
            "replication_min",
            "replication_max",
        ],
        Kind::Value,
    ));
    let mut f = TableFile::create(folder, "robustness_metrics", format, cols)?;
    for m in crate::analysis::robustness_metrics::metrics(exp, &result.outcomes) {
        f.field(&exp.policies[m.policy])?;
        f.field(&m.indicator)?;
        f.field(m.better.name())?;
        f.field(m.metric)?;
        f.field(&m.parameter)?;
        for v in [
            m.value,
            m.replication_sd,
            m.replication_min,
            m.replication_max,
        ] {
            f.value(v)?;
        }
        f.end()?;
    }
    f.finish().map(drop)
}

/// `satisficing.csv`: per policy, overall (`scenario = all`) and per
/// scenario, the share of futures in which every threshold holds.
fn write_satisficing(
    folder: &RunFolder,
    exp: &Experiment,
    r: &Robustness,
    format: Format,
) -> Result<(), OutputError> {
    let cols = vec![
        Column::new("policy", Kind::Text),
        Column::new("scenario", Kind::Text),
        Column::new("cells", Kind::Int),
        Column::new("satisficing_share", Kind::Value),
    ];
    let mut f = TableFile::create(folder, "satisficing", format, cols)?;
    for s in &r.satisficing {
        f.field(&exp.policies[s.policy])?;
        f.field(s.scenario.map_or("all", |i| exp.scenarios[i].as_str()))?;
        f.int(s.cells as u64)?;
        f.value(s.share)?;
        f.end()?;
    }
    f.finish().map(drop)
}

/// `failures.csv`: per policy, each (scenario, sample) with the share of its
/// replications failing some threshold, how far they miss (`shortfall`) and
/// how many futures share that failure share (`tied`), worst first, and the
/// sample's values.
fn write_failures(
    folder: &RunFolder,
    exp: &Experiment,
    r: &Robustness,
    format: Format,
) -> Result<(), OutputError> {
    let mut cols = columns(["policy", "scenario"], Kind::Text);
    cols.extend(columns(["sample", "replications"], Kind::Int));
    cols.extend(columns(["failure_share", "shortfall"], Kind::Value));
    cols.push(Column::new("tied", Kind::Int));
    cols.extend(columns(
        exp.uncertainties.iter().map(|u| u.label()),
        Kind::Value,
    ));
    let mut f = TableFile::create(folder, "failures", format, cols)?;
    for x in &r.failures {
        f.field(&exp.policies[x.policy])?;
        f.field(&exp.scenarios[x.scenario])?;
        f.int(x.sample as u64)?;
        f.int(x.replications as u64)?;
        f.value(x.share)?;
        f.value(x.shortfall)?;
        f.int(x.tied as u64)?;
        for v in &exp.samples[x.sample] {
            f.value(*v)?;
        }
        f.end()?;
    }
    f.finish().map(drop)
}

fn write_manifest(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    info: &RunInfo,
) -> Result<(), OutputError> {
    let format = info.files.format_for(exp.plain);
    let scope = info.files.summary_for(exp.plain);
    let mut tables = Vec::new();
    if scope != SummaryScope::None {
        tables.push("summary");
    }
    tables.push(cohorts::SUMMARY);
    // The summaries first, then the manifest, as before the formats existed.
    let at = tables.len();
    if info.series_written {
        tables.push(if exp.plain { "weekly" } else { "series" });
        tables.push(cohorts::VALUES);
    }
    if exp.plain {
        tables.push("headline");
    } else {
        tables.extend([
            "experiments",
            "outcomes",
            "robustness",
            "robustness_metrics",
            "cost_benefit",
        ]);
        if !exp.thresholds.is_empty() {
            tables.extend(["satisficing", "failures"]);
        }
    }
    if super::events::has_wildcards(exp) {
        tables.extend([super::events::EVENTS, super::events::COUNTS]);
    }
    if super::actions::has_rules(exp) {
        tables.push(super::actions::TABLE);
    }
    let mut files: Vec<String> = tables.iter().map(|t| format.file(t)).collect();
    files.insert(at, "manifest.json".into());
    let mut manifest = serde_json::json!({
        "foresight_version": crate::VERSION,
        "kind": if exp.plain { "scenario" } else { "experiment" },
        "name": exp.name,
        // Kept under the issue-2 names for plain scenario runs.
        "scenario": if exp.plain { exp.name.clone() } else { String::new() },
        "description": exp.description,
        // For readers of the folder (compare) that show money.
        "currency": super::summary::currency(exp),
        "scenario_file": info.file,
        "scenario_sha256": info.file_sha256,
        "world_file": info.world_file,
        "world_sha256": info.world_sha256,
        "seed": exp.seed,
        "replications": exp.replications,
        "scenarios": exp.scenarios,
        "policies": exp.policies,
        "samples": exp.samples.len(),
        // The design as the file gives it: `discover` rebuilds Sobol blocks
        // and Morris trajectories from it.
        "sampling": {
            "design": exp.sampling.design.name(),
            "samples": exp.sampling.samples,
            "levels": exp.sampling.levels,
        },
        "uncertainties": exp.uncertainties.iter().map(|u| u.label()).collect::<Vec<_>>(),
        // Which feedback loops ran, by scenario (a world's loops are not
        // policy levers).
        "feedback_loops": exp
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let on = exp.config(i, 0, 0).feedback.loops_on();
                (name.clone(), serde_json::json!(on))
            })
            .collect::<serde_json::Map<_, _>>(),
        "thresholds": exp.thresholds.iter().map(|t| t.describe()).collect::<Vec<_>>(),
        "cells": exp.cells(),
        "horizon_weeks": exp.horizon_weeks,
        "command_line": info.command_line,
        "threads": info.threads,
        "wall_seconds": info.wall_seconds,
        "person_weeks": result.person_weeks,
        "resumed": info.resumed,
        "merged_shards": info.merged_shards,
        "format": format.name(),
        "summary": scope.name(),
        "files": files,
    });
    // The calendar, when the world gives one (reports read weeks as dates).
    if let Some(date) = exp.config(0, 0, 0).start_date {
        manifest["start_date"] = serde_json::json!(date.to_string());
    }
    folder.file("manifest.json")?.json(&manifest)
}

/// SHA-256 of bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
