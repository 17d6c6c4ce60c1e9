//! Experiments: a world under several scenarios × policies × sampled
//! uncertainties × replications, run together and judged for robustness.
//!
//! A plain scenario file is the special case of one scenario, one policy,
//! one sample ([`Experiment::from_scenario`]).

pub mod design;
pub mod format;
pub mod robustness;
pub mod runner;
pub mod stats;

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

pub use format::*;
pub use robustness::{Robustness, judge};
pub use runner::{CellId, ExperimentResult, Outcome, PairSummary, run_experiment};

use crate::model::HEADLINES;
use crate::scenario::locate::Locator;
use crate::scenario::validate::{MAX_NAME_BYTES, MAX_REPLICATIONS, validate};
use crate::scenario::{Diagnostics, Problem, Scenario, parse};

/// Most samples an experiment may draw.
pub const MAX_SAMPLES: u32 = 100_000;
/// Most cells (scenario × policy × sample × replication) in one experiment.
/// (Each cell's headline values are kept in memory for the robustness
/// judgements: about 200 bytes a cell.)
pub const MAX_CELLS: u64 = 10_000_000;
/// Most uncertainties: each is applied to every configuration.
pub const MAX_UNCERTAINTIES: usize = 200;
/// Most memory, bytes, that an experiment's configurations (a full copy of
/// the world per scenario × policy × sample) and its sample table may take,
/// estimated before anything is built (see [`Experiment::resolve`]).
pub const MAX_CONFIG_BYTES: u64 = 500_000_000;

/// Top-level scenario fields a scenario's changes may not touch: they are
/// the experiment's (name, seed, replications), the policies' (policy), or
/// must be shared so that policies and scenarios are comparable (horizon,
/// scale).
const FIXED_FIELDS: [&str; 6] = [
    "name",
    "seed",
    "replications",
    "horizon_weeks",
    "scale",
    "policy",
];

/// A resolved, validated experiment, ready to run.
#[derive(Debug, Clone)]
pub struct Experiment {
    pub name: String,
    pub description: String,
    /// True when built from a plain scenario file.
    pub plain: bool,
    pub seed: u64,
    pub replications: u32,
    /// Scenario names, sorted (outputs never depend on the order in the file).
    pub scenarios: Vec<String>,
    /// Policy names, sorted.
    pub policies: Vec<String>,
    pub uncertainties: Vec<Uncertainty>,
    /// `samples[k][u]`: value of uncertainty `u` in sample `k`.
    pub samples: Vec<Vec<f64>>,
    pub thresholds: Vec<Threshold>,
    /// The configuration of every (scenario, policy, sample): index
    /// `(s × policies + p) × samples + k`.
    pub configs: Vec<Scenario>,
    pub horizon_weeks: u32,
    pub region_names: Vec<String>,
    /// The world's scenario file, when the experiment names one.
    pub world_file: Option<std::path::PathBuf>,
}

impl Experiment {
    /// The one-scenario, one-policy experiment of a plain scenario file.
    pub fn from_scenario(scenario: Scenario) -> Experiment {
        Experiment {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            plain: true,
            seed: scenario.seed,
            replications: scenario.replications,
            scenarios: vec![scenario.name.clone()],
            policies: vec!["default".into()],
            uncertainties: Vec::new(),
            samples: vec![Vec::new()],
            thresholds: Vec::new(),
            horizon_weeks: scenario.horizon_weeks,
            region_names: scenario.regions.iter().map(|r| r.name.clone()).collect(),
            world_file: None,
            configs: vec![scenario],
        }
    }

    pub fn config(&self, scenario: usize, policy: usize, sample: usize) -> &Scenario {
        &self.configs[(scenario * self.policies.len() + policy) * self.samples.len() + sample]
    }

    /// Cells: scenarios × policies × samples × replications.
    pub fn cells(&self) -> u64 {
        (self.scenarios.len() * self.policies.len() * self.samples.len()) as u64
            * u64::from(self.replications)
    }

    /// The name under which a cell's random streams are keyed: empty for a
    /// plain scenario file (so its results match `foresight run` on it
    /// alone), the scenario's name otherwise.
    pub fn stream_scenario(&self, scenario: usize) -> &str {
        if self.plain {
            ""
        } else {
            &self.scenarios[scenario]
        }
    }

