//! Relative changes, for planners who think "+50% language seats": in an
//! experiment's scenario `changes` and a policy's `levers` and
//! `capacities`, a number may be written as `{multiplier: 1.5}`, the value
//! it changes times 1.5; and a list of named items (a policy's
//! `capacities`, a scenario's `regions` or `origin_groups`) may hold an
//! item named `all` that changes every item of the list.
//!
//! [`resolve`] turns such a change into the plain change that
//! [`merge`](super::patch::merge) merges, against the value it is merged
//! into: the world for a scenario; the scenario's world for a policy, so
//! that a policy's multiplier scales what each future has. An `all` item is
//! repeated for every item, in its place in the list, so an item naming one
//! region after it overrides it for that region. The rules are those of
//! "Relative changes" in `docs/scenario-format.md`.

use serde_json::{Map, Value};

/// The name of an item that changes every item of its list.
pub const ALL: &str = "all";

/// The key of a relative number.
pub const MULTIPLIER: &str = "multiplier";

/// A problem in a change: where it was written, relative to the change
/// (`services.language.seats`, `[2].reception_places`), and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

/// `change` with every `{multiplier: m}` replaced by the number it makes
/// from the value it changes in `base`, and every `all` item repeated for
/// each named item of `base`'s list. Every problem is returned.
pub fn resolve(change: &Value, base: &Value) -> Result<Value, Vec<Problem>> {
    let mut problems = Vec::new();
    let v = walk(change, Some(base), "", &mut problems);
    if problems.is_empty() {
        Ok(v)
    } else {
        Err(problems)
    }
}

/// `path` followed by a key (`.key`) or an index (`[i]`).
pub fn join(path: &str, step: &str) -> String {
    if path.is_empty() || step.starts_with('[') {
        format!("{path}{step}")
    } else {
        format!("{path}.{step}")
    }
}

fn walk(change: &Value, base: Option<&Value>, path: &str, problems: &mut Vec<Problem>) -> Value {
    let mut problem = |message: String| {
        problems.push(Problem {
            path: path.to_string(),
            message,
        })
    };
    match change {
        Value::Object(map) if map.len() == 1 && map.contains_key(MULTIPLIER) => {
            let m = &map[MULTIPLIER];
            let Some(m) = m.as_f64().filter(|m| m.is_finite() && *m >= 0.0) else {
                problem(format!(
                    "a multiplier is a number, 0 or more, e.g. `{{multiplier: 1.5}}` for 50% more; found {m}"
                ));
                return change.clone();
            };
            match base {
                Some(Value::Number(n)) => scaled(n, m),
                // A schedule: every step scaled, as `mode: multiply` does.
                Some(Value::Array(steps)) if super::patch::is_schedule(steps) => Value::Array(
                    steps
                        .iter()
                        .map(|step| {
                            let mut step = step.clone();
                            if let Some(n) = step["value"].as_number().cloned() {
                                step["value"] = scaled(&n, m);
                            }
                            step
                        })
                        .collect(),
                ),
                Some(_) => {
                    problem("a multiplier scales a number, and the world's value here is not one: write the value itself".into());
                    change.clone()
                }
                None => {
                    problem("a multiplier scales the world's value, and the world has none here: write the value itself".into());
                    change.clone()
                }
            }
        }
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let b = base.and_then(|b| b.get(k));
                out.insert(k.clone(), walk(v, b, &join(path, k), problems));
            }
            Value::Object(out)
        }
        Value::Array(items) if items.iter().all(named) => {
            let base_items: &[Value] = base.and_then(Value::as_array).map_or(&[], Vec::as_slice);
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let here = join(path, &format!("[{i}]"));
                let name = item.get("name").and_then(Value::as_str);
                let same = |b: &&Value| b.get("name").and_then(Value::as_str) == name;
                match base_items.iter().find(same) {
                    Some(b) => out.push(walk(item, Some(b), &here, problems)),
                    None if name == Some(ALL) => {
                        if base_items.is_empty() {
                            problems.push(Problem {
                                path: here.clone(),
                                message: "`all` changes every item of the list, and the world's list is empty".into(),
                            });
                        }
                        for b in base_items {
                            let mut one = walk(item, Some(b), &here, problems);
                            one["name"] = b["name"].clone();
                            out.push(one);
                        }
                    }
                    None => out.push(walk(item, None, &here, problems)),
                }
            }
            Value::Array(out)
        }
        other => other.clone(),
    }
}

