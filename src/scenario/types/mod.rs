//! The scenario format: what a YAML scenario file may contain, one file
//! per part of the scenario (the world's regions, arrivals, services, the
//! other drivers, the labour market, accounts, policy).
//!
//! Every struct denies unknown fields so that a misspelt key is an error, not
//! a silently ignored setting. Defaults are the documented defaults of
//! `docs/scenario-format.md` (`tests/scenario_docs.rs` checks that the two
//! agree); where a default rests on a source, its id in
//! `docs/sources.md` is named beside it.
//!
//! Each default is stated once, beside its field:
//! - a block whose every field may be left out is declared with
//!   `block_with_defaults!`, each field written `pub name: Type = value,`;
//!   leaving out the block and leaving out a field of a written block give
//!   the same value;
//! - a block whose fields all default to their type's zero, empty list or
//!   `false` derives `Default` and has `#[serde(default)]` on the struct;
//! - a struct with required fields marks each optional field
//!   `#[serde(default)]` (the type's zero) or `#[serde(default = "f")]`,
//!   `f` being the one function that states the value;
//! - where a written block must differ from the block left out (a required
//!   field in `asylum` and `services.<service>`, the channels that are 0 in a
//!   written `channels` block), the struct says why.
//!
//! Adding a field with a default to a block is one edit in the block: its
//! doc comment and `pub name: f64 = 0.5,`. Then its row in
//! `docs/scenario-format.md` (the docs test fails without it) and its range
//! check in `validate.rs`. A new block is a `block_with_defaults!` with a
//! `#[serde(default)]` field of `Scenario` (or of its parent block).

/// Declare a block of the scenario whose every field may be left out, each
/// field with its default beside it:
///
/// ```ignore
/// block_with_defaults! {
///     /// What the block is.
///     pub struct Block {
///         /// What the field is.
///         pub field: f64 = 0.5,
///     }
/// }
/// ```
///
/// This is the struct (`Debug`, `Clone`, serde, unknown fields denied, a
/// field left out taken from `Default`) and its one `Default` impl, which
/// also serves when the whole block is left out. Attributes, doc comments
/// included, pass through to the struct and its fields.
macro_rules! block_with_defaults {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_attr:meta])*
                pub $field:ident: $ty:ty = $default:expr,
            )*
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $(
                $(#[$field_attr])*
                pub $field: $ty,
            )*
        }

        impl Default for $name {
            fn default() -> Self {
                $name {
                    $($field: $default,)*
                }
            }
        }
    };
}

mod accounts;
mod adaptation;
mod arrivals;
mod demography;
mod drivers;
mod families;
mod feedback;
mod housing;
mod labour_market;
mod legal_status;
mod named_drivers;
mod policy;
mod schedule;
mod schools;
mod services;
mod start_date;
mod wildcards;
mod world;

pub use accounts::*;
pub use adaptation::*;
pub use arrivals::*;
pub use demography::*;
pub use drivers::*;
pub use families::*;
pub use feedback::*;
pub use housing::*;
pub use labour_market::*;
pub use legal_status::*;
pub use named_drivers::*;
pub use policy::*;
pub use schedule::*;
pub use schools::*;
pub use services::*;
pub use start_date::*;
pub use wildcards::*;
pub use world::*;

use serde::{Deserialize, Serialize};

/// Number of skill tiers (low, mid, high).
pub const TIERS: usize = 3;
/// Largest household size a scenario may describe.
pub const MAX_HOUSEHOLD_SIZE: usize = 12;

