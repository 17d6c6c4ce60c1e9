//! Accounts (weekly process 12): costs (reception and emergency places per
//! person-week, homelessness, benefits, each service's cost per occupied
//! place-week) and contributions (taxes by job tier), discounted, so that
//! "the cost of integration against the cost of non-integration" can be read
//! off a run.
//!
//! Evidence: seed 000 section III.E (cost-benefit method, a 30-year return
//! horizon, Q89); G9: the sources give no unit costs or discount rate,
//! so the defaults are assumptions (A36–A40, S9 in `docs/sources.md`).

use bevy_ecs::prelude::*;

use super::components::Service;
use super::indicators as ind;
use super::observe::Sums;
use super::resources::{Clock, Params, Record, Regions};
use crate::scenario::TIERS;

pub fn accounts(
    clock: Res<Clock>,
    params: Res<Params>,
    regions: Res<Regions>,
    sums: Res<Sums>,
    mut record: ResMut<Record>,
) {
    let week = clock.week as usize;
    let a = &params.scenario.accounts;
    let scale = params.scale;
    let nr = params.regions;
    let discount = (1.0 + a.discount_rate_annual).powf(-(week as f64) / 52.0);
    let tax = a.tax_per_worker_week.as_array();
    let record = &mut *record;
    let (mut total_cost, mut total_contrib) = (0.0, 0.0);
    for r in 0..=nr {
        let (cost, contributions) = if r < nr {
            let row = record.series.row_mut(week, r);
            let mut cost = row[ind::RECEPTION_OCCUPANCY] * a.reception_cost_per_person_week
                + row[ind::EMERGENCY] * a.emergency_cost_per_person_week
                + row[ind::HOMELESS] * a.homeless_cost_per_person_week
                + sums.slots[r].refugees_without_job * scale * a.benefit_per_person_week;
            for s in Service::ALL {
                let i = s as usize;
                // Persons in service: everyone takes places, at every scale.
                cost +=
                    f64::from(regions.0[r].in_service[i]) * params.services[i].cost_per_place_week;
            }
            let contributions: f64 = (0..TIERS)
                .map(|t| sums.slots[r].employed_by_tier[t] * scale * tax[t])
                .sum();
            total_cost += cost;
            total_contrib += contributions;
            (cost, contributions)
        } else {
            (total_cost, total_contrib)
        };
        let balance = contributions - cost;
        record.discounted[r] += balance * discount;
        let cumulative = record.discounted[r];
        let row = record.series.row_mut(week, r);
        row[ind::COST] = cost;
        row[ind::CONTRIBUTIONS] = contributions;
        row[ind::BALANCE] = balance;
        row[ind::CUMULATIVE_DISCOUNTED_BALANCE] = cumulative;
    }
}
