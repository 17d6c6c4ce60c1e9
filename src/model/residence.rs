//! The person's view of their household (bookkeeping between the household
//! processes and the person processes): region, legal status and housing
//! are copied to each member once a week, so the person processes read them
//! without a lookup. A person whose household moved or left gives up their
//! service places and queue positions (and, on leaving, their job).

use bevy_ecs::prelude::*;

use super::components::*;
use super::resources::Regions;

pub fn residence(
    households: Query<&Household>,
    mut persons: Query<(&Person, &mut Residence, &mut ServiceUse, &mut Work)>,
    mut regions: ResMut<Regions>,
) {
    for (p, mut res, mut services, mut work) in persons.iter_mut() {
        if res.legal == LegalStatus::Departed {
            continue;
        }
        let Ok(h) = households.get(p.household) else {
            continue;
        };
        let moved = res.region != u16::MAX && res.region != h.region;
        let left = h.legal == LegalStatus::Departed;
        if moved || left {
            let old = res.region as usize;
            for (i, st) in services.state.iter_mut().enumerate() {
                match st.phase {
                    ServicePhase::InService => {
                        regions.0[old].in_service[i] -= 1;
                        st.phase = ServicePhase::NotYet;
                    }
                    ServicePhase::Waiting => st.phase = ServicePhase::NotYet,
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