/// A whole scenario file: the world, the drivers (arrivals, labour market,
/// housing supply, attitudes) and the policy levers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name used for the output folder and in reports.
    pub name: String,
    /// Free text shown in the manifest.
    #[serde(default)]
    pub description: String,
    /// Number of weekly steps to simulate.
    #[serde(deserialize_with = "horizon")]
    pub horizon_weeks: u32,
    /// The calendar date of week 0, for reading weeks as dates in reports;
    /// the model does not use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<StartDate>,
    /// Master seed of the experiment; every replication's random streams are
    /// derived from it and the replication's identity.
    #[serde(default = "one_u64")]
    pub seed: u64,
    /// Persons per agent. 1 simulates every person; 10 lets one agent stand for
    /// ten persons in a country-sized run. Every reported count is in persons.
    #[serde(default = "one_u32")]
    pub scale: u32,
    /// Replications run by `foresight run` unless `--replications` is given.
    #[serde(default = "one_u32", deserialize_with = "replications")]
    pub replications: u32,
    /// The regions of the world.
    pub regions: Vec<Region>,
    /// Who arrives, when and how.
    pub arrivals: Arrivals,
    /// National asylum processing.
    #[serde(default)]
    pub asylum: Asylum,
    /// Housing supply and the move-on from reception.
    #[serde(default)]
    pub housing: Housing,
    /// Subsidiary protection, appeals, tolerated stay and removals.
    #[serde(default)]
    pub legal_status: LegalStatusRules,
    /// National settings of each public service (capacities are per region).
    #[serde(default)]
    pub services: Services,
    /// What a school place does for children and their parents (places are
    /// per region).
    #[serde(default)]
    pub schools: Schools,
    /// Ages of the life stages, deaths, births, leaving home.
    #[serde(default)]
    pub demography: Demography,
    /// What young people who grew up here bring to the labour market.
    #[serde(default)]
    pub second_generation: SecondGeneration,
    /// Integration progress: language, bonds, bridges and links.
    #[serde(default)]
    pub integration: Integration,
    /// Job finding, job loss and labour-market change.
    #[serde(default)]
    pub labour_market: LabourMarket,
    /// How host-community attitudes move.
    #[serde(default)]
    pub attitudes: Attitudes,
    /// Which feedback loops run (attitude, budgets, volunteers, bridges to
    /// jobs) and their strengths.
    #[serde(default)]
    pub feedback: Feedback,
    /// Onward moves of recognised refugees between regions.
    #[serde(default)]
    pub secondary_movement: SecondaryMovement,
    /// Events that happen by chance (surges, shocks, disruptions).
    #[serde(default)]
    pub wildcards: Vec<Wildcard>,
    /// Named drivers (conflict, climate, the economy, automation) that move
    /// arrivals, job finding and job loss.
    #[serde(default)]
    pub drivers: Vec<NamedDriver>,
    /// Costs, contributions and discounting.
    #[serde(default)]
    pub accounts: Accounts,
    /// The levers the government controls.
    #[serde(default)]
    pub policy: Policy,
}

fn horizon<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    whole_number_within(d, "weeks", crate::scenario::validate::MAX_HORIZON_WEEKS)
}

fn replications<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    whole_number_within(
        d,
        "replications",
        crate::scenario::validate::MAX_REPLICATIONS,
    )
}

/// Read a count that is stored as `u32` but may be written larger: a count
/// beyond the range of `u32` (a horizon of 10^10 weeks) is refused naming
/// the format's own limit, not the machine's (4294967295). Counts within
/// the range are checked against `limit` by validation, with the others.
pub fn whole_number_within<'de, D: serde::Deserializer<'de>>(
    d: D,
    unit: &'static str,
    limit: u32,
) -> Result<u32, D::Error> {
    struct Count {
        unit: &'static str,
        limit: u32,
    }
    impl serde::de::Visitor<'_> for Count {
        type Value = u32;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a whole number from 0 to {}", self.limit)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| {
                E::custom(format!(
                    "{v} {} is beyond the limit of {} {}",
                    self.unit, self.limit, self.unit
                ))
            })
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u32, E> {
            match u64::try_from(v) {
                Ok(v) => self.visit_u64(v),
                Err(_) => Err(E::custom(format!(
                    "expected a whole number from 0 to {}, found {v}",
                    self.limit
                ))),
            }
        }
        // A quoted number ("52") is read as the number, as for other fields.
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<u32, E> {
            let t = v.trim();
            if let Ok(n) = t.parse::<u64>() {
                self.visit_u64(n)
            } else if let Ok(n) = t.parse::<i64>() {
                self.visit_i64(n)
            } else {
                Err(E::invalid_type(serde::de::Unexpected::Str(v), &self))
            }
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u32, E> {
            if v.fract() == 0.0 && v >= 0.0 && v <= u32::MAX as f64 {
                self.visit_u64(v as u64)
            } else if v.fract() == 0.0 && v > 0.0 {
                Err(E::custom(format!(
                    "{v:e} {} is beyond the limit of {} {}",
                    self.unit, self.limit, self.unit
                )))
            } else {
                Err(E::custom(format!(
                    "expected a whole number from 0 to {}, found {v}",
                    self.limit
                )))
            }
        }
    }
    // `any`, so that a number of any form reaches the visitor (the parser
    // would refuse `1e12` or 10^20 with the range of `u64` otherwise).
    d.deserialize_any(Count { unit, limit })
}

fn one_u64() -> u64 {
    1
}
fn one_u32() -> u32 {
    1
}

/// A value per skill tier.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRates {
    // All three are required when the block is written, so that a tier left
    // out is an error rather than a silent zero.
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

impl TierRates {
    pub fn as_array(&self) -> [f64; TIERS] {
        [self.low, self.mid, self.high]
    }
    pub(crate) fn new(low: f64, mid: f64, high: f64) -> Self {
        TierRates { low, mid, high }
    }
}
