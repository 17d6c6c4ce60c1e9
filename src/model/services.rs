//! Services (weekly process 8): per region and per service (language
//! courses, employment coaching, credential recognition, interpretation,
//! health registration, mental-health support), eligible people take the
//! service up with a weekly probability, queue when it is full, and are
//! served first come first served. Eligibility depends on status
//! ("integration from day one" opens services to asylum seekers).
//!
//! A service's length is fixed or geometric (memoryless), drawn when the
//! person starts, so nobody is re-drawn every week; the service ends in the
//! week its calendar says ([`Ending`]), and nobody in service is visited
//! before. With geometric lengths, Poisson joining and c seats, a region's
//! service is a discrete-time M/M/c queue.
//!
//! Places are taken per person by everyone, at every scale: a region's
//! seats are the scenario's, and persons who are not agents
//! ([`super::sampling`]) take up, wait and are served as agents do, in the
//! same lists; those who join in the same week queue in the order of their
//! entity index. A queue whose seats and demand were both thinned k-fold
//! would pool worse and meet k-fold lumpier demand, and wait longer
//! (docs/model.md, "What scale changes"). Where eligibility reads what only
//! agents simulate, those who are not agents borrow it
//! ([`super::not_agents`]).
//!
//! So that they cost little, those who are not agents are visited only when
//! a service may be taken up: instead of a draw every week, one draw says in
//! which week they will take it up (geometric, the same law), and that week
//! they join if they still may. They are not visited while waiting: whether
//! they may still be served is asked when they reach the front of the list.
//!
//! Evidence: oversubscribed language and training courses and delays
//! (Q18, Q27); one-stop shops and nudges raise take-up by 5–7% (Q19, Q47);
//! mental-health support (Q25); credential recognition (Q22–Q23).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::components::*;
use super::geometric::failures_before_success;
use super::not_agents::{Employment, Learning, grow_language};
use super::resources::{Clock, Flows, Params, Regions, Streams};
use super::selection::select;
use crate::scenario::{DurationKind, ServiceSettings};

/// Is a person eligible for a service, given their status has access?
fn eligible(
    s: Service,
    p: &Person,
    progress: &Progress,
    work: &Work,
    uses: &ServiceUse,
    coverage: f64,
) -> bool {
    match s {
        Service::Language => p.adult && progress.language < 0.95,
        Service::Coaching => {
            p.working_age && work.job.is_none() && f64::from(p.coaching_draw) < coverage
        }
        Service::CredentialRecognition => {
            p.adult && p.skill == Tier::High && !work.credential_recognised
        }
        Service::Interpretation => progress.language < 0.3,
        Service::HealthRegistration => true,
        Service::MentalHealth => {
            progress.vulnerable && uses.phase(Service::HealthRegistration) == ServicePhase::Done
        }
    }
}

/// Is a person ineligible for a service for good? Language only grows,
/// credentials once recognised and trauma once treated stay so, and traits
/// and the coaching coverage never exceeds `ceiling` in the run (the
/// policy's, plus what adaptive rules may add: [`Params::coverage_ceiling`]).
fn never_eligible(s: Service, p: &Person, progress: &Progress, work: &Work, coverage: f64) -> bool {
    match s {
        Service::Language => !p.adult || progress.language >= 0.95,
        Service::Coaching => !p.working_age || f64::from(p.coaching_draw) >= coverage,
        Service::CredentialRecognition => {
            !p.adult || p.skill != Tier::High || work.credential_recognised
        }
        Service::Interpretation => progress.language >= 0.3,
        Service::HealthRegistration => false,
        Service::MentalHealth => !progress.vulnerable,
    }
}

/// All services settled.
const ALL_SETTLED: u8 = (1 << SERVICES) - 1;

/// Weeks a service lasts for one person.
pub fn draw_length(rng: &mut Pcg64Mcg, settings: &ServiceSettings, factor: f64) -> u32 {
    let mean = (settings.duration_weeks * factor).max(1.0);
    match settings.duration {
        DurationKind::Fixed => mean.round() as u32,
        DurationKind::Geometric => {
            // P(length = k) = q (1 − q)^(k−1), k ≥ 1, mean 1/q.
            let q = 1.0 / mean;
            if q >= 1.0 {
                return 1;
            }
            let u: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
            let k = (u.ln() / (1.0 - q).ln()).ceil();
            k.clamp(1.0, 10_000.0) as u32
        }
    }
}

/// Persons and services by week: when a service ends, or when a person who
/// is not an agent takes it up. Stale entries (a person who moved, left or
/// changed) are passed over.
#[derive(Default)]
pub struct Calendar(Vec<Vec<(Entity, u8)>>);

