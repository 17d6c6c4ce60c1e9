//! Scenario files: the format ([`types`]), reading YAML ([`parse`]), and the
//! checks that run before any simulation ([`validate`]).

pub mod explain;
pub mod locate;
pub mod parse;
mod recover;
pub mod schema;
mod syntax;
pub mod types;
pub mod validate;
pub mod warnings;
pub mod wording;

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
///
/// Displayed (and, so that `?` in `main` prints it readably, debug-printed)
/// as the command line prints it: `file:line:column: field.path: message`,
/// one problem a line.
#[derive(Clone, Default, PartialEq)]
pub struct Diagnostics {
    pub problems: Vec<Problem>,
}

/// Most problems printed: a runaway file (a list of a hundred thousand
/// misspelt items) would otherwise print one line each.
pub const MAX_PROBLEMS_SHOWN: usize = 200;

impl Diagnostics {
    /// The lines to print: the problems, then how many more were not listed.
    fn lines(&self) -> impl Iterator<Item = String> + '_ {
        let n = self.problems.len();
        let more = (n > MAX_PROBLEMS_SHOWN)
            .then(|| format!("… and {} more problems, not listed", n - MAX_PROBLEMS_SHOWN));
        self.problems
            .iter()
            .take(MAX_PROBLEMS_SHOWN)
            .map(Problem::to_string)
            .chain(more)
    }

    /// What `foresight validate` and `run` print: each line marked
    /// `error: `, and the count.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for line in self.lines() {
            out.push_str("error: ");
            out.push_str(&line);
            out.push('\n');
        }
        let n = self.problems.len();
        out.push_str(&format!(
            "{n} problem{} found; nothing was run.",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, line) in self.lines().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{line}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // On its own line after `main`'s `Error: `.
        if self.problems.len() > 1 {
            writeln!(f)?;
        }
        fmt::Display::fmt(self, f)
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
