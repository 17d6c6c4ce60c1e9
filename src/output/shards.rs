//! Shards: an experiment split across machines (a Slurm job array, a
//! Kubernetes Indexed Job), each shard an ordinary `foresight run --shard K/N`
//! writing the blocks of its share of the cells, and `foresight merge`
//! turning the shard folders into exactly what one machine would have
//! written.
//!
//! A shard folder holds `manifest.json` (kind `shard`: the run identity,
//! the shard and the blocks and cells it covers, seed, version), `blocks/`
//! (one file per block: summary state, seeds and headlines), `inputs/` (the
//! experiment file and its world file, so that the merge needs nothing else)
//! and, with `--keep-series`, the series of its cells.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::csv_file::CsvFile;
use super::files::sha256_hex;
use super::folder::{JOURNAL, OutputError, RunFolder, io};
use super::format::{Files, Format, SummaryScope};
use super::journal::{Journal, RunIdentity};
use super::storage;
use super::{RunInfo, SeriesWriter, write_results};
use crate::experiment::runner::{Plan, Summariser};
use crate::experiment::{Experiment, Overrides, judge, load_with};
use crate::run::{Progress, RunDone, RunError};

/// Shard `index` of `count` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Read `K/N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("expected K/N with 0 ≤ K < N (shard K of N, 0-based), found '{text}'");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The shard a scheduler assigned, from its environment: Slurm job
    /// arrays (`SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN` of
    /// `SLURM_ARRAY_TASK_COUNT`), or Kubernetes Indexed Jobs
    /// (`JOB_COMPLETION_INDEX` of `count`, given with `--shard-count` or
    /// `FORESIGHT_SHARD_COUNT`). `None` when neither is set.
    pub fn from_env(
        get: &dyn Fn(&str) -> Option<String>,
        count: Option<u64>,
    ) -> Result<Option<Shard>, String> {
        let num = |name: &str| -> Result<Option<u64>, String> {
            match get(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("{name} is '{v}', expected a whole number")),
            }
        };
        let count = match count {
            Some(c) => Some(c),
            None => num("FORESIGHT_SHARD_COUNT")?,
        };
        let shard = if let (Some(id), Some(n)) =
            (num("SLURM_ARRAY_TASK_ID")?, num("SLURM_ARRAY_TASK_COUNT")?)
        {
            let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let n = count.unwrap_or(n);
            let index = id.checked_sub(min).ok_or_else(|| {
                format!("SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}")
            })?;
            Some((index, n, "the Slurm array task"))
        } else if let Some(index) = num("JOB_COMPLETION_INDEX")? {
            let n = count.ok_or(
                "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): give the number \
                 of completions with --shard-count N or FORESIGHT_SHARD_COUNT",
            )?;
            Some((index, n, "JOB_COMPLETION_INDEX"))
        } else {
            None
        };
        match shard {
            None => Ok(None),
            Some((index, count, _)) if count > 0 && index < count => {
                Ok(Some(Shard { index, count }))
            }
            Some((index, count, source)) => Err(format!(
                "{source} gives shard {index} of {count}, which does not exist (0 ≤ K < N)"
            )),
        }
    }

    /// The blocks this shard runs.
    pub fn blocks(&self, plan: &Plan) -> Result<Range<u64>, RunError> {
        if self.count > plan.blocks() {
            return Err(RunError::Usage(format!(
                "--shard {}/{}: this experiment has {} cells in {} blocks (the smallest \
                 unit a shard can take), so it can be split into at most {} shards",
                self.index,
                self.count,
                plan.cells(),
                plan.blocks(),
                plan.blocks()
            )));
        }
        Ok(plan.shard_blocks(self.index, self.count))
    }

    /// The shard's folder inside the folder holding the shards.
    pub fn folder_name(&self) -> String {
        format!("shard-{}-of-{}", self.index, self.count)
    }
}

/// A shard folder's block files, and its copies of the input files.
pub const BLOCKS: &str = "blocks";
pub const INPUTS: &str = "inputs";

