//! Family reunion (weekly process 3a): a recognised person who came ahead of
//! their spouse and children (a single adult with a family abroad, drawn at
//! arrival: `arrivals.origin_groups[].family_abroad`, S22) applies for
//! them once eligible: refugee status, or subsidiary protection where the
//! policy lets it sponsor (seed 004 and M14: rights to family reunion
//! depend on status), and `waiting_period_weeks` after recognition. The
//! application is processed for a geometric number of weeks (mean
//! `processing_weeks`, S24); then visas are issued first come first served,
//! within `annual_cap` family members a year of the run if one is set. The
//! family arrives in the week of the visa and joins the sponsor's household
//! with its status: in a home too small it is overcrowded and needs a
//! larger one ([`family::resized`]); its members reach the services like
//! any newcomer. A household that left the country or died out forfeits
//! its application.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::components::*;
use super::family;
use super::resources::{Clock, Flows, LifeEvents, Params, Regions, Roster, Streams};
use super::selection::select;

/// An application in processing: (week processing ends, order of
/// application, household, members, region at application), ordered by
/// the first two.
type InProcessing = Reverse<(u32, u64, Entity, u8, u16)>;

/// Applications under way.
#[derive(Resource)]
pub struct ReunionQueue {
    /// Being processed.
    processing: BinaryHeap<InProcessing>,
    /// Processed, waiting for a visa under the cap, first come first
    /// served: (household, members, region at application).
    ready: VecDeque<(Entity, u8, u16)>,
    /// Family members applied for and not yet arrived or forfeited, by the
    /// sponsor's region at application.
    pub backlog: Vec<f64>,
    applications: u64,
    /// Family members admitted in this year of the run.
    admitted: f64,
}

impl ReunionQueue {
    pub fn new(regions: usize) -> ReunionQueue {
        ReunionQueue {
            processing: BinaryHeap::new(),
            ready: VecDeque::new(),
            backlog: vec![0.0; regions],
            applications: 0,
            admitted: 0.0,
        }
    }
}

/// Weeks an application is processed: geometric with mean `mean` ≥ 1,
/// P(k) = q (1 − q)^(k − 1) for k ≥ 1, q = 1 / mean.
pub fn processing_weeks(rng: &mut Pcg64Mcg, mean: f64) -> u32 {
    let q = 1.0 / mean.max(1.0);
    if q >= 1.0 {
        return 1;
    }
    let u: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    (u.ln() / (1.0 - q).ln()).ceil().clamp(1.0, 100_000.0) as u32
}

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn family_reunion(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut queue: ResMut<ReunionQueue>,
    mut events: ResMut<LifeEvents>,
    mut roster: ResMut<Roster>,
    mut regions: ResMut<Regions>,
    mut flows: ResMut<Flows>,
    mut selected: Local<Vec<u32>>,
    mut makeup: Local<Vec<(Role, u8)>>,
    mut abroad: Query<(Entity, &Household, &mut Reunion), With<Abroad>>,
    mut households: Query<(Entity, &mut Household, &mut Reunion), Without<Abroad>>,
    ages: Query<&Age>,
) {
    let week = clock.week;
    let week16 = week.min(u32::from(u16::MAX - 1)) as u16;
    let policy = &params.scenario.policy.family_reunion;
    let rng = &mut streams.reunion;
    let queue = &mut *queue;
    if week.is_multiple_of(52) {
        queue.admitted = 0.0;
    }

    // Applications: eligible sponsors with a family abroad.
    let wait = policy.waiting_period_weeks;
    let subsidiary_ok = policy.subsidiary_protection_eligible;
    for (entities, hs, mut reunions) in abroad
        .contiguous_iter_mut()
        .expect("households are stored in tables")
    {
        // Writing through these slices would mark every row changed.
        let reunions = reunions.bypass_change_detection();
        let n = select(
            &mut selected,
            0,
            hs.iter().zip(reunions.iter()).map(|(h, x)| {
                (x.phase == ReunionPhase::Abroad)
                    & ((h.legal == LegalStatus::Recognised)
                        | (subsidiary_ok & (h.legal == LegalStatus::Subsidiary)))
                    & (week >= u32::from(h.status_week) + wait)
            }),
        );
        for &i in &selected[..n] {
            let i = i as usize;
            let x = &mut reunions[i];
            commands.entity(entities[i]).remove::<Abroad>();
            x.phase = ReunionPhase::Applied;
            x.week = week16;
            let done = week + processing_weeks(rng, policy.processing_weeks);
            queue.applications += 1;
            let region = hs[i].region;
            queue.processing.push(Reverse((
                done,
                queue.applications,
                entities[i],
                x.members,
                region,
            )));
            flows.reunion_applications[usize::from(region)] += f64::from(x.members);
            queue.backlog[usize::from(region)] += f64::from(x.members);
        }
    }

    // Processed applications join the queue for visas.
    while let Some(&Reverse((done, _, e, members, region))) = queue.processing.peek() {
        if done > week {
            break;
        }
        queue.processing.pop();
        queue.ready.push_back((e, members, region));
    }

    // Visas, first come first served within the year's cap, and arrivals.
    let cap = policy.annual_cap.map(f64::from);
    while let Some(&(e, applied, at)) = queue.ready.front() {
        let Ok((_, mut h, mut x)) = households.get_mut(e) else {
            queue.ready.pop_front();
            queue.backlog[usize::from(at)] -= f64::from(applied);
            continue; // left the country or died out
        };
        if x.phase != ReunionPhase::Applied || h.legal == LegalStatus::Departed {
            queue.ready.pop_front();
            queue.backlog[usize::from(at)] -= f64::from(applied);
            continue;
        }
        let room = family::MAX_SIZE.saturating_sub(h.size);
        let members = x.members.min(room);
        if cap.is_some_and(|c| queue.admitted + f64::from(members) > c) {
            break; // the year's visas are used up
        }
        queue.ready.pop_front();
        queue.backlog[usize::from(at)] -= f64::from(applied);
        queue.admitted += f64::from(members);
        x.phase = ReunionPhase::Reunited;
        if members == 0 {
            continue;
        }
        let sponsor_age = family::members(&roster, &h)
            .first()
            .and_then(|&s| ages.get(s).ok())
            .map_or(30, |a| a.years);
        draw_family(rng, &params, &h, members, sponsor_age, &mut makeup);
        let newcomer = family::Newcomer {
            household: e,
            group: usize::from(h.origin),
            week: week16,
            // Placed by residence this week, as every newcomer is.
            residence: Residence {
                region: u16::MAX,
                legal: h.legal,
                housing: h.housing,
                sponsored: h.sponsored,
                status_week: h.status_week,
                family_at_school: h.pupils > 0,
                slot: 0, // set by residence before anyone counts
            },
            labour: false,
            born_here: false,
            agent: h.agents,
        };
        let mut joined = Vec::with_capacity(makeup.len());
        for &(role, age) in makeup.iter() {
            let (person, _) =
                family::spawn_person(&mut commands, &params, rng, &newcomer, role, age);
            joined.push(person);
        }
        let old = h.size;
        family::add_members(&mut roster, &mut h, &joined);
        let r = usize::from(h.region);
        family::resized(e, &mut h, old, &mut regions.0[r]);
        events.newcomers.extend_from_slice(&joined);
        flows.reunion_arrivals[r] += f64::from(members);
        flows.arrivals[r] += f64::from(members);
    }
}

