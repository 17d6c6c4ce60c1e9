//! Resolving an experiment file into its configurations, step by step:
//! read the world; check the experiment's own fields and what it would
//! build; draw the samples; put scenarios and policies in canonical order;
//! check each scenario and each policy alone; then build and check every
//! (scenario, policy, sample) configuration. Each step reports every
//! problem it finds, and a step runs only if those before it found none
//! ("Validation" in `docs/scenario-format.md`).

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use super::checks::{check_cells, check_experiment, check_memory};
use super::configure::{Recipe, to_scenario_owned};
use super::format::*;
use super::patch::{FieldPath, field_matches, merge};
use super::relative::{self, ALL, join};
use super::{Experiment, design};
use crate::scenario::locate::Locator;
use crate::scenario::validate::validate;
use crate::scenario::{Diagnostics, Problem, Scenario};

/// Top-level scenario fields a scenario's changes may not touch: they are
/// the experiment's (name, seed, replications), the policies' (policy), or
/// must be shared so that policies and scenarios are comparable (horizon,
/// calendar, scale).
const FIXED_FIELDS: [&str; 7] = [
    "name",
    "seed",
    "replications",
    "horizon_weeks",
    "start_date",
    "scale",
    "policy",
];

/// The keys a policy's capacities item may hold.
const CAPACITY_KEYS: [&str; 4] = ["name", "reception_places", "services", "housing"];

/// Most problems collected from the configurations before giving up: the
/// same mistake tends to recur in every one.
const MAX_CONFIG_PROBLEMS: usize = 50;

/// Where problems are reported: a field path of the experiment file, found
/// in its text by the locator.
pub(super) struct Report<'a> {
    pub locator: &'a Locator,
    pub source: &'a str,
}

impl Report<'_> {
    pub fn at(&self, path: &str, message: impl Into<String>) -> Problem {
        self.locator
            .problem(self.source, path.to_string(), message.into())
    }
}

/// Stop with the problems found, if any.
fn fail(problems: impl IntoIterator<Item = Problem>) -> Result<(), Diagnostics> {
    let problems: Vec<Problem> = problems.into_iter().collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics { problems })
    }
}

impl Experiment {
    /// Resolve an experiment file: load its world, merge every scenario,
    /// policy and sample into a configuration, and validate them all.
    pub fn resolve(
        file: ExperimentFile,
        dir: &Path,
        source: &str,
        locator: &Locator,
    ) -> Result<Experiment, Diagnostics> {
        let report = Report { locator, source };
        let world = read_world(&file.world, dir, &report)?;
        let mut scenarios = scenarios_or_baseline(&file);
        let mut policies = policies_or_status_quo(&file);
        fail(check_experiment(&file, &scenarios, &policies, &report))?;
        fail(check_memory(
            &file,
            scenarios.len(),
            policies.len(),
            &world,
            &report,
        ))?;

        let seed = file.seed.unwrap_or(world.seed);
        let samples = design::sample(&file.uncertainties, &file.sampling, seed);
        let cells = (scenarios.len() * policies.len() * samples.len()) as u64
            * u64::from(file.replications);
        fail(check_cells(cells, &report))?;

        // The reference of the cost-benefit analysis, before sorting.
        let reference = policies
            .iter()
            .find(|p| p.name == crate::analysis::cost_benefit::DEFAULT_REFERENCE)
            .unwrap_or(&policies[0])
            .name
            .clone();
        // Canonical order: outputs never depend on the order in the file.
        scenarios.sort_by(|a, b| a.name.cmp(&b.name));
        policies.sort_by(|a, b| a.name.cmp(&b.name));
        let reference_policy = policies
            .iter()
            .position(|p| p.name == reference)
            .expect("the reference is a policy");

        let base = serde_json::to_value(&world).expect("a valid scenario serialises");
        let mut problems = Vec::new();
        let scenario_values = each_scenario_alone(&file, &scenarios, &base, &report, &mut problems);
        let policy_changes =
            each_policy_alone(&file, &policies, &world, &base, &report, &mut problems);
        fail(dedup(problems))?;

        let (configs, recipe) = every_configuration(
            &file,
            &world,
            &Combinations {
                scenarios: &scenarios,
                policies: &policies,
                scenario_values: &scenario_values,
                policy_changes: &policy_changes,
                samples: &samples,
            },
            &report,
        )?;
        Ok(Experiment {
            name: file.experiment.clone(),
            description: file.description.clone(),
            plain: false,
            seed,
            replications: file.replications,
            scenarios: scenarios.into_iter().map(|s| s.name).collect(),
            policies: policies.into_iter().map(|p| p.name).collect(),
            reference_policy,
            uncertainties: file.uncertainties.clone(),
            samples,
            thresholds: file.thresholds.clone(),
            sampling: file.sampling.clone(),
            horizon_weeks: world.horizon_weeks,
            region_names: world.regions.iter().map(|r| r.name.clone()).collect(),
            world_file: match &file.world {
                WorldSource::File(rel) => Some(dir.join(rel)),
                WorldSource::Inline(_) => None,
            },
            configs,
            recipe: std::sync::Arc::new(recipe),
        })
    }
}

