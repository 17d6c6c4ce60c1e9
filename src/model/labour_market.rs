//! Labour market (weekly process 9): each week a job seeker finds work with
//! a probability that rises with language, networks, coaching, mentoring and
//! vacancies per seeker in their tier and region, and falls with hostile
//! attitudes and untreated trauma. Without credential recognition a
//! high-skilled person competes only for mid-tier jobs; with little language,
//! only for low-tier jobs (underemployment). Jobs are lost at a weekly rate,
//! and automation takes jobs in the tiers it shrinks.
//!
//! Hiring in a (region, tier) cannot exceed the vacancies open to newcomers:
//! the first pass sums the seekers' hazards, the second scales them down
//! where they exceed the vacancies.
//!
//! Evidence: intensive coaching raised regular employment from 14% to 20%
//! (Q28); mentoring, 74% positive outcomes (Q34); shrinking low- and
//! mid-skilled jobs (Q44); refugees' low participation (Q46).

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::components::*;
use super::drivers::weekly_automation;
use super::observe::Sums;
use super::resources::{Clock, Flows, Params, Regions, Streams};
use crate::scenario::{LabourMarket, TIERS};

/// Weeks since arrival within which a person may be mentored (Q35: arrived
/// within the past five years).
pub const MENTORING_WINDOW_WEEKS: u32 = 5 * 52;

/// May this person work this week?
pub fn may_work(p: &Person, res: &Residence, week: u32, early_access: Option<u32>) -> bool {
    p.working_age
        && match res.legal {
            LegalStatus::Recognised | LegalStatus::Resettled | LegalStatus::Resident => true,
            LegalStatus::AsylumSeeker => {
                early_access.is_some_and(|w| week >= u32::from(p.arrival_week) + w)
            }
            _ => false,
        }
}

/// The tier a seeker competes in.
pub fn tier_sought(p: &Person, progress: &Progress, work: &Work, lm: &LabourMarket) -> Tier {
    let mut t = p.skill;
    if t == Tier::High && !work.credential_recognised {
        t = Tier::Mid;
    }
    if f64::from(progress.language) < lm.tier_language_threshold {
        t = Tier::Low;
    }
    t
}

