//! Checks on a deserialised scenario: every problem is collected, each with
//! the path of the field to fix. Runs before any simulation, so nothing is
//! allocated for a run that would fail.

use std::collections::HashSet;

use super::types::*;

mod adaptation;
mod named_drivers;
mod wildcards;
pub use adaptation::{MAX_ACTIONS, MAX_RULES};
pub use named_drivers::{MAX_DRIVERS, MAX_ELASTICITY};
pub use wildcards::{MAX_RATE_PER_YEAR, MAX_SURGE_MULTIPLIER, MAX_WILDCARDS};
mod life;

/// Longest horizon accepted: 100 years of weeks.
pub const MAX_HORIZON_WEEKS: u32 = 5_200;
/// Most persons one replication may create (arrivals, initial backlog,
/// sponsored persons, and a bound on their families and births). Every person is an entity at every scale (`scale`
/// thins only the agents), and about 1 KiB per person at most keeps a
/// replication well inside a laptop's memory.
pub const MAX_PERSONS: f64 = 20_000_000.0;
/// Most replications one run may ask for.
pub const MAX_REPLICATIONS: u32 = 1_000_000;
/// Most regions.
pub const MAX_REGIONS: usize = 1_000;
/// Most origin groups.
pub const MAX_ORIGIN_GROUPS: usize = 200;
/// Longest name of a scenario or experiment, bytes: it names the output folder.
pub const MAX_NAME_BYTES: usize = 200;
/// Tolerance for shares that must sum to 1.
pub const SHARE_TOLERANCE: f64 = 1e-6;
/// Longest start week, duration or delay any setting may give: far beyond
/// any horizon, and small enough that adding it to a week number cannot
/// overflow during a run.
pub const MAX_WEEKS_SETTING: u32 = 1_000_000;
/// Most places a region may have in reception or in one service (10^9, more
/// than the population of any country): with the largest adaptive orders
/// added, a region's capacity still fits in a 32-bit count.
pub const MAX_PLACES: u32 = 1_000_000_000;
/// Most places one adaptive-capacity order may add.
pub const MAX_STEP: u32 = 100_000_000;
/// Most adaptive-capacity rules (there are seven targets).
pub const MAX_ADAPTIVE_RULES: usize = 20;
/// Most surges, and most labour-market shocks: every week of a run (and the
/// size check below, for every week of the horizon) goes through all of them.
pub const MAX_EVENTS: usize = 1_000;

/// A problem with the path of the field it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub path: String,
    pub message: String,
}

struct Checker {
    issues: Vec<Issue>,
}

impl Checker {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            path: path.into(),
            message: message.into(),
        });
    }

    fn finite(&mut self, path: &str, v: f64) -> bool {
        if v.is_finite() {
            true
        } else {
            self.push(path, format!("expected a finite number, found {v}"));
            false
        }
    }

    fn non_negative(&mut self, path: &str, v: f64) {
        if self.finite(path, v) && v < 0.0 {
            self.push(path, format!("expected a number ≥ 0, found {v}"));
        }
    }

    fn positive(&mut self, path: &str, v: f64) {
        if self.finite(path, v) && v <= 0.0 {
            self.push(path, format!("expected a number > 0, found {v}"));
        }
    }

    fn probability(&mut self, path: &str, v: f64) {
        if self.finite(path, v) && !(0.0..=1.0).contains(&v) {
            self.push(
                path,
                format!("expected a probability or share between 0 and 1, found {v}"),
            );
        }
    }

    fn range(&mut self, path: &str, v: f64, lo: f64, hi: f64) {
        if self.finite(path, v) && !(lo..=hi).contains(&v) {
            self.push(
                path,
                format!("expected a number from {lo} to {hi}, found {v}"),
            );
        }
    }

    /// A schedule: steps from week 0 in increasing weeks, each value
    /// checked by `value` (a plain number is checked at `path` itself).
    fn schedule(&mut self, path: &str, s: &Schedule, value: fn(&mut Checker, &str, f64)) {
        if s.is_constant() {
            return value(self, path, s.at(0));
        }
        let steps = s.steps();
        if steps[0].from_week != 0 {
            self.push(
                format!("{path}[0].from_week"),
                format!(
                    "the first step must start at from_week 0, found {}",
                    steps[0].from_week
                ),
            );
        }
        for (i, w) in steps.windows(2).enumerate() {
            if w[1].from_week <= w[0].from_week {
                self.push(
                    format!("{path}[{}].from_week", i + 1),
                    format!(
                        "steps must start in increasing weeks: {} does not come after {}",
                        w[1].from_week, w[0].from_week
                    ),
                );
            }
        }
        for (i, step) in steps.iter().enumerate() {
            value(self, &format!("{path}[{i}].value"), step.value);
        }
    }

    fn sums_to_one(&mut self, path: &str, what: &str, values: &[f64]) {
        if values.iter().any(|v| !v.is_finite()) {
            return; // reported per value
        }
        let sum: f64 = values.iter().sum();
        if (sum - 1.0).abs() > SHARE_TOLERANCE {
            self.push(
                path,
                format!("{what} must sum to 1 (within {SHARE_TOLERANCE:e}), but they sum to {sum}"),
            );
        }
    }

    fn weeks(&mut self, path: &str, v: u32) {
        if v > MAX_WEEKS_SETTING {
            self.push(
                path,
                format!("{v} weeks is beyond the limit of {MAX_WEEKS_SETTING} weeks"),
            );
        }
    }

    fn places(&mut self, path: &str, v: u32, limit: u32) {
        if v > limit {
            self.push(
                path,
                format!("{v} places is beyond the limit of {limit} places"),
            );
        }
    }

    fn at_most(&mut self, path: &str, what: &str, n: usize, limit: usize) {
        if n > limit {
            self.push(path, format!("{n} {what} is beyond the limit of {limit}"));
        }
    }

    fn tiers(&mut self, path: &str, t: &TierRates, check: fn(&mut Checker, &str, f64)) {
        check(self, &format!("{path}.low"), t.low);
        check(self, &format!("{path}.mid"), t.mid);
        check(self, &format!("{path}.high"), t.high);
    }
}

