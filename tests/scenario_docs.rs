//! The field tables of `docs/scenario-format.md` against the code, for
//! scenario files (the part before "Experiment files") and experiment
//! files (the part after): every field of the format has a row, every row
//! names a field, and the `default` column says what the code does when
//! the field is not written.
//!
//! The code's defaults are read by experiment, not restated here: a file
//! with every list and option filled is serialised, and each field (or a
//! block around it) is removed in turn and the file read again. Leaving out
//! a field gives its default in a written block; leaving out an enclosing
//! block gives the block's default; neither being allowed makes it required.
//!
//! How the `default` column is read (see "Defaults, and what happens when
//! you write a block" in the docs):
//! - `required` (any emphasis): the field must be written;
//! - otherwise the cell starts with the value: a number (`0.5`, `2/3`), a
//!   tier triple (`90 / 200 / 420`), a code span (`` `false` ``, `` `"EUR"` ``,
//!   `` `[]` ``, `` `{}` ``, `` `fixed` ``) or `absent` (null); a note may
//!   follow;
//! - a cell that starts with words describes, for a field the code leaves
//!   absent or empty, what that means (`the world's seed`);
//! - `… required in a written block` or `… Y in a written block` says what
//!   leaving the field out of a written block gives, where that differs;
//! - a cell starting `the table below` takes its values from the
//!   `| service | … |` table;
//! - rows of mappings are checked only for `required`;
//! - a `.{low,mid,high}` row is a tier mapping: its three values in order
//!   (or `absent` for an optional mapping), and each tier is required in a
//!   written mapping.

use std::collections::{BTreeMap, BTreeSet};

use foresight::experiment::ExperimentFile;
use foresight::scenario::Scenario;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const SERVICES: [&str; 6] = [
    "language",
    "coaching",
    "credential_recognition",
    "interpretation",
    "health_registration",
    "mental_health",
];

/// One file format and the part of the docs that describes it.
struct Format {
    name: &'static str,
    /// The docs' part: from the line starting `from` (or the top) up to
    /// the line starting `to` (or the end).
    from: Option<&'static str>,
    to: Option<&'static str>,
    /// A file with one item in every list and every option set, so that
    /// every field appears when it is serialised.
    example: Value,
    /// Read a file as the format and serialise it again; `None` if refused.
    read: fn(Value) -> Option<Value>,
    /// Paths (prefixes) described apart from the field tables, or checked
    /// by the code after reading: they need no row and their defaults are
    /// not compared.
    apart: &'static [&'static str],
}

fn read_as<T: DeserializeOwned + Serialize>(v: Value) -> Option<Value> {
    let t: T = serde_json::from_value(v).ok()?;
    Some(serde_json::to_value(&t).expect("a file read serialises"))
}

