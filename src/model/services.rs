//! Services (weekly process 7): per region and per service (language
//! courses, employment coaching, credential recognition, interpretation,
//! health registration, mental-health support), eligible people take the
//! service up with a weekly probability, queue when it is full, and are
//! served first come first served. Eligibility depends on status
//! ("integration from day one" opens services to asylum seekers).
//!
//! A service's length is fixed or geometric (memoryless), drawn when the
//! person starts, so nobody is re-drawn every week. With geometric lengths,
//! Poisson joining and c seats, a region's service is a discrete-time M/M/c
//! queue.
//!
//! Evidence: oversubscribed language and training courses and delays
//! (Q18, Q27); one-stop shops and nudges raise take-up by 5–7% (Q19, Q47);
//! mental-health support (Q25); credential recognition (Q22–Q23).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::components::*;
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
/// and the policy's coverage are fixed for the run.
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

pub fn services(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut regions: ResMut<Regions>,
    mut flows: ResMut<Flows>,
    mut selected: Local<Vec<u32>>,
    mut persons: Query<(
        Entity,
        &Person,
        &Residence,
        &mut ServiceUse,
        &mut Progress,
        &mut Work,
    )>,
) {
    let rng = &mut streams.services;
    let week32 = clock.week;
    let week = week32.min(u32::from(u16::MAX - 1)) as u16;
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

    // Completions and new entries to the waiting lists. Services settled
    // for good are skipped: they would neither change nor draw. Whose
    // services may change is chosen first, without branching ([`select`]),
    // then only they are visited, in the same order. Over slices of each
    // table's columns (contiguous iteration).
    for (entities, persons, residences, mut uses, mut progress, mut works) in persons
        .contiguous_iter_mut()
        .expect("persons are stored in tables")
    {
        let uses = uses.bypass_change_detection();
        let progress = progress.bypass_change_detection();
        let works = works.bypass_change_detection();
        let n = select(
            &mut selected,
            0,
            residences.iter().zip(uses.iter()).map(|(res, uses)| {
                let present = (res.legal != LegalStatus::Departed) & (res.region != u16::MAX);
                let todo = !uses.settled & ALL_SETTLED != 0;
                // Without access only a service under way can change.
                present & todo & (access(res) | uses.under_way())
            }),
        );
        for &row in &selected[..n] {
            let row = row as usize;
            let (e, p, res) = (entities[row], &persons[row], &residences[row]);
            let (uses, progress, work) = (&mut uses[row], &mut progress[row], &mut works[row]);
            let todo = !uses.settled & ALL_SETTLED;
            let access = access(res);
            let r = res.region as usize;
            // Homelessness holds back training (M16).
            let gate = super::tenancy::activity_factor(res.housing, &params.scenario.housing)
                * super::status::take_up_factor(res.legal, &params.scenario.legal_status);
            for i in services_in(todo) {
                let s = Service::ALL[i];
                match uses.phase_of(i) {
                    ServicePhase::InService if week >= uses.week[i] => {
                        uses.set_phase(i, ServicePhase::Done);
                        uses.settled |= 1 << i;
                        regions.0[r].in_service[i] -= 1;
                        match s {
                            Service::CredentialRecognition => work.credential_recognised = true,
                            Service::MentalHealth => progress.vulnerable = false,
                            _ => {}
                        }
                    }
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
                                regions.0[r].service_queue[i].push_back((e, week));
                            }
                        } else if never_eligible(s, p, progress, work, coverage) {
                            uses.settled |= 1 << i;
                        }
                    }
                    _ => {}
                }
            }
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
            while region.in_service[i] < region.seats[i] {
                let Some((e, joined)) = region.service_queue[i].pop_front() else {
                    break;
                };
                let Ok((_, _, res, mut uses, _, mut work)) = persons.get_mut(e) else {
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
                let length = draw_length(rng, &params.services[i], factor);
                let end = (week32 + length).min(u32::from(u16::MAX - 1)) as u16;
                uses.set_phase(i, ServicePhase::InService);
                uses.week[i] = end;
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
