//! Ageing (weekly process 1a; its yearly pass runs in week 0 of each year of
//! the run): everyone is a year older; the life stage follows the age
//! (adult, working age, the school level due, retirement); children who
//! come of age take what they gained here into the labour market (the
//! second generation); and the year's deaths, births and departures from
//! the parental home are drawn for each person, each in a week of the year,
//! from the streams of the processes that carry them out (deaths, births,
//! leaving home). In the other weeks only the persons who came last week
//! (arrivals, births, families joining) have the rest of their year drawn.
//!
//! Drawing each person's year once, with the week of each event, spreads
//! the events over the weeks as a weekly hazard would, without a weekly
//! draw for everyone: deaths at the life table's probability for the age
//! (S20), births at the fertility rate spread evenly over the childbearing
//! span (S18, A59), leaving home at a yearly rate (S19).
//!
//! Second generation (M61): a young adult who grew up here is of the
//! origin group's skill mix, and of at least the middle tier with
//! probability equal to the share of the school years (school start to
//! school leaving) spent in school here; with at least half of them, their
//! qualifications are from here and need no recognition; and if someone in
//! their household worked in most of the years they grew up here, their
//! job finding is multiplied by `second_generation.parents_work_effect`.

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::components::*;
use super::life::{MAX_AGE, stage};
use super::resources::{Clock, LifeEvents, NewArrivals, Params, Roster, Streams};
use super::schools::SchoolCandidates;

/// Services whose eligibility depends on the life stage: their "never
/// eligible" marks are lifted when the stage changes.
const STAGE_SERVICES: u8 = 1 << Service::Language as u8
    | 1 << Service::Coaching as u8
    | 1 << Service::CredentialRecognition as u8;

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn ageing(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut events: ResMut<LifeEvents>,
    mut schools: ResMut<SchoolCandidates>,
    new: Res<NewArrivals>,
    roster: Res<Roster>,
    mut persons: Query<(
        Entity,
        &mut Person,
        &mut Age,
        &Role,
        &mut Schooling,
        &mut Work,
        &mut ServiceUse,
    )>,
    mut households: Query<(Entity, &mut Household)>,
    mut working: Local<Vec<bool>>,
) {
    let week = clock.week;
    let of_year = (week % 52) as usize;
    let streams = &mut *streams;
    let events = &mut *events;
    let rng = &mut streams.ageing;
    let mut draws = Draws {
        deaths: &mut streams.deaths,
        births: &mut streams.births,
        leaving: &mut streams.leaving_home,
    };
    if of_year != 0 {
        // Those who came last week: the rest of their year.
        let mut newcomers = std::mem::take(&mut events.newcomers);
        for &h in &new.0 {
            if let Ok((_, h)) = households.get(h) {
                newcomers.extend_from_slice(super::family::members(&roster, h));
            }
        }
        for &e in &newcomers {
            if let Ok((_, _, age, role, ..)) = persons.get(e) {
                draws.schedule(&params, events, e, age.years, *role, of_year);
            }
        }
        newcomers.clear();
        events.newcomers = newcomers;
        return;
    }

    // Week 0 of a year: everyone present is scheduled below. Over slices of
    // each table's columns, without marking every row changed.
    events.newcomers.clear();
    // Everyone, once a year: a list of its own, not held between years.
    let mut year: Vec<(Entity, u8, Role, bool)> = Vec::new();
    let d = &params.scenario.demography;
    let school_years = d
        .school_leaving_age
        .saturating_sub(d.school_start_age)
        .max(1);
    // Households with someone in work, by entity index: looked up for
    // every child, it is read from this small table rather than from the
    // households' own (a random access each).
    working.clear();
    for (entities, hs) in households
        .contiguous_iter()
        .expect("households are stored in tables")
    {
        for (e, h) in entities.iter().zip(hs) {
            let i = e.index_u32() as usize;
            if working.len() <= i {
                working.resize(i + 1, false);
            }
            working[i] = h.employed > 0;
        }
    }
    for (entities, mut ps, mut ages, roles, mut schooling, mut works, mut uses) in persons
        .contiguous_iter_mut()
        .expect("persons are stored in tables")
    {
        let (ps, ages) = (ps.bypass_change_detection(), ages.bypass_change_detection());
        let schooling = schooling.bypass_change_detection();
        let (works, uses) = (
            works.bypass_change_detection(),
            uses.bypass_change_detection(),
        );
        for (i, &e) in entities.iter().enumerate() {
            let (p, age, role) = (&mut ps[i], &mut ages[i], roles[i]);
            let (school, work, uses) = (&mut schooling[i], &mut works[i], &mut uses[i]);
            if week > 0 {
                age.years = (age.years + 1).min(MAX_AGE);
            }
            let was = (p.adult, p.working_age);
            let st = stage(age.years, d);
            p.adult = st.adult;
            p.working_age = st.working_age;
            if school.due != st.school {
                schools.note(e);
            }
            school.due = st.school;
            if (p.adult, p.working_age) != was {
                uses.settled &= uses.done | !STAGE_SERVICES;
            }
            if was.1 && !st.working_age && work.job.is_some() {
                // Retirement ends the job.
                work.job = None;
                if let Ok((_, mut h)) = households.get_mut(p.household) {
                    h.employed = h.employed.saturating_sub(1);
                }
            }
            let grows_up = !was.0 && st.adult && role == Role::Child && school.years_here > 0;
            if !st.adult {
                school.years_here = school.years_here.saturating_add(1);
                let worked = working
                    .get(p.household.index_u32() as usize)
                    .copied()
                    .unwrap_or(false);
                school.years_parents_worked += u8::from(worked);
            }
            year.push((e, age.years, role, grows_up));
        }
    }
    // The year's draws in the order of entity index, not of the tables:
    // agents and others are in tables of their own, and each person must
    // draw the same numbers at every scale.
    year.sort_unstable_by_key(|&(e, ..)| e.index_u32());
    for &(e, age, role, grows_up) in year.iter() {
        if grows_up && let Ok((_, mut p, _, _, school, mut work, _)) = persons.get_mut(e) {
            let (p, work) = (p.bypass_change_detection(), work.bypass_change_detection());
            come_of_age(rng, &params, p, &school, work, week, school_years);
        }
        draws.schedule(&params, events, e, age, role, 0);
    }
}

