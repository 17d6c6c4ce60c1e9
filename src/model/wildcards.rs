//! Wildcards (weekly process 1, before the drivers): events that happen by
//! chance inside a replication. Every event of a replication is drawn
//! before its first week, each wildcard on a random stream of its own keyed
//! by the replication's identity and the wildcard's name, never by the
//! policy: every policy meets the same events (common random numbers), and
//! the events of a future can be listed without simulating it
//! ([`draw_events`], as `events.csv` does).
//!
//! Each week the process sets [`Disruptions`], the events' effects in force
//! that week, which the processes they disturb read: arrivals (surges),
//! drivers (jobs lost, attitudes), the housing market (units coming free),
//! services (places) and the labour market (hiring, newcomers' jobs lost).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;

use super::arrivals::surge_shape;
use super::components::{SERVICES, Service};
use super::named_drivers::DriverEffects;
use super::resources::{Clock, Params};
use super::rng::{Process, ReplicationKey};
use crate::scenario::{Draw, DrawKind, Scenario, TIERS, Wildcard, WildcardKind};

/// Weeks in a wildcard's year.
const YEAR: u32 = 52;

/// One event that happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Index of its wildcard in the scenario's `wildcards`.
    pub wildcard: usize,
    pub start_week: u32,
    pub duration_weeks: u32,
    pub size: f64,
    /// The one region a regional event struck (`one_region`); `None`: all
    /// of the wildcard's regions.
    pub region: Option<usize>,
}

impl Event {
    pub fn active(&self, week: u32) -> bool {
        week >= self.start_week && week - self.start_week < self.duration_weeks
    }
}

/// Every event of a replication that starts within the horizon, by start
/// week (then by wildcard): a pure function of the scenario's world and the
/// replication's identity.
pub fn draw_events(scenario: &Scenario, key: &ReplicationKey) -> Vec<Event> {
    let mut events = Vec::new();
    for (i, w) in scenario.wildcards.iter().enumerate() {
        let mut rng = key.named_stream(Process::Wildcards, &w.name);
        for start in start_weeks(w, scenario.horizon_weeks, &mut rng) {
            // Each event's draws in a fixed order: size, duration, region.
            let size = draw(&w.size, &mut rng);
            let duration_weeks = (draw(&w.duration_weeks, &mut rng).round().max(1.0)) as u32;
            let region =
                (w.kind.regional() && w.one_region).then(|| draw_region(scenario, w, &mut rng));
            events.push(Event {
                wildcard: i,
                start_week: start,
                duration_weeks,
                size,
                region,
            });
        }
    }
    events.sort_by_key(|e| (e.start_week, e.wildcard));
    events
}

/// The weeks in which a wildcard's events start, before `horizon`.
/// `probability_per_year`: each year from `first_week` on (52 weeks) has
/// one event with that probability, in a week drawn uniformly from the
/// year's weeks. `rate_per_year`: a Poisson process from `first_week` on,
/// an event in the week in which each exponential waiting time ends.
fn start_weeks(w: &Wildcard, horizon: u32, rng: &mut Pcg64Mcg) -> Vec<u32> {
    let mut starts = Vec::new();
    if let Some(p) = w.probability_per_year {
        let mut year_start = w.first_week;
        while year_start < horizon {
            // Both draws every year, so that a year's event does not
            // depend on whether earlier years had one.
            let happens = rng.random::<f64>() < p;
            let week = year_start + rng.random_range(0..YEAR);
            if happens && week < horizon {
                starts.push(week);
            }
            year_start += YEAR;
        }
    } else if let Some(rate) = w.rate_per_year
        && rate > 0.0
    {
        let per_week = rate / f64::from(YEAR);
        let mut t = f64::from(w.first_week);
        loop {
            // Exponential waiting time by inversion; 1 − u is in (0, 1].
            t += -(1.0 - rng.random::<f64>()).ln() / per_week;
            if t >= f64::from(horizon) {
                break;
            }
            starts.push(t as u32);
        }
    }
    starts
}

