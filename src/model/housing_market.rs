//! The housing market (weekly process 5a): households with status that have
//! no home of their own size search in their region, first come first
//! served, by the unit size they need. Each week homes come free to
//! newcomers: units let to them directly (social tenure) and their share of
//! the re-lets of the rented stock, social and private. A private rent is
//! out of reach for part of the households without work (the rent
//! barrier). Households that have waited long take a unit one size too
//! small and keep searching, overcrowded; so do movers staying with others.
//! Units nobody takes stay vacant and on offer, up to a stated number of
//! weeks of supply; the rest is let to local demand.
//!
//! Evidence: social housing built for families of two to four, leaving
//! single men and large families waiting (Q15, M6); the other rules are
//! assumptions (A61–A65 in `docs/sources.md`).

use std::collections::VecDeque;

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::arrivals::poisson;
use super::components::*;
use super::not_agents::WithoutWork;
use super::resources::{Clock, Params, Regions, Streams};
use super::selection::select;
use super::tenancy::{Tenancy, searching, size_class, waiting_in};

/// Tenures: social (0) and private (1).
pub const SOCIAL: usize = 0;
const PRIVATE: usize = 1;

/// The market of one region.
#[derive(Debug, Clone, Default)]
pub struct Market {
    /// Households searching, by the unit size they need, in the order they
    /// joined.
    pub queue: [VecDeque<Entity>; 3],
    /// Mean units coming free to newcomers per week, by tenure and size,
    /// before the supply trend (units, not scaled).
    pub supply: [[f64; 3]; 2],
    /// Units vacant and on offer, by tenure and size.
    pub vacant: [[u64; 3]; 2],
    /// This week: persons who moved into a home of their size, and the
    /// weeks they had searched, summed over persons.
    pub housed: u32,
    pub wait_sum: f64,
}

/// Every region's housing market.
#[derive(Resource, Debug, Clone)]
pub struct HousingMarket(pub Vec<Market>);

impl HousingMarket {
    pub fn new(p: &Params) -> HousingMarket {
        let h = &p.scenario.housing;
        let relet = h.annual_turnover / 52.0 * h.newcomer_access_share;
        HousingMarket(
            p.scenario
                .regions
                .iter()
                .map(|r| {
                    let stock = r.housing.stock.as_array();
                    let direct = r.housing.units_per_week();
                    Market {
                        supply: [
                            std::array::from_fn(|c| {
                                direct[c] + stock[c] * (1.0 - h.private_share) * relet
                            }),
                            std::array::from_fn(|c| stock[c] * h.private_share * relet),
                        ],
                        ..Market::default()
                    }
                })
                .collect(),
        )
    }
}

/// Who may take a unit offered down a queue.
#[derive(Clone, Copy)]
enum Offer {
    /// Units of the queue's own size: anyone searching takes one and is
    /// housed.
    Fitting,
    /// Units one size too small: only households not yet overcrowded that
    /// have searched at least this many weeks, who then live overcrowded
    /// and keep searching.
    Smaller(u32),
}

#[allow(clippy::too_many_arguments)] // a system's parameters are its data access
pub fn housing_market(
    clock: Res<Clock>,
    params: Res<Params>,
    mut streams: ResMut<Streams>,
    mut market: ResMut<HousingMarket>,
    mut regions: ResMut<Regions>,
    mut households: Query<(Entity, &mut Household)>,
    mut tenancies: Query<&mut Tenancy>,
    mut selected: Local<Vec<u32>>,
    mut joining: Local<Vec<Entity>>,
    mut kept: Local<Vec<Entity>>,
    disruptions: Res<super::wildcards::Disruptions>,
    mut without_work: Local<WithoutWork>,
) {
    let rng = &mut streams.housing;
    let week = clock.week.min(u32::from(u16::MAX - 1)) as u16;
    let h = &params.scenario.housing;

    // Households that start searching this week join the end of their
    // region's queue for their size.
    joining.clear();
    for (entities, households) in households
        .contiguous_iter()
        .expect("households are stored in tables")
    {
        let n = select(
            &mut selected,
            0,
            households
                .iter()
                .map(|h| searching(h) & (h.housing_queue_since == NEVER)),
        );
        joining.extend(selected[..n].iter().map(|&i| entities[i as usize]));
    }
    for &e in joining.iter() {
        let (_, mut hh) = households.get_mut(e).expect("selected above");
        hh.housing_queue_since = week;
        market.0[hh.region as usize].queue[size_class(hh.size)].push_back(e);
        let mut t = tenancies.get_mut(e).expect("every household has one");
        t.rent_draw = rng.random::<f32>();
    }

    // Units come free, size by size from the smallest; each size's units
    // go first to its own queue, and those left over to the long waiters of
    // the next size up; what is left then stays vacant within the limit.
    let trend = (1.0 + h.annual_supply_trend).powf(f64::from(week) / 52.0);
    let overcrowd_after = h.overcrowding_after_weeks;
    let barrier = h.rent_barrier as f32;
    // At scale > 1 only agents' households keep their members' jobs: the
    // others take the share without work of agents' households like them
    // (`not_agents`), so that who can pay a rent does not depend on scale.
    let thinned = params.scale > 1.0;
    if thinned {
        without_work.count(
            params.groups,
            week,
            households
                .contiguous_iter()
                .expect("households are stored in tables")
                .flat_map(|(_, households)| households.iter())
                .filter(|h| h.agents && searching(h)),
        );
    }
    let mut q = Queues {
        households: &mut households,
        tenancies: &tenancies,
        kept: &mut kept,
        without_work: thinned.then_some(&*without_work),
    };
    for (r, m) in market.0.iter_mut().enumerate() {
        m.housed = 0;
        m.wait_sum = 0.0;
        let reception = &mut regions.0[r].reception_used;
        let mut left_over = [0u64; 2];
        for class in 0..3 {
            let mut units = [0u64; 2];
            for tenure in [SOCIAL, PRIVATE] {
                // Every unit, at every scale: households are not thinned. A
                // wildcard's housing shock scales the units coming free.
                let mean = m.supply[tenure][class] * trend * disruptions.housing[r];
                units[tenure] = poisson(rng, mean) + m.vacant[tenure][class];
            }
            offer(
                &mut q,
                week,
                barrier,
                m,
                reception,
                r,
                class,
                &mut units,
                Offer::Fitting,
            );
            if class > 0 {
                let smaller = Offer::Smaller(overcrowd_after);
                offer(
                    &mut q,
                    week,
                    barrier,
                    m,
                    reception,
                    r,
                    class,
                    &mut left_over,
                    smaller,
                );
                keep_vacant(m, class - 1, left_over, trend, h.carry_over_weeks);
            }
            left_over = units;
        }
        keep_vacant(m, 2, left_over, trend, h.carry_over_weeks);
    }
}

