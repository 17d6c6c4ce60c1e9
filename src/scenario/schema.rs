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
"#;

/// Known paths with list indices written `[]`, and which of them are mappings.
struct Schema {
    fields: BTreeSet<String>,
    mappings: BTreeSet<String>,
}

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let example: Scenario = serde_saphyr::from_str(EXAMPLE).expect("schema example parses");
        let value = serde_json::to_value(&example).expect("scenario serialises");
        let mut s = Schema {
            fields: BTreeSet::new(),
            mappings: BTreeSet::new(),
        };
        walk(&value, String::new(), &mut s);
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

/// Every key in the file that the format does not know, under a mapping it
/// does know (so one misspelt section is one problem, not one per field).
pub fn unknown_fields(locator: &Locator, file: &str) -> Vec<Problem> {
    let s = schema();
    let mut problems = Vec::new();
    for (path, pos) in locator.keys() {
        let norm = normalise(path);
        let (parent, key) = match norm.rfind('.') {
            Some(i) => (&norm[..i], &norm[i + 1..]),
            None => ("", norm.as_str()),
        };
        if !s.mappings.contains(parent) || s.fields.contains(&norm) {
            continue;
        }
        let siblings: Vec<&str> = s
            .fields
            .iter()
            .filter_map(|f| {
                let (p, k) = match f.rfind('.') {
                    Some(i) => (&f[..i], &f[i + 1..]),
                    None => ("", f.as_str()),
                };
                (p == parent).then_some(k)
            })
            .collect();
        let suggestion = siblings
            .iter()
            .map(|k| (edit_distance(key, k), *k))
            .filter(|(d, k)| *d <= 3.max(k.len() / 4))
            .min();
        let mut message = format!("unknown field `{key}`");
        if let Some((_, k)) = suggestion {
            message.push_str(&format!("; did you mean `{k}`?"));
        }
        message.push_str(&format!(" (expected one of: {})", siblings.join(", ")));
        problems.push(Problem {
            file: file.to_string(),
            path: path.clone(),
            line: Some(pos.line),
            column: Some(pos.column),
            message,
        });
    }
    problems
}

/// Levenshtein distance, for suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
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
        ] {
            assert!(s.fields.contains(f), "{f}");
        }
    }
}
