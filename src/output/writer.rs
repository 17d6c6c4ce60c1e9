//! Writing a run folder: `weekly.csv`, `headline.csv`, `manifest.json`.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::model::{HEADLINES, indicators};
use crate::run::RunResult;
use crate::scenario::Scenario;

/// Why a run folder could not be written.
#[derive(Debug)]
pub enum OutputError {
    /// The folder exists and `--force` was not given.
    Exists(PathBuf),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Exists(p) => write!(
                f,
                "{} already exists; choose another folder with --out, or pass --force to replace it",
                p.display()
            ),
            OutputError::Io { path, error } => {
                write!(f, "cannot write {}: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for OutputError {}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |error| OutputError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// What the manifest records besides the results.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    pub scenario_file: String,
    pub command_line: String,
    pub wall_seconds: f64,
}

/// Format a value for CSV: shortest round-trip decimal; NaN (undefined,
/// e.g. a rate with no one to count) as an empty field.
pub fn fmt_value(out: &mut String, v: f64) {
    if v.is_nan() {
        return;
    }
    if v == v.trunc() && v.abs() < 1e15 {
        let _ = write!(out, "{}", v as i64);
    } else {
        let _ = write!(out, "{v}");
    }
}

/// Write a run to `dir`, atomically: nothing appears at `dir` until every
/// file is complete.
pub fn write_run(
    dir: &Path,
    force: bool,
    scenario: &Scenario,
    run: &RunResult,
    info: &RunInfo,
) -> Result<(), OutputError> {
    if dir.exists() && !force {
        return Err(OutputError::Exists(dir.to_path_buf()));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    fs::create_dir(&staging).map_err(io(&staging))?;
    let result = write_files(&staging, scenario, run, info).and_then(|()| {
        if dir.exists() {
            // --force: move the old folder aside first, so that a failure
            // between the two renames never loses both.
            let old = parent.join(format!(".{name}.replaced-{}", std::process::id()));
            fs::rename(dir, &old).map_err(io(dir))?;
            fs::rename(&staging, dir).map_err(io(dir))?;
            fs::remove_dir_all(&old).map_err(io(&old))
        } else {
            fs::rename(&staging, dir).map_err(io(dir))
        }
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_files(
    dir: &Path,
    scenario: &Scenario,
    run: &RunResult,
    info: &RunInfo,
) -> Result<(), OutputError> {
    write_weekly(&dir.join("weekly.csv"), scenario, run)?;
    write_headline(&dir.join("headline.csv"), run)?;
    // The manifest last: its presence marks a complete folder.
    write_manifest(&dir.join("manifest.json"), scenario, run, info)
}

fn create(path: &Path) -> Result<BufWriter<File>, OutputError> {
    Ok(BufWriter::with_capacity(
        1 << 20,
        File::create(path).map_err(io(path))?,
    ))
}

fn finish(path: &Path, mut w: BufWriter<File>) -> Result<(), OutputError> {
    w.flush().map_err(io(path))?;
    w.get_ref().sync_all().map_err(io(path))
}

/// Tidy long format: replication, week, region, indicator, value.
fn write_weekly(path: &Path, scenario: &Scenario, run: &RunResult) -> Result<(), OutputError> {
    let mut w = create(path)?;
    let names = indicators::names(scenario.horizon_weeks);
    let mut regions: Vec<String> = scenario
        .regions
        .iter()
        .map(|r| csv_field(&r.name))
        .collect();
    regions.push("all".into());
    let mut line = String::with_capacity(128);
    w.write_all(b"replication,week,region,indicator,value\n")
        .map_err(io(path))?;
    for (i, rep) in run.replications.iter().enumerate() {
        let s = &rep.series;
        for week in 0..s.weeks {
            for (slot, region) in regions.iter().enumerate() {
                for (k, name) in names.iter().enumerate() {
                    line.clear();
                    let _ = write!(line, "{i},{week},{region},{name},");
                    fmt_value(&mut line, s.get(week, slot, k));
                    line.push('\n');
                    w.write_all(line.as_bytes()).map_err(io(path))?;
                }
            }
        }
    }
    finish(path, w)
}

/// One row per replication: its seed and headline indicators.
fn write_headline(path: &Path, run: &RunResult) -> Result<(), OutputError> {
    let mut w = create(path)?;
    let mut line = String::from("replication,seed");
    for h in HEADLINES {
        line.push(',');
        line.push_str(h);
    }
    line.push('\n');
    w.write_all(line.as_bytes()).map_err(io(path))?;
    for (i, rep) in run.replications.iter().enumerate() {
        line.clear();
        let _ = write!(line, "{i},{}", rep.seed);
        for v in &rep.headline {
            line.push(',');
            fmt_value(&mut line, *v);
        }
        line.push('\n');
        w.write_all(line.as_bytes()).map_err(io(path))?;
    }
    finish(path, w)
}

fn write_manifest(
    path: &Path,
    scenario: &Scenario,
    run: &RunResult,
    info: &RunInfo,
) -> Result<(), OutputError> {
    let manifest = serde_json::json!({
        "foresight_version": crate::VERSION,
        "scenario": scenario.name,
        "scenario_file": info.scenario_file,
        "scenario_sha256": info.scenario_sha256,
        "seed": run.master_seed,
        "replications": run.replications.len(),
        "horizon_weeks": scenario.horizon_weeks,
        "scale": scenario.scale,
        "command_line": info.command_line,
        "wall_seconds": info.wall_seconds,
        "person_weeks": run.person_weeks(),
        "files": {
            "weekly.csv": "replication, week, region ('all' = national), indicator, value; empty value = undefined (no one to count)",
            "headline.csv": "one row per replication: seed and headline indicators",
        },
    });
    let mut w = create(path)?;
    serde_json::to_writer_pretty(&mut w, &manifest).map_err(|e| OutputError::Io {
        path: path.to_path_buf(),
        error: e.into(),
    })?;
    w.write_all(b"\n").map_err(io(path))?;
    finish(path, w)
}

/// Quote a field if it needs quoting in CSV.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
