//! Experiments: a world under several scenarios × policies × sampled
//! uncertainties × replications, run together and judged for robustness.
//!
//! A plain scenario file is the special case of one scenario, one policy,
//! one sample ([`Experiment::from_scenario`]).

pub mod batch;
mod checks;
pub mod configure;
pub mod design;
pub mod format;
pub mod patch;
pub mod relative;
mod resolve;
pub mod robustness;
pub mod runner;
pub mod sensitivity_design;
pub mod sketch;
pub mod stats;
pub mod summary;

use std::path::Path;

pub use format::*;
pub use patch::merge;
pub use robustness::{Robustness, judge};
pub use runner::{
    CellId, ExperimentResult, Outcome, PairSummary, Stopped, run_experiment, run_experiment_until,
};

use crate::scenario::locate::Locator;
use crate::scenario::validate::MAX_REPLICATIONS;
use crate::scenario::{Diagnostics, Scenario, parse};

/// Most samples an experiment may draw.
pub const MAX_SAMPLES: u32 = 100_000;
/// Most cells (scenario × policy × sample × replication) in one experiment.
/// (Each cell's headline values are kept in memory for the robustness
/// judgements: about 200 bytes a cell; and its yearly accounts for the
/// cost-benefit analysis: 88 bytes a year, 2.7 kB a cell over 30 years.)
pub const MAX_CELLS: u64 = 10_000_000;
/// Most uncertainties: each is applied to every configuration.
pub const MAX_UNCERTAINTIES: usize = 200;
/// Most memory, bytes, that an experiment's configurations (a full copy of
/// the world per scenario × policy × sample) and its sample table may take,
/// estimated before anything is built (see [`Experiment::resolve`]). 800 MB
/// since the life course, the housing market, legal status, feedback and
/// the accounts' earnings, benefits and pensions made every world larger (a
/// minimal world is about 7.5 kB written as JSON), so that 10^5
/// configurations of a minimal world still fit.
pub const MAX_CONFIG_BYTES: u64 = 800_000_000;

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
    /// The policy the others are compared against in `cost_benefit.csv`
    /// (an index into `policies`): `status_quo` if there is one, else the
    /// first policy the file lists.
    pub reference_policy: usize,
    pub uncertainties: Vec<Uncertainty>,
    /// `samples[k][u]`: value of uncertainty `u` in sample `k`.
    pub samples: Vec<Vec<f64>>,
    pub thresholds: Vec<Threshold>,
    /// The sampling design, as the file gives it (recorded in the manifest).
    pub sampling: Sampling,
    /// The configuration of every (scenario, policy, sample): index
    /// `(s × policies + p) × samples + k`.
    pub configs: Vec<Scenario>,
    pub horizon_weeks: u32,
    pub region_names: Vec<String>,
    /// The world's scenario file, when the experiment names one.
    pub world_file: Option<std::path::PathBuf>,
    /// How the configurations were built, to build more
    /// ([`Experiment::configure`]).
    pub recipe: std::sync::Arc<configure::Recipe>,
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
            reference_policy: 0,
            uncertainties: Vec::new(),
            samples: vec![Vec::new()],
            thresholds: Vec::new(),
            sampling: Sampling::default(),
            horizon_weeks: scenario.horizon_weeks,
            region_names: scenario.regions.iter().map(|r| r.name.clone()).collect(),
            world_file: None,
            recipe: std::sync::Arc::new(configure::Recipe::plain(&scenario)),
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
