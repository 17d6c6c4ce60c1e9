//! Named drivers: a driver held at 1 changes nothing; a set path moves
//! arrivals by the index to the elasticity (a Poisson test); a drawn path's
//! log varies as configured (a random walk's variance grows as σ² × years,
//! a mean-reverting one settles at the AR(1)'s steady-state variance) and
//! spends the configured share of time in each regime; every policy meets
//! the same path (common random numbers); bad settings are refused at
//! their field.

use foresight::model::indicators as ind;
use foresight::model::named_drivers::driver_path;
use foresight::model::{ReplicationKey, Series, run_replication};
use foresight::scenario::{NamedDriver, Scenario, parse_str};

/// A one-region world of `weeks` weeks, 100 arrivals a week in households
/// of one, from two equal origin groups without family abroad (so that
/// families joining add no arrivals), with `drivers` (a YAML list).
fn world(weeks: u32, drivers: &str) -> Scenario {
    let yaml = format!(
        r#"
name: test
horizon_weeks: {weeks}
seed: 5
regions:
  - name: Only
    population: 1000000
    reception_places: 50000
    jobs: {{low: 100000, mid: 100000, high: 50000}}
    housing: {{small_units_per_week: 20, medium_units_per_week: 20, large_units_per_week: 10}}
    services: {{language: {{seats: 200}}}}
arrivals:
  weekly_rate: 100
  origin_groups:
    - {{name: g, share: 0.5, skills: {{low: 0.4, mid: 0.4, high: 0.2}}, household_sizes: [1], recognition_probability: 1.0, family_abroad: {{members_per_adult: 0}}}}
    - {{name: h, share: 0.5, skills: {{low: 0.4, mid: 0.4, high: 0.2}}, household_sizes: [1], recognition_probability: 1.0, family_abroad: {{members_per_adult: 0}}}}
secondary_movement: {{rate_per_week: 0}}
drivers:
{drivers}
"#
    );
    parse_str(&yaml, "test.yaml").unwrap_or_else(|d| panic!("invalid:\n{d}\n{yaml}"))
}

/// One drawn driver, written as a YAML mapping.
fn driver(yaml: &str) -> NamedDriver {
    world(10, &format!("  - {yaml}")).drivers.remove(0)
}

/// Values compared bit for bit (an undefined value is NaN).
fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn arrivals(s: &Series) -> Vec<f64> {
    (0..s.weeks)
        .map(|w| s.get(w, s.national(), ind::ARRIVALS))
        .collect()
}

/// Total arrivals over `replications` replications.
fn total_arrivals(s: &Scenario, replications: u32) -> f64 {
    (0..replications)
        .map(|r| {
            arrivals(&run_replication(s, ReplicationKey::new(s.seed, r)).series)
                .iter()
                .sum::<f64>()
        })
        .sum()
}

