//! Removals (weekly process 4b): a national removal capacity per week
//! returns finally refused households that can be returned, first come
//! first served in the order refused. Tolerated households are not
//! removed; both may still leave of their own accord (moving on).

use bevy_ecs::prelude::*;

use super::components::*;
use super::resources::{Params, Regions};
use super::status::Removals;

pub fn removals(
    params: Res<Params>,
    mut removals: ResMut<Removals>,
    mut regions: ResMut<Regions>,
    mut households: Query<&mut Household>,
) {
    let removals = &mut *removals;
    removals.removed.clear();
    removals.removed.resize(params.regions, 0.0);
    // Persons: households are removed one by one at every scale.
    let capacity = params.scenario.legal_status.removal_capacity_per_week;
    removals.credit =
        (removals.credit + capacity).min(capacity + crate::scenario::MAX_HOUSEHOLD_SIZE as f64);
    while let Some(&e) = removals.queue.front() {
        let Ok(mut h) = households.get_mut(e) else {
            removals.queue.pop_front();
            continue;
        };
        if h.legal != LegalStatus::Rejected {
            removals.queue.pop_front();
            continue;
        }
        let size = f64::from(h.size);
        if size > removals.credit {
            break;
        }
        removals.credit -= size;
        removals.queue.pop_front();
        let r = h.region as usize;
        if h.housing == HousingStatus::Reception {
            regions.0[r].reception_used -= u32::from(h.size);
        }
        h.legal = LegalStatus::Departed;
        h.housing = HousingStatus::Gone;
        removals.removed[r] += size;
    }
    if removals.queue.is_empty() {
        removals.credit = removals.credit.min(capacity);
    }
}
