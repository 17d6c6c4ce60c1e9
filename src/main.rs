//! The `foresight` command: a thin layer over the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand};
use foresight::experiment::{self, Overrides};
use foresight::output::shards::Shard;
use foresight::output::{self, OutputError};
use foresight::run::{Progress, RunDone, RunError, RunRequest};

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
    /// Merge the shard folders of `run --shard` into one output folder,
    /// byte for byte what a run on one machine writes.
    Merge(MergeArgs),
    /// Scenario discovery on an experiment's output folder: PRIM boxes of the
    /// futures where each policy fails, feature scores, and Sobol or Morris
    /// indices; written to DIR/discovery/.
    Discover(DiscoverArgs),
    /// Check scenario or experiment files and report every problem found (exit 2 if any).
    Validate {
        /// Scenario or experiment files (YAML).
        #[arg(required_unless_present = "explain")]
        files: Vec<PathBuf>,
        /// Print a field's type, unit, default, valid range and meaning, and
        /// the sources its default rests on (e.g. `--explain
        /// policy.move_on.period_weeks`); may be given several times.
        #[arg(long, value_name = "FIELD")]
        explain: Vec<String>,
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
    /// Finish an interrupted run (Ctrl-C, a kill, a full disk): run only the
    /// cells it did not complete. Give the same file and options.
    #[arg(long)]
    resume: bool,
    /// Run only shard K of N (0-based) and write it to OUT/shard-K-of-N
    /// (OUT defaults to outputs/<name>.shards); merge the shards with
    /// `foresight merge`. Taken from SLURM_ARRAY_TASK_ID and
    /// SLURM_ARRAY_TASK_COUNT when absent, or from JOB_COMPLETION_INDEX
    /// (Kubernetes) with --shard-count.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// The number of shards when the shard index comes from the environment
    /// (Kubernetes Indexed Jobs; also FORESIGHT_SHARD_COUNT).
    #[arg(long, value_name = "N")]
    shard_count: Option<u64>,
    /// Print the terminal table in full, however wide (default: 100 columns).
    #[arg(long)]
    wide: bool,
}

#[derive(clap::Args)]
struct DiscoverArgs {
    /// An experiment's output folder (of `foresight run` or `merge`).
    dir: PathBuf,
    /// Analyse only this policy (repeatable; default: every policy).
    #[arg(long = "policy", value_name = "P")]
    policies: Vec<String>,
    /// The futures to explain: a condition on a headline indicator, e.g.
    /// 'employment_rate_3y_plus_final<0.2' (repeatable; default: each
    /// threshold of the experiment missed, and any missed).
    #[arg(long = "fails", value_name = "CONDITION")]
    fails: Vec<String>,
    /// PRIM: the density a box must reach.
    #[arg(long, default_value_t = 0.8)]
    threshold: f64,
    /// PRIM: the share peeled at each step.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// PRIM: the share pasted back at each step.
    #[arg(long, default_value_t = 0.05)]
    paste_alpha: f64,
    /// PRIM: the smallest share of futures a box may hold.
    #[arg(long, default_value_t = 0.05)]
    mass_min: f64,
    /// PRIM: most boxes per policy and condition (covering).
    #[arg(long, default_value_t = 3)]
    boxes: usize,
    /// PRIM: choose the densest box whose coverage is at least this share,
    /// instead of the last box on the trajectory (the EMA Workbench's choice).
    #[arg(long, value_name = "SHARE")]
    min_coverage: Option<f64>,
    /// Feature scores: trees in the ensemble.
    #[arg(long, default_value_t = 100)]
    trees: usize,
    /// Replace DIR/discovery if an earlier `discover` wrote it.
    #[arg(long)]
    force: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Also write DIR/report.html, with the discovery section.
    #[arg(long)]
    report: bool,
}

