//! Dispersal (weekly process 3): each new household is allocated to a
//! region. Asylum seekers follow the policy's rule; resettled households go
//! by population, sponsored ones to the sponsoring regions, family and
//! labour arrivals choose freely. When reception is full, asylum seekers go
//! to emergency accommodation, which costs more and is counted; they move
//! into reception, first come first served, as places free up.
//!
//! Evidence: Germany's EASY quota (Q12–Q13; Königstein key in S4),
//! Sweden's mandatory municipal distribution (Q11), large cities taking the
//! lion's share under free choice (Q14), networks of people like them (seed 003).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::components::*;
use super::resources::{Backlog, Flows, NewArrivals, Params, Regions, Streams, Tally};
use crate::scenario::DispersalRule;

#[allow(clippy::too_many_arguments)]
pub fn dispersal(
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut regions: ResMut<Regions>,
    mut flows: ResMut<Flows>,
    tally: Res<Tally>,
    new: Res<NewArrivals>,
    mut backlog: ResMut<Backlog>,
    mut households: Query<&mut Household>,
) {
    let rng = &mut streams.dispersal;

    // Households in emergency accommodation move into reception places that
    // have come free, first come first served.
    for region in regions.0.iter_mut() {
        while let Some(&e) = region.emergency_queue.front() {
            let Ok(mut h) = households.get_mut(e) else {
                region.emergency_queue.pop_front();
                continue;
            };
            if !h.legal.awaiting_decision() || h.housing != HousingStatus::Emergency {
                region.emergency_queue.pop_front();
                continue;
            }
            let size = u32::from(h.size);
            if region.reception_used + size > region.reception_capacity {
                break;
            }
            region.reception_used += size;
            h.housing = HousingStatus::Reception;
            region.emergency_queue.pop_front();
        }
    }

    let rule = params.scenario.policy.dispersal.rule;
    for &e in &new.0 {
        let Ok(mut h) = households.get_mut(e) else {
            continue;
        };
        let size = u32::from(h.size);
        let r = match h.channel {
            Channel::Asylum => match rule {
                DispersalRule::PopulationShare => by_population(rng, &params),
                DispersalRule::QuotaKey => by_weight(rng, &params, |r| {
                    params.scenario.regions[r].dispersal_weight
                }),
                DispersalRule::ReceptionCapacity => {
                    let free = |r: usize| {
                        let reg = &regions.0[r];
                        let free = reg.reception_capacity.saturating_sub(reg.reception_used);
                        if free >= size { f64::from(free) } else { 0.0 }
                    };
                    if (0..params.regions).any(|r| free(r) > 0.0) {
                        by_weight(rng, &params, free)
                    } else {
                        by_population(rng, &params)
                    }
                }
                DispersalRule::MunicipalQuota => {
                    let total: f64 =
                        regions.0.iter().map(|x| x.allocated).sum::<f64>() + f64::from(size);
                    let mut best = 0;
                    let mut best_gap = f64::NEG_INFINITY;
                    for (i, reg) in regions.0.iter().enumerate() {
                        let gap = params.municipal_quota[i] * total - reg.allocated;
                        if gap > best_gap {
                            best_gap = gap;
                            best = i;
                        }
                    }
                    best
                }
                DispersalRule::FreeChoice => free_choice(rng, &params, &tally, h.origin as usize),
            },
            Channel::Resettlement => by_population(rng, &params),
            Channel::Sponsorship => {
                let list = &params.sponsor_regions;
                let total = list.last().map_or(0.0, |x| x.1);
                let u = rng.random::<f64>() * total;
                list.iter().find(|x| u < x.1).map_or(list[0].0, |x| x.0)
            }
            Channel::Family | Channel::Labour => {
                free_choice(rng, &params, &tally, h.origin as usize)
            }
        };
        h.region = r as u16;
        flows.arrivals[r] += f64::from(size);
        if h.channel == Channel::Sponsorship {
            flows.sponsored[r] += f64::from(size);
        }
        let region = &mut regions.0[r];
        if h.channel == Channel::Asylum {
            region.allocated += f64::from(size);
            if region.reception_used + size <= region.reception_capacity {
                region.reception_used += size;
                h.housing = HousingStatus::Reception;
            } else {
                h.housing = HousingStatus::Emergency;
                region.emergency_queue.push_back(e);
            }
            backlog.queue.push_back(e);
        }
    }
}

fn by_population(rng: &mut Pcg64Mcg, p: &Params) -> usize {
    by_weight(rng, p, |r| p.population_share[r])
}

/// Draw a region with probability proportional to `weight(region)`.
pub fn by_weight(rng: &mut Pcg64Mcg, p: &Params, weight: impl Fn(usize) -> f64) -> usize {
    let total: f64 = (0..p.regions).map(&weight).sum();
    if total <= 0.0 {
        return by_population(rng, p);
    }
    let mut u = rng.random::<f64>() * total;
    for r in 0..p.regions {
        let w = weight(r);
        if u < w {
            return r;
        }
        u -= w;
    }
    (0..p.regions).rev().find(|&r| weight(r) > 0.0).unwrap_or(0)
}

/// Free choice: drawn to cities and to regions where people of the same
/// origin already live.
fn free_choice(rng: &mut Pcg64Mcg, p: &Params, tally: &Tally, group: usize) -> usize {
    let d = &p.scenario.policy.dispersal;
    let total = tally.origin_total[group];
    by_weight(rng, p, |r| {
        let spec = &p.scenario.regions[r];
        let urban = if spec.urban { d.urban_pull } else { 1.0 };
        let share = if total > 0.0 {
            tally.by_origin[r * p.groups + group] / total
        } else {
            0.0
        };
        p.population_share[r] * urban * (1.0 + d.network_pull * 100.0 * share)
    })
}
