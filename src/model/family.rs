//! Shared rules of households and their members, read by every process
//! that makes or changes a household (arrivals, births, deaths, leaving
//! home, family reunion): who a new household's members are and how old,
//! spawning a person, and what a change of size does to the household's
//! places and home.
//!
//! A household's members are `size` consecutive entries of the
//! [`Roster`] from `members`. When they change, the new list is appended to
//! the roster and `members` moves there; the old entries are left unused
//! (changes are rare: a few per hundred persons a year).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::components::*;
use super::life::{MAX_AGE, stage};
use super::resources::{Params, RegionState, Roster};
use super::tenancy::size_class;
use crate::scenario::MAX_HOUSEHOLD_SIZE;

/// Largest household: births and family reunion stop there.
pub const MAX_SIZE: u8 = MAX_HOUSEHOLD_SIZE as u8;

/// The members of a new household of `size` of origin group `g`: roles and
/// ages, adults first. A household of one is a single adult; a larger one is
/// a single parent, a couple (with children), or an extended household
/// (A54). Children's ages come from the group's profile under 18 (under the
/// age of majority if lower); a parent is at least 15 years older than the
/// oldest child.
pub fn draw_makeup(
    rng: &mut Pcg64Mcg,
    p: &Params,
    g: usize,
    size: usize,
    out: &mut Vec<(Role, u8)>,
) {
    out.clear();
    let life = &p.life;
    let adult_age = p.scenario.demography.adult_age.min(u32::from(MAX_AGE)) as u8;
    let oldest_child = adult_age.saturating_sub(1).min(17);
    let roles: &[Role] = if size <= 1 {
        &[Role::Head]
    } else {
        let (single_parent, extended) = life.household_types[g];
        let u = rng.random::<f64>();
        if u < single_parent {
            &[Role::LoneParent]
        } else if u < single_parent + extended {
            if size == 2 {
                &[Role::Head, Role::Relative]
            } else {
                &[Role::Head, Role::Partner, Role::Relative]
            }
        } else {
            &[Role::Head, Role::Partner]
        }
    };
    let children = size.saturating_sub(roles.len());
    let mut eldest = 0u8;
    for _ in 0..children {
        let a = life.draw_age(rng, g, 0, oldest_child);
        eldest = eldest.max(a);
        out.push((Role::Child, a));
    }
    let parent_from = if children > 0 {
        adult_age.max(18).max(eldest + 15)
    } else {
        adult_age.max(18)
    };
    for &role in roles {
        let from = if role == Role::Relative {
            adult_age.max(18)
        } else {
            parent_from
        };
        out.push((role, life.draw_age(rng, g, from, 79.max(from))));
    }
    // Adults first, in the order of `roles`.
    out.rotate_right(roles.len());
}

/// What a newly spawned person brings besides their role and age.
pub struct Newcomer {
    pub household: Entity,
    pub group: usize,
    pub week: u16,
    pub residence: Residence,
    /// A labour migrant: arrives employed at their own tier, with
    /// recognised credentials.
    pub labour: bool,
    /// Born here: no host language yet, schooled here (literate), healthy.
    pub born_here: bool,
    /// A person agent: their household is in the sample
    /// ([`super::sampling`]).
    pub agent: bool,
}

