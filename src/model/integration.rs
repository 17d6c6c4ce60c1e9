//! Integration progress (weekly process 8): language grows in a course and
//! faster at work; bonds move towards a level set by the number of people
//! of the same origin nearby; bridges grow through work, sponsorship and
//! mentoring; links grow through contact with services; trauma and missing
//! literacy slow everything. Each quantity is on 0–1 and grows by
//! `gain × (1 − level)`, so it saturates.
//!
//! Evidence: employment as a place to practise language, and networks with
//! people like them (seed 003, the Indicators of Integration's bonds, bridges
//! and links); limited literacy and trauma (seed 000; Q20).

use bevy_ecs::prelude::*;

use super::components::*;
use super::resources::{Clock, Params, Tally};

pub fn integration(
    clock: Res<Clock>,
    params: Res<Params>,
    tally: Res<Tally>,
    mut persons: Query<(&Person, &Residence, &ServiceUse, &Work, &mut Progress)>,
    mut bonds_target: Local<Vec<f32>>,
) {
    let c = &params.scenario.integration;
    let week = clock.week;
    let course = c.language_gain_in_course as f32;
    let at_work = c.language_gain_at_work as f32;
    let everyday = c.language_gain_everyday as f32;
    let illiterate = c.illiteracy_factor as f32;
    let trauma = c.trauma_factor as f32;
    let bonds_rate = c.bonds_rate as f32;
    let saturation = c.bonds_saturation;
    let bridges_work = c.bridges_gain_at_work as f32;
    let bridges_sponsor = c.bridges_gain_sponsored as f32;
    let bridges_mentor = c.bridges_gain_mentored as f32;
    let links = c.links_gain_in_service as f32;
    // The level bonds move towards, by region and origin group.
    bonds_target.clear();
    bonds_target.extend(
        tally
            .by_origin
            .iter()
            .map(|&same_origin| (same_origin / saturation).min(1.0) as f32),
    );
    let groups = params.groups;
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
            let slow = (if p.literate { 1.0 } else { illiterate })
                * (if pr.vulnerable { trauma } else { 1.0 });
            let employed = work.job.is_some();
            let in_course = uses.in_service(Service::Language);
            let gain = everyday
                + if in_course { course } else { 0.0 }
                + if employed { at_work } else { 0.0 };
            pr.language += (gain * slow).min(1.0) * (1.0 - pr.language);

            let target = bonds_target[res.region as usize * groups + p.origin as usize];
            pr.bonds += bonds_rate * (target - pr.bonds);

            let mentored = work.mentored_until != NEVER && week < u32::from(work.mentored_until);
            let bridge_gain = if employed { bridges_work } else { 0.0 }
                + if res.sponsored { bridges_sponsor } else { 0.0 }
                + if mentored { bridges_mentor } else { 0.0 };
            let trauma_only = if pr.vulnerable { trauma } else { 1.0 };
            pr.bridges += (bridge_gain * trauma_only).min(1.0) * (1.0 - pr.bridges);

            if uses.in_any_service() {
                pr.links += links * (1.0 - pr.links);
            }
        }
    }
}
