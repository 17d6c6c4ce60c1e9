//! Births (weekly process 3b): the mothers for whom ageing drew a birth in
//! this week of the year (the total fertility rate spread evenly over the
//! childbearing span, S18 and A59) have a child, who joins the household
//! with its status. The mother is a partner or a lone parent (partnering is
//! not modelled). A household at the largest size has no more children.
//! A household in reception takes a place for the child if one is free, or
//! moves to emergency accommodation; one in a mainstream home may outgrow it
//! ([`family::resized`]).

use bevy_ecs::prelude::*;

use super::components::*;
use super::family;
use super::resources::{Clock, Flows, LifeEvents, Params, Regions, Roster, Streams};

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn births(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut events: ResMut<LifeEvents>,
    mut roster: ResMut<Roster>,
    mut regions: ResMut<Regions>,
    mut flows: ResMut<Flows>,
    persons: Query<(&Person, &Role)>,
    mut households: Query<&mut Household>,
) {
    let week = clock.week;
    let of_year = (week % 52) as usize;
    let rng = &mut streams.births;
    let mut due = std::mem::take(&mut events.births[of_year]);
    for &mother in &due {
        let Ok((p, role)) = persons.get(mother) else {
            continue;
        };
        let Ok(mut h) = households.get_mut(p.household) else {
            continue;
        };
        if !role.may_bear_children()
            || h.size >= family::MAX_SIZE
            || h.legal == LegalStatus::Departed
            || h.region == u16::MAX
        {
            continue;
        }
        let newcomer = family::Newcomer {
            household: p.household,
            group: usize::from(p.origin),
            week: week.min(u32::from(u16::MAX - 1)) as u16,
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
            born_here: true,
            agent: h.agents,
        };
        let (child, _) =
            family::spawn_person(&mut commands, &params, rng, &newcomer, Role::Child, 0);
        let old = h.size;
        family::add_members(&mut roster, &mut h, &[child]);
        let r = usize::from(h.region);
        family::resized(p.household, &mut h, old, &mut regions.0[r]);
        flows.births[r] += 1.0;
        events.newcomers.push(child);
    }
    due.clear();
    events.births[of_year] = due;
}
