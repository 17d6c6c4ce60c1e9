//! The files of a run folder. Every CSV is tidy (one observation per row)
//! and loads in one call in pandas, polars or R. Undefined values (a rate
//! with no one to count) are empty fields.
//!
//! A plain scenario run writes `weekly.csv` (every replication's series),
//! `headline.csv`, `summary.csv`, `cohort_summary.csv`, `cohorts.csv` (with
//! the series) and `manifest.json`. An experiment writes `summary.csv`,
//! `cohort_summary.csv`, `experiments.csv`, `outcomes.csv`,
//! `robustness.csv`, `satisficing.csv` and `failures.csv` (with
//! thresholds), `manifest.json`, and, with `--keep-series`, `series.csv`
//! and `cohorts.csv`. The cohort files are written by [`super::cohorts`].

use super::cohorts;
use super::csv_file::CsvFile;
use super::folder::{OutFile, OutputError, RunFolder};
use crate::experiment::stats::STATS;
use crate::experiment::{CellId, Experiment, ExperimentResult, Robustness};
use crate::model::{HEADLINES, ReplicationResult};

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
        }
    }
}

/// Every file a run folder can hold (its manifest lists those it does).
pub const FILE_NAMES: [&str; 12] = [
    "summary.csv",
    cohorts::SUMMARY,
    cohorts::VALUES,
    "manifest.json",
    "weekly.csv",
    "series.csv",
    "headline.csv",
    "experiments.csv",
    "outcomes.csv",
    "robustness.csv",
    "satisficing.csv",
    "failures.csv",
];

/// Streams every replication's weekly series as it finishes (in cell order):
/// `weekly.csv` for a plain scenario (replication, week, region, indicator,
/// value), `series.csv` for an experiment (with scenario, policy, sample).
pub struct SeriesWriter {
    csv: CsvFile,
    plain: bool,
    scenarios: Vec<String>,
    policies: Vec<String>,
    regions: Vec<String>,
    names: Vec<String>,
}

impl SeriesWriter {
    pub fn create(folder: &RunFolder, exp: &Experiment) -> Result<SeriesWriter, OutputError> {
        let mut csv = CsvFile::new(folder.file(Self::name(exp))?);
        csv.record(Self::header(exp))?;
        Ok(Self::with(csv, exp))
    }

    /// The file's name in a run folder.
    pub fn name(exp: &Experiment) -> &'static str {
        if exp.plain {
            "weekly.csv"
        } else {
            "series.csv"
        }
    }

    /// The file's first record.
    pub fn header(exp: &Experiment) -> &'static [&'static str] {
        if exp.plain {
            &["replication", "week", "region", "indicator", "value"]
        } else {
            &[
                "scenario",
                "policy",
                "sample",
                "replication",
                "week",
                "region",
                "indicator",
                "value",
            ]
        }
    }

    /// Continue the series file of an interrupted run from byte `len`, the
    /// end of its last recorded block.
    pub fn resume(
        folder: &RunFolder,
        exp: &Experiment,
        len: u64,
    ) -> Result<SeriesWriter, OutputError> {
        let file = OutFile::append(folder.path(Self::name(exp)), len)?;
        Ok(Self::with(CsvFile::new(file), exp))
    }

    fn with(csv: CsvFile, exp: &Experiment) -> SeriesWriter {
        let mut regions = exp.region_names.clone();
        regions.push("all".into());
        SeriesWriter {
            csv,
            plain: exp.plain,
            scenarios: exp.scenarios.clone(),
            policies: exp.policies.clone(),
            regions,
            names: crate::model::indicators::names(exp.horizon_weeks),
        }
    }

    pub fn add(&mut self, cell: &CellId, r: &ReplicationResult) -> Result<(), OutputError> {
        let s = &r.series;
        let w = &mut self.csv;
        for week in 0..s.weeks {
            for (slot, region) in self.regions.iter().enumerate() {
                for (k, name) in self.names.iter().enumerate() {
                    if !self.plain {
                        w.field(&self.scenarios[cell.scenario])?;
                        w.field(&self.policies[cell.policy])?;
                        w.int(cell.sample as u64)?;
                    }
                    w.int(cell.replication as u64)?;
                    w.int(week as u64)?;
                    w.field(region)?;
                    w.field(name)?;
                    w.value(s.get(week, slot, k))?;
                    w.end()?;
                }
            }
        }
        Ok(())
    }

    /// Hand what was written to the operating system; returns the file's length.
    pub fn flush(&mut self) -> Result<u64, OutputError> {
        self.csv.flush()
    }

    pub fn finish(self) -> Result<(), OutputError> {
        self.csv.finish()
    }
}

