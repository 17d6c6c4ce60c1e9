//! Adaptive rules (weekly process 1, after the drivers): Dynamic Adaptive
//! Policy Pathways (Haasnoot et al. 2013). A rule watches a signpost (a
//! weekly indicator of last week or earlier, smoothed or as a trend), and
//! when it crosses the trigger for `for_weeks` weeks in a row takes a step of
//! its pathway's current action on a lever; the pathway moves to the next
//! action when the current one reaches its cap or its tipping point. With a
//! release, a rule undoes its last step when the signpost is back on the
//! other side of a second value, never sooner than `min_hold_weeks` after
//! its last change (hysteresis). Steps take effect after their lead time;
//! they cost once per unit when decided and every week per unit held.
//!
//! The levers in force are the replication's copy of the policy (in
//! [`Params`]) and the regions' capacities: this process is the only one
//! that changes them after week 0.

use bevy_ecs::prelude::*;

use super::housing_market::{HousingMarket, Market, SOCIAL};
use super::indicators as expand;
use super::resources::{Clock, Params, Record, Regions};
use crate::scenario::{
    Action, DispersalRule, EACH_REGION, Lever, LeverScope, NATIONAL, Rule, Scenario, Schedule,
    Step as ScheduleStep,
};

/// One step taken, as `actions.csv` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionTaken {
    pub week: u32,
    pub rule: usize,
    pub action: usize,
    /// The region acted in; `None`: national, or every region of the action.
    pub region: Option<usize>,
    /// In the lever's unit; negative for a release.
    pub size: f64,
}

/// A step in force or on order, so that it can be undone exactly.
#[derive(Debug, Clone)]
struct Step {
    action: usize,
    /// Added to the lever in each region acted on (in the lever's unit: persons for places).
    amount: f64,
    /// For switches: the value before.
    before: Switch,
    opens_week: u32,
}

#[derive(Debug, Clone, Copy)]
enum Switch {
    None,
    MoveOn(bool),
    Dispersal(DispersalRule),
}

/// A rule where it runs: in one region (signpost `each`) or once.
#[derive(Debug, Clone, Default)]
struct Site {
    /// The slot the signpost is read from (a region, or the national slot).
    slot: usize,
    /// Per action: the regions a regional lever is moved in.
    regions: Vec<Vec<usize>>,
    streak: u32,
    release_streak: u32,
    /// The week of the last change and whether it was a step up.
    last_change: Option<(u32, bool)>,
    /// Steps in force or on order, in the order taken.
    steps: Vec<Step>,
    /// Per action: amount held (in the lever's unit, per region).
    held: Vec<f64>,
}

/// The state of every rule.
#[derive(Resource)]
pub struct Adaptation {
    /// Per rule: its signpost's indicator index, and its sites.
    signposts: Vec<usize>,
    sites: Vec<Vec<Site>>,
    /// Steps taken so far.
    pub taken: Vec<ActionTaken>,
    /// Adaptation costs this week by region (national levers' costs are
    /// spread by population share).
    pub cost: Vec<f64>,
}

impl Adaptation {
    pub fn new(s: &Scenario) -> Adaptation {
        let nr = s.regions.len();
        let region = |name: &str| s.regions.iter().position(|r| r.name == name);
        let mut signposts = Vec::new();
        let mut sites = Vec::new();
        for rule in &s.policy.adaptation {
            signposts.push(
                expand::position(&rule.signpost.indicator, s.horizon_weeks)
                    .expect("validated signpost"),
            );
            let acted = |a: &Action| -> Vec<usize> {
                if a.regions.is_empty() {
                    (0..nr).collect()
                } else {
                    a.regions.iter().filter_map(|n| region(n)).collect()
                }
            };
            let site = |slot: usize, one: Option<usize>| Site {
                slot,
                regions: rule
                    .actions
                    .iter()
                    .map(|a| one.map_or_else(|| acted(a), |r| vec![r]))
                    .collect(),
                held: vec![0.0; rule.actions.len()],
                ..Site::default()
            };
            let rs = match rule.signpost.region.as_str() {
                EACH_REGION => (0..nr).map(|r| site(r, Some(r))).collect(),
                NATIONAL => vec![site(nr, None)],
                name => vec![site(region(name).expect("validated region"), None)],
            };
            sites.push(rs);
        }
        Adaptation {
            signposts,
            sites,
            taken: Vec::new(),
            cost: vec![0.0; nr],
        }
    }
}

/// The signpost's value from last week back: the mean of the last
/// `smoothing_weeks` weeks, or their least-squares slope per week; `None`
/// before there are enough weeks, or if a value is undefined.
fn signpost(record: &Record, rule: &Rule, k: usize, slot: usize, week: u32) -> Option<f64> {
    let n = rule.signpost.smoothing_weeks.max(1).min(week) as usize;
    let need = if rule.signpost.trend { 2 } else { 1 };
    if n < need {
        return None;
    }
    let week = week as usize;
    let values: Vec<f64> = (week - n..week)
        .map(|w| record.series.get(w, slot, k))
        .collect();
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if !rule.signpost.trend {
        return Some(mean);
    }
    let tm = (n as f64 - 1.0) / 2.0;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, v) in values.iter().enumerate() {
        let dt = i as f64 - tm;
        sxy += dt * (v - mean);
        sxx += dt * dt;
    }
    Some(sxy / sxx)
}

