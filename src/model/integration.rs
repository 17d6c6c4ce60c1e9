//! Integration progress (weekly process 9): language grows in a course and
//! faster at work; bonds move towards a level set by the number of people
//! of the same origin nearby; bridges grow through work, sponsorship and
//! mentoring; links grow through contact with services; children's
//! language and bridges grow at school, and their parents' bridges through
//! it (M63); trauma and missing literacy slow everything. Each quantity is on 0–1 and grows by
//! `gain × (1 − level)`, so it saturates.
//!
//! Evidence: employment as a place to practise language, and networks with
//! people like them (seed 003, the Indicators of Integration's bonds, bridges
//! and links); limited literacy and trauma (seed 000; Q20).

use bevy_ecs::prelude::*;

use super::components::*;
use super::resources::{Clock, Params, Regions, Tally};
use crate::scenario::{Integration, Schools};

pub fn integration(
    clock: Res<Clock>,
    params: Res<Params>,
    tally: Res<Tally>,
    regions: Res<Regions>,
    // Agents only: the others' language is grown where it is read
    // (super::not_agents).
    mut persons: Query<(&Person, &Residence, &ServiceUse, &Work, &mut Progress), Without<NotAgent>>,
    mut bonds_target: Local<Vec<f32>>,
    mut bridges_allowed: Local<Vec<f32>>,
) {
    let c = &params.scenario.integration;
    let week = clock.week;
    let rates = Rates::new(c, &params.scenario.schools);
    let links = c.links_gain_in_service as f32;
    let saturation = c.bonds_saturation;
    let bonds_rate = c.bonds_rate as f32;
    // The level bonds move towards, by region and origin group.
    bonds_target.clear();
    bonds_target.extend(
        tally
            .by_origin
            .iter()
            .map(|&same_origin| (same_origin / saturation).min(1.0) as f32),
    );
    let groups = params.groups;
    // With the bridges loop on, a hostile region slows the growth of
    // bridges (`feedback.bridges_to_jobs`).
    let feedback = &params.scenario.feedback;
    bridges_allowed.clear();
    bridges_allowed.extend(regions.0.iter().map(|region| {
        if feedback.bridges_to_jobs {
            feedback.attitude_allows(region.attitude) as f32
        } else {
            1.0
        }
    }));
    // Slices of each table's columns: the loop then runs over plain arrays.
    for (persons, residences, uses, works, mut progress) in persons
        .contiguous_iter_mut()
        .expect("persons are stored in tables")
    {
        let progress = progress.bypass_change_detection();
        for ((((p, res), uses), work), pr) in persons
            .iter()
            .zip(residences)
            .zip(uses)
            .zip(works)
            .zip(progress.iter_mut())
        {
            if res.legal == LegalStatus::Departed || res.region == u16::MAX {
                continue;
            }
            let mentored = (work.mentored_until != NEVER) & (week < u32::from(work.mentored_until));
            let situation = Rates::situation(
                p.literate,
                pr.vulnerable,
                uses.in_service(Service::Language),
                work.job.is_some(),
                res.sponsored,
                mentored,
                pr.at_school,
                res.family_at_school & p.adult,
            );
            let (language_rate, bridges_rate) = rates.0[situation];
            pr.language += language_rate * (1.0 - pr.language);

            let target = bonds_target[res.region as usize * groups + p.origin as usize];
            pr.bonds += bonds_rate * (target - pr.bonds);

            pr.bridges += bridges_rate * bridges_allowed[res.region as usize] * (1.0 - pr.bridges);

            if uses.in_any_service() {
                pr.links += links * (1.0 - pr.links);
            }
        }
    }
}

/// The weekly language and bridges growth rates for each of the 256
/// situations a person can be in (literate, vulnerable, in a course,
/// employed, sponsored, mentored, at school, an adult of a household with
/// a child at school). Looking the rates up rather than
/// branching on these traits, which vary at random from one person to the
/// next, spares the processor its mispredicted branches; the rates are
/// computed with the same operations as per person, so results are
/// unchanged to the bit.
struct Rates([(f32, f32); 256]);

impl Rates {
    #[allow(clippy::too_many_arguments)]
    fn situation(
        literate: bool,
        vulnerable: bool,
        in_course: bool,
        employed: bool,
        sponsored: bool,
        mentored: bool,
        at_school: bool,
        school_parent: bool,
    ) -> usize {
        usize::from(literate)
            | usize::from(vulnerable) << 1
            | usize::from(in_course) << 2
            | usize::from(employed) << 3
            | usize::from(sponsored) << 4
            | usize::from(mentored) << 5
            | usize::from(at_school) << 6
            | usize::from(school_parent) << 7
    }

    fn new(c: &Integration, sc: &Schools) -> Rates {
        let course = c.language_gain_in_course as f32;
        let at_work = c.language_gain_at_work as f32;
        let everyday = c.language_gain_everyday as f32;
        let illiterate = c.illiteracy_factor as f32;
        let trauma = c.trauma_factor as f32;
        let bridges_work = c.bridges_gain_at_work as f32;
        let bridges_sponsor = c.bridges_gain_sponsored as f32;
        let bridges_mentor = c.bridges_gain_mentored as f32;
        let school_language = sc.language_gain_in_school as f32;
        let school_bridges = sc.bridges_gain_in_school as f32;
        let parent_bridges = sc.bridges_gain_school_parent as f32;
        Rates(std::array::from_fn(|i| {
            let bit = |k: u32| i & (1 << k) != 0;
            let (literate, vulnerable, in_course) = (bit(0), bit(1), bit(2));
            let (employed, sponsored, mentored) = (bit(3), bit(4), bit(5));
            let (at_school, school_parent) = (bit(6), bit(7));
            // Language: everyday contact, a course and work add up; missing
            // literacy and trauma slow them.
            let slow =
                (if literate { 1.0 } else { illiterate }) * (if vulnerable { trauma } else { 1.0 });
            let gain = everyday
                + if in_course { course } else { 0.0 }
                + if employed { at_work } else { 0.0 }
                + if at_school { school_language } else { 0.0 };
            // Bridges: work, sponsorship and mentoring; trauma slows them.
            let bridge_gain = if employed { bridges_work } else { 0.0 }
                + if sponsored { bridges_sponsor } else { 0.0 }
                + if mentored { bridges_mentor } else { 0.0 }
                + if at_school { school_bridges } else { 0.0 }
                + if school_parent { parent_bridges } else { 0.0 };
            let trauma_only = if vulnerable { trauma } else { 1.0 };
            ((gain * slow).min(1.0), (bridge_gain * trauma_only).min(1.0))
        }))
    }
}
