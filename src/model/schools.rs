//! Schools (weekly process 8a): children whose age calls for primary or
//! secondary school take a place in their region's schools, first come
//! first served; when places are short they wait (Q24, M9: school places
//! still short years after the surge). A child who moves up a level, out
//! of school age or to another region leaves the place and, where due,
//! joins the next list. The children of asylum seekers may take a place
//! only if the policy opens schools to them and only once they have been
//! here `policy.school_access.asylum_seeker_wait_weeks` (S23: no later than
//! three months); children of every other status present may at once.
//!
//! A child's standing can change only when their age calls for another
//! level (ageing), when their household comes, changes status or moves
//! (residence), or when an asylum seeker's child's wait for access ends:
//! those children are noted as candidates ([`SchoolCandidates`]) and only
//! they are visited, so schools cost nothing in the weeks nothing changes.
//!
//! A pupil's language and bridges grow at school, and the adults of a
//! household with a pupil gain bridges through the school (schools as
//! family hubs, M63): integration reads both (A55–A57). The language of a
//! child who is not an agent is grown up to the week they take or leave a
//! place ([`grow_language`]), so that it grows at school only while there.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use bevy_ecs::prelude::*;

use super::components::*;
use super::not_agents::{Employment, Learning, grow_language};
use super::resources::{Clock, Flows, Params, Regions};

/// Children whose school standing may change: noted this week, and
/// asylum seekers' children to look at again when their wait ends.
#[derive(Resource, Default)]
pub struct SchoolCandidates {
    now: Vec<Entity>,
    later: BinaryHeap<Reverse<(u16, Entity)>>,
}

impl SchoolCandidates {
    /// Look at this person's schooling this week.
    pub fn note(&mut self, e: Entity) {
        self.now.push(e);
    }
}

/// May a child of this residence take a school place this week?
#[inline]
fn access(res: &Residence, s: &Schooling, week: u16) -> bool {
    (res.legal != LegalStatus::AsylumSeeker) | (week >= s.asylum_access_week)
}

/// What schools read and write of a child.
type Child = (
    &'static Person,
    &'static Residence,
    &'static mut Schooling,
    &'static mut Progress,
    &'static ServiceUse,
    Option<&'static mut NotAgent>,
);

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn schools(
    clock: Res<Clock>,
    params: Res<Params>,
    mut candidates: ResMut<SchoolCandidates>,
    mut regions: ResMut<Regions>,
    mut flows: ResMut<Flows>,
    employment: Res<Employment>,
    mut children: Query<Child>,
    mut households: Query<&mut Household>,
) {
    let week = clock.week.min(u32::from(u16::MAX - 1)) as u16;
    let learning = &Learning::new(&params.scenario.integration, &params.scenario.schools);
    let regions = &mut regions.0;
    let candidates = &mut *candidates;

    // Waits for access that end this week.
    while let Some(&Reverse((w, e))) = candidates.later.peek() {
        if w > week {
            break;
        }
        candidates.later.pop();
        candidates.now.push(e);
    }

    // Each candidate leaves a place or list that no longer fits, and joins
    // the list its age calls for where it may. Looking twice at a child
    // changes nothing the second time. In the order of their entity index,
    // not of their tables: agents and others (tables of their own) meet
    // the same first come, first served.
    candidates.now.sort_unstable_by_key(|e| e.index_u32());
    for &e in &candidates.now {
        let Ok((p, res, mut s, mut progress, uses, not_agent)) = children.get_mut(e) else {
            continue; // left the country or died
        };
        if res.legal == LegalStatus::Departed || res.region == u16::MAX {
            continue;
        }
        let fits = s.phase != SchoolPhase::Out && s.level == s.due && s.region == res.region;
        if fits {
            continue;
        }
        match s.phase {
            SchoolPhase::Enrolled => {
                if let Some(mut n) = not_agent {
                    grow_language(
                        &mut n,
                        p,
                        &mut progress,
                        uses,
                        learning,
                        employment.in_work(p, res, week),
                        week,
                    );
                }
                progress.at_school = false;
                regions[usize::from(s.region)].pupils[s.level as usize - 1] -= 1;
                s.weeks_done = s.weeks_done.saturating_add(week - s.week);
                if let Ok(mut h) = households.get_mut(p.household) {
                    h.pupils = h.pupils.saturating_sub(1);
                }
            }
            SchoolPhase::Waiting => {
                regions[usize::from(s.region)].school_waiting[s.level as usize - 1] -= 1;
            }
            SchoolPhase::Out => {}
        }
        s.phase = SchoolPhase::Out;
        s.level = SchoolLevel::None;
        if s.due == SchoolLevel::None {
            continue;
        }
        if !access(res, &s, week) {
            if s.asylum_access_week != NEVER {
                candidates.later.push(Reverse((s.asylum_access_week, e)));
            }
            continue;
        }
        let level = s.due as usize - 1;
        let region = &mut regions[usize::from(res.region)];
        region.school_queue[level].push_back((e, week));
        region.school_waiting[level] += 1;
        s.phase = SchoolPhase::Waiting;
        s.level = s.due;
        s.region = res.region;
        s.week = week;
    }
    candidates.now.clear();

    // Free places go to the front of each list.
    for (r, region) in regions.iter_mut().enumerate() {
        for level in 0..2 {
            while region.pupils[level] < region.school_places[level] {
                let Some((e, joined)) = region.school_queue[level].pop_front() else {
                    break;
                };
                let Ok((p, res, mut s, mut progress, uses, not_agent)) = children.get_mut(e) else {
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
                if let Some(mut n) = not_agent {
                    grow_language(
                        &mut n,
                        p,
                        &mut progress,
                        uses,
                        learning,
                        employment.in_work(p, res, week),
                        week,
                    );
                }
                progress.at_school = true;
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
