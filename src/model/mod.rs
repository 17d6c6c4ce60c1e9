//! The simulation: one bevy_ecs `World` per replication, run on one thread;
//! persons and households are entities, their state components; regions,
//! queues and tallies are resources. Each weekly process of `model.md` is one
//! system, run every week in this order (`docs/model.md` explains each):
//!
//! 1. [`drivers`]: labour-market change, attitudes, adaptive capacities;
//! 2. [`volunteers`]: the stock of mentors and sponsors;
//! 3. [`arrivals`]: new households by channel and origin group;
//! 4. [`dispersal`]: allocation to regions, reception or emergency places;
//! 5. [`asylum_decisions`]: the backlog worked through at national capacity;
//! 6. [`appeals`]: the courts' queue worked through at national capacity;
//! 7. [`removals`]: returns of the finally refused at national capacity;
//! 8. [`moving_on`]: leaving reception, homelessness, departures;
//! 9. [`housing_market`]: homes coming free, searching, overcrowding;
//! 10. [`secondary_movement`]: onward moves of those with status;
//! 11. [`residence`] (bookkeeping): persons take their household's new state;
//! 12. [`services`]: take-up, waiting lists, first-come-first-served places;
//! 13. [`integration`]: language, bonds, bridges, links;
//! 14. [`labour_market`]: job loss and job finding;
//! 15. [`observe`] (bookkeeping): the week's indicators;
//! 16. [`accounts`]: costs, contributions, discounted balance.

pub mod accounts;
pub mod appeals;
pub mod arrivals;
pub mod asylum_decisions;
pub mod components;
pub mod dispersal;
pub mod drivers;
pub mod housing_market;
pub mod indicators;
pub mod integration;
pub mod labour_market;
pub mod moving_on;
pub mod not_agents;
pub mod observe;
pub mod removals;
pub mod residence;
pub mod resources;
pub mod rng;
pub mod sampling;
pub mod secondary_movement;
pub mod selection;
pub mod services;
pub mod status;
pub mod tenancy;
pub mod volunteers;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;

pub use indicators::{HEADLINES, Series};
pub use rng::ReplicationKey;

use components::SERVICES;
use indicators as ind;
use observe::Sums;
use resources::*;

use crate::scenario::Scenario;

/// What one replication produced.
#[derive(Debug, Clone)]
pub struct ReplicationResult {
    pub key: ReplicationKey,
    /// The replication's seed (a digest of its key).
    pub seed: u64,
    /// Weekly indicators by region and nationally.
    pub series: Series,
    /// One value per entry of [`HEADLINES`], in that order.
    pub headline: Vec<f64>,
    /// Persons present summed over the weeks.
    pub person_weeks: f64,
    /// Agents present summed over the weeks.
    pub agent_weeks: u64,
}

impl ReplicationResult {
    /// A headline indicator by name (see [`HEADLINES`]), or an error
    /// listing the names.
    pub fn headline_value(&self, name: &str) -> Result<f64, indicators::UnknownName> {
        indicators::headline::position(name).map(|i| self.headline[i])
    }
}

/// Run one replication: a pure function of the scenario and the key.
pub fn run_replication(scenario: &Scenario, key: ReplicationKey) -> ReplicationResult {
    run_replication_observed(scenario, key, &mut |_, _| {})
}

/// [`run_replication`], showing `each_week` the series after every week
/// (its rows up to that week are final; later rows are still zero), for a
/// caller that streams a replication as it runs (the Python package's
/// `foresight.stream`). Observing changes nothing in the run.
pub fn run_replication_observed(
    scenario: &Scenario,
    key: ReplicationKey,
    each_week: &mut dyn FnMut(usize, &Series),
) -> ReplicationResult {
    let params = Params::new(scenario);
    let weeks = scenario.horizon_weeks as usize;
    let nr = params.regions;
    let mut world = World::new();
    world.insert_resource(Regions::new(&params));
    world.insert_resource(Streams::new(&key));
    world.insert_resource(sampling::Sample::new(
        scenario.scale,
        params.groups,
        &mut key.stream(rng::Process::Sampling),
    ));
    world.insert_resource(Flows::new(nr));
    world.insert_resource(Tally::new(nr, params.groups));
    world.insert_resource(Sums::new(nr, ind::cohorts(scenario.horizon_weeks)));
    world.insert_resource(Record {
        series: Series::new(weeks, nr, ind::count_for(scenario.horizon_weeks)),
        discounted: vec![0.0; nr + 1],
        total_started: vec![[0.0; SERVICES]; nr],
        total_wait: vec![[0.0; SERVICES]; nr],
        agent_weeks: 0,
        person_weeks: 0.0,
        departed: vec![0.0; nr],
    });
    world.insert_resource(Clock::default());
    world.insert_resource(NewArrivals::default());
    world.insert_resource(Roster::default());
    world.insert_resource(Backlog::default());
    world.insert_resource(housing_market::HousingMarket::new(&params));
    world.insert_resource(status::Court::default());
    world.insert_resource(status::Removals::default());
    world.insert_resource(volunteers::Volunteers::default());
    world.insert_resource(params);

    // The asylum backlog present at the start is spawned and dispersed once.
    let mut setup = Schedule::default();
    setup.set_executor(SingleThreadedExecutor::new());
    setup.add_systems((arrivals::initial_backlog, dispersal::dispersal).chain());
    setup.run(&mut world);
    // The backlog is not an arrival: it must not count as last week's.
    world.resource_mut::<Flows>().reset();

    let mut week_schedule = Schedule::default();
    week_schedule.set_executor(SingleThreadedExecutor::new());
    week_schedule.add_systems(
        (
            drivers::drivers,
            volunteers::volunteers,
            arrivals::arrivals,
            dispersal::dispersal,
            asylum_decisions::asylum_decisions,
            appeals::appeals,
            removals::removals,
            moving_on::moving_on,
            housing_market::housing_market,
            secondary_movement::secondary_movement,
            residence::residence,
            services::services,
            integration::integration,
            labour_market::labour_market,
            observe::observe,
            accounts::accounts,
        )
            .chain(),
    );
    for week in 0..scenario.horizon_weeks {
        world.resource_mut::<Clock>().week = week;
        week_schedule.run(&mut world);
        each_week(week as usize, &world.resource::<Record>().series);
    }

    if cfg!(debug_assertions) {
        everyone_is_a_person(&mut world);
    }
    let record = world.remove_resource::<Record>().expect("record resource");
    let headline = indicators::headline::values(&record);
    ReplicationResult {
        seed: key.seed(),
        key,
        person_weeks: record.person_weeks,
        agent_weeks: record.agent_weeks,
        series: record.series,
        headline,
    }
}

/// Nobody is lost among the persons: every member of every household
/// present exists as a person, an agent exactly if the household is in the
/// sample (checked at the end of every replication in debug builds, so in
/// every test).
fn everyone_is_a_person(world: &mut World) {
    use components::{Household, LegalStatus, NotAgent, Person};
    let mut members = [0u64; 2];
    for h in world.query::<&Household>().iter(world) {
        assert_ne!(
            h.legal,
            LegalStatus::Departed,
            "departed households leave the world"
        );
        members[usize::from(h.agents)] += u64::from(h.size);
    }
    let mut persons = [0u64; 2];
    for (p, not_agent) in world.query::<(&Person, Has<NotAgent>)>().iter(world) {
        assert_eq!(p.agent, !not_agent, "agents and others in their own tables");
        persons[usize::from(p.agent)] += 1;
    }
    assert_eq!(
        members, persons,
        "members of households [others, agents] against persons"
    );
}