    /// Build an experiment in Rust code (a world given inline, or a file
    /// path relative to the current folder); problems are reported against
    /// `<experiment>`.
    pub fn new(file: ExperimentFile) -> Result<Experiment, Diagnostics> {
        Experiment::resolve(file, Path::new("."), "<experiment>", &Locator::default())
    }

    /// Resolve an experiment file: load its world, merge every scenario,
    /// policy and sample into a configuration, and validate them all.
    pub fn resolve(
        file: ExperimentFile,
        dir: &Path,
        source: &str,
        locator: &Locator,
    ) -> Result<Experiment, Diagnostics> {
        let at = |path: &str, message: String| locator.problem(source, path.to_string(), message);
        let mut problems: Vec<Problem> = Vec::new();

        // The world.
        let world = match &file.world {
            WorldSource::File(rel) => {
                let path = dir.join(rel);
                match crate::scenario::load(&path) {
                    Ok(w) => w,
                    Err(mut d) => {
                        d.problems.insert(
                            0,
                            at(
                                "world",
                                format!("the world file {} is not valid:", path.display()),
                            ),
                        );
                        return Err(d);
                    }
                }
            }
            WorldSource::Inline(value) => match serde_json::from_value::<Scenario>(value.clone()) {
                Ok(w) => {
                    let issues = validate(&w);
                    if !issues.is_empty() {
                        return Err(Diagnostics {
                            problems: issues
                                .into_iter()
                                .map(|i| at(&format!("world.{}", i.path), i.message))
                                .collect(),
                        });
                    }
                    w
                }
                Err(e) => {
                    return Err(Diagnostics {
                        problems: vec![at("world", format!("not a valid scenario: {e}"))],
                    });
                }
            },
        };

        // Experiment-level checks.
        if file.experiment.trim().is_empty()
            || file.experiment.contains(['/', '\\'])
            || file.experiment.starts_with('.')
            || file.experiment.len() > MAX_NAME_BYTES
        {
            problems.push(at(
                "experiment",
                format!(
                    "expected a name usable as a folder name (no '/', '\\' or leading '.', \
                     at most {MAX_NAME_BYTES} bytes)"
                ),
            ));
        }
        if file.replications == 0 || file.replications > MAX_REPLICATIONS {
            problems.push(at(
                "replications",
                format!(
                    "expected 1 to {MAX_REPLICATIONS} replications, found {}",
                    file.replications
                ),
            ));
        }
        let mut scenarios = file.scenarios.clone();
        if scenarios.is_empty() {
            scenarios.push(ScenarioSpec {
                name: "baseline".into(),
                description: String::new(),
                changes: Value::Object(Default::default()),
            });
        }
        let mut policies = file.policies.clone();
        if policies.is_empty() {
            policies.push(PolicySpec {
                name: "status_quo".into(),
                description: String::new(),
                levers: Value::Object(Default::default()),
                capacities: Vec::new(),
            });
        }
        unique_names(
            &mut problems,
            &at,
            "scenarios",
            scenarios.iter().map(|s| s.name.as_str()),
        );
        unique_names(
            &mut problems,
            &at,
            "policies",
            policies.iter().map(|p| p.name.as_str()),
        );
        unique_names(
            &mut problems,
            &at,
            "uncertainties",
            file.uncertainties.iter().map(|u| u.label()),
        );
        check_sampling(&mut problems, &at, &file);
        for (i, t) in file.thresholds.iter().enumerate() {
            let p = format!("thresholds[{i}]");
            if !HEADLINES.contains(&t.indicator.as_str()) {
                problems.push(at(
                    &format!("{p}.indicator"),
                    format!(
                        "unknown headline indicator '{}'; expected one of: {}",
                        t.indicator,
                        HEADLINES.join(", ")
                    ),
                ));
            }
            if t.bounds() != 1 {
                problems.push(at(
                    &p,
                    "expected exactly one of below, at_most, above, at_least".into(),
                ));
            }
            for b in [t.below, t.at_most, t.above, t.at_least]
                .into_iter()
                .flatten()
            {
                if !b.is_finite() {
                    problems.push(at(&p, format!("expected a finite bound, found {b}")));
                }
            }
        }
        if !problems.is_empty() {
            return Err(Diagnostics { problems });
        }

        // Refuse, before any is built, configurations that would not fit in
        // memory: each is a copy of the world, estimated by the size of the
        // world written as JSON (larger than its form in memory); the sample
        // table and its Latin hypercube strata take 16 bytes a value.
        let draws: u64 = if file.uncertainties.is_empty() {
            1
        } else if file.sampling.design == Design::FullFactorial {
            file.uncertainties
                .iter()
                .map(|u| match &u.distribution {
                    Distribution::Discrete { values, .. } => values.len() as u64,
                    _ => 1,
                })
                .fold(1, u64::saturating_mul)
        } else {
            u64::from(file.sampling.samples)
        };
        let configs = ((scenarios.len() * policies.len()) as u64).saturating_mul(draws);
        let world_bytes = serde_json::to_vec(&world).map_or(0, |v| v.len()) as u64;
        let bytes = configs
            .saturating_add(4 * (scenarios.len() + policies.len()) as u64)
            .saturating_mul(world_bytes)
            .saturating_add(draws.saturating_mul(file.uncertainties.len() as u64 * 16));
        if bytes > MAX_CONFIG_BYTES {
            return Err(Diagnostics {
                problems: vec![at(
                    "",
                    format!(
                        "{configs} configurations (scenarios × policies × samples) of a world of \
                         {} kB would take about {} MB of memory, beyond the limit of {} MB; \
                         draw fewer samples or split the experiment",
                        world_bytes / 1000,
                        bytes / 1_000_000,
                        MAX_CONFIG_BYTES / 1_000_000
                    ),
                )],
            });
        }

        let seed = file.seed.unwrap_or(world.seed);
        let samples = design::sample(&file.uncertainties, &file.sampling, seed);
        let cells = (scenarios.len() * policies.len() * samples.len()) as u64
            * u64::from(file.replications);
        if cells > MAX_CELLS {
            return Err(Diagnostics {
                problems: vec![at(
                    "replications",
                    format!(
                        "{cells} cells (scenarios × policies × samples × replications) is beyond the limit of {MAX_CELLS}"
                    ),
                )],
            });
        }

        // Canonical order: outputs never depend on the order in the file.
        scenarios.sort_by(|a, b| a.name.cmp(&b.name));
        policies.sort_by(|a, b| a.name.cmp(&b.name));
        let scenario_index = |name: &str| file.scenarios.iter().position(|s| s.name == name);
        let policy_index = |name: &str| file.policies.iter().position(|p| p.name == name);

        let base = serde_json::to_value(&world).expect("a valid scenario serialises");
        let regions: HashSet<&str> = world.regions.iter().map(|r| r.name.as_str()).collect();

        // Each scenario alone, then each policy alone, so that a mistake is
        // reported once, where it was written.
        let mut scenario_values = Vec::new();
        for s in &scenarios {
            let path = scenario_index(&s.name).map_or("scenarios".to_string(), |i| {
                format!("scenarios[{i}].changes")
            });
            let mut v = base.clone();
            match &s.changes {
                Value::Object(map) => {
                    for key in map.keys() {
                        if FIXED_FIELDS.contains(&key.as_str()) {
                            problems.push(at(
                                &format!("{path}.{key}"),
                                format!("a scenario may not change `{key}`; {}", fixed_reason(key)),
                            ));
                        }
                    }
                    merge(&mut v, &s.changes);
                }
                Value::Null => {}
                _ => problems.push(at(
                    &path,
                    "expected a mapping of changes to the world's drivers".into(),
                )),
            }
            check_config(&mut problems, locator, source, &path, &v, &|field: &str| {
                field.to_string()
            });
            scenario_values.push(v);
        }
        let mut policy_changes = Vec::new();
        for p in &policies {
            let path =
                policy_index(&p.name).map_or("policies".to_string(), |i| format!("policies[{i}]"));
            let mut change = serde_json::Map::new();
            match &p.levers {
                Value::Object(_) => {
                    change.insert("policy".into(), p.levers.clone());
                }
                Value::Null => {}
                _ => problems.push(at(
                    &format!("{path}.levers"),
                    "expected a mapping of lever settings".into(),
                )),
            }
            let mut region_changes = Vec::new();
            for (k, c) in p.capacities.iter().enumerate() {
                let cp = format!("{path}.capacities[{k}]");
                let Value::Object(map) = c else {
                    problems.push(at(
                        &cp,
                        "expected a mapping with a region `name` and its capacities".into(),
                    ));
                    continue;
                };
                match map.get("name").and_then(Value::as_str) {
                    Some(name) if regions.contains(name) => {}
                    Some(name) => {
                        problems.push(at(
                            &format!("{cp}.name"),
                            format!("unknown region '{name}'"),
                        ));
                        continue;
                    }
                    None => {
                        problems.push(at(&cp, "expected a region `name`".into()));
                        continue;
                    }
                }
                for key in map.keys() {
                    if !["name", "reception_places", "services", "housing"].contains(&key.as_str())
                    {
                        problems.push(at(&format!("{cp}.{key}"), format!("a policy's capacities may set reception_places, services or housing, not `{key}`")));
                    }
                }
                region_changes.push(c.clone());
            }
            if !region_changes.is_empty() {
                change.insert("regions".into(), Value::Array(region_changes));
            }
            let change = Value::Object(change);
            let mut v = base.clone();
            merge(&mut v, &change);
            // Problems in `policy.x` were written as `levers.x`.
            check_config(
                &mut problems,
                locator,
                source,
                &path,
                &v,
                &|field: &str| match field.strip_prefix("policy") {
                    Some(rest) => format!("levers{rest}"),
                    None => field.to_string(),
                },
            );
            policy_changes.push(change);
        }
        if !problems.is_empty() {
            return Err(Diagnostics {
                problems: dedup(problems),
            });
        }

        // Every (scenario, policy, sample) configuration.
        let mut configs = Vec::with_capacity(scenarios.len() * policies.len() * samples.len());
        for (si, sv) in scenario_values.iter().enumerate() {
            for (pi, pc) in policy_changes.iter().enumerate() {
                let mut v = sv.clone();
                merge(&mut v, pc);
                for (k, sample) in samples.iter().enumerate() {
                    let mut v = v.clone();
                    for (i, (u, value)) in file.uncertainties.iter().zip(sample).enumerate() {
                        if let Err(m) = apply(&mut v, &u.field, u.mode, *value) {
                            // The same for every configuration: report once.
                            return Err(Diagnostics {
                                problems: vec![at(&format!("uncertainties[{i}].field"), m)],
                            });
                        }
                    }
                    let context = format!(
                        "in scenario '{}', policy '{}', sample {k}",
                        scenarios[si].name, policies[pi].name
                    );
                    match to_scenario_owned(v) {
                        Ok(mut config) => {
                            for issue in validate(&config) {
                                // Blame the uncertainty that sets the field, if
                                // one does; else the combination itself.
                                let u = file
                                    .uncertainties
                                    .iter()
                                    .position(|u| field_matches(&u.field, &issue.path));
                                let path =
                                    u.map_or(String::new(), |i| format!("uncertainties[{i}]"));
                                problems.push(at(
                                    &path,
                                    format!("{context}: {}: {}", issue.path, issue.message),
                                ));
                            }
                            config.name = world.name.clone();
                            configs.push(config);
                        }
                        Err((path, m)) => {
                            problems.push(at("uncertainties", format!("{context}: {path}: {m}")))
                        }
                    }
                    if problems.len() > 50 {
                        return Err(Diagnostics {
                            problems: dedup(problems),
                        });
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(Diagnostics {
                problems: dedup(problems),
            });
        }
        Ok(Experiment {
            name: file.experiment.clone(),
            description: file.description.clone(),
            plain: false,
            seed,
            replications: file.replications,
            scenarios: scenarios.into_iter().map(|s| s.name).collect(),
            policies: policies.into_iter().map(|p| p.name).collect(),
            uncertainties: file.uncertainties.clone(),
            samples,
            thresholds: file.thresholds.clone(),
            horizon_weeks: world.horizon_weeks,
            region_names: world.regions.iter().map(|r| r.name.clone()).collect(),
            world_file: match &file.world {
                WorldSource::File(rel) => Some(dir.join(rel)),
                WorldSource::Inline(_) => None,
            },
            configs,
        })
    }
}

/// Settings given on the command line that replace the file's.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    /// Read the world from this file instead of the one the experiment
    /// names (a shard's saved copy, when merging).
    pub world_file: Option<std::path::PathBuf>,
}

/// Load a scenario or experiment file (an experiment file has a top-level
/// `experiment` key) as an experiment, validated throughout.
pub fn load(path: &Path) -> Result<Experiment, Diagnostics> {
    load_with(path, &Overrides::default())
}

/// [`load`] with command-line overrides.
pub fn load_with(path: &Path, overrides: &Overrides) -> Result<Experiment, Diagnostics> {
    let text = parse::read_text(path)?;
    let source = path.display().to_string();
    let dir = path.parent().unwrap_or(Path::new("."));
    parse_str(&text, &source, dir, overrides)
}

/// [`load_with`] on text already read: `source` names it in messages, and
/// an experiment's world file is looked for relative to `dir`. (The fuzz
/// target calls this, so that it runs exactly what `load` runs.)
pub fn parse_str(
    text: &str,
    source: &str,
    dir: &Path,
    overrides: &Overrides,
) -> Result<Experiment, Diagnostics> {
    if let Some(r) = overrides.replications
        && (r == 0 || r > MAX_REPLICATIONS)
    {
        return Err(Diagnostics::single(
            Path::new(source),
            format!("--replications must be from 1 to {MAX_REPLICATIONS}, found {r}"),
        ));
    }
    let locator = Locator::new(text);
    let is_experiment = locator.keys().iter().any(|(k, _)| k == "experiment");
    if !is_experiment {
        let mut scenario = parse::parse_str(text, source)?;
        if let Some(r) = overrides.replications {
            scenario.replications = r;
        }
        if let Some(s) = overrides.seed {
            scenario.seed = s;
        }
        return Ok(Experiment::from_scenario(scenario));
    }
    let mut file: ExperimentFile = parse::deserialize(text, source)?;
    if let Some(r) = overrides.replications {
        file.replications = r;
    }
    if let Some(s) = overrides.seed {
        file.seed = Some(s);
    }
    if let (Some(world), WorldSource::File(_)) = (&overrides.world_file, &file.world) {
        file.world = WorldSource::File(world.display().to_string());
        return Experiment::resolve(file, Path::new(""), source, &locator);
    }
    Experiment::resolve(file, dir, source, &locator)
}

fn fixed_reason(key: &str) -> &'static str {
    match key {
        "policy" => "levers belong to policies",
        "horizon_weeks" | "scale" => {
            "all scenarios share the world's horizon and scale, so that they are comparable"
        }
        _ => "it is set for the whole experiment",
    }
}

fn unique_names<'a>(
    problems: &mut Vec<Problem>,
    at: &dyn Fn(&str, String) -> Problem,
    list: &str,
    names: impl Iterator<Item = &'a str>,
) {
    let mut seen = HashSet::new();
    for (i, n) in names.enumerate() {
        if n.trim().is_empty() || n.contains([',', '"', '\n']) {
            problems.push(at(
                &format!("{list}[{i}].name"),
                "expected a non-empty name without commas, quotes or line breaks".into(),
            ));
        } else if !seen.insert(n.to_string()) {
            problems.push(at(
                &format!("{list}[{i}].name"),
                format!("duplicate name '{n}'; names must be unique"),
            ));
        }
    }
}

