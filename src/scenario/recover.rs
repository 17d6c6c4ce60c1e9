//! Reading past a file's problems, so that all of them are reported
//! together. The deserialiser stops at its first error; here each error is
//! recorded and edited out of a copy of the text, and the copy read again:
//! an unknown key is blanked (or, when the field it is a misspelling of
//! turns out to be required, renamed to it), and a value of the wrong kind
//! is replaced by a valid stand-in from the format's example. Edits keep
//! every line where it was, so positions in the copy are positions in the
//! file. Reading stops at a YAML syntax error, at a missing required field,
//! and at any error with no value to replace.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::de::DeserializeOwned;

use super::Problem;
use super::locate::Locator;
use super::parse::{deser_problem, deserialize_once};
use super::schema;

/// Most deserialisation rounds: each reads the whole text, and a file of
/// megabytes must not be read a hundred times.
const MAX_READ_BYTES: usize = 64 * 1024 * 1024;
const MAX_ROUNDS: usize = 100;

/// What reading found.
pub struct Read<T> {
    /// The value, when the text could be read to the end (with stand-ins
    /// where `problems` say the file is wrong).
    pub value: Option<T>,
    pub problems: Vec<Problem>,
    /// Paths whose value is a stand-in: checks of these values, or of the
    /// mappings and lists holding them, would judge the stand-in.
    pub replaced: Vec<String>,
    /// The text as last read, for positioning later problems.
    pub edited: Edited,
}

/// One edit of the copy, addressed by the path in the original text.
#[derive(Clone)]
enum Edit {
    /// An unknown key, with the known key it is probably a misspelling of
    /// and the mapping it may belong to.
    Blank {
        path: String,
        suggestion: Option<String>,
        belongs_to: Option<String>,
    },
    Rename {
        path: String,
        to: String,
    },
    Replace {
        path: String,
        text: String,
    },
}

/// The copy of a text with edits applied, and how its columns map back.
pub struct Edited {
    pub text: String,
    /// (line, column in the copy where the edit ends, characters added)
    /// for edits that changed the length of a line.
    shifts: Vec<(usize, usize, isize)>,
}

impl Edited {
    /// A problem found in the copy, positioned in the original.
    pub fn position(&self, mut p: Problem) -> Problem {
        if let (Some(line), Some(column)) = (p.line, p.column) {
            let moved: isize = self
                .shifts
                .iter()
                .filter(|&&(l, end, _)| l == line && end <= column)
                .map(|&(_, _, delta)| delta)
                .sum();
            p.column = Some((column as isize - moved).max(1) as usize);
        }
        p
    }
}

/// Read `text` as a `T`, collecting every problem the text lets us find.
/// With `scenario`, unknown keys are found all at once from the format's
/// schema, and wrong values are replaced by stand-ins; otherwise unknown
/// keys are found one by one and reading stops at a wrong value.
pub fn read<T: DeserializeOwned>(
    text: &str,
    file: &str,
    locator: &Locator,
    scenario: bool,
) -> Read<T> {
    let mut problems = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    if scenario {
        for u in schema::unknown_keys(locator, file) {
            problems.push(u.problem);
            edits.push(Edit::Blank {
                path: u.path,
                suggestion: u.suggestion.map(str::to_string),
                belongs_to: u.belongs_to,
            });
        }
    }
    let rounds = (MAX_READ_BYTES / text.len().max(1)).clamp(1, MAX_ROUNDS);
    let mut edited = apply(text, locator, &edits);
    for _ in 0..rounds {
        let (err, field_path) = match deserialize_once::<T>(&edited.text) {
            Ok(value) => {
                return finish(Some(value), problems, &edits, edited);
            }
            Err(e) => *e,
        };
        let here = Locator::new(&edited.text);
        let problem = edited.position(deser_problem(&edited.text, file, &err, &field_path, &here));
        let raw = err.without_snippet().to_string();
        let original = original_path(&edits, &field_path);
        if let Some(next) = next_edit(
            &raw,
            &original,
            &field_path,
            &edits,
            locator,
            &here,
            scenario,
        ) {
            match next {
                Next::Record(edit) => {
                    problems.push(problem);
                    edits.push(edit);
                }
                Next::Quiet(edit) => edits.push(edit),
                Next::RenameBlank(i, to) => {
                    if let Edit::Blank { path, .. } = &edits[i] {
                        edits[i] = Edit::Rename {
                            path: path.clone(),
                            to,
                        };
                    }
                }
                Next::Explained => return finish(None, problems, &edits, edited),
            }
            edited = apply(text, locator, &edits);
            continue;
        }
        // An error about a stand-in is not the file's.
        if !replaced(&edits, &original) {
            problems.push(missing_elsewhere(problem, &raw, text, locator));
        }
        return finish(None, problems, &edits, edited);
    }
    finish(None, problems, &edits, edited)
}

