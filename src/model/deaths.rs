//! Deaths (weekly process 3c): the persons whose death ageing drew for this
//! week of the year (at the life table's probability for their age, S20)
//! die. They give up their places (services, school, reception), their job,
//! and their place in the household; a household left empty is gone. The
//! dead are counted from then on (`Record::deceased`), so that nobody is
//! lost.

use bevy_ecs::prelude::*;

use super::components::*;
use super::family;
use super::resources::{Clock, Flows, LifeEvents, Record, Regions, Roster};

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn deaths(
    mut commands: Commands,
    clock: Res<Clock>,
    mut events: ResMut<LifeEvents>,
    mut roster: ResMut<Roster>,
    mut regions: ResMut<Regions>,
    mut flows: ResMut<Flows>,
    mut record: ResMut<Record>,
    persons: Query<(&Person, &Residence, &Work, &ServiceUse, &Schooling)>,
    mut households: Query<&mut Household>,
) {
    let of_year = (clock.week % 52) as usize;
    let mut due = std::mem::take(&mut events.deaths[of_year]);
    for &e in &due {
        let Ok((p, res, work, uses, school)) = persons.get(e) else {
            continue; // left the country
        };
        let Ok(mut h) = households.get_mut(p.household) else {
            continue;
        };
        if h.legal == LegalStatus::Departed || h.region == u16::MAX {
            continue;
        }
        let not_agent = !p.agent;
        family::release_places(
            uses,
            school,
            res.region,
            not_agent,
            &mut regions.0,
            Some(&mut *h),
        );
        if work.job.is_some() {
            h.employed = h.employed.saturating_sub(1);
        }
        let old = h.size;
        family::remove_member(&mut roster, &mut h, e);
        let r = usize::from(h.region);
        family::resized(p.household, &mut h, old, &mut regions.0[r]);
        if h.size == 0 {
            roster.1.give_back(h.slot);
            commands.entity(p.household).despawn();
        }
        flows.deaths[r] += 1.0;
        record.deceased[r] += 1.0;
        commands.entity(e).despawn();
    }
    due.clear();
    events.deaths[of_year] = due;
}