impl Calendar {
    fn push(&mut self, week: u16, e: Entity, service: usize) {
        let w = usize::from(week);
        if self.0.len() <= w {
            self.0.resize_with(w + 1, Vec::new);
        }
        self.0[w].push((e, service as u8));
    }

    /// Take the week's entries into `spare`. The week's own buffer is
    /// given back: a week is taken once, and a buffer left in a past week
    /// would be held for the rest of the run.
    fn take(&mut self, week: u16, spare: &mut Vec<(Entity, u8)>) {
        spare.clear();
        if let Some(v) = self.0.get_mut(usize::from(week)) {
            *spare = std::mem::take(v);
        }
    }
}

/// Weeks before a weekly chance `p` first comes true (0: this week).
fn weeks_until(rng: &mut Pcg64Mcg, p: f64) -> u32 {
    failures_before_success(rng, p).min(u64::from(u32::MAX)) as u32
}

/// What the services read and write of a person.
type PersonServices = (
    Entity,
    &'static Person,
    &'static Residence,
    &'static mut ServiceUse,
    &'static mut Progress,
    &'static mut Work,
    Option<&'static mut NotAgent>,
);

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn services(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut regions: ResMut<Regions>,
    mut flows: ResMut<Flows>,
    mut selected: Local<Vec<u32>>,
    mut state: Local<State>,
    mut employment: ResMut<Employment>,
    mut persons: Query<PersonServices>,
    disruptions: Res<super::wildcards::Disruptions>,
) {
    let rng = &mut streams.services;
    let week32 = clock.week;
    let week = week32.min(u32::from(u16::MAX - 1)) as u16;
    let horizon = params.scenario.horizon_weeks;
    let learning = &Learning::new(&params.scenario.integration, &params.scenario.schools);
    let pol = &params.scenario.policy;
    let day_one = pol.integration_from_day_one;
    let coverage = pol.intensive_coaching.coverage;
    let uplift = if pol.nudges.enabled {
        1.0 + pol.nudges.take_up_uplift
    } else {
        1.0
    };
    // Access to services: a status, or "integration from day one" for
    // asylum seekers (without a branch: asked of every person every week).
    let access =
        |res: &Residence| res.legal.has_status() | (day_one & res.legal.awaiting_decision());
    let take_up: [f64; SERVICES] =
        std::array::from_fn(|i| (params.services[i].take_up_per_week * uplift).min(1.0));
    let State {
        ending,
        joins,
        spare,
    } = &mut *state;

    // Those who are not agents borrow the agents' employment rates: their
    // language grows at work, and eligibility asks about work (coaching).
    let imputed = params.scale > 1.0;
    if imputed {
        // The agents' tables only (a table of those who are not agents has
        // their column): nine persons in ten are passed over at scale 10.
        employment.count(
            params.groups,
            week,
            persons
                .contiguous_iter()
                .expect("persons are stored in tables")
                .filter(|(.., not_agents)| not_agents.is_none())
                .flat_map(|(_, persons, residences, _, _, works, _)| {
                    persons.iter().zip(residences).zip(works)
                })
                .map(|((p, res), work)| (p, res, work)),
        );
    }
    // Work as eligibility sees it: the agent's own; for others, their
    // credentials and the work they borrow.
    let employment = &*employment;
    let in_work = |p: &Person, res: &Residence| employment.in_work(p, res, week);
    let work_of = |p: &Person, res: &Residence, work: &Work, agent: bool| {
        let mut w = *work;
        if imputed && !agent {
            w.job = employment.in_work(p, res, week).then_some(Tier::Low);
        }
        w
    };

    // Services ending this week.
    ending.take(week, spare);
    for &(e, i) in spare.iter() {
        let i = usize::from(i);
        let Ok((_, p, res, mut uses, mut progress, mut work, not_agent)) = persons.get_mut(e)
        else {
            continue; // departed
        };
        if uses.phase_of(i) != ServicePhase::InService || uses.week[i] != week {
            continue; // left it, having moved
        }
        if let Some(mut n) = not_agent {
            grow_language(
                &mut n,
                p,
                &mut progress,
                &uses,
                learning,
                in_work(p, res),
                week,
            );
        }
        uses.set_phase(i, ServicePhase::Done);
        uses.settled |= 1 << i;
        regions.0[res.region as usize].in_service[i] -= 1;
        match Service::ALL[i] {
            Service::CredentialRecognition => work.credential_recognised = true,
            Service::MentalHealth => progress.vulnerable = false,
            _ => {}
        }
    }

    // Those who are not agents and drew this week take the service up, if
    // they still may.
    joins.take(week, spare);
    for &(e, i) in spare.iter() {
        let i = usize::from(i);
        let Ok((_, p, res, mut uses, mut progress, work, Some(mut n))) = persons.get_mut(e) else {
            continue; // departed
        };
        let bit = 1 << i;
        n.scheduled &= !bit;
        if uses.settled & bit != 0 || uses.phase_of(i) != ServicePhase::NotYet {
            continue;
        }
        grow_language(
            &mut n,
            p,
            &mut progress,
            &uses,
            learning,
            in_work(p, res),
            week,
        );
        let work = work_of(p, res, &work, false);
        if !access(res) {
            continue; // visited again when access returns
        }
        // Homelessness and a less secure status thin the weekly trials
        // (M16): a trial not kept is drawn again from the next week.
        let gate = super::tenancy::activity_factor(res.housing, &params.scenario.housing)
            * super::status::take_up_factor(res.legal, &params.scenario.legal_status);
        if gate < 1.0 && rng.random::<f64>() >= gate {
            let wait = weeks_until(rng, take_up[i]).saturating_add(1);
            n.scheduled |= bit;
            if u64::from(week) + u64::from(wait) < u64::from(horizon) {
                joins.push(week + wait as u16, e, i);
            }
            continue;
        }
        let region = &mut regions.0[res.region as usize];
        if eligible(Service::ALL[i], p, &progress, &work, &uses, coverage) {
            uses.set_phase(i, ServicePhase::Waiting);
            uses.week[i] = week;
            region.joining[i].push((e, week));
            region.waiting_not_agents[i] += 1;
        } else if never_eligible(
            Service::ALL[i],
            p,
            &progress,
            &work,
            params.coverage_ceiling,
        ) {
            uses.settled |= bit;
        }
    }

    // Weekly visits. Services settled for good are skipped, and so are
    // services under way (their end is in the calendar): they would neither
    // change nor draw. Agents draw whether they take a service up each week
    // and leave a list when they may no longer be served; the others draw
    // once in which week they will take it up. Whose services may change is
    // chosen first, without branching ([`select`]), then only they are
    // visited, in the same order. Over slices of each table's columns
    // (contiguous iteration).
    for (entities, persons, residences, mut uses, mut progress, works, mut not_agents) in persons
        .contiguous_iter_mut()
        .expect("persons are stored in tables")
    {
        let uses = uses.bypass_change_detection();
        let progress = progress.bypass_change_detection();
        let mut not_agents = not_agents.as_mut().map(|n| n.bypass_change_detection());
        let present =
            |res: &Residence| (res.legal != LegalStatus::Departed) & (res.region != u16::MAX);
        let n = match not_agents.as_deref() {
            None => select(
                &mut selected,
                0,
                residences.iter().zip(uses.iter()).map(|(res, uses)| {
                    let todo = !(uses.settled | uses.serving) & ALL_SETTLED != 0;
                    // Without access only a waiting list can change.
                    present(res) & todo & (access(res) | (uses.waiting != 0))
                }),
            ),
            Some(others) => select(
                &mut selected,
                0,
                residences
                    .iter()
                    .zip(uses.iter())
                    .zip(others)
                    .map(|((res, uses), n)| {
                        let untouched = uses.settled | uses.serving | uses.waiting | n.scheduled;
                        present(res) & access(res) & (!untouched & ALL_SETTLED != 0)
                    }),
            ),
        };
        for &row in &selected[..n] {
            let row = row as usize;
            let (e, p, res) = (entities[row], &persons[row], &residences[row]);
            let (uses, progress) = (&mut uses[row], &mut progress[row]);
            let access = access(res);
            let region = &mut regions.0[res.region as usize];
            // Homelessness and a less secure status hold back training (M16).
            let gate = super::tenancy::activity_factor(res.housing, &params.scenario.housing)
                * super::status::take_up_factor(res.legal, &params.scenario.legal_status);
            if let Some(others) = not_agents.as_deref_mut() {
                let n = &mut others[row];
                grow_language(n, p, progress, uses, learning, in_work(p, res), week);
                let work = work_of(p, res, &works[row], false);
                let untouched = uses.settled | uses.serving | uses.waiting | n.scheduled;
                for i in services_in(!untouched & ALL_SETTLED) {
                    let s = Service::ALL[i];
                    if eligible(s, p, progress, &work, uses, coverage) {
                        // A weekly trial at the full take-up, kept with
                        // probability `gate` in the week it falls (the
                        // agents' weekly chance, take-up × gate, thinned).
                        let mut wait = weeks_until(rng, take_up[i]);
                        if wait == 0 && gate < 1.0 && rng.random::<f64>() >= gate {
                            wait = weeks_until(rng, take_up[i]).saturating_add(1);
                        }
                        if wait == 0 {
                            uses.set_phase(i, ServicePhase::Waiting);
                            uses.week[i] = week;
                            region.joining[i].push((e, week));
                            region.waiting_not_agents[i] += 1;
                        } else {
                            // Never visited again for it if beyond the run.
                            n.scheduled |= 1 << i;
                            if u64::from(week) + u64::from(wait) < u64::from(horizon) {
                                joins.push(week + wait as u16, e, i);
                            }
                        }
                    } else if never_eligible(s, p, progress, &work, params.coverage_ceiling) {
                        uses.settled |= 1 << i;
                    }
                }
                continue;
            }
            let work = &works[row];
            let todo = !(uses.settled | uses.serving) & ALL_SETTLED;
            for i in services_in(todo) {
                let s = Service::ALL[i];
                match uses.phase_of(i) {
                    // Whoever lost access or eligibility while waiting (a
                    // rejected claim, a job found) leaves the list.
                    ServicePhase::Waiting
                        if !(access && eligible(s, p, progress, work, uses, coverage)) =>
                    {
                        uses.set_phase(i, ServicePhase::NotYet);
                    }
                    ServicePhase::NotYet if access => {
                        if eligible(s, p, progress, work, uses, coverage) {
                            if rng.random::<f64>() < take_up[i] * gate {
                                uses.set_phase(i, ServicePhase::Waiting);
                                uses.week[i] = week;
                                region.joining[i].push((e, week));
                            }
                        } else if never_eligible(s, p, progress, work, params.coverage_ceiling) {
                            uses.settled |= 1 << i;
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    // Those who joined in the same week queue in the order of their entity
    // index, not of their tables: agents and others (tables of their own)
    // meet the same first come, first served.
    for region in regions.0.iter_mut() {
        for (joining, queue) in region.joining.iter_mut().zip(&mut region.service_queue) {
            joining.sort_unstable_by_key(|&(e, _)| e.index_u32());
            queue.extend(joining.drain(..));
        }
    }

    // Free places go to the front of each waiting list.
    let fast = if pol.credential_fast_track.enabled {
        pol.credential_fast_track.duration_factor
    } else {
        1.0
    };
    for (r, region) in regions.0.iter_mut().enumerate() {
        for s in Service::ALL {
            let i = s as usize;
            // A disruption closes places to new starts; nobody is sent away.
            let open = match disruptions.places[r][i] {
                1.0 => region.seats[i],
                f => (f64::from(region.seats[i]) * f).floor() as u32,
            };
            while region.in_service[i] < open {
                let Some((e, joined)) = region.service_queue[i].pop_front() else {
                    break;
                };
                let Ok((_, p, res, mut uses, mut progress, mut work, not_agent)) =
                    persons.get_mut(e)
                else {
                    continue;
                };
                if res.region as usize != r
                    || uses.phase_of(i) != ServicePhase::Waiting
                    || uses.week[i] != joined
                {
                    continue; // left the list (moved or departed)
                }
                let factor = if s == Service::CredentialRecognition {
                    fast
                } else {
                    1.0
                };
                if let Some(mut n) = not_agent {
                    // Asked now whether they may still be served; their
                    // language grows with the course from this week on.
                    grow_language(
                        &mut n,
                        p,
                        &mut progress,
                        &uses,
                        learning,
                        in_work(p, res),
                        week,
                    );
                    region.waiting_not_agents[i] -= 1;
                    let borrowed = work_of(p, res, &work, false);
                    if !(access(res) && eligible(s, p, &progress, &borrowed, &uses, coverage)) {
                        uses.set_phase(i, ServicePhase::NotYet);
                        continue;
                    }
                }
                let length = draw_length(rng, &params.services[i], factor);
                let end = (week32 + length).min(u32::from(u16::MAX - 1)) as u16;
                uses.set_phase(i, ServicePhase::InService);
                uses.week[i] = end;
                if u32::from(end) < horizon {
                    ending.push(end, e, i);
                }
                region.in_service[i] += 1;
                flows.started[r][i] += 1;
                flows.wait_sum[r][i] += f64::from(week - joined);
                if s == Service::Coaching {
                    work.coached = true;
                }
            }
        }
    }
}

/// The services' own state between weeks.
#[derive(Default)]
pub struct State {
    ending: Calendar,
    joins: Calendar,
    spare: Vec<(Entity, u8)>,
}