/// Whether `v` is beyond `above` or `below` (whichever is given).
fn beyond(v: f64, above: Option<f64>, below: Option<f64>) -> bool {
    match (above, below) {
        (Some(a), _) => v > a,
        (None, Some(b)) => v < b,
        (None, None) => false,
    }
}

pub fn adaptation(
    clock: Res<Clock>,
    mut params: ResMut<Params>,
    mut regions: ResMut<Regions>,
    mut market: ResMut<HousingMarket>,
    record: Res<Record>,
    mut state: ResMut<Adaptation>,
) {
    let rules = params.scenario.policy.adaptation.clone();
    if rules.is_empty() {
        return;
    }
    let week = clock.week;
    let params = &mut *params;
    let state = &mut *state;
    state.cost.fill(0.0);
    for (ri, rule) in rules.iter().enumerate() {
        let k = state.signposts[ri];
        for si in 0..state.sites[ri].len() {
            // Steps on order that are due open.
            let site = &mut state.sites[ri][si];
            for step in site.steps.iter_mut().filter(|s| s.opens_week == week) {
                site.last_change = Some((week, true));
                let acted = &site.regions[step.action];
                step.before = apply(params, &mut regions, &mut market, rule, step, acted, 1.0);
            }
            let value = signpost(&record, rule, k, site.slot, week);
            let t = &rule.trigger;
            let up = value.is_some_and(|v| beyond(v, t.above, t.below));
            site.streak = if up { site.streak + 1 } else { 0 };
            let down = match (&rule.release, value) {
                (Some(r), Some(v)) => beyond(v, r.above, r.below),
                _ => false,
            };
            site.release_streak = if down { site.release_streak + 1 } else { 0 };
            let hold = rule.release.as_ref().map_or(0, |r| r.min_hold_weeks);
            let since = site.last_change.map(|(w, up)| (week - w, up));
            let pending = site.steps.iter().any(|s| s.opens_week > week);

            if up && site.streak >= t.for_weeks && !pending {
                let may = match since {
                    Some((d, false)) => d >= hold,
                    _ => true,
                };
                if may && let Some((a, step)) = next_step(rule, site, value.unwrap_or(0.0), week) {
                    site.streak = 0;
                    site.held[a] += step.amount;
                    let amount = step.amount;
                    let opens_now = step.opens_week == week;
                    site.steps.push(step);
                    if opens_now {
                        site.last_change = Some((week, true));
                        let step = site.steps.last_mut().expect("pushed");
                        let acted = &site.regions[a];
                        step.before =
                            apply(params, &mut regions, &mut market, rule, step, acted, 1.0);
                    }
                    let acted = site.regions[a].clone();
                    record_step(state, params, rule, ri, si, a, amount, week, &acted);
                }
            } else if let Some(r) = &rule.release
                && down
                && site.release_streak >= r.for_weeks
                && !pending
                && since.is_none_or(|(d, _)| d >= hold)
                && let Some(step) = site.steps.pop()
            {
                site.release_streak = 0;
                site.last_change = Some((week, false));
                site.held[step.action] -= step.amount;
                let acted = site.regions[step.action].clone();
                apply(params, &mut regions, &mut market, rule, &step, &acted, -1.0);
                let amount = -step.amount;
                record_step(
                    state,
                    params,
                    rule,
                    ri,
                    si,
                    step.action,
                    amount,
                    week,
                    &acted,
                );
            }
            // Holding costs of what is in force.
            for (a, action) in rule.actions.iter().enumerate() {
                let site = &state.sites[ri][si];
                let held = site.held[a];
                let per_week = action.cost.holding_per_unit_week;
                if held != 0.0 && per_week != 0.0 {
                    let acted = site.regions[a].clone();
                    charge(state, params, action, &acted, held * per_week);
                }
            }
        }
    }
}

/// The next step of a site's pathway: the first action, from the one last
/// used on, that is neither at its cap nor past its tipping point.
fn next_step(rule: &Rule, site: &Site, value: f64, week: u32) -> Option<(usize, Step)> {
    let from = site.steps.last().map_or(0, |s| s.action);
    let past = |a: &Action| {
        a.tipping_point.is_some_and(|tp| {
            beyond(
                value,
                rule.trigger.above.map(|_| tp),
                rule.trigger.below.map(|_| tp),
            )
        })
    };
    for (a, action) in rule.actions.iter().enumerate().skip(from) {
        let amount = if action.lever.is_switch() {
            1.0
        } else {
            action.step.unwrap_or(0.0)
        };
        let cap = if action.lever.is_switch() {
            1.0
        } else {
            action.max.unwrap_or(f64::INFINITY)
        };
        if site.held[a] + amount > cap + 1e-9 || past(action) {
            continue;
        }
        return Some((
            a,
            Step {
                action: a,
                amount,
                before: Switch::None,
                opens_week: week + action.lead_time_weeks,
            },
        ));
    }
    None
}