/// The households and their tenancies, and a buffer for the entries that
/// stay in a queue.
struct Queues<'a, 'w, 's, 'h, 'v, 'u, 't> {
    households: &'a mut Query<'w, 's, (Entity, &'h mut Household)>,
    tenancies: &'a Query<'v, 'u, &'t mut Tenancy>,
    kept: &'a mut Vec<Entity>,
    /// The share without work by stratum, when households are thinned.
    without_work: Option<&'a WithoutWork>,
}

/// Units of size `class` nobody took stay vacant, at most
/// ⌊carry_over_weeks × mean weekly units⌋ of each tenure.
fn keep_vacant(m: &mut Market, class: usize, units: [u64; 2], trend: f64, weeks: f64) {
    for tenure in [SOCIAL, PRIVATE] {
        let limit = (weeks * m.supply[tenure][class] * trend).floor() as u64;
        m.vacant[tenure][class] = units[tenure].min(limit);
    }
}

/// Offer `units` (by tenure) to the queue of size `class`, front first.
/// A household that can pay a private rent takes a private unit while
/// there is one, otherwise a social unit; one that cannot takes a
/// social unit. Entries of households no longer searching here are
/// dropped on the way.
#[allow(clippy::too_many_arguments)]
fn offer(
    q: &mut Queues,
    week: u16,
    barrier: f32,
    m: &mut Market,
    reception_used: &mut u32,
    r: usize,
    class: usize,
    units: &mut [u64; 2],
    offer: Offer,
) {
    let Market {
        queue,
        housed,
        wait_sum,
        ..
    } = m;
    let queue = &mut queue[class];
    q.kept.clear();
    let mut visited = 0;
    while visited < queue.len() && units.iter().any(|&u| u > 0) {
        let e = queue[visited];
        let Ok((_, mut h)) = q.households.get_mut(e) else {
            visited += 1;
            continue;
        };
        if !waiting_in(&h, r, class) {
            visited += 1;
            continue;
        }
        let waited = week - h.housing_queue_since;
        if let Offer::Smaller(after) = offer {
            if u32::from(waited) < after {
                break;
            }
            if h.housing == HousingStatus::Overcrowded {
                q.kept.push(e);
                visited += 1;
                continue;
            }
        }
        visited += 1;
        let t = q.tenancies.get(e).expect("every household has one");
        // A household can pay a private rent if a member works, or else if
        // its draw clears the barrier: u ≥ barrier × (share without work),
        // the share 0 or 1 for agents' households, their stratum's share
        // for the others (the same chance, at every scale).
        let without = match q.without_work {
            Some(w) if !h.agents => w.share(&h, week) as f32,
            _ => f32::from(u8::from(h.employed == 0)),
        };
        let can_pay = t.rent_draw >= barrier * without;
        let tenure = if can_pay && units[PRIVATE] > 0 {
            PRIVATE
        } else if units[SOCIAL] > 0 {
            SOCIAL
        } else {
            q.kept.push(e);
            continue;
        };
        units[tenure] -= 1;
        if h.housing == HousingStatus::Reception {
            *reception_used -= u32::from(h.size);
        }
        match offer {
            Offer::Fitting => {
                h.housing = HousingStatus::Mainstream;
                h.housing_queue_since = NEVER;
                h.outgrown = NO_CLASS;
                *housed += u32::from(h.size);
                *wait_sum += f64::from(h.size) * f64::from(waited);
            }
            Offer::Smaller(_) => {
                // A home one size too small: should the household shrink
                // into it (a death, a child leaving), it is housed
                // (`family::resized`).
                h.housing = HousingStatus::Overcrowded;
                h.outgrown = (class - 1) as u8;
                q.kept.push(e);
            }
        }
    }
    // The visited entries leave the queue; those still searching return
    // to its front in their order.
    queue.drain(..visited);
    for &e in q.kept.iter().rev() {
        queue.push_front(e);
    }
}
