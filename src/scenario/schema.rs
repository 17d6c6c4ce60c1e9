//! The set of field paths a scenario may contain, derived from the format's
//! own types (by serialising an example with every list and option filled),
//! so that every unknown field in a file can be reported at once, with a
//! suggestion, instead of only the first.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use super::Problem;
use super::locate::Locator;
use super::types::Scenario;

/// A scenario with one item in every list and every option set.
const EXAMPLE: &str = r#"
name: x
horizon_weeks: 1
start_date: 2015-01-05
regions:
  - name: r
    population: 1
    reception_places: 1
    jobs: {low: 1, mid: 1, high: 1}
arrivals:
  weekly_rate: 1
  surges: [{start_week: 0, length_weeks: 1, peak_multiplier: 1, origin_mix: [{group: g, share: 1}]}]
  origin_groups:
    - {name: g, share: 1, skills: {low: 1, mid: 0, high: 0}, household_sizes: [1], recognition_probability: 1}
labour_market:
  automation_annual_rate: {low: 0, mid: 0, high: 0}
  shocks: [{start_week: 0, length_weeks: 1}]
policy:
  early_work_access_weeks: 1
  family_reunion: {annual_cap: 1}
  community_sponsorship: {regions: [r]}
  adaptive_capacity: [{target: reception, trigger: 1, step: 1}]
  adaptation:
    - name: a
      signpost: {indicator: arrivals}
      trigger: {above: 1, below: 1}
      release: {above: 1, below: 1}
      actions: [{name: x, lever: reception_places, step: 1, max: 1, tipping_point: 1, to: population_share, regions: [r]}]
wildcards:
  - name: w
    kind: arrival_surge
    probability_per_year: 1
    rate_per_year: 1
    size: {distribution: fixed, value: 1, low: 1, high: 1, mode: 1, median: 1, sigma: 0, max: 1}
    duration_weeks: {distribution: fixed, value: 1, low: 1, high: 1, mode: 1, median: 1, sigma: 0, max: 1}
    origins: [g]
    regions: [r]
    services: [language]
drivers:
  - name: d
    kind: conflict
    origins: [g]
    path: [{week: 0, value: 1}]
    start: 1
    trend_per_year: 0
    volatility_per_year: 0
    reversion_per_year: 0
    regimes: [{level: 1, mean_weeks: 1}]
    elasticity: {arrivals: 1, job_finding: {low: 0, mid: 0, high: 0}, job_loss: {low: 0, mid: 0, high: 0}}
"#;

/// Known paths with list indices written `[]`, which of them are mappings,
/// and the example itself (a value of the right kind for every path).
struct Schema {
    fields: BTreeSet<String>,
    mappings: BTreeSet<String>,
    example: serde_json::Value,
}

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let example: Scenario = serde_saphyr::from_str(EXAMPLE).expect("schema example parses");
        let value = serde_json::to_value(&example).expect("scenario serialises");
        let mut s = Schema {
            fields: BTreeSet::new(),
            mappings: BTreeSet::new(),
            example: serde_json::Value::Null,
        };
        walk(&value, String::new(), &mut s);
        s.example = value;
        s
    })
}

fn walk(v: &serde_json::Value, path: String, s: &mut Schema) {
    match v {
        serde_json::Value::Object(map) => {
            s.mappings.insert(path.clone());
            for (k, child) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                s.fields.insert(p.clone());
                walk(child, p, s);
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(first) = items.first() {
                walk(first, format!("{path}[]"), s);
            }
        }
        _ => {}
    }
}

/// `regions[3].jobs.low` → `regions[].jobs.low`.
fn normalise(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// The fields of the mapping at a path (`regions[2].jobs` → high, low, mid),
/// if the format has a mapping there.
pub fn fields_of(path: &str) -> Option<Vec<&'static str>> {
    let s = schema();
    let norm = normalise(path);
    s.mappings.contains(&norm).then(|| children(s, &norm))
}

/// Whether the format has a field at this path (indices written or not).
pub fn is_field(path: &str) -> bool {
    schema().fields.contains(&normalise(path))
}

/// The keys of the known mapping `parent` (a normalised path).
fn children<'a>(s: &'a Schema, parent: &str) -> Vec<&'a str> {
    s.fields
        .iter()
        .filter_map(|f| {
            let (p, k) = match f.rfind('.') {
                Some(i) => (&f[..i], &f[i + 1..]),
                None => ("", f.as_str()),
            };
            (p == parent).then_some(k)
        })
        .collect()
}

