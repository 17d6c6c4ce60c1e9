//! Resources: world-level state. Regions, capacities, queues and vacancies
//! are small dense arrays indexed by region, not entities.

use std::collections::VecDeque;

use bevy_ecs::prelude::*;
use rand_pcg::Pcg64Mcg;

use super::components::{SERVICES, Service};
use super::indicators::Series;
use super::life::Life;
use super::rng::{Process, ReplicationKey};
use crate::scenario::{Scenario, ServiceSettings, TIERS};

/// The scenario and quantities derived from it once per replication.
#[derive(Resource)]
pub struct Params {
    pub scenario: Scenario,
    /// Persons per person agent (households are not thinned).
    pub scale: f64,
    pub regions: usize,
    pub groups: usize,
    /// Population share of each region.
    pub population_share: Vec<f64>,
    /// Municipal quota of each region: mean of population and job shares.
    pub municipal_quota: Vec<f64>,
    /// Origin groups' weights for drawing a household outside surges (share
    /// of persons ÷ mean household size), and their sum.
    pub group_shares: Vec<f64>,
    pub group_share_total: f64,
    /// Per group: cumulative household-size shares and mean size.
    pub household_cdf: Vec<Vec<f64>>,
    pub mean_household: Vec<f64>,
    /// Service settings in `Service` order.
    pub services: [ServiceSettings; SERVICES],
    /// Regions that take sponsored households, with cumulative weights.
    pub sponsor_regions: Vec<(usize, f64)>,
    /// The highest coaching coverage of the run: the policy's, plus the
    /// caps of adaptive actions on it.
    pub coverage_ceiling: f64,
    /// The life course: life table, age profiles, household types and
    /// family abroad, derived once ([`Life`]).
    pub life: Life,
    /// Earnings, contributions, means test and pensions
    /// ([`EarningsRules`](super::earnings::EarningsRules)).
    pub earnings: super::earnings::EarningsRules,
}

impl Params {
    pub fn new(scenario: &Scenario) -> Params {
        let s = scenario.clone();
        let total_pop: f64 = s.regions.iter().map(|r| r.population as f64).sum();
        let population_share: Vec<f64> = s
            .regions
            .iter()
            .map(|r| r.population as f64 / total_pop)
            .collect();
        let job_total: f64 = s
            .regions
            .iter()
            .map(|r| r.jobs.low + r.jobs.mid + r.jobs.high)
            .sum();
        let municipal_quota = s
            .regions
            .iter()
            .zip(&population_share)
            .map(|(r, p)| {
                let jobs = r.jobs.low + r.jobs.mid + r.jobs.high;
                let js = if job_total > 0.0 {
                    jobs / job_total
                } else {
                    *p
                };
                0.5 * (p + js)
            })
            .collect();
        let mut household_cdf = Vec::new();
        let mut mean_household = Vec::new();
        for g in &s.arrivals.origin_groups {
            let mut acc = 0.0;
            let mut mean = 0.0;
            let cdf: Vec<f64> = g
                .household_sizes
                .iter()
                .enumerate()
                .map(|(k, w)| {
                    acc += w;
                    mean += (k + 1) as f64 * w;
                    acc
                })
                .collect();
            household_cdf.push(cdf);
            mean_household.push(mean.max(1.0));
        }
        let names: Vec<&str> = s.regions.iter().map(|r| r.name.as_str()).collect();
        let chosen: Vec<usize> = if s.policy.community_sponsorship.regions.is_empty() {
            (0..s.regions.len()).collect()
        } else {
            s.policy
                .community_sponsorship
                .regions
                .iter()
                .filter_map(|n| names.iter().position(|x| x == n))
                .collect()
        };
        let mut acc = 0.0;
        let sponsor_regions = chosen
            .iter()
            .map(|&r| {
                acc += s.regions[r].population as f64;
                (r, acc)
            })
            .collect();
        let sv = &s.services;
        let services = [
            sv.language.clone(),
            sv.coaching.clone(),
            sv.credential_recognition.clone(),
            sv.interpretation.clone(),
            sv.health_registration.clone(),
            sv.mental_health.clone(),
        ];
        let group_shares: Vec<f64> = s
            .arrivals
            .origin_groups
            .iter()
            .zip(&mean_household)
            .map(|(g, m)| g.share / m)
            .collect();
        let coverage_ceiling = s
            .policy
            .adaptation
            .iter()
            .flat_map(|r| &r.actions)
            .filter(|a| a.lever == crate::scenario::Lever::CoachingCoverage)
            .fold(s.policy.intensive_coaching.coverage, |c, a| {
                c + a.max.unwrap_or(1.0)
            })
            .min(1.0);
        Params {
            coverage_ceiling,
            group_share_total: group_shares.iter().sum(),
            group_shares,
            scale: f64::from(s.scale),
            regions: s.regions.len(),
            groups: s.arrivals.origin_groups.len(),
            population_share,
            municipal_quota,
            household_cdf,
            mean_household,
            services,
            sponsor_regions,
            life: Life::new(&s),
            earnings: super::earnings::EarningsRules::new(&s.accounts, s.demography.retirement_age),
            scenario: s,
        }
    }