fn mean_and_variance(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

/// z of a sample variance against `expected` for normal data: the sample
/// variance has standard deviation σ² √(2 / (n − 1)).
fn variance_z(var: f64, expected: f64, n: usize) -> f64 {
    (var - expected) / (expected * (2.0 / (n as f64 - 1.0)).sqrt())
}

#[test]
fn drivers_held_at_1_change_nothing() {
    // One of each kind, set or drawn without settings: every index is 1 in
    // every week, so every multiplier is 1^elasticity = 1 and every series
    // is the same, bit for bit, as without drivers.
    let held = world(
        80,
        "  - {name: war, kind: conflict, path: [{week: 0, value: 1}], elasticity: {arrivals: 2}}\n  \
         - {name: heat, kind: climate, origins: [g]}\n  \
         - {name: cycle, kind: economy, path: [{week: 3, value: 1}, {week: 50, value: 1}]}\n  \
         - {name: robots, kind: automation, trend_per_year: 0, regimes: [{level: 1, mean_weeks: 5}, {level: 1, mean_weeks: 3}]}",
    );
    let mut none = held.clone();
    none.drivers.clear();
    for r in 0..2 {
        let key = ReplicationKey::new(5, r);
        let a = run_replication(&held, key.clone());
        let b = run_replication(&none, key);
        assert_eq!(bits(&a.series.values), bits(&b.series.values));
        assert_eq!(bits(&a.headline), bits(&b.headline));
        assert_eq!(a.person_weeks.to_bits(), b.person_weeks.to_bits());
    }
}

#[test]
fn a_set_path_at_2_with_elasticity_1_doubles_arrivals_poisson_test() {
    // Arrivals are Poisson with mean 100 a week; the driver doubles the
    // mean. Over 4 replications of 52 weeks the total is Poisson with mean
    // 20,800 without the driver and 41,600 with it.
    let weeks = 52;
    let doubled = world(
        weeks,
        "  - {name: war, kind: conflict, path: [{week: 0, value: 2}]}",
    );
    let mut none = doubled.clone();
    none.drivers.clear();
    // Elasticity 0.5 at index 4 doubles too.
    let square_root = world(
        weeks,
        "  - {name: war, kind: conflict, path: [{week: 0, value: 4}], elasticity: {arrivals: 0.5}}",
    );
    // Doubling one of two equal groups: (2 + 1) / 2 = 1.5 ×.
    let one_group = world(
        weeks,
        "  - {name: war, kind: conflict, origins: [g], path: [{week: 0, value: 2}]}",
    );
    let base = 100.0 * f64::from(weeks) * 4.0;
    for (s, factor) in [
        (&none, 1.0),
        (&doubled, 2.0),
        (&square_root, 2.0),
        (&one_group, 1.5),
    ] {
        let total = total_arrivals(s, 4);
        let expected = base * factor;
        let z = (total - expected) / expected.sqrt();
        assert!(
            z.abs() < 4.0,
            "{factor} ×: {total} arrivals, expected {expected}: z = {z}"
        );
    }
}

#[test]
fn a_set_path_is_linear_between_its_points_and_flat_outside() {
    let d = driver(
        "{name: war, kind: conflict, path: [{week: 10, value: 2}, {week: 20, value: 4}, {week: 30, value: 1}]}",
    );
    let p = driver_path(&d, 40, &ReplicationKey::new(1, 0));
    assert_eq!(p[0], 2.0);
    assert_eq!(p[10], 2.0);
    assert_eq!(p[15], 3.0);
    assert_eq!(p[20], 4.0);
    assert_eq!(p[25], 2.5);
    assert_eq!(p[30], 1.0);
    assert_eq!(p[39], 1.0);
}

#[test]
fn a_random_walks_log_variance_grows_as_sigma_squared_times_years() {
    // No reversion: the log index after 4 years is normal with mean
    // 4 ln(1 + trend) and variance σ² × 4.
    let (sigma, trend, years) = (0.3f64, 0.05f64, 4u32);
    let d = driver(&format!(
        "{{name: war, kind: conflict, volatility_per_year: {sigma}, trend_per_year: {trend}}}"
    ));
    let week = (52 * years) as usize;
    let n = 2000;
    let logs: Vec<f64> = (0..n)
        .map(|r| {
            let p = driver_path(&d, week as u32 + 1, &ReplicationKey::new(9, r));
            assert_eq!(p[0], 1.0, "a drawn path starts at `start`");
            (p[week] / p[0]).ln()
        })
        .collect();
    let (mean, var) = mean_and_variance(&logs);
    let expected_var = sigma * sigma * f64::from(years);
    let expected_mean = f64::from(years) * (1.0 + trend).ln();
    let z_mean = (mean - expected_mean) / (expected_var / n as f64).sqrt();
    assert!(
        z_mean.abs() < 4.0,
        "mean log {mean}, expected {expected_mean}: z = {z_mean}"
    );
    let z = variance_z(var, expected_var, n as usize);
    assert!(
        z.abs() < 4.0,
        "variance of the log {var}, expected {expected_var}: z = {z}"
    );
}

#[test]
fn a_mean_reverting_paths_log_variance_settles_at_the_ar1_steady_state() {
    // Weekly persistence φ = (1 − reversion)^(1/52), weekly shock sd
    // σ/√52: the stationary variance of the log is (σ²/52) / (1 − φ²).
    // After 20 years φ^(2 × 1040) ≈ 10^-12 of the start is left.
    let (sigma, reversion) = (0.4, 0.5);
    let d = driver(&format!(
        "{{name: war, kind: conflict, volatility_per_year: {sigma}, reversion_per_year: {reversion}}}"
    ));
    let phi = (1.0f64 - reversion).powf(1.0 / 52.0);
    let expected = sigma * sigma / 52.0 / (1.0 - phi * phi);
    let n = 2000;
    let logs: Vec<f64> = (0..n)
        .map(|r| driver_path(&d, 1041, &ReplicationKey::new(9, r))[1040].ln())
        .collect();
    let (mean, var) = mean_and_variance(&logs);
    let z = variance_z(var, expected, n as usize);
    assert!(
        z.abs() < 4.0,
        "variance of the log {var}, expected {expected}: z = {z}"
    );
    let z_mean = mean / (expected / n as f64).sqrt();
    assert!(z_mean.abs() < 4.0, "mean log {mean}: z = {z_mean}");
    // Far below a random walk's σ² × 20 years.
    assert!(var < 0.1 * sigma * sigma * 20.0);
}

#[test]
fn regimes_take_their_share_of_time() {
    // Stays of mean m0 = 30 and m1 = 10 weeks alternate: in the long run
    // the second regime holds m1 / (m0 + m1) = 1/4 of the weeks. Each
    // replication's share over 5,000 weeks after a burn-in of 200 is one
    // observation; their mean is compared with 1/4 by a z-test on their
    // own spread (weeks within a replication are correlated).
    let (m0, m1) = (30.0, 10.0);
    let d = driver(&format!(
        "{{name: cycle, kind: economy, regimes: [{{level: 1, mean_weeks: {m0}}}, {{level: 3, mean_weeks: {m1}}}]}}"
    ));
    let shares: Vec<f64> = (0..200)
        .map(|r| {
            let p = driver_path(&d, 5200, &ReplicationKey::new(3, r));
            assert!(p.iter().all(|x| *x == 1.0 || *x == 3.0), "levels only");
            p[200..].iter().filter(|x| **x == 3.0).count() as f64 / 5000.0
        })
        .collect();
    let (mean, var) = mean_and_variance(&shares);
    let expected = m1 / (m0 + m1);
    let z = (mean - expected) / (var / shares.len() as f64).sqrt();
    assert!(
        z.abs() < 4.0,
        "share in the second regime {mean}, expected {expected}: z = {z}"
    );
    // Mean stays: a stay ends with probability 1/m each week, so the
    // number of stays in the second regime is about 5,000 / (m0 + m1).
    let p = driver_path(&d, 5200, &ReplicationKey::new(3, 0));
    let entries = p.windows(2).filter(|w| w[0] == 1.0 && w[1] == 3.0).count() as f64;
    let expected_entries = 5200.0 / (m0 + m1);
    assert!(
        (entries - expected_entries).abs() < 4.0 * expected_entries.sqrt(),
        "{entries} entries into the second regime, about {expected_entries} expected"
    );
}

#[test]
fn every_policy_meets_the_same_drawn_path() {
    // A volatile conflict driver under two policies that differ in a rule:
    // the arrivals (their own stream, moved only by the driver) are the
    // same week by week, and differ from the world without the driver. The
    // path does not depend on another driver either (its stream is keyed
    // by its name), and differs between replications.
    let war = "  - {name: war, kind: conflict, volatility_per_year: 0.8, regimes: [{level: 1, mean_weeks: 20}, {level: 3, mean_weeks: 10}]}";
    let plain = world(104, war);
    let mut ruled = plain.clone();
    ruled.policy.adaptive_capacity = parse_str(
        "name: x\nhorizon_weeks: 1\nregions: [{name: r, population: 1, reception_places: 1, jobs: {low: 1, mid: 1, high: 1}}]\n\
         arrivals: {weekly_rate: 1, origin_groups: [{name: g, share: 1, skills: {low: 1, mid: 0, high: 0}, household_sizes: [1], recognition_probability: 1}]}\n\
         policy: {adaptive_capacity: [{target: language, trigger: 0, step: 50}]}",
        "rule.yaml",
    )
    .unwrap()
    .policy
    .adaptive_capacity;
    let key = ReplicationKey::new(5, 0);
    let a = run_replication(&plain, key.clone()).series;
    let b = run_replication(&ruled, key.clone()).series;
    let seats = ind::service_indicator(foresight::model::components::Service::Language, ind::SEATS);
    assert!(
        b.get(60, b.national(), seats) > a.get(60, a.national(), seats),
        "the rule acted"
    );
    assert_eq!(arrivals(&a), arrivals(&b));
    let mut none = plain.clone();
    none.drivers.clear();
    assert_ne!(
        arrivals(&a),
        arrivals(&run_replication(&none, key.clone()).series)
    );

    let with_other = world(
        104,
        &format!("  - {{name: cycle, kind: economy, volatility_per_year: 0.3}}\n{war}"),
    );
    let path = |s: &Scenario, k: &ReplicationKey| {
        let d = s.drivers.iter().find(|d| d.name == "war").unwrap();
        driver_path(d, s.horizon_weeks, k)
    };
    assert_eq!(path(&plain, &key), path(&with_other, &key));
    assert_ne!(path(&plain, &key), path(&plain, &ReplicationKey::new(5, 1)));
}

#[test]
fn the_economy_and_automation_move_employment_their_way() {
    // Over two years, a labour market twice as tight (economy at 2) puts
    // more newcomers in work than the scenario's own, and automation at 4
    // (job finding halved in the low tier, job loss doubled) fewer; each
    // compared in the same random futures.
    let weeks = 104;
    let employed = |s: &Scenario, k: usize| -> f64 {
        (0..3)
            .map(|r| {
                let series = run_replication(s, ReplicationKey::new(5, r)).series;
                series.get(weeks - 1, series.national(), k)
            })
            .sum()
    };
    let tight = world(
        weeks as u32,
        "  - {name: cycle, kind: economy, path: [{week: 0, value: 2}]}",
    );
    let automated = world(
        weeks as u32,
        "  - {name: robots, kind: automation, path: [{week: 0, value: 4}]}",
    );
    let mut none = tight.clone();
    none.drivers.clear();
    let base = employed(&none, ind::EMPLOYED_REFUGEES);
    let more = employed(&tight, ind::EMPLOYED_REFUGEES);
    assert!(
        more > 1.05 * base,
        "employed {more} when tight, {base} at the scenario's own"
    );
    let fewer = employed(&automated, ind::EMPLOYED_REFUGEES);
    assert!(
        fewer < 0.95 * base,
        "employed {fewer} with automation, {base} without"
    );
}

fn problems(drivers: &str) -> String {
    let yaml = format!(
        "name: x\nhorizon_weeks: 10\nregions: [{{name: r, population: 1, reception_places: 1, jobs: {{low: 1, mid: 1, high: 1}}}}]\n\
         arrivals: {{weekly_rate: 1, origin_groups: [{{name: g, share: 1, skills: {{low: 1, mid: 0, high: 0}}, household_sizes: [1], recognition_probability: 1}}]}}\n\
         drivers:\n{drivers}\n"
    );
    match parse_str(&yaml, "d.yaml") {
        Ok(_) => panic!("accepted:\n{yaml}"),
        Err(d) => d.to_string(),
    }
}

#[test]
fn bad_drivers_are_refused_at_their_field() {
    let cases: &[(&str, &[&str])] = &[
        (
            "  - {name: w, kind: conflict, path: [{week: 0, value: 2}], volatility_per_year: 0.2}",
            &[
                "drivers[0].volatility_per_year",
                "a driver with a set `path` is not drawn",
            ],
        ),
        (
            "  - {name: w, kind: conflict, path: [{week: 5, value: 2}, {week: 5, value: 3}]}",
            &["drivers[0].path[1].week", "week 5 follows week 5"],
        ),
        (
            "  - {name: w, kind: conflict, path: []}",
            &["drivers[0].path", "at least one point"],
        ),
        (
            "  - {name: w, kind: conflict, path: [{week: 0, value: 0}]}",
            &["drivers[0].path[0].value"],
        ),
        (
            "  - {name: w, kind: economy, regimes: [{level: 2, mean_weeks: 10}]}",
            &["drivers[0].regimes", "at least two regimes"],
        ),
        (
            "  - {name: w, kind: economy, regimes: [{level: 2, mean_weeks: 0.5}, {level: 1, mean_weeks: 10}]}",
            &["drivers[0].regimes[0].mean_weeks"],
        ),
        (
            "  - {name: w, kind: conflict, origins: [Atlantis]}",
            &[
                "drivers[0].origins[0]",
                "unknown origin group 'Atlantis'",
                "g",
            ],
        ),
        (
            "  - {name: w, kind: economy, origins: [g]}",
            &["drivers[0].origins", "acts on the host labour market"],
        ),
        (
            "  - {name: w, kind: climate, elasticity: {job_loss: {low: 1, mid: 1, high: 1}}}",
            &[
                "drivers[0].elasticity.job_loss",
                "moves arrivals, not job_loss",
            ],
        ),
        (
            "  - {name: w, kind: automation, elasticity: {arrivals: 1}}",
            &["drivers[0].elasticity.arrivals", "not arrivals"],
        ),
        (
            "  - {name: w, kind: conflict, elasticity: {arrivals: 9}}",
            &["drivers[0].elasticity.arrivals"],
        ),
        (
            "  - {name: w, kind: conflict, reversion_per_year: 1.5}",
            &["drivers[0].reversion_per_year"],
        ),
        (
            "  - {name: w, kind: conflict}\n  - {name: w, kind: economy}",
            &["drivers[1].name", "already named 'w'"],
        ),
        (
            "  - {name: w, kind: weather}",
            &["drivers[0].kind", "conflict", "automation"],
        ),
    ];
    for (yaml, expected) in cases {
        let p = problems(yaml);
        for e in *expected {
            assert!(
                p.contains(e),
                "expected `{e}` in the message for\n{yaml}\n{p}"
            );
        }
        // The user's words, not the code's.
        assert!(!p.contains("NamedDriver") && !p.contains("f64"), "{p}");
    }
}