#[derive(clap::Args)]
struct MergeArgs {
    /// The output folder to write.
    out: PathBuf,
    /// Shard folders (or folders holding shard-* folders).
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    force: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Also write report.html.
    #[arg(long)]
    report: bool,
    /// Print the terminal table in full, however wide (default: 100 columns).
    #[arg(long)]
    wide: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { files, explain } => {
            if explain.is_empty() {
                validate(&files)
            } else {
                explain_fields(&explain, &files)
            }
        }
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
        Command::Merge(args) => match merge(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        },
        Command::Discover(args) => match discover(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        },
    }
}

fn discover(args: DiscoverArgs) -> Result<(), ExitCode> {
    use foresight::analysis::{dataset, discover, prim};
    let fail = |m: String, code: u8| {
        eprintln!("error: {m}");
        ExitCode::from(code)
    };
    set_threads(args.threads)?;
    let conditions = args
        .fails
        .iter()
        .map(|c| dataset::Condition::parse(c).map_err(|m| fail(format!("--fails '{c}': {m}"), 2)))
        .collect::<Result<Vec<_>, _>>()?;
    let opts = discover::Options {
        policies: args.policies,
        conditions,
        prim: prim::Settings {
            threshold: args.threshold,
            peel_alpha: args.alpha,
            paste_alpha: args.paste_alpha,
            mass_min: args.mass_min,
            choice: args
                .min_coverage
                .map_or(prim::BoxChoice::Last, prim::BoxChoice::DensestWithCoverage),
        },
        max_boxes: args.boxes.max(1),
        forest: foresight::analysis::feature_scores::ForestSettings {
            trees: args.trees.max(1),
            ..Default::default()
        },
        ..Default::default()
    };
    // Settings are checked before the folder is read.
    opts.prim.check().map_err(|e| fail(e.to_string(), 2))?;
    let data = dataset::Dataset::read(&args.dir).map_err(|e| fail(e.to_string(), 2))?;
    let found = discover::discover(&data, &opts).map_err(|m| fail(m, 2))?;
    let out = discover::write(&data, &found, &opts, args.force).map_err(|e| {
        let code = match e {
            discover::WriteError::Output(foresight::output::OutputError::Io { .. }) => 1,
            _ => 2,
        };
        fail(e.to_string(), code)
    })?;
    print!("{}", discover::summary(&data, &found, &opts));
    println!("results in {}", out.display());
    if args.report {
        match foresight::report::write_report(&args.dir) {
            Ok(path) => println!("report written to {}", path.display()),
            Err(e) => {
                return Err(fail(
                    format!("the discovery is written, but the report failed: {e}"),
                    1,
                ));
            }
        }
    }
    Ok(())
}