fn scenario_format() -> Format {
    let example = json!({
        "name": "x",
        "horizon_weeks": 1,
        "start_date": "2015-01-05",
        "regions": [{"name": "r", "population": 1, "reception_places": 1,
                     "jobs": {"low": 1, "mid": 1, "high": 1}}],
        "arrivals": {
            "weekly_rate": 1,
            "surges": [{"start_week": 0, "length_weeks": 1, "peak_multiplier": 1,
                        "origin_mix": [{"group": "g", "share": 1}]}],
            "origin_groups": [{"name": "g", "share": 1,
                               "skills": {"low": 1, "mid": 0, "high": 0},
                               "household_sizes": [1], "recognition_probability": 1}]
        },
        "labour_market": {"shocks": [{"start_week": 0, "length_weeks": 1}]},
        "policy": {
            "early_work_access_weeks": 1,
            "family_reunion": {"annual_cap": 1},
            "community_sponsorship": {"regions": ["r"]},
            "adaptive_capacity": [{"target": "reception", "trigger": 1, "step": 1}],
            "adaptation": [{"name": "a", "signpost": {"indicator": "arrivals"},
                            "trigger": {"above": 1, "below": 1},
                            "release": {"above": 1, "below": 1},
                            "actions": [{"name": "x", "lever": "reception_places", "step": 1,
                                         "max": 1, "tipping_point": 1,
                                         "to": "population_share", "regions": ["r"]}]}]
        },
        "wildcards": [{"name": "w", "kind": "arrival_surge",
                       "probability_per_year": 1, "rate_per_year": 1,
                       "size": {"distribution": "fixed", "value": 1, "low": 1, "high": 1,
                                "mode": 1, "median": 1, "sigma": 0, "max": 1},
                       "duration_weeks": {"distribution": "fixed", "value": 1, "low": 1,
                                          "high": 1, "mode": 1, "median": 1, "sigma": 0,
                                          "max": 1},
                       "origins": ["g"], "regions": ["r"], "services": ["language"]}],
        "drivers": [{"name": "d", "kind": "conflict", "origins": ["g"],
                     "path": [{"week": 0, "value": 1}], "start": 1, "trend_per_year": 0,
                     "volatility_per_year": 0, "reversion_per_year": 0,
                     "regimes": [{"level": 1, "mean_weeks": 1}],
                     "elasticity": {"arrivals": 1,
                                    "job_finding": {"low": 0, "mid": 0, "high": 0},
                                    "job_loss": {"low": 0, "mid": 0, "high": 0}}}]
    });
    Format {
        name: "scenario",
        from: None,
        to: Some("## Experiment files"),
        example: read_as::<Scenario>(example).expect("the example is a scenario"),
        read: read_as::<Scenario>,
        apart: &[],
    }
}

fn experiment_format() -> Format {
    let example = json!({
        "experiment": "e",
        "world": "world.yaml",
        "seed": 1,
        "sampling": {"levels": 4},
        "scenarios": [{"name": "s"}],
        "policies": [{"name": "p", "capacities": [
            {"name": "r", "reception_places": 1, "services": {}, "housing": {}}]}],
        "uncertainties": [{"name": "u", "field": "arrivals.weekly_rate",
                           "distribution": {"discrete": {"values": [1], "weights": [1]}}}],
        "thresholds": [{"indicator": "total_cost",
                        "below": 1, "at_most": 1, "above": 1, "at_least": 1}]
    });
    Format {
        name: "experiment",
        from: Some("## Experiment files"),
        to: None,
        example: read_as::<ExperimentFile>(example).expect("the example is an experiment"),
        read: read_as::<ExperimentFile>,
        // Distributions have a table of their own; a capacities item is a
        // mapping that the experiment checks once read.
        apart: &["uncertainties[].distribution.", "policies[].capacities[]."],
    }
}

fn formats() -> [Format; 2] {
    [scenario_format(), experiment_format()]
}

impl Format {
    fn fields(&self) -> Vec<(Path, Value)> {
        let mut all = Vec::new();
        paths(&self.example, &mut Vec::new(), &mut all);
        all
    }

    fn is_apart(&self, path: &str) -> bool {
        self.apart.iter().any(|a| path.starts_with(a))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Item,
}

type Path = Vec<Seg>;

/// `regions[].housing.small_units_per_week`, the docs' spelling.
fn show(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if s.is_empty() => s.push_str(k),
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k)
            }
            Seg::Item => s.push_str("[]"),
        }
    }
    s
}

/// Every field path of `v`, lists of mappings walked through their first item.
fn paths(v: &Value, prefix: &mut Path, out: &mut Vec<(Path, Value)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                prefix.push(Seg::Key(k.clone()));
                out.push((prefix.clone(), child.clone()));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            if let Some(first @ Value::Object(_)) = items.first() {
                prefix.push(Seg::Item);
                paths(first, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn get<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.get(k),
        Seg::Item => v.get(0),
    })
}