fn finish<T>(
    value: Option<T>,
    mut problems: Vec<Problem>,
    edits: &[Edit],
    edited: Edited,
) -> Read<T> {
    problems.sort_by_key(|p| (p.line.unwrap_or(0), p.column.unwrap_or(0)));
    Read {
        value,
        problems,
        replaced: edits
            .iter()
            .filter_map(|e| match e {
                Edit::Replace { path, .. } => Some(path.clone()),
                _ => None,
            })
            .collect(),
        edited,
    }
}

enum Next {
    /// Record the problem and make this edit.
    Record(Edit),
    /// Make this edit; the problem is a consequence of one reported.
    Quiet(Edit),
    /// The field a blanked key is a misspelling of is required: rename it.
    RenameBlank(usize, String),
    /// The problem is a consequence of one reported, and reading stops.
    Explained,
}

/// What to do about an error at `original` (the path in the file; the
/// deserialiser's path in the copy is `copy_path`), if reading can go on.
fn next_edit(
    raw: &str,
    original: &str,
    copy_path: &str,
    edits: &[Edit],
    locator: &Locator,
    here: &Locator,
    scenario: bool,
) -> Option<Next> {
    let usable = !original.is_empty() && original != "." && !original.contains('?');
    if raw.starts_with("unknown field ") {
        if !usable || locator.key_start(original).is_none() || blanked(edits, original) {
            return None;
        }
        let suggestion = raw
            .split_once("expected one of ")
            .or_else(|| raw.split_once("expected "))
            .and_then(|(_, list)| {
                let key = last_key(original);
                list.split(", ")
                    .map(|k| k.trim_matches(|c: char| c == '`' || c.is_whitespace()))
                    .map(|k| (schema::edit_distance(key, k), k))
                    .filter(|(d, k)| *d <= 3.max(k.len() / 4))
                    .min()
                    .map(|(_, k)| k.to_string())
            });
        return Some(Next::Record(Edit::Blank {
            path: original.to_string(),
            suggestion,
            belongs_to: None,
        }));
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        let parent = if original == "." { "" } else { original };
        for (i, e) in edits.iter().enumerate() {
            if let Edit::Blank {
                path,
                suggestion,
                belongs_to,
            } = e
            {
                if parent_of(path) == parent && suggestion.as_deref() == Some(field) {
                    return Some(Next::RenameBlank(i, field.to_string()));
                }
                if belongs_to.as_deref() == Some(parent) && last_key(path) == field {
                    return Some(Next::Explained);
                }
            }
        }
        return None;
    }
    if !scenario || !usable || replaced(edits, original) {
        return None;
    }
    let span = here.value_span(copy_path)?;
    if span.block_text || locator.value_span(original).is_none() {
        return None;
    }
    let text = schema::example_text(original)?;
    let edit = Edit::Replace {
        path: original.to_string(),
        text,
    };
    // A mapping left empty by keys indented out of it is reported with
    // those keys.
    let emptied = span.bytes.is_empty()
        && edits
            .iter()
            .any(|e| matches!(e, Edit::Blank { belongs_to: Some(b), .. } if b == original));
    Some(if emptied {
        Next::Quiet(edit)
    } else {
        Next::Record(edit)
    })
}

fn blanked(edits: &[Edit], path: &str) -> bool {
    edits.iter().any(
        |e| matches!(e, Edit::Blank { path: p, .. } | Edit::Rename { path: p, .. } if p == path),
    )
}

fn replaced(edits: &[Edit], path: &str) -> bool {
    edits
        .iter()
        .any(|e| matches!(e, Edit::Replace { path: p, .. } if p == path))
}

/// The path in the file of a path in the copy (renamed keys renamed back).
fn original_path(edits: &[Edit], copy_path: &str) -> String {
    for e in edits {
        if let Edit::Rename { path, to } = e {
            let renamed = join(parent_of(path), to);
            if let Some(rest) = copy_path.strip_prefix(renamed.as_str())
                && (rest.is_empty() || rest.starts_with(['.', '[']))
            {
                return format!("{path}{rest}");
            }
        }
    }
    copy_path.to_string()
}

