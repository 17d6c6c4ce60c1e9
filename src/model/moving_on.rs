//! Moving on (weekly process 5): a household granted protection must leave
//! reception after the move-on period. Whoever has no home by then is
//! homeless, or, with move-on support, in temporary (emergency)
//! accommodation, and keeps searching (the housing market, process 5a).
//! Finally refused households leave the country at a weekly rate; at the
//! end of the same period they lose their place, keep it, or are hosted by
//! community groups, as `policy.rejected_accommodation` says. Each
//! household that becomes homeless here is marked with its path
//! ([`HomelessPath`]).
//!
//! Evidence: the four-week UK move-on period and its homelessness risk
//! (Q16, S8: 28 days).

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::components::*;
use super::resources::{Clock, Params, Regions, Streams};
use super::selection::select;
use super::tenancy::{HomelessPath, Tenancy};
use crate::scenario::RejectedAccommodation;

/// A household's housing changed by this week's moving on (legal status,
/// housing, path into homelessness if it became homeless).
type Change = (Entity, LegalStatus, HousingStatus, HomelessPath);

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn moving_on(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut regions: ResMut<Regions>,
    mut households: Query<(Entity, &mut Household)>,
    mut tenancies: Query<&mut Tenancy>,
    mut selected: Local<Vec<u32>>,
    mut changes: Local<Vec<Change>>,
) {
    let rng = &mut streams.moving_on;
    let week = clock.week.min(u32::from(u16::MAX - 1)) as u16;
    let s = &params.scenario;
    let period = s.policy.move_on.period_weeks;
    let support = s.policy.move_on.support;
    let depart = s.asylum.rejected_departure_rate_per_week;

    // Who may move this week is chosen without branching ([`select`]),
    // then only they are visited, in the same order; the changes are
    // written afterwards, so that only households that changed are marked
    // changed (as residence expects).
    changes.clear();
    for (entities, households) in households
        .contiguous_iter()
        .expect("households are stored in tables")
    {
        let n = select(
            &mut selected,
            0,
            households.iter().map(|h| {
                let accommodated = matches!(
                    h.housing,
                    HousingStatus::Reception | HousingStatus::Emergency
                );
                h.legal.finally_refused() | (h.legal.protected() & accommodated)
            }),
        );
        for &i in &selected[..n] {
            let (e, h) = (entities[i as usize], &households[i as usize]);
            let r = h.region as usize;
            let accommodated = matches!(
                h.housing,
                HousingStatus::Reception | HousingStatus::Emergency
            );
            let period_over = u32::from(week - h.status_week) >= period;
            let change = if h.legal.finally_refused() {
                if rng.random::<f64>() < depart {
                    (
                        LegalStatus::Departed,
                        HousingStatus::Gone,
                        HomelessPath::None,
                    )
                } else if accommodated && period_over {
                    match s.policy.rejected_accommodation {
                        RejectedAccommodation::None => {
                            (h.legal, HousingStatus::Homeless, HomelessPath::Rejected)
                        }
                        RejectedAccommodation::BasicReception => continue,
                        RejectedAccommodation::Community => {
                            (h.legal, HousingStatus::Overcrowded, HomelessPath::None)
                        }
                    }
                } else {
                    continue;
                }
            } else if period_over {
                // Protected, in reception or emergency accommodation.
                match (h.housing, support) {
                    (HousingStatus::Reception, true) => {
                        (h.legal, HousingStatus::Emergency, HomelessPath::None)
                    }
                    (_, false) => (h.legal, HousingStatus::Homeless, HomelessPath::MoveOn),
                    _ => continue,
                }
            } else {
                continue;
            };
            if h.housing == HousingStatus::Reception {
                regions.0[r].reception_used -= u32::from(h.size);
            }
            changes.push((e, change.0, change.1, change.2));
        }
    }
    for &(e, legal, housing, path) in changes.iter() {
        let (_, mut h) = households.get_mut(e).expect("selected above");
        h.legal = legal;
        h.housing = housing;
        if housing == HousingStatus::Homeless {
            tenancies
                .get_mut(e)
                .expect("every household has one")
                .homeless_path = path;
        }
    }
}
