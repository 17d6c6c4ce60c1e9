//! foresight: stress-testing migration and integration policy with an
//! agent-based simulation.
//!
//! The library is organised as the product is:
//! - [`scenario`]: the YAML scenario format, parsing and validation;
//! - [`model`]: the simulation (one ECS system per weekly process);
//! - [`run`]: running replications and collecting their results;
//! - [`output`]: writing tidy CSV files, the manifest and the terminal summary.
//!
//! A researcher can run a scenario from Rust without the CLI:
//!
//! ```no_run
//! let scenario = foresight::scenario::load(std::path::Path::new("scenarios/baseline.yaml")).unwrap();
//! let result = foresight::model::run_replication(&scenario, foresight::model::ReplicationKey::new(scenario.seed, 0));
//! println!("{:?}", result.headline);
//! ```

pub mod analysis;
pub mod compare;
pub mod experiment;
pub mod model;
pub mod output;
pub mod report;
pub mod run;
pub mod scenario;

/// The version written into every manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
