//! The experiment format: a world, named scenarios (changes to drivers),
//! named policies (lever settings), uncertainties (drivers given as
//! distributions), a sampling design, replications, and thresholds for
//! judging policies. Vocabulary as in the EMA Workbench: uncertainties,
//! levers, outcomes.

use serde::{Deserialize, Serialize};

/// An experiment file. The `experiment` key (its name) marks a file as an
/// experiment rather than a scenario.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentFile {
    /// Name of the experiment, used for the output folder.
    pub experiment: String,
    #[serde(default)]
    pub description: String,
    /// The world: a scenario file (path relative to the experiment file) or
    /// an inline scenario mapping. Its own policy block is the default that
    /// policies change.
    pub world: WorldSource,
    /// Master seed (default: the world's seed).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Replications per (scenario, policy, sample).
    #[serde(default = "one", deserialize_with = "replications")]
    pub replications: u32,
    /// Scenarios: futures the government does not control. Absent: the world
    /// as it is, named `baseline`.
    #[serde(default)]
    pub scenarios: Vec<ScenarioSpec>,
    /// Policies: lever settings. Absent: the world's own levers, named
    /// `status_quo`.
    #[serde(default)]
    pub policies: Vec<PolicySpec>,
    /// Drivers given as distributions.
    #[serde(default)]
    pub uncertainties: Vec<Uncertainty>,
    /// How the uncertainties are sampled.
    #[serde(default)]
    pub sampling: Sampling,
    /// Conditions a policy should meet in every future.
    #[serde(default)]
    pub thresholds: Vec<Threshold>,
}

fn one() -> u32 {
    1
}

fn replications<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    crate::scenario::types::whole_number_within(
        d,
        "replications",
        crate::scenario::validate::MAX_REPLICATIONS,
    )
}

fn samples<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    crate::scenario::types::whole_number_within(d, "samples", super::MAX_SAMPLES)
}

/// Where the world comes from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WorldSource {
    /// A scenario file, relative to the experiment file.
    File(String),
    /// A scenario written inline.
    Inline(serde_json::Value),
}

/// A scenario: changes to the world's drivers. `changes` is a partial
/// scenario merged into the world: mappings merge key by key, lists of named
/// items (regions, origin groups) merge item by item by `name`, other values
/// replace. It may not change `policy`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "empty_map")]
    pub changes: serde_json::Value,
}

/// A policy: lever settings merged into the world's `policy` block, and,
/// optionally, regional capacities (`regions` items with `reception_places`,
/// `services` or `housing`, matched by name).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Changes to the `policy` block.
    #[serde(default = "empty_map")]
    pub levers: serde_json::Value,
    /// Changes to regional capacities, by region name.
    #[serde(default)]
    pub capacities: Vec<serde_json::Value>,
}

fn empty_map() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

/// A driver given as a distribution.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// Name used in `experiments.csv` (default: the field path).
    #[serde(default)]
    pub name: Option<String>,
    /// Field path in the scenario: `arrivals.weekly_rate`,
    /// `regions[Capital].attitude`, `regions[*].housing.medium_units_per_week`
    /// (`*`: every item), `arrivals.origin_groups[0].recognition_probability`.
    pub field: String,
    /// `set` replaces the field's value by the draw; `multiply` multiplies it.
    #[serde(default)]
    pub mode: Mode,
    pub distribution: Distribution,
}

impl Uncertainty {
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.field)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Set,
    Multiply,
}

/// A distribution of a driver.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Distribution {
    Uniform {
        low: f64,
        high: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    /// exp(N(mu, sigma)): `mu` and `sigma` of the logarithm.
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    /// One of `values`, with optional `weights` (default equal).
    Discrete {
        values: Vec<f64>,
        #[serde(default)]
        weights: Option<Vec<f64>>,
    },
}

/// The sampling design.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sampling {
    pub design: Design,
    /// Samples drawn (Monte Carlo and Latin hypercube; full factorial takes
    /// every combination of the discrete values instead). For `sobol`, the
    /// base samples N (the design has N(2k + 2) points for k
    /// uncertainties); for `morris`, the trajectories r (r(k + 1) points).
    #[serde(deserialize_with = "samples")]
    pub samples: u32,
    /// Grid levels of a `morris` design (even; default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<u32>,
}

impl Default for Sampling {
    fn default() -> Self {
        Sampling {
            design: Design::default(),
            samples: 1,
            levels: None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Design {
    #[default]
    MonteCarlo,
    LatinHypercube,
    FullFactorial,
    /// Saltelli's scheme for Sobol indices (see `sensitivity_design`).
    Sobol,
    /// Morris trajectories for elementary effects.
    Morris,
}

impl Design {
    pub fn name(self) -> &'static str {
        match self {
            Design::MonteCarlo => "monte_carlo",
            Design::LatinHypercube => "latin_hypercube",
            Design::FullFactorial => "full_factorial",
            Design::Sobol => "sobol",
            Design::Morris => "morris",
        }
    }
}

/// A condition on a headline indicator, e.g. `{indicator:
/// language_wait_worst_region_weeks, below: 12}`. Exactly one of `below`,
/// `at_most`, `above`, `at_least`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub indicator: String,
    #[serde(default)]
    pub below: Option<f64>,
    #[serde(default)]
    pub at_most: Option<f64>,
    #[serde(default)]
    pub above: Option<f64>,
    #[serde(default)]
    pub at_least: Option<f64>,
}

impl Threshold {
    /// Does a value meet the threshold? An undefined value (NaN) fails.
    pub fn holds(&self, v: f64) -> bool {
        if v.is_nan() {
            return false;
        }
        self.below.is_none_or(|b| v < b)
            && self.at_most.is_none_or(|b| v <= b)
            && self.above.is_none_or(|b| v > b)
            && self.at_least.is_none_or(|b| v >= b)
    }

    /// How the threshold reads, e.g. `language_wait_worst_region_weeks < 12`.
    pub fn describe(&self) -> String {
        let (op, v) = if let Some(v) = self.below {
            ("<", v)
        } else if let Some(v) = self.at_most {
            ("≤", v)
        } else if let Some(v) = self.above {
            (">", v)
        } else {
            ("≥", self.at_least.unwrap_or(f64::NAN))
        };
        format!("{} {op} {v}", self.indicator)
    }

    pub fn bounds(&self) -> usize {
        [self.below, self.at_most, self.above, self.at_least]
            .iter()
            .filter(|b| b.is_some())
            .count()
    }
}
