//! Schools (weekly process 14): children whose age calls for primary or
//! secondary school take a place in their region's schools, first come
//! first served; when places are short they wait (Q24, M9: school places
//! still short years after the surge). A child who moves up a level, out
//! of school age or to another region leaves the place and, where due,
//! joins the next list. The children of asylum seekers may take a place
//! only if the policy opens schools to them and only once they have been
//! here `policy.school_access.asylum_seeker_wait_weeks` (S18: no later than
//! three months); children of every other status present may at once.
//!
//! A pupil's language and bridges grow at school, and the adults of a
//! household with a pupil gain bridges through the school (schools as
//! family hubs, M63): integration reads both (A49–A51).

use bevy_ecs::prelude::*;

use super::components::*;
use super::resources::{Clock, Flows, Params, Regions};
use super::selection::select;

/// May a child of this residence take a school place this week?
#[inline]
fn access(res: &Residence, arrival_week: u16, latest_asylum_arrival: i64) -> bool {
    (res.legal != LegalStatus::AsylumSeeker) | (i64::from(arrival_week) <= latest_asylum_arrival)
}

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn schools(
    clock: Res<Clock>,
    params: Res<Params>,
    mut regions: ResMut<Regions>,
    mut flows: ResMut<Flows>,
    mut selected: Local<Vec<u32>>,
    mut persons: Query<(Entity, &Person, &Residence, &mut Schooling)>,
    mut households: Query<&mut Household>,
) {
    let week32 = clock.week;
    let week = week32.min(u32::from(u16::MAX - 1)) as u16;
    let a = &params.scenario.policy.school_access;
    // Asylum seekers who arrived in this week or earlier may take a place;
    // −1 if none may.
    let latest_asylum_arrival = if a.asylum_seekers {
        i64::from(week32) - i64::from(a.asylum_seeker_wait_weeks)
    } else {
        -1
    };
    let regions = &mut regions.0;

    // Whose schooling changes this week is chosen without branching
    // ([`select`]): a child due at school and out of it (with access), or a
    // child waiting or at school whose level or region no longer fits.
    for (entities, persons_t, residences, mut schooling) in persons
        .contiguous_iter_mut()
        .expect("persons are stored in tables")
    {
        let schooling = schooling.bypass_change_detection();
        let n = select(
            &mut selected,
            0,
            persons_t
                .iter()
                .zip(residences)
                .zip(schooling.iter())
                .map(|((p, res), s)| {
                    let present = (res.legal != LegalStatus::Departed) & (res.region != u16::MAX);
                    let out = s.phase == SchoolPhase::Out;
                    let join = out
                        & (s.due != SchoolLevel::None)
                        & access(res, p.arrival_week, latest_asylum_arrival);
                    let misplaced = !out & ((s.due != s.level) | (s.region != res.region));
                    present & (join | misplaced)
                }),
        );
        for &row in &selected[..n] {
            let row = row as usize;
            let (e, p, res) = (entities[row], &persons_t[row], &residences[row]);
            let s = &mut schooling[row];
            match s.phase {
                SchoolPhase::Enrolled => {
                    let level = s.level as usize - 1;
                    regions[usize::from(s.region)].pupils[level] -= 1;
                    s.weeks_done = s.weeks_done.saturating_add(week - s.week);
                    if let Ok(mut h) = households.get_mut(p.household) {
                        h.pupils = h.pupils.saturating_sub(1);
                    }
                }
                SchoolPhase::Waiting => {
                    let level = s.level as usize - 1;
                    regions[usize::from(s.region)].school_waiting[level] -= 1;
                }
                SchoolPhase::Out => {}
            }
            s.phase = SchoolPhase::Out;
            s.level = SchoolLevel::None;
            if s.due != SchoolLevel::None && access(res, p.arrival_week, latest_asylum_arrival) {
                let level = s.due as usize - 1;
                let region = &mut regions[usize::from(res.region)];
                region.school_queue[level].push_back((e, week));
                region.school_waiting[level] += 1;
                *s = Schooling {
                    phase: SchoolPhase::Waiting,
                    level: s.due,
                    region: res.region,
                    week,
                    ..*s
                };
            }
        }
    }

    // Free places go to the front of each list.
    for (r, region) in regions.iter_mut().enumerate() {
        for level in 0..2 {
            while region.pupils[level] < region.school_places[level] {
                let Some((e, joined)) = region.school_queue[level].pop_front() else {
                    break;
                };
                let Ok((_, p, _, mut s)) = persons.get_mut(e) else {
                    continue; // left the country or died
                };
                if s.phase != SchoolPhase::Waiting
                    || usize::from(s.region) != r
                    || s.level as usize != level + 1
                    || s.week != joined
                {
                    continue; // left the list
                }
                s.phase = SchoolPhase::Enrolled;
                s.week = week;
                region.pupils[level] += 1;
                region.school_waiting[level] -= 1;
                if let Ok(mut h) = households.get_mut(p.household) {
                    h.pupils = h.pupils.saturating_add(1);
                }
                flows.school_started[r] += 1.0;
                flows.school_wait_sum[r] += f64::from(week - joined);
            }
        }
    }
}