/// Spawn one person. Returns the entity and whether they arrive employed.
/// Their traits are drawn from `rng` in the same way for everyone, agent or
/// not, so that the persons of a replication are the same at every scale;
/// those who are not agents are spawned into tables of their own
/// ([`NotAgent`]).
pub fn spawn_person(
    commands: &mut Commands,
    p: &Params,
    rng: &mut Pcg64Mcg,
    n: &Newcomer,
    role: Role,
    age: u8,
) -> (Entity, bool) {
    let g = &p.scenario.arrivals.origin_groups[n.group];
    let st = stage(age, &p.scenario.demography);
    let skill = if st.adult {
        let u = rng.random::<f64>();
        if u < g.skills.low {
            Tier::Low
        } else if u < g.skills.low + g.skills.mid {
            Tier::Mid
        } else {
            Tier::High
        }
    } else {
        Tier::Low
    };
    let literate = rng.random::<f64>() < g.literacy;
    let vulnerable = rng.random::<f64>() < g.vulnerability;
    let coaching_draw = rng.random::<f32>();
    let work_draw = rng.random::<f32>();
    let labour = n.labour && st.working_age;
    let person = (
        Person {
            household: n.household,
            adult: st.adult,
            working_age: st.working_age,
            skill,
            literate: literate | n.born_here,
            origin: n.group as u8,
            arrival_week: n.week,
            coaching_draw,
            agent: n.agent,
            work_draw,
        },
        Age { years: age },
        role,
        n.residence,
        Progress {
            language: if n.born_here {
                0.0
            } else {
                g.initial_language as f32
            },
            vulnerable: vulnerable & !n.born_here,
            ..Progress::default()
        },
        Work {
            job: labour.then_some(skill),
            credential_recognised: n.labour,
            coached: false,
            mentored_until: NEVER,
            grew_up_here: false,
            parents_worked: false,
        },
        Career::default(),
        ServiceUse::default(),
        Schooling {
            due: st.school,
            asylum_access_week: asylum_access_week(p, n.week),
            ..Schooling::default()
        },
    );
    let e = if n.agent {
        commands.spawn(person).id()
    } else {
        let not_agent = NotAgent {
            grown_to: n.week,
            scheduled: 0,
        };
        commands.spawn((person, not_agent)).id()
    };
    (e, labour)
}

/// The first week a child who arrived in `week` may take a school place
/// while their household seeks asylum ([`NEVER`] if never).
fn asylum_access_week(p: &Params, week: u16) -> u16 {
    let a = &p.scenario.policy.school_access;
    if a.asylum_seekers {
        (u32::from(week) + a.asylum_seeker_wait_weeks).min(u32::from(NEVER - 1)) as u16
    } else {
        NEVER
    }
}

/// The members of a household.
pub fn members<'a>(roster: &'a Roster, h: &Household) -> &'a [Entity] {
    let first = h.members as usize;
    &roster.0[first..first + usize::from(h.size)]
}

/// Make `list` the household's members.
pub fn relay(roster: &mut Roster, h: &mut Household, list: &[Entity]) {
    h.members = u32::try_from(roster.0.len()).expect("at most 2^32 roster entries");
    roster.0.extend_from_slice(list);
    h.size = list.len() as u8;
}

/// Add persons to a household (a birth, a family joining).
pub fn add_members(roster: &mut Roster, h: &mut Household, new: &[Entity]) {
    let mut list = members(roster, h).to_vec();
    list.extend_from_slice(new);
    relay(roster, h, &list);
}

/// Remove a person from a household (a death, a young adult leaving).
pub fn remove_member(roster: &mut Roster, h: &mut Household, e: Entity) {
    let list: Vec<Entity> = members(roster, h)
        .iter()
        .copied()
        .filter(|&m| m != e)
        .collect();
    relay(roster, h, &list);
}

/// What a change of a household's size from `old` to `h.size` does to its
/// places and home:
/// - in reception, a smaller household frees places; a larger one takes
///   free places, or, where there are none, the whole household moves to
///   emergency accommodation (and an asylum household queues for reception
///   again, as an arrival would);
/// - in a mainstream home, a household that outgrows the home's size class
///   is overcrowded and needs a larger home ([`Household::needs_larger_home`]);
///   one that shrinks back into it is housed again;
/// - a household searching for a home whose size class changes searches
///   again for the size it now needs, from the back of that queue (the
///   housing market queues by size; [`super::tenancy::waiting_in`]).
pub fn resized(e: Entity, h: &mut Household, old: u8, region: &mut RegionState) {
    let (old32, new32) = (u32::from(old), u32::from(h.size));
    if size_class(h.size) != size_class(old) {
        h.housing_queue_since = NEVER;
    }
    match h.housing {
        HousingStatus::Reception if new32 < old32 => region.reception_used -= old32 - new32,
        HousingStatus::Reception if new32 > old32 => {
            if region.reception_used + (new32 - old32) <= region.reception_capacity {
                region.reception_used += new32 - old32;
            } else {
                region.reception_used -= old32;
                h.housing = HousingStatus::Emergency;
                if h.legal == LegalStatus::AsylumSeeker {
                    region.emergency_queue.push_back(e);
                }
            }
        }
        HousingStatus::Mainstream if size_class(h.size) > size_class(old) => {
            h.housing = HousingStatus::Overcrowded;
            h.outgrown = size_class(old) as u8;
        }
        HousingStatus::Overcrowded
            if h.needs_larger_home() && size_class(h.size) <= usize::from(h.outgrown) =>
        {
            h.housing = HousingStatus::Mainstream;
            h.outgrown = NO_CLASS;
        }
        _ => {}
    }
}

