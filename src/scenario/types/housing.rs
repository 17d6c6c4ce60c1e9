//! The housing market: the homes that come free to newcomers in each region
//! (`regions[].housing`) and the national rules of the market (`housing`).

use serde::{Deserialize, Serialize};

/// Homes in one region. Two sources of homes for newcomers add up: units
/// let to newcomers directly each week (social tenure: a municipality's
/// allocation or a housing programme), and the newcomers' share of the
/// re-lets of the rented stock (`housing.annual_turnover`,
/// `housing.newcomer_access_share`, `housing.private_share`).
///
/// Sizes: a `small` unit houses one person, `medium` two to four (social
/// housing is built for families of two to four, Q15), `large` five or more.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegionHousing {
    /// Units per week let to newcomers directly that fit a single person.
    pub small_units_per_week: f64,
    /// Units per week let to newcomers directly that fit a household of two to four.
    pub medium_units_per_week: f64,
    /// Units per week let to newcomers directly that fit a household of five or more.
    pub large_units_per_week: f64,
    /// The region's rented homes by size, social and private together.
    pub stock: HousingStock,
}

/// Rented homes by size (units).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HousingStock {
    pub small: f64,
    pub medium: f64,
    pub large: f64,
}

impl HousingStock {
    pub fn as_array(&self) -> [f64; 3] {
        [self.small, self.medium, self.large]
    }
}

impl RegionHousing {
    pub fn units_per_week(&self) -> [f64; 3] {
        [
            self.small_units_per_week,
            self.medium_units_per_week,
            self.large_units_per_week,
        ]
    }
}

block_with_defaults! {
    /// The national rules of the housing market.
    pub struct Housing {
        /// Growth of the units coming free per week, per year (-0.02 = supply
        /// shrinks 2% a year).
        pub annual_supply_trend: f64 = 0.0,
        /// Weeks a household waits for a unit of its size before it accepts one a
        /// size smaller and is counted as overcrowded (it keeps searching).
        pub overcrowding_after_weeks: u32 = 12,
        /// Share of the rented stock re-let each year (A61).
        pub annual_turnover: f64 = 0.08,
        /// Share of re-lets that go to newcomers rather than to local demand (A62).
        pub newcomer_access_share: f64 = 0.1,
        /// Share of the rented stock let privately at market rents (A63).
        pub private_share: f64 = 0.8,
        /// Share of households without anyone in work whose income does not reach
        /// a private rent (A64).
        pub rent_barrier: f64 = 0.5,
        /// Weeks of a region's supply of a size and tenure that may stay vacant
        /// and on offer when nobody takes it; the rest is let to others (A65).
        pub carry_over_weeks: f64 = 4.0,
        /// Multiplier on service take-up and job finding of homeless persons
        /// (housing as a precondition of training and work, M16; A66).
        pub homeless_activity_factor: f64 = 0.5,
    }
}
