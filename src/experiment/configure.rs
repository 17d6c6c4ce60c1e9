//! How a (scenario, policy, sample) configuration is built: the world
//! merged with the scenario's changes, then with the policy's changes, then
//! each uncertainty's value applied at its field path. A resolved
//! experiment keeps its [`Recipe`], so that a caller can build
//! configurations for samples of its own exactly as the file's are built
//! ([`Experiment::configure`]; the Python package's EMA Workbench connector
//! does).

use serde::Deserialize;
use serde_json::Value;

use super::Experiment;
use super::format::Mode;
use super::patch::{FieldPath, merge};
use super::relative::{self, Problem};
use crate::scenario::Scenario;
use crate::scenario::validate::validate;

/// What every configuration of an experiment is built from.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// The world merged with each scenario's changes, in scenario order.
    pub(super) scenario_values: Vec<Value>,
    /// Each policy's changes (a partial scenario), in policy order.
    pub(super) policy_changes: Vec<Value>,
    /// Each uncertainty's field path and mode, in the file's order.
    pub(super) fields: Vec<(FieldPath, Mode)>,
    /// Every configuration carries the world's name.
    pub(super) world_name: String,
}

impl Recipe {
    /// The recipe of a plain scenario: one scenario, one policy, no
    /// uncertainty.
    pub(super) fn plain(scenario: &Scenario) -> Recipe {
        Recipe {
            scenario_values: vec![serde_json::to_value(scenario).expect("a scenario serialises")],
            policy_changes: vec![Value::Object(Default::default())],
            fields: Vec::new(),
            world_name: scenario.name.clone(),
        }
    }

    /// The world with a scenario's and a policy's changes; a policy's
    /// relative numbers (`{multiplier: m}`) scale this scenario's values.
    pub(super) fn pair(&self, scenario: usize, policy: usize) -> Result<Value, Vec<Problem>> {
        let mut v = self.scenario_values[scenario].clone();
        let change = relative::resolve(&self.policy_changes[policy], &v)?;
        merge(&mut v, &change);
        Ok(v)
    }

    /// Apply a sample (one value per uncertainty) to a pair's value; an
    /// error gives the uncertainty's index and what is wrong.
    pub(super) fn apply(&self, v: &mut Value, sample: &[f64]) -> Result<(), (usize, String)> {
        for (i, ((field, mode), x)) in self.fields.iter().zip(sample).enumerate() {
            field.apply(v, *mode, *x).map_err(|m| (i, m))?;
        }
        Ok(())
    }

    /// A built value as a configuration (not yet validated), carrying the
    /// world's name; or the field path and message of the error.
    pub(super) fn read(&self, v: Value) -> Result<Scenario, (String, String)> {
        let mut s = to_scenario_owned(v)?;
        s.name = self.world_name.clone();
        Ok(s)
    }
}

impl Experiment {
    /// The configuration of (`scenario`, `policy`) with `sample` (one value
    /// per uncertainty, in the file's order) applied as the file's own
    /// samples are, then each of `set` (a field path and any value)
    /// replacing what is there; validated. Errors read `field.path: what is
    /// wrong`, one a line.
    pub fn configure(
        &self,
        scenario: usize,
        policy: usize,
        sample: &[f64],
        set: &[(FieldPath, Value)],
    ) -> Result<Scenario, Vec<String>> {
        let r = &self.recipe;
        if sample.len() != r.fields.len() {
            return Err(vec![format!(
                "{} values given for {} uncertainties",
                sample.len(),
                r.fields.len()
            )]);
        }
        let mut v = r.pair(scenario, policy).map_err(|ps| {
            ps.into_iter()
                .map(|p| format!("{}: {}", p.path, p.message))
                .collect::<Vec<_>>()
        })?;
        r.apply(&mut v, sample).map_err(|(_, m)| vec![m])?;
        for (field, value) in set {
            field.set(&mut v, value).map_err(|m| vec![m])?;
        }
        let s = r
            .read(v)
            .map_err(|(path, m)| vec![format!("{path}: {m}")])?;
        let issues = validate(&s);
        if issues.is_empty() {
            Ok(s)
        } else {
            Err(issues
                .into_iter()
                .map(|i| format!("{}: {}", i.path, i.message))
                .collect())
        }
    }
}

/// A merged value as a scenario, or the field path and message of the
/// error. It takes the value: an experiment may build 10^5 configurations,
/// and copying and tracking the path of each showed as most of the time of
/// validating them. The path is tracked only to report an error.
pub(super) fn to_scenario_owned(v: Value) -> Result<Scenario, (String, String)> {
    match Scenario::deserialize(&v) {
        Ok(s) => Ok(s),
        Err(_) => serde_path_to_error::deserialize::<_, Scenario>(v).map_err(|e| {
            let path = e.path().to_string();
            let message = crate::scenario::wording::explain(&e.inner().to_string(), &path);
            (path, message)
        }),
    }
}