/// One draw from a distribution the validation accepted.
pub fn draw(d: &Draw, rng: &mut Pcg64Mcg) -> f64 {
    let f = |x: Option<f64>| x.unwrap_or(0.0);
    match d.distribution {
        DrawKind::Fixed => f(d.value),
        DrawKind::Uniform => {
            let u: f64 = rng.random();
            f(d.low) + u * (f(d.high) - f(d.low))
        }
        DrawKind::Triangular => {
            let (a, c, b) = (f(d.low), f(d.mode), f(d.high));
            let u: f64 = rng.random();
            if b <= a {
                return a;
            }
            let fc = (c - a) / (b - a);
            if u < fc {
                a + (u * (b - a) * (c - a)).sqrt()
            } else {
                b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
            }
        }
        DrawKind::Lognormal => {
            let z: f64 = StandardNormal.sample(rng);
            let x = f(d.median) * (f(d.sigma) * z).exp();
            x.min(d.max.unwrap_or(f64::INFINITY))
        }
    }
}

/// The region a `one_region` event strikes, drawn by population among the
/// wildcard's regions.
fn draw_region(s: &Scenario, w: &Wildcard, rng: &mut Pcg64Mcg) -> usize {
    let candidates = region_indices(s, w);
    let weights: Vec<f64> = candidates
        .iter()
        .map(|&r| s.regions[r].population as f64)
        .collect();
    let total: f64 = weights.iter().sum();
    candidates[super::arrivals::draw_index(rng, &weights, total)]
}

/// The regions a regional wildcard may strike (all if it names none).
pub fn region_indices(s: &Scenario, w: &Wildcard) -> Vec<usize> {
    if w.regions.is_empty() {
        return (0..s.regions.len()).collect();
    }
    w.regions
        .iter()
        .filter_map(|n| s.regions.iter().position(|r| &r.name == n))
        .collect()
}

/// The regions an event struck, as `events.csv` names them: the region
/// drawn, the wildcard's regions joined by `;`, or `all`.
pub fn event_regions(s: &Scenario, e: &Event) -> String {
    let w = &s.wildcards[e.wildcard];
    match e.region {
        Some(r) => s.regions[r].name.clone(),
        None if !w.kind.regional() || w.regions.is_empty() => "all".to_string(),
        None => w.regions.join(";"),
    }
}

/// The effects in force this week of the events that happened.
#[derive(Resource)]
pub struct Disruptions {
    events: Vec<Event>,
    /// Per wildcard: the origin groups it surges, the regions it may
    /// strike, the services it disrupts (masks by index).
    groups: Vec<Vec<bool>>,
    regions: Vec<Vec<bool>>,
    services: Vec<[bool; SERVICES]>,
    /// Multiplier on each origin group's arrivals.
    pub arrivals: Vec<f64>,
    /// Multiplier on vacancies.
    pub hiring: f64,
    /// Share of jobs lost this week, by tier (labour shocks' first week).
    pub job_loss: [f64; TIERS],
    /// Multiplier on housing units coming free, by region.
    pub housing: Vec<f64>,
    /// Multiplier on service places, by region and service.
    pub places: Vec<[f64; SERVICES]>,
    /// Change of the attitude index this week, by region.
    pub attitude: Vec<f64>,
    /// The named drivers' effects in force this week, set by their own
    /// process ([`super::named_drivers`]). They live here, not in a resource
    /// of their own, because a resource is an entity in bevy_ecs 0.20: one
    /// more entity shifts the entity indices by which the services order a
    /// week's joiners, and would change results of scenarios without drivers.
    pub drivers: DriverEffects,
}