/// A valid value for the field at a path, as YAML text (JSON is YAML): the
/// stand-in for a wrong value, so that the rest of a file can be read.
pub fn example_text(path: &str) -> Option<String> {
    let mut v = &schema().example;
    for step in normalise(path).split('.') {
        let (key, lists) = match step.find('[') {
            Some(i) => (&step[..i], &step[i..]),
            None => (step, ""),
        };
        if !key.is_empty() {
            v = v.get(key)?;
        }
        for _ in 0..lists.matches("[]").count() {
            v = v.get(0)?;
        }
    }
    serde_json::to_string(v).ok()
}

/// A key of the file that the format does not know where it stands.
pub struct UnknownKey {
    /// The path it was read at.
    pub path: String,
    /// A known key of the same mapping it is probably a misspelling of.
    pub suggestion: Option<&'static str>,
    /// The mapping it belongs to, when the key is known there and its
    /// indentation put it in the wrong one.
    pub belongs_to: Option<String>,
    pub problem: Problem,
}

/// Every key in the file that the format does not know, under a mapping it
/// does know (so one misspelt section is one problem, not one per field).
pub fn unknown_fields(locator: &Locator, file: &str) -> Vec<Problem> {
    unknown_keys(locator, file)
        .into_iter()
        .map(|u| u.problem)
        .collect()
}

/// [`unknown_fields`], with what is known of each key.
pub fn unknown_keys(locator: &Locator, file: &str) -> Vec<UnknownKey> {
    let s = schema();
    let mut found = Vec::new();
    let keys = locator.keys();
    // A file of many unknown keys asks for the same lists many times.
    let mut siblings_of: std::collections::HashMap<String, Vec<&str>> = Default::default();
    for (i, (path, pos)) in keys.iter().enumerate() {
        let norm = normalise(path);
        let (parent, key) = match norm.rfind('.') {
            Some(i) => (&norm[..i], &norm[i + 1..]),
            None => ("", norm.as_str()),
        };
        if !s.mappings.contains(parent) || s.fields.contains(&norm) {
            continue;
        }
        let read_in = parent_of(path);
        let previous = i.checked_sub(1).map(|j| &keys[j]);
        let misplaced = misplaced(locator, read_in, key, pos.column, previous);
        let siblings = siblings_of
            .entry(parent.to_string())
            .or_insert_with(|| children(s, parent));
        let suggestion = siblings
            .iter()
            .map(|k| (edit_distance(key, k), *k))
            .filter(|(d, k)| *d <= 3.max(k.len() / 4))
            .min()
            .map(|(_, k)| k);
        let message = match &misplaced {
            Some((_, hint)) => hint.clone(),
            None => {
                let mut message = format!("unknown field `{key}`");
                if let Some(k) = suggestion {
                    message.push_str(&format!("; did you mean `{k}`?"));
                }
                message.push_str(&format!(" (expected one of: {})", siblings.join(", ")));
                message
            }
        };
        found.push(UnknownKey {
            path: path.clone(),
            suggestion: suggestion.filter(|_| misplaced.is_none()),
            belongs_to: misplaced.map(|(m, _)| m),
            problem: Problem {
                file: file.to_string(),
                path: path.clone(),
                line: Some(pos.line),
                column: Some(pos.column),
                message,
            },
        });
    }
    found
}

/// For a key of the file that the format does not know where it stands
/// but knows in a mapping next to it: that mapping, and the message.
pub fn misplaced_key(locator: &Locator, path: &str) -> Option<(String, String)> {
    let keys = locator.keys();
    let i = keys.iter().position(|(p, _)| p == path)?;
    let norm = normalise(path);
    let key = &norm[norm.rfind('.').map_or(0, |i| i + 1)..];
    let previous = i.checked_sub(1).map(|j| &keys[j]);
    misplaced(locator, parent_of(path), key, keys[i].1.column, previous)
}

/// `regions[0].jobs.low` → `regions[0].jobs`; a top-level key → "".
fn parent_of(path: &str) -> &str {
    match path.rfind('.') {
        Some(i) => &path[..i],
        None => "",
    }
}

fn describe_mapping(path: &str) -> String {
    if path.is_empty() {
        "the top level".to_string()
    } else {
        path.to_string()
    }
}

