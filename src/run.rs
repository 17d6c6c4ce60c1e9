//! Running scenarios and experiments into output folders, as `foresight run`
//! does: the whole experiment or one shard of it, recording each completed
//! block in a journal so that an interrupted run (Ctrl-C, a kill, a full
//! disk) is finished by `--resume` with the same bytes as an uninterrupted
//! run. For a plain scenario's replications in memory see [`run_scenario`].

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::experiment::runner::{Hooks, Plan, Stopped, Summariser, run_blocks};
use crate::experiment::{
    Experiment, ExperimentResult, Overrides, Robustness, judge, load_with, run_experiment,
};
use crate::output::folder::{JOURNAL, RUN_FILE, io};
use crate::output::format::{Files, Format};
use crate::output::journal::{Journal, RunIdentity};
use crate::output::shards::{self, Shard};
use crate::output::{OutputError, RunFolder, RunInfo, SeriesWriter, write_results};
use crate::scenario::{Diagnostics, Scenario};

/// Run `replications` replications of a scenario with master seed `seed`;
/// `progress` is told of each finished replication (from any thread).
pub fn run_scenario(
    scenario: &Scenario,
    seed: u64,
    replications: u32,
    progress: &(dyn Fn() + Sync),
) -> ExperimentResult {
    let mut s = scenario.clone();
    s.seed = seed;
    s.replications = replications;
    let exp = Experiment::from_scenario(s);
    match run_experiment::<std::convert::Infallible>(&exp, progress, &mut |_, _| Ok(())) {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

/// Scenario runs write every replication's series unless there are more
/// replications than this (they are then summarised only).
pub const SERIES_BY_DEFAULT: u32 = 100;

/// What to run and where.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    pub file: PathBuf,
    pub overrides: Overrides,
    /// The output folder (for a shard: the folder holding the shards).
    pub out: Option<PathBuf>,
    pub force: bool,
    pub resume: bool,
    /// Write every replication's series (scenario runs of up to
    /// [`SERIES_BY_DEFAULT`] replications do anyway).
    pub keep_series: bool,
    pub shard: Option<Shard>,
    /// The tables' format and the summary's scope.
    pub files: Files,
}

/// Told how far a run has come.
pub trait Progress: Sync {
    /// `total` cells to run in this process, `done` of them already recorded.
    fn start(&self, total: u64, done: u64);
    fn cell(&self);
    /// A message for the user (not an error).
    fn note(&self, message: &str);
}

/// Why a run did not finish. Displayed (and debug-printed, so that `?` in
/// `main` reads like the command line) as the command line prints it.
pub enum RunError {
    /// The input files are not valid.
    Input(Diagnostics),
    /// The options do not fit the experiment.
    Usage(String),
    Output(OutputError),
    /// Stopped by the user; the completed blocks are kept in `staging`.
    Interrupted {
        staging: PathBuf,
        recorded_cells: u64,
        total_cells: u64,
    },
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Input(d) => write!(f, "{d}"),
            RunError::Usage(m) => write!(f, "{m}"),
            RunError::Output(e) => write!(f, "{e}"),
            RunError::Interrupted {
                staging,
                recorded_cells,
                total_cells,
            } => write!(
                f,
                "interrupted: {recorded_cells} of {total_cells} cells are complete and kept in {}; \
                 no results were written",
                staging.display()
            ),
        }
    }
}

impl std::fmt::Debug for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Input(d) => write!(f, "{d:?}"),
            e => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RunError {}

impl From<OutputError> for RunError {
    fn from(e: OutputError) -> RunError {
        RunError::Output(e)
    }
}

/// What a finished run produced.
pub struct RunDone {
    pub exp: Experiment,
    pub out: PathBuf,
    /// The summaries (not for a shard, whose folder holds blocks to merge).
    pub result: Option<(ExperimentResult, Robustness)>,
    pub person_weeks: f64,
    pub wall_seconds: f64,
    /// Cells run now, and cells taken from an interrupted run's journal.
    pub cells_run: u64,
    pub cells_resumed: u64,
    /// The format its tables were written in.
    pub format: Format,
}

