//! The world: its regions, with their people, reception places, housing
//! supply, service seats and jobs.

use serde::{Deserialize, Serialize};

use super::TIERS;
use super::housing::RegionHousing;

/// One region of the world.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Unique name, used by references elsewhere in the file.
    pub name: String,
    /// Resident (host) population, persons.
    pub population: u64,
    /// Urban (true) or rural (false); free choice is drawn to urban regions.
    #[serde(default)]
    pub urban: bool,
    /// Dispersal weight, a share (the Königstein key share of a German Land,
    /// S5). Used by the `quota_key` rule; the weights must sum to 1
    /// when that rule is chosen.
    #[serde(default)]
    pub dispersal_weight: f64,
    /// Reception places (beds in initial accommodation), persons.
    pub reception_places: u32,
    /// Mainstream housing units that come free each week, by unit size.
    #[serde(default)]
    pub housing: RegionHousing,
    /// Service capacities, in places (seats) per service.
    #[serde(default)]
    pub services: RegionServices,
    /// School places for newcomers' children.
    #[serde(default)]
    pub schools: super::RegionSchools,
    /// Jobs in the region by tier (the whole regional labour market).
    pub jobs: JobsByTier,
    /// Host-community attitude index at the start, 0 (hostile) to 1 (welcoming).
    #[serde(default = "neutral_attitude")]
    pub attitude: f64,
}

fn neutral_attitude() -> f64 {
    0.5
}

/// Places per service in one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegionServices {
    pub language: ServiceCapacity,
    pub coaching: ServiceCapacity,
    pub credential_recognition: ServiceCapacity,
    pub interpretation: ServiceCapacity,
    pub health_registration: ServiceCapacity,
    pub mental_health: ServiceCapacity,
}

/// Capacity of one service in one region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceCapacity {
    /// Persons that can be served at once.
    pub seats: u32,
}

/// Jobs by skill tier.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsByTier {
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

impl JobsByTier {
    pub fn as_array(&self) -> [f64; TIERS] {
        [self.low, self.mid, self.high]
    }
}