    pub fn service(&self, s: Service) -> &ServiceSettings {
        &self.services[s as usize]
    }
}

/// The current week.
#[derive(Resource, Default)]
pub struct Clock {
    pub week: u32,
}

/// One random stream per weekly process.
#[derive(Resource)]
pub struct Streams {
    pub arrivals: Pcg64Mcg,
    pub dispersal: Pcg64Mcg,
    pub decisions: Pcg64Mcg,
    pub moving_on: Pcg64Mcg,
    pub secondary: Pcg64Mcg,
    pub services: Pcg64Mcg,
    pub labour: Pcg64Mcg,
    pub setup: Pcg64Mcg,
    pub sponsorship: Pcg64Mcg,
    pub members: Pcg64Mcg,
    pub sponsored_members: Pcg64Mcg,
    pub ageing: Pcg64Mcg,
    pub deaths: Pcg64Mcg,
    pub births: Pcg64Mcg,
    pub leaving_home: Pcg64Mcg,
    pub reunion: Pcg64Mcg,
    pub housing: Pcg64Mcg,
    pub appeals: Pcg64Mcg,
}

impl Streams {
    pub fn new(key: &ReplicationKey) -> Streams {
        Streams {
            arrivals: key.stream(Process::Arrivals),
            dispersal: key.stream(Process::Dispersal),
            decisions: key.stream(Process::AsylumDecisions),
            moving_on: key.stream(Process::MovingOn),
            secondary: key.stream(Process::SecondaryMovement),
            services: key.stream(Process::Services),
            labour: key.stream(Process::LabourMarket),
            setup: key.stream(Process::Setup),
            sponsorship: key.stream(Process::Sponsorship),
            members: key.stream(Process::Members),
            sponsored_members: key.stream(Process::SponsoredMembers),
            ageing: key.stream(Process::Ageing),
            deaths: key.stream(Process::Deaths),
            births: key.stream(Process::Births),
            leaving_home: key.stream(Process::LeavingHome),
            reunion: key.stream(Process::FamilyReunion),
            housing: key.stream(Process::HousingMarket),
            appeals: key.stream(Process::Appeals),
        }
    }
}

/// A capacity order placed by an adaptive-capacity rule.
#[derive(Debug, Clone, Copy)]
pub struct CapacityOrder {
    pub rule: usize,
    pub opens_week: u32,
}

/// The state of one region.
pub struct RegionState {
    /// Reception places and those occupied (persons: households are
    /// simulated at full resolution).
    pub reception_capacity: u32,
    pub reception_used: u32,
    /// Asylum households in emergency accommodation waiting for a reception place.
    pub emergency_queue: VecDeque<Entity>,
    /// Jobs by tier (persons).
    pub jobs: [f64; TIERS],
    pub attitude: f64,
    pub attitude_start: f64,
    /// Service places and places in use (persons).
    pub seats: [u32; SERVICES],
    pub in_service: [u32; SERVICES],
    /// First-come-first-served waiting lists: (person, week joined).
    pub service_queue: [VecDeque<(Entity, u16)>; SERVICES],
    /// Persons who are not agents on the waiting lists, counted by the
    /// services for the week's observation.
    pub waiting_not_agents: [u32; SERVICES],
    /// Joining each waiting list this week, before they are queued.
    pub joining: [Vec<(Entity, u16)>; SERVICES],
    /// Persons allocated here so far (for municipal quotas).
    pub allocated: f64,
    /// Places added by each adaptive rule, and orders not yet open.
    pub added: Vec<u32>,
    pub orders: Vec<CapacityOrder>,
    /// Places ordered this week by adaptive capacities (for their set-up
    /// cost): reception, then each service's seats.
    pub reception_ordered: u32,
    pub seats_ordered: [u32; SERVICES],
    /// School places (persons: every child takes one at every scale),
    /// pupils in them and children waiting for one, primary then secondary.
    pub school_places: [u32; 2],
    pub pupils: [u32; 2],
    pub school_waiting: [u32; 2],
    /// Children waiting for a school place, first come first served:
    /// (person, week joined), primary then secondary.
    pub school_queue: [VecDeque<(Entity, u16)>; 2],
}