impl Disruptions {
    /// The events of a replication, none yet in force.
    pub fn new(s: &Scenario, key: &ReplicationKey) -> Disruptions {
        let nr = s.regions.len();
        let groups = s
            .wildcards
            .iter()
            .map(|w| {
                s.arrivals
                    .origin_groups
                    .iter()
                    .map(|g| w.origins.is_empty() || w.origins.contains(&g.name))
                    .collect()
            })
            .collect();
        let regions = s
            .wildcards
            .iter()
            .map(|w| {
                let mut mask = vec![false; nr];
                for r in region_indices(s, w) {
                    mask[r] = true;
                }
                mask
            })
            .collect();
        let services = s
            .wildcards
            .iter()
            .map(|w| {
                Service::ALL
                    .map(|sv| w.services.is_empty() || w.services.iter().any(|n| n == sv.name()))
            })
            .collect();
        Disruptions {
            events: draw_events(s, key),
            groups,
            regions,
            services,
            arrivals: vec![1.0; s.arrivals.origin_groups.len()],
            hiring: 1.0,
            job_loss: [0.0; TIERS],
            housing: vec![1.0; nr],
            places: vec![[1.0; SERVICES]; nr],
            attitude: vec![0.0; nr],
            drivers: DriverEffects::new(s, key),
        }
    }

    /// Set the effects in force in `week`.
    fn set(&mut self, s: &Scenario, week: u32) {
        self.arrivals.fill(1.0);
        self.hiring = 1.0;
        self.job_loss = [0.0; TIERS];
        self.housing.fill(1.0);
        self.places.fill([1.0; SERVICES]);
        self.attitude.fill(0.0);
        for e in &self.events {
            if e.start_week > week {
                break; // sorted by start
            }
            if !e.active(week) {
                continue;
            }
            let w = &s.wildcards[e.wildcard];
            let k = e.wildcard;
            let struck = |r: usize| match e.region {
                Some(one) => r == one,
                None => self.regions[k][r],
            };
            match w.kind {
                WildcardKind::ArrivalSurge => {
                    // Overlapping surges add their excess, as scheduled ones do.
                    let shape = surge_shape(e.start_week, e.duration_weeks, w.ramp_weeks, week);
                    for (g, m) in self.arrivals.iter_mut().enumerate() {
                        if self.groups[k][g] {
                            *m = (*m + (e.size - 1.0) * shape).max(0.0);
                        }
                    }
                }
                WildcardKind::LabourShock => {
                    self.hiring *= w.hiring_multiplier;
                    if week == e.start_week {
                        let weights = w.tier_weights.as_array();
                        for (loss, weight) in self.job_loss.iter_mut().zip(weights) {
                            let l = (e.size * weight).clamp(0.0, 1.0);
                            *loss = 1.0 - (1.0 - *loss) * (1.0 - l);
                        }
                    }
                }
                WildcardKind::HousingShock => {
                    for (r, h) in self.housing.iter_mut().enumerate() {
                        if struck(r) {
                            *h *= 1.0 - e.size;
                        }
                    }
                }
                WildcardKind::ServiceDisruption => {
                    for (r, places) in self.places.iter_mut().enumerate() {
                        if struck(r) {
                            for (i, p) in places.iter_mut().enumerate() {
                                if self.services[k][i] {
                                    *p *= 1.0 - e.size;
                                }
                            }
                        }
                    }
                }
                WildcardKind::AttitudeShock => {
                    let per_week = e.size / f64::from(e.duration_weeks);
                    for (r, a) in self.attitude.iter_mut().enumerate() {
                        if struck(r) {
                            *a += per_week;
                        }
                    }
                }
            }
        }
    }

    /// The events of the replication.
    pub fn events(&self) -> &[Event] {
        &self.events
    }
}

/// Weekly process 1: the wildcards' effects in force this week.
pub fn wildcards(clock: Res<Clock>, params: Res<Params>, mut d: ResMut<Disruptions>) {
    if params.scenario.wildcards.is_empty() {
        return;
    }
    d.set(&params.scenario, clock.week);
}