/// Check a scenario; an empty list means it is valid.
pub fn validate(s: &Scenario) -> Vec<Issue> {
    let mut c = Checker { issues: Vec::new() };
    if s.name.trim().is_empty() {
        c.push("name", "expected a non-empty name");
    } else if s.name.contains(['/', '\\']) || s.name.starts_with('.') {
        c.push(
            "name",
            "the name is used as a folder name: no '/', '\\' or leading '.'",
        );
    } else if s.name.len() > MAX_NAME_BYTES {
        // File systems refuse folder names beyond 255 bytes.
        c.push(
            "name",
            format!(
                "the name is used as a folder name: at most {MAX_NAME_BYTES} bytes, found {}",
                s.name.len()
            ),
        );
    }
    if s.horizon_weeks == 0 {
        c.push("horizon_weeks", "expected at least 1 week, found 0");
    } else if s.horizon_weeks > MAX_HORIZON_WEEKS {
        c.push(
            "horizon_weeks",
            format!(
                "{} weeks is beyond the limit of {MAX_HORIZON_WEEKS} weeks (100 years)",
                s.horizon_weeks
            ),
        );
    }
    if s.scale == 0 {
        c.push("scale", "expected at least 1 person per agent, found 0");
    }
    if s.replications == 0 {
        c.push("replications", "expected at least 1 replication, found 0");
    } else if s.replications > MAX_REPLICATIONS {
        c.push(
            "replications",
            format!(
                "{} replications is beyond the limit of {MAX_REPLICATIONS}",
                s.replications
            ),
        );
    }

    let region_names = check_regions(&mut c, s);
    check_arrivals(&mut c, s);
    check_asylum(&mut c, &s.asylum);
    check_housing(&mut c, &s.housing);
    check_legal_status(&mut c, &s.legal_status);
    check_feedback(&mut c, &s.feedback);
    check_services(&mut c, &s.services);
    check_integration(&mut c, &s.integration);
    check_labour(&mut c, &s.labour_market);
    check_attitudes(&mut c, &s.attitudes);
    c.probability(
        "secondary_movement.rate_per_week",
        s.secondary_movement.rate_per_week,
    );
    c.range(
        "secondary_movement.job_pull",
        s.secondary_movement.job_pull,
        0.0,
        10.0,
    );
    c.range(
        "secondary_movement.network_pull",
        s.secondary_movement.network_pull,
        0.0,
        1000.0,
    );
    check_accounts(&mut c, &s.accounts);
    check_policy(&mut c, s, &region_names);
    wildcards::check_wildcards(&mut c, s, &region_names);
    named_drivers::check_drivers(&mut c, s);
    adaptation::check_adaptation(&mut c, s, &region_names);
    life::check(&mut c, s);
    check_size(&mut c, s);
    c.issues
}

