//! The accounts' identities (`docs/model.md` 3.12): the cost categories sum
//! to the cost in every week and region, undiscounted totals are the sums of
//! the weekly flows, a zero discount rate leaves the balance undiscounted,
//! every category is reached by the lever that pays it, an empty place
//! costs its share, and a lever with no effect and a positive price changes
//! the discounted balance by exactly minus its discounted price.

use foresight::model::components::Service;
use foresight::model::indicators::{self as ind, service_indicator};
use foresight::model::{ReplicationKey, ReplicationResult, Series, run_replication};
use foresight::scenario::{Scenario, parse_str};

/// Two regions with every lever switched on and an adaptive capacity that
/// fires; `policy` and `accounts` are YAML blocks appended at the top level.
fn scenario(policy: &str, accounts: &str) -> Scenario {
    let yaml = format!(
        r#"
name: accounts
horizon_weeks: 156
seed: 11
regions:
  - {{name: North, population: 800000, urban: true, reception_places: 400, jobs: {{low: 60000, mid: 50000, high: 20000}},
     housing: {{small_units_per_week: 2, medium_units_per_week: 3, large_units_per_week: 1}},
     services: {{language: {{seats: 40}}, coaching: {{seats: 30}}, credential_recognition: {{seats: 20}}}},
     schools: {{primary_places: 30, secondary_places: 20}}}}
  - {{name: South, population: 400000, reception_places: 150, jobs: {{low: 40000, mid: 20000, high: 5000}},
     housing: {{small_units_per_week: 1, medium_units_per_week: 2, large_units_per_week: 0.5}},
     services: {{language: {{seats: 20}}, coaching: {{seats: 10}}, credential_recognition: {{seats: 10}}}},
     schools: {{primary_places: 15, secondary_places: 10}}}}
arrivals:
  weekly_rate: 40
  origin_groups:
    - {{name: a, share: 1, skills: {{low: 0.4, mid: 0.4, high: 0.2}}, household_sizes: [0.4, 0.2, 0.2, 0.2], recognition_probability: 0.7}}
{policy}
{accounts}
"#
    );
    parse_str(&yaml, "accounts.yaml")
        .unwrap_or_else(|d| panic!("test scenario invalid:\n{d}\n{yaml}"))
}

const ALL_LEVERS: &str = r#"
policy:
  intensive_coaching: {coverage: 0.5}
  mentoring: {pairs_per_year: 200}
  community_sponsorship: {households_per_year: 30}
  nudges: {enabled: true}
  credential_fast_track: {enabled: true}
  adaptive_capacity:
    - {target: language, trigger: 5, step: 10, lead_time_weeks: 4, max_added: 40}
    - {target: reception, trigger: 5, step: 50, lead_time_weeks: 8, max_added: 200}
"#;

