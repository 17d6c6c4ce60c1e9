//! Checks on the scenario's `wildcards`: a child of the validation module,
//! so that it shares its [`Checker`].

use std::collections::HashSet;

use super::{Checker, MAX_WEEKS_SETTING, sorted_list};
use crate::model::components::Service;
use crate::scenario::types::*;

/// Most wildcards a scenario may list.
pub const MAX_WILDCARDS: usize = 100;
/// Most events a year a wildcard's rate may give: one a week on average.
pub const MAX_RATE_PER_YEAR: f64 = 52.0;
/// Largest arrival-surge multiplier (the bundled surges peak at 3–6).
pub const MAX_SURGE_MULTIPLIER: f64 = 50.0;

pub(super) fn check_wildcards(c: &mut Checker, s: &Scenario, regions: &HashSet<String>) {
    c.at_most("wildcards", "wildcards", s.wildcards.len(), MAX_WILDCARDS);
    let groups: HashSet<String> = s
        .arrivals
        .origin_groups
        .iter()
        .map(|g| g.name.clone())
        .collect();
    let mut seen = HashSet::new();
    for (i, w) in s.wildcards.iter().enumerate() {
        let p = format!("wildcards[{i}]");
        if w.name.trim().is_empty() {
            c.push(format!("{p}.name"), "expected a non-empty name");
        } else if !seen.insert(w.name.as_str()) {
            c.push(
                format!("{p}.name"),
                format!("another wildcard is already named '{}'", w.name),
            );
        }
        match (w.probability_per_year, w.rate_per_year) {
            (Some(_), Some(_)) | (None, None) => c.push(
                p.clone(),
                "give exactly one of probability_per_year (at most one event a year) \
                 and rate_per_year (a Poisson rate)",
            ),
            (Some(q), None) => c.probability(&format!("{p}.probability_per_year"), q),
            (None, Some(r)) => c.range(&format!("{p}.rate_per_year"), r, 0.0, MAX_RATE_PER_YEAR),
        }
        c.weeks(&format!("{p}.first_week"), w.first_week);
        let (lo, hi) = match w.kind {
            WildcardKind::ArrivalSurge => (0.0, MAX_SURGE_MULTIPLIER),
            WildcardKind::AttitudeShock => (-1.0, 1.0),
            _ => (0.0, 1.0),
        };
        check_draw(c, &format!("{p}.size"), &w.size, lo, hi);
        check_draw(
            c,
            &format!("{p}.duration_weeks"),
            &w.duration_weeks,
            0.0,
            f64::from(MAX_WEEKS_SETTING),
        );
        c.weeks(&format!("{p}.ramp_weeks"), w.ramp_weeks);
        c.tiers(
            &format!("{p}.tier_weights"),
            &w.tier_weights,
            Checker::probability,
        );
        c.range(
            &format!("{p}.hiring_multiplier"),
            w.hiring_multiplier,
            0.0,
            100.0,
        );
        for (j, g) in w.origins.iter().enumerate() {
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
        for (j, r) in w.regions.iter().enumerate() {
            if !regions.contains(r) {
                c.push(
                    format!("{p}.regions[{j}]"),
                    format!(
                        "unknown region '{r}'; expected one of: {}",
                        sorted_list(regions)
                    ),
                );
            }
        }
        for (j, sv) in w.services.iter().enumerate() {
            if !Service::ALL.iter().any(|x| x.name() == sv) {
                let names: Vec<&str> = Service::ALL.iter().map(|x| x.name()).collect();
                c.push(
                    format!("{p}.services[{j}]"),
                    format!(
                        "unknown service '{sv}'; expected one of: {}",
                        names.join(", ")
                    ),
                );
            }
        }
        // Fields that only some kinds read: written for another kind, they
        // would be silently ignored.
        let kind = w.kind.name();
        let only = |c: &mut Checker, field: &str, used: bool, for_kinds: &str| {
            if used {
                c.push(
                    format!("{p}.{field}"),
                    format!("a {kind} wildcard does not read {field}; it is for {for_kinds}"),
                );
            }
        };
        let surge = w.kind == WildcardKind::ArrivalSurge;
        let labour = w.kind == WildcardKind::LabourShock;
        only(
            c,
            "ramp_weeks",
            !surge && w.ramp_weeks != 0,
            "arrival_surge",
        );
        only(
            c,
            "origins",
            !surge && !w.origins.is_empty(),
            "arrival_surge",
        );
        only(
            c,
            "tier_weights",
            !labour && w.tier_weights.as_array() != [1.0; TIERS],
            "labour_shock",
        );
        only(
            c,
            "hiring_multiplier",
            !labour && w.hiring_multiplier != 1.0,
            "labour_shock",
        );
        let regional = "housing_shock, service_disruption and attitude_shock";
        only(
            c,
            "regions",
            !w.kind.regional() && !w.regions.is_empty(),
            regional,
        );
        only(
            c,
            "one_region",
            !w.kind.regional() && w.one_region,
            regional,
        );
        only(
            c,
            "services",
            w.kind != WildcardKind::ServiceDisruption && !w.services.is_empty(),
            "service_disruption",
        );
    }
}

/// A distribution's fields: those it needs are present, no others, and
/// every value it can draw lies in `lo..=hi`.
fn check_draw(c: &mut Checker, p: &str, d: &Draw, lo: f64, hi: f64) {
    let (needs, may) = d.distribution.fields();
    let kind = d.distribution.name();
    let mut complete = true;
    for f in needs {
        match d.field(f) {
            None => {
                c.push(
                    format!("{p}.{f}"),
                    format!("a {kind} distribution needs {}", needs.join(", ")),
                );
                complete = false;
            }
            Some(v) => complete &= c.finite(&format!("{p}.{f}"), v),
        }
    }
    for f in d.written() {
        if !needs.contains(&f) && !may.contains(&f) {
            c.push(
                format!("{p}.{f}"),
                format!(
                    "a {kind} distribution takes {}; {f} is not one of them",
                    needs
                        .iter()
                        .chain(may)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            complete = false;
        }
    }
    if !complete {
        return;
    }
    let v = |f: &str| d.field(f).unwrap_or(f64::NAN);
    match d.distribution {
        DrawKind::Uniform if v("low") > v("high") => {
            c.push(format!("{p}.high"), "expected high ≥ low");
            return;
        }
        DrawKind::Triangular if !(v("low") <= v("mode") && v("mode") <= v("high")) => {
            c.push(format!("{p}.mode"), "expected low ≤ mode ≤ high");
            return;
        }
        DrawKind::Lognormal => {
            c.positive(&format!("{p}.median"), v("median"));
            c.non_negative(&format!("{p}.sigma"), v("sigma"));
            if let Some(m) = d.max {
                c.positive(&format!("{p}.max"), m);
            }
        }
        _ => {}
    }
    let (a, b) = d.bounds();
    if a < lo || b > hi {
        let field = if d.distribution == DrawKind::Lognormal {
            "max"
        } else {
            d.written().last().unwrap_or("value")
        };
        let hint = if b.is_infinite() {
            " (a lognormal draw is unbounded: give max)"
        } else {
            ""
        };
        c.push(
            format!("{p}.{field}"),
            format!("draws must lie from {lo} to {hi}, but can reach {a} to {b}{hint}"),
        );
    }
}

/// The persons that wildcard surges add on average to `persons` arriving
/// over the horizon (for the size check; 0 where the settings are invalid,
/// which is reported above).
pub(super) fn expected_surge_persons(s: &Scenario, persons: f64) -> f64 {
    let horizon = f64::from(s.horizon_weeks);
    let per_week = persons / horizon;
    let mut extra = 0.0;
    for w in &s.wildcards {
        if w.kind != WildcardKind::ArrivalSurge {
            continue;
        }
        let per_year = w.rate_per_year.or(w.probability_per_year).unwrap_or(0.0);
        let events = per_year * horizon / 52.0;
        let excess = (w.size.mean() - 1.0).max(0.0);
        let weeks = w.duration_weeks.mean().clamp(1.0, horizon);
        let add = events * excess * weeks * per_week;
        if add.is_finite() {
            extra += add;
        }
    }
    extra
}