/// Run an experiment (or one shard of it) into its output folder. `stop`
/// is raised to interrupt (Ctrl-C): cells already started finish, completed
/// blocks stay recorded for `--resume`, and [`RunError::Interrupted`] says where.
pub fn run_to_folder(
    req: &RunRequest,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<RunDone, RunError> {
    let exp = load_with(&req.file, &req.overrides).map_err(RunError::Input)?;
    let bytes = std::fs::read(&req.file).map_err(io(&req.file))?;
    let mut info = RunInfo::new(&req.file, &bytes, &exp);
    info.files = req.files;
    let plan = Plan::new(&exp);
    let blocks = match req.shard {
        Some(shard) => shard.blocks(&plan)?,
        None => 0..plan.blocks(),
    };
    let out = match (&req.shard, &req.out) {
        (Some(shard), parent) => parent
            .clone()
            .unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}.shards", exp.name)))
            .join(shard.folder_name()),
        (None, Some(out)) => out.clone(),
        (None, None) => PathBuf::from("outputs").join(&exp.name),
    };
    let identity = RunIdentity::new(&exp, &plan, &info.file_sha256, info.world_sha256.as_deref());
    let keep_series = req.keep_series || (exp.plain && exp.replications <= SERIES_BY_DEFAULT);
    info.series_written = keep_series;

    let (folder, resumed) = RunFolder::resumable(&out, req.force, req.resume)?;
    if req.resume && !resumed {
        progress.note(&format!(
            "nothing to resume for {}: starting from the beginning",
            out.display()
        ));
    }
    let journal = Journal::new(&folder.path(JOURNAL), &exp, &plan, identity.clone());
    let run_file = folder.path(RUN_FILE);
    let run_text = serde_json::json!({
        "run_identity": identity.hex(),
        "blocks": [blocks.start, blocks.end],
        "series_written": keep_series,
        "format": req.files.format_for(exp.plain).name(),
        "summary": req.files.summary_for(exp.plain).name(),
    })
    .to_string();
    let mut done = BTreeSet::new();
    let mut series_len = None;
    if resumed {
        let earlier = std::fs::read_to_string(&run_file).unwrap_or_default();
        if earlier.trim() != run_text {
            return Err(RunError::Output(OutputError::Invalid {
                path: folder.staging().to_path_buf(),
                message: "the interrupted run there was of a different experiment, seed, \
                          number of replications, shard, --keep-series, --format, --summary \
                          or foresight version; \
                          run with the same file and options, or pass --force to discard it"
                    .into(),
            }));
        }
        let scan = journal.scan()?;
        for d in &scan.discarded {
            progress.note(&format!("discarded {d}; its cells run again"));
        }
        for (&b, recorded) in &scan.blocks {
            // With series kept, only the blocks before the first missing one
            // count: the series file is cut back to where they end.
            if keep_series && b != blocks.start + done.len() as u64 {
                break;
            }
            done.insert(b);
            series_len = recorded.series_len;
        }
    } else {
        crate::output::storage::write(&run_file, run_text.as_bytes()).map_err(io(&run_file))?;
    }

    let series = match (keep_series, series_len) {
        (false, _) => None,
        (true, Some(len)) if !done.is_empty() => {
            let resume = Some((done.len() as u64, len));
            let w = SeriesWriter::create(
                &folder,
                &exp,
                req.files.format_for(exp.plain),
                blocks.clone(),
                resume,
            )?;
            Some(w)
        }
        (true, _) => {
            let w = SeriesWriter::create(
                &folder,
                &exp,
                req.files.format_for(exp.plain),
                blocks.clone(),
                None,
            )?;
            Some(w)
        }
    };
    if exp.plain && !keep_series {
        progress.note(&format!(
            "the weekly series of {} replications are not written (about {:.1} GB); \
             summary.csv has their statistics; pass --keep-series to write them",
            exp.replications,
            exp.cells() as f64 * series_bytes(&exp) / 1e9
        ));
    }

    let cells_in = |bs: &mut dyn Iterator<Item = u64>| -> u64 {
        bs.map(|b| {
            let c = plan.block_cells(b);
            c.end - c.start
        })
        .sum()
    };
    let total = cells_in(&mut blocks.clone());
    let resumed_cells = cells_in(&mut done.iter().copied());
    let mut recorded_cells = resumed_cells;
    progress.start(total, resumed_cells);

    // Both the cell and the block hooks write to the series file.
    let series = std::cell::RefCell::new(series);
    let start = Instant::now();
    let mut summariser = req.shard.is_none().then(|| Summariser::new(&exp));
    let mut person_weeks = 0.0;
    let progress_cell = || progress.cell();
    let outcome = run_blocks(
        &exp,
        &plan,
        blocks.clone(),
        Hooks {
            progress: &progress_cell,
            stop: Some(stop),
            done: &|b| done.contains(&b),
            load_done: summariser.is_some(),
            keep_cohorts: keep_series,
            load: &mut |b| journal.load(b).map(|(block, _)| block),
            cell: &mut |cell, r| match &mut *series.borrow_mut() {
                Some(w) => w.add(cell, r),
                None => Ok(()),
            },
            block: &mut |block, fresh| {
                if fresh {
                    let len = match &mut *series.borrow_mut() {
                        Some(w) => Some(w.flush()?),
                        None => None,
                    };
                    journal.record(&block, len)?;
                    recorded_cells += block.outcomes.len() as u64;
                }
                person_weeks += block.person_weeks;
                if let Some(s) = &mut summariser {
                    s.add(block);
                }
                Ok(())
            },
        },
    );
    match outcome {
        Ok(_) => {}
        Err(Stopped::Failed(e)) => return Err(RunError::Output(e)),
        Err(Stopped::Interrupted) => {
            if let Some(w) = &mut *series.borrow_mut() {
                w.flush()?;
            }
            return Err(RunError::Interrupted {
                staging: folder.staging().to_path_buf(),
                recorded_cells,
                total_cells: total,
            });
        }
    }
    let wall = start.elapsed().as_secs_f64();
    if let Some(w) = series.into_inner() {
        w.finish(&folder)?;
    }
    info.wall_seconds = wall;
    info.resumed = resumed;

    let result = match (req.shard, summariser) {
        (Some(shard), _) => {
            shards::finish_shard(
                &folder,
                &exp,
                &plan,
                shard,
                &identity,
                &info,
                &req.overrides,
            )?;
            None
        }
        (None, Some(s)) => {
            let result = s.finish();
            let robustness = judge(&exp, &result.outcomes);
            write_results(&folder, &exp, &result, &robustness, &info)?;
            Some((result, robustness))
        }
        (None, None) => unreachable!("a run on one machine summarises"),
    };
    std::fs::remove_file(&run_file).map_err(io(&run_file))?;
    folder.commit()?;
    let format = req.files.format_for(exp.plain);
    Ok(RunDone {
        exp,
        out,
        result,
        person_weeks,
        wall_seconds: wall,
        cells_run: total - resumed_cells,
        cells_resumed: resumed_cells,
        format,
    })
}

/// Rough size of one replication's series in CSV (bytes).
pub fn series_bytes(exp: &Experiment) -> f64 {
    crate::experiment::runner::points(exp) as f64 * 32.0
}
