//! Volunteers (weekly process 1b, after the drivers and ageing): a national stock of
//! mentors and sponsors, as a multiple of the mentoring pairs and sponsored
//! households a policy provides. With `feedback.volunteers` on it grows
//! with public attitude and with the salience of arrivals, and decays with
//! time; off, it stays at 1 and the policy's numbers hold.
//!
//! Evidence: "Interest in these initiatives waned as the number of asylum
//! seekers arriving in Europe fell" (seed 001, M50); almost half of
//! Germany's population supported refugees at some point (seed 000). The
//! strengths are assumptions (A60).

use bevy_ecs::prelude::*;

use super::resources::{Params, Regions, Tally};

/// The volunteer stock: 1 is the policy's own numbers of mentoring pairs
/// and sponsored households.
#[derive(Resource, Debug, Clone, Copy)]
pub struct Volunteers {
    pub stock: f64,
}

impl Default for Volunteers {
    fn default() -> Self {
        Volunteers { stock: 1.0 }
    }
}

/// One week of the stock: `v ← v + recruitment × attitude × arrivals per
/// 1,000 residents − decay × v`, never below 0.
pub fn next_stock(
    stock: f64,
    recruitment: f64,
    decay: f64,
    attitude: f64,
    arrivals_per_1000: f64,
) -> f64 {
    (stock + recruitment * attitude * arrivals_per_1000 - decay * stock).max(0.0)
}

pub fn volunteers(
    params: Res<Params>,
    regions: Res<Regions>,
    tally: Res<Tally>,
    mut volunteers: ResMut<Volunteers>,
) {
    let f = &params.scenario.feedback;
    if !f.volunteers {
        return;
    }
    // The national attitude (population-weighted, as reported) and last
    // week's arrivals per 1,000 residents.
    let mut population = 0.0;
    let mut weighted = 0.0;
    for (region, spec) in regions.0.iter().zip(&params.scenario.regions) {
        let p = spec.population as f64;
        population += p;
        weighted += region.attitude * p;
    }
    let attitude = weighted / population.max(1.0);
    let arrivals_per_1000 = tally.arrivals / population.max(1.0) * 1000.0;
    volunteers.stock = next_stock(
        volunteers.stock,
        f.volunteer_recruitment,
        f.volunteer_decay_per_week,
        attitude,
        arrivals_per_1000,
    );
}
