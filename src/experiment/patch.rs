//! The patch language of experiment files: how a scenario (as a JSON value,
//! every default filled in) is changed before it is read back as a
//! [`Scenario`](crate::scenario::Scenario).
//!
//! - [`merge`] merges a partial scenario: a scenario's `changes`, a policy's
//!   `levers` and `capacities`. Mappings merge key by key, lists of named
//!   items item by item by `name`, anything else is replaced.
//! - [`FieldPath`] addresses numbers, as an uncertainty's `field` does:
//!   `arrivals.weekly_rate`, `regions[capital].attitude` (by name),
//!   `arrivals.origin_groups[0].share` (by index), `regions[*].attitude`
//!   (every item); [`FieldPath::apply`] sets or multiplies them, and
//!   [`FieldPath::set`] replaces any value (a number, a switch, a mapping),
//!   as overrides by path do (`experiment::fields`).
//!
//! The rules are those of "Merge rules" and "Field paths" in
//! `docs/scenario-format.md`.

use serde_json::Value;

use super::format::Mode;

/// Merge `change` into `base`: mappings key by key, lists of named items by
/// name (new names are appended), anything else replaced.
pub fn merge(base: &mut Value, change: &Value) {
    match (base, change) {
        (Value::Object(b), Value::Object(c)) => {
            for (k, v) in c {
                match b.get_mut(k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(c))
            if c.iter().all(named) && b.iter().all(named) && !c.is_empty() =>
        {
            for item in c {
                let name = item.get("name");
                match b.iter_mut().find(|x| x.get("name") == name) {
                    Some(slot) => merge(slot, item),
                    None => b.push(item.clone()),
                }
            }
        }
        (b, c) => *b = c.clone(),
    }
}

fn named(v: &Value) -> bool {
    v.get("name").is_some_and(Value::is_string)
}

/// A parsed field path, e.g. `regions[capital].housing.small_units_per_week`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    /// The path as written, for messages.
    text: String,
    steps: Vec<Step>,
}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    Name(String),
    All,
}

