//! Secondary movement (weekly process 6): recognised refugees, resettled
//! persons and residents without work may move to regions with jobs and
//! people like them, unless a residence rule holds them. Movers stay with
//! family or friends at first (overcrowded) and give up any place in a
//! housing or service queue.
//!
//! At scale k, households whose members are not agents do not know whether
//! a member works; they move at the rate times the share of households
//! without work among the agents' households in their stratum (origin
//! group, years since status, unit size class), so that as many move as
//! would.
//!
//! Evidence: networks of people like them help (seed 003); residence rules
//! as a lever (model.md).

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::components::*;
use super::dispersal::by_weight;
use super::not_agents::WithoutWork;
use super::resources::{Clock, Params, Regions, Streams, Tally};
use super::selection::select;

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn secondary_movement(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    regions: Res<Regions>,
    tally: Res<Tally>,
    mut households: Query<(Entity, &mut Household)>,
    mut selected: Local<Vec<u32>>,
    mut moves: Local<Vec<(Entity, u16)>>,
    mut without_work: Local<WithoutWork>,
) {
    let s = &params.scenario;
    let m = &s.secondary_movement;
    if m.rate_per_week <= 0.0 || params.regions < 2 {
        return;
    }
    let rng = &mut streams.secondary;
    let week = clock.week.min(u32::from(u16::MAX - 1)) as u16;
    let rule = s.policy.residence_rule_weeks;
    let may_move = |h: &Household| {
        h.legal.has_status()
            & (h.status_week != NEVER)
            & !matches!(h.housing, HousingStatus::Reception | HousingStatus::Gone)
            & (u32::from(week.saturating_sub(h.status_week)) >= rule)
    };
    // Households whose members are not agents (scale > 1) do not know
    // whether a member works: they move at the rate times the share without
    // work among the agents' households that may move, in their stratum.
    let thinned = params.scale > 1.0;
    if thinned {
        without_work.count(
            params.groups,
            week,
            households
                .contiguous_iter()
                .expect("households are stored in tables")
                .flat_map(|(_, households)| households.iter())
                .filter(|h| h.agents && may_move(h)),
        );
    }
    // Who may move is chosen without branching ([`select`]), then only
    // they draw, in the same order; moves are written afterwards, so that
    // only the households that moved are marked changed.
    moves.clear();
    for (entities, households) in households
        .contiguous_iter()
        .expect("households are stored in tables")
    {
        let n = select(
            &mut selected,
            0,
            households
                .iter()
                .map(|h| may_move(h) & ((h.employed == 0) | !h.agents)),
        );
        for &i in &selected[..n] {
            let (e, h) = (entities[i as usize], &households[i as usize]);
            let rate = if h.agents {
                m.rate_per_week
            } else {
                m.rate_per_week * without_work.share(h, week)
            };
            if rng.random::<f64>() >= rate {
                continue;
            }
            let from = h.region as usize;
            let group = h.origin as usize;
            let total = tally.origin_total[group];
            let to = by_weight(rng, &params, |r| {
                if r == from {
                    return 0.0;
                }
                let spec = &s.regions[r];
                let jobs: f64 = regions.0[r].jobs.iter().sum();
                let jobs_per_head = (jobs / spec.population as f64).max(1e-9);
                let share = if total > 0.0 {
                    tally.by_origin[r * params.groups + group] / total
                } else {
                    0.0
                };
                jobs_per_head.powf(m.job_pull) * (1.0 + m.network_pull * 100.0 * share)
            });
            if to != from {
                moves.push((e, to as u16));
            }
        }
    }
    for &(e, to) in moves.iter() {
        let (_, mut h) = households.get_mut(e).expect("selected above");
        h.region = to;
        h.housing = HousingStatus::Overcrowded;
        h.housing_queue_since = NEVER;
        // Staying with others: no home of its own to outgrow.
        h.outgrown = NO_CLASS;
    }
}