/// The example without the field at `path`, read and serialised again: the
/// value the code gives at `at`, or `None` if the file is refused.
fn without(f: &Format, path: &[Seg], at: &[Seg]) -> Option<Value> {
    let mut v = f.example.clone();
    let (last, parent) = path.split_last().expect("a field path");
    let Seg::Key(key) = last else {
        unreachable!("only keys are removed")
    };
    let mut node = &mut v;
    for seg in parent {
        node = match seg {
            Seg::Key(k) => node.get_mut(k).expect("path in example"),
            Seg::Item => node.get_mut(0).expect("item in example"),
        };
    }
    node.as_object_mut()
        .expect("parent is a mapping")
        .remove(key);
    let back = (f.read)(v)?;
    Some(get(&back, at).cloned().unwrap_or(Value::Null))
}

/// What the code does when a field is not written.
#[derive(Debug)]
struct CodeDefault {
    /// Leaving out an enclosing block (every enclosing block that may be
    /// left out gives the same value, or `conflict` says otherwise).
    block: Option<Value>,
    /// Leaving out the field itself from a written block.
    field: Option<Value>,
    conflict: Option<String>,
}

impl CodeDefault {
    /// The documented default: the block's, or the field's when no
    /// enclosing block may be left out. `None`: required.
    fn documented(&self) -> Option<&Value> {
        self.block.as_ref().or(self.field.as_ref())
    }
}

fn code_default(f: &Format, path: &[Seg]) -> CodeDefault {
    // Blocks end at a list item: leaving out `regions` is not a default of
    // `regions[].attitude`.
    let start = path
        .iter()
        .rposition(|s| *s == Seg::Item)
        .map_or(1, |i| i + 2);
    let mut block: Option<(String, Value)> = None;
    let mut conflict = None;
    for end in start..path.len() {
        if let Some(v) = without(f, &path[..end], path) {
            match &block {
                None => block = Some((show(&path[..end]), v)),
                Some((outer, w)) if !same(w, &v) => {
                    conflict.get_or_insert(format!(
                        "leaving out `{outer}` gives {w}, but leaving out `{}` gives {v}",
                        show(&path[..end])
                    ));
                }
                Some(_) => {}
            }
        }
    }
    CodeDefault {
        block: block.map(|(_, v)| v),
        field: without(f, path, path),
        conflict,
    }
}

/// Values equal, numbers compared as numbers (`0.10` is `0.1`, `2/3` is
/// 0.666…).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        _ => a == b,
    }
}

/// One row of a field table.
struct Row {
    line: usize,
    path: String,
    default: String,
}

/// The format's part of the docs: the field tables' rows, and the
/// per-service table as `services.<name>.<field>` → cell.
fn read_docs(f: &Format) -> (Vec<Row>, BTreeMap<String, (usize, String)>) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/scenario-format.md"
    ))
    .expect("docs/scenario-format.md");
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let mut rows = Vec::new();
    let mut matrix = BTreeMap::new();
    let mut table: Option<Vec<String>> = None;
    let mut inside = f.from.is_none();
    for (i, line) in text.lines().enumerate() {
        if f.from.is_some_and(|h| line.starts_with(h)) {
            inside = true;
        } else if f.to.is_some_and(|h| line.starts_with(h)) {
            break;
        }
        if !inside {
            continue;
        }
        if !line.starts_with('|') {
            table = None;
            continue;
        }
        if line.starts_with("|---") {
            continue;
        }
        let row = cells(line);
        let Some(header) = &table else {
            table = Some(row);
            continue;
        };
        if header[0] == "field path" {
            let default = header.iter().position(|h| h == "default");
            rows.push(Row {
                line: i + 1,
                path: row[0].trim_matches('`').to_string(),
                default: row[default.expect("a `default` column")].clone(),
            });
        } else if header[0] == "service" {
            let service = row[0].trim_matches('`');
            for (field, cell) in header.iter().zip(&row).skip(1) {
                matrix.insert(
                    format!("services.{service}.{}", field.trim_matches('`')),
                    (i + 1, cell.clone()),
                );
            }
        }
    }
    (rows, matrix)
}

/// A default cell, read as described at the top of this file.
#[derive(Debug, Default)]
struct Cell {
    required: bool,
    /// The leading value(s): three for a tier triple.
    values: Vec<Value>,
    from_table: bool,
    /// What a written block gives when the field is left out, if the cell says.
    written: Option<Written>,
}

