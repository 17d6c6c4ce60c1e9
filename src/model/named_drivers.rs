//! Named drivers (weekly process 1, with the wildcards): conflict and
//! climate in origin regions move arrivals by origin; the host economy's
//! cycle and automation move job finding and job loss by tier. Each driver
//! is an index, 1 where the scenario's own rates hold; a rate is multiplied
//! by the index raised to the driver's elasticity (constant elasticity:
//! doubling the index multiplies the rate by 2^elasticity).
//!
//! A driver's whole path is set before the first week: from the scenario
//! (`path`), or drawn on a stream of its own keyed by the replication's
//! identity and the driver's name, never by the policy, so that every
//! policy meets the same path (common random numbers) and a path can be
//! read without simulating ([`driver_path`]).
//!
//! Evidence: the default elasticities are in
//! [`crate::scenario::DriverKind`] (S36–S39, A80–A83).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use super::resources::{Clock, Params};
use super::rng::ReplicationKey;
use super::wildcards::Disruptions;
use crate::scenario::{NamedDriver, PathPoint, Scenario, TIERS};

/// Bounds of a driver's index: a drawn path is kept within them, so that
/// no rate is multiplied by more than the index's bound to its elasticity.
pub const MIN_INDEX: f64 = 1e-3;
pub const MAX_INDEX: f64 = 1e3;
/// Largest multiplier the drivers together put on an origin group's
/// arrivals (the largest wildcard surge, `MAX_SURGE_MULTIPLIER`).
pub const MAX_ARRIVALS_MULTIPLIER: f64 = 50.0;

/// The driver's index in each week of the horizon.
pub fn driver_path(d: &NamedDriver, horizon: u32, key: &ReplicationKey) -> Vec<f64> {
    match &d.path {
        Some(points) => (0..horizon).map(|w| set_path(points, w)).collect(),
        None => drawn_path(d, horizon, key),
    }
}

/// A set path at `week`: linear between points, flat outside them.
fn set_path(points: &[PathPoint], week: u32) -> f64 {
    let Some(first) = points.first() else {
        return 1.0;
    };
    if week <= first.week {
        return first.value;
    }
    for pair in points.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if week <= b.week {
            let t = f64::from(week - a.week) / f64::from(b.week - a.week);
            return a.value + t * (b.value - a.value);
        }
    }
    points.last().map_or(1.0, |p| p.value)
}

/// A drawn path: start × (1 + trend)^(week/52) × exp(deviation) × the
/// regime's level. The deviation is an AR(1) in logs with weekly shocks of
/// sd `volatility_per_year`/√52 and weekly persistence (1 − reversion)^(1/52)
/// (reversion 0: a random walk, whose log changes over a year with sd
/// `volatility_per_year`). Each week after the first draws its shock, then
/// a uniform that ends the regime with probability 1/`mean_weeks`, both
/// every week whatever the settings, so that one setting does not shift
/// another's draws.
fn drawn_path(d: &NamedDriver, horizon: u32, key: &ReplicationKey) -> Vec<f64> {
    let mut rng = key.driver_stream(&d.name);
    let start = d.start.unwrap_or(1.0);
    let growth = (1.0 + d.trend_per_year.unwrap_or(0.0)).ln() / 52.0;
    let shock_sd = d.volatility_per_year.unwrap_or(0.0) / 52f64.sqrt();
    let keep = (1.0 - d.reversion_per_year.unwrap_or(0.0)).powf(1.0 / 52.0);
    let mut deviation = 0.0;
    let mut regime = 0;
    let mut path = Vec::with_capacity(horizon as usize);
    for week in 0..horizon {
        if week > 0 {
            let z: f64 = StandardNormal.sample(&mut rng);
            let u: f64 = rng.random();
            deviation = keep * deviation + shock_sd * z;
            if let Some(r) = d.regimes.get(regime)
                && u < 1.0 / r.mean_weeks
            {
                regime = (regime + 1) % d.regimes.len();
            }
        }
        let level = d.regimes.get(regime).map_or(1.0, |r| r.level);
        let x = start * (growth * f64::from(week) + deviation).exp() * level;
        path.push(x.clamp(MIN_INDEX, MAX_INDEX));
    }
    path
}

/// The drivers' effects in force this week, read by arrivals and the
/// labour market (1 everywhere without drivers); kept in
/// [`Disruptions::drivers`].
pub struct DriverEffects {
    /// Each driver's path over the horizon.
    paths: Vec<Vec<f64>>,
    /// Per driver: the origin groups it moves.
    groups: Vec<Vec<bool>>,
    /// Multiplier on each origin group's arrivals.
    pub arrivals: Vec<f64>,
    /// Multiplier on the job-finding hazard and on the vacancies open to
    /// newcomers, by tier sought.
    pub job_finding: [f64; TIERS],
    /// Multiplier on the weekly job-loss rate, by tier of the job.
    pub job_loss: [f64; TIERS],
}

impl DriverEffects {
    pub fn new(s: &Scenario, key: &ReplicationKey) -> DriverEffects {
        let groups = s
            .drivers
            .iter()
            .map(|d| {
                s.arrivals
                    .origin_groups
                    .iter()
                    .map(|g| {
                        d.kind.moves_arrivals()
                            && (d.origins.is_empty() || d.origins.contains(&g.name))
                    })
                    .collect()
            })
            .collect();
        DriverEffects {
            paths: s
                .drivers
                .iter()
                .map(|d| driver_path(d, s.horizon_weeks, key))
                .collect(),
            groups,
            arrivals: vec![1.0; s.arrivals.origin_groups.len()],
            job_finding: [1.0; TIERS],
            job_loss: [1.0; TIERS],
        }
    }

    /// Each driver's path over the horizon, in the scenario's order.
    pub fn paths(&self) -> &[Vec<f64>] {
        &self.paths
    }

    /// Set the effects in force in `week`.
    fn set(&mut self, s: &Scenario, week: u32) {
        self.arrivals.fill(1.0);
        self.job_finding = [1.0; TIERS];
        self.job_loss = [1.0; TIERS];
        for (k, d) in s.drivers.iter().enumerate() {
            let x = self.paths[k][week as usize];
            let (arrivals, finding, loss) = d.elasticities();
            if d.kind.moves_arrivals() {
                let m = x.powf(arrivals);
                for (a, moved) in self.arrivals.iter_mut().zip(&self.groups[k]) {
                    if *moved {
                        *a *= m;
                    }
                }
            } else {
                for t in 0..TIERS {
                    self.job_finding[t] *= x.powf(finding.as_array()[t]);
                    self.job_loss[t] *= x.powf(loss.as_array()[t]);
                }
            }
        }
        for a in &mut self.arrivals {
            *a = a.min(MAX_ARRIVALS_MULTIPLIER);
        }
    }
}

/// Weekly process 1: the named drivers' effects in force this week.
pub fn named_drivers(clock: Res<Clock>, params: Res<Params>, mut d: ResMut<Disruptions>) {
    if params.scenario.drivers.is_empty() {
        return;
    }
    d.drivers.set(&params.scenario, clock.week);
}