/// Give up a person's places: the seats of services being used (in the
/// region the person lives in) and a school place or a place on a school's
/// waiting list (other waiting-list entries lapse by themselves; a person
/// who is not an agent leaves the count of those waiting that the services
/// keep for them, [`leave_service_lists`]).
pub fn release_places(
    uses: &ServiceUse,
    school: &Schooling,
    region: u16,
    not_agent: bool,
    regions: &mut [RegionState],
    household: Option<&mut Household>,
) {
    if region != u16::MAX {
        let r = &mut regions[usize::from(region)];
        for i in services_in(uses.serving) {
            r.in_service[i] -= 1;
        }
        leave_service_lists(uses, not_agent, r);
    }
    match school.phase {
        SchoolPhase::Enrolled => {
            regions[usize::from(school.region)].pupils[school.level as usize - 1] -= 1;
            if let Some(h) = household {
                h.pupils = h.pupils.saturating_sub(1);
            }
        }
        SchoolPhase::Waiting => {
            regions[usize::from(school.region)].school_waiting[school.level as usize - 1] -= 1;
        }
        SchoolPhase::Out => {}
    }
}

/// A person leaves the services' waiting lists of their region (moving,
/// departing, dying): their entries lapse and are passed over when they
/// reach the front, but the region's count of those waiting who are not
/// agents (kept by the services, who do not visit them while they wait)
/// must lose them now.
pub fn leave_service_lists(uses: &ServiceUse, not_agent: bool, region: &mut RegionState) {
    if not_agent {
        for i in services_in(uses.waiting) {
            region.waiting_not_agents[i] -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn params() -> Params {
        let s = crate::scenario::parse_str(
            "name: x\nhorizon_weeks: 1\nregions: [{name: r, population: 1, reception_places: 1, jobs: {low: 1, mid: 1, high: 1}}]\n\
             arrivals: {weekly_rate: 1, origin_groups: [{name: g, share: 1, skills: {low: 1, mid: 0, high: 0}, \
             household_sizes: [0.2, 0.2, 0.2, 0.2, 0.2], recognition_probability: 1}]}\n",
            "x.yaml",
        )
        .expect("valid");
        Params::new(&s)
    }

    #[test]
    fn makeups_have_adults_first_and_parents_older_than_children() {
        let p = params();
        let mut rng = Pcg64Mcg::seed_from_u64(1);
        let mut out = Vec::new();
        let mut kinds = [0usize; 3];
        for size in 1..=5 {
            for _ in 0..2000 {
                draw_makeup(&mut rng, &p, 0, size, &mut out);
                assert_eq!(out.len(), size);
                let adults = out.iter().take_while(|(r, _)| *r != Role::Child).count();
                assert!(out[adults..].iter().all(|(r, _)| *r == Role::Child));
                assert!(out[..adults].iter().all(|&(_, a)| a >= 18));
                let eldest = out[adults..].iter().map(|&(_, a)| a).max();
                if let Some(eldest) = eldest {
                    assert!(eldest < 18);
                    for &(r, a) in &out[..adults] {
                        if r != Role::Relative {
                            assert!(a >= eldest + 15, "{out:?}");
                        }
                    }
                }
                if size >= 3 {
                    match out[0].0 {
                        Role::LoneParent => kinds[0] += 1,
                        Role::Head if out.iter().any(|m| m.0 == Role::Relative) => kinds[1] += 1,
                        _ => kinds[2] += 1,
                    }
                }
            }
        }
        // Shares of households of three or more: 0.15 / 0.10 / 0.75.
        let n = kinds.iter().sum::<usize>() as f64;
        for (k, share) in kinds.iter().zip([0.15, 0.10, 0.75]) {
            let sd = (share * (1.0 - share) / n).sqrt();
            assert!((*k as f64 / n - share).abs() < 5.0 * sd, "{kinds:?}");
        }
    }
}
