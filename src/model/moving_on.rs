//! Moving on (weekly process 5): a recognised household must leave
//! reception after the move-on period and needs mainstream housing of a size
//! that fits it. Units come free each week by size (small: one person,
//! medium: two to four, large: five or more) and go to waiting households
//! first come first served. Whoever is not housed by the end of the period
//! is homeless, or, with move-on support, in temporary accommodation.
//! Households that have waited long accept a unit one size too small and
//! are counted as overcrowded. Rejected households lose their place at the
//! end of the same period and leave the country at a weekly rate.
//!
//! Evidence: the four-week UK move-on period and its homelessness risk
//! (Q16, S8: 28 days); social housing built for families of two to
//! four, leaving single men and large families waiting (Q15).

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::arrivals::poisson;
use super::components::*;
use super::resources::{Clock, Params, Regions, Streams};
use super::selection::select;

/// Unit size class a household needs: 0 small (1), 1 medium (2–4), 2 large (5+).
pub fn size_class(size: u8) -> usize {
    match size {
        0 | 1 => 0,
        2..=4 => 1,
        _ => 2,
    }
}

/// A household's housing changed by this week's moving on (legal status,
/// housing, week it joined the housing queue).
type Change = (Entity, LegalStatus, HousingStatus, u16);

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn moving_on(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut regions: ResMut<Regions>,
    mut households: Query<(Entity, &mut Household)>,
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
                let waiting = matches!(
                    h.housing,
                    HousingStatus::Reception | HousingStatus::Emergency | HousingStatus::Homeless
                );
                (h.legal == LegalStatus::Rejected)
                    | ((h.legal == LegalStatus::Recognised) & waiting)
            }),
        );
        for &i in &selected[..n] {
            let (e, h) = (entities[i as usize], &households[i as usize]);
            let r = h.region as usize;
            let (mut legal, mut housing, mut queue_since) =
                (h.legal, h.housing, h.housing_queue_since);
            if h.legal == LegalStatus::Rejected {
                if rng.random::<f64>() < depart {
                    if h.housing == HousingStatus::Reception {
                        regions.0[r].reception_used -= u32::from(h.size);
                    }
                    legal = LegalStatus::Departed;
                    housing = HousingStatus::Gone;
                } else if matches!(
                    h.housing,
                    HousingStatus::Reception | HousingStatus::Emergency
                ) && u32::from(week - h.status_week) >= period
                {
                    if h.housing == HousingStatus::Reception {
                        regions.0[r].reception_used -= u32::from(h.size);
                    }
                    housing = HousingStatus::Homeless;
                } else {
                    continue;
                }
            } else {
                // Recognised, in reception, emergency housing or homeless.
                let in_accommodation = matches!(
                    h.housing,
                    HousingStatus::Reception | HousingStatus::Emergency
                );
                if h.housing_queue_since == NEVER {
                    queue_since = week;
                    regions.0[r].housing_queue[size_class(h.size)].push_back(e);
                }
                if in_accommodation && u32::from(week - h.status_week) >= period {
                    if h.housing == HousingStatus::Reception {
                        regions.0[r].reception_used -= u32::from(h.size);
                        housing = if support {
                            HousingStatus::Emergency
                        } else {
                            HousingStatus::Homeless
                        };
                    } else if !support {
                        housing = HousingStatus::Homeless;
                    }
                }
                if (housing, queue_since) == (h.housing, h.housing_queue_since) {
                    continue;
                }
            }
            changes.push((e, legal, housing, queue_since));
        }
    }
    for &(e, legal, housing, queue_since) in changes.iter() {
        let (_, mut h) = households.get_mut(e).expect("selected above");
        h.legal = legal;
        h.housing = housing;
        h.housing_queue_since = queue_since;
    }

    // Units coming free this week go to the waiting households, first come
    // first served; units no one of their size takes go to households of the
    // next size up who have waited long enough to accept overcrowding.
    let trend = (1.0 + s.housing.annual_supply_trend).powf(f64::from(week) / 52.0);
    let overcrowd_after = s.housing.overcrowding_after_weeks;
    for (r, region) in regions.0.iter_mut().enumerate() {
        let mut left_over = 0u64;
        for class in 0..3 {
            // Every unit, at every scale: households are not thinned.
            let mut units = poisson(rng, region.housing_units[class] * trend);
            // First the class's own queue.
            while units > 0 {
                let Some(&e) = region.housing_queue[class].front() else {
                    break;
                };
                region.housing_queue[class].pop_front();
                let Ok((_, mut h)) = households.get_mut(e) else {
                    continue;
                };
                if !waiting_for_housing(&h, r) {
                    continue;
                }
                if h.housing == HousingStatus::Reception {
                    region.reception_used -= u32::from(h.size);
                }
                h.housing = HousingStatus::Mainstream;
                h.housing_queue_since = NEVER;
                units -= 1;
            }
            // Then long waiters of this class take the smaller units left
            // over from the class below.
            while left_over > 0 {
                let Some(&e) = region.housing_queue[class].front() else {
                    break;
                };
                let Ok((_, mut h)) = households.get_mut(e) else {
                    region.housing_queue[class].pop_front();
                    continue;
                };
                if !waiting_for_housing(&h, r) {
                    region.housing_queue[class].pop_front();
                    continue;
                }
                if u32::from(week - h.housing_queue_since) < overcrowd_after {
                    break;
                }
                region.housing_queue[class].pop_front();
                if h.housing == HousingStatus::Reception {
                    region.reception_used -= u32::from(h.size);
                }
                h.housing = HousingStatus::Overcrowded;
                h.housing_queue_since = NEVER;
                left_over -= 1;
            }
            left_over = units;
        }
    }
}

/// Still waiting for a home in region `r` (queue entries of households that
/// moved, were housed or left are dropped when they reach the front).
fn waiting_for_housing(h: &Household, r: usize) -> bool {
    h.region as usize == r
        && h.housing_queue_since != NEVER
        && h.legal == LegalStatus::Recognised
        && matches!(
            h.housing,
            HousingStatus::Reception | HousingStatus::Emergency | HousingStatus::Homeless
        )
}
