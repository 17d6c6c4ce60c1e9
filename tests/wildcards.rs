//! Wildcards: events happen as often as configured (binomial and Poisson
//! tests over many replications), their sizes and durations follow their
//! distributions (goodness-of-fit tests), every policy meets the same
//! events (common random numbers), each kind moves what it should, and bad
//! settings are refused with the field's path.

use foresight::model::indicators as ind;
use foresight::model::wildcards::{Event, draw_events};
use foresight::model::{ReplicationKey, run_replication};
use foresight::scenario::{Scenario, parse_str};

/// A one-region world of `weeks` weeks with `wildcards` (a YAML list).
fn world(weeks: u32, wildcards: &str) -> Scenario {
    let yaml = format!(
        r#"
name: test
horizon_weeks: {weeks}
seed: 5
regions:
  - name: Only
    population: 1000000
    reception_places: 5000
    jobs: {{low: 100000, mid: 100000, high: 50000}}
    housing: {{small_units_per_week: 20, medium_units_per_week: 20, large_units_per_week: 10}}
    services: {{language: {{seats: 200}}}}
  - name: Other
    population: 3000000
    reception_places: 5000
    jobs: {{low: 100000, mid: 100000, high: 50000}}
arrivals:
  weekly_rate: 100
  origin_groups:
    - {{name: g, share: 0.5, skills: {{low: 0.4, mid: 0.4, high: 0.2}}, household_sizes: [1], recognition_probability: 1.0}}
    - {{name: h, share: 0.5, skills: {{low: 0.4, mid: 0.4, high: 0.2}}, household_sizes: [1], recognition_probability: 1.0}}
secondary_movement: {{rate_per_week: 0}}
wildcards:
{wildcards}
"#
    );
    parse_str(&yaml, "test.yaml").unwrap_or_else(|d| panic!("invalid:\n{d}\n{yaml}"))
}

/// Values compared bit for bit (an undefined value is NaN).
fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn events_of(s: &Scenario, replications: u32) -> Vec<Vec<Event>> {
    (0..replications)
        .map(|r| draw_events(s, &ReplicationKey::new(s.seed, r)))
        .collect()
}

#[test]
fn yearly_event_counts_match_the_probability_binomial_test() {
    let p = 0.3;
    let s = world(
        520,
        &format!(
            "  - {{name: w, kind: labour_shock, probability_per_year: {p}, \
             size: {{distribution: fixed, value: 0.01}}, duration_weeks: {{distribution: fixed, value: 4}}}}"
        ),
    );
    let runs = events_of(&s, 1000);
    let mut events = 0.0;
    for evs in &runs {
        // At most one event a year, and each in its year.
        let mut years: Vec<u32> = evs.iter().map(|e| e.start_week / 52).collect();
        years.dedup();
        assert_eq!(years.len(), evs.len(), "two events in one year: {evs:?}");
        events += evs.len() as f64;
    }
    let trials = 1000.0 * 10.0;
    let z = (events - trials * p) / (trials * p * (1.0 - p)).sqrt();
    assert!(z.abs() < 4.0, "{events} events in {trials} years: z = {z}");
}

#[test]
fn event_counts_match_the_rate_poisson_test() {
    let rate = 2.0;
    let s = world(
        520,
        &format!(
            "  - {{name: w, kind: attitude_shock, rate_per_year: {rate}, first_week: 52, \
             size: {{distribution: fixed, value: -0.01}}, duration_weeks: {{distribution: fixed, value: 1}}}}"
        ),
    );
    let counts: Vec<f64> = events_of(&s, 1000)
        .iter()
        .map(|evs| {
            assert!(evs.iter().all(|e| e.start_week >= 52), "before first_week");
            evs.len() as f64
        })
        .collect();
    let n = counts.len() as f64;
    let expected = rate * 9.0; // nine years from week 52
    let mean = counts.iter().sum::<f64>() / n;
    let z = (mean - expected) / (expected / n).sqrt();
    assert!(
        z.abs() < 4.0,
        "mean {mean} events, expected {expected}: z = {z}"
    );
    // Poisson dispersion test: Σ (x − mean)² / mean is χ² with n − 1
    // degrees of freedom (mean n − 1, sd √(2(n − 1))).
    let d: f64 = counts.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / mean;
    let zd = (d - (n - 1.0)) / (2.0 * (n - 1.0)).sqrt();
    assert!(zd.abs() < 4.0, "dispersion {d} over {n} counts: z = {zd}");
}

/// The Kolmogorov–Smirnov distance between a sample and a distribution
/// function.
fn ks(mut xs: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).abs().max((f - (i + 1) as f64 / n).abs())
        })
        .fold(0.0, f64::max)
}

