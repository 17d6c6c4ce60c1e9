//! Checks on the scenario's named `drivers`: a child of the validation
//! module, so that it shares its [`Checker`].

use std::collections::HashSet;

use super::{Checker, MAX_WEEKS_SETTING, sorted_list};
use crate::model::named_drivers::{MAX_INDEX, MIN_INDEX};
use crate::scenario::types::*;

/// Most named drivers a scenario may list.
pub const MAX_DRIVERS: usize = 50;
/// Most points of a set path: one a week over the longest horizon.
pub const MAX_PATH_POINTS: usize = super::MAX_HORIZON_WEEKS as usize;
/// Largest elasticity, either sign: an index at its bound (10^3) raised to
/// it stays a finite multiplier.
pub const MAX_ELASTICITY: f64 = 5.0;

pub(super) fn check_drivers(c: &mut Checker, s: &Scenario) {
    c.at_most("drivers", "drivers", s.drivers.len(), MAX_DRIVERS);
    let groups: HashSet<String> = s
        .arrivals
        .origin_groups
        .iter()
        .map(|g| g.name.clone())
        .collect();
    let mut seen = HashSet::new();
    for (i, d) in s.drivers.iter().enumerate() {
        let p = format!("drivers[{i}]");
        if d.name.trim().is_empty() {
            c.push(format!("{p}.name"), "expected a non-empty name");
        } else if !seen.insert(d.name.as_str()) {
            c.push(
                format!("{p}.name"),
                format!("another driver is already named '{}'", d.name),
            );
        }
        let index = |c: &mut Checker, path: &str, v: f64| c.range(path, v, MIN_INDEX, MAX_INDEX);
        if let Some(points) = &d.path {
            let drawn = [
                ("start", d.start.is_some()),
                ("trend_per_year", d.trend_per_year.is_some()),
                ("volatility_per_year", d.volatility_per_year.is_some()),
                ("reversion_per_year", d.reversion_per_year.is_some()),
                ("regimes", !d.regimes.is_empty()),
            ];
            for (field, written) in drawn {
                if written {
                    c.push(
                        format!("{p}.{field}"),
                        format!(
                            "a driver with a set `path` is not drawn, so it does not read {field}; \
                             remove {field}, or remove `path` to draw the driver"
                        ),
                    );
                }
            }
            if points.is_empty() {
                c.push(
                    format!("{p}.path"),
                    "expected at least one point {week, value}",
                );
            }
            c.at_most(
                &format!("{p}.path"),
                "points",
                points.len(),
                MAX_PATH_POINTS,
            );
            for (j, pt) in points.iter().enumerate() {
                c.weeks(&format!("{p}.path[{j}].week"), pt.week);
                index(c, &format!("{p}.path[{j}].value"), pt.value);
                if j > 0 && pt.week <= points[j - 1].week {
                    c.push(
                        format!("{p}.path[{j}].week"),
                        format!(
                            "expected weeks in increasing order: week {} follows week {}",
                            pt.week,
                            points[j - 1].week
                        ),
                    );
                }
            }
        } else {
            if let Some(v) = d.start {
                index(c, &format!("{p}.start"), v);
            }
            if let Some(v) = d.trend_per_year {
                c.range(&format!("{p}.trend_per_year"), v, -0.9, 10.0);
            }
            if let Some(v) = d.volatility_per_year {
                c.range(&format!("{p}.volatility_per_year"), v, 0.0, 5.0);
            }
            if let Some(v) = d.reversion_per_year {
                c.probability(&format!("{p}.reversion_per_year"), v);
            }
            if d.regimes.len() == 1 {
                c.push(
                    format!("{p}.regimes"),
                    "expected at least two regimes to switch between (one regime is a constant \
                     level: use `start`)",
                );
            }
            c.at_most(&format!("{p}.regimes"), "regimes", d.regimes.len(), 20);
            for (j, r) in d.regimes.iter().enumerate() {
                index(c, &format!("{p}.regimes[{j}].level"), r.level);
                c.range(
                    &format!("{p}.regimes[{j}].mean_weeks"),
                    r.mean_weeks,
                    1.0,
                    f64::from(MAX_WEEKS_SETTING),
                );
            }
        }
        // Origin kinds move arrivals; host kinds move the labour market.
        let kind = d.kind.name();
        let e = &d.elasticity;
        if d.kind.moves_arrivals() {
            for (field, written) in [
                ("job_finding", e.job_finding.is_some()),
                ("job_loss", e.job_loss.is_some()),
            ] {
                if written {
                    c.push(
                        format!("{p}.elasticity.{field}"),
                        format!(
                            "a {kind} driver moves arrivals, not {field}; {field} is for economy \
                             and automation drivers"
                        ),
                    );
                }
            }
            if let Some(v) = e.arrivals {
                c.range(
                    &format!("{p}.elasticity.arrivals"),
                    v,
                    -MAX_ELASTICITY,
                    MAX_ELASTICITY,
                );
            }
            for (j, g) in d.origins.iter().enumerate() {
                if !groups.contains(g) {
                    c.push(
                        format!("{p}.origins[{j}]"),
                        format!(
                            "unknown origin group '{g}'; expected one of: {}",
                            sorted_list(&groups)
                        ),
                    );
                }
            }
        } else {
            if e.arrivals.is_some() {
                c.push(
                    format!("{p}.elasticity.arrivals"),
                    format!(
                        "a {kind} driver moves job finding and job loss, not arrivals; arrivals \
                         is for conflict and climate drivers"
                    ),
                );
            }
            if !d.origins.is_empty() {
                c.push(
                    format!("{p}.origins"),
                    format!(
                        "a {kind} driver acts on the host labour market, not on origin groups; \
                         origins is for conflict and climate drivers"
                    ),
                );
            }
            let within = |c: &mut Checker, path: &str, v: f64| {
                c.range(path, v, -MAX_ELASTICITY, MAX_ELASTICITY)
            };
            if let Some(t) = &e.job_finding {
                c.tiers(&format!("{p}.elasticity.job_finding"), t, within);
            }
            if let Some(t) = &e.job_loss {
                c.tiers(&format!("{p}.elasticity.job_loss"), t, within);
            }
        }
    }
}

/// A rough bound on the drivers' multiplier on arrivals in `week`, for the
/// size check: every arrival driver at its set value or at its drawn
/// path's trend and highest regime (volatility left out), as if it moved
/// every origin group; at most the model's cap.
pub(super) fn arrivals_multiplier(s: &Scenario, week: u32) -> f64 {
    let mut m = 1.0;
    for d in s.drivers.iter().filter(|d| d.kind.moves_arrivals()) {
        let x = match &d.path {
            // The larger of the points around the week (linear in between).
            Some(points) => {
                let before = points.iter().rev().find(|p| p.week <= week);
                let after = points.iter().find(|p| p.week >= week);
                let v = |p: Option<&PathPoint>| p.map_or(f64::MIN_POSITIVE, |p| p.value);
                v(before).max(v(after))
            }
            None => {
                let growth = (1.0 + d.trend_per_year.unwrap_or(0.0)).powf(f64::from(week) / 52.0);
                let level = d.regimes.iter().map(|r| r.level).fold(1.0, f64::max);
                d.start.unwrap_or(1.0) * growth * level
            }
        };
        let f = x
            .clamp(MIN_INDEX, MAX_INDEX)
            .powf(d.elasticities().0.clamp(-MAX_ELASTICITY, MAX_ELASTICITY));
        if f.is_finite() {
            m *= f;
        }
    }
    m.min(crate::model::named_drivers::MAX_ARRIVALS_MULTIPLIER)
}