/// A young adult who grew up here enters the labour market (the second
/// generation; see the top of this file).
fn come_of_age(
    rng: &mut Pcg64Mcg,
    params: &Params,
    p: &mut Person,
    school: &Schooling,
    work: &mut Work,
    week: u32,
    school_years: u32,
) {
    let g = &params.scenario.arrivals.origin_groups[usize::from(p.origin)];
    let schooled =
        (f64::from(school.weeks_in_school(week)) / f64::from(52 * school_years)).min(1.0);
    let u = rng.random::<f64>();
    let mut skill = if u < g.skills.low {
        Tier::Low
    } else if u < g.skills.low + g.skills.mid {
        Tier::Mid
    } else {
        Tier::High
    };
    if rng.random::<f64>() < schooled {
        skill = skill.max(Tier::Mid);
    }
    p.skill = skill;
    work.credential_recognised |= schooled >= 0.5;
    work.grew_up_here = true;
    work.parents_worked = 2 * u32::from(school.years_parents_worked) > u32::from(school.years_here);
}

/// The streams the year's events are drawn from.
struct Draws<'a> {
    deaths: &'a mut Pcg64Mcg,
    births: &'a mut Pcg64Mcg,
    leaving: &'a mut Pcg64Mcg,
}

impl Draws<'_> {
    /// Draw a person's events from week `from` of the year to its end: each
    /// happens with the probability of its yearly rate over that part of
    /// the year, in a week drawn uniformly over it.
    fn schedule(
        &mut self,
        params: &Params,
        events: &mut LifeEvents,
        e: Entity,
        age: u8,
        role: Role,
        from: usize,
    ) {
        let d = &params.scenario.demography;
        let life = &params.life;
        let weeks = 52 - from;
        let part = weeks as f64 / 52.0;
        // The probability over part of a year, from the yearly one: 1 − (1 −
        // yearly)^part, as 1 − exp(part × ln(1 − yearly)) with the logarithm
        // computed once ([`Life`](super::life::Life)).
        let draw =
            |rng: &mut Pcg64Mcg, (yearly, log_stay): (f64, f64), bucket: &mut Vec<Vec<Entity>>| {
                let p = if from == 0 {
                    yearly
                } else {
                    -(part * log_stay).exp_m1()
                };
                let u = rng.random::<f64>();
                if u < p {
                    // Given that it happens, u / p is uniform: the week.
                    let k = ((u / p) * weeks as f64) as usize;
                    bucket[from + k.min(weeks - 1)].push(e);
                }
            };
        draw(
            self.deaths,
            life.yearly_death[usize::from(age)],
            &mut events.deaths,
        );
        let a = u32::from(age);
        if role.may_bear_children()
            && a >= d.fertility_from_age
            && a <= d.fertility_to_age
            && life.yearly_birth.0 > 0.0
        {
            draw(self.births, life.yearly_birth, &mut events.births);
        }
        if role == Role::Child && a >= d.adult_age && life.yearly_leaving.0 > 0.0 {
            draw(self.leaving, life.yearly_leaving, &mut events.leaving);
        }
    }
}
