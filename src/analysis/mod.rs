//! Analyses of an experiment's results, as a foresight unit asks them:
//! which futures make a policy fail (scenario discovery with PRIM), which
//! inputs matter most (feature scores, Sobol and Morris sensitivity
//! indices), and how robust each policy is by several metrics.
//!
//! - [`cost_benefit`]: net present value against a reference policy;
//! - [`dataset`]: an output folder read back (manifest, experiments, outcomes);
//! - [`prim`]: PRIM as the EMA Workbench's;
//! - [`feature_scores`]: extra-trees impurity importance;
//! - [`sobol`], [`morris`]: sensitivity estimators; [`sensitivity`] applies
//!   them to an experiment run with those designs;
//! - [`discover`]: `foresight discover`, all of the above into `discovery/`;
//! - [`special`]: the special functions they need.

pub mod cost_benefit;
pub mod dataset;
pub mod discover;
pub mod feature_scores;
pub mod morris;
pub mod prim;
pub mod robustness_metrics;
pub mod sensitivity;
pub mod sobol;
pub mod special;
