//! The national drivers other than arrivals and the labour market: asylum
//! processing, integration progress, secondary movement and host-community
//! attitudes (the housing market is in `housing.rs`).

use serde::{Deserialize, Serialize};

use super::Schedule;

/// National asylum processing.
///
/// Left out, the block has the capacity of its `Default`; written, it must
/// give `decision_capacity_per_week`, so that a capacity is never silently
/// assumed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asylum {
    /// Decisions per week, persons, worked through the backlog first come
    /// first served: a number, or a schedule of steps (e.g. by year).
    pub decision_capacity_per_week: Schedule,
    /// Persons already awaiting a decision at week 0, drawn over origin
    /// groups by share and dispersed by the policy's rule like arrivals (but
    /// not counted as arrivals).
    #[serde(default)]
    pub initial_backlog: u64,
    /// Weekly probability that a rejected person leaves the country
    /// (returns); the others stay on in legal limbo.
    #[serde(default = "rejected_departure_rate")]
    pub rejected_departure_rate_per_week: f64,
}

fn rejected_departure_rate() -> f64 {
    0.02
}

impl Default for Asylum {
    fn default() -> Self {
        Asylum {
            decision_capacity_per_week: Schedule::from(1000.0),
            initial_backlog: 0,
            rejected_departure_rate_per_week: rejected_departure_rate(),
        }
    }
}

block_with_defaults! {
    /// Integration progress. All rates are weekly; every quantity is on a 0–1
    /// scale and grows towards 1 by `rate × (1 − level)` (or towards a target).
    pub struct Integration {
        /// Language growth per week while in a language course.
        pub language_gain_in_course: f64 = 0.03,
        /// Language growth per week while employed (work is a place to practise, seed 003).
        pub language_gain_at_work: f64 = 0.01,
        /// Language growth per week from everyday life.
        pub language_gain_everyday: f64 = 0.002,
        /// Multiplier on language growth for persons without literacy.
        pub illiteracy_factor: f64 = 0.5,
        /// Multiplier on language growth, bridges growth and job finding for
        /// persons with untreated trauma.
        pub trauma_factor: f64 = 0.6,
        /// Same-origin persons in a region at which bonds reach their full level.
        pub bonds_saturation: f64 = 2000.0,
        /// Weekly adjustment of bonds towards their target.
        pub bonds_rate: f64 = 0.05,
        /// Bridges growth per week while employed.
        pub bridges_gain_at_work: f64 = 0.01,
        /// Bridges growth per week for sponsored households' members.
        pub bridges_gain_sponsored: f64 = 0.02,
        /// Bridges growth per week while mentored.
        pub bridges_gain_mentored: f64 = 0.02,
        /// Links growth per week while using any service.
        pub links_gain_in_service: f64 = 0.02,
    }
}

block_with_defaults! {
    /// Secondary movement: recognised refugees, resettled persons and residents
    /// without a job may move to a region with jobs and people like them, unless
    /// a residence rule holds them (`policy.residence_rule_weeks`). Movers stay
    /// with family or friends at first and are counted as overcrowded.
    pub struct SecondaryMovement {
        /// Weekly probability that an eligible household moves.
        pub rate_per_week: f64 = 0.002,
        /// Exponent on a region's jobs per resident in the choice of destination.
        pub job_pull: f64 = 1.0,
        /// Extra weight per 1% of the household's origin group living in a region.
        pub network_pull: f64 = 0.5,
    }
}

block_with_defaults! {
    /// Host-community attitudes: they fall when services are overloaded and
    /// arrivals per head are high, and rise with contact (seed 000, seed 003).
    pub struct Attitudes {
        /// Weekly fall per unit of overload (emergency accommodation and
        /// homelessness as a share of reception capacity).
        pub overload_sensitivity: f64 = 0.002,
        /// Weekly fall per arrival per 1,000 residents in the week.
        pub arrivals_sensitivity: f64 = 0.05,
        /// Weekly rise per sponsored person living in the region per 100,000 residents.
        pub contact_gain: f64 = 0.0005,
        /// Weekly rise per unit of adult refugees' and other newcomers'
        /// bridges (a person with full bridges counts 1) per 100,000 residents:
        /// contact through work, mentoring and neighbours (D3; A60 range).
        pub bridges_contact_gain: f64 = 0.0,
        /// Weekly pull back towards the starting value.
        pub reversion_rate: f64 = 0.02,
    }
}