#[derive(Debug)]
enum Written {
    Required,
    Value(Value),
}

fn read_cell(cell: &str) -> Cell {
    let text = cell.replace("**", "");
    let lower = text.to_lowercase();
    let mut c = Cell {
        required: lower.starts_with("required"),
        from_table: lower.starts_with("the table below"),
        ..Cell::default()
    };
    if let Some(i) = lower.find(" in a written block") {
        let before = text[..i].trim_end();
        let word = before.rsplit([' ', ',', ';']).next().unwrap_or("");
        c.written = Some(if word.eq_ignore_ascii_case("required") {
            Written::Required
        } else {
            Written::Value(
                leading_values(word)
                    .into_iter()
                    .next()
                    .unwrap_or(Value::Null),
            )
        });
    }
    if !c.required && !c.from_table {
        c.values = leading_values(&text);
    }
    c
}

/// The value(s) a cell starts with; empty if it starts with words.
fn leading_values(text: &str) -> Vec<Value> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix('`') {
        let code = &rest[..rest.find('`').unwrap_or(rest.len())];
        return vec![match code {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "[]" => json!([]),
            "{}" => json!({}),
            _ => match code.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
                Some(s) => Value::String(s.to_string()),
                None => Value::String(code.to_string()),
            },
        }];
    }
    if text.starts_with("absent") {
        return vec![Value::Null];
    }
    let end = text
        .find(|ch: char| !(ch.is_ascii_digit() || " ./-".contains(ch)))
        .unwrap_or(text.len());
    text[..end]
        .split(" / ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(|s| {
            let n = match s.split_once('/') {
                Some((a, b)) => a.parse::<f64>().ok()? / b.parse::<f64>().ok()?,
                None => s.parse::<f64>().ok()?,
            };
            serde_json::Number::from_f64(n).map(Value::Number)
        })
        .collect()
}

/// The docs row paths a field path of the code is listed under.
fn row_keys(path: &str) -> Vec<String> {
    let mut keys = vec![path.to_string()];
    for s in SERVICES {
        let prefix = format!("services.{s}.");
        if let Some(rest) = path.strip_prefix(&prefix) {
            keys.push(format!("services.<service>.{rest}"));
        }
    }
    for tier in [".low", ".mid", ".high"] {
        if let Some(mapping) = path.strip_suffix(tier) {
            keys.push(format!("{mapping}.{{low,mid,high}}"));
        }
    }
    keys
}

fn show_default(d: Option<&Value>) -> String {
    d.map_or("required".into(), Value::to_string)
}

#[test]
fn the_examples_fill_every_list_and_option() {
    // A list left empty here would hide its items' fields from every check.
    for f in formats() {
        let empty: Vec<String> = f
            .fields()
            .iter()
            .filter(|(_, v)| v.is_null() || v.as_array().is_some_and(Vec::is_empty))
            .map(|(p, _)| show(p))
            .collect();
        assert!(
            empty.is_empty(),
            "give these an item or a value in the {} example: {empty:?}",
            f.name
        );
    }
}

#[test]
fn leaving_out_any_enclosing_block_gives_the_same_default() {
    let mut conflicts = Vec::new();
    for f in formats() {
        for (p, _) in f.fields() {
            if let Some(c) = code_default(&f, &p).conflict {
                conflicts.push(format!("{} file, {}: {c}", f.name, show(&p)));
            }
        }
    }
    assert!(conflicts.is_empty(), "\n{}", conflicts.join("\n"));
}

