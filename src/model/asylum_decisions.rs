//! Asylum decisions (weekly process 4): a national decision capacity per
//! week works through the backlog first come first served; each decision
//! grants protection with the origin group's recognition probability:
//! refugee status, or subsidiary protection for the group's share. Both
//! may follow a schedule (by year, say): this week's values are used. A
//! refusal is appealed with probability `appeal_share` (the appeal joins
//! the courts' queue, process 4a); otherwise it is final: the household is
//! tolerated if it cannot be returned, or queued for removal (process 4b).
//!
//! Evidence: BAMF 2015, S3 (282,726 decisions, 48.5% granted
//! refugee status, about 360,000 pending at the end of the year).

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::components::*;
use super::resources::{Backlog, Clock, Flows, Params, Streams};
use super::status::{Court, Removals, protection, refuse_finally};

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn asylum_decisions(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut backlog: ResMut<Backlog>,
    mut flows: ResMut<Flows>,
    mut court: ResMut<Court>,
    mut removals: ResMut<Removals>,
    mut households: Query<&mut Household>,
    mut recognition: Local<Vec<f64>>,
) {
    let rules = &params.scenario.legal_status;
    let rng = &mut streams.decisions;
    // Persons: households are decided one by one at every scale.
    let capacity = params
        .scenario
        .asylum
        .decision_capacity_per_week
        .at(clock.week);
    // Capacity not used this week is lost, except the part a household too
    // large for the remainder is waiting for.
    backlog.credit =
        (backlog.credit + capacity).min(capacity + crate::scenario::MAX_HOUSEHOLD_SIZE as f64);
    let week = clock.week.min(u32::from(u16::MAX - 1)) as u16;
    recognition.clear();
    recognition.extend(
        params
            .scenario
            .arrivals
            .origin_groups
            .iter()
            .map(|g| g.recognition_probability.at(clock.week)),
    );
    while let Some(&e) = backlog.queue.front() {
        let Ok(mut h) = households.get_mut(e) else {
            backlog.queue.pop_front();
            continue;
        };
        if h.legal != LegalStatus::AsylumSeeker {
            backlog.queue.pop_front();
            continue;
        }
        let size = f64::from(h.size);
        if size > backlog.credit {
            break;
        }
        backlog.credit -= size;
        backlog.queue.pop_front();
        let g = &params.scenario.arrivals.origin_groups[h.origin as usize];
        h.status_week = week;
        if rng.random::<f64>() < recognition[h.origin as usize] {
            flows.recognitions[h.region as usize] += size;
            h.legal = protection(rng, g);
        } else if rng.random::<f64>() < rules.appeal_share {
            h.legal = LegalStatus::Appealing;
            court.queue.push_back(e);
        } else {
            refuse_finally(rng, rules, e, &mut h, week, &mut removals);
        }
        flows.decisions[h.region as usize] += size;
    }
    if backlog.queue.is_empty() {
        backlog.credit = backlog.credit.min(capacity);
    }
}