/// Weekly job-finding hazard before the vacancy constraint.
#[allow(clippy::too_many_arguments)]
pub fn hazard(
    p: &Params,
    progress: &Progress,
    work: &Work,
    tier: Tier,
    attitude: f64,
    week: u32,
) -> f64 {
    let s = &p.scenario;
    let lm = &s.labour_market;
    let base = lm.base_job_finding_per_week.as_array()[tier.index()];
    let lang = (f64::from(progress.language) / lm.language_needed).min(1.0);
    let lang_factor = lm.language_floor + (1.0 - lm.language_floor) * lang;
    let network = 1.0 + (lm.network_effect - 1.0) * f64::from(progress.bonds);
    let attitude_factor = 1.0 - lm.attitude_effect * (1.0 - attitude);
    let coaching = if work.coached {
        s.policy.intensive_coaching.job_finding_multiplier
    } else {
        1.0
    };
    let mentored = work.mentored_until != NEVER && week < u32::from(work.mentored_until);
    let mentoring = if mentored {
        s.policy.mentoring.job_finding_multiplier
    } else {
        1.0
    };
    let trauma = if progress.vulnerable {
        s.integration.trauma_factor
    } else {
        1.0
    };
    (base * lang_factor * network * attitude_factor * coaching * mentoring * trauma).min(1.0)
}

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn labour_market(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    regions: Res<Regions>,
    mut flows: ResMut<Flows>,
    mut sums: ResMut<Sums>,
    mut demand: Local<Vec<[f64; TIERS]>>,
    mut seekers: Local<Vec<(Tier, f64)>>,
    mut households: Query<&mut Household>,
    mut persons: Query<(&Person, &Residence, &Progress, &mut Work, &ServiceUse)>,
) {
    let rng = &mut streams.labour;
    let week = clock.week;
    let s = &params.scenario;
    let lm = &s.labour_market;
    let early = s.policy.early_work_access_weeks;
    demand.clear();
    demand.resize(params.regions, [0.0; TIERS]);
    // Each seeker's tier and hazard, in pass order: pass 2 meets the same
    // seekers in the same order and reuses them unless mentoring changed them.
    seekers.clear();

    // Pass 1: the seekers' total hazard by region and tier, and who may be mentored.
    let mut mentor_eligible = 0.0;
    // Both passes run over slices of each table's columns (contiguous
    // iteration), in the same order.
    for (persons, residences, progress, works, _) in persons
        .contiguous_iter()
        .expect("persons are stored in tables")
    {
        for (((p, res), progress), work) in persons.iter().zip(residences).zip(progress).zip(works)
        {
            if work.job.is_some() || res.region == u16::MAX || !may_work(p, res, week, early) {
                continue;
            }
            let r = res.region as usize;
            let t = tier_sought(p, progress, work, lm);
            let h = hazard(&params, progress, work, t, regions.0[r].attitude, week);
            demand[r][t.index()] += h;
            seekers.push((t, h));
            if res.legal.has_status()
                && work.mentored_until == NEVER
                && week < u32::from(p.arrival_week) + MENTORING_WINDOW_WEEKS
            {
                mentor_eligible += 1.0;
            }
        }
    }

    // Vacancies open to newcomers this week (agents), and the resulting
    // scaling of hazards where seekers outnumber them.
    let mut hiring = 1.0;
    let mut shock_loss = [0.0; TIERS];
    for shock in &lm.shocks {
        if week >= shock.start_week && week < shock.start_week.saturating_add(shock.length_weeks) {
            hiring *= shock.hiring_multiplier;
        }
        if week == shock.start_week {
            let l = shock.job_loss_share.as_array();
            for t in 0..TIERS {
                shock_loss[t] = 1.0 - (1.0 - shock_loss[t]) * (1.0 - l[t]);
            }
        }
    }
    let vacancy_rate = lm.vacancy_rate_per_week.as_array();
    for (r, d) in demand.iter_mut().enumerate() {
        for t in 0..TIERS {
            let vacancies =
                regions.0[r].jobs[t] * vacancy_rate[t] * lm.newcomer_vacancy_share * hiring
                    / params.scale;
            d[t] = if d[t] > vacancies {
                vacancies / d[t]
            } else {
                1.0
            };
        }
    }

    // Mentoring pairs available this week.
    let m = &s.policy.mentoring;
    // Unused pairs carry over for at most a year.
    let yearly = m.pairs_per_year / params.scale;
    flows.mentoring_credit = (flows.mentoring_credit + yearly / 52.0).min(yearly);
    let mentor_p = if mentor_eligible > 0.0 {
        (flows.mentoring_credit / mentor_eligible).min(1.0)
    } else {
        0.0
    };
    let mentor_until = (week + m.duration_weeks).min(u32::from(u16::MAX - 1)) as u16;
    let mut mentored = 0.0;

    // Pass 2: job loss, job finding, mentoring; then the week's count of
    // each person present (this is the last process to change a person).
    let job_loss = lm.job_loss_per_week.as_array();
    let automation = lm.automation_annual_rate.as_array().map(weekly_automation);
    let loss: [f64; TIERS] = std::array::from_fn(|i| {
        1.0 - (1.0 - job_loss[i]) * (1.0 - automation[i]) * (1.0 - shock_loss[i])
    });
    let mut next_seeker = seekers.iter();
    sums.begin();
    let census_week = week as usize;
    for (persons, residences, progress, mut works, uses) in persons
        .contiguous_iter_mut()
        .expect("persons are stored in tables")
    {
        let works = works.bypass_change_detection();
        for ((((p, res), progress), work), uses) in persons
            .iter()
            .zip(residences)
            .zip(progress)
            .zip(works.iter_mut())
            .zip(uses)
        {
            if res.region == u16::MAX || res.legal == LegalStatus::Departed {
                continue;
            }
            if p.working_age {
                if let Some(t) = work.job {
                    // Losing the right to work (a rejected claim) ends the job too.
                    let lost_right = !may_work(p, res, week, early);
                    if lost_right || rng.random::<f64>() < loss[t.index()] {
                        work.job = None;
                        if let Ok(mut h) = households.get_mut(p.household) {
                            h.employed = h.employed.saturating_sub(1);
                        }
                    }
                } else if may_work(p, res, week, early) {
                    let r = res.region as usize;
                    let &(t, mut h) = next_seeker.next().expect("pass 1 met every seeker");
                    if mentor_p > 0.0
                        && res.legal.has_status()
                        && work.mentored_until == NEVER
                        && week < u32::from(p.arrival_week) + MENTORING_WINDOW_WEEKS
                        && rng.random::<f64>() < mentor_p
                    {
                        work.mentored_until = mentor_until;
                        mentored += 1.0;
                        h = hazard(&params, progress, work, t, regions.0[r].attitude, week);
                    }
                    if rng.random::<f64>() < h * demand[r][t.index()] {
                        work.job = Some(t);
                        if let Ok(mut hh) = households.get_mut(p.household) {
                            hh.employed = hh.employed.saturating_add(1);
                        }
                    }
                }
            }
            sums.count(census_week, p, res, progress, work, uses);
        }
    }
    debug_assert!(next_seeker.next().is_none(), "pass 2 met every seeker");
    flows.mentoring_credit = (flows.mentoring_credit - mentored).max(0.0);
}