fn check_regions(c: &mut Checker, s: &Scenario) -> HashSet<String> {
    let mut names = HashSet::new();
    if s.regions.is_empty() {
        c.push("regions", "expected at least one region");
    }
    if s.regions.len() > MAX_REGIONS {
        c.push(
            "regions",
            format!(
                "{} regions is beyond the limit of {MAX_REGIONS}",
                s.regions.len()
            ),
        );
    }
    for (i, r) in s.regions.iter().enumerate() {
        let p = format!("regions[{i}]");
        if r.name.trim().is_empty() {
            c.push(format!("{p}.name"), "expected a non-empty region name");
        } else if !names.insert(r.name.clone()) {
            c.push(
                format!("{p}.name"),
                format!("duplicate region name '{}'; names must be unique", r.name),
            );
        }
        if r.population == 0 {
            c.push(format!("{p}.population"), "expected a population > 0");
        } else if r.population > 10_000_000_000 {
            c.push(
                format!("{p}.population"),
                format!("{} is beyond the limit of 10^10 persons", r.population),
            );
        }
        c.places(
            &format!("{p}.reception_places"),
            r.reception_places,
            MAX_PLACES,
        );
        let sv = &r.services;
        for (name, cap) in [
            ("language", &sv.language),
            ("coaching", &sv.coaching),
            ("credential_recognition", &sv.credential_recognition),
            ("interpretation", &sv.interpretation),
            ("health_registration", &sv.health_registration),
            ("mental_health", &sv.mental_health),
        ] {
            c.places(&format!("{p}.services.{name}.seats"), cap.seats, MAX_PLACES);
        }
        c.non_negative(&format!("{p}.dispersal_weight"), r.dispersal_weight);
        c.non_negative(
            &format!("{p}.housing.small_units_per_week"),
            r.housing.small_units_per_week,
        );
        c.non_negative(
            &format!("{p}.housing.medium_units_per_week"),
            r.housing.medium_units_per_week,
        );
        c.non_negative(
            &format!("{p}.housing.large_units_per_week"),
            r.housing.large_units_per_week,
        );
        for (size, units) in ["small", "medium", "large"]
            .iter()
            .zip(r.housing.stock.as_array())
        {
            c.non_negative(&format!("{p}.housing.stock.{size}"), units);
        }
        c.non_negative(&format!("{p}.jobs.low"), r.jobs.low);
        c.non_negative(&format!("{p}.jobs.mid"), r.jobs.mid);
        c.non_negative(&format!("{p}.jobs.high"), r.jobs.high);
        c.probability(&format!("{p}.attitude"), r.attitude);
    }
    if s.policy.dispersal.rule == DispersalRule::QuotaKey && !s.regions.is_empty() {
        let weights: Vec<f64> = s.regions.iter().map(|r| r.dispersal_weight).collect();
        c.sums_to_one(
            "regions",
            "under the quota_key rule the regions' dispersal_weight values",
            &weights,
        );
    }
    names
}