/// The world, read and validated: a scenario file relative to `dir`, or a
/// scenario written inline (its problems reported at `world.…`).
fn read_world(world: &WorldSource, dir: &Path, report: &Report) -> Result<Scenario, Diagnostics> {
    match world {
        WorldSource::File(rel) => {
            let path = dir.join(rel);
            crate::scenario::load(&path).map_err(|mut d| {
                d.problems.insert(
                    0,
                    report.at(
                        "world",
                        format!("the world file {} is not valid:", path.display()),
                    ),
                );
                d
            })
        }
        WorldSource::Inline(value) => match serde_json::from_value::<Scenario>(value.clone()) {
            Ok(w) => {
                let issues = validate(&w);
                if !issues.is_empty() {
                    return Err(Diagnostics {
                        problems: issues
                            .into_iter()
                            .map(|i| report.at(&format!("world.{}", i.path), i.message))
                            .collect(),
                    });
                }
                Ok(w)
            }
            Err(e) => Err(Diagnostics {
                problems: vec![report.at("world", format!("not a valid scenario: {e}"))],
            }),
        },
    }
}

/// The file's scenarios, or one named `baseline` with no changes.
fn scenarios_or_baseline(file: &ExperimentFile) -> Vec<ScenarioSpec> {
    if file.scenarios.is_empty() {
        return vec![ScenarioSpec {
            name: "baseline".into(),
            description: String::new(),
            changes: Value::Object(Default::default()),
        }];
    }
    file.scenarios.clone()
}

/// The file's policies, or one named `status_quo` with no changes.
fn policies_or_status_quo(file: &ExperimentFile) -> Vec<PolicySpec> {
    if file.policies.is_empty() {
        return vec![PolicySpec {
            name: "status_quo".into(),
            description: String::new(),
            levers: Value::Object(Default::default()),
            capacities: Vec::new(),
        }];
    }
    file.policies.clone()
}

/// Each scenario alone: the world with its changes, checked as a scenario
/// file and reported where the changes were written. Returns the merged
/// values, in the order of `scenarios`.
fn each_scenario_alone(
    file: &ExperimentFile,
    scenarios: &[ScenarioSpec],
    base: &Value,
    report: &Report,
    problems: &mut Vec<Problem>,
) -> Vec<Value> {
    let mut values = Vec::with_capacity(scenarios.len());
    for s in scenarios {
        // A default scenario was not written: report at the list.
        let path = file
            .scenarios
            .iter()
            .position(|w| w.name == s.name)
            .map_or("scenarios".to_string(), |i| {
                format!("scenarios[{i}].changes")
            });
        let mut v = base.clone();
        match &s.changes {
            Value::Object(map) => {
                for key in map.keys() {
                    if FIXED_FIELDS.contains(&key.as_str()) {
                        problems.push(report.at(
                            &format!("{path}.{key}"),
                            format!("a scenario may not change `{key}`; {}", fixed_reason(key)),
                        ));
                    }
                }
                match relative::resolve(&s.changes, &v) {
                    Ok(change) => merge(&mut v, &change),
                    Err(ps) => problems.extend(
                        ps.into_iter()
                            .map(|p| report.at(&join(&path, &p.path), p.message)),
                    ),
                }
            }
            Value::Null => {}
            _ => problems.push(report.at(
                &path,
                "expected a mapping of changes to the world's drivers",
            )),
        }
        check_config(problems, report, &path, &v, &|field: &str| {
            field.to_string()
        });
        values.push(v);
    }
    values
}

fn fixed_reason(key: &str) -> &'static str {
    match key {
        "policy" => "levers belong to policies",
        "horizon_weeks" | "scale" => {
            "all scenarios share the world's horizon and scale, so that they are comparable"
        }
        "start_date" => "all scenarios share the world's calendar",
        _ => "it is set for the whole experiment",
    }
}