/// `validate --explain`: each field explained; files given too are validated.
fn explain_fields(fields: &[String], files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for (i, field) in fields.iter().enumerate() {
        match foresight::scenario::explain::explain(field) {
            Ok(text) => {
                if i > 0 {
                    println!();
                }
                print!("{text}");
            }
            Err(e) => {
                ok = false;
                eprintln!("error: {e}");
            }
        }
    }
    if !files.is_empty() && validate(files) != ExitCode::SUCCESS {
        ok = false;
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for file in files {
        let e = match experiment::load(file) {
            Ok(e) => e,
            Err(d) => {
                ok = false;
                eprintln!("{}", d.report());
                continue;
            }
        };
        if e.plain {
            println!(
                "{}: valid ({} regions, {} weeks)",
                file.display(),
                e.region_names.len(),
                e.horizon_weeks
            );
        } else {
            println!(
                "{}: valid experiment ({} × {} × {} × {} = {} cells)",
                file.display(),
                count(e.scenarios.len(), "scenario", "scenarios"),
                count(e.policies.len(), "policy", "policies"),
                count(e.samples.len(), "sample", "samples"),
                count(e.replications as usize, "replication", "replications"),
                e.cells()
            );
        }
        print_warnings(&e, file);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// Valid settings whose results `scale` leaves resting on few agents
/// (`scenario::warnings`), on stderr, each where it stands in its file.
fn print_warnings(e: &experiment::Experiment, file: &std::path::Path) {
    let issues = foresight::scenario::warnings::all_scale_warnings(&e.configs);
    let source = e.world_file.as_deref().unwrap_or(file);
    let locator = foresight::scenario::locate::Locator::new(
        &std::fs::read_to_string(source).unwrap_or_default(),
    );
    for i in issues {
        let problem = locator.problem(&source.display().to_string(), i.path, i.message);
        eprintln!("warning: {problem}");
    }
}

fn run(args: RunArgs) -> Result<(), ExitCode> {
    let usage = |m: String| {
        eprintln!("error: {m}");
        ExitCode::from(2)
    };
    let shard = match (&args.shard, args.shard_count) {
        (Some(text), _) => Some(Shard::parse(text).map_err(|m| usage(format!("--shard: {m}")))?),
        (None, count) => Shard::from_env(&|name| std::env::var(name).ok(), count).map_err(usage)?,
    };
    if args.shard.is_some() && args.shard_count.is_some() {
        return Err(usage(
            "--shard-count is for a shard index taken from the environment; \
             with --shard K/N give the count as N"
                .into(),
        ));
    }
    set_threads(args.threads)?;
    let request = RunRequest {
        file: args.file.clone(),
        overrides: Overrides {
            replications: args.replications,
            seed: args.seed,
            world_file: None,
        },
        out: args.out.clone(),
        force: args.force,
        resume: args.resume,
        keep_series: args.keep_series,
        shard,
    };
    let stop = interrupt_flag();
    let ui = Ui::new();
    let outcome = foresight::run::run_to_folder(&request, &ui, stop);
    ui.bar.finish_and_clear();
    // A shard taken from the environment is named in the resume command, so
    // that it resumes the same shard outside the scheduler too.
    let from_env = shard.filter(|_| args.shard.is_none());
    let done = outcome.map_err(|e| run_failed(e, from_env))?;
    finish(&done, args.report, args.wide)
}

fn merge(args: MergeArgs) -> Result<(), ExitCode> {
    set_threads(args.threads)?;
    let ui = Ui::new();
    let outcome = foresight::output::shards::merge(&args.out, &args.shards, args.force, &ui);
    ui.bar.finish_and_clear();
    let done = outcome.map_err(|e| {
        print_error(&e);
        exit_code(&e)
    })?;
    println!(
        "merged {} cells from the shards into {}",
        done.exp.cells(),
        done.out.display()
    );
    finish(&done, args.report, args.wide)
}

/// Print what a finished run produced, and write its report if asked.
fn finish(done: &RunDone, report: bool, wide: bool) -> Result<(), ExitCode> {
    let width = (!wide).then_some(output::summary::WIDTH);
    match &done.result {
        Some((result, robustness)) => {
            if done.exp.plain {
                print!("{}", output::terminal_summary_in(&done.exp, result, width));
            } else {
                print!(
                    "{}",
                    output::robustness_table_in(&done.exp, robustness, width)
                );
            }
        }
        None => println!(
            "shard written to {}; merge the shards with `foresight merge OUT SHARD_DIR...`",
            done.out.display()
        ),
    }
    let mut written = None;
    if report && done.result.is_some() {
        match foresight::report::write_report(&done.out) {
            Ok(path) => written = Some(path),
            Err(e) => {
                eprintln!("error: the results are complete, but the report failed: {e}");
                return Err(ExitCode::from(1));
            }
        }
    }
    if done.cells_run > 0 {
        println!(
            "{}",
            output::speed_line(
                done.person_weeks,
                done.wall_seconds,
                rayon::current_num_threads(),
                done.cells_resumed
            )
        );
    }
    if done.result.is_some() {
        println!("{}", output::closing(&done.out, written.as_deref()));
    }
    Ok(())
}

fn set_threads(threads: Option<usize>) -> Result<(), ExitCode> {
    if let Some(threads) = threads {
        if threads == 0 {
            eprintln!("error: --threads must be at least 1");
            return Err(ExitCode::from(2));
        }
        // Fails only if a pool was already built, which cannot happen here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    Ok(())
}

/// Raised by Ctrl-C or SIGTERM (a scheduler cancelling the job): the run
/// stops starting cells and keeps what it completed. A second signal exits
/// at once; the journal is still consistent.
fn interrupt_flag() -> &'static AtomicBool {
    static STOP: AtomicBool = AtomicBool::new(false);
    let installed = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            eprintln!("\nstopped at once; completed blocks are kept for --resume");
            std::process::exit(130);
        }
        eprintln!(
            "\nstopping: letting the cells under way finish (press Ctrl-C again to stop at once)"
        );
    });
    if let Err(e) = installed {
        eprintln!("note: Ctrl-C will not stop the run cleanly ({e})");
    }
    &STOP
}

