//! The `foresight` command: a thin layer over the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use foresight::experiment::{self, Experiment, Overrides};
use foresight::output::{self, OutputError, RunFolder, RunInfo, SeriesWriter};

#[derive(Parser)]
#[command(
    name = "foresight",
    version,
    about = "Stress-test migration and integration policy across many simulated futures"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario or an experiment and write tidy CSV outputs.
    Run(RunArgs),
    /// Write report.html for an output folder: charts and the policy comparison.
    Report {
        /// An output folder of `foresight run`.
        dir: PathBuf,
    },
    /// Check scenario or experiment files and report every problem found (exit 2 if any).
    Validate {
        /// Scenario or experiment files (YAML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// Scenario or experiment file (YAML).
    file: PathBuf,
    /// Replications per (scenario, policy, sample) (default: the file's).
    #[arg(long, short = 'n')]
    replications: Option<u32>,
    /// Master seed (default: the file's).
    #[arg(long)]
    seed: Option<u64>,
    /// Output folder (default: outputs/<name>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    force: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Write every replication's weekly series (weekly.csv for a scenario,
    /// series.csv for an experiment). Scenario runs of up to 100 replications
    /// write them anyway.
    #[arg(long)]
    keep_series: bool,
    /// Also write report.html (see `foresight report`).
    #[arg(long)]
    report: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { files } => validate(&files),
        Command::Report { dir } => match foresight::report::write_report(&dir) {
            Ok(path) => {
                println!("report written to {}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Run(args) => match run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        },
    }
}

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for file in files {
        match experiment::load(file) {
            Ok(e) if e.plain => println!(
                "{}: valid ({} regions, {} weeks)",
                file.display(),
                e.region_names.len(),
                e.horizon_weeks
            ),
            Ok(e) => println!(
                "{}: valid experiment ({} × {} × {} × {} = {} cells)",
                file.display(),
                count(e.scenarios.len(), "scenario", "scenarios"),
                count(e.policies.len(), "policy", "policies"),
                count(e.samples.len(), "sample", "samples"),
                count(e.replications as usize, "replication", "replications"),
                e.cells()
            ),
            Err(d) => {
                ok = false;
                eprintln!("{d}");
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn run(args: RunArgs) -> Result<(), ExitCode> {
    let overrides = Overrides {
        replications: args.replications,
        seed: args.seed,
    };
    let exp = experiment::load_with(&args.file, &overrides).map_err(|d| {
        eprintln!("{d}");
        ExitCode::from(2)
    })?;
    if let Some(threads) = args.threads {
        if threads == 0 {
            eprintln!("error: --threads must be at least 1");
            return Err(ExitCode::from(2));
        }
        // Fails only if a pool was already built, which cannot happen here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(&exp.name));
    let folder = RunFolder::create(&out, args.force).map_err(|e| fail(&e))?;
    let keep_series = args.keep_series || (exp.plain && exp.replications <= SERIES_BY_DEFAULT);
    if exp.plain && !keep_series {
        eprintln!(
            "note: the weekly series of {} replications are not written (about {:.1} GB); \
             summary.csv has their statistics; pass --keep-series to write them",
            exp.replications,
            exp.cells() as f64 * series_bytes(&exp) / 1e9
        );
    }
    let mut series = if keep_series {
        Some(SeriesWriter::create(&folder, &exp).map_err(|e| fail(&e))?)
    } else {
        None
    };

    let bar = progress_bar(&exp);
    let start = Instant::now();
    let result =
        experiment::run_experiment(&exp, &|| bar.inc(1), &mut |cell, r| match &mut series {
            Some(w) => w.add(cell, r),
            None => Ok(()),
        })
        .map_err(|e| fail(&e))?;
    bar.finish_and_clear();
    let wall = start.elapsed().as_secs_f64();
    if let Some(w) = series {
        w.finish().map_err(|e| fail(&e))?;
    }

    let robustness = experiment::judge(&exp, &result.outcomes);
    let bytes = std::fs::read(&args.file).unwrap_or_default();
    let info = RunInfo {
        file_sha256: output::files::sha256_hex(&bytes),
        file: args.file.display().to_string(),
        command_line: std::env::args().collect::<Vec<_>>().join(" "),
        wall_seconds: wall,
        threads: rayon::current_num_threads(),
        series_written: keep_series,
    };
    output::write_results(&folder, &exp, &result, &robustness, &info).map_err(|e| fail(&e))?;
    folder.commit().map_err(|e| fail(&e))?;

    if exp.plain {
        print!("{}", output::terminal_summary(&exp, &result));
    } else {
        print!("{}", output::robustness_table(&exp, &robustness));
    }
    if args.report {
        match foresight::report::write_report(&out) {
            Ok(path) => println!("report written to {}", path.display()),
            Err(e) => {
                eprintln!("error: the results are complete, but the report failed: {e}");
                return Err(ExitCode::from(1));
            }
        }
    }
    println!(
        "{:.3e} person-weeks in {wall:.2} s ({:.3e} person-weeks/s on {} threads); results in {}",
        result.person_weeks,
        result.person_weeks / wall.max(1e-9),
        info.threads,
        out.display()
    );
    Ok(())
}

/// Scenario runs write every replication's series unless there are more
/// replications than this (they are then summarised only).
const SERIES_BY_DEFAULT: u32 = 100;

/// Rough size of one replication's series in CSV (bytes).
fn series_bytes(exp: &Experiment) -> f64 {
    let rows = exp.horizon_weeks as usize
        * (exp.region_names.len() + 1)
        * foresight::model::indicators::names(exp.horizon_weeks).len();
    rows as f64 * 32.0
}

/// A progress bar with cells done, rate and time left, drawn only on a terminal.
fn progress_bar(exp: &Experiment) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() || exp.cells() < 2 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(exp.cells());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} cells  {per_sec}  {elapsed_precise} elapsed, {eta} left",
    ) {
        bar.set_style(style);
    }
    bar
}

fn fail(e: &OutputError) -> ExitCode {
    eprintln!("error: {e}");
    match e {
        OutputError::Exists(_) => ExitCode::from(2),
        OutputError::Io { .. } => ExitCode::from(1),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
