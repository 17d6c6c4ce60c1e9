//! Scenario files: the format ([`types`]), reading YAML ([`parse`]), and the
//! checks that run before any simulation ([`validate`]).

pub mod locate;
pub mod parse;
pub mod schema;
pub mod types;
pub mod validate;
pub mod warnings;

use std::fmt;
use std::path::Path;

pub use parse::{load, parse_str};
pub use types::*;

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file, as the user named it.
    pub file: String,
    /// Field path, e.g. `regions[3].services.language.seats`; empty for the
    /// whole file.
    pub path: String,
    /// 1-based line and column, where known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if self.path.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.path, self.message)
        }
    }
}

/// Every problem found in a file. A file is valid when there are none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    pub problems: Vec<Problem>,
}

/// Most problems printed: a runaway file (a list of a hundred thousand
/// misspelt items) would otherwise print one line each.
pub const MAX_PROBLEMS_SHOWN: usize = 200;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in self.problems.iter().take(MAX_PROBLEMS_SHOWN) {
            writeln!(f, "error: {p}")?;
        }
        let n = self.problems.len();
        if n > MAX_PROBLEMS_SHOWN {
            writeln!(
                f,
                "error: … and {} more problems, not listed",
                n - MAX_PROBLEMS_SHOWN
            )?;
        }
        write!(
            f,
            "{n} problem{} found; nothing was run.",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostics {
    pub(crate) fn single(file: &Path, message: impl Into<String>) -> Diagnostics {
        Diagnostics {
            problems: vec![Problem {
                file: file.display().to_string(),
                path: String::new(),
                line: None,
                column: None,
                message: message.into(),
            }],
        }
    }
}
