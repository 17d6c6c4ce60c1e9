//! Checks on `policy.adaptation`: adaptive rules and their pathways.

use std::collections::HashSet;

use super::{Checker, MAX_STEP, sorted_list};
use crate::scenario::types::*;

/// Most adaptive rules, and most actions in one rule's pathway.
pub const MAX_RULES: usize = 50;
pub const MAX_ACTIONS: usize = 20;

/// Exactly one of `above` and `below`, finite.
fn one_side(c: &mut Checker, p: &str, above: Option<f64>, below: Option<f64>) -> Option<f64> {
    match (above, below) {
        (Some(_), Some(_)) | (None, None) => {
            c.push(p, "give exactly one of above and below");
            None
        }
        (Some(v), None) => c.finite(&format!("{p}.above"), v).then_some(v),
        (None, Some(v)) => c.finite(&format!("{p}.below"), v).then_some(v),
    }
}

pub(super) fn check_adaptation(c: &mut Checker, s: &Scenario, regions: &HashSet<String>) {
    let rules = &s.policy.adaptation;
    c.at_most(
        "policy.adaptation",
        "adaptive rules",
        rules.len(),
        MAX_RULES,
    );
    let mut names = HashSet::new();
    for (i, rule) in rules.iter().enumerate() {
        let p = format!("policy.adaptation[{i}]");
        if rule.name.trim().is_empty() {
            c.push(format!("{p}.name"), "expected a non-empty name");
        } else if !names.insert(rule.name.as_str()) {
            c.push(
                format!("{p}.name"),
                format!("another rule is already named '{}'", rule.name),
            );
        }
        let sp = &rule.signpost;
        if let Err(e) = crate::model::indicators::position(&sp.indicator, s.horizon_weeks) {
            c.push(format!("{p}.signpost.indicator"), e.to_string());
        }
        let each = sp.region == EACH_REGION;
        if !each && sp.region != NATIONAL && !regions.contains(&sp.region) {
            c.push(
                format!("{p}.signpost.region"),
                format!(
                    "unknown region '{}'; expected `each`, `all` or one of: {}",
                    sp.region,
                    sorted_list(regions)
                ),
            );
        }
        if sp.smoothing_weeks == 0 {
            c.push(
                format!("{p}.signpost.smoothing_weeks"),
                "expected at least 1 week",
            );
        }
        c.weeks(&format!("{p}.signpost.smoothing_weeks"), sp.smoothing_weeks);
        if sp.trend && sp.smoothing_weeks < 2 {
            c.push(
                format!("{p}.signpost.smoothing_weeks"),
                "a trend is a slope over at least 2 weeks",
            );
        }
        let t = &rule.trigger;
        let tp = format!("{p}.trigger");
        let trigger = one_side(c, &tp, t.above, t.below);
        if t.for_weeks == 0 {
            c.push(format!("{tp}.for_weeks"), "expected at least 1 week");
        }
        c.weeks(&format!("{tp}.for_weeks"), t.for_weeks);
        if let Some(r) = &rule.release {
            let rp = format!("{p}.release");
            let release = one_side(c, &rp, r.above, r.below);
            if let (Some(tv), Some(rv)) = (trigger, release) {
                let ok = match (t.above.is_some(), r.below.is_some()) {
                    (true, true) => rv <= tv,
                    (false, false) => rv >= tv,
                    _ => false,
                };
                if !ok {
                    let (side, other, cmp) = if t.above.is_some() {
                        ("above", "below", "at most")
                    } else {
                        ("below", "above", "at least")
                    };
                    c.push(
                        rp.clone(),
                        format!(
                            "a rule triggered {side} {tv} is released {other} a value {cmp} {tv} \
                             (hysteresis)"
                        ),
                    );
                }
            }
            if r.for_weeks == 0 {
                c.push(format!("{rp}.for_weeks"), "expected at least 1 week");
            }
            c.weeks(&format!("{rp}.for_weeks"), r.for_weeks);
            c.weeks(&format!("{rp}.min_hold_weeks"), r.min_hold_weeks);
        }
        if rule.actions.is_empty() {
            c.push(format!("{p}.actions"), "expected at least one action");
        }
        c.at_most(
            &format!("{p}.actions"),
            "actions",
            rule.actions.len(),
            MAX_ACTIONS,
        );
        let mut action_names = HashSet::new();
        for (j, a) in rule.actions.iter().enumerate() {
            let ap = format!("{p}.actions[{j}]");
            check_action(c, s, &ap, a, each, regions);
            if !action_names.insert(a.name.as_str()) {
                c.push(
                    format!("{ap}.name"),
                    format!("another action of this rule is already named '{}'", a.name),
                );
            }
        }
    }
}