fn check_arrivals(c: &mut Checker, s: &Scenario) {
    let a = &s.arrivals;
    c.schedule(
        "arrivals.weekly_rate",
        &a.weekly_rate,
        Checker::non_negative,
    );
    if c.finite("arrivals.annual_trend", a.annual_trend) && a.annual_trend <= -1.0 {
        c.push(
            "arrivals.annual_trend",
            "expected a growth rate above -1 (-100%)",
        );
    }
    c.probability("arrivals.seasonality.amplitude", a.seasonality.amplitude);
    if a.seasonality.peak_week > 51 {
        c.push(
            "arrivals.seasonality.peak_week",
            format!(
                "expected a week of the year from 0 to 51, found {}",
                a.seasonality.peak_week
            ),
        );
    }
    let ch = &a.channels;
    c.probability("arrivals.channels.asylum", ch.asylum);
    c.probability("arrivals.channels.resettlement", ch.resettlement);
    c.probability("arrivals.channels.family", ch.family);
    c.probability("arrivals.channels.labour", ch.labour);
    c.sums_to_one("arrivals.channels", "channel shares", &ch.as_array());

    let mut names = HashSet::new();
    if a.origin_groups.is_empty() {
        c.push(
            "arrivals.origin_groups",
            "expected at least one origin group",
        );
    }
    if a.origin_groups.len() > MAX_ORIGIN_GROUPS {
        c.push(
            "arrivals.origin_groups",
            format!(
                "{} groups is beyond the limit of {MAX_ORIGIN_GROUPS}",
                a.origin_groups.len()
            ),
        );
    }
    for (i, g) in a.origin_groups.iter().enumerate() {
        let p = format!("arrivals.origin_groups[{i}]");
        if g.name.trim().is_empty() {
            c.push(format!("{p}.name"), "expected a non-empty group name");
        } else if !names.insert(g.name.clone()) {
            c.push(
                format!("{p}.name"),
                format!("duplicate origin group name '{}'", g.name),
            );
        }
        c.probability(&format!("{p}.share"), g.share);
        c.probability(&format!("{p}.skills.low"), g.skills.low);
        c.probability(&format!("{p}.skills.mid"), g.skills.mid);
        c.probability(&format!("{p}.skills.high"), g.skills.high);
        c.sums_to_one(&format!("{p}.skills"), "skill shares", &g.skills.as_array());
        c.probability(&format!("{p}.literacy"), g.literacy);
        c.probability(&format!("{p}.initial_language"), g.initial_language);
        c.probability(&format!("{p}.vulnerability"), g.vulnerability);
        c.schedule(
            &format!("{p}.recognition_probability"),
            &g.recognition_probability,
            Checker::probability,
        );
        if g.household_sizes.is_empty() {
            c.push(
                format!("{p}.household_sizes"),
                "expected shares of households of size 1, 2, 3, … (at least one)",
            );
        } else if g.household_sizes.len() > MAX_HOUSEHOLD_SIZE {
            c.push(
                format!("{p}.household_sizes"),
                format!(
                    "{} sizes given; households of at most {MAX_HOUSEHOLD_SIZE} persons are modelled",
                    g.household_sizes.len()
                ),
            );
        } else {
            for (k, v) in g.household_sizes.iter().enumerate() {
                c.probability(&format!("{p}.household_sizes[{k}]"), *v);
            }
            c.sums_to_one(
                &format!("{p}.household_sizes"),
                "household size shares",
                &g.household_sizes,
            );
        }
    }
    if !a.origin_groups.is_empty() {
        let shares: Vec<f64> = a.origin_groups.iter().map(|g| g.share).collect();
        c.sums_to_one("arrivals.origin_groups", "origin group shares", &shares);
    }

    c.at_most("arrivals.surges", "surges", a.surges.len(), MAX_EVENTS);
    for (i, surge) in a.surges.iter().enumerate() {
        let p = format!("arrivals.surges[{i}]");
        c.weeks(&format!("{p}.start_week"), surge.start_week);
        c.weeks(&format!("{p}.length_weeks"), surge.length_weeks);
        c.non_negative(&format!("{p}.peak_multiplier"), surge.peak_multiplier);
        if surge.peak_multiplier.is_finite() && surge.peak_multiplier > 1000.0 {
            c.push(
                format!("{p}.peak_multiplier"),
                format!("{} is beyond the limit of 1000", surge.peak_multiplier),
            );
        }
        if surge.length_weeks == 0 {
            c.push(format!("{p}.length_weeks"), "expected at least 1 week");
        }
        if u64::from(surge.ramp_weeks) * 2 > u64::from(surge.length_weeks) {
            c.push(
                format!("{p}.ramp_weeks"),
                format!(
                    "ramping up and down takes 2 × {} weeks, longer than the surge's {} weeks",
                    surge.ramp_weeks, surge.length_weeks
                ),
            );
        }
        if let Some(mix) = &surge.origin_mix {
            let mut seen = HashSet::new();
            c.at_most(
                &format!("{p}.origin_mix"),
                "groups",
                mix.len(),
                MAX_ORIGIN_GROUPS,
            );
            for (k, m) in mix.iter().enumerate().take(MAX_ORIGIN_GROUPS) {
                let mp = format!("{p}.origin_mix[{k}]");
                if !names.contains(&m.group) {
                    c.push(
                        format!("{mp}.group"),
                        format!(
                            "unknown origin group '{}'; expected one of: {}",
                            m.group,
                            sorted_list(&names)
                        ),
                    );
                } else if !seen.insert(m.group.clone()) {
                    c.push(
                        format!("{mp}.group"),
                        format!("group '{}' listed twice", m.group),
                    );
                }
                c.probability(&format!("{mp}.share"), m.share);
            }
            if mix.is_empty() {
                c.push(
                    format!("{p}.origin_mix"),
                    "expected at least one group, or leave origin_mix out",
                );
            } else {
                let shares: Vec<f64> = mix.iter().map(|m| m.share).collect();
                c.sums_to_one(&format!("{p}.origin_mix"), "surge origin shares", &shares);
            }
        }
    }
}