fn check_sampling(
    problems: &mut Vec<Problem>,
    at: &dyn Fn(&str, String) -> Problem,
    file: &ExperimentFile,
) {
    let s = &file.sampling;
    if s.design != Design::FullFactorial && (s.samples == 0 || s.samples > MAX_SAMPLES) {
        problems.push(at(
            "sampling.samples",
            format!("expected 1 to {MAX_SAMPLES} samples, found {}", s.samples),
        ));
    }
    if file.uncertainties.len() > MAX_UNCERTAINTIES {
        problems.push(at(
            "uncertainties",
            format!(
                "{} uncertainties is beyond the limit of {MAX_UNCERTAINTIES}",
                file.uncertainties.len()
            ),
        ));
        return;
    }
    let mut combinations: u64 = 1;
    for (i, u) in file.uncertainties.iter().enumerate() {
        let p = format!("uncertainties[{i}].distribution");
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        let bad = match &u.distribution {
            Distribution::Uniform { low, high } => {
                (!finite(&[*low, *high]) || low > high).then_some("expected finite low ≤ high")
            }
            Distribution::Normal { mean, sd } => {
                (!finite(&[*mean, *sd]) || *sd < 0.0).then_some("expected a finite mean and sd ≥ 0")
            }
            Distribution::Triangular { low, mode, high } => {
                (!finite(&[*low, *mode, *high]) || low > mode || mode > high)
                    .then_some("expected finite low ≤ mode ≤ high")
            }
            Distribution::LogNormal { mu, sigma } => (!finite(&[*mu, *sigma]) || *sigma < 0.0)
                .then_some("expected a finite mu and sigma ≥ 0"),
            Distribution::Discrete { values, weights } => {
                if values.is_empty() || !finite(values) {
                    Some("expected at least one finite value")
                } else if let Some(w) = weights {
                    (w.len() != values.len()
                        || !finite(w)
                        || w.iter().any(|x| *x < 0.0)
                        || w.iter().sum::<f64>() <= 0.0)
                        .then_some("expected one weight ≥ 0 per value, not all zero")
                } else {
                    None
                }
            }
        };
        if let Some(m) = bad {
            problems.push(at(&p, m.into()));
        }
        if s.design == Design::FullFactorial {
            match &u.distribution {
                Distribution::Discrete { values, .. } => {
                    combinations = combinations.saturating_mul(values.len() as u64)
                }
                _ => problems.push(at(
                    &p,
                    "a full factorial design needs listed values: use `discrete: {values: [...]}`"
                        .into(),
                )),
            }
        }
        if let Err(m) = parse_field(&u.field) {
            problems.push(at(&format!("uncertainties[{i}].field"), m));
        }
    }
    if s.design == Design::FullFactorial && combinations > u64::from(MAX_SAMPLES) {
        problems.push(at("sampling", format!("the full factorial has {combinations} combinations, beyond the limit of {MAX_SAMPLES}")));
    }
}

