//! Appeals (weekly process 4a): a national court capacity per week decides
//! appeals first come first served, once an appeal has been pending at
//! least `appeal_min_weeks`. An appeal grants protection with probability
//! `appeal_success` (refugee status or subsidiary protection, as at first
//! instance); otherwise the refusal is final. While the appeal is pending
//! the household keeps its accommodation and the rights of an asylum
//! seeker.
//!
//! Evidence: S29 (Germany 2017: about 91% of refusals appealed, about 40%
//! of the decisions on substance overturned the refusal); A68, A69.

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::components::*;
use super::resources::{Clock, Flows, Params, Streams};
use super::status::{Court, Removals, protection, refuse_finally};

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn appeals(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut court: ResMut<Court>,
    mut removals: ResMut<Removals>,
    mut flows: ResMut<Flows>,
    mut households: Query<&mut Household>,
) {
    let rng = &mut streams.appeals;
    let rules = &params.scenario.legal_status;
    // Persons: households are decided one by one at every scale.
    let capacity = rules.court_capacity_per_week;
    // As for first decisions: capacity is not banked beyond the largest
    // household, so that a large household at the front is not stuck.
    court.credit =
        (court.credit + capacity).min(capacity + crate::scenario::MAX_HOUSEHOLD_SIZE as f64);
    let week = clock.week.min(u32::from(u16::MAX - 1)) as u16;
    while let Some(&e) = court.queue.front() {
        let Ok(mut h) = households.get_mut(e) else {
            court.queue.pop_front();
            continue;
        };
        if h.legal != LegalStatus::Appealing {
            court.queue.pop_front();
            continue;
        }
        if u32::from(week - h.status_week) < rules.appeal_min_weeks {
            break;
        }
        let size = f64::from(h.size);
        if size > court.credit {
            break;
        }
        court.credit -= size;
        court.queue.pop_front();
        flows.appeal_decisions[h.region as usize] += size;
        if rng.random::<f64>() < rules.appeal_success {
            let group = &params.scenario.arrivals.origin_groups[usize::from(h.origin)];
            h.legal = protection(rng, group);
            h.status_week = week;
            flows.recognitions[h.region as usize] += size;
        } else {
            refuse_finally(rng, rules, e, &mut h, week, &mut removals);
        }
    }
    if court.queue.is_empty() {
        court.credit = court.credit.min(capacity);
    }
}
