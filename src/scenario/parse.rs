//! Reading a scenario from YAML with `serde-saphyr`. All YAML handling lives
//! here so the parser stays swappable.

use std::io::Read;
use std::path::Path;

use serde_saphyr::{Budget, Options};

use super::locate::{Locator, Position};
use super::types::Scenario;
use super::validate::validate;
use super::{Diagnostics, Problem};

/// Largest scenario file read, bytes. Real scenarios are a few kilobytes;
/// the limit keeps a mistaken path (a data dump, a disk image) from being
/// read into memory.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Read, parse and validate a scenario file.
pub fn load(path: &Path) -> Result<Scenario, Diagnostics> {
    let text = read_text(path)?;
    parse_str(&text, &path.display().to_string())
}

/// Read a YAML file as text, refusing folders, oversized files and bytes
/// that are not UTF-8, before anything is parsed.
pub fn read_text(path: &Path) -> Result<String, Diagnostics> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostics::single(path, format!("cannot read the file: {e}")))?;
    if meta.is_dir() {
        return Err(Diagnostics::single(
            path,
            "is a folder; expected a scenario file (.yaml)",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostics::single(
            path,
            format!(
                "the file is {} bytes; scenario files are limited to {MAX_FILE_BYTES} bytes",
                meta.len()
            ),
        ));
    }
    // The size on disk says nothing for devices and pipes (`/dev/zero` has
    // length 0 and never ends): read at most one byte past the limit.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Diagnostics::single(path, format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostics::single(
            path,
            format!("the file is longer than {MAX_FILE_BYTES} bytes, the limit for scenario files"),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let before = &e.as_bytes()[..at];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let column = at
                - before
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |i| i + 1)
                + 1;
            Err(Diagnostics {
                problems: vec![Problem {
                    file: path.display().to_string(),
                    path: String::new(),
                    line: Some(line),
                    column: Some(column),
                    message: format!(
                        "the file is not valid UTF-8 (byte offset {at}); save it as UTF-8 text"
                    ),
                }],
            })
        }
    }
}

/// Limits that refuse alias bombs and absurdly nested files before they use
/// memory. Scenarios are small, so the limits are far above any real file.
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_events = 1_000_000;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_depth = 64;
    budget.max_nodes = 500_000;
    budget.max_total_scalar_bytes = 16 * 1024 * 1024;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options
}

/// Deserialise YAML text into `T`, turning the first error into a problem
/// that names the field path, line and column.
pub fn deserialize<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
) -> Result<T, Diagnostics> {
    // serde_path_to_error tracks the field being read, so that an error names
    // the exact field path even where the parser only knows a position.
    let mut field_path = String::new();
    let parsed = serde_saphyr::with_deserializer_from_str_with_options(text, options(), |de| {
        serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
            field_path = e.path().to_string();
            e.into_inner()
        })
    });
    parsed.map_err(|err| Diagnostics {
        problems: vec![deser_problem(text, file, &err, &field_path)],
    })
}

/// Parse and validate scenario text; `file` names it in messages.
pub fn parse_str(text: &str, file: &str) -> Result<Scenario, Diagnostics> {
    let scenario: Scenario = match deserialize(text, file) {
        Ok(s) => s,
        Err(d) => {
            // The deserialiser stops at the first unknown field; report them
            // all, since typos tend to come in numbers.
            if d.problems[0].message.starts_with("unknown field") {
                let unknown = super::schema::unknown_fields(&Locator::new(text), file);
                if !unknown.is_empty() {
                    return Err(Diagnostics { problems: unknown });
                }
            }
            return Err(d);
        }
    };
    let locator = Locator::new(text);
    let problems = validate(&scenario)
        .into_iter()
        .map(|issue| locator.problem(file, issue.path, issue.message))
        .collect::<Vec<_>>();
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(Diagnostics { problems })
    }
}

/// Turn a deserialisation error into a problem naming the field.
fn deser_problem(text: &str, file: &str, err: &serde_saphyr::Error, field_path: &str) -> Problem {
    let (mut line, mut column) = match err.location() {
        Some(l) if l.line() > 0 => (Some(l.line() as usize), Some(l.column() as usize)),
        _ => (None, None),
    };
    let locator = Locator::new(text);
    let raw = err.without_snippet().to_string();
    let missing = raw.contains("missing field");
    // The field found at the error's position, by the locator.
    let here = match (line, column) {
        (Some(line), Some(column)) => locator
            .path_at(Position { line, column })
            .map(str::to_string),
        _ => None,
    };
    // serde_path_to_error names the field being read ("." at the top level,
    // "?" where it could not tell). A syntax error inside that field is
    // better named by the deeper field the locator finds at its position.
    let path = match field_path {
        "." | "" if missing => String::new(),
        "." | "" => here.unwrap_or_default(),
        p if p.contains('?') => here.unwrap_or_else(|| p.to_string()),
        p => match here {
            Some(h)
                if !missing
                    && h.len() > p.len()
                    && h.starts_with(p)
                    && h[p.len()..].starts_with(['.', '[']) =>
            {
                h
            }
            _ => p.to_string(),
        },
    };
    // A missing field has no position of its own: point at its parent (the
    // top of the file for a top-level field).
    if missing {
        let pos = if path.is_empty() {
            Some(Position { line: 1, column: 1 })
        } else {
            locator.find(&path)
        };
        line = pos.map(|p| p.line);
        column = pos.map(|p| p.column);
    }
    // The first line carries the message; the rest repeats the position.
    let message = raw
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_string();
    Problem {
        file: file.to_string(),
        path,
        line,
        column,
        message: explain(&message),
    }
}

/// Reword the deserialiser's messages where a planner would not follow them.
fn explain(message: &str) -> String {
    // The position is printed in front of the message already.
    let message = match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing required field {rest}");
    }
    if message.contains("DuplicateKeyPolicy") || message.starts_with("duplicate mapping key") {
        return "this key is given twice in the same mapping; keep one".to_string();
    }
    if message.contains("Documents") {
        return "the file holds more than one YAML document (a second `---`); a scenario is one document".to_string();
    }
    if message.contains("illegal placement of ':'") {
        return format!(
            "{message}: a `:` inside `[...]` or `{{...}}` usually means a closing `]` or `}}` \
             is missing on an earlier line"
        );
    }
    if message.contains("budget breached") {
        return format!(
            "the file exceeds the parser's safety limits ({message}); scenario files are small: \
             check for runaway anchors and aliases or very deep nesting"
        );
    }
    for (rust, plain) in [
        ("invalid u8", "expected a whole number from 0 to 255"),
        ("invalid u16", "expected a whole number from 0 to 65535"),
        (
            "invalid u32",
            "expected a whole number from 0 to 4294967295",
        ),
        (
            "invalid u64",
            "expected a whole number from 0 to 18446744073709551615",
        ),
        ("invalid f64", "expected a number"),
        (
            "invalid floating point",
            "expected a number (a finite decimal such as 12 or 0.5)",
        ),
        (
            "expected string scalar",
            "expected a single value (a number or text), not a list or a mapping",
        ),
        (
            "expected mapping start",
            "expected a mapping (`key: value` lines or `{...}`)",
        ),
        (
            "expected sequence start",
            "expected a list (`- item` lines or `[...]`)",
        ),
        (
            "unexpected end of input",
            "the file is empty or ends too early; expected a scenario mapping",
        ),
    ] {
        if message.starts_with(rust) {
            return plain.to_string();
        }
    }
    message.to_string()
}
