//! Asylum decisions (weekly process 4): a national decision capacity per
//! week works through the backlog first come first served; each decision
//! grants status with the origin group's recognition probability. Both may
//! follow a schedule (by year, say): this week's values are used. Rejected
//! people return or stay on in legal limbo (moving on handles both).
//!
//! Evidence: BAMF 2015, S3 (282,726 decisions, 48.5% granted
//! refugee status, about 360,000 pending at the end of the year).

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::components::*;
use super::resources::{Backlog, Clock, Flows, Params, Streams};

pub fn asylum_decisions(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut backlog: ResMut<Backlog>,
    mut flows: ResMut<Flows>,
    mut households: Query<&mut Household>,
    mut recognition: Local<Vec<f64>>,
) {
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
        h.legal = if rng.random::<f64>() < recognition[h.origin as usize] {
            flows.recognitions[h.region as usize] += size;
            // Subsidiary protection rather than refugee status: drawn only
            // where the group has a share of it (read by family reunion).
            let share = g.family_abroad.subsidiary_protection_share;
            h.subsidiary = share > 0.0 && rng.random::<f64>() < share;
            LegalStatus::Recognised
        } else {
            LegalStatus::Rejected
        };
        h.status_week = week;
        flows.decisions[h.region as usize] += size;
    }
    if backlog.queue.is_empty() {
        backlog.credit = backlog.credit.min(capacity);
    }
}