/// Validate one merged configuration, reporting at `path` in the file;
/// `written` maps a scenario field path to where it was written under `path`.
fn check_config(
    problems: &mut Vec<Problem>,
    locator: &Locator,
    source: &str,
    path: &str,
    v: &Value,
    written: &dyn Fn(&str) -> String,
) {
    match to_scenario(v) {
        Ok(s) => {
            for issue in validate(&s) {
                let full = format!("{path}.{}", written(&issue.path));
                let mut p = locator.problem(source, full.clone(), issue.message);
                if locator.find(&full).is_none() {
                    p.path = format!("{path} → {}", issue.path);
                }
                problems.push(p);
            }
        }
        Err((field, m)) => {
            problems.push(locator.problem(source, format!("{path}.{}", written(&field)), m))
        }
    }
}

/// A merged value as a scenario, or the field path and message of the error.
fn to_scenario(v: &Value) -> Result<Scenario, (String, String)> {
    to_scenario_owned(v.clone())
}

/// [`to_scenario`] on a value no longer needed: an experiment may build
/// 10^5 configurations, and copying and tracking the path of each showed as
/// most of the time of validating them. The path is tracked only to report
/// an error.
fn to_scenario_owned(v: Value) -> Result<Scenario, (String, String)> {
    match Scenario::deserialize(&v) {
        Ok(s) => Ok(s),
        Err(_) => serde_path_to_error::deserialize::<_, Scenario>(v).map_err(|e| {
            let path = e.path().to_string();
            let message = crate::scenario::wording::explain(&e.inner().to_string(), &path);
            (path, message)
        }),
    }
}

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