fn check_action(
    c: &mut Checker,
    s: &Scenario,
    ap: &str,
    a: &Action,
    each: bool,
    regions: &HashSet<String>,
) {
    let lever = a.lever.name();
    if a.name.trim().is_empty() {
        c.push(format!("{ap}.name"), "expected a non-empty name");
    }
    if a.lever.scope() == LeverScope::National && each {
        c.push(
            format!("{ap}.lever"),
            format!(
                "{lever} is national: its rule's signpost must watch `all` or one region, not `each`"
            ),
        );
    }
    if a.lever.is_switch() {
        for (field, given) in [("step", a.step.is_some()), ("max", a.max.is_some())] {
            if given {
                c.push(
                    format!("{ap}.{field}"),
                    format!("{lever} is a switch (on or off): it takes no {field}"),
                );
            }
        }
    } else {
        match a.step {
            None => c.push(
                format!("{ap}.step"),
                format!("expected the step, in {}", a.lever.unit()),
            ),
            Some(v) => {
                c.positive(&format!("{ap}.step"), v);
                if a.lever.in_places() && v > f64::from(MAX_STEP) {
                    c.push(
                        format!("{ap}.step"),
                        format!("{v} places is beyond the limit of {MAX_STEP} places"),
                    );
                }
                if a.lever == Lever::CoachingCoverage {
                    c.probability(&format!("{ap}.step"), v);
                }
            }
        }
        if let Some(m) = a.max {
            c.positive(&format!("{ap}.max"), m);
            if a.lever == Lever::CoachingCoverage {
                c.probability(&format!("{ap}.max"), m);
            }
            if a.step.is_some_and(|st| st > m) {
                c.push(format!("{ap}.max"), "expected max ≥ step");
            }
        }
    }
    match (a.lever, a.to) {
        (Lever::DispersalRule, None) => c.push(
            format!("{ap}.to"),
            "expected the dispersal rule switched to",
        ),
        (Lever::DispersalRule, Some(DispersalRule::QuotaKey)) => {
            let weights: Vec<f64> = s.regions.iter().map(|r| r.dispersal_weight).collect();
            c.sums_to_one(
                &format!("{ap}.to"),
                "switching to the quota_key rule, the regions' dispersal_weight values",
                &weights,
            );
        }
        (Lever::DispersalRule, Some(_)) => {}
        (_, Some(_)) => c.push(
            format!("{ap}.to"),
            format!("{lever} does not read `to`; it is for dispersal_rule"),
        ),
        (_, None) => {}
    }
    if let Some(tp) = a.tipping_point {
        c.finite(&format!("{ap}.tipping_point"), tp);
    }
    c.weeks(&format!("{ap}.lead_time_weeks"), a.lead_time_weeks);
    c.non_negative(&format!("{ap}.cost.setup_per_unit"), a.cost.setup_per_unit);
    c.non_negative(
        &format!("{ap}.cost.holding_per_unit_week"),
        a.cost.holding_per_unit_week,
    );
    if !a.regions.is_empty() {
        if a.lever.scope() == LeverScope::National || each {
            c.push(
                format!("{ap}.regions"),
                "regions are for a regional lever moved by a rule that watches `all` or one \
                 region (with `each`, a rule acts in the region it watches)",
            );
        }
        for (k, r) in a.regions.iter().enumerate() {
            if !regions.contains(r) {
                c.push(
                    format!("{ap}.regions[{k}]"),
                    format!(
                        "unknown region '{r}'; expected one of: {}",
                        sorted_list(regions)
                    ),
                );
            }
        }
    }
}
