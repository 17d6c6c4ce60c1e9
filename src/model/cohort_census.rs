//! Cohort census (bookkeeping, after the week's observation): at the end of
//! every complete year of the run, each arrival cohort's outcomes, as the
//! table of cohort indicators ([`COHORT`]) defines them, for the national
//! total. It only reads person agents and their households and writes its
//! own record, so observing
//! never changes what happens; in the other 51 weeks of a year it returns
//! at once, so the weekly pass is not slowed.

use bevy_ecs::prelude::*;

use super::components::*;
use super::indicators::cohort::{self, About, Aggregate, COHORT, HouseholdSubject, Subject};
use super::labour_market::WorkRights;
use super::resources::{Clock, Params};

/// The cohort values of a replication: see [`cohort::index`]. Undefined
/// (NaN) until observed, and for (cohort, years) pairs past the horizon.
#[derive(Resource)]
pub struct Census {
    pub values: Vec<f64>,
    years: usize,
    /// This year's sums per (cohort, indicator): persons it is about, and
    /// the sum of their values.
    sums: Vec<[f64; 2]>,
}

impl Census {
    pub fn new(horizon_weeks: u32) -> Census {
        Census {
            values: vec![f64::NAN; cohort::points(horizon_weeks)],
            years: cohort::years(horizon_weeks),
            sums: Vec::new(),
        }
    }
}

/// What the census reads of a person.
type Observed = (
    &'static Person,
    &'static Residence,
    &'static Progress,
    &'static Work,
    &'static ServiceUse,
    &'static Schooling,
);

pub fn cohort_census(
    clock: Res<Clock>,
    params: Res<Params>,
    mut census: ResMut<Census>,
    // Agents only: the others have no work or bonds of their own, and each
    // agent stands for `scale` persons, as in the weekly indicators.
    persons: Query<Observed, Without<NotAgent>>,
    // Households of agents only (`Household::agents`), each standing for
    // `scale` households.
    households: Query<(&Household, &Reunion)>,
) {
    let week = clock.week;
    let year = (week / 52) as usize;
    if week % 52 != 51 || year >= census.years {
        return;
    }
    let census = &mut *census;
    let k = COHORT.len();
    census.sums.clear();
    census.sums.resize((year + 1) * k, [0.0; 2]);
    let rights = WorkRights::new(week, params.scenario.policy.early_work_access_weeks);
    for (person, residence, progress, work, services, schooling) in &persons {
        if residence.region == u16::MAX || !cohort::in_a_cohort(residence.legal) {
            continue;
        }
        let s = Subject {
            person,
            residence,
            progress,
            work,
            services,
            schooling,
            may_work: rights.may_work(person, residence),
        };
        // Arrivals this year and earlier only: `c ≤ year`.
        let c = usize::from(person.arrival_week) / 52;
        let sums = &mut census.sums[c * k..(c + 1) * k];
        for (sum, ind) in sums.iter_mut().zip(COHORT) {
            if let About::Persons { of, value } = ind.about
                && of(&s)
            {
                sum[0] += 1.0;
                sum[1] += value(&s);
            }
        }
    }
    for (household, reunion) in &households {
        if !household.agents
            || household.region == u16::MAX
            || !cohort::in_a_cohort(household.legal)
        {
            continue;
        }
        let h = HouseholdSubject { household, reunion };
        let c = usize::from(household.arrival_week) / 52;
        let sums = &mut census.sums[c * k..(c + 1) * k];
        for (sum, ind) in sums.iter_mut().zip(COHORT) {
            if let About::Households { of, value } = ind.about
                && of(&h)
            {
                sum[0] += 1.0;
                sum[1] += value(&h);
            }
        }
    }
    for c in 0..=year {
        for (i, ind) in COHORT.iter().enumerate() {
            let [n, total] = census.sums[c * k + i];
            census.values[cohort::index(census.years, c, year - c, i)] = match ind.aggregate {
                Aggregate::Persons => n * params.scale,
                Aggregate::Mean if n > 0.0 => total / n,
                Aggregate::Mean => f64::NAN,
            };
        }
    }
}