/// One step of a field path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    Name(String),
    All,
}

/// `regions[Capital].housing.small_units_per_week` → steps.
fn parse_field(field: &str) -> Result<Vec<Step>, String> {
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
    Ok(steps)
}

/// Set (or multiply) a numeric field of a scenario value. Whole-number
/// fields stay whole (rounded).
fn apply(v: &mut Value, field: &str, mode: Mode, x: f64) -> Result<(), String> {
    let steps = parse_field(field)?;
    let mut touched = 0;
    apply_steps(v, &steps, mode, x, &mut touched).map_err(|m| format!("'{field}': {m}"))?;
    if touched == 0 {
        return Err(format!("'{field}': no item matches"));
    }
    Ok(())
}

fn apply_steps(
    v: &mut Value,
    steps: &[Step],
    mode: Mode,
    x: f64,
    touched: &mut usize,
) -> Result<(), String> {
    let Some((first, rest)) = steps.split_first() else {
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

/// Does an uncertainty's field path (with names or `*`) address a validation
/// path (with indices)? Compared on keys only.
fn field_matches(field: &str, path: &str) -> bool {
    let keys = |s: &str| -> Vec<String> {
        s.split('.')
            .map(|p| p.split('[').next().unwrap_or("").to_string())
            .collect()
    };
    keys(field) == keys(path)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        assert!(apply(&mut v, "regions[C].w", Mode::Set, 1.0).is_err());
        assert!(apply(&mut v, "a.nothing", Mode::Set, 1.0).is_err());
        assert!(parse_field("regions[").is_err());
    }
}
