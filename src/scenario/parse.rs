//! Reading a scenario from YAML with `serde-saphyr`. All YAML handling lives
//! here so the parser stays swappable.

use std::io::Read;
use std::path::Path;

use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::{Budget, Options};

use super::locate::{Locator, Position};
use super::types::Scenario;
use super::validate::validate;
use super::wording::explain;
use super::{Diagnostics, Problem};
use super::{recover, syntax};

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
    let meta = std::fs::metadata(path).map_err(|e| {
        // A program run from another folder than the one a relative path
        // was written for (an example, a test, a notebook) is told which
        // folder the path was looked for in.
        let from = match std::env::current_dir() {
            Ok(dir) if path.is_relative() && e.kind() == std::io::ErrorKind::NotFound => {
                format!(" (looked for from {}, the current folder)", dir.display())
            }
            _ => String::new(),
        };
        Diagnostics::single(path, format!("cannot read the file: {e}{from}"))
    })?;
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

/// Deserialise YAML text into `T` (an experiment file), reporting every
/// unknown key, and a syntax error at the line where the mistake is.
pub fn deserialize<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
) -> Result<T, Diagnostics> {
    let locator = Locator::new(text);
    if let Some(err) = locator.syntax_error() {
        return Err(with_syntax::<T>(text, file, &locator, err, false));
    }
    let read = recover::read::<T>(text, file, &locator, false);
    match read.value {
        Some(v) if read.problems.is_empty() => Ok(v),
        _ => Err(Diagnostics {
            problems: read.problems,
        }),
    }
}

/// One reading of the text, without recovery: the value, or the error and
/// the path of the field being read (`.` at the top level, `?` where the
/// path could not be told).
pub(crate) fn deserialize_once<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, Box<(serde_saphyr::Error, String)>> {
    // serde_path_to_error tracks the field being read, so that an error names
    // the exact field path even where the parser only knows a position.
    let mut field_path = String::new();
    let parsed = serde_saphyr::with_deserializer_from_str_with_options(text, options(), |de| {
        serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
            field_path = e.path().to_string();
            e.into_inner()
        })
    });
    parsed.map_err(|err| Box::new((err, field_path)))
}

/// The problems of a text that stops at a syntax error: the unknown keys
/// above it, the first other problem if it stands above it, and the error
/// itself. Nothing is edited to read further: past a syntax error the
/// structure of the text is not known.
fn with_syntax<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
    locator: &Locator,
    err: &super::locate::SyntaxError,
    scenario: bool,
) -> Diagnostics {
    let unknown = if scenario {
        super::schema::unknown_keys(locator, file)
    } else {
        Vec::new()
    };
    // The deserialiser's first problem, unless it is a consequence of the
    // error: in the line the error cut short (from the last key read before
    // it), a mapping closed early (a missing field), or a mapping left empty
    // by a key indented out of it.
    let last_key_line = locator
        .keys()
        .iter()
        .rev()
        .map(|(_, pos)| pos.line)
        .find(|&l| l <= err.at.line)
        .unwrap_or(0);
    let mut problems: Vec<Problem> = Vec::new();
    if let Err(failed) = deserialize_once::<T>(text) {
        let (e, field_path) = *failed;
        let p = deser_problem(text, file, &e, &field_path, locator);
        let limit = p.message.contains("safety limits");
        let consequence = !limit
            && (p.line.is_none_or(|l| l >= last_key_line)
                || p.message.starts_with("missing required field"))
            || unknown
                .iter()
                .any(|u| u.problem.path == p.path || u.belongs_to.as_deref() == Some(&p.path));
        if !consequence {
            problems.push(p);
        }
    }
    problems.extend(unknown.into_iter().map(|u| u.problem));
    problems
        .retain(|p| (p.line.unwrap_or(0), p.column.unwrap_or(0)) < (err.at.line, err.at.column));
    problems.sort_by_key(|p| (p.line, p.column));
    // The parser's nesting limit stands behind the deserialiser's, which
    // has said so already.
    let limit = err.kind == ErrorKind::RecursionLimitExceeded
        && problems.iter().any(|p| p.message.contains("safety limits"));
    if !limit {
        let p = syntax::problem(text, file, locator, err).unwrap_or_else(|| Problem {
            file: file.to_string(),
            path: short_path(locator.path_at(err.at).unwrap_or("")),
            line: Some(err.at.line),
            column: Some(err.at.column),
            message: explain(&err.message, ""),
        });
        // The error may be explained by a key out of place, reported already.
        if !problems
            .iter()
            .any(|q| q.line == p.line && q.message == p.message)
        {
            problems.push(p);
        }
    }
    Diagnostics { problems }
}

/// A field path short enough to read: a file nested hundreds of levels
/// deep names its middle `…`.
fn short_path(path: &str) -> String {
    const MAX: usize = 120;
    if path.len() <= MAX {
        return path.to_string();
    }
    let head = path
        .char_indices()
        .nth(MAX / 2)
        .map_or(path.len(), |(i, _)| i);
    let tail = path.char_indices().rev().nth(MAX / 2).map_or(0, |(i, _)| i);
    format!("{} … {}", &path[..head], &path[tail.max(head)..])
}

/// Parse and validate scenario text; `file` names it in messages. Every
/// problem is reported that the text lets be found: all unknown keys and
/// wrong values, then the checks of the values that could be read.
pub fn parse_str(text: &str, file: &str) -> Result<Scenario, Diagnostics> {
    let locator = Locator::new(text);
    if let Some(err) = locator.syntax_error() {
        return Err(with_syntax::<Scenario>(text, file, &locator, err, true));
    }
    let read = recover::read::<Scenario>(text, file, &locator, true);
    let mut problems = read.problems;
    if let Some(scenario) = read.value {
        // Positions in the text as read (renamed keys are found there).
        let issues = validate(&scenario);
        let here = if issues.is_empty() {
            Locator::default()
        } else {
            Locator::new(&read.edited.text)
        };
        for issue in issues {
            if !read.replaced.iter().any(|r| related(r, &issue.path)) {
                problems.push(
                    read.edited
                        .position(here.problem(file, issue.path, issue.message)),
                );
            }
        }
        if problems.is_empty() {
            return Ok(scenario);
        }
    }
    Err(Diagnostics { problems })
}

/// Whether one path is the other, or holds it.
fn related(a: &str, b: &str) -> bool {
    let holds = |outer: &str, inner: &str| {
        outer.is_empty()
            || inner == outer
            || (inner.starts_with(outer) && inner[outer.len()..].starts_with(['.', '[']))
    };
    holds(a, b) || holds(b, a)
}

/// Turn a deserialisation error into a problem naming the field.
pub(crate) fn deser_problem(
    text: &str,
    file: &str,
    err: &serde_saphyr::Error,
    field_path: &str,
    locator: &Locator,
) -> Problem {
    let (mut line, mut column) = match err.location() {
        Some(l) if l.line() > 0 => (Some(l.line() as usize), Some(l.column() as usize)),
        _ => (None, None),
    };
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
    let mut message = explain(&message, &path);
    // The parser's errors for single values do not say what they found.
    if [
        "expected a whole number",
        "expected a number",
        "expected true or false",
        "expected a mapping",
    ]
    .iter()
    .any(|m| message.starts_with(m))
        && !message.contains(", found ")
        && let Some(span) = locator.value_span(&path)
        && let Some(found) = text.get(span.bytes.clone())
        && !found.is_empty()
        && found.len() <= 40
        && !found.contains('\n')
    {
        message.push_str(&format!(", found {found}"));
    }
    Problem {
        file: file.to_string(),
        path,
        line,
        column,
        message,
    }
}