/// The family that joins a sponsor: a spouse and `members − 1` children,
/// children's ages from the group's profile (at most 15 years younger than
/// the sponsor), the spouse's at least 15 years older than the eldest child.
fn draw_family(
    rng: &mut Pcg64Mcg,
    params: &Params,
    h: &Household,
    members: u8,
    sponsor_age: u8,
    out: &mut Vec<(Role, u8)>,
) {
    out.clear();
    let g = usize::from(h.origin);
    let life = &params.life;
    let adult_age = params.scenario.demography.adult_age.min(120) as u8;
    let oldest_child = adult_age
        .saturating_sub(1)
        .min(17)
        .min(sponsor_age.saturating_sub(15));
    let children = if sponsor_age >= 15 { members - 1 } else { 0 };
    let mut eldest = 0u8;
    for _ in 0..children {
        let a = life.draw_age(rng, g, 0, oldest_child);
        eldest = eldest.max(a);
        out.push((Role::Child, a));
    }
    let from = if children > 0 {
        adult_age.max(18).max(eldest + 15)
    } else {
        adult_age.max(18)
    };
    out.insert(
        0,
        (Role::Partner, life.draw_age(rng, g, from, 79.max(from))),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn processing_weeks_are_geometric_with_the_mean() {
        let mut rng = Pcg64Mcg::seed_from_u64(9);
        let n = 200_000;
        let mean = 10.0;
        let draws: Vec<u32> = (0..n).map(|_| processing_weeks(&mut rng, mean)).collect();
        let m = draws.iter().map(|&d| f64::from(d)).sum::<f64>() / n as f64;
        // sd of a geometric: sqrt(1 − q) / q = sqrt(0.9) × 10.
        let se = 0.9f64.sqrt() * 10.0 / (n as f64).sqrt();
        assert!((m - mean).abs() < 5.0 * se, "{m}");
        let ones = draws.iter().filter(|&&d| d == 1).count() as f64 / n as f64;
        assert!((ones - 0.1).abs() < 0.005);
        assert_eq!(processing_weeks(&mut rng, 1.0), 1);
    }
}