/// Complete a shard's staging folder: its journal becomes `blocks/`, the
/// input files are copied to `inputs/`, and the manifest is written last.
pub fn finish_shard(
    folder: &RunFolder,
    exp: &Experiment,
    plan: &Plan,
    shard: Shard,
    identity: &RunIdentity,
    info: &RunInfo,
    overrides: &Overrides,
) -> Result<(), OutputError> {
    let blocks = plan.shard_blocks(shard.index, shard.count);
    let journal = folder.path(JOURNAL);
    let kept = folder.path(BLOCKS);
    fs::rename(&journal, &kept).map_err(io(&kept))?;
    let inputs = folder.path(INPUTS);
    storage::create_dir_all(&inputs.join("world")).map_err(io(&inputs))?;
    let copy = |from: &Path, to: PathBuf| -> Result<String, OutputError> {
        let name = from
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "input.yaml".into());
        let to = to.join(&name);
        storage::copy(from, &to).map_err(io(&to))?;
        Ok(to
            .strip_prefix(folder.staging())
            .unwrap_or(&to)
            .display()
            .to_string())
    };
    let file_copy = copy(Path::new(&info.file), inputs.clone())?;
    let world_copy = match &exp.world_file {
        Some(w) => Some(copy(w, inputs.join("world"))?),
        None => None,
    };
    let cells = |b: u64| plan.block_cells(b).start;
    let cell_range = if blocks.is_empty() {
        [0, 0]
    } else {
        [cells(blocks.start), plan.block_cells(blocks.end - 1).end]
    };
    let mut files = vec!["manifest.json".to_string(), BLOCKS.into(), INPUTS.into()];
    if info.series_written {
        files.push(SeriesWriter::name(exp, info.files.format_for(exp.plain)));
    }
    let manifest = serde_json::json!({
        "foresight_version": crate::VERSION,
        "kind": "shard",
        "name": exp.name,
        "run_identity": identity.hex(),
        "shard": { "index": shard.index, "count": shard.count },
        "blocks": [blocks.start, blocks.end],
        "cells": cell_range,
        "total_blocks": plan.blocks(),
        "total_cells": plan.cells(),
        "seed": exp.seed,
        "replications": exp.replications,
        "replications_overridden": overrides.replications.is_some(),
        "scenario_file": info.file,
        "scenario_sha256": info.file_sha256,
        "world_file": info.world_file,
        "world_sha256": info.world_sha256,
        "inputs": { "file": file_copy, "world": world_copy },
        "series_written": info.series_written,
        "format": info.files.format_for(exp.plain).name(),
        "summary": info.files.summary_for(exp.plain).name(),
        "command_line": info.command_line,
        "threads": info.threads,
        "wall_seconds": info.wall_seconds,
        "resumed": info.resumed,
        "files": files,
    });
    folder.file("manifest.json")?.json(&manifest)
}

/// A shard folder as the merge sees it.
struct ShardFolder {
    dir: PathBuf,
    manifest: serde_json::Value,
    blocks: Range<u64>,
}

impl ShardFolder {
    fn read(dir: &Path) -> Result<ShardFolder, RunError> {
        let path = dir.join("manifest.json");
        let invalid = |message: String| {
            RunError::Output(OutputError::Invalid {
                path: dir.to_path_buf(),
                message,
            })
        };
        let text = fs::read_to_string(&path).map_err(|e| {
            invalid(format!(
                "not a shard folder: cannot read its manifest.json ({e}); \
                 a shard that has not finished has no manifest"
            ))
        })?;
        let manifest: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| invalid(format!("manifest.json is not valid JSON: {e}")))?;
        match manifest["kind"].as_str() {
            Some("shard") => {}
            Some(kind) => {
                return Err(invalid(format!(
                    "not a shard folder (its manifest is of a complete run, kind '{kind}')"
                )));
            }
            None => return Err(invalid("manifest.json has no kind".into())),
        }
        let range = &manifest["blocks"];
        let (Some(start), Some(end)) = (range[0].as_u64(), range[1].as_u64()) else {
            return Err(invalid("manifest.json has no block range".into()));
        };
        Ok(ShardFolder {
            dir: dir.to_path_buf(),
            manifest,
            blocks: start..end,
        })
    }

    fn field(&self, name: &str) -> String {
        match &self.manifest[name] {
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        }
    }

    fn describe(&self) -> String {
        format!(
            "{} (shard {} of {})",
            self.dir.display(),
            self.manifest["shard"]["index"],
            self.manifest["shard"]["count"]
        )
    }
}