/// All regions.
#[derive(Resource)]
pub struct Regions(pub Vec<RegionState>);

impl Regions {
    pub fn new(p: &Params) -> Regions {
        let rules = p.scenario.policy.adaptive_capacity.len();
        Regions(
            p.scenario
                .regions
                .iter()
                .map(|r| {
                    let sv = &r.services;
                    RegionState {
                        reception_capacity: r.reception_places,
                        reception_used: 0,
                        emergency_queue: VecDeque::new(),
                        jobs: r.jobs.as_array(),
                        attitude: r.attitude,
                        attitude_start: r.attitude,
                        seats: [
                            &sv.language,
                            &sv.coaching,
                            &sv.credential_recognition,
                            &sv.interpretation,
                            &sv.health_registration,
                            &sv.mental_health,
                        ]
                        .map(|c| c.seats),
                        in_service: [0; SERVICES],
                        service_queue: Default::default(),
                        waiting_not_agents: [0; SERVICES],
                        joining: Default::default(),
                        allocated: 0.0,
                        added: vec![0; rules],
                        orders: Vec::new(),
                        reception_ordered: 0,
                        seats_ordered: [0; SERVICES],
                        school_places: [r.schools.primary_places, r.schools.secondary_places],
                        pupils: [0; 2],
                        school_waiting: [0; 2],
                        school_queue: Default::default(),
                    }
                })
                .collect(),
        )
    }
}

/// Every person in the order spawned; a household's members are
/// consecutive (see `Household::members`), so the residence bookkeeping can
/// reach them from their household. With it, the households' slots
/// ([`Slots`]).
#[derive(Resource, Default)]
pub struct Roster(pub Vec<Entity>, pub Slots);

/// Small whole numbers that name the households present, each held by one
/// household from its spawning to its removal and then taken by another:
/// a key that keeps what persons add up for their household in an array
/// as short as the households present (the means test's, `Sums`).
#[derive(Default)]
pub struct Slots {
    free: Vec<u32>,
    next: u32,
}

impl Slots {
    /// A slot for a new household.
    pub fn take(&mut self) -> u32 {
        self.free.pop().unwrap_or_else(|| {
            self.next += 1;
            self.next - 1
        })
    }
    /// The slot of a household removed.
    pub fn give_back(&mut self, slot: u32) {
        self.free.push(slot);
    }
}

/// Households that arrived this week and await dispersal.
#[derive(Resource, Default)]
pub struct NewArrivals(pub Vec<Entity>);

/// Asylum households awaiting a decision, first come first served.
#[derive(Resource, Default)]
pub struct Backlog {
    pub queue: VecDeque<Entity>,
    /// Unused decision capacity carried within the week (agents).
    pub credit: f64,
}

/// Flows counted during the week (agents), reset when the week begins.
#[derive(Resource)]
pub struct Flows {
    pub arrivals: Vec<f64>,
    pub decisions: Vec<f64>,
    /// Persons whose appeal was decided this week.
    pub appeal_decisions: Vec<f64>,
    pub recognitions: Vec<f64>,
    pub started: Vec<[u32; SERVICES]>,
    pub wait_sum: Vec<[f64; SERVICES]>,
    /// Community-sponsored persons placed this week (persons).
    pub sponsored: Vec<f64>,
    /// Mentoring pairs started this week (agents).
    pub mentored: Vec<f64>,
    /// Mentoring pairs not yet used (fractional pairs carry over).
    pub mentoring_credit: f64,
    /// The life course this week, by region: births, deaths, households
    /// formed by young adults leaving home, family members applied for and
    /// arrived, children who took a school place and the weeks they waited.
    pub births: Vec<f64>,
    pub deaths: Vec<f64>,
    pub households_formed: Vec<f64>,
    pub reunion_applications: Vec<f64>,
    pub reunion_arrivals: Vec<f64>,
    pub school_started: Vec<f64>,
    pub school_wait_sum: Vec<f64>,
}

