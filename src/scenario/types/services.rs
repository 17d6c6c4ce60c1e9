//! National settings of the public services (their seats are per region,
//! in `regions[].services`).

use serde::{Deserialize, Serialize};

block_with_defaults! {
    /// National settings for each service. A service left out keeps the
    /// settings below: assumptions (A8): the sources give no course lengths,
    /// capacities or costs (G2); round orders of magnitude. Arguments: take-up per week, duration in weeks, cost per
    /// place-week.
    pub struct Services {
        pub language: ServiceSettings = ServiceSettings::new(0.10, 26.0, 120.0),
        pub coaching: ServiceSettings = ServiceSettings::new(0.05, 26.0, 150.0),
        pub credential_recognition: ServiceSettings = ServiceSettings::new(0.05, 16.0, 80.0),
        pub interpretation: ServiceSettings = ServiceSettings::new(0.10, 2.0, 60.0),
        pub health_registration: ServiceSettings = ServiceSettings::new(0.25, 1.0, 40.0),
        pub mental_health: ServiceSettings = ServiceSettings::new(0.05, 12.0, 200.0),
    }
}

/// How long a service lasts: a fixed number of weeks, or geometric
/// (memoryless, the discrete analogue of exponential service).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationKind {
    #[default]
    Fixed,
    Geometric,
}

/// One service's national settings. Leaving a service out keeps its
/// defaults; writing its block replaces them, so every field but `duration`
/// must then be given (the defaults differ from service to service, and a
/// cost must never silently become another service's or zero).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSettings {
    /// Weekly probability that an eligible person not yet served joins the
    /// waiting list.
    pub take_up_per_week: f64,
    /// Mean length of the service, weeks.
    pub duration_weeks: f64,
    /// `fixed` or `geometric`.
    #[serde(default)]
    pub duration: DurationKind,
    /// Cost of one occupied place for one week (currency of `accounts`).
    pub cost_per_place_week: f64,
}

impl ServiceSettings {
    fn new(take_up_per_week: f64, duration_weeks: f64, cost_per_place_week: f64) -> Self {
        ServiceSettings {
            take_up_per_week,
            duration_weeks,
            duration: DurationKind::default(),
            cost_per_place_week,
        }
    }
}
