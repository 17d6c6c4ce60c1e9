//! The person's view of their household (bookkeeping between the household
//! processes and the person processes): region, legal status and housing
//! are copied to each member when their household changes, so the person
//! processes read them without a lookup. A person whose household moved
//! gives up their service places and queue positions.
//!
//! Only households changed since the last week are visited (bevy's change
//! detection: every write to a `Household` marks it), and through the
//! roster only their members: copying an unchanged household would change
//! nothing.
//!
//! A household that left the country gives up its members' service and
//! school places and is removed from the world with its members; it is counted among the
//! departed from then on (`Record::departed`), so that nobody is lost and
//! no weekly process walks past those who are gone.

use bevy_ecs::prelude::*;

use super::components::*;
use super::family;
use super::resources::{Record, Regions, Roster};
use super::schools::SchoolCandidates;

pub fn residence(
    mut commands: Commands,
    households: Query<(Entity, &Household), Changed<Household>>,
    mut roster: ResMut<Roster>,
    mut persons: Query<(&mut Residence, &mut ServiceUse, &Schooling, Has<NotAgent>)>,
    mut regions: ResMut<Regions>,
    mut record: ResMut<Record>,
    mut schools: ResMut<SchoolCandidates>,
) {
    for (household, h) in &households {
        let first = h.members as usize;
        let members = &roster.0[first..first + usize::from(h.size)];
        if h.legal == LegalStatus::Departed {
            for &e in members {
                if let Ok((res, uses, school, not_agent)) = persons.get(e) {
                    let r = res.region;
                    family::release_places(uses, school, r, not_agent, &mut regions.0, None);
                }
                commands.entity(e).despawn();
            }
            record.departed[h.region as usize] += f64::from(h.size);
            roster.1.give_back(h.slot);
            commands.entity(household).despawn();
            continue;
        }
        for &e in members {
            let Ok((mut res, mut services, school, not_agent)) = persons.get_mut(e) else {
                continue;
            };
            // A child who has just come, or whose household's status or
            // region changed, may take or must give up a school place.
            let moved_or_decided = (res.region != h.region) | (res.legal != h.legal);
            if moved_or_decided
                && (school.due != SchoolLevel::None || school.phase != SchoolPhase::Out)
            {
                schools.note(e);
            }
            if res.region != u16::MAX && res.region != h.region {
                let old = res.region as usize;
                // Places and waiting lists are left behind.
                for i in services_in(services.serving) {
                    regions.0[old].in_service[i] -= 1;
                }
                family::leave_service_lists(&services, not_agent, &mut regions.0[old]);
                services.serving = 0;
                services.waiting = 0;
            }
            *res = Residence {
                region: h.region,
                legal: h.legal,
                housing: h.housing,
                sponsored: h.sponsored,
                status_week: h.status_week,
                family_at_school: h.pupils > 0,
                slot: h.slot,
            };
        }
    }
}