/// A key unknown in the mapping it was read in, but known in a mapping next
/// to it: its indentation put it in the wrong one. Returns the mapping it
/// belongs to and the message. `previous` is the key before it in the file.
fn misplaced(
    locator: &Locator,
    read_in: &str,
    key: &str,
    column: usize,
    previous: Option<&(String, super::locate::Position)>,
) -> Option<(String, String)> {
    let s = schema();
    let knows = |mapping: &str| {
        let norm = normalise(mapping);
        s.mappings.contains(&norm) && s.fields.contains(&join(&norm, key))
    };
    let line_of = |p: &str| locator.get(p).map_or(0, |pos| pos.line);
    let last_key = |p: &str| -> String {
        let k = &p[p.rfind('.').map_or(0, |i| i + 1)..];
        k.split('[').next().unwrap_or(k).to_string()
    };
    // Indented less than the key above it: it left a mapping that the key
    // above it (or one of that key's mappings) is, or stands in.
    let less = || -> Option<(String, String)> {
        let (prev, prev_pos) = previous?;
        if prev_pos.column <= column {
            return None;
        }
        let mut c = prev.as_str();
        while c.len() > read_in.len() && c.starts_with(read_in) {
            if knows(c) {
                let (reference, how) = if c == prev.as_str() {
                    (
                        prev.clone(),
                        format!("indent it under `{}`", last_key(prev)),
                    )
                } else {
                    let rest = &prev[c.len()..].trim_start_matches('.');
                    let end = rest.find(['.', '[']).unwrap_or(rest.len());
                    let r = join(c, &rest[..end]);
                    let how = format!("line it up with `{}`", last_key(&r));
                    (r, how)
                };
                return Some((
                    c.to_string(),
                    format!(
                        "`{key}` belongs to {c}, but it is indented less than `{}` on line {}, \
                         so it was read as a field of {}; {how}",
                        last_key(&reference),
                        line_of(&reference),
                        describe_mapping(read_in),
                    ),
                ));
            }
            c = &c[..c.rfind(['.', '['])?];
        }
        None
    };
    // Indented like the fields of a mapping it does not belong to: it
    // belongs to a mapping around that one.
    let more = || -> Option<(String, String)> {
        let mut a = read_in;
        while !a.is_empty() {
            a = a.rfind(['.', '[']).map_or("", |i| &read_in[..i]);
            if knows(a) {
                let rest = read_in[a.len()..].trim_start_matches('.');
                let end = rest.find(['.', '[']).unwrap_or(rest.len());
                let r = join(a, &rest[..end]);
                return Some((
                    a.to_string(),
                    format!(
                        "`{key}` belongs to {}, but it is indented more than `{}` on line {}, \
                         so it was read as a field of {read_in}; line it up with `{}`",
                        describe_mapping(a),
                        last_key(&r),
                        line_of(&r),
                        last_key(&r),
                    ),
                ));
            }
        }
        None
    };
    // Indented like the key above it, whose value is empty: it was meant
    // as that key's first field.
    let first_field = || -> Option<(String, String)> {
        let (prev, prev_pos) = previous?;
        let empty = locator.value_span(prev).is_some_and(|v| v.bytes.is_empty());
        (empty && parent_of(prev) == read_in && prev_pos.column == column && knows(prev)).then(
            || {
                (
                    prev.clone(),
                    format!(
                        "`{key}` belongs to {prev}, but it is indented like `{}` on line {}, \
                         so it was read as a field of {}; indent it under `{}`",
                        last_key(prev),
                        prev_pos.line,
                        describe_mapping(read_in),
                        last_key(prev),
                    ),
                )
            },
        )
    };
    if let Some(found) = first_field() {
        return Some(found);
    }
    let under = previous.is_some_and(|(_, p)| p.column > column);
    if under {
        less().or_else(more)
    } else {
        more().or_else(less)
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// Levenshtein distance, for suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_typo_is_reported_with_a_suggestion() {
        let text = "name: x\nhorizon_week: 3\nregions:\n  - name: a\n    reception_place: 3\n    services: {language: {seat: 2}}\n";
        let problems = unknown_fields(&Locator::new(text), "f.yaml");
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "horizon_week",
                "regions[0].reception_place",
                "regions[0].services.language.seat"
            ]
        );
        assert!(
            problems[0]
                .message
                .contains("did you mean `horizon_weeks`?")
        );
        assert!(
            problems[1]
                .message
                .contains("did you mean `reception_places`?")
        );
        assert!(problems[2].message.contains("did you mean `seats`?"));
        assert_eq!(problems[1].line, Some(5));
    }

    #[test]
    fn the_schema_knows_nested_list_fields() {
        let s = schema();
        for f in [
            "regions[].services.mental_health.seats",
            "arrivals.surges[].origin_mix[].share",
            "policy.adaptive_capacity[].lead_time_weeks",
            "labour_market.shocks[].job_loss_share.high",
            "services.language.duration",
            "wildcards[].size.median",
            "wildcards[].tier_weights.low",
            "policy.adaptation[].actions[].cost.setup_per_unit",
            "policy.adaptation[].release.min_hold_weeks",
            "drivers[].regimes[].mean_weeks",
            "drivers[].elasticity.job_loss.high",
            "drivers[].path[].value",
        ] {
            assert!(s.fields.contains(f), "{f}");
        }
    }
}
