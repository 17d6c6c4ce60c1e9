//! The person's view of their household (bookkeeping between the household
//! processes and the person processes): region, legal status and housing
//! are copied to each member when their household changes, so the person
//! processes read them without a lookup. A person whose household moved or
//! left gives up their service places and queue positions (and, on leaving,
//! their job).
//!
//! Only households changed since the last week are visited (bevy's change
//! detection: every write to a `Household` marks it), and through the
//! roster only their members: copying an unchanged household would change
//! nothing.

use bevy_ecs::prelude::*;

use super::components::*;
use super::resources::{Regions, Roster};

pub fn residence(
    households: Query<&Household, Changed<Household>>,
    roster: Res<Roster>,
    mut persons: Query<(&mut Residence, &mut ServiceUse, &mut Work)>,
    mut regions: ResMut<Regions>,
) {
    for h in &households {
        let first = h.members as usize;
        for &e in &roster.0[first..first + usize::from(h.size)] {
            let Ok((mut res, mut services, mut work)) = persons.get_mut(e) else {
                continue;
            };
            if res.legal == LegalStatus::Departed {
                continue;
            }
            let moved = res.region != u16::MAX && res.region != h.region;
            let left = h.legal == LegalStatus::Departed;
            if moved || left {
                let old = res.region as usize;
                for (i, phase) in services.phase.iter_mut().enumerate() {
                    match *phase {
                        ServicePhase::InService => {
                            regions.0[old].in_service[i] -= 1;
                            *phase = ServicePhase::NotYet;
                        }
                        ServicePhase::Waiting => *phase = ServicePhase::NotYet,
                        _ => {}
                    }
                }
                if left {
                    work.job = None;
                }
            }
            *res = Residence {
                region: h.region,
                legal: h.legal,
                housing: h.housing,
                sponsored: h.sponsored,
                status_week: h.status_week,
            };
        }
    }
}
