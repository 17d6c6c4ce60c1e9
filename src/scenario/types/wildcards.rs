//! Wildcards: events that happen by chance inside a replication (arrival
//! surges, labour-market shocks, housing shocks, service disruptions,
//! attitude shocks), each with a yearly probability or rate and drawn
//! sizes and durations; and [`Draw`], the distribution a size or a
//! duration is drawn from.

use serde::{Deserialize, Serialize};

use super::TierRates;

/// What a wildcard does while it lasts; what its `size` means depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WildcardKind {
    /// Arrivals are multiplied by `size` on the plateau (linear ramps of
    /// `ramp_weeks` at both ends), for the groups in `origins`.
    ArrivalSurge,
    /// In the first week a share `size` × the tier's weight of jobs is lost,
    /// as in a scheduled shock; hiring runs at `hiring_multiplier` while it lasts.
    LabourShock,
    /// Housing units coming free fall by the share `size` while it lasts.
    HousingShock,
    /// Service places fall by the share `size` while it lasts (nobody in a
    /// course is sent away; new starts wait until places free up).
    ServiceDisruption,
    /// The attitude index moves by `size` (negative: more hostile), spread
    /// evenly over the event's weeks.
    AttitudeShock,
}

impl WildcardKind {
    /// The name in the scenario file and in `events.csv`.
    pub fn name(self) -> &'static str {
        match self {
            WildcardKind::ArrivalSurge => "arrival_surge",
            WildcardKind::LabourShock => "labour_shock",
            WildcardKind::HousingShock => "housing_shock",
            WildcardKind::ServiceDisruption => "service_disruption",
            WildcardKind::AttitudeShock => "attitude_shock",
        }
    }

    /// Whether the event strikes regions (rather than the country as a whole).
    pub fn regional(self) -> bool {
        matches!(
            self,
            WildcardKind::HousingShock
                | WildcardKind::ServiceDisruption
                | WildcardKind::AttitudeShock
        )
    }
}

/// A kind of event that may happen by chance. Exactly one of
/// `probability_per_year` and `rate_per_year` is given.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wildcard {
    /// Unique name: the `wildcard` column of `events.csv`.
    pub name: String,
    pub kind: WildcardKind,
    /// At most one event a year, with this probability, starting in a week
    /// drawn uniformly from the year's 52.
    #[serde(default)]
    pub probability_per_year: Option<f64>,
    /// Events start as a Poisson process with this mean number a year.
    #[serde(default)]
    pub rate_per_year: Option<f64>,
    /// No event starts before this week.
    #[serde(default)]
    pub first_week: u32,
    /// How large an event is (meaning by `kind`).
    pub size: Draw,
    /// How long an event lasts, in weeks (drawn, rounded to whole weeks, at
    /// least 1).
    pub duration_weeks: Draw,
    /// Arrival surges: weeks to ramp up, and down (0: a step).
    #[serde(default)]
    pub ramp_weeks: u32,
    /// Arrival surges: the origin groups whose arrivals surge (empty: all).
    #[serde(default)]
    pub origins: Vec<String>,
    /// Labour shocks: the share of `size` lost in each tier (1: the full size).
    #[serde(default = "every_tier")]
    pub tier_weights: TierRates,
    /// Labour shocks: multiplier on vacancies while the shock lasts.
    #[serde(default = "unchanged")]
    pub hiring_multiplier: f64,
    /// Regional kinds: the regions an event may strike (empty: all).
    #[serde(default)]
    pub regions: Vec<String>,
    /// Regional kinds: each event strikes one of `regions`, drawn by
    /// population (false: all of them at once).
    #[serde(default)]
    pub one_region: bool,
    /// Service disruptions: the services hit (empty: all six).
    #[serde(default)]
    pub services: Vec<String>,
}

fn every_tier() -> TierRates {
    TierRates::new(1.0, 1.0, 1.0)
}

fn unchanged() -> f64 {
    1.0
}

/// A distribution of a drawn quantity. `distribution` names it and the
/// fields it needs: `fixed` (`value`), `uniform` (`low`, `high`),
/// `triangular` (`low`, `mode`, `high`), `lognormal` (`median`, `sigma`,
/// optionally `max`: larger draws are set to `max`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draw {
    pub distribution: DrawKind,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub low: Option<f64>,
    #[serde(default)]
    pub high: Option<f64>,
    #[serde(default)]
    pub mode: Option<f64>,
    #[serde(default)]
    pub median: Option<f64>,
    #[serde(default)]
    pub sigma: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

/// The distributions a [`Draw`] may name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrawKind {
    #[default]
    Fixed,
    Uniform,
    Triangular,
    Lognormal,
}

impl DrawKind {
    pub fn name(self) -> &'static str {
        match self {
            DrawKind::Fixed => "fixed",
            DrawKind::Uniform => "uniform",
            DrawKind::Triangular => "triangular",
            DrawKind::Lognormal => "lognormal",
        }
    }

    /// The fields this distribution needs, and those it may take.
    pub fn fields(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            DrawKind::Fixed => (&["value"], &[]),
            DrawKind::Uniform => (&["low", "high"], &[]),
            DrawKind::Triangular => (&["low", "mode", "high"], &[]),
            DrawKind::Lognormal => (&["median", "sigma"], &["max"]),
        }
    }
}

impl Draw {
    /// A fixed value.
    pub fn fixed(value: f64) -> Draw {
        Draw {
            distribution: DrawKind::Fixed,
            value: Some(value),
            ..Draw::default()
        }
    }

    /// A field by name (`value`, `low`, …).
    pub fn field(&self, name: &str) -> Option<f64> {
        match name {
            "value" => self.value,
            "low" => self.low,
            "high" => self.high,
            "mode" => self.mode,
            "median" => self.median,
            "sigma" => self.sigma,
            "max" => self.max,
            _ => None,
        }
    }

    /// The fields written, by name.
    pub fn written(&self) -> impl Iterator<Item = &'static str> + '_ {
        ["value", "low", "high", "mode", "median", "sigma", "max"]
            .into_iter()
            .filter(|f| self.field(f).is_some())
    }

    /// The smallest and largest value a draw can take (infinite for an
    /// uncapped lognormal).
    pub fn bounds(&self) -> (f64, f64) {
        let f = |x: Option<f64>| x.unwrap_or(f64::NAN);
        match self.distribution {
            DrawKind::Fixed => (f(self.value), f(self.value)),
            DrawKind::Uniform | DrawKind::Triangular => (f(self.low), f(self.high)),
            DrawKind::Lognormal => (0.0, self.max.unwrap_or(f64::INFINITY)),
        }
    }

    /// The mean of a draw (of the capped lognormal, its uncapped mean: an
    /// upper bound).
    pub fn mean(&self) -> f64 {
        let f = |x: Option<f64>| x.unwrap_or(f64::NAN);
        match self.distribution {
            DrawKind::Fixed => f(self.value),
            DrawKind::Uniform => 0.5 * (f(self.low) + f(self.high)),
            DrawKind::Triangular => (f(self.low) + f(self.mode) + f(self.high)) / 3.0,
            DrawKind::Lognormal => {
                let s = f(self.sigma);
                (f(self.median) * (0.5 * s * s).exp()).min(self.max.unwrap_or(f64::INFINITY))
            }
        }
    }
}