fn run_failed(e: RunError, shard_from_env: Option<Shard>) -> ExitCode {
    print_error(&e);
    match &e {
        RunError::Interrupted { .. } => {
            eprintln!("resume with: {}", resume_command(shard_from_env));
        }
        RunError::Output(OutputError::Io { .. }) => {
            eprintln!(
                "the cells completed so far are kept; once the problem is solved, resume with: {}",
                resume_command(shard_from_env)
            );
        }
        _ => {}
    }
    exit_code(&e)
}

/// The command line again, with `--resume` (with `--force` kept: together
/// they resume, then replace the earlier folder).
fn resume_command(shard_from_env: Option<Shard>) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut args = std::env::args();
    while let Some(a) = args.next() {
        if a == "--resume" || a.starts_with("--shard-count=") {
            continue;
        }
        if a == "--shard-count" && shard_from_env.is_some() {
            args.next();
            continue;
        }
        words.push(a);
    }
    if let Some(first) = words.first_mut() {
        *first = "foresight".into();
    }
    if let Some(shard) = shard_from_env {
        words.push("--shard".into());
        words.push(format!("{}/{}", shard.index, shard.count));
    }
    words.push("--resume".into());
    words
        .iter()
        .map(|w| {
            if w.contains([' ', '\'', '"']) {
                format!("'{}'", w.replace('\'', "'\\''"))
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Input problems as `validate` prints them; any other error on one line.
fn print_error(e: &RunError) {
    match e {
        RunError::Input(d) => eprintln!("{}", d.report()),
        e => eprintln!("error: {e}"),
    }
}

fn exit_code(e: &RunError) -> ExitCode {
    match e {
        RunError::Input(_) | RunError::Usage(_) => ExitCode::from(2),
        RunError::Output(OutputError::Io { .. }) => ExitCode::from(1),
        RunError::Output(_) => ExitCode::from(2),
        RunError::Interrupted { .. } => ExitCode::from(130),
    }
}

/// The terminal's view of a run: a progress bar and notes.
struct Ui {
    bar: indicatif::ProgressBar,
}

impl Ui {
    fn new() -> Ui {
        Ui {
            bar: indicatif::ProgressBar::hidden(),
        }
    }
}

impl Progress for Ui {
    fn start(&self, total: u64, done: u64) {
        if !std::io::stderr().is_terminal() || total < 2 {
            return;
        }
        self.bar
            .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        self.bar.set_length(total);
        self.bar.set_position(done);
        self.bar.reset_eta();
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} cells  {per_sec}  {elapsed_precise} elapsed, {eta} left",
        ) {
            self.bar.set_style(style);
        }
    }
    fn cell(&self) {
        self.bar.inc(1);
    }
    fn note(&self, message: &str) {
        self.bar.suspend(|| eprintln!("note: {message}"));
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