/// Each policy alone: its levers (as a `policy` block) and capacities (as
/// `regions` items) merged into the world, checked as a scenario file and
/// reported where they were written. Returns each policy's change, in the
/// order of `policies`.
fn each_policy_alone(
    file: &ExperimentFile,
    policies: &[PolicySpec],
    world: &Scenario,
    base: &Value,
    report: &Report,
    problems: &mut Vec<Problem>,
) -> Vec<Value> {
    let regions: HashSet<&str> = world.regions.iter().map(|r| r.name.as_str()).collect();
    let mut changes = Vec::with_capacity(policies.len());
    for p in policies {
        let path = file
            .policies
            .iter()
            .position(|w| w.name == p.name)
            .map_or("policies".to_string(), |i| format!("policies[{i}]"));
        let mut change = serde_json::Map::new();
        // The change as merged into the world, relative numbers resolved.
        let mut resolved = serde_json::Map::new();
        let mut resolve =
            |key: &str, written: &str, value: Value, problems: &mut Vec<Problem>| {
                match relative::resolve(&value, &base[key]) {
                    Ok(r) => {
                        resolved.insert(key.into(), r);
                    }
                    Err(ps) => problems.extend(ps.into_iter().map(|p| {
                        report.at(&join(&format!("{path}.{written}"), &p.path), p.message)
                    })),
                }
                change.insert(key.into(), value);
            };
        match &p.levers {
            Value::Object(_) => resolve("policy", "levers", p.levers.clone(), problems),
            Value::Null => {}
            _ => problems.push(report.at(
                &format!("{path}.levers"),
                "expected a mapping of lever settings",
            )),
        }
        let region_changes = capacity_changes(p, &path, &regions, report, problems);
        if !region_changes.is_empty() {
            resolve(
                "regions",
                "capacities",
                Value::Array(region_changes),
                problems,
            );
        }
        let mut v = base.clone();
        merge(&mut v, &Value::Object(resolved));
        // Problems in `policy.x` were written as `levers.x`, those in
        // `regions[j].x` in the last capacities item naming region j (or
        // naming `all`).
        let written_at = |j: usize| {
            let name = world.regions.get(j).map(|r| r.name.as_str());
            let item = |n: Option<&str>| {
                p.capacities
                    .iter()
                    .rposition(|c| c.get("name").and_then(Value::as_str) == n)
            };
            item(name).or_else(|| item(Some(ALL)))
        };
        check_config(problems, report, &path, &v, &|field: &str| {
            if let Some(rest) = field.strip_prefix("policy") {
                return format!("levers{rest}");
            }
            let region = field
                .strip_prefix("regions[")
                .and_then(|r| r.split_once(']'))
                .and_then(|(j, rest)| Some((j.parse::<usize>().ok()?, rest)));
            match region.and_then(|(j, rest)| Some((written_at(j)?, rest))) {
                Some((k, rest)) => format!("capacities[{k}]{rest}"),
                None => field.to_string(),
            }
        });
        changes.push(Value::Object(change));
    }
    changes
}

/// A policy's capacities items that name a region of the world; the others
/// are reported, as are keys other than capacities.
fn capacity_changes(
    p: &PolicySpec,
    path: &str,
    regions: &HashSet<&str>,
    report: &Report,
    problems: &mut Vec<Problem>,
) -> Vec<Value> {
    let mut items = Vec::new();
    for (k, c) in p.capacities.iter().enumerate() {
        let cp = format!("{path}.capacities[{k}]");
        let Value::Object(map) = c else {
            problems.push(report.at(
                &cp,
                "expected a mapping with a region `name` and its capacities",
            ));
            continue;
        };
        match map.get("name").and_then(Value::as_str) {
            Some(name) if regions.contains(name) || name == ALL => {}
            Some(name) => {
                problems.push(report.at(
                    &format!("{cp}.name"),
                    format!("unknown region '{name}'; expected a region of the world or `all`"),
                ));
                continue;
            }
            None => {
                problems.push(report.at(&cp, "expected a region `name`"));
                continue;
            }
        }
        for key in map.keys() {
            if !CAPACITY_KEYS.contains(&key.as_str()) {
                problems.push(report.at(
                    &format!("{cp}.{key}"),
                    format!(
                        "a policy's capacities may set reception_places, services or housing, not `{key}`"
                    ),
                ));
            }
        }
        items.push(c.clone());
    }
    items
}

