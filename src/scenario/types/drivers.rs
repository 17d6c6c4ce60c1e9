//! The national drivers other than arrivals and the labour market: asylum
//! processing, housing supply, integration progress, secondary movement and
//! host-community attitudes.

use serde::{Deserialize, Serialize};

/// National asylum processing.
///
/// Left out, the block has the capacity of its `Default`; written, it must
/// give `decision_capacity_per_week`, so that a capacity is never silently
/// assumed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asylum {
    /// Decisions per week, persons, worked through the backlog first come
    /// first served.
    pub decision_capacity_per_week: f64,
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
            decision_capacity_per_week: 1000.0,
            initial_backlog: 0,
            rejected_departure_rate_per_week: rejected_departure_rate(),
        }
    }
}

/// Housing supply change and overcrowding.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Housing {
    /// Growth of the units coming free per week, per year (-0.02 = supply
    /// shrinks 2% a year).
    pub annual_supply_trend: f64,
    /// Weeks a household waits for a unit of its size before it accepts one a
    /// size smaller and is counted as overcrowded.
    pub overcrowding_after_weeks: u32,
}

impl Default for Housing {
    fn default() -> Self {
        Housing {
            annual_supply_trend: 0.0,
            overcrowding_after_weeks: 12,
        }
    }
}

/// Integration progress. All rates are weekly; every quantity is on a 0–1
/// scale and grows towards 1 by `rate × (1 − level)` (or towards a target).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Integration {
    /// Language growth per week while in a language course.
    pub language_gain_in_course: f64,
    /// Language growth per week while employed (work is a place to practise, seed 003).
    pub language_gain_at_work: f64,
    /// Language growth per week from everyday life.
    pub language_gain_everyday: f64,
    /// Multiplier on language growth for persons without literacy.
    pub illiteracy_factor: f64,
    /// Multiplier on language growth, bridges growth and job finding for
    /// persons with untreated trauma.
    pub trauma_factor: f64,
    /// Same-origin persons in a region at which bonds reach their full level.
    pub bonds_saturation: f64,
    /// Weekly adjustment of bonds towards their target.
    pub bonds_rate: f64,
    /// Bridges growth per week while employed.
    pub bridges_gain_at_work: f64,
    /// Bridges growth per week for sponsored households' members.
    pub bridges_gain_sponsored: f64,
    /// Bridges growth per week while mentored.
    pub bridges_gain_mentored: f64,
    /// Links growth per week while using any service.
    pub links_gain_in_service: f64,
}

impl Default for Integration {
    fn default() -> Self {
        Integration {
            language_gain_in_course: 0.03,
            language_gain_at_work: 0.01,
            language_gain_everyday: 0.002,
            illiteracy_factor: 0.5,
            trauma_factor: 0.6,
            bonds_saturation: 2000.0,
            bonds_rate: 0.05,
            bridges_gain_at_work: 0.01,
            bridges_gain_sponsored: 0.02,
            bridges_gain_mentored: 0.02,
            links_gain_in_service: 0.02,
        }
    }
}

/// Secondary movement: recognised refugees, resettled persons and residents
/// without a job may move to a region with jobs and people like them, unless
/// a residence rule holds them (`policy.residence_rule_weeks`). Movers stay
/// with family or friends at first and are counted as overcrowded.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecondaryMovement {
    /// Weekly probability that an eligible household moves.
    pub rate_per_week: f64,
    /// Exponent on a region's jobs per resident in the choice of destination.
    pub job_pull: f64,
    /// Extra weight per 1% of the household's origin group living in a region.
    pub network_pull: f64,
}

impl Default for SecondaryMovement {
    fn default() -> Self {
        SecondaryMovement {
            rate_per_week: 0.002,
            job_pull: 1.0,
            network_pull: 0.5,
        }
    }
}

/// Host-community attitudes: they fall when services are overloaded and
/// arrivals per head are high, and rise with contact (seed 000, seed 003).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Attitudes {
    /// Weekly fall per unit of overload (emergency accommodation and
    /// homelessness as a share of reception capacity).
    pub overload_sensitivity: f64,
    /// Weekly fall per arrival per 1,000 residents in the week.
    pub arrivals_sensitivity: f64,
    /// Weekly rise per sponsored person living in the region per 100,000 residents.
    pub contact_gain: f64,
    /// Weekly pull back towards the starting value.
    pub reversion_rate: f64,
}

impl Default for Attitudes {
    fn default() -> Self {
        Attitudes {
            overload_sensitivity: 0.002,
            arrivals_sensitivity: 0.05,
            contact_gain: 0.0005,
            reversion_rate: 0.02,
        }
    }
}