impl Flows {
    pub fn new(regions: usize) -> Flows {
        Flows {
            arrivals: vec![0.0; regions],
            decisions: vec![0.0; regions],
            appeal_decisions: vec![0.0; regions],
            recognitions: vec![0.0; regions],
            started: vec![[0; SERVICES]; regions],
            wait_sum: vec![[0.0; SERVICES]; regions],
            sponsored: vec![0.0; regions],
            mentored: vec![0.0; regions],
            mentoring_credit: 0.0,
            births: vec![0.0; regions],
            deaths: vec![0.0; regions],
            households_formed: vec![0.0; regions],
            reunion_applications: vec![0.0; regions],
            reunion_arrivals: vec![0.0; regions],
            school_started: vec![0.0; regions],
            school_wait_sum: vec![0.0; regions],
        }
    }
    pub fn reset(&mut self) {
        for v in [
            &mut self.births,
            &mut self.deaths,
            &mut self.households_formed,
            &mut self.reunion_applications,
            &mut self.reunion_arrivals,
            &mut self.school_started,
            &mut self.school_wait_sum,
        ] {
            v.fill(0.0);
        }
        self.arrivals.fill(0.0);
        self.decisions.fill(0.0);
        self.appeal_decisions.fill(0.0);
        self.recognitions.fill(0.0);
        self.started.fill([0; SERVICES]);
        self.wait_sum.fill([0.0; SERVICES]);
        self.sponsored.fill(0.0);
        self.mentored.fill(0.0);
    }
}

/// Counts from the last observation, read by the next week's drivers,
/// dispersal and movement (persons).
#[derive(Resource)]
pub struct Tally {
    /// Persons present by region and origin group: `[region × groups + group]`.
    pub by_origin: Vec<f64>,
    /// Persons of each origin group present nationally.
    pub origin_total: Vec<f64>,
    /// Persons in emergency accommodation waiting for reception, by region.
    pub emergency: Vec<f64>,
    /// Homeless persons by region.
    pub homeless: Vec<f64>,
    /// Sponsored persons present by region.
    pub sponsored: Vec<f64>,
    /// Adults' bridges by region, in persons (a person with full bridges
    /// counts 1): the contact that moves attitudes (3.1).
    pub bridges: Vec<f64>,
    /// Arrivals nationally in the week observed (persons): the salience
    /// that recruits volunteers.
    pub arrivals: f64,
    /// Waiting lists by region and service (persons).
    pub waiting: Vec<[f64; SERVICES]>,
}

impl Tally {
    pub fn new(regions: usize, groups: usize) -> Tally {
        Tally {
            by_origin: vec![0.0; regions * groups],
            origin_total: vec![0.0; groups],
            emergency: vec![0.0; regions],
            homeless: vec![0.0; regions],
            sponsored: vec![0.0; regions],
            bridges: vec![0.0; regions],
            arrivals: 0.0,
            waiting: vec![[0.0; SERVICES]; regions],
        }
    }
}

/// What a replication records.
#[derive(Resource)]
pub struct Record {
    pub series: Series,
    /// Cumulative discounted balance per slot.
    pub discounted: Vec<f64>,
    /// Over the run, per region and service: persons started and their total wait.
    pub total_started: Vec<[f64; SERVICES]>,
    pub total_wait: Vec<[f64; SERVICES]>,
    /// Person agents present summed over the weeks.
    pub agent_weeks: u64,
    /// Persons present summed over the weeks (members of every household).
    pub person_weeks: f64,
    /// Persons who left the country so far, by region; they are no longer
    /// in the world.
    pub departed: Vec<f64>,
    /// Persons who died so far, by region.
    pub deceased: Vec<f64>,
}

/// Events of the year ahead, by week of the year (0–51), drawn for each
/// person in week 0 of the year and for newcomers in the week after they
/// come ([`ageing`](super::ageing)): deaths, births (the mother), and adult
/// sons and daughters leaving home.
#[derive(Resource)]
pub struct LifeEvents {
    pub deaths: Vec<Vec<Entity>>,
    pub births: Vec<Vec<Entity>>,
    pub leaving: Vec<Vec<Entity>>,
    /// Persons who came (arrived, were born, joined their family) since the
    /// last scheduling, in order.
    pub newcomers: Vec<Entity>,
}

impl Default for LifeEvents {
    fn default() -> Self {
        LifeEvents {
            deaths: vec![Vec::new(); 52],
            births: vec![Vec::new(); 52],
            leaving: vec![Vec::new(); 52],
            newcomers: Vec::new(),
        }
    }
}
