//! Named drivers of change: time series with uncertainty (conflict in
//! origin regions, the host economy's cycle, automation, climate
//! displacement), either set as a path or drawn (trend, volatility, regime
//! switches), and the elasticities that map them to arrivals by origin and
//! to job finding and job loss by tier.
//!
//! A driver's value is an index: 1 is the reference level at which its
//! effects are neutral. An effect multiplies its target by
//! `value ^ elasticity`, so an elasticity is the percentage change of the
//! target for a 1% change of the driver.

use serde::{Deserialize, Serialize};

/// What a driver stands for. It labels the driver (in the docs and the
/// report); how it acts is given by its effects alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriverKind {
    ConflictIntensity,
    EconomicCycle,
    Automation,
    ClimateDisplacement,
    #[default]
    Other,
}

/// A named driver. With a `path` its values are set; otherwise they are
/// drawn each replication, on the drivers' own random stream:
///
/// ```text
/// value(w) = clamp(start × (1 + trend_per_year)^(w/52) × level(regime(w)) × exp(y(w)), min, max)
/// y(0) = 0,  y(w+1) = y(w) × (1 − reversion_per_year/52) + volatility_per_year/√52 × ε(w)
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Driver {
    /// Unique name.
    pub name: String,
    #[serde(default)]
    pub kind: DriverKind,
    /// Value at week 0 of a drawn path.
    #[serde(default = "one")]
    pub start: f64,
    /// Growth of the central path per year (0.05: +5% a year, compounded weekly).
    #[serde(default)]
    pub trend_per_year: f64,
    /// Standard deviation of the log value's random change over a year.
    #[serde(default)]
    pub volatility_per_year: f64,
    /// Pull of the random part back to the central path, per year (0: a
    /// random walk).
    #[serde(default)]
    pub reversion_per_year: f64,
    /// Drawn values are kept between `min` and `max`.
    #[serde(default)]
    pub min: f64,
    #[serde(default = "ten")]
    pub max: f64,
    /// Regimes the driver switches between (the first is where it starts).
    #[serde(default)]
    pub regimes: Vec<Regime>,
    /// A set path: the value at given weeks, linear in between, constant
    /// before the first and after the last. Nothing is drawn.
    #[serde(default)]
    pub path: Vec<PathPoint>,
    /// What the driver moves.
    #[serde(default)]
    pub effects: Vec<Effect>,
}

fn one() -> f64 {
    1.0
}

fn ten() -> f64 {
    10.0
}

/// A regime: while in it the driver's central path is multiplied by
/// `level`; each week it ends with probability 1 / `mean_weeks`, and the
/// driver moves to one of the other regimes, each equally likely.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regime {
    pub name: String,
    pub level: f64,
    pub mean_weeks: f64,
}

/// A point of a set path.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathPoint {
    pub week: u32,
    pub value: f64,
}

/// What an effect acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectTarget {
    /// Expected arrivals of the groups in `origins` (all if empty).
    Arrivals,
    /// The weekly job-finding hazard in the tiers in `tiers` (all if empty).
    JobFinding,
    /// The weekly probability of losing a job in the tiers in `tiers`.
    JobLoss,
}

/// One effect of a driver: its target is multiplied by `value ^ elasticity`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effect {
    pub on: EffectTarget,
    pub elasticity: f64,
    /// Arrivals: origin group names (empty: all groups).
    #[serde(default)]
    pub origins: Vec<String>,
    /// Job finding and job loss: `low`, `mid`, `high` (empty: all tiers).
    #[serde(default)]
    pub tiers: Vec<String>,
}

/// Tier names in order, as effects name them.
pub const TIER_NAMES: [&str; super::TIERS] = ["low", "mid", "high"];