/// Write every results file of a run (the series are streamed separately).
pub fn write_results(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    robustness: &Robustness,
    info: &RunInfo,
) -> Result<(), OutputError> {
    write_summary(folder, exp, result)?;
    cohorts::write_summary(folder, exp, result)?;
    if info.series_written {
        cohorts::write_values(folder, exp, result)?;
    }
    if exp.plain {
        write_headline(folder, result)?;
    } else {
        write_experiments(folder, exp, result)?;
        write_outcomes(folder, exp, result)?;
        write_robustness(folder, exp, robustness)?;
        write_robustness_metrics(folder, exp, result)?;
        if !exp.thresholds.is_empty() {
            write_satisficing(folder, exp, robustness)?;
            write_failures(folder, exp, robustness)?;
        }
    }
    // The manifest last: its presence marks a complete folder.
    write_manifest(folder, exp, result, info)
}

/// `summary.csv`: per (scenario, policy, week, region, indicator) the count,
/// mean, standard deviation and 5th, 50th, 95th percentiles across samples
/// and replications.
fn write_summary(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("summary.csv")?);
    let head = ["scenario", "policy", "week", "region", "indicator"];
    f.record(head.iter().chain(STATS.iter()))?;
    let mut regions: Vec<&str> = exp.region_names.iter().map(String::as_str).collect();
    regions.push("all");
    for pair in &result.summaries {
        let scenario = &exp.scenarios[pair.scenario];
        let policy = &exp.policies[pair.policy];
        for week in 0..pair.weeks {
            for (slot, region) in regions.iter().enumerate() {
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
    f.finish()
}

/// `headline.csv` (plain runs): one row per replication.
fn write_headline(folder: &RunFolder, result: &ExperimentResult) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("headline.csv")?);
    f.record(
        ["replication", "seed"]
            .into_iter()
            .chain(HEADLINES.iter().map(|h| h.name)),
    )?;
    for o in &result.outcomes {
        f.int(o.cell.replication as u64)?;
        f.int(o.seed)?;
        for v in &o.headline {
            f.value(*v)?;
        }
        f.end()?;
    }
    f.finish()
}

/// A cell's scenario, policy, sample and replication.
fn cell_fields(f: &mut CsvFile, exp: &Experiment, c: &CellId) -> Result<(), OutputError> {
    f.field(&exp.scenarios[c.scenario])?;
    f.field(&exp.policies[c.policy])?;
    f.int(c.sample as u64)?;
    f.int(c.replication as u64)
}

/// `experiments.csv`: one row per cell with its seed and sampled values (the
/// EMA Workbench's experiments table).
fn write_experiments(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("experiments.csv")?);
    let head = ["scenario", "policy", "sample", "replication", "seed"];
    f.record(
        head.into_iter()
            .chain(exp.uncertainties.iter().map(|u| u.label())),
    )?;
    for o in &result.outcomes {
        cell_fields(&mut f, exp, &o.cell)?;
        f.int(o.seed)?;
        for v in &exp.samples[o.cell.sample] {
            f.value(*v)?;
        }
        f.end()?;
    }
    f.finish()
}

