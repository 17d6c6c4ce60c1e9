//! Leaving home (weekly process 3d): adult sons and daughters for whom
//! ageing drew a departure in this week of the year (a yearly rate set from
//! the mean age at leaving home, S19) form a household of their own, in the
//! same region, with the family's status. They find a home in the general
//! market, as family and labour arrivals do, not through the newcomers'
//! housing queue. Only households settled with a status (in a mainstream
//! or overcrowded home) see their young adults leave; in reception,
//! emergency accommodation or homelessness they stay together.

use bevy_ecs::prelude::*;

use super::components::*;
use super::family;
use super::resources::{Clock, Flows, LifeEvents, Regions, Roster};

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn leaving_home(
    mut commands: Commands,
    clock: Res<Clock>,
    mut events: ResMut<LifeEvents>,
    mut roster: ResMut<Roster>,
    mut regions: ResMut<Regions>,
    mut flows: ResMut<Flows>,
    mut persons: Query<(&mut Person, &mut Role, &Work)>,
    mut households: Query<&mut Household>,
) {
    let of_year = (clock.week % 52) as usize;
    let mut due = std::mem::take(&mut events.leaving[of_year]);
    for &e in &due {
        let Ok((mut p, mut role, work)) = persons.get_mut(e) else {
            continue;
        };
        let Ok(mut h) = households.get_mut(p.household) else {
            continue;
        };
        let settled = matches!(
            h.housing,
            HousingStatus::Mainstream | HousingStatus::Overcrowded
        );
        if *role != Role::Child
            || !p.adult
            || !h.legal.has_status()
            || !settled
            || h.size < 2
            || h.region == u16::MAX
        {
            continue;
        }
        let employed = u8::from(work.job.is_some());
        let old = h.size;
        family::remove_member(&mut roster, &mut h, e);
        h.employed = h.employed.saturating_sub(employed);
        let r = usize::from(h.region);
        family::resized(p.household, &mut h, old, &mut regions.0[r]);
        let members = u32::try_from(roster.0.len()).expect("at most 2^32 roster entries");
        roster.0.push(e);
        let own = commands
            .spawn((
                Household {
                    size: 1,
                    origin: h.origin,
                    channel: h.channel,
                    region: h.region,
                    legal: h.legal,
                    housing: HousingStatus::Mainstream,
                    arrival_week: h.arrival_week,
                    status_week: h.status_week,
                    housing_queue_since: NEVER,
                    sponsored: false,
                    employed,
                    // The young adult stays an agent or not: the new
                    // household is in the sample exactly if they are.
                    agents: p.agent,
                    members,
                    slot: roster.1.take(),
                    pupils: 0,
                    outgrown: NO_CLASS,
                },
                Reunion::default(),
            ))
            .id();
        p.household = own;
        *role = Role::Head;
        flows.households_formed[r] += 1.0;
    }
    due.clear();
    events.leaving[of_year] = due;
}
