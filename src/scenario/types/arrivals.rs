//! Arrivals: who arrives, when and how.

use serde::{Deserialize, Serialize};

use super::{Schedule, TIERS};

/// The arrival process: a weekly rate shaped by trend, seasonality and surges,
/// split by channel and by origin group.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arrivals {
    /// Baseline arrivals, persons per week: a number, or a schedule of
    /// steps (e.g. by month).
    pub weekly_rate: Schedule,
    /// Growth of the rate per year (0.05 = +5% a year, compounded weekly).
    #[serde(default)]
    pub annual_trend: f64,
    /// Seasonal swing of the rate.
    #[serde(default)]
    pub seasonality: Seasonality,
    /// Surges: periods of arrivals several times the baseline.
    #[serde(default)]
    pub surges: Vec<Surge>,
    /// Shares of arrivals by channel (must sum to 1).
    #[serde(default)]
    pub channels: Channels,
    /// Origin groups and their profiles (shares must sum to 1).
    pub origin_groups: Vec<OriginGroup>,
}

/// Sinusoidal seasonality: rate × (1 + amplitude × cos(2π (week − peak_week) / 52)).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Seasonality {
    /// Relative swing, 0 to 1.
    pub amplitude: f64,
    /// Week of the year (0–51) at which arrivals peak.
    pub peak_week: u32,
}

/// A surge: the rate rises linearly to `peak_multiplier` × baseline over
/// `ramp_weeks`, stays there, and falls back over the last `ramp_weeks`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Surge {
    /// First week of the surge (0-based).
    pub start_week: u32,
    /// Length in weeks.
    pub length_weeks: u32,
    /// Rate multiplier at the peak (3.0 = three times the baseline).
    pub peak_multiplier: f64,
    /// Weeks to ramp up (and down). 0 gives a step.
    #[serde(default)]
    pub ramp_weeks: u32,
    /// Origin mix during the surge, by group name; shares must sum to 1.
    /// Absent: the groups' own shares.
    #[serde(default)]
    pub origin_mix: Option<Vec<OriginShare>>,
}

/// An origin group's share of arrivals during a surge.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginShare {
    pub group: String,
    pub share: f64,
}

/// Arrival channels. `asylum` arrivals are dispersed and await a decision;
/// `resettlement` arrivals come with refugee status and a home; `family` and
/// `labour` arrivals come with a residence permit and find their own home.
///
/// Left out, the block is all `asylum`; in a written block a channel left
/// out is 0 (not the block's value), so that the shares written must sum
/// to 1 by themselves.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channels {
    #[serde(default)]
    pub asylum: f64,
    #[serde(default)]
    pub resettlement: f64,
    #[serde(default)]
    pub family: f64,
    #[serde(default)]
    pub labour: f64,
}

impl Default for Channels {
    fn default() -> Self {
        Channels {
            asylum: 1.0,
            resettlement: 0.0,
            family: 0.0,
            labour: 0.0,
        }
    }
}

impl Channels {
    pub fn as_array(&self) -> [f64; 4] {
        [self.asylum, self.resettlement, self.family, self.labour]
    }
}

/// An origin group and the profile of the people who arrive from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginGroup {
    /// Unique name.
    pub name: String,
    /// Share of arrivals outside surges.
    pub share: f64,
    /// Skill tiers of adults (shares sum to 1).
    pub skills: SkillMix,
    /// Share of adults who read and write in some language (D3: everybody
    /// unless written; G11: the sources give no share).
    #[serde(default = "literate_share")]
    pub literacy: f64,
    /// Host-language proficiency on arrival, 0 to 1.
    #[serde(default)]
    pub initial_language: f64,
    /// Shares of households of size 1, 2, 3, … (sum to 1; at most 12 sizes).
    pub household_sizes: Vec<f64>,
    /// Share of persons with trauma or health needs that slow integration.
    #[serde(default)]
    pub vulnerability: f64,
    /// Probability that an asylum claim is granted, at the week of the
    /// decision: a number, or a schedule of steps (e.g. by year).
    pub recognition_probability: Schedule,
    /// Shares of arriving persons by age band.
    #[serde(default)]
    pub age_profile: super::AgeProfile,
    /// Who lives in households of two or more.
    #[serde(default)]
    pub household_types: super::HouseholdTypes,
    /// Family abroad and the protection granted.
    #[serde(default)]
    pub family_abroad: super::FamilyAbroad,
}

/// D3: nobody's language is slowed unless the scenario says so. (Q20, one
/// third of an immigration service's users having difficulty with written
/// text, is not a share who cannot read or write.)
fn literate_share() -> f64 {
    1.0
}

/// Shares by skill tier (must sum to 1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillMix {
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

impl SkillMix {
    pub fn as_array(&self) -> [f64; TIERS] {
        [self.low, self.mid, self.high]
    }
}
