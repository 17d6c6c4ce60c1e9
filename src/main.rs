//! The `foresight` command: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use clap::{Parser, Subcommand};

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
    /// Run a scenario's replications and write tidy CSV outputs.
    Run(RunArgs),
    /// Check scenario files and report every problem found (exit 2 if any).
    Validate {
        /// Scenario files (YAML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// Scenario file (YAML).
    file: PathBuf,
    /// Replications to run (default: the scenario's `replications`).
    #[arg(long, short = 'n')]
    replications: Option<u32>,
    /// Master seed (default: the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Output folder (default: outputs/<scenario name>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    force: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { files } => validate(&files),
        Command::Run(args) => run(args),
    }
}

fn run(args: RunArgs) -> ExitCode {
    let scenario = match foresight::scenario::load(&args.file) {
        Ok(s) => s,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::from(2);
        }
    };
    let replications = args.replications.unwrap_or(scenario.replications);
    if replications == 0 || replications > foresight::scenario::validate::MAX_REPLICATIONS {
        eprintln!(
            "error: --replications must be from 1 to {}",
            foresight::scenario::validate::MAX_REPLICATIONS
        );
        return ExitCode::from(2);
    }
    let seed = args.seed.unwrap_or(scenario.seed);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(&scenario.name));
    if out.exists() && !args.force {
        eprintln!(
            "error: {} already exists; choose another folder with --out, or pass --force to replace it",
            out.display()
        );
        return ExitCode::from(2);
    }
    if let Some(threads) = args.threads {
        if threads == 0 {
            eprintln!("error: --threads must be at least 1");
            return ExitCode::from(2);
        }
        // Only fails if a pool was already built, which cannot happen here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    let bytes = std::fs::read(&args.file).unwrap_or_default();
    let sha = sha256_hex(&bytes);
    let start = Instant::now();
    let done = AtomicU32::new(0);
    let interactive = std::io::stderr().is_terminal();
    let result = foresight::run::run_scenario(&scenario, seed, replications, &|| {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if interactive {
            eprint!("\r  {n}/{replications} replications");
        }
    });
    if interactive {
        eprintln!();
    }
    let wall = start.elapsed().as_secs_f64();
    let info = foresight::output::RunInfo {
        scenario_sha256: sha,
        scenario_file: args.file.display().to_string(),
        command_line: std::env::args().collect::<Vec<_>>().join(" "),
        wall_seconds: wall,
    };
    if let Err(e) = foresight::output::write_run(&out, args.force, &scenario, &result, &info) {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    print!("{}", foresight::output::terminal_summary(&result));
    println!(
        "{:.3e} person-weeks in {wall:.2} s ({:.3e} person-weeks/s); results in {}",
        result.person_weeks(),
        result.person_weeks() / wall.max(1e-9),
        out.display()
    );
    ExitCode::SUCCESS
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for file in files {
        match foresight::scenario::load(file) {
            Ok(s) => println!(
                "{}: valid ({} regions, {} weeks)",
                file.display(),
                s.regions.len(),
                s.horizon_weeks
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
