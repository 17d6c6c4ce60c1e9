//! Accounts (weekly process 12): what the week cost, by category, and what
//! it brought in, discounted, so that "the cost of integration against the
//! cost of non-integration" can be read off a run. Every lever and every
//! place held is priced (`docs/model.md` 3.12 says which price each lever
//! pays): places are paid for whether used or not, capacity added has a
//! set-up cost, decisions, mentoring pairs, sponsored persons and fast-track
//! cases have a price each, and a programme switched on has a fixed cost a
//! year.
//!
//! Evidence: seed 000 section III.E (cost-benefit method, a 30-year return
//! horizon, Q89); G9: the sources give no unit costs or discount rate, so
//! the prices rest on public statistics (S9, S30–S35, S40–S50) or are
//! assumptions (A36–A38, A71–A75, A84, A85) in `docs/sources.md`.

use bevy_ecs::prelude::*;

use super::components::{Service, Tier};
use super::indicators as ind;
use super::observe::Sums;
use super::resources::{Clock, Flows, Params, Record, Regions};
use crate::scenario::{Accounts, Policy};

pub fn accounts(
    clock: Res<Clock>,
    params: Res<Params>,
    regions: Res<Regions>,
    flows: Res<Flows>,
    sums: Res<Sums>,
    mut record: ResMut<Record>,
    adaptation: Res<super::adaptation::Adaptation>,
) {
    let week = clock.week as usize;
    let a = &params.scenario.accounts;
    let scale = params.scale;
    let nr = params.regions;
    let discount = (1.0 + a.discount_rate_annual).powf(-(week as f64) / 52.0);
    let earnings = &params.earnings;
    let programmes_per_week = programme_cost_per_year(a, &params.scenario.policy) / 52.0;
    let fast_track = params.scenario.policy.credential_fast_track.enabled;
    let record = &mut *record;
    let mut national = [0.0; ind::COST_CATEGORIES.len()];
    let mut national_contrib = 0.0;
    let mut national_earnings = 0.0;
    let mut national_on_benefits = 0.0;
    for r in 0..=nr {
        let (categories, contributions, gross, on_benefits) = if r < nr {
            let region = &regions.0[r];
            let row = record.series.row_mut(week, r);
            let empty_reception = region
                .reception_capacity
                .saturating_sub(region.reception_used);
            let accommodation = row[ind::RECEPTION_OCCUPANCY] * a.reception_cost_per_person_week
                + f64::from(empty_reception)
                    * a.empty_place_cost_share
                    * a.reception_cost_per_person_week
                + row[ind::EMERGENCY] * a.emergency_cost_per_person_week;
            let homelessness = row[ind::HOMELESS] * a.homeless_cost_per_person_week;
            let slot = &sums.slots[r];
            let benefits = slot.benefits * scale;
            let pensions = slot.pensions * scale;
            let mut services = 0.0;
            let mut setup = f64::from(region.reception_ordered)
                * a.setup_weeks_per_added_place
                * a.reception_cost_per_person_week;
            for s in Service::ALL {
                let i = s as usize;
                let price = params.services[i].cost_per_place_week;
                // Persons in service: everyone takes places, at every scale.
                let used = region.in_service[i];
                let empty = region.seats[i].saturating_sub(used);
                services +=
                    f64::from(used) * price + f64::from(empty) * a.empty_place_cost_share * price;
                setup += f64::from(region.seats_ordered[i]) * a.setup_weeks_per_added_place * price;
            }
            // School places are persons at every scale, like service seats.
            let mut schools = 0.0;
            for (level, per_year) in [
                a.primary_school_cost_per_pupil_year,
                a.secondary_school_cost_per_pupil_year,
            ]
            .into_iter()
            .enumerate()
            {
                let price = per_year / 52.0;
                let used = region.pupils[level];
                let empty = region.school_places[level].saturating_sub(used);
                schools +=
                    f64::from(used) * price + f64::from(empty) * a.empty_place_cost_share * price;
            }
            let asylum = row[ind::DECISIONS] * a.decision_cost_per_person
                + row[ind::APPEAL_DECISIONS] * a.appeal_cost_per_person
                + row[ind::REMOVALS] * a.removal_cost_per_person;
            let fast_track_cases = if fast_track {
                row[ind::service_indicator(Service::CredentialRecognition, ind::STARTED)]
            } else {
                0.0
            };
            let programmes = flows.mentored[r] * scale * a.mentoring_cost_per_pair
                + flows.sponsored[r] * a.sponsorship_cost_per_person
                + fast_track_cases * a.fast_track_cost_per_case
                + programmes_per_week * params.population_share[r]
                // Adaptive rules' own costs (on top of what the capacity
                // they add costs as places, above).
                + adaptation.cost[r];
            // In the order of `ind::COST_CATEGORIES`.
            let categories = [
                accommodation,
                homelessness,
                benefits,
                pensions,
                services,
                schools,
                asylum,
                programmes,
                setup,
            ];
            for (n, c) in national.iter_mut().zip(categories) {
                *n += c;
            }
            let gross: f64 = slot.earnings_by_tier.iter().sum::<f64>() * scale;
            let contributions: f64 = Tier::ALL
                .iter()
                .map(|&t| earnings.revenue(t, slot.earnings_by_tier[t.index()]) * scale)
                .sum();
            national_contrib += contributions;
            national_earnings += gross;
            national_on_benefits += slot.households_on_benefits * scale;
            (
                categories,
                contributions,
                gross,
                slot.households_on_benefits * scale,
            )
        } else {
            (
                national,
                national_contrib,
                national_earnings,
                national_on_benefits,
            )
        };
        let cost: f64 = categories.iter().sum();
        let balance = contributions - cost;
        record.discounted[r] += balance * discount;
        let cumulative = record.discounted[r];
        let row = record.series.row_mut(week, r);
        for (&i, c) in ind::COST_CATEGORIES.iter().zip(categories) {
            row[i] = c;
        }
        row[ind::COST] = cost;
        row[ind::EARNINGS] = gross;
        row[ind::CONTRIBUTIONS] = contributions;
        row[ind::HOUSEHOLDS_ON_BENEFITS] = on_benefits;
        row[ind::BALANCE] = balance;
        row[ind::CUMULATIVE_DISCOUNTED_BALANCE] = cumulative;
    }
}

/// The fixed yearly cost of the programmes a policy switches on.
pub fn programme_cost_per_year(a: &Accounts, p: &Policy) -> f64 {
    let c = &a.programme_cost_per_year;
    let on = |b: bool, cost: f64| if b { cost } else { 0.0 };
    on(p.intensive_coaching.coverage > 0.0, c.intensive_coaching)
        + on(p.mentoring.pairs_per_year > 0.0, c.mentoring)
        + on(
            p.community_sponsorship.households_per_year > 0.0,
            c.community_sponsorship,
        )
        + on(p.nudges.enabled, c.nudges)
        + on(p.credential_fast_track.enabled, c.credential_fast_track)
}
