//! The simulation: one bevy_ecs `World` per replication, run on one thread;
//! persons and households are entities, their state components; regions,
//! queues and tallies are resources. Each weekly process of `model.md` is one
//! system, run every week in this order (`docs/model.md` explains each):
//!
//! 1. [`wildcards`], [`named_drivers`], [`drivers`], then [`adaptation`]:
//!    the effects of the events drawn by chance and of the named drivers'
//!    paths in force this week; labour-market change, attitudes, adaptive
//!    capacities; adaptive rules and pathways;
//!
//!    1a. [`ageing`]: in week 0 of each year, everyone a year older, the
//!    life stage following the age, and the year's deaths, births and
//!    departures from home drawn; in other weeks, the same for last week's
//!    newcomers;
//!    1b. [`volunteers`]: the stock of mentors and sponsors;
//! 2. [`arrivals`]: new households by channel and origin group;
//! 3. [`dispersal`]: allocation to regions, reception or emergency places;
//!
//!    3a. [`family_reunion`]: applications, visas, families joining sponsors;
//!    3b. [`births`]: children born this week join their household;
//!    3c. [`deaths`]: those who die this week leave their household;
//!    3d. [`leaving_home`]: adult children forming households of their own;
//! 4. [`asylum_decisions`]: the backlog worked through at national capacity;
//!
//!    4a. [`appeals`]: the courts' queue worked through at national capacity;
//!    4b. [`removals`]: returns of the finally refused at national capacity;
//! 5. [`moving_on`]: leaving reception, homelessness, departures;
//!
//!    5a. [`housing_market`]: homes coming free, searching, overcrowding;
//! 6. [`secondary_movement`]: onward moves of those with status;
//! 7. [`residence`] (bookkeeping): persons take their household's new state;
//! 8. [`services`]: take-up, waiting lists, first-come-first-served places;
//!
//!    8a. [`schools`]: school places and waiting lists by region and level;
//! 9. [`integration`]: language, bonds, bridges, links;
//! 10. [`labour_market`]: job loss and job finding;
//! 11. [`observe`] (bookkeeping): the week's indicators; then
//!     [`cohort_census`] (bookkeeping): at the end of each year, the
//!     arrival cohorts' outcomes;
//! 12. [`accounts`]: costs, contributions, discounted balance.
//!
//! The steps numbered with a letter came with the life course (ages,
//! households, schools, family reunion: 1a, 3a-3d, 8a) and with the
//! housing market, legal status and feedback loops (1b, 4a, 4b, 5a); the
//! others keep their numbers.
//!
//! Shared rules beneath the processes: [`family`] (households' members),
//! [`life`] and [`life_table`] (ages, stages, mortality), [`selection`],
//! [`status`] (legal status), [`tenancy`] (housing).

pub mod accounts;
pub mod adaptation;
pub mod ageing;
pub mod appeals;
pub mod arrivals;
pub mod asylum_decisions;
pub mod births;
pub mod cohort_census;
pub mod components;
pub mod deaths;
pub mod dispersal;
pub mod drivers;
pub mod earnings;
pub mod family;
pub mod family_reunion;
pub mod geometric;
pub mod housing_market;
pub mod indicators;
pub mod integration;
pub mod labour_market;
pub mod leaving_home;
pub mod life;
pub mod life_table;
pub mod means_test;
pub mod moving_on;
pub mod named_drivers;
pub mod not_agents;
pub mod observe;
pub mod removals;
pub mod residence;
pub mod resources;
pub mod rng;
pub mod sampling;
pub mod schools;
pub mod secondary_movement;
pub mod selection;
pub mod services;
pub mod status;
pub mod tenancy;
pub mod volunteers;
pub mod wildcards;

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
    /// The arrival cohorts' outcomes by years since arrival, laid out as
    /// [`indicators::cohort::index`] says.
    pub cohorts: Vec<f64>,
    /// Persons present summed over the weeks.
    pub person_weeks: f64,
    /// Agents present summed over the weeks.
    pub agent_weeks: u64,
    /// The adaptive rules' steps, in the order taken.
    pub actions: Vec<adaptation::ActionTaken>,
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

/// Run one replication and count the persons present at the end by single
/// year of age (index = age in years, 0 … 120): the age structure a
/// replication ends with, for checks against a life table.
pub fn ages_at_end(scenario: &Scenario, key: ReplicationKey) -> (ReplicationResult, Vec<u64>) {
    let mut world = simulate(scenario, &key, &mut |_, _| {});
    let mut ages = vec![0u64; usize::from(life::MAX_AGE) + 1];
    let mut query = world.query::<(&components::Age, &components::Residence)>();
    for (age, res) in query.iter(&world) {
        if res.region != u16::MAX && res.legal != components::LegalStatus::Departed {
            ages[usize::from(age.years)] += 1;
        }
    }
    (finish(key, world), ages)
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
    finish(key.clone(), simulate(scenario, &key, each_week))
}

