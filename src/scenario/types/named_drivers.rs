//! Named drivers: external forces (conflict in origin regions, climate
//! displacement, the host economy's cycle, automation) as an index over
//! time, set by the scenario or drawn per replication, that move arrivals
//! by origin, or job finding and job loss by tier, through elasticities.

use serde::{Deserialize, Serialize};

use super::TierRates;

/// What a driver is; it says which rates the driver moves and gives the
/// default elasticities (docs/model.md, Named drivers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriverKind {
    /// Conflict intensity in origin regions: moves arrivals.
    Conflict,
    /// Climate displacement pressure in origin regions: moves arrivals.
    Climate,
    /// The host labour market's tightness (vacancies per jobseeker) relative
    /// to the scenario's own: moves job finding and job loss.
    Economy,
    /// The pace of automation: moves job finding and job loss.
    Automation,
}

impl DriverKind {
    pub fn name(self) -> &'static str {
        match self {
            DriverKind::Conflict => "conflict",
            DriverKind::Climate => "climate",
            DriverKind::Economy => "economy",
            DriverKind::Automation => "automation",
        }
    }

    /// Whether the driver acts in origin regions (on arrivals) rather than
    /// on the host labour market.
    pub fn moves_arrivals(self) -> bool {
        matches!(self, DriverKind::Conflict | DriverKind::Climate)
    }

    /// The elasticity of arrivals with respect to the index (origin kinds).
    pub fn default_arrivals(self) -> f64 {
        match self {
            // Arrivals proportional to conflict intensity (A80; direction S36).
            DriverKind::Conflict => 1.0,
            // Arrivals proportional to climate pressure (A81; size S37).
            DriverKind::Climate => 1.0,
            DriverKind::Economy | DriverKind::Automation => 0.0,
        }
    }

    /// The elasticities of job finding and of job loss (host kinds).
    pub fn default_labour(self) -> (TierRates, TierRates) {
        match self {
            // The index is labour-market tightness: job finding's elasticity
            // 0.28 (S38); job loss a third as strong, the other way (A82, S39).
            DriverKind::Economy => (
                TierRates::new(0.28, 0.28, 0.28),
                TierRates::new(-0.1, -0.1, -0.1),
            ),
            // Automation strikes low- and mid-skilled work (A83, S7).
            DriverKind::Automation => (
                TierRates::new(-0.5, -0.25, 0.0),
                TierRates::new(0.5, 0.25, 0.0),
            ),
            DriverKind::Conflict | DriverKind::Climate => {
                (TierRates::default(), TierRates::default())
            }
        }
    }
}

/// A named driver: an index that is 1 where the scenario's own rates hold.
/// Either `path` sets it, or it is drawn: `start` × (1 + `trend_per_year`)
/// ^ years × exp(a random deviation with `volatility_per_year`, pulled back
/// by `reversion_per_year`) × the level of the regime in force.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedDriver {
    /// Unique name; it keys the driver's random stream.
    pub name: String,
    pub kind: DriverKind,
    /// Conflict and climate: the origin groups whose arrivals it moves
    /// (empty: all).
    #[serde(default)]
    pub origins: Vec<String>,
    /// A set path: the index at the given weeks, linear in between, flat
    /// before the first and after the last. Excludes the drawn settings.
    #[serde(default)]
    pub path: Option<Vec<PathPoint>>,
    /// Drawn: the index at week 0.
    #[serde(default)]
    pub start: Option<f64>,
    /// Drawn: growth of the index per year (0.05: +5% a year).
    #[serde(default)]
    pub trend_per_year: Option<f64>,
    /// Drawn: standard deviation of a year's change of the log index.
    #[serde(default)]
    pub volatility_per_year: Option<f64>,
    /// Drawn: share of the deviation from the trend closed in a year
    /// (0: a random walk; 1: no memory beyond a year).
    #[serde(default)]
    pub reversion_per_year: Option<f64>,
    /// Drawn: regimes the index switches between (at least two), starting
    /// in the first; each multiplies the index by its `level` and lasts a
    /// geometric number of weeks with mean `mean_weeks`, then gives way to
    /// the next in the list (after the last, the first).
    #[serde(default)]
    pub regimes: Vec<Regime>,
    /// Elasticities that replace the kind's defaults.
    #[serde(default)]
    pub elasticity: Elasticities,
}

/// A point of a set path.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathPoint {
    pub week: u32,
    pub value: f64,
}

/// A regime of a drawn driver.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regime {
    /// Multiplier on the index while the regime lasts.
    pub level: f64,
    /// Mean length of a stay in the regime, weeks.
    pub mean_weeks: f64,
}

/// How strongly a driver moves the rates: a rate is multiplied by the
/// index raised to the elasticity. Arrivals for conflict and climate
/// drivers; job finding and job loss by tier for economy and automation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Elasticities {
    #[serde(default)]
    pub arrivals: Option<f64>,
    #[serde(default)]
    pub job_finding: Option<TierRates>,
    #[serde(default)]
    pub job_loss: Option<TierRates>,
}

impl NamedDriver {
    /// The elasticities in force: those written, else the kind's.
    pub fn elasticities(&self) -> (f64, TierRates, TierRates) {
        let (finding, loss) = self.kind.default_labour();
        (
            self.elasticity
                .arrivals
                .unwrap_or(self.kind.default_arrivals()),
            self.elasticity.job_finding.clone().unwrap_or(finding),
            self.elasticity.job_loss.clone().unwrap_or(loss),
        )
    }
}