fn check_asylum(c: &mut Checker, a: &Asylum) {
    c.schedule(
        "asylum.decision_capacity_per_week",
        &a.decision_capacity_per_week,
        Checker::non_negative,
    );
    c.probability(
        "asylum.rejected_departure_rate_per_week",
        a.rejected_departure_rate_per_week,
    );
}

fn check_housing(c: &mut Checker, h: &Housing) {
    c.weeks(
        "housing.overcrowding_after_weeks",
        h.overcrowding_after_weeks,
    );
    if c.finite("housing.annual_supply_trend", h.annual_supply_trend)
        && h.annual_supply_trend <= -1.0
    {
        c.push(
            "housing.annual_supply_trend",
            "expected a growth rate above -1 (-100%)",
        );
    }
    c.probability("housing.annual_turnover", h.annual_turnover);
    c.probability("housing.newcomer_access_share", h.newcomer_access_share);
    c.probability("housing.private_share", h.private_share);
    c.probability("housing.rent_barrier", h.rent_barrier);
    c.range("housing.carry_over_weeks", h.carry_over_weeks, 0.0, 52.0);
    c.probability(
        "housing.homeless_activity_factor",
        h.homeless_activity_factor,
    );
}

fn check_feedback(c: &mut Checker, f: &Feedback) {
    c.probability("feedback.reference_attitude", f.reference_attitude);
    c.non_negative("feedback.volunteer_recruitment", f.volunteer_recruitment);
    c.probability(
        "feedback.volunteer_decay_per_week",
        f.volunteer_decay_per_week,
    );
    c.range(
        "feedback.bridges_job_effect",
        f.bridges_job_effect,
        1.0,
        10.0,
    );
}

fn check_legal_status(c: &mut Checker, l: &LegalStatusRules) {
    c.probability(
        "legal_status.subsidiary_take_up_factor",
        l.subsidiary_take_up_factor,
    );
    c.probability("legal_status.appeal_share", l.appeal_share);
    c.weeks("legal_status.appeal_min_weeks", l.appeal_min_weeks);
    c.non_negative(
        "legal_status.court_capacity_per_week",
        l.court_capacity_per_week,
    );
    c.probability("legal_status.appeal_success", l.appeal_success);
    c.probability("legal_status.tolerated_share", l.tolerated_share);
    c.non_negative(
        "legal_status.removal_capacity_per_week",
        l.removal_capacity_per_week,
    );
}

fn check_services(c: &mut Checker, s: &Services) {
    for (name, svc) in [
        ("language", &s.language),
        ("coaching", &s.coaching),
        ("credential_recognition", &s.credential_recognition),
        ("interpretation", &s.interpretation),
        ("health_registration", &s.health_registration),
        ("mental_health", &s.mental_health),
    ] {
        let p = format!("services.{name}");
        c.probability(&format!("{p}.take_up_per_week"), svc.take_up_per_week);
        if c.finite(&format!("{p}.duration_weeks"), svc.duration_weeks) && svc.duration_weeks < 1.0
        {
            c.push(
                format!("{p}.duration_weeks"),
                format!("expected at least 1 week, found {}", svc.duration_weeks),
            );
        }
        if svc.duration_weeks > f64::from(MAX_HORIZON_WEEKS) {
            c.push(
                format!("{p}.duration_weeks"),
                "longer than the longest horizon",
            );
        }
        c.non_negative(&format!("{p}.cost_per_place_week"), svc.cost_per_place_week);
    }
}

fn check_integration(c: &mut Checker, i: &Integration) {
    c.probability(
        "integration.language_gain_in_course",
        i.language_gain_in_course,
    );
    c.probability("integration.language_gain_at_work", i.language_gain_at_work);
    c.probability(
        "integration.language_gain_everyday",
        i.language_gain_everyday,
    );
    c.probability("integration.illiteracy_factor", i.illiteracy_factor);
    c.probability("integration.trauma_factor", i.trauma_factor);
    c.positive("integration.bonds_saturation", i.bonds_saturation);
    c.probability("integration.bonds_rate", i.bonds_rate);
    c.probability("integration.bridges_gain_at_work", i.bridges_gain_at_work);
    c.probability(
        "integration.bridges_gain_sponsored",
        i.bridges_gain_sponsored,
    );
    c.probability("integration.bridges_gain_mentored", i.bridges_gain_mentored);
    c.probability("integration.links_gain_in_service", i.links_gain_in_service);
}