fn run(s: &Scenario) -> ReplicationResult {
    run_replication(s, ReplicationKey::new(s.seed, 0))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn weeks(s: &Series) -> usize {
    s.weeks
}

#[test]
fn cost_categories_sum_to_the_cost_in_every_week_and_region() {
    let r = run(&scenario(ALL_LEVERS, ""));
    let s = &r.series;
    for w in 0..weeks(s) {
        for slot in 0..=s.national() {
            let sum: f64 = ind::COST_CATEGORIES
                .iter()
                .map(|&k| s.get(w, slot, k))
                .sum();
            let cost = s.get(w, slot, ind::COST);
            assert!(
                close(sum, cost),
                "week {w} slot {slot}: {sum} against {cost}"
            );
            assert!(
                close(
                    s.get(w, slot, ind::BALANCE),
                    s.get(w, slot, ind::CONTRIBUTIONS) - cost
                ),
                "week {w} slot {slot}: balance"
            );
        }
        // The national value of each category is the regions' sum.
        for &k in ind::COST_CATEGORIES
            .iter()
            .chain([ind::COST, ind::CONTRIBUTIONS].iter())
        {
            let regions: f64 = (0..s.national()).map(|slot| s.get(w, slot, k)).sum();
            assert!(
                close(regions, s.get(w, s.national(), k)),
                "week {w} indicator {k}"
            );
        }
    }
}

#[test]
fn every_cost_category_is_paid_when_its_levers_are_on() {
    let r = run(&scenario(ALL_LEVERS, ""));
    let s = &r.series;
    for &k in &ind::COST_CATEGORIES {
        let total: f64 = (0..weeks(s)).map(|w| s.get(w, s.national(), k)).sum();
        assert!(total > 0.0, "{} is never paid", ind::names(156)[k]);
    }
}

#[test]
fn undiscounted_totals_are_the_sums_of_the_weekly_flows() {
    let r = run(&scenario(ALL_LEVERS, ""));
    let s = &r.series;
    let sum = |k: usize| {
        (0..weeks(s))
            .map(|w| s.get(w, s.national(), k))
            .sum::<f64>()
    };
    assert!(close(
        r.headline_value("total_cost").unwrap(),
        sum(ind::COST)
    ));
    assert!(close(
        r.headline_value("total_contributions").unwrap(),
        sum(ind::CONTRIBUTIONS)
    ));
}

#[test]
fn with_a_zero_discount_rate_the_discounted_balance_is_the_undiscounted_one() {
    let r = run(&scenario(ALL_LEVERS, "accounts: {discount_rate_annual: 0}"));
    let s = &r.series;
    let mut running = 0.0;
    for w in 0..weeks(s) {
        running += s.get(w, s.national(), ind::BALANCE);
        let cumulative = s.get(w, s.national(), ind::CUMULATIVE_DISCOUNTED_BALANCE);
        assert!(
            close(running, cumulative),
            "week {w}: {running} against {cumulative}"
        );
    }
    // And with a positive rate it is not: the check above could fail.
    let d = run(&scenario(ALL_LEVERS, ""));
    let last = weeks(s) - 1;
    assert_ne!(
        d.series
            .get(last, s.national(), ind::CUMULATIVE_DISCOUNTED_BALANCE),
        running
    );
}

#[test]
fn an_empty_place_costs_its_share_of_an_occupied_one() {
    let price = |share: f64| {
        run(&scenario(
            ALL_LEVERS,
            &format!("accounts: {{empty_place_cost_share: {share}}}"),
        ))
    };
    let (none, half) = (price(0.0), price(0.5));
    let (a, b) = (&none.series, &half.series);
    let mut empty_weeks = 0;
    for w in 0..weeks(a) {
        for slot in 0..a.national() {
            let empty_reception = (b.get(w, slot, ind::RECEPTION_CAPACITY)
                - b.get(w, slot, ind::RECEPTION_OCCUPANCY))
            .max(0.0);
            let expected = 0.5 * 250.0 * empty_reception;
            let got =
                b.get(w, slot, ind::COST_ACCOMMODATION) - a.get(w, slot, ind::COST_ACCOMMODATION);
            assert!(
                close(got, expected),
                "week {w} region {slot}: {got} against {expected}"
            );
            let mut expected = 0.0;
            for sv in Service::ALL {
                let seats = b.get(w, slot, service_indicator(sv, ind::SEATS));
                let used = b.get(w, slot, service_indicator(sv, ind::IN_SERVICE));
                let price = [120.0, 150.0, 80.0, 60.0, 40.0, 200.0][sv as usize];
                expected += 0.5 * price * (seats - used).max(0.0);
            }
            let got = b.get(w, slot, ind::COST_SERVICES) - a.get(w, slot, ind::COST_SERVICES);
            assert!(
                close(got, expected),
                "week {w} region {slot}: services {got} against {expected}"
            );
            let mut expected = 0.0;
            for (level, per_year) in [8400.0, 10900.0].into_iter().enumerate() {
                let empty = b.get(w, slot, ind::SCHOOL_PLACES + level)
                    - b.get(w, slot, ind::PUPILS + level);
                expected += 0.5 * per_year / 52.0 * empty.max(0.0);
            }
            let got = b.get(w, slot, ind::COST_SCHOOLS) - a.get(w, slot, ind::COST_SCHOOLS);
            assert!(
                close(got, expected),
                "week {w} region {slot}: schools {got} against {expected}"
            );
            empty_weeks += usize::from(empty_reception > 0.0);
        }
    }
    assert!(empty_weeks > 0, "the test needs empty reception places");
}

#[test]
fn a_school_place_costs_its_price_per_pupil_year_occupied_and_its_share_empty() {
    let r = run(&scenario(
        ALL_LEVERS,
        "accounts: {primary_school_cost_per_pupil_year: 5200, secondary_school_cost_per_pupil_year: 10400}",
    ));
    let s = &r.series;
    let (mut pupil_weeks, mut empty_weeks, mut waiting_weeks) = (0.0, 0.0, 0.0);
    for w in 0..weeks(s) {
        for slot in 0..s.national() {
            let mut expected = 0.0;
            for (level, per_week) in [100.0, 200.0].into_iter().enumerate() {
                let pupils = s.get(w, slot, ind::PUPILS + level);
                let empty = (s.get(w, slot, ind::SCHOOL_PLACES + level) - pupils).max(0.0);
                expected += per_week * (pupils + 0.5 * empty);
                pupil_weeks += pupils;
                empty_weeks += empty;
            }
            let got = s.get(w, slot, ind::COST_SCHOOLS);
            assert!(
                close(got, expected),
                "week {w} region {slot}: {got} against {expected}"
            );
            waiting_weeks += s.get(w, slot, ind::SCHOOL_WAITING);
        }
    }
    // The run must reach occupied and empty places, and children waiting
    // (a child waiting costs nothing here: weeks lost are counted apart).
    assert!(pupil_weeks > 0.0 && empty_weeks > 0.0 && waiting_weeks > 0.0);
}

/// The discounted national balance at the end of a run.
fn npv(r: &ReplicationResult) -> f64 {
    r.headline_value("cumulative_discounted_balance").unwrap()
}

fn discount(week: usize) -> f64 {
    1.035_f64.powf(-(week as f64) / 52.0)
}

#[test]
fn nudges_that_change_nothing_cost_exactly_their_discounted_price() {
    let base = run(&scenario("", ""));
    let lever = run(&scenario(
        "policy: {nudges: {enabled: true, take_up_uplift: 0}}",
        "",
    ));
    // No effect: every indicator but the accounts' is the same.
    let money: Vec<usize> = ind::COST_CATEGORIES
        .iter()
        .copied()
        .chain([ind::COST, ind::BALANCE, ind::CUMULATIVE_DISCOUNTED_BALANCE])
        .collect();
    let (a, b) = (&base.series, &lever.series);
    for w in 0..weeks(a) {
        for k in 0..a.indicators {
            if !money.contains(&k) {
                assert_eq!(
                    a.get(w, a.national(), k).to_bits(),
                    b.get(w, a.national(), k).to_bits(),
                    "week {w} indicator {k}"
                );
            }
        }
    }
    let price: f64 = (0..weeks(a)).map(|w| 250_000.0 / 52.0 * discount(w)).sum();
    let difference = npv(&lever) - npv(&base);
    assert!(price > 0.0);
    assert!(
        (difference + price).abs() <= 1e-6 * price,
        "NPV difference {difference} against minus the discounted price {price}"
    );
}

#[test]
fn a_fast_track_that_is_no_faster_costs_exactly_its_discounted_price() {
    let with = |fast: &str| {
        run(&scenario(
            &format!("policy: {{credential_fast_track: {{{fast}}}}}"),
            "",
        ))
    };
    let base = with("enabled: false");
    let lever = with("enabled: true, duration_factor: 1");
    let (a, b) = (&base.series, &lever.series);
    let started = service_indicator(Service::CredentialRecognition, ind::STARTED);
    let mut price = 0.0;
    let mut cases = 0.0;
    for w in 0..weeks(a) {
        assert_eq!(
            a.get(w, a.national(), ind::EMPLOYED_REFUGEES),
            b.get(w, a.national(), ind::EMPLOYED_REFUGEES)
        );
        let n = b.get(w, b.national(), started);
        cases += n;
        price += (100_000.0 / 52.0 + 550.0 * n) * discount(w);
    }
    assert!(cases > 0.0, "the test needs recognitions to start");
    let difference = npv(&lever) - npv(&base);
    assert!(
        (difference + price).abs() <= 1e-6 * price,
        "NPV difference {difference} against minus the discounted price {price}"
    );
}

#[test]
fn school_years_lost_are_the_weeks_children_wait_for_a_place_over_52() {
    use foresight::analysis::cost_benefit::{BEYOND_FISCAL, YEAR_FIELDS, cell_accounts, years};
    let s = scenario(ALL_LEVERS, "");
    let r = run(&s);
    let accounts = cell_accounts(&r.series, &s);
    let at = years(s.horizon_weeks) * YEAR_FIELDS
        + BEYOND_FISCAL
            .iter()
            .position(|(name, _)| *name == "school_waiting_years")
            .expect("a beyond-fiscal total of school years lost");
    let series = &r.series;
    let waited: f64 = (0..weeks(series))
        .map(|w| series.get(w, series.national(), ind::SCHOOL_WAITING))
        .sum();
    assert!(waited > 0.0, "the test needs children waiting for school");
    assert!(close(accounts[at], waited / 52.0));
}

/// A national series summed over the run.
fn total(s: &Series, k: usize) -> f64 {
    (0..weeks(s)).map(|w| s.get(w, s.national(), k)).sum()
}

#[test]
fn contributions_are_the_counted_shares_of_earnings_in_every_week_and_region() {
    // One income tax share for every tier, so that the week's contributions
    // are a known share of the week's earnings whatever the tiers' mix.
    let r = run(&scenario(
        ALL_LEVERS,
        "accounts: {earnings: {income_tax_share: {low: 0.1, mid: 0.1, high: 0.1}, counted_contributions_share: 0.2}}",
    ));
    let s = &r.series;
    for w in 0..weeks(s) {
        for slot in 0..=s.national() {
            let earnings = s.get(w, slot, ind::EARNINGS);
            assert!(
                close(s.get(w, slot, ind::CONTRIBUTIONS), 0.3 * earnings),
                "week {w} slot {slot}"
            );
        }
    }
    assert!(total(s, ind::EARNINGS) > 0.0, "nobody earned anything");
}

#[test]
fn without_earnings_nothing_is_contributed_and_with_higher_earnings_fewer_households_draw_basic_income()
 {
    let base = run(&scenario(ALL_LEVERS, ""));
    let none = run(&scenario(
        ALL_LEVERS,
        "accounts: {earnings: {per_week: {low: 0, mid: 0, high: 0}}}",
    ));
    let rich = run(&scenario(
        ALL_LEVERS,
        "accounts: {earnings: {per_week: {low: 3000, mid: 4000, high: 5000}}}",
    ));
    assert_eq!(total(&none.series, ind::EARNINGS), 0.0);
    assert_eq!(total(&none.series, ind::CONTRIBUTIONS), 0.0);
    // Money does not move people: the same persons work in all three.
    assert_eq!(
        total(&none.series, ind::EMPLOYED_REFUGEES),
        total(&base.series, ind::EMPLOYED_REFUGEES)
    );
    assert_eq!(
        total(&rich.series, ind::EMPLOYED_REFUGEES),
        total(&base.series, ind::EMPLOYED_REFUGEES)
    );
    // The means test: earnings take households off basic income.
    let on = |r: &ReplicationResult| total(&r.series, ind::HOUSEHOLDS_ON_BENEFITS);
    let paid = |r: &ReplicationResult| total(&r.series, ind::COST_BENEFITS);
    assert!(on(&none) > on(&base), "{} vs {}", on(&none), on(&base));
    assert!(on(&base) > on(&rich), "{} vs {}", on(&base), on(&rich));
    assert!(paid(&none) > paid(&base) && paid(&base) > paid(&rich));
}

#[test]
fn scars_of_spells_without_work_lower_earnings_and_nothing_else() {
    let none = run(&scenario(
        ALL_LEVERS,
        "accounts: {earnings: {scar_per_month: 0}}",
    ));
    let deep = run(&scenario(
        ALL_LEVERS,
        "accounts: {earnings: {scar_per_month: 0.05, scar_max: 0.9}}",
    ));
    let (a, b) = (&none.series, &deep.series);
    let mut lower = false;
    for w in 0..weeks(a) {
        let n = a.national();
        assert_eq!(
            a.get(w, n, ind::EMPLOYED_REFUGEES),
            b.get(w, n, ind::EMPLOYED_REFUGEES),
            "week {w}: employment moved"
        );
        let (ea, eb) = (a.get(w, n, ind::EARNINGS), b.get(w, n, ind::EARNINGS));
        assert!(eb <= ea * (1.0 + 1e-12), "week {w}: {eb} above {ea}");
        lower |= eb < ea * (1.0 - 1e-9);
    }
    assert!(lower, "no spell after a job ever ended in a job");
}

#[test]
fn pensions_are_paid_from_points_and_the_minimum_in_old_age() {
    let with = run(&scenario(ALL_LEVERS, ""));
    let without = run(&scenario(
        ALL_LEVERS,
        "accounts: {pensions: {old_age_minimum_per_month: 0, value_per_point_month: 0}}",
    ));
    assert!(total(&with.series, ind::RETIRED) > 0.0, "nobody retired");
    assert!(total(&with.series, ind::COST_PENSIONS) > 0.0);
    assert_eq!(total(&without.series, ind::COST_PENSIONS), 0.0);
}
