//! Analyses of an experiment's results, as a foresight unit asks them:
//! which futures make a policy fail (scenario discovery with PRIM), which
//! inputs matter most (feature scores, Sobol and Morris sensitivity
//! indices), and how robust each policy is by several metrics.

pub mod prim;
pub mod special;