fn check_labour(c: &mut Checker, l: &LabourMarket) {
    let p = "labour_market";
    c.tiers(
        &format!("{p}.base_job_finding_per_week"),
        &l.base_job_finding_per_week,
        Checker::probability,
    );
    c.tiers(
        &format!("{p}.job_loss_per_week"),
        &l.job_loss_per_week,
        Checker::probability,
    );
    c.tiers(
        &format!("{p}.vacancy_rate_per_week"),
        &l.vacancy_rate_per_week,
        Checker::probability,
    );
    c.tiers(
        &format!("{p}.automation_annual_rate"),
        &l.automation_annual_rate,
        Checker::probability,
    );
    c.probability(
        &format!("{p}.newcomer_vacancy_share"),
        l.newcomer_vacancy_share,
    );
    if c.finite(&format!("{p}.language_needed"), l.language_needed)
        && !(l.language_needed > 0.0 && l.language_needed <= 1.0)
    {
        c.push(
            format!("{p}.language_needed"),
            format!(
                "expected a level above 0 and at most 1, found {}",
                l.language_needed
            ),
        );
    }
    c.probability(&format!("{p}.language_floor"), l.language_floor);
    c.range(&format!("{p}.network_effect"), l.network_effect, 0.0, 100.0);
    c.probability(&format!("{p}.attitude_effect"), l.attitude_effect);
    c.probability(
        &format!("{p}.tier_language_threshold"),
        l.tier_language_threshold,
    );
    c.at_most(&format!("{p}.shocks"), "shocks", l.shocks.len(), MAX_EVENTS);
    for (i, s) in l.shocks.iter().enumerate() {
        let sp = format!("{p}.shocks[{i}]");
        c.weeks(&format!("{sp}.start_week"), s.start_week);
        c.weeks(&format!("{sp}.length_weeks"), s.length_weeks);
        c.tiers(
            &format!("{sp}.job_loss_share"),
            &s.job_loss_share,
            Checker::probability,
        );
        c.range(
            &format!("{sp}.hiring_multiplier"),
            s.hiring_multiplier,
            0.0,
            100.0,
        );
        if s.length_weeks == 0 {
            c.push(format!("{sp}.length_weeks"), "expected at least 1 week");
        }
    }
}

fn check_attitudes(c: &mut Checker, a: &Attitudes) {
    c.non_negative("attitudes.overload_sensitivity", a.overload_sensitivity);
    c.non_negative("attitudes.arrivals_sensitivity", a.arrivals_sensitivity);
    c.non_negative("attitudes.contact_gain", a.contact_gain);
    c.non_negative("attitudes.bridges_contact_gain", a.bridges_contact_gain);
    c.probability("attitudes.reversion_rate", a.reversion_rate);
}

