//! Labour market (weekly process 10): each week a job seeker finds work with
//! a probability that rises with language, networks, coaching, mentoring and
//! vacancies per seeker in their tier and region, and falls with hostile
//! attitudes and untreated trauma. Without credential recognition a
//! high-skilled person competes only for mid-tier jobs; with little language,
//! only for low-tier jobs (underemployment). Jobs are lost at a weekly rate,
//! and automation takes jobs in the tiers it shrinks.
//!
//! Hiring in a (region, tier) cannot exceed the vacancies open to newcomers:
//! where the seekers' hazards add up to more than the vacancies, they are
//! scaled down.
//!
//! Finding work is drawn by thinning: every seeker's hazard is below a
//! bound that holds for everyone this week ([`hazard_bounds`], about 0.05
//! in the baseline), so each seeker is a candidate with the bound's chance
//! (one geometric draw says how many seekers to pass over before the next
//! candidate) and a candidate is hired with chance hazard ÷ bound: hired
//! with chance hazard, as if drawn one by one, while the hazard is computed
//! for about one seeker in twenty. The vacancies need the hazards' sum
//! only where the seekers could exceed them (count × bound above the
//! vacancies, by a tighter bound of the tier's hazards); elsewhere the
//! scaling is 1 without summing.
//!
//! Evidence: intensive coaching raised regular employment from 14% to 20%
//! (Q28); mentoring, 74% positive outcomes (Q34); shrinking low- and
//! mid-skilled jobs (Q44); refugees' low participation (Q46).

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::components::*;
use super::drivers::weekly_automation;
use super::geometric::failures_before_success;
use super::observe::Sums;
use super::resources::{Clock, Flows, Params, Regions, Streams};
use super::selection::select;
use crate::scenario::{LabourMarket, TIERS};

/// Weeks since arrival within which a person may be mentored (Q35: arrived
/// within the past five years).
pub const MENTORING_WINDOW_WEEKS: u32 = 5 * 52;

/// Who may work this week, asked without a branch (statuses vary at random
/// from one person to the next, and mispredicted branches dominated this
/// pass): a status gives the right to work ([`LegalStatus::has_status`], a
/// bit test), and so may early access for asylum seekers.
pub struct WorkRights {
    /// Asylum seekers who arrived in this week or earlier may work (early
    /// access to work); −1 if none may.
    latest_asylum_arrival: i64,
}

impl WorkRights {
    pub fn new(week: u32, early_access: Option<u32>) -> WorkRights {
        WorkRights {
            latest_asylum_arrival: early_access.map_or(-1, |w| i64::from(week) - i64::from(w)),
        }
    }