/// `outcomes.csv`: one row per cell with every headline indicator (the EMA
/// Workbench's outcomes).
fn write_outcomes(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("outcomes.csv")?);
    let head = ["scenario", "policy", "sample", "replication"];
    f.record(head.into_iter().chain(HEADLINES.iter().map(|h| h.name)))?;
    for o in &result.outcomes {
        cell_fields(&mut f, exp, &o.cell)?;
        for v in &o.headline {
            f.value(*v)?;
        }
        f.end()?;
    }
    f.finish()
}

/// `robustness.csv`: per policy and headline indicator, the mean and 5th/95th
/// percentiles across all futures, and regret against the best policy in
/// the same future.
fn write_robustness(
    folder: &RunFolder,
    exp: &Experiment,
    r: &Robustness,
) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("robustness.csv")?);
    f.record([
        "policy",
        "indicator",
        "better",
        "mean",
        "p5",
        "p95",
        "regret_mean",
        "regret_p95",
        "regret_max",
    ])?;
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
    f.finish()
}

/// `robustness_metrics.csv`: per policy, judged indicator and metric
/// (see [`crate::analysis::robustness_metrics`]), the value over every
/// future and its spread across replications.
fn write_robustness_metrics(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("robustness_metrics.csv")?);
    f.record([
        "policy",
        "indicator",
        "better",
        "metric",
        "parameter",
        "value",
        "replication_sd",
        "replication_min",
        "replication_max",
    ])?;
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
    f.finish()
}

/// `satisficing.csv`: per policy, overall (`scenario = all`) and per
/// scenario, the share of futures in which every threshold holds.
fn write_satisficing(
    folder: &RunFolder,
    exp: &Experiment,
    r: &Robustness,
) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("satisficing.csv")?);
    f.record(["policy", "scenario", "cells", "satisficing_share"])?;
    for s in &r.satisficing {
        f.field(&exp.policies[s.policy])?;
        f.field(s.scenario.map_or("all", |i| exp.scenarios[i].as_str()))?;
        f.int(s.cells as u64)?;
        f.value(s.share)?;
        f.end()?;
    }
    f.finish()
}

/// `failures.csv`: per policy, each (scenario, sample) with the share of its
/// replications failing some threshold, how far they miss (`shortfall`) and
/// how many futures share that failure share (`tied`), worst first, and the
/// sample's values.
fn write_failures(folder: &RunFolder, exp: &Experiment, r: &Robustness) -> Result<(), OutputError> {
    let mut f = CsvFile::new(folder.file("failures.csv")?);
    let head = [
        "policy",
        "scenario",
        "sample",
        "replications",
        "failure_share",
        "shortfall",
        "tied",
    ];
    f.record(
        head.into_iter()
            .chain(exp.uncertainties.iter().map(|u| u.label())),
    )?;
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
    f.finish()
}

fn write_manifest(
    folder: &RunFolder,
    exp: &Experiment,
    result: &ExperimentResult,
    info: &RunInfo,
) -> Result<(), OutputError> {
    let mut files = vec!["summary.csv", cohorts::SUMMARY, "manifest.json"];
    if info.series_written {
        files.push(if exp.plain {
            "weekly.csv"
        } else {
            "series.csv"
        });
        files.push(cohorts::VALUES);
    }
    if exp.plain {
        files.push("headline.csv");
    } else {
        files.extend([
            "experiments.csv",
            "outcomes.csv",
            "robustness.csv",
            "robustness_metrics.csv",
        ]);
        if !exp.thresholds.is_empty() {
            files.extend(["satisficing.csv", "failures.csv"]);
        }
    }
    let manifest = serde_json::json!({
        "foresight_version": crate::VERSION,
        "kind": if exp.plain { "scenario" } else { "experiment" },
        "name": exp.name,
        // Kept under the issue-2 names for plain scenario runs.
        "scenario": if exp.plain { exp.name.clone() } else { String::new() },
        "description": exp.description,
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
        "files": files,
    });
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