#[test]
fn every_field_has_a_docs_row_and_every_row_a_field() {
    let mut problems = Vec::new();
    for f in formats() {
        let (rows, _) = read_docs(&f);
        let documented: BTreeSet<&str> = rows.iter().map(|r| r.path.as_str()).collect();
        let mut known = BTreeSet::new();
        for (p, v) in f.fields() {
            let name = show(&p);
            let keys = row_keys(&name);
            known.extend(keys.clone());
            // Mappings may be described by their fields' rows alone.
            if !v.is_object()
                && !f.is_apart(&name)
                && !keys.iter().any(|k| documented.contains(k.as_str()))
            {
                problems.push(format!("{} file, {name}: no row in the docs", f.name));
            }
        }
        for r in &rows {
            if !known.contains(&r.path) {
                problems.push(format!(
                    "docs line {}: `{}` is not a field of the {} format",
                    r.line, r.path, f.name
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_default_in_the_docs_is_the_codes() {
    let mut problems = Vec::new();
    for f in formats() {
        check_defaults(&f, &mut problems);
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

fn check_defaults(f: &Format, problems: &mut Vec<String>) {
    let all = f.fields();
    let (rows, matrix) = read_docs(f);
    for r in &rows {
        let cell = read_cell(&r.default);
        let tiers = r.path.strip_suffix(".{low,mid,high}");
        // The code's fields this row speaks for.
        let fields: Vec<&(Path, Value)> = all
            .iter()
            .filter(|(p, _)| row_keys(&show(p)).contains(&r.path) && !f.is_apart(&show(p)))
            .collect();
        let mut say = |what: String| {
            problems.push(format!(
                "docs line {} `{}` (default `{}`): {what}",
                r.line, r.path, r.default
            ))
        };
        for (p, v) in fields {
            let name = show(p);
            let code = code_default(f, p);
            let documented = code.documented();
            if cell.required != documented.is_none() {
                say(format!(
                    "{name}: the code's default is {}",
                    show_default(documented)
                ));
                continue;
            }
            let Some(value) = documented else { continue };
            // The value the docs give for this field.
            let expected = if cell.from_table && !v.is_object() {
                // Compared with the code below, with the rest of the table.
                if !matrix.contains_key(&name) {
                    say(format!("{name}: no entry in the service table"));
                }
                Some(value.clone())
            } else if tiers.is_some() {
                let tier = ["low", "mid", "high"]
                    .iter()
                    .position(|t| name.ends_with(t));
                tier.and_then(|t| cell.values.get(t).cloned())
            } else {
                cell.values.first().cloned()
            };
            let absent = value.is_null() || value.as_array().is_some_and(Vec::is_empty);
            match expected {
                // A mapping's row describes its fields' defaults in words.
                _ if v.is_object() => {}
                Some(e) if same(&e, value) => {}
                Some(e) => say(format!("{name}: the docs say {e}, the code gives {value}")),
                // Words may say what an absent or empty field means.
                None if absent => {}
                None => say(format!(
                    "{name}: no value to compare; the code gives {value}"
                )),
            }
            // A written block that leaves the field out.
            match (&code.field, &cell.written) {
                (None, Some(Written::Required)) => {}
                (None, None) if tiers.is_some() => {}
                (None, _) => say(format!(
                    "{name}: a written block without it is refused; say `required in a written block`"
                )),
                (Some(w), Some(Written::Value(d))) if same(w, d) => {}
                (Some(w), None) if same(w, value) => {}
                (Some(w), _) => say(format!(
                    "{name}: in a written block the code gives {w}; say `{w} in a written block` \
                     only where it differs from {value}"
                )),
            }
        }
        // An optional tier mapping left out is `absent`, one value for all three.
        let absent = cell.values == [Value::Null];
        if tiers.is_some() && !cell.required && !absent && cell.values.len() != 3 {
            say("expected three values `low / mid / high`".into());
        }
    }
    for (name, (line, cell)) in &matrix {
        let Some((p, _)) = all.iter().find(|(p, _)| show(p) == *name) else {
            problems.push(format!(
                "docs line {line}: service table entry `{name}` is not a field"
            ));
            continue;
        };
        let expected = leading_values(cell).into_iter().next();
        match (code_default(f, p).documented(), expected) {
            (Some(v), Some(e)) if same(v, &e) => {}
            (v, _) => problems.push(format!(
                "docs line {line}: service table `{name}` = `{cell}`, the code gives {}",
                show_default(v)
            )),
        }
    }
}