    /// May this person work this week?
    #[inline]
    pub fn may_work(&self, p: &Person, res: &Residence) -> bool {
        let asylum = res.legal.awaiting_decision()
            & (i64::from(p.arrival_week) <= self.latest_asylum_arrival);
        p.working_age & (res.legal.has_status() | asylum)
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
    res: &Residence,
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
    // Grew up here in a household with work (M61; ageing).
    let family = if work.parents_worked {
        s.second_generation.parents_work_effect
    } else {
        1.0
    };
    // Homelessness holds back job search (M16).
    let housing = super::tenancy::activity_factor(res.housing, &s.housing);
    // Contacts outside one's own group lead to jobs (the bridges loop).
    let bridges = if s.feedback.bridges_to_jobs {
        1.0 + (s.feedback.bridges_job_effect - 1.0) * f64::from(progress.bridges)
    } else {
        1.0
    };
    (base
        * lang_factor
        * network
        * attitude_factor
        * coaching
        * mentoring
        * trauma
        * housing
        * bridges
        * family)
        .min(1.0)
}

/// Bounds of every seeker's weekly hazard this week, by tier sought,
/// drivers included: [`hazard`]'s factors each at their largest (language,
/// bonds and bridges at 1, attitudes at their best). With `every_lever`,
/// every lever counts as on (the thinning draws with the largest of these);
/// otherwise only the levers this run can use (coaching if any coverage is
/// possible, mentoring if it has pairs): tighter, for the vacancy check.
pub fn hazard_bounds(
    p: &Params,
    job_finding_driver: &[f64; TIERS],
    every_lever: bool,
) -> [f64; TIERS] {
    let base = p
        .scenario
        .labour_market
        .base_job_finding_per_week
        .as_array();
    std::array::from_fn(|t| bound_at(p, base[t] * job_finding_driver[t], every_lever))
}

/// `base` times each factor of [`hazard`] at its largest, at most 1.
fn bound_at(p: &Params, base: f64, every_lever: bool) -> f64 {
    let s = &p.scenario;
    let lm = &s.labour_market;
    let pol = &s.policy;
    let most = |x: f64| x.max(1.0);
    let lever = |in_use: bool, multiplier: f64| {
        if every_lever || in_use {
            most(multiplier)
        } else {
            1.0
        }
    };
    let bridges = if s.feedback.bridges_to_jobs {
        most(s.feedback.bridges_job_effect)
    } else {
        1.0
    };
    (base
        * most(lm.language_floor)
        * most(lm.network_effect)
        * most(1.0 - lm.attitude_effect)
        * lever(
            p.coverage_ceiling > 0.0,
            pol.intensive_coaching.job_finding_multiplier,
        )
        * lever(
            pol.mentoring.pairs_per_year > 0.0,
            pol.mentoring.job_finding_multiplier,
        )
        * most(s.integration.trauma_factor)
        * most(s.housing.homeless_activity_factor)
        * bridges
        * most(s.second_generation.parents_work_effect))
    .min(1.0)
}

/// What the labour market reads and writes of a person (the age and role
/// for the weekly count, [`Sums::count`]).
type InLabourMarketData = (
    &'static Person,
    &'static Residence,
    &'static Progress,
    &'static mut Work,
    &'static ServiceUse,
    (&'static Age, &'static Role, &'static mut Career),
);

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn labour_market(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    regions: Res<Regions>,
    volunteers: Res<super::volunteers::Volunteers>,
    mut flows: ResMut<Flows>,
    mut sums: ResMut<Sums>,
    mut demand: Local<Vec<[f64; TIERS]>>,
    mut counts: Local<Vec<[f64; TIERS]>>,
    mut vacancies: Local<Vec<[f64; TIERS]>>,
    mut in_market: Local<InLabourMarket>,
    mut households: Query<&mut Household>,
    // Only agents work and are counted (super::sampling).
    mut persons: Query<InLabourMarketData, Without<NotAgent>>,
    disruptions: Res<super::wildcards::Disruptions>,
) {
    let rng = &mut streams.labour;
    let drivers = &disruptions.drivers;
    let week = clock.week;
    let s = &params.scenario;
    let lm = &s.labour_market;
    let rights = WorkRights::new(week, s.policy.early_work_access_weeks);
    demand.clear();
    demand.resize(params.regions, [0.0; TIERS]);
    counts.clear();
    counts.resize(params.regions, [0.0; TIERS]);
    let in_market = &mut *in_market;
    in_market.clear();
    let seeker_hazard = |p: &Person, res: &Residence, progress: &Progress, work: &Work| {
        let t = tier_sought(p, progress, work, lm);
        let attitude = regions.0[res.region as usize].attitude;
        let h = hazard(&params, res, progress, work, t, attitude, week);
        (t, (h * drivers.job_finding[t.index()]).min(1.0))
    };

    // Pass 1: who is in the labour market (employed, or seeking work), then
    // the seekers by region and tier, and who may be mentored. Both passes
    // run over slices of each table's columns (contiguous iteration), in
    // the same order.
    let mut mentor_eligible = 0.0;
    for (persons, residences, progress, works, _, _) in persons
        .contiguous_iter()
        .expect("persons are stored in tables")
    {
        let table = in_market.select(persons, residences, works, &rights);
        for &i in table {
            let (p, res, progress, work) = (
                &persons[i as usize],
                &residences[i as usize],
                &progress[i as usize],
                &works[i as usize],
            );
            if work.job.is_some() {
                continue;
            }
            let t = tier_sought(p, progress, work, lm);
            counts[res.region as usize][t.index()] += 1.0;
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
    // Wildcard labour shocks, like the scheduled ones.
    hiring *= disruptions.hiring;
    for (loss, l) in shock_loss.iter_mut().zip(disruptions.job_loss) {
        *loss = 1.0 - (1.0 - *loss) * (1.0 - l);
    }
    // Where the seekers, each at the bound, could exceed the vacancies, the
    // hazards are summed (a pass over those seekers alone, before
    // mentoring) and scaled down if they do; elsewhere the scaling is 1.
    let bound = hazard_bounds(&params, &drivers.job_finding, true)
        .into_iter()
        .fold(0.0, f64::max);
    let by_tier = hazard_bounds(&params, &drivers.job_finding, false);
    let vacancy_rate = lm.vacancy_rate_per_week.as_array();
    vacancies.clear();
    vacancies.extend((0..params.regions).map(|r| {
        std::array::from_fn(|t| {
            // The named drivers move hiring whether or not vacancies bind.
            regions.0[r].jobs[t]
                * vacancy_rate[t]
                * lm.newcomer_vacancy_share
                * hiring
                * drivers.job_finding[t]
                / params.scale
        })
    }));
    let may_bind = |r: usize, t: usize| counts[r][t] * by_tier[t] > vacancies[r][t];
    if (0..params.regions).any(|r| (0..TIERS).any(|t| may_bind(r, t))) {
        for (k, (persons, residences, progress, works, _, _)) in persons
            .contiguous_iter()
            .expect("persons are stored in tables")
            .enumerate()
        {
            for &i in in_market.table(k) {
                let i = i as usize;
                let (p, res, progress, work) =
                    (&persons[i], &residences[i], &progress[i], &works[i]);
                if work.job.is_some() {
                    continue;
                }
                let r = res.region as usize;
                let t = tier_sought(p, progress, work, lm).index();
                if may_bind(r, t) {
                    demand[r][t] += seeker_hazard(p, res, progress, work).1;
                }
            }
        }
    }
    for (r, d) in demand.iter_mut().enumerate() {
        for (t, d) in d.iter_mut().enumerate() {
            let v = vacancies[r][t];
            *d = if *d > v { v / *d } else { 1.0 };
        }
    }

    // Mentoring pairs available this week.
    let m = &s.policy.mentoring;
    // Unused pairs carry over for at most a year.
    // The volunteer stock is 1 unless `feedback.volunteers` moves it.
    let yearly = m.pairs_per_year * volunteers.stock / params.scale;
    flows.mentoring_credit = (flows.mentoring_credit + yearly / 52.0).min(yearly);
    let mentor_p = if mentor_eligible > 0.0 {
        (flows.mentoring_credit / mentor_eligible).min(1.0)
    } else {
        0.0
    };
    let mentor_until = (week + m.duration_weeks).min(u32::from(u16::MAX - 1)) as u16;
    let mut mentored = 0.0;

    // Pass 2: job loss, job finding, mentoring, for those in the labour
    // market in pass 1's order; then the week's count of each person
    // present (this is the last process to change a person).
    let job_loss = lm.job_loss_per_week.as_array();
    let automation = lm.automation_annual_rate.as_array().map(weekly_automation);
    let loss: [f64; TIERS] = std::array::from_fn(|i| {
        let driven = (job_loss[i] * drivers.job_loss[i]).min(1.0);
        1.0 - (1.0 - driven) * (1.0 - automation[i]) * (1.0 - shock_loss[i])
    });
    let earnings = &params.earnings;
    // Seekers to pass over before the next candidate.
    let mut pass_over = failures_before_success(rng, bound);
    let sums = &mut *sums;
    sums.begin();
    let census_week = week as usize;
    for (k, (persons, residences, progress, mut works, uses, (ages, roles, mut careers))) in persons
        .contiguous_iter_mut()
        .expect("persons are stored in tables")
        .enumerate()
    {
        let works = works.bypass_change_detection();
        let careers = careers.bypass_change_detection();
        for &i in in_market.table(k) {
            let i = i as usize;
            let (p, res, progress, work) =
                (&persons[i], &residences[i], &progress[i], &mut works[i]);
            let career = &mut careers[i];
            if let Some(t) = work.job {
                // Losing the right to work (a rejected claim) ends the job too.
                let lost_right = !rights.may_work(p, res);
                if lost_right || rng.random::<f64>() < loss[t.index()] {
                    work.job = None;
                    career.seeking_since = week as u16;
                    if let Ok(mut h) = households.get_mut(p.household) {
                        h.employed = h.employed.saturating_sub(1);
                    }
                } else {
                    accrue(earnings, t, career);
                }
            } else {
                let r = res.region as usize;
                if mentor_p > 0.0
                    && res.legal.has_status()
                    && work.mentored_until == NEVER
                    && week < u32::from(p.arrival_week) + MENTORING_WINDOW_WEEKS
                    && rng.random::<f64>() < mentor_p
                {
                    work.mentored_until = mentor_until;
                    mentored += 1.0;
                    flows.mentored[r] += 1.0;
                }
                if pass_over > 0 {
                    pass_over -= 1;
                    continue;
                }
                // A candidate: hired with chance hazard × scaling ÷ bound.
                pass_over = failures_before_success(rng, bound);
                let (t, h) = seeker_hazard(p, res, progress, work);
                // (The two products round apart by an ulp at most.)
                debug_assert!(
                    h <= bound * (1.0 + 1e-12),
                    "a hazard {h} above its bound {bound}"
                );
                if rng.random::<f64>() * bound < h * demand[r][t.index()] {
                    work.job = Some(t);
                    // A spell since a job here ends; its length leaves its
                    // scar (M31). A first job follows no such spell: the
                    // earnings of a first job are newcomers' own (S43).
                    if career.seeking_since != NEVER {
                        let spell = week - u32::from(career.seeking_since);
                        career.earnings_kept = earnings.scarred(career.earnings_kept, spell);
                        career.seeking_since = NEVER;
                    }
                    accrue(earnings, t, career);
                    if let Ok(mut hh) = households.get_mut(p.household) {
                        hh.employed = hh.employed.saturating_add(1);
                    }
                }
            }
        }
        for ((((p, res), progress), (work, uses)), life) in persons
            .iter()
            .zip(residences)
            .zip(progress)
            .zip(works.iter().zip(uses))
            .zip(ages.iter().zip(roles).zip(careers.iter()))
        {
            if res.region == u16::MAX || res.legal == LegalStatus::Departed {
                continue;
            }
            let ((age, role), career) = life;
            sums.count(
                census_week,
                earnings,
                p,
                (age, role, career),
                res,
                progress,
                work,
                uses,
            );
        }
    }
    sums.finish();
    flows.mentoring_credit = (flows.mentoring_credit - mentored).max(0.0);
}

/// A week in work: the week's gross earnings, their pension points, and a
/// week more of experience.
#[inline]
fn accrue(earnings: &super::earnings::EarningsRules, tier: Tier, career: &mut Career) {
    let gross = earnings.gross(tier, career);
    career.gross = gross as f32;
    career.points += earnings.points(gross);
    career.weeks_worked = career.weeks_worked.saturating_add(1);
}

/// The persons in the labour market this week (employed, or seeking work),
/// as indices into their table, table by table in query order, chosen
/// without branching ([`select`]).
#[derive(Default)]
pub struct InLabourMarket {
    indices: Vec<u32>,
    /// Where each table's indices end.
    ends: Vec<usize>,
}

impl InLabourMarket {
    fn clear(&mut self) {
        self.ends.clear();
    }

    /// Select the next table's persons in the labour market; returns them.
    fn select(
        &mut self,
        persons: &[Person],
        residences: &[Residence],
        works: &[Work],
        rights: &WorkRights,
    ) -> &[u32] {
        let start = self.ends.last().copied().unwrap_or(0);
        let end = select(
            &mut self.indices,
            start,
            persons
                .iter()
                .zip(residences)
                .zip(works)
                .map(|((p, res), work)| {
                    let present = (res.region != u16::MAX) & (res.legal != LegalStatus::Departed);
                    // A job needs the right to work, except to be lost (pass 2).
                    present & p.working_age & (work.job.is_some() | rights.may_work(p, res))
                }),
        );
        self.ends.push(end);
        &self.indices[start..end]
    }

    /// The selected persons of the `k`-th table.
    fn table(&self, k: usize) -> &[u32] {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.indices[start..self.ends[k]]
    }
}