fn named(v: &Value) -> bool {
    v.get("name").is_some_and(Value::is_string)
}

/// `n × m`; a whole number stays whole (rounded to the nearest), as the
/// field it is in requires.
fn scaled(n: &serde_json::Number, m: f64) -> Value {
    let x = n.as_f64().unwrap_or(0.0) * m;
    if (n.is_u64() || n.is_i64()) && (0.0..=9.0e15).contains(&x) {
        Value::from(x.round() as u64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn world() -> Value {
        json!({
            "arrivals": {"weekly_rate": 400.0},
            "regions": [
                {"name": "capital", "reception_places": 3000, "services": {"language": {"seats": 520}}},
                {"name": "north", "reception_places": 1001, "services": {"language": {"seats": 0}}}
            ]
        })
    }

    #[test]
    fn a_multiplier_scales_the_value_it_changes_and_whole_numbers_stay_whole() {
        let change = json!({
            "arrivals": {"weekly_rate": {"multiplier": 1.25}},
            "regions": [{"name": "north", "reception_places": {"multiplier": 1.5}}]
        });
        assert_eq!(
            resolve(&change, &world()).unwrap(),
            json!({
                "arrivals": {"weekly_rate": 500.0},
                "regions": [{"name": "north", "reception_places": 1502}]
            })
        );
    }

    #[test]
    fn a_multiplier_scales_every_step_of_a_schedule() {
        let base = json!({"weekly_rate": [
            {"from_week": 0, "value": 7400.0},
            {"from_week": 31, "value": 19600.0}
        ]});
        let change = json!({"weekly_rate": {"multiplier": 0.5}});
        assert_eq!(
            resolve(&change, &base).unwrap(),
            json!({"weekly_rate": [
                {"from_week": 0, "value": 3700.0},
                {"from_week": 31, "value": 9800.0}
            ]})
        );
    }

    #[test]
    fn all_changes_every_region_and_a_named_region_after_it_overrides() {
        let change = json!([
            {"name": "all", "services": {"language": {"seats": {"multiplier": 1.5}}}},
            {"name": "north", "services": {"language": {"seats": 40}}}
        ]);
        let base = world()["regions"].clone();
        let resolved = resolve(&change, &base).unwrap();
        assert_eq!(
            resolved,
            json!([
                {"name": "capital", "services": {"language": {"seats": 780}}},
                {"name": "north", "services": {"language": {"seats": 0}}},
                {"name": "north", "services": {"language": {"seats": 40}}}
            ])
        );
        let mut merged = base.clone();
        super::super::patch::merge(&mut merged, &resolved);
        assert_eq!(merged[0]["services"]["language"]["seats"], 780);
        assert_eq!(merged[1]["services"]["language"]["seats"], 40);
        assert_eq!(merged[0]["reception_places"], 3000, "untouched");
    }

    #[test]
    fn problems_say_where_and_what_to_write() {
        let change = json!({
            "arrivals": {"weekly_rate": {"multiplier": -1}, "nothing": {"multiplier": 2}},
            "regions": [
                {"name": "south", "reception_places": {"multiplier": 2}},
                {"name": "capital", "services": {"multiplier": 2}}
            ]
        });
        let problems = resolve(&change, &world()).unwrap_err();
        let got: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.message.split(',').next().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("arrivals.nothing", "a multiplier scales the world's value"),
                ("arrivals.weekly_rate", "a multiplier is a number"),
                (
                    "regions[0].reception_places",
                    "a multiplier scales the world's value"
                ),
                ("regions[1].services", "a multiplier scales a number"),
            ]
        );
        assert!(problems[1].message.ends_with("found -1"));
    }

    #[test]
    fn plain_changes_pass_through() {
        let change = json!({"regions": [{"name": "capital", "reception_places": 10}], "x": [1, 2]});
        assert_eq!(resolve(&change, &world()).unwrap(), change);
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("a", "[0]"), "a[0]");
        assert_eq!(join("a[0]", "b"), "a[0].b");
    }
}
