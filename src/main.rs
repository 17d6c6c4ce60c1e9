//! The `foresight` command: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Check scenario files and report every problem found (exit 2 if any).
    Validate {
        /// Scenario files (YAML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { files } => validate(&files),
    }
}

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for file in files {
        match foresight::scenario::load(file) {
            Ok(s) => println!("{}: valid ({} regions, {} weeks)", file.display(), s.regions.len(), s.horizon_weeks),
            Err(d) => {
                ok = false;
                eprintln!("{d}");
            }
        }
    }
    if ok { ExitCode::SUCCESS } else { ExitCode::from(2) }
}
