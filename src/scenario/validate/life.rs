//! Checks on the life-course parts of a scenario: ages and life stages,
//! age profiles and household types, schools, family reunion and the
//! second generation.

use super::{Checker, MAX_HORIZON_WEEKS, MAX_PLACES, SHARE_TOLERANCE};
use crate::scenario::types::*;

/// Oldest age any age setting may name.
pub const MAX_AGE: u32 = 120;

pub(super) fn check(c: &mut Checker, s: &Scenario) {
    check_demography(c, &s.demography);
    for (i, g) in s.arrivals.origin_groups.iter().enumerate() {
        check_group(c, &format!("arrivals.origin_groups[{i}]"), g);
    }
    for (i, r) in s.regions.iter().enumerate() {
        let p = format!("regions[{i}].schools");
        c.places(
            &format!("{p}.primary_places"),
            r.schools.primary_places,
            MAX_PLACES,
        );
        c.places(
            &format!("{p}.secondary_places"),
            r.schools.secondary_places,
            MAX_PLACES,
        );
    }
    let sc = &s.schools;
    c.probability(
        "schools.language_gain_in_school",
        sc.language_gain_in_school,
    );
    c.probability("schools.bridges_gain_in_school", sc.bridges_gain_in_school);
    c.probability(
        "schools.bridges_gain_school_parent",
        sc.bridges_gain_school_parent,
    );
    c.weeks(
        "policy.school_access.asylum_seeker_wait_weeks",
        s.policy.school_access.asylum_seeker_wait_weeks,
    );
    let fr = &s.policy.family_reunion;
    c.weeks(
        "policy.family_reunion.waiting_period_weeks",
        fr.waiting_period_weeks,
    );
    if c.finite(
        "policy.family_reunion.processing_weeks",
        fr.processing_weeks,
    ) && !(1.0..=f64::from(MAX_HORIZON_WEEKS)).contains(&fr.processing_weeks)
    {
        c.push(
            "policy.family_reunion.processing_weeks",
            format!(
                "expected a mean of 1 to {MAX_HORIZON_WEEKS} weeks, found {}",
                fr.processing_weeks
            ),
        );
    }
    if let Some(cap) = fr.annual_cap {
        c.places("policy.family_reunion.annual_cap", cap, MAX_PLACES);
    }
    c.range(
        "second_generation.parents_work_effect",
        s.second_generation.parents_work_effect,
        0.0,
        100.0,
    );
}

fn age(c: &mut Checker, path: &str, v: u32) {
    if v > MAX_AGE {
        c.push(
            path,
            format!("expected an age from 0 to {MAX_AGE} years, found {v}"),
        );
    }
}

fn check_demography(c: &mut Checker, d: &Demography) {
    let p = "demography";
    for (name, v) in [
        ("adult_age", d.adult_age),
        ("working_age_from", d.working_age_from),
        ("retirement_age", d.retirement_age),
        ("school_start_age", d.school_start_age),
        ("secondary_school_age", d.secondary_school_age),
        ("school_leaving_age", d.school_leaving_age),
        ("fertility_from_age", d.fertility_from_age),
        ("fertility_to_age", d.fertility_to_age),
    ] {
        age(c, &format!("{p}.{name}"), v);
    }
    if d.secondary_school_age < d.school_start_age {
        c.push(
            format!("{p}.secondary_school_age"),
            format!(
                "secondary school cannot start ({}) before primary school ({})",
                d.secondary_school_age, d.school_start_age
            ),
        );
    }
    if d.school_leaving_age < d.secondary_school_age {
        c.push(
            format!("{p}.school_leaving_age"),
            format!(
                "school cannot end ({}) before secondary school starts ({})",
                d.school_leaving_age, d.secondary_school_age
            ),
        );
    }
    if d.fertility_to_age < d.fertility_from_age {
        c.push(
            format!("{p}.fertility_to_age"),
            format!(
                "the childbearing span cannot end ({}) before it starts ({})",
                d.fertility_to_age, d.fertility_from_age
            ),
        );
    }
    c.range(
        &format!("{p}.mortality_multiplier"),
        d.mortality_multiplier,
        0.0,
        100.0,
    );
    c.range(
        &format!("{p}.total_fertility_rate"),
        d.total_fertility_rate,
        0.0,
        15.0,
    );
    c.probability(
        &format!("{p}.leaving_home_rate_per_year"),
        d.leaving_home_rate_per_year,
    );
}

fn check_group(c: &mut Checker, p: &str, g: &OriginGroup) {
    let a = &g.age_profile;
    let bands = a.bands();
    let names = [
        "under_4",
        "from_4_to_17",
        "from_18_to_24",
        "from_25_to_39",
        "from_40_to_64",
        "from_65",
    ];
    for (name, (_, _, share)) in names.iter().zip(bands) {
        c.probability(&format!("{p}.age_profile.{name}"), share);
    }
    let shares: Vec<f64> = bands.iter().map(|b| b.2).collect();
    c.sums_to_one(&format!("{p}.age_profile"), "age shares", &shares);
    if shares.iter().all(|v| v.is_finite()) {
        let children: f64 = shares[..2].iter().sum();
        let adults: f64 = shares[2..].iter().sum();
        let with_children = g.household_sizes.iter().skip(1).any(|&v| v > 0.0);
        if adults <= 0.0 {
            c.push(
                format!("{p}.age_profile"),
                "expected some share from age 18: every household has an adult",
            );
        }
        if children <= 0.0 && with_children {
            c.push(
                format!("{p}.age_profile"),
                "expected some share under 18 (under_4 or from_4_to_17): households of two or more have children, whose ages are drawn from these bands",
            );
        }
    }
    let t = &g.household_types;
    c.probability(
        &format!("{p}.household_types.single_parent"),
        t.single_parent,
    );
    c.probability(&format!("{p}.household_types.extended"), t.extended);
    if t.single_parent.is_finite()
        && t.extended.is_finite()
        && t.single_parent + t.extended > 1.0 + SHARE_TOLERANCE
    {
        c.push(
            format!("{p}.household_types"),
            format!(
                "single_parent and extended are shares of the same households and sum to {}, above 1",
                t.single_parent + t.extended
            ),
        );
    }
    let f = &g.family_abroad;
    c.range(
        &format!("{p}.family_abroad.members_per_adult"),
        f.members_per_adult,
        0.0,
        10.0,
    );
    c.probability(
        &format!("{p}.family_abroad.subsidiary_protection_share"),
        f.subsidiary_protection_share,
    );
}

/// How many persons a run may hold per person who arrives, at most: the
/// arrivals, their family abroad, and every birth over the horizon (a bound
/// for the size check, not an estimate).
pub(super) fn growth_bound(s: &Scenario) -> f64 {
    let abroad = s
        .arrivals
        .origin_groups
        .iter()
        .map(|g| g.family_abroad.members_per_adult)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max)
        .clamp(0.0, 10.0);
    let d = &s.demography;
    let span = f64::from(d.fertility_to_age.saturating_sub(d.fertility_from_age) + 1);
    let tfr = if d.total_fertility_rate.is_finite() {
        d.total_fertility_rate.clamp(0.0, 15.0)
    } else {
        0.0
    };
    let years = f64::from(s.horizon_weeks) / 52.0;
    // Births: at most every person a mother bearing tfr/span a year.
    (1.0 + abroad) * (1.0 + tfr / span * years)
}