impl FieldPath {
    /// Read a field path; the error says what was expected.
    pub fn parse(field: &str) -> Result<FieldPath, String> {
        let mut steps = Vec::new();
        for part in field.split('.') {
            let (key, rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if key.is_empty() {
                return Err(format!(
                    "'{field}' is not a field path like `arrivals.weekly_rate` or `regions[North].attitude`"
                ));
            }
            steps.push(Step::Key(key.to_string()));
            if !rest.is_empty() {
                let inner = rest
                    .strip_prefix('[')
                    .and_then(|r| r.strip_suffix(']'))
                    .filter(|r| !r.is_empty() && !r.contains(['[', ']']))
                    .ok_or_else(|| format!("'{part}' in '{field}': expected `name[index]`, `name[item name]` or `name[*]`"))?;
                steps.push(match inner {
                    "*" => Step::All,
                    _ => match inner.parse::<usize>() {
                        Ok(i) => Step::Index(i),
                        Err(_) => Step::Name(inner.to_string()),
                    },
                });
            }
        }
        Ok(FieldPath {
            text: field.to_string(),
            steps,
        })
    }

    /// Set (or multiply) every number the path addresses in `v`. Whole-number
    /// fields stay whole (rounded). An error names the path and what is
    /// missing; a path that addresses nothing (an empty list) is an error.
    pub fn apply(&self, v: &mut Value, mode: Mode, x: f64) -> Result<(), String> {
        let mut touched = 0;
        apply_steps(v, &self.steps, mode, x, &mut touched)
            .map_err(|m| format!("'{}': {m}", self.text))?;
        if touched == 0 {
            return Err(format!("'{}': no item matches", self.text));
        }
        Ok(())
    }

    /// Replace every value the path addresses in `v` by `new`, whatever its
    /// kind. A missing key of a mapping is added (with mappings on the way,
    /// so that `levers.mentoring.pairs_per_year` can be set where `levers`
    /// has no `mentoring`): whether it belongs there is for the reader of
    /// the value to say (unknown fields are refused there).
    pub fn set(&self, v: &mut Value, new: &Value) -> Result<(), String> {
        let mut touched = 0;
        set_steps(v, &self.steps, new, &mut touched)
            .map_err(|m| format!("'{}': {m}", self.text))?;
        if touched == 0 {
            return Err(format!("'{}': no item matches", self.text));
        }
        Ok(())
    }

    /// The path as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The first key of the path (`arrivals` in `arrivals.weekly_rate`).
    pub fn first_key(&self) -> &str {
        match self.steps.first() {
            Some(Step::Key(k)) => k,
            _ => "",
        }
    }

    /// The path without its first key (`weekly_rate` for
    /// `arrivals.weekly_rate`), or None if nothing follows it or it is
    /// followed by an index.
    pub fn rest(&self) -> Option<FieldPath> {
        match self.steps.get(1) {
            Some(Step::Key(_)) => {
                let (_, rest) = self.text.split_once('.')?;
                Some(FieldPath {
                    text: rest.to_string(),
                    steps: self.steps[1..].to_vec(),
                })
            }
            _ => None,
        }
    }
}

fn set_steps(
    v: &mut Value,
    steps: &[Step],
    new: &Value,
    touched: &mut usize,
) -> Result<(), String> {
    let Some((first, rest)) = steps.split_first() else {
        *v = new.clone();
        *touched += 1;
        return Ok(());
    };
    match first {
        Step::Key(k) => {
            let Value::Object(map) = v else {
                return Err(format!("`{k}` is set inside a value that is not a mapping"));
            };
            let child = map
                .entry(k.as_str())
                .or_insert_with(|| Value::Object(Default::default()));
            set_steps(child, rest, new, touched)
        }
        Step::Index(i) => match v.as_array_mut().and_then(|a| a.get_mut(*i)) {
            Some(child) => set_steps(child, rest, new, touched),
            None => Err(format!("no item [{i}]")),
        },
        Step::Name(name) => {
            let items = v.as_array_mut().ok_or("not a list")?;
            let child = items
                .iter_mut()
                .find(|item| item.get("name").and_then(Value::as_str) == Some(name))
                .ok_or_else(|| format!("no item named '{name}'"))?;
            set_steps(child, rest, new, touched)
        }
        Step::All => {
            for child in v.as_array_mut().ok_or("not a list")? {
                set_steps(child, rest, new, touched)?;
            }
            Ok(())
        }
    }
}

fn apply_steps(
    v: &mut Value,
    steps: &[Step],
    mode: Mode,
    x: f64,
    touched: &mut usize,
) -> Result<(), String> {
    let Some((first, rest)) = steps.split_first() else {
        // A schedule (steps of `from_week` and `value`): multiplying scales
        // every step; setting replaces it with one number for every week.
        if let Some(items) = v.as_array_mut().filter(|a| is_schedule(a)) {
            if mode == Mode::Multiply {
                for item in items {
                    apply_steps(&mut item["value"], &[], mode, x, touched)?;
                }
                return Ok(());
            }
            *v = Value::from(0.0);
        }
        let Value::Number(n) = &*v else {
            return Err("the field is not a number".into());
        };
        let whole = n.is_u64() || n.is_i64();
        let old = n.as_f64().unwrap_or(0.0);
        let new = match mode {
            Mode::Set => x,
            Mode::Multiply => old * x,
        };
        *v = if whole && (0.0..=9.0e15).contains(&new) {
            Value::from(new.round() as u64)
        } else {
            serde_json::Number::from_f64(new)
                .map(Value::Number)
                .ok_or("the sampled value is not finite")?
        };
        *touched += 1;
        return Ok(());
    };
    match first {
        Step::Key(k) => match v.get_mut(k.as_str()) {
            Some(child) => apply_steps(child, rest, mode, x, touched),
            None => Err(format!("no field `{k}` here")),
        },
        Step::Index(i) => match v.as_array_mut().and_then(|a| a.get_mut(*i)) {
            Some(child) => apply_steps(child, rest, mode, x, touched),
            None => Err(format!("no item [{i}]")),
        },
        Step::Name(name) => {
            let items = v.as_array_mut().ok_or("not a list")?;
            let child = items
                .iter_mut()
                .find(|item| item.get("name").and_then(Value::as_str) == Some(name))
                .ok_or_else(|| format!("no item named '{name}'"))?;
            apply_steps(child, rest, mode, x, touched)
        }
        Step::All => {
            for child in v.as_array_mut().ok_or("not a list")? {
                apply_steps(child, rest, mode, x, touched)?;
            }
            Ok(())
        }
    }
}

/// Whether a list is a schedule's steps (`src/scenario/types/schedule.rs`).
pub(super) fn is_schedule(items: &[Value]) -> bool {
    !items.is_empty()
        && items.iter().all(|i| {
            i.as_object().is_some_and(|o| {
                o.len() == 2 && o.contains_key("from_week") && o.contains_key("value")
            })
        })
}

/// Does an uncertainty's field path (with names or `*`) address a validation
/// path (with indices)? Compared on keys only.
pub(crate) fn field_matches(field: &str, path: &str) -> bool {
    let keys = |s: &str| -> Vec<String> {
        s.split('.')
            .map(|p| p.split('[').next().unwrap_or("").to_string())
            .collect()
    };
    keys(field) == keys(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(v: &mut Value, field: &str, mode: Mode, x: f64) -> Result<(), String> {
        FieldPath::parse(field)?.apply(v, mode, x)
    }

    #[test]
    fn a_schedule_is_multiplied_step_by_step_or_set_to_one_number() {
        let steps = json!([{"from_week": 0, "value": 100.5}, {"from_week": 52, "value": 50.5}]);
        let mut v = json!({"arrivals": {"weekly_rate": steps.clone()}});
        apply(&mut v, "arrivals.weekly_rate", Mode::Multiply, 2.0).unwrap();
        assert_eq!(
            v["arrivals"]["weekly_rate"],
            json!([{"from_week": 0, "value": 201.0}, {"from_week": 52, "value": 101.0}])
        );
        let mut v = json!({"arrivals": {"weekly_rate": steps}});
        apply(&mut v, "arrivals.weekly_rate", Mode::Set, 7.5).unwrap();
        assert_eq!(v["arrivals"]["weekly_rate"], json!(7.5));
    }

    #[test]
    fn merge_by_name_and_by_key() {
        let mut base = json!({"regions": [{"name": "A", "x": 1, "y": {"p": 1, "q": 2}}, {"name": "B", "x": 2}], "k": [1, 2]});
        merge(
            &mut base,
            &json!({"regions": [{"name": "B", "x": 5}, {"name": "C", "x": 7}], "k": [3]}),
        );
        assert_eq!(
            base,
            json!({"regions": [{"name": "A", "x": 1, "y": {"p": 1, "q": 2}}, {"name": "B", "x": 5}, {"name": "C", "x": 7}], "k": [3]})
        );
    }

    #[test]
    fn an_empty_list_replaces_and_a_list_of_unnamed_items_replaces() {
        let mut base = json!({"surges": [{"start_week": 1}], "named": [{"name": "A"}]});
        merge(
            &mut base,
            &json!({"surges": [{"start_week": 5}, {"start_week": 9}], "named": []}),
        );
        assert_eq!(
            base,
            json!({"surges": [{"start_week": 5}, {"start_week": 9}], "named": []})
        );
    }

    #[test]
    fn a_mapping_replaces_a_value_of_another_kind_and_new_keys_are_added() {
        let mut base = json!({"a": 1, "b": {"c": 2}});
        merge(&mut base, &json!({"a": {"x": 1}, "d": true}));
        assert_eq!(base, json!({"a": {"x": 1}, "b": {"c": 2}, "d": true}));
    }

    #[test]
    fn apply_fields() {
        let mut v = json!({"regions": [{"name": "A", "seats": 10, "w": 0.5}, {"name": "B", "seats": 20, "w": 0.5}], "a": {"rate": 100.0}});
        apply(&mut v, "a.rate", Mode::Set, 250.0).unwrap();
        apply(&mut v, "regions[*].seats", Mode::Multiply, 1.26).unwrap();
        apply(&mut v, "regions[B].w", Mode::Set, 0.25).unwrap();
        apply(&mut v, "regions[0].w", Mode::Multiply, 2.0).unwrap();
        assert_eq!(
            v,
            json!({"regions": [{"name": "A", "seats": 13, "w": 1.0}, {"name": "B", "seats": 25, "w": 0.25}], "a": {"rate": 250.0}})
        );
        assert!(FieldPath::parse("regions[").is_err());
    }

    #[test]
    fn a_path_that_misses_says_where() {
        let mut v = json!({"regions": [{"name": "A", "w": 0.5, "label": "x"}], "a": {"rate": 1.0}, "none": []});
        let err = |v: &mut Value, f: &str| apply(v, f, Mode::Set, 1.0).unwrap_err();
        assert_eq!(
            err(&mut v, "regions[C].w"),
            "'regions[C].w': no item named 'C'"
        );
        assert_eq!(err(&mut v, "regions[3].w"), "'regions[3].w': no item [3]");
        assert_eq!(
            err(&mut v, "a.nothing"),
            "'a.nothing': no field `nothing` here"
        );
        assert_eq!(
            err(&mut v, "regions[0].label"),
            "'regions[0].label': the field is not a number"
        );
        assert_eq!(err(&mut v, "a[*].rate"), "'a[*].rate': not a list");
        assert_eq!(err(&mut v, "none[*].w"), "'none[*].w': no item matches");
    }

    #[test]
    fn malformed_paths_are_refused_with_the_expected_form() {
        assert!(
            FieldPath::parse("a..b")
                .unwrap_err()
                .contains("is not a field path like")
        );
        for bad in ["a[", "a[]", "a[1]x", "a[[1]]"] {
            assert!(
                FieldPath::parse(bad)
                    .unwrap_err()
                    .contains("expected `name[index]`"),
                "{bad}"
            );
        }
        assert_eq!(
            FieldPath::parse("regions[2024].w").unwrap().steps[1],
            Step::Index(2024),
            "a bracket of digits is an index"
        );
    }

    #[test]
    fn whole_numbers_stay_whole_unless_negative() {
        let mut v = json!({"seats": 10, "rate": 2.0});
        apply(&mut v, "seats", Mode::Multiply, 1.04).unwrap();
        apply(&mut v, "rate", Mode::Multiply, 1.5).unwrap();
        assert_eq!(v, json!({"seats": 10, "rate": 3.0}));
        apply(&mut v, "seats", Mode::Set, -2.4).unwrap();
        assert_eq!(v, json!({"seats": -2.4, "rate": 3.0}));
        assert_eq!(
            apply(&mut v, "rate", Mode::Multiply, f64::INFINITY).unwrap_err(),
            "'rate': the sampled value is not finite"
        );
    }

    #[test]
    fn set_replaces_any_value_and_adds_missing_keys() {
        let mut v = json!({"policy": {"levers": {}}, "regions": [{"name": "A", "open": false}, {"name": "B", "open": false}]});
        let set = |v: &mut Value, f: &str, x: Value| FieldPath::parse(f)?.set(v, &x);
        set(&mut v, "policy.levers.mentoring.pairs_per_year", json!(650)).unwrap();
        set(&mut v, "regions[*].open", json!(true)).unwrap();
        set(&mut v, "regions[B].rule", json!({"kind": "x"})).unwrap();
        assert_eq!(
            v,
            json!({"policy": {"levers": {"mentoring": {"pairs_per_year": 650}}},
                   "regions": [{"name": "A", "open": true}, {"name": "B", "open": true, "rule": {"kind": "x"}}]})
        );
        assert_eq!(
            set(&mut v, "regions[C].open", json!(1)).unwrap_err(),
            "'regions[C].open': no item named 'C'"
        );
        assert_eq!(
            set(&mut v, "regions[0].open.x", json!(1)).unwrap_err(),
            "'regions[0].open.x': `x` is set inside a value that is not a mapping"
        );
        let p = FieldPath::parse("world.arrivals.weekly_rate").unwrap();
        assert_eq!(p.first_key(), "world");
        assert_eq!(p.rest().unwrap().text(), "arrivals.weekly_rate");
        assert!(FieldPath::parse("regions[0].x").unwrap().rest().is_none());
    }

    #[test]
    fn field_paths_match_validation_paths_on_keys() {
        assert!(field_matches("regions[*].attitude", "regions[3].attitude"));
        assert!(field_matches(
            "regions[capital].attitude",
            "regions[0].attitude"
        ));
        assert!(!field_matches("regions[*].attitude", "regions[0].urban"));
        assert!(!field_matches("arrivals", "arrivals.weekly_rate"));
    }
}