fn normal_cdf(z: f64) -> f64 {
    // Abramowitz and Stegun 7.1.26 (error below 1.5e-7).
    let t = 1.0 / (1.0 + 0.3275911 * z.abs() / std::f64::consts::SQRT_2);
    let poly = t
        * (0.254829592
            + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    let erf = 1.0 - poly * (-(z * z) / 2.0).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

#[test]
fn sizes_and_durations_fit_their_distributions() {
    let s = world(
        5200,
        "  - {name: tri, kind: labour_shock, rate_per_year: 2, \
         size: {distribution: triangular, low: 0.01, mode: 0.03, high: 0.08}, \
         duration_weeks: {distribution: uniform, low: 2, high: 8}}\n\
         \x20 - {name: logn, kind: arrival_surge, rate_per_year: 2, \
         size: {distribution: lognormal, median: 2.5, sigma: 0.4, max: 50}, \
         duration_weeks: {distribution: fixed, value: 3}}",
    );
    let all: Vec<Event> = events_of(&s, 20).into_iter().flatten().collect();
    let tri: Vec<&Event> = all.iter().filter(|e| e.wildcard == 0).collect();
    let logn: Vec<&Event> = all.iter().filter(|e| e.wildcard == 1).collect();
    assert!(
        tri.len() > 3000 && logn.len() > 3000,
        "{} {}",
        tri.len(),
        logn.len()
    );

    // Triangular sizes: Kolmogorov–Smirnov at the 0.1% level (1.95 / √n).
    let (a, c, b) = (0.01, 0.03, 0.08);
    let tri_cdf = |x: f64| {
        if x <= a {
            0.0
        } else if x <= c {
            (x - a).powi(2) / ((b - a) * (c - a))
        } else if x < b {
            1.0 - (b - x).powi(2) / ((b - a) * (b - c))
        } else {
            1.0
        }
    };
    let n = tri.len() as f64;
    let d = ks(tri.iter().map(|e| e.size).collect(), tri_cdf);
    assert!(d < 1.95 / n.sqrt(), "triangular KS distance {d} (n = {n})");

    // Lognormal sizes (the cap of 50 is 12 standard deviations away).
    let n = logn.len() as f64;
    let d = ks(logn.iter().map(|e| e.size).collect(), |x| {
        normal_cdf((x / 2.5).ln() / 0.4)
    });
    assert!(d < 1.95 / n.sqrt(), "lognormal KS distance {d} (n = {n})");
    assert!(logn.iter().all(|e| e.duration_weeks == 3));

    // Uniform(2, 8) durations rounded to whole weeks: 2 and 8 weeks with
    // probability 1/12, 3–7 weeks 1/6 each. χ² with 6 degrees of freedom
    // below 22.46 (the 0.1% level).
    let mut observed = [0.0; 7];
    for e in &tri {
        observed[(e.duration_weeks - 2) as usize] += 1.0;
    }
    let n = tri.len() as f64;
    let chi2: f64 = observed
        .iter()
        .enumerate()
        .map(|(k, o)| {
            let p = if k == 0 || k == 6 {
                1.0 / 12.0
            } else {
                1.0 / 6.0
            };
            (o - n * p).powi(2) / (n * p)
        })
        .sum();
    assert!(chi2 < 22.46, "durations χ² = {chi2}: {observed:?}");
}

#[test]
fn a_wildcards_events_do_not_depend_on_the_other_wildcards() {
    let surge = "  - {name: s, kind: arrival_surge, rate_per_year: 3, \
                 size: {distribution: uniform, low: 2, high: 3}, duration_weeks: {distribution: fixed, value: 5}}";
    let other = "  - {name: o, kind: attitude_shock, rate_per_year: 5, \
                 size: {distribution: fixed, value: -0.1}, duration_weeks: {distribution: fixed, value: 2}}";
    let alone = world(520, surge);
    let both = world(520, &format!("{other}\n{surge}"));
    for r in 0..20 {
        let key = ReplicationKey::new(5, r);
        let a: Vec<(u32, f64)> = draw_events(&alone, &key)
            .iter()
            .map(|e| (e.start_week, e.size))
            .collect();
        let b: Vec<(u32, f64)> = draw_events(&both, &key)
            .iter()
            .filter(|e| e.wildcard == 1)
            .map(|e| (e.start_week, e.size))
            .collect();
        assert_eq!(a, b);
    }
}

const SURGE: &str = "  - {name: s, kind: arrival_surge, probability_per_year: 1, first_week: 10, \
                     size: {distribution: fixed, value: 4}, duration_weeks: {distribution: fixed, value: 52}}";

#[test]
fn two_policies_that_differ_only_in_a_rule_meet_the_same_events() {
    // The same world with and without an adaptive-capacity rule: the
    // arrivals (drawn on their own stream, moved only by the surge) are the
    // same week by week, and differ from the world without the wildcard.
    let plain = world(104, SURGE);
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
    assert_eq!(draw_events(&plain, &key), draw_events(&ruled, &key));
    let a = run_replication(&plain, key.clone()).series;
    let b = run_replication(&ruled, key.clone()).series;
    let seats = ind::service_indicator(foresight::model::components::Service::Language, ind::SEATS);
    let cap = |s: &foresight::model::Series| s.get(60, s.national(), seats);
    assert!(cap(&b) > cap(&a), "the rule acted");
    let arrivals = |s: &foresight::model::Series| -> Vec<f64> {
        (0..104)
            .map(|w| s.get(w, s.national(), ind::ARRIVALS))
            .collect()
    };
    assert_eq!(arrivals(&a), arrivals(&b));
    let mut none = plain.clone();
    none.wildcards.clear();
    assert_ne!(arrivals(&a), arrivals(&run_replication(&none, key).series));
}

#[test]
fn a_wildcard_that_never_happens_changes_nothing() {
    let never = world(
        60,
        "  - {name: s, kind: labour_shock, probability_per_year: 0, \
         size: {distribution: fixed, value: 0.5}, duration_weeks: {distribution: fixed, value: 5}}",
    );
    let mut none = never.clone();
    none.wildcards.clear();
    let key = ReplicationKey::new(5, 0);
    assert_eq!(
        bits(&run_replication(&never, key.clone()).series.values),
        bits(&run_replication(&none, key).series.values)
    );
}

/// Mean national value of an indicator over weeks `from..to` and replications.
fn mean(s: &Scenario, k: usize, from: usize, to: usize) -> f64 {
    let mut sum = 0.0;
    for r in 0..4 {
        let series = run_replication(s, ReplicationKey::new(s.seed, r)).series;
        sum += (from..to)
            .map(|w| series.get(w, series.national(), k))
            .sum::<f64>();
    }
    sum / (4 * (to - from)) as f64
}

/// Mean national arrivals per week before each replication's surge, and
/// on its plateau (the whole event: no ramps).
fn arrivals_around_the_surge(s: &Scenario) -> (f64, f64) {
    let (mut before, mut during, mut nb, mut nd) = (0.0, 0.0, 0.0, 0.0);
    for r in 0..6 {
        let key = ReplicationKey::new(s.seed, r);
        let e = draw_events(s, &key)[0].clone();
        let series = run_replication(s, key).series;
        for w in 0..series.weeks {
            let v = series.get(w, series.national(), ind::ARRIVALS);
            if e.active(w as u32) {
                during += v;
                nd += 1.0;
            } else if (w as u32) < e.start_week {
                before += v;
                nb += 1.0;
            }
        }
    }
    (before / nb, during / nd)
}

#[test]
fn an_arrival_surge_multiplies_its_groups_arrivals() {
    // One year of events from week 10 (a second year would overlap the first).
    let s = world(62, SURGE);
    let (before, during) = arrivals_around_the_surge(&s);
    assert!(
        during > 3.5 * before && during < 4.5 * before,
        "before {before}, during {during}"
    );
    // Surging one of two equal groups: 1 + (4 − 1) / 2 = 2.5 ×.
    let one = world(
        62,
        &SURGE.replace("first_week: 10,", "first_week: 10, origins: [g],"),
    );
    let (before, during) = arrivals_around_the_surge(&one);
    assert!(
        during > 2.2 * before && during < 2.8 * before,
        "before {before}, during {during}"
    );
}

#[test]
fn a_labour_shock_removes_jobs_in_its_first_week() {
    let s = world(
        70,
        "  - {name: r, kind: labour_shock, probability_per_year: 1, first_week: 10, \
         size: {distribution: fixed, value: 0.4}, duration_weeks: {distribution: fixed, value: 1}, \
         tier_weights: {low: 1, mid: 0.5, high: 0}}",
    );
    let e = &draw_events(&s, &ReplicationKey::new(5, 0))[0];
    let series = run_replication(&s, ReplicationKey::new(5, 0)).series;
    let jobs = |w: u32, t: usize| series.get(w as usize, series.national(), ind::JOBS + t);
    let w = e.start_week;
    assert!((10..62).contains(&w), "{e:?}");
    assert!((jobs(w, 0) / jobs(w - 1, 0) - 0.6).abs() < 1e-9);
    assert!((jobs(w, 1) / jobs(w - 1, 1) - 0.8).abs() < 1e-9);
    assert_eq!(jobs(w, 2), jobs(w - 1, 2));
}

#[test]
fn an_attitude_shock_moves_the_regions_it_strikes() {
    let s = world(
        60,
        "  - {name: a, kind: attitude_shock, probability_per_year: 1, \
         size: {distribution: fixed, value: -0.3}, duration_weeks: {distribution: fixed, value: 3}, \
         regions: [Other]}",
    );
    let e = &draw_events(&s, &ReplicationKey::new(5, 0))[0];
    let series = run_replication(&s, ReplicationKey::new(5, 0)).series;
    let end = (e.start_week + 3) as usize;
    let other = series.get(end, 1, ind::ATTITUDE);
    let only = series.get(end, 0, ind::ATTITUDE);
    assert!(other < only - 0.2, "Other {other}, Only {only}");
}

#[test]
fn a_service_disruption_closes_places_to_new_starts() {
    let s = world(
        80,
        "  - {name: d, kind: service_disruption, probability_per_year: 1, first_week: 20, \
         size: {distribution: fixed, value: 1}, duration_weeks: {distribution: fixed, value: 200}, \
         services: [language], regions: [Only]}",
    );
    let mut none = s.clone();
    none.wildcards.clear();
    let k = ind::service_indicator(
        foresight::model::components::Service::Language,
        ind::STARTED,
    );
    let with = mean(&s, k, 72, 80);
    assert_eq!(
        with, 0.0,
        "language courses started while all places are closed"
    );
    assert!(mean(&none, k, 72, 80) > 0.0);
}

#[test]
fn a_housing_shock_cuts_the_housing_coming_free() {
    let s = world(
        120,
        "  - {name: h, kind: housing_shock, probability_per_year: 1, \
         size: {distribution: fixed, value: 1}, duration_weeks: {distribution: fixed, value: 500}}",
    );
    let mut none = s.clone();
    none.wildcards.clear();
    let with = mean(&s, ind::MAINSTREAM, 110, 120);
    let without = mean(&none, ind::MAINSTREAM, 110, 120);
    assert!(
        with < 0.5 * without,
        "housed {with} with the shock, {without} without"
    );
}

fn problems(wildcards: &str) -> String {
    let yaml = format!(
        "name: x\nhorizon_weeks: 10\nregions: [{{name: r, population: 1, reception_places: 1, jobs: {{low: 1, mid: 1, high: 1}}}}]\n\
         arrivals: {{weekly_rate: 1, origin_groups: [{{name: g, share: 1, skills: {{low: 1, mid: 0, high: 0}}, household_sizes: [1], recognition_probability: 1}}]}}\n\
         wildcards:\n{wildcards}\n"
    );
    match parse_str(&yaml, "w.yaml") {
        Ok(_) => panic!("accepted:\n{yaml}"),
        Err(d) => d.to_string(),
    }
}

#[test]
fn bad_wildcards_are_refused_at_their_field() {
    let both = problems(
        "  - {name: w, kind: housing_shock, probability_per_year: 0.1, rate_per_year: 1, \
         size: {distribution: fixed, value: 0.2}, duration_weeks: {distribution: fixed, value: 2}}",
    );
    assert!(
        both.contains("wildcards[0]") && both.contains("exactly one of"),
        "{both}"
    );
    let unbounded = problems(
        "  - {name: w, kind: housing_shock, rate_per_year: 1, \
         size: {distribution: lognormal, median: 0.2, sigma: 1}, duration_weeks: {distribution: fixed, value: 2}}",
    );
    assert!(
        unbounded.contains("wildcards[0].size.max") && unbounded.contains("give max"),
        "{unbounded}"
    );
    let missing = problems(
        "  - {name: w, kind: housing_shock, rate_per_year: 1, \
         size: {distribution: triangular, low: 0.1, high: 0.3}, duration_weeks: {distribution: fixed, value: 2}}",
    );
    assert!(missing.contains("wildcards[0].size.mode"), "{missing}");
    let region = problems(
        "  - {name: w, kind: housing_shock, rate_per_year: 1, regions: [Atlantis], \
         size: {distribution: fixed, value: 0.2}, duration_weeks: {distribution: fixed, value: 2}}",
    );
    assert!(
        region.contains("wildcards[0].regions[0]") && region.contains("Atlantis"),
        "{region}"
    );
    let other_kind = problems(
        "  - {name: w, kind: arrival_surge, rate_per_year: 1, services: [language], \
         size: {distribution: fixed, value: 2}, duration_weeks: {distribution: fixed, value: 2}}",
    );
    assert!(other_kind.contains("wildcards[0].services"), "{other_kind}");
}