/// A missing required field that is written in the file, but where the
/// reading did not find it (indented into a neighbouring value): say where
/// it is, at its line.
fn missing_elsewhere(problem: Problem, raw: &str, text: &str, locator: &Locator) -> Problem {
    let Some(field) = raw
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    else {
        return problem;
    };
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let body = line.trim_start_matches(' ');
        let body = body.strip_prefix("- ").unwrap_or(body);
        let Some(rest) = body.strip_prefix(field) else {
            continue;
        };
        if !rest.trim_start_matches(' ').starts_with(':') {
            continue;
        }
        let line_no = i + 1;
        if locator.keys().iter().any(|(_, p)| p.line == line_no) {
            // Read as a key elsewhere: reported as an unknown key there.
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let Some(holder) = locator.value_containing(start + indent) else {
            continue;
        };
        let mut p = problem;
        p.message = format!(
            "{}; line {line_no} has `{field}:`, but it is indented so that it was read as part \
             of the value of {holder}; line it up with the other fields of {}",
            p.message,
            if p.path.is_empty() {
                "the top level"
            } else {
                p.path.as_str()
            }
        );
        p.line = Some(line_no);
        p.column = Some(indent + 1);
        return p;
    }
    problem
}

/// Apply the edits to the original text.
fn apply(text: &str, locator: &Locator, edits: &[Edit]) -> Edited {
    let mut changes: Vec<(Range<usize>, String)> = Vec::new();
    // Blanking every key of a block mapping would leave it empty, which
    // reads as no value at all: the first blank writes `{}` instead.
    let blanks: HashSet<&str> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::Blank { path, .. } => Some(path.as_str()),
            _ => None,
        })
        .collect();
    let mut kept: HashMap<&str, usize> = HashMap::new();
    for (k, _) in locator.keys() {
        let n = kept.entry(parent_of(k)).or_default();
        if !blanks.contains(k.as_str()) {
            *n += 1;
        }
    }
    let mut emptied: HashSet<&str> = HashSet::new();
    for e in edits {
        let (path, to) = match e {
            Edit::Blank { path, .. } => (path, None),
            Edit::Rename { path, to } => (path, Some(to)),
            Edit::Replace { path, text: new } => {
                if let Some(span) = locator.value_span(path) {
                    let range = span.bytes.clone();
                    changes.push(if range.is_empty() {
                        // An empty value stands before its key's `:`.
                        let after = colon_end(text, range.start);
                        (after..after, format!(" {new}"))
                    } else {
                        replacement(&text[range.clone()], range, new)
                    });
                }
                continue;
            }
        };
        let Some(range) = entry_range(text, locator, path) else {
            continue;
        };
        let old = &text[range.clone()];
        let key = last_key(path);
        match to {
            Some(to) if old.starts_with(key) => {
                changes.push((range.start..range.start + key.len(), to.clone()));
            }
            _ => {
                let parent = parent_of(path);
                let all_blank = !locator.is_flow(parent)
                    && kept.get(parent) == Some(&0)
                    && emptied.insert(parent);
                changes.push(replacement(old, range, if all_blank { "{}" } else { "" }));
            }
        }
    }
    // Columns after a change that altered the length of its first line
    // move; record where, in the copy's columns, from left to right. The
    // copy is built in the same pass.
    changes.sort_by_key(|(r, _)| r.start);
    let mut shifts = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    let (mut line, mut line_start) = (1, 0);
    let mut line_delta: (usize, isize) = (0, 0);
    for (range, new) in &changes {
        if range.start < done {
            continue; // overlaps an earlier change (a value inside a blanked entry)
        }
        let between = &text[done..range.start];
        if let Some(i) = between.rfind('\n') {
            line += between.matches('\n').count();
            line_start = done + i + 1;
        }
        let old_first = text[range.clone()].split('\n').next().unwrap_or("");
        let end_column =
            text[line_start..range.start].chars().count() + old_first.chars().count() + 1;
        let delta = new.split('\n').next().unwrap_or("").chars().count() as isize
            - old_first.chars().count() as isize;
        if line_delta.0 != line {
            line_delta = (line, 0);
        }
        if delta != 0 {
            line_delta.1 += delta;
            shifts.push((line, (end_column as isize + line_delta.1) as usize, delta));
        }
        out.push_str(between);
        out.push_str(new);
        let old = &text[range.clone()];
        if let Some(i) = old.rfind('\n') {
            line += old.matches('\n').count();
            line_start = range.start + i + 1;
        }
        done = range.end;
    }
    out.push_str(&text[done..]);
    Edited { text: out, shifts }
}