/// Record a step and charge its set-up cost.
#[allow(clippy::too_many_arguments)]
fn record_step(
    state: &mut Adaptation,
    params: &Params,
    rule: &Rule,
    ri: usize,
    si: usize,
    a: usize,
    amount: f64,
    week: u32,
    acted: &[usize],
) {
    let action = &rule.actions[a];
    let region = match (rule.signpost.region.as_str(), action.lever.scope()) {
        (EACH_REGION, _) => Some(si),
        (_, LeverScope::Regional) if acted.len() == 1 => Some(acted[0]),
        _ => None,
    };
    state.taken.push(ActionTaken {
        week,
        rule: ri,
        action: a,
        region,
        size: amount,
    });
    if amount > 0.0 && action.cost.setup_per_unit != 0.0 {
        charge(
            state,
            params,
            action,
            acted,
            amount * action.cost.setup_per_unit,
        );
    }
}

/// Charge a cost per region acted on (regional levers) or spread over the
/// regions by population (national levers).
fn charge(state: &mut Adaptation, params: &Params, action: &Action, acted: &[usize], cost: f64) {
    match action.lever.scope() {
        LeverScope::Regional => {
            for &r in acted {
                state.cost[r] += cost;
            }
        }
        LeverScope::National => {
            for (r, share) in params.population_share.iter().enumerate() {
                state.cost[r] += cost * share;
            }
        }
    }
}

/// Move a lever by `sign` × the step's amount; returns the switch's value
/// before (to restore on release).
fn apply(
    params: &mut Params,
    regions: &mut Regions,
    market: &mut HousingMarket,
    rule: &Rule,
    step: &Step,
    acted: &[usize],
    sign: f64,
) -> Switch {
    let action = &rule.actions[step.action];
    let amount = sign * step.amount;
    // Places are persons at every scale (households are not thinned,
    // [`super::sampling`]): at least one.
    let places = (amount.abs().round().min(f64::from(u32::MAX)) as i64).max(1);
    let add = |v: &mut u32, n: i64| {
        *v = (i64::from(*v) + n).clamp(0, i64::from(u32::MAX)) as u32;
    };
    let pol = &mut params.scenario.policy;
    match action.lever {
        Lever::DecisionCapacity => {
            // A step adds to the capacity of every week the schedule says.
            let c = &mut params.scenario.asylum.decision_capacity_per_week;
            *c = Schedule::from_steps(
                c.steps()
                    .iter()
                    .map(|s| ScheduleStep {
                        from_week: s.from_week,
                        value: s.value + amount,
                    })
                    .collect(),
            );
        }
        Lever::SponsorshipPlaces => pol.community_sponsorship.households_per_year += amount,
        Lever::CoachingCoverage => pol.intensive_coaching.coverage += amount,
        Lever::MoveOnSupport => {
            if sign > 0.0 {
                let before = pol.move_on.support;
                pol.move_on.support = true;
                return Switch::MoveOn(before);
            }
            if let Switch::MoveOn(b) = step.before {
                pol.move_on.support = b;
            }
        }
        Lever::DispersalRule => {
            if sign > 0.0 {
                let before = pol.dispersal.rule;
                pol.dispersal.rule = action.to.expect("validated");
                return Switch::Dispersal(before);
            }
            if let Switch::Dispersal(b) = step.before {
                pol.dispersal.rule = b;
            }
        }
        lever => {
            let n = places * sign as i64;
            for &r in acted {
                let region = &mut regions.0[r];
                match lever {
                    Lever::ReceptionPlaces => add(&mut region.reception_capacity, n),
                    // Units built or bought by the state are let as social
                    // housing: they add to the social units coming free.
                    Lever::HousingSmallUnits => add_units(&mut market.0[r], 0, amount),
                    Lever::HousingMediumUnits => add_units(&mut market.0[r], 1, amount),
                    Lever::HousingLargeUnits => add_units(&mut market.0[r], 2, amount),
                    l => add(&mut region.seats[service_of(l)], n),
                }
            }
        }
    }
    Switch::None
}

/// Add `amount` (negative on release) to a region's social units coming
/// free per week of size class `class`, never below none.
fn add_units(m: &mut Market, class: usize, amount: f64) {
    let supply = &mut m.supply[SOCIAL][class];
    *supply = (*supply + amount).max(0.0);
}

/// The service index of a service-places lever.
fn service_of(l: Lever) -> usize {
    match l {
        Lever::LanguageSeats => 0,
        Lever::CoachingSeats => 1,
        Lever::CredentialRecognitionSeats => 2,
        Lever::InterpretationSeats => 3,
        Lever::HealthRegistrationSeats => 4,
        _ => 5,
    }
}