/// The world of one replication after its last week, showing `each_week`
/// the series after every week.
fn simulate(
    scenario: &Scenario,
    key: &ReplicationKey,
    each_week: &mut dyn FnMut(usize, &Series),
) -> World {
    let params = Params::new(scenario);
    let weeks = scenario.horizon_weeks as usize;
    let nr = params.regions;
    let mut world = World::new();
    world.insert_resource(Regions::new(&params));
    world.insert_resource(Streams::new(key));
    world.insert_resource(sampling::Sample::new(
        scenario.scale,
        params.groups,
        &mut key.stream(rng::Process::Sampling),
    ));
    world.insert_resource(wildcards::Disruptions::new(scenario, key));
    world.insert_resource(adaptation::Adaptation::new(scenario));
    world.insert_resource(Flows::new(nr));
    world.insert_resource(Tally::new(nr, params.groups));
    world.insert_resource(Sums::new(nr, ind::cohorts(scenario.horizon_weeks)));
    world.insert_resource(cohort_census::Census::new(scenario.horizon_weeks));
    world.insert_resource(Record {
        series: Series::new(weeks, nr, ind::count_for(scenario.horizon_weeks)),
        discounted: vec![0.0; nr + 1],
        total_started: vec![[0.0; SERVICES]; nr],
        total_wait: vec![[0.0; SERVICES]; nr],
        agent_weeks: 0,
        person_weeks: 0.0,
        departed: vec![0.0; nr],
        deceased: vec![0.0; nr],
    });
    world.insert_resource(Clock::default());
    world.insert_resource(NewArrivals::default());
    world.insert_resource(Roster::default());
    world.insert_resource(Backlog::default());
    world.insert_resource(LifeEvents::default());
    world.insert_resource(schools::SchoolCandidates::default());
    world.insert_resource(not_agents::Employment::default());
    world.insert_resource(family_reunion::ReunionQueue::new(nr));
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
    // Its systems' command buffers held the whole backlog's spawns.
    drop(setup);
    // The backlog is not an arrival: it must not count as last week's.
    world.resource_mut::<Flows>().reset();

    let mut week_schedule = Schedule::default();
    week_schedule.set_executor(SingleThreadedExecutor::new());
    // Bevy's tuples of systems stop at 20: the week is chained in three
    // parts, each chained within.
    week_schedule.add_systems(
        (
            (
                wildcards::wildcards,
                named_drivers::named_drivers,
                drivers::drivers,
                adaptation::adaptation,
                ageing::ageing,
                volunteers::volunteers,
                arrivals::arrivals,
                dispersal::dispersal,
                family_reunion::family_reunion,
                births::births,
                deaths::deaths,
                leaving_home::leaving_home,
                asylum_decisions::asylum_decisions,
                appeals::appeals,
                removals::removals,
            )
                .chain(),
            (
                moving_on::moving_on,
                housing_market::housing_market,
                secondary_movement::secondary_movement,
                residence::residence,
                services::services,
                schools::schools,
                integration::integration,
                labour_market::labour_market,
                observe::observe,
                cohort_census::cohort_census,
                accounts::accounts,
            )
                .chain(),
        )
            .chain(),
    );
    for week in 0..scenario.horizon_weeks {
        world.resource_mut::<Clock>().week = week;
        week_schedule.run(&mut world);
        // Bevy keeps each despawned component's removal as a message until
        // trackers are cleared (an app does so every frame); nothing here
        // reads them, and kept for a whole run they cost some 20 bytes a
        // person (docs/performance.md).
        world.clear_trackers();
        each_week(week as usize, &world.resource::<Record>().series);
    }
    world
}

/// A replication's result from its world after the last week.
fn finish(key: ReplicationKey, mut world: World) -> ReplicationResult {
    if cfg!(debug_assertions) {
        everyone_is_a_person(&mut world);
    }
    let record = world.remove_resource::<Record>().expect("record resource");
    let actions = world
        .remove_resource::<adaptation::Adaptation>()
        .expect("adaptation resource")
        .taken;
    let headline = indicators::headline::values(&record);
    let census = world
        .remove_resource::<cohort_census::Census>()
        .expect("census resource");
    ReplicationResult {
        seed: key.seed(),
        key,
        person_weeks: record.person_weeks,
        agent_weeks: record.agent_weeks,
        series: record.series,
        headline,
        actions,
        cohorts: census.values,
    }
}

/// Nobody is lost among the persons: every member of every household
/// present exists as a person, an agent exactly if the household is in the
/// sample (checked at the end of every replication in debug builds, so in
/// every test).
fn everyone_is_a_person(world: &mut World) {
    use components::{Household, LegalStatus, NotAgent, Person, Residence, ServiceUse};
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
    // The services' count of those waiting who are not agents is the
    // number of them on a waiting list in each region (those who moved,
    // departed or died have left it: family::leave_service_lists).
    let mut waiting = vec![[0u32; SERVICES]; world.resource::<Regions>().0.len()];
    let mut others = world.query_filtered::<(&Residence, &ServiceUse), With<NotAgent>>();
    for (res, uses) in others.iter(world) {
        if res.region != u16::MAX {
            for i in components::services_in(uses.waiting) {
                waiting[usize::from(res.region)][i] += 1;
            }
        }
    }
    for (r, region) in world.resource::<Regions>().0.iter().enumerate() {
        assert_eq!(
            region.waiting_not_agents, waiting[r],
            "region {r}: those who are not agents counted as waiting"
        );
    }
}
