//! Drivers move (weekly process 1): labour-market change (automation and
//! shocks), attitudes, and adaptive capacities that watch an indicator and
//! act after a lead time. Housing supply change is applied where units come
//! free (moving on).
//!
//! Evidence: automation shrinks low- and mid-skilled jobs (Q44; S7,
//! Nedelkoska and Quintini 2018); attitudes fall with overloaded services and
//! rise with contact (seed 000 section II, seed 003 on community sponsorship);
//! anti-immigrant sentiment "has constrained political and financial
//! investments" (seed 000, M47): with `feedback.budgets` on, the places an
//! adaptive rule may add follow attitude.

use bevy_ecs::prelude::*;

use super::components::SERVICES;
use super::resources::{CapacityOrder, Clock, Flows, Params, RegionState, Regions, Tally};
use super::wildcards::Disruptions;
use crate::scenario::{AdaptiveCapacity, CapacityTarget, Feedback};

/// Weekly share of jobs removed by an annual automation rate.
pub fn weekly_automation(annual: f64) -> f64 {
    1.0 - (1.0 - annual).powf(1.0 / 52.0)
}

pub fn drivers(
    clock: Res<Clock>,
    params: Res<Params>,
    mut regions: ResMut<Regions>,
    mut flows: ResMut<Flows>,
    tally: Res<Tally>,
    disruptions: Res<Disruptions>,
) {
    let week = clock.week;
    let s = &params.scenario;
    let lm = &s.labour_market;
    let automation = lm.automation_annual_rate.as_array().map(weekly_automation);

    for (r, region) in regions.0.iter_mut().enumerate() {
        // Labour-market change: automation every week, shocks at their start.
        for (jobs, rate) in region.jobs.iter_mut().zip(automation) {
            *jobs *= 1.0 - rate;
        }
        for shock in &lm.shocks {
            if shock.start_week == week {
                let loss = shock.job_loss_share.as_array();
                for (jobs, share) in region.jobs.iter_mut().zip(loss) {
                    *jobs *= 1.0 - share;
                }
            }
        }
        if disruptions.job_loss != [0.0; crate::scenario::TIERS] {
            for (jobs, share) in region.jobs.iter_mut().zip(disruptions.job_loss) {
                *jobs *= 1.0 - share;
            }
        }

        // Attitudes, from last week's pressure and contact (a loop that can
        // be switched off: attitudes then stay at their start, but for a
        // wildcard's shock).
        if s.feedback.attitude {
            let a = &s.attitudes;
            let spec = &s.regions[r];
            let population = spec.population as f64;
            let capacity_persons = f64::from(region.reception_capacity).max(1.0);
            let overload = (tally.emergency[r] + tally.homeless[r]) / capacity_persons;
            let arrivals_per_1000 = flows.arrivals[r] / population * 1000.0;
            let sponsored_per_100k = tally.sponsored[r] / population * 100_000.0;
            let bridges_per_100k = tally.bridges[r] / population * 100_000.0;
            let change = -a.overload_sensitivity * overload
                - a.arrivals_sensitivity * arrivals_per_1000
                + a.contact_gain * sponsored_per_100k
                + a.bridges_contact_gain * bridges_per_100k
                + a.reversion_rate * (region.attitude_start - region.attitude)
                + disruptions.attitude[r];
            region.attitude = (region.attitude + change).clamp(0.0, 1.0);
        } else if disruptions.attitude[r] != 0.0 {
            region.attitude = (region.attitude + disruptions.attitude[r]).clamp(0.0, 1.0);
        }

        // Adaptive capacity: open orders that are due, then place new ones.
        region.reception_ordered = 0;
        region.seats_ordered = [0; SERVICES];
        let mut i = 0;
        while i < region.orders.len() {
            let order = region.orders[i];
            if order.opens_week <= week {
                open_places(region, &s.policy.adaptive_capacity[order.rule]);
                region.orders.swap_remove(i);
            } else {
                i += 1;
            }
        }
        for (k, rule) in s.policy.adaptive_capacity.iter().enumerate() {
            let watched = match service_of(rule.target) {
                None => tally.emergency[r],
                Some(sv) => tally.waiting[r][sv],
            };
            let pending = region.orders.iter().any(|o| o.rule == k);
            let room = u64::from(region.added[k]) + u64::from(rule.step)
                <= budget_cap(rule.max_added, &s.feedback, region.attitude);
            if watched > rule.trigger && !pending && room {
                region.added[k] += rule.step;
                match service_of(rule.target) {
                    None => region.reception_ordered += rule.step,
                    Some(sv) => region.seats_ordered[sv] += rule.step,
                }
                if rule.lead_time_weeks == 0 {
                    open_places(region, rule);
                } else {
                    region.orders.push(CapacityOrder {
                        rule: k,
                        opens_week: week + rule.lead_time_weeks,
                    });
                }
            }
        }
    }
    // Last week's flows have been read: start this week's.
    flows.reset();
}

/// The most places a rule may add in a region: `max_added`, or with the
/// budgets loop on, `⌊max_added × min(1, attitude ÷ reference_attitude)⌋`
/// (a budget that follows attitude, M47).
pub fn budget_cap(max_added: u32, feedback: &Feedback, attitude: f64) -> u64 {
    if feedback.budgets {
        (f64::from(max_added) * feedback.attitude_allows(attitude)).floor() as u64
    } else {
        u64::from(max_added)
    }
}

/// Open a rule's step of places (persons: every household and person takes
/// places at every scale, [`super::sampling`]).
fn open_places(region: &mut RegionState, rule: &AdaptiveCapacity) {
    match service_of(rule.target) {
        None => region.reception_capacity += rule.step,
        Some(sv) => region.seats[sv] += rule.step,
    }
}

fn service_of(target: CapacityTarget) -> Option<usize> {
    let i = match target {
        CapacityTarget::Reception => return None,
        CapacityTarget::Language => 0,
        CapacityTarget::Coaching => 1,
        CapacityTarget::CredentialRecognition => 2,
        CapacityTarget::Interpretation => 3,
        CapacityTarget::HealthRegistration => 4,
        CapacityTarget::MentalHealth => 5,
    };
    debug_assert!(i < SERVICES);
    Some(i)
}