fn check_accounts(c: &mut Checker, a: &Accounts) {
    c.range(
        "accounts.discount_rate_annual",
        a.discount_rate_annual,
        -0.5,
        1.0,
    );
    c.non_negative(
        "accounts.reception_cost_per_person_week",
        a.reception_cost_per_person_week,
    );
    c.non_negative(
        "accounts.emergency_cost_per_person_week",
        a.emergency_cost_per_person_week,
    );
    c.non_negative(
        "accounts.homeless_cost_per_person_week",
        a.homeless_cost_per_person_week,
    );
    let e = &a.earnings;
    c.tiers(
        "accounts.earnings.per_week",
        &e.per_week,
        Checker::non_negative,
    );
    c.range(
        "accounts.earnings.growth_per_year",
        e.growth_per_year,
        -0.5,
        1.0,
    );
    if e.growth_years > 60 {
        c.push(
            "accounts.earnings.growth_years",
            format!(
                "expected at most 60 years of earnings growth, found {}",
                e.growth_years
            ),
        );
    }
    c.tiers(
        "accounts.earnings.income_tax_share",
        &e.income_tax_share,
        Checker::probability,
    );
    c.probability(
        "accounts.earnings.employee_contributions_share",
        e.employee_contributions_share,
    );
    c.probability(
        "accounts.earnings.counted_contributions_share",
        e.counted_contributions_share,
    );
    for (t, tax) in e.income_tax_share.as_array().into_iter().enumerate() {
        if tax + e.employee_contributions_share > 1.0 {
            c.push(
                format!("accounts.earnings.income_tax_share.{}", ["low", "mid", "high"][t]),
                format!(
                    "income tax and the employee's contributions together take more than all earnings ({tax} + {})",
                    e.employee_contributions_share
                ),
            );
        }
    }
    c.probability("accounts.earnings.scar_per_month", e.scar_per_month);
    c.probability("accounts.earnings.scar_max", e.scar_max);
    let b = &a.benefits;
    for (field, value) in [
        ("single_adult_per_month", b.single_adult_per_month),
        ("partner_per_month", b.partner_per_month),
        ("other_adult_per_month", b.other_adult_per_month),
        ("child_under_6_per_month", b.child_under_6_per_month),
        ("child_6_to_13_per_month", b.child_6_to_13_per_month),
        ("child_14_to_17_per_month", b.child_14_to_17_per_month),
        ("child_benefit_per_month", b.child_benefit_per_month),
        ("housing_per_month", b.housing_per_month),
        (
            "housing_per_further_member_month",
            b.housing_per_further_member_month,
        ),
    ] {
        c.non_negative(&format!("accounts.benefits.{field}"), value);
    }
    c.non_negative(
        "accounts.shadow_prices.employment_year",
        a.shadow_prices.employment_year,
    );
    c.non_negative(
        "accounts.shadow_prices.homeless_year",
        a.shadow_prices.homeless_year,
    );
    let p = &a.pensions;
    c.non_negative(
        "accounts.pensions.value_per_point_month",
        p.value_per_point_month,
    );
    c.positive(
        "accounts.pensions.average_earnings_year",
        p.average_earnings_year,
    );
    c.non_negative(
        "accounts.pensions.old_age_minimum_per_month",
        p.old_age_minimum_per_month,
    );
    c.probability("accounts.empty_place_cost_share", a.empty_place_cost_share);
    for (field, value) in [
        (
            "accounts.setup_weeks_per_added_place",
            a.setup_weeks_per_added_place,
        ),
        (
            "accounts.decision_cost_per_person",
            a.decision_cost_per_person,
        ),
        ("accounts.appeal_cost_per_person", a.appeal_cost_per_person),
        (
            "accounts.removal_cost_per_person",
            a.removal_cost_per_person,
        ),
        (
            "accounts.mentoring_cost_per_pair",
            a.mentoring_cost_per_pair,
        ),
        (
            "accounts.sponsorship_cost_per_person",
            a.sponsorship_cost_per_person,
        ),
        (
            "accounts.fast_track_cost_per_case",
            a.fast_track_cost_per_case,
        ),
        (
            "accounts.primary_school_cost_per_pupil_year",
            a.primary_school_cost_per_pupil_year,
        ),
        (
            "accounts.secondary_school_cost_per_pupil_year",
            a.secondary_school_cost_per_pupil_year,
        ),
    ] {
        c.non_negative(field, value);
    }
    c.range("accounts.terminal_years", a.terminal_years, 0.0, 100.0);
    let p = &a.programme_cost_per_year;
    for (field, value) in [
        (
            "accounts.programme_cost_per_year.intensive_coaching",
            p.intensive_coaching,
        ),
        ("accounts.programme_cost_per_year.mentoring", p.mentoring),
        (
            "accounts.programme_cost_per_year.community_sponsorship",
            p.community_sponsorship,
        ),
        ("accounts.programme_cost_per_year.nudges", p.nudges),
        (
            "accounts.programme_cost_per_year.credential_fast_track",
            p.credential_fast_track,
        ),
    ] {
        c.non_negative(field, value);
    }
}