/// `new` in place of `old` (at `range`): lines are kept, the first line of
/// `old` padded with spaces where `new` is shorter, the other lines blanked.
fn replacement(old: &str, range: Range<usize>, new: &str) -> (Range<usize>, String) {
    let mut out = new.to_string();
    let mut lines = old.split('\n');
    let first = lines.next().unwrap_or("");
    let pad = first.len().saturating_sub(new.len());
    out.extend(std::iter::repeat_n(' ', pad));
    for line in lines {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', line.len()));
    }
    (range, out)
}

/// The bytes of a mapping entry (key, `:` and value), with the comma after
/// it in a `{...}` mapping.
fn entry_range(text: &str, locator: &Locator, path: &str) -> Option<Range<usize>> {
    let start = locator.key_start(path)?;
    let mut end = colon_end(text, start);
    if let Some(v) = locator.value_span(path)
        && !v.bytes.is_empty()
    {
        end = end.max(v.bytes.end);
    }
    if locator.is_flow(parent_of(path)) {
        let rest = &text[end..];
        let ws = rest.len() - rest.trim_start().len();
        if rest[ws..].starts_with(',') {
            end += ws + 1;
        }
    }
    Some(start..end)
}

/// The byte after the `:` that follows a key starting at `start`.
fn colon_end(text: &str, start: usize) -> usize {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    text[start..line_end]
        .find(':')
        .map_or(line_end, |i| start + i + 1)
}

fn parent_of(path: &str) -> &str {
    match path.rfind('.') {
        Some(i) => &path[..i],
        None => "",
    }
}

fn last_key(path: &str) -> &str {
    &path[path.rfind('.').map_or(0, |i| i + 1)..]
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(path: &str) -> Edit {
        Edit::Blank {
            path: path.to_string(),
            suggestion: None,
            belongs_to: None,
        }
    }

    #[test]
    fn blanking_keeps_lines_and_columns_and_the_yaml_valid() {
        let text = "a: {x: 1, typo: 2, y: 3}\nb:\n  typo: 4\nc: [1]\n";
        let locator = Locator::new(text);
        let edited = apply(text, &locator, &[blank("a.typo"), blank("b.typo")]);
        assert_eq!(
            edited.text,
            "a: {x: 1,          y: 3}\nb:\n  {}     \nc: [1]\n"
        );
        let again = Locator::new(&edited.text);
        assert!(again.syntax_error().is_none());
        assert_eq!(again.get("c"), locator.get("c"));
        assert!(edited.shifts.is_empty());
    }

    #[test]
    fn a_renamed_key_moves_the_columns_after_it_back() {
        let text = "r:\n  populaton: {a: x}\n";
        let locator = Locator::new(text);
        let edits = [Edit::Rename {
            path: "r.populaton".into(),
            to: "population".into(),
        }];
        let edited = apply(text, &locator, &edits);
        assert_eq!(edited.text, "r:\n  population: {a: x}\n");
        // `x` stands at column 18 in the copy, 17 in the file.
        let p = Problem {
            file: String::new(),
            path: String::new(),
            line: Some(2),
            column: Some(18),
            message: String::new(),
        };
        assert_eq!(edited.position(p).column, Some(17));
        assert_eq!(original_path(&edits, "r.population.a"), "r.populaton.a");
    }

    #[test]
    fn every_unknown_key_of_any_format_is_reported() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Inner {
            size: u32,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Outer {
            name: String,
            inner: Inner,
        }
        let text = "name: x\nnmae: y\ninner:\n  size: 3\n  sise: 4\n";
        let read = super::read::<Outer>(text, "f.yaml", &Locator::new(text), false);
        let found: Vec<(Option<usize>, &str)> = read
            .problems
            .iter()
            .map(|p| (p.line, p.path.as_str()))
            .collect();
        assert_eq!(found, [(Some(2), "nmae"), (Some(5), "inner.sise")]);
        // The rest of the file reads; the caller refuses it for its problems.
        assert_eq!(read.value.map(|o| o.inner.size), Some(3));
    }
}