/// What every configuration is built from: scenarios and policies in
/// canonical order, with their merged values and changes, and the samples.
struct Combinations<'a> {
    scenarios: &'a [ScenarioSpec],
    policies: &'a [PolicySpec],
    scenario_values: &'a [Value],
    policy_changes: &'a [Value],
    samples: &'a [Vec<f64>],
}

/// Every (scenario, policy, sample) configuration, in the order of
/// [`Experiment::config`], each validated, and the recipe they were built
/// by. A problem is blamed on the uncertainty that sets its field, if one
/// does; this step stops after [`MAX_CONFIG_PROBLEMS`] problems.
fn every_configuration(
    file: &ExperimentFile,
    world: &Scenario,
    c: &Combinations,
    report: &Report,
) -> Result<(Vec<Scenario>, Recipe), Diagnostics> {
    let fields = file
        .uncertainties
        .iter()
        .enumerate()
        .map(|(i, u)| {
            // Checked with the experiment's fields: cannot fail here, but an
            // error would be reported where those checks report it.
            FieldPath::parse(&u.field)
                .map(|f| (f, u.mode))
                .map_err(|m| Diagnostics {
                    problems: vec![report.at(&format!("uncertainties[{i}].field"), m)],
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let recipe = Recipe {
        scenario_values: c.scenario_values.to_vec(),
        policy_changes: c.policy_changes.to_vec(),
        fields,
        world_name: world.name.clone(),
    };
    let mut problems = Vec::new();
    let mut configs =
        Vec::with_capacity(c.scenario_values.len() * c.policy_changes.len() * c.samples.len());
    for si in 0..c.scenario_values.len() {
        for pi in 0..c.policy_changes.len() {
            let v = match recipe.pair(si, pi) {
                Ok(v) => v,
                Err(ps) => {
                    let written = file
                        .policies
                        .iter()
                        .position(|w| w.name == c.policies[pi].name);
                    for p in ps {
                        problems.push(report.at(
                            &written.map_or("policies".into(), |i| format!("policies[{i}]")),
                            format!(
                                "in scenario '{}': {}: {}",
                                c.scenarios[si].name, p.path, p.message
                            ),
                        ));
                    }
                    continue;
                }
            };
            for (k, sample) in c.samples.iter().enumerate() {
                let mut v = v.clone();
                if let Err((i, m)) = recipe.apply(&mut v, sample) {
                    // The same for every configuration: report once.
                    return Err(Diagnostics {
                        problems: vec![report.at(&format!("uncertainties[{i}].field"), m)],
                    });
                }
                let context = format!(
                    "in scenario '{}', policy '{}', sample {k}",
                    c.scenarios[si].name, c.policies[pi].name
                );
                match recipe.read(v) {
                    Ok(config) => {
                        for issue in validate(&config) {
                            let u = file
                                .uncertainties
                                .iter()
                                .position(|u| field_matches(&u.field, &issue.path));
                            let path = u.map_or(String::new(), |i| format!("uncertainties[{i}]"));
                            problems.push(report.at(
                                &path,
                                format!("{context}: {}: {}", issue.path, issue.message),
                            ));
                        }
                        configs.push(config);
                    }
                    Err((path, m)) => {
                        problems.push(report.at("uncertainties", format!("{context}: {path}: {m}")))
                    }
                }
                if problems.len() > MAX_CONFIG_PROBLEMS {
                    return Err(Diagnostics {
                        problems: dedup(problems),
                    });
                }
            }
        }
    }
    fail(dedup(problems))?;
    Ok((configs, recipe))
}

/// Validate one merged configuration, reporting at `path` in the file;
/// `written` maps a scenario field path to where it was written under `path`.
fn check_config(
    problems: &mut Vec<Problem>,
    report: &Report,
    path: &str,
    v: &Value,
    written: &dyn Fn(&str) -> String,
) {
    match to_scenario_owned(v.clone()) {
        Ok(s) => {
            for issue in validate(&s) {
                let full = format!("{path}.{}", written(&issue.path));
                let mut p = report.at(&full, issue.message);
                if report.locator.find(&full).is_none() {
                    p.path = format!("{path} → {}", issue.path);
                }
                problems.push(p);
            }
        }
        Err((field, m)) => problems.push(report.at(&format!("{path}.{}", written(&field)), m)),
    }
}

fn dedup(problems: Vec<Problem>) -> Vec<Problem> {
    // A set, not a scan of those kept: a file with many scenarios can give
    // hundreds of thousands of problems.
    let mut seen = HashSet::new();
    problems
        .into_iter()
        .filter(|p| seen.insert((p.path.clone(), p.message.clone())))
        .collect()
}