fn check_policy(c: &mut Checker, s: &Scenario, regions: &HashSet<String>) {
    let p = &s.policy;
    c.weeks("policy.residence_rule_weeks", p.residence_rule_weeks);
    if let Some(w) = p.early_work_access_weeks {
        c.weeks("policy.early_work_access_weeks", w);
    }
    c.weeks("policy.move_on.period_weeks", p.move_on.period_weeks);
    c.weeks(
        "policy.mentoring.duration_weeks",
        p.mentoring.duration_weeks,
    );
    c.range(
        "policy.dispersal.urban_pull",
        p.dispersal.urban_pull,
        0.0,
        1000.0,
    );
    c.range(
        "policy.dispersal.network_pull",
        p.dispersal.network_pull,
        0.0,
        1000.0,
    );
    c.probability(
        "policy.intensive_coaching.coverage",
        p.intensive_coaching.coverage,
    );
    c.range(
        "policy.intensive_coaching.job_finding_multiplier",
        p.intensive_coaching.job_finding_multiplier,
        0.0,
        100.0,
    );
    c.non_negative(
        "policy.mentoring.pairs_per_year",
        p.mentoring.pairs_per_year,
    );
    c.range(
        "policy.mentoring.job_finding_multiplier",
        p.mentoring.job_finding_multiplier,
        0.0,
        100.0,
    );
    if p.mentoring.duration_weeks == 0 && p.mentoring.pairs_per_year > 0.0 {
        c.push(
            "policy.mentoring.duration_weeks",
            "expected at least 1 week",
        );
    }
    c.non_negative(
        "policy.community_sponsorship.households_per_year",
        p.community_sponsorship.households_per_year,
    );
    let sponsored = &p.community_sponsorship.regions;
    // Each unknown name is reported with the list of known ones: bound the
    // list first, so that a runaway list cannot multiply the messages.
    c.at_most(
        "policy.community_sponsorship.regions",
        "regions",
        sponsored.len(),
        MAX_REGIONS,
    );
    for (i, name) in sponsored.iter().enumerate().take(MAX_REGIONS) {
        if !regions.contains(name) {
            c.push(
                format!("policy.community_sponsorship.regions[{i}]"),
                format!(
                    "unknown region '{name}'; expected one of: {}",
                    sorted_list(regions)
                ),
            );
        }
    }
    c.probability("policy.nudges.take_up_uplift", p.nudges.take_up_uplift);
    if c.finite(
        "policy.credential_fast_track.duration_factor",
        p.credential_fast_track.duration_factor,
    ) && !(p.credential_fast_track.duration_factor > 0.0
        && p.credential_fast_track.duration_factor <= 1.0)
    {
        c.push(
            "policy.credential_fast_track.duration_factor",
            format!(
                "expected a factor above 0 and at most 1, found {}",
                p.credential_fast_track.duration_factor
            ),
        );
    }
    c.at_most(
        "policy.adaptive_capacity",
        "adaptive-capacity rules",
        p.adaptive_capacity.len(),
        MAX_ADAPTIVE_RULES,
    );
    for (i, a) in p.adaptive_capacity.iter().enumerate() {
        let ap = format!("policy.adaptive_capacity[{i}]");
        c.non_negative(&format!("{ap}.trigger"), a.trigger);
        if a.step == 0 {
            c.push(format!("{ap}.step"), "expected at least 1 place per order");
        }
        c.places(&format!("{ap}.step"), a.step, MAX_STEP);
        c.weeks(&format!("{ap}.lead_time_weeks"), a.lead_time_weeks);
    }
}

/// Refuse runs whose size would exhaust memory, before anything is allocated.
fn check_size(c: &mut Checker, s: &Scenario) {
    if s.scale == 0 || s.horizon_weeks == 0 || s.horizon_weeks > MAX_HORIZON_WEEKS {
        return;
    }
    let a = &s.arrivals;
    if a.weekly_rate.steps().iter().any(|s| !s.value.is_finite())
        || a.surges.len() > MAX_EVENTS
        || a.surges.iter().any(|x| {
            !x.peak_multiplier.is_finite()
                || x.start_week > MAX_WEEKS_SETTING
                || x.length_weeks > MAX_WEEKS_SETTING
        })
    {
        return; // reported above; the estimate needs sane surges
    }
    let mut persons = s.asylum.initial_backlog as f64;
    persons += s.policy.community_sponsorship.households_per_year.max(0.0)
        * 6.0
        * f64::from(s.horizon_weeks)
        / 52.0;
    if a.annual_trend.is_finite() && a.annual_trend > -1.0 {
        for week in 0..s.horizon_weeks {
            persons += crate::model::arrivals::expected_rate(a, week)
                * named_drivers::arrivals_multiplier(s, week);
        }
    }
    persons += wildcards::expected_surge_persons(s, persons);
    // Births and families joining add persons (a bound, `life::growth_bound`).
    let persons = persons * life::growth_bound(s);
    if persons > MAX_PERSONS {
        c.push(
            "arrivals.weekly_rate",
            format!(
                "this scenario would create about {persons:.3e} persons, beyond the limit of \
                 {MAX_PERSONS:.0e} per replication (every person is simulated at every `scale`); \
                 shorten `horizon_weeks` or lower the arrivals"
            ),
        );
    }
}

fn sorted_list(names: &HashSet<String>) -> String {
    let mut v: Vec<&str> = names.iter().map(String::as_str).collect();
    v.sort_unstable();
    v.join(", ")
}