/// The shard folders among `dirs`: each is a shard folder, or a folder
/// holding `shard-*` folders.
fn find_shards(dirs: &[PathBuf]) -> Result<Vec<ShardFolder>, RunError> {
    let mut found = Vec::new();
    for dir in dirs {
        if dir.join("manifest.json").exists() || !dir.is_dir() {
            found.push(ShardFolder::read(dir)?);
            continue;
        }
        let mut inner: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(io(dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_dir()
                    && p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("shard-"))
            })
            .collect();
        if inner.is_empty() {
            return Err(RunError::Output(OutputError::Invalid {
                path: dir.clone(),
                message: "not a shard folder: it has no manifest.json (a shard that has not \
                          finished has none) and holds no shard-* folders"
                    .into(),
            }));
        }
        inner.sort();
        for p in inner {
            found.push(ShardFolder::read(&p)?);
        }
    }
    Ok(found)
}

/// Merge shard folders into `out`: byte for byte the results files a run of
/// the whole experiment on one machine writes.
pub fn merge(
    out: &Path,
    dirs: &[PathBuf],
    force: bool,
    progress: &dyn Progress,
) -> Result<RunDone, RunError> {
    let start = Instant::now();
    let mut shards = find_shards(dirs)?;
    if shards.is_empty() {
        return Err(RunError::Usage("no shard folders given".into()));
    }
    shards.sort_by_key(|s| (s.blocks.start, s.blocks.end));
    // Same experiment, seed, replications and version throughout.
    let first = &shards[0];
    for s in &shards[1..] {
        for (field, what) in [
            (
                "foresight_version",
                "were written by different versions of foresight",
            ),
            ("scenario_sha256", "come from different experiment files"),
            ("world_sha256", "come from different world files"),
            ("seed", "were run with different seeds"),
            (
                "replications",
                "were run with different numbers of replications",
            ),
            ("run_identity", "come from different runs"),
            ("format", "were written in different formats (--format)"),
            ("summary", "chose different summaries (--summary)"),
        ] {
            if s.manifest[field] != first.manifest[field] {
                return Err(RunError::Usage(format!(
                    "the shards {what}: {} has {field} {}, but {} has {}",
                    first.describe(),
                    first.field(field),
                    s.describe(),
                    s.field(field)
                )));
            }
        }
    }
    if first.field("foresight_version") != crate::VERSION {
        return Err(RunError::Usage(format!(
            "the shards were written by foresight {}, this is {}; merge them with that version",
            first.field("foresight_version"),
            crate::VERSION
        )));
    }
    // The experiment, from the first shard's copy of its inputs.
    let input = |key: &str| -> Option<PathBuf> {
        first.manifest["inputs"][key]
            .as_str()
            .map(|p| first.dir.join(p))
    };
    let file = input("file")
        .ok_or_else(|| RunError::Usage(format!("{} names no input file", first.describe())))?;
    let overrides = Overrides {
        replications: first.manifest["replications"].as_u64().map(|r| r as u32),
        seed: first.manifest["seed"].as_u64(),
        world_file: input("world"),
    };
    let exp = load_with(&file, &overrides).map_err(RunError::Input)?;
    let plan = Plan::new(&exp);
    let bytes = fs::read(&file).map_err(io(&file))?;
    let world_sha = match &overrides.world_file {
        Some(w) => Some(sha256_hex(&fs::read(w).map_err(io(w))?)),
        None => None,
    };
    let identity = RunIdentity::new(&exp, &plan, &sha256_hex(&bytes), world_sha.as_deref());
    if identity.hex() != first.field("run_identity") {
        return Err(RunError::Usage(format!(
            "{}: its inputs do not match its manifest (were they edited?)",
            first.describe()
        )));
    }
    // Every block exactly once.
    let mut next = 0;
    let cells = |r: &Range<u64>| {
        if r.is_empty() {
            "no cells".to_string()
        } else {
            format!(
                "cells {}–{}",
                plan.block_cells(r.start).start,
                plan.block_cells(r.end - 1).end - 1
            )
        }
    };
    for (i, s) in shards.iter().enumerate() {
        if s.blocks.end > plan.blocks() || s.blocks.start > s.blocks.end {
            return Err(RunError::Usage(format!(
                "{} covers blocks {}–{}, but the experiment has {} blocks",
                s.describe(),
                s.blocks.start,
                s.blocks.end,
                plan.blocks()
            )));
        }
        if s.blocks.start < next {
            let other = &shards[..i]
                .iter()
                .rev()
                .find(|o| o.blocks.end > s.blocks.start)
                .expect("an earlier shard overlaps");
            return Err(RunError::Usage(format!(
                "duplicate shards: {} and {} both cover {}",
                other.describe(),
                s.describe(),
                cells(&(s.blocks.start..next.min(s.blocks.end)))
            )));
        }
        if s.blocks.start > next {
            return Err(RunError::Usage(format!(
                "missing shards: no folder given covers {} (blocks {}–{} of {}); \
                 run them, or add their folders",
                cells(&(next..s.blocks.start)),
                next,
                s.blocks.start - 1,
                plan.blocks()
            )));
        }
        next = s.blocks.end;
    }
    if next < plan.blocks() {
        return Err(RunError::Usage(format!(
            "missing shards: no folder given covers {} (blocks {}–{} of {}); \
             run them, or add their folders",
            cells(&(next..plan.blocks())),
            next,
            plan.blocks() - 1,
            plan.blocks()
        )));
    }
    let journals: Vec<Journal> = shards
        .iter()
        .map(|s| Journal::new(&s.dir.join(BLOCKS), &exp, &plan, identity.clone()))
        .collect();
    for (s, j) in shards.iter().zip(&journals) {
        for b in s.blocks.clone() {
            if !j.block_path(b).exists() {
                return Err(RunError::Output(OutputError::Invalid {
                    path: j.block_path(b),
                    message: format!("block {b} of {} is missing", s.describe()),
                }));
            }
        }
    }

    refuse_inputs_as_output(out, &shards)?;
    let folder = RunFolder::create(out, force)?;
    progress.start(plan.cells(), 0);
    let mut summariser = Summariser::new(&exp);
    for (s, j) in shards.iter().zip(&journals) {
        for b in s.blocks.clone() {
            let (block, _) = j.load(b)?;
            for _ in 0..block.outcomes.len() {
                progress.cell();
            }
            summariser.add(block);
        }
    }
    let result = summariser.finish();
    // The series, when every shard kept them: concatenated in cell order.
    let with_series = shards
        .iter()
        .all(|s| s.manifest["series_written"].as_bool() == Some(true));
    let files = Files {
        format: Some(Format::of_manifest(&first.manifest).map_err(RunError::Usage)?),
        summary: Some(SummaryScope::of_manifest(&first.manifest).map_err(RunError::Usage)?),
    };
    let name = SeriesWriter::name(&exp, files.format_for(exp.plain));
    if with_series && files.format_for(exp.plain) == Format::Parquet {
        let parts: Vec<PathBuf> = shards.iter().map(|s| s.dir.join(&name)).collect();
        super::parquet::concat(&parts, folder.file(&name)?)?;
    } else if with_series {
        let mut header = CsvFile::new(folder.file(&name)?);
        header.record(SeriesWriter::header(exp.plain))?;
        let mut w = header.into_file()?;
        for s in &shards {
            let path = s.dir.join(&name);
            let data = fs::read(&path).map_err(io(&path))?;
            let body = data
                .iter()
                .position(|&c| c == b'\n')
                .map_or(&data[..0], |i| &data[i + 1..]);
            w.put(body)?;
        }
        w.finish()?;
    }
    let robustness = judge(&exp, &result.outcomes);
    let mut info = RunInfo::new(&file, &bytes, &exp);
    info.file = first.field("scenario_file");
    info.world_file = first.manifest["world_file"].as_str().map(String::from);
    info.world_sha256 = world_sha;
    info.series_written = with_series;
    info.files = files;
    let format = files.format_for(exp.plain);
    info.wall_seconds = start.elapsed().as_secs_f64();
    info.merged_shards = shards.iter().map(|s| s.dir.display().to_string()).collect();
    write_results(&folder, &exp, &result, &robustness, &info)?;
    folder.commit()?;
    Ok(RunDone {
        person_weeks: result.person_weeks,
        exp,
        out: out.to_path_buf(),
        result: Some((result, robustness)),
        wall_seconds: info.wall_seconds,
        cells_run: 0,
        cells_resumed: plan.cells(),
        format,
    })
}

/// A merge may not replace the shard folders it reads (nor a folder
/// holding them).
fn refuse_inputs_as_output(out: &Path, shards: &[ShardFolder]) -> Result<(), RunError> {
    let Ok(out) = fs::canonicalize(out) else {
        return Ok(());
    };
    for s in shards {
        if fs::canonicalize(&s.dir).is_ok_and(|d| d.starts_with(&out)) {
            return Err(RunError::Usage(format!(
                "the output folder {} holds {}, which this merge reads; \
                 write the merged results to another folder",
                out.display(),
                s.describe()
            )));
        }
    }
    Ok(())
}
