//! The model against results nobody here wrote: the law of large numbers
//! for allocation shares, the Poisson arrival process and the capacity
//! rule's guarantee. One wiring test sits here too: that the nudge lever's
//! uplift reaches weekly take-up as configured. It checks the code, not the
//! uplift's size, which is an assumption (A47), not a measured effect.

use foresight::model::components::Service;
use foresight::model::indicators::{self as ind, service_indicator};
use foresight::model::{ReplicationKey, Series, run_replication};
use foresight::scenario::parse_str;

/// The Königstein key computed in 2015 (S5 in `docs/sources.md`), as shares.
const KEY: [(&str, f64); 16] = [
    ("BW", 12.86456),
    ("BY", 15.51873),
    ("BE", 5.04927),
    ("BB", 3.06053),
    ("HB", 0.95688),
    ("HH", 2.52968),
    ("HE", 7.35890),
    ("MV", 2.02906),
    ("NI", 9.32104),
    ("NW", 21.21010),
    ("RP", 4.83710),
    ("SL", 1.22173),
    ("SN", 5.08386),
    ("ST", 2.83068),
    ("SH", 3.40337),
    ("TH", 2.72451),
];

fn total(s: &Series, slot: usize, k: usize) -> f64 {
    (0..s.weeks).map(|w| s.get(w, slot, k)).sum()
}

#[test]
fn quota_key_allocation_shares_match_the_key() {
    let sum: f64 = KEY.iter().map(|k| k.1).sum();
    let regions: String = KEY
        .iter()
        .map(|(name, w)| {
            format!(
                "  - {{name: {name}, population: 1000000, dispersal_weight: {}, reception_places: 1000000, jobs: {{low: 1, mid: 1, high: 1}}}}\n",
                w / sum
            )
        })
        .collect();
    let yaml = format!(
        r#"
name: quota
horizon_weeks: 20
regions:
{regions}
arrivals:
  weekly_rate: 2000
  origin_groups:
    - {{name: g, share: 1, skills: {{low: 1, mid: 0, high: 0}}, household_sizes: [1], recognition_probability: 0}}
asylum: {{decision_capacity_per_week: 0}}
secondary_movement: {{rate_per_week: 0}}
policy: {{dispersal: {{rule: quota_key}}}}
"#
    );
    let s = parse_str(&yaml, "quota.yaml").unwrap();
    let r = run_replication(&s, ReplicationKey::new(2015, 0));
    let n = total(&r.series, r.series.national(), ind::ARRIVALS);
    assert!(n > 35_000.0, "{n} allocations");
    // Pearson's chi-square with 15 degrees of freedom; the 0.999 quantile is
    // 37.70, so a correct rule fails this with probability 0.001.
    let mut chi2 = 0.0;
    for (i, (name, w)) in KEY.iter().enumerate() {
        let p = w / sum;
        let observed = total(&r.series, i, ind::ARRIVALS);
        let expected = n * p;
        chi2 += (observed - expected).powi(2) / expected;
        // And per region: |z| below 3.89 (two-sided 0.0001, Bonferroni over 16).
        let z = (observed - expected) / (n * p * (1.0 - p)).sqrt();
        assert!(
            z.abs() < 3.89,
            "{name}: share {} vs key {p}, z = {z}",
            observed / n
        );
    }
    assert!(chi2 < 37.70, "chi-square {chi2} with 15 df");
}

#[test]
fn the_capacity_rule_never_overfills_a_region_while_another_has_room() {
    let yaml = r#"
name: capacity
horizon_weeks: 30
regions:
  - {name: A, population: 1000000, reception_places: 300, jobs: {low: 1, mid: 1, high: 1}}
  - {name: B, population: 100000, reception_places: 900, jobs: {low: 1, mid: 1, high: 1}}
  - {name: C, population: 500000, reception_places: 50, jobs: {low: 1, mid: 1, high: 1}}
arrivals:
  weekly_rate: 60
  origin_groups:
    - {name: g, share: 1, skills: {low: 1, mid: 0, high: 0}, household_sizes: [1], recognition_probability: 0}
asylum: {decision_capacity_per_week: 0}
secondary_movement: {rate_per_week: 0}
demography: {mortality_multiplier: 0, total_fertility_rate: 0}
policy: {dispersal: {rule: reception_capacity}}
"#;
    let s = parse_str(yaml, "capacity.yaml").unwrap();
    let r = run_replication(&s, ReplicationKey::new(1, 0));
    let se = &r.series;
    let capacity = [300.0, 900.0, 50.0];
    let mut overflowed = false;
    for w in 0..se.weeks {
        for (i, c) in capacity.iter().enumerate() {
            assert!(
                se.get(w, i, ind::RECEPTION_OCCUPANCY) <= *c,
                "week {w}: region {i} over capacity"
            );
        }
        let before = if w == 0 {
            0.0
        } else {
            se.get(w - 1, se.national(), ind::EMERGENCY)
        };
        if se.get(w, se.national(), ind::EMERGENCY) > before {
            overflowed = true;
            // Nobody leaves reception here (no decisions, no deaths, no
            // births), so a region with room at the time
            // of dispersal still has room at the end of the week.
            for (i, c) in capacity.iter().enumerate() {
                assert_eq!(
                    se.get(w, i, ind::RECEPTION_OCCUPANCY),
                    *c,
                    "week {w}: emergency placements while region {i} had room"
                );
            }
        }
    }
    assert!(
        overflowed,
        "1,250 places for 1,800 arrivals: overflow must occur"
    );
}

/// Weekly arrival counts over many weeks and replications.
fn weekly_counts(household_sizes: &str, rate: f64) -> Vec<f64> {
    let yaml = format!(
        r#"
name: poisson
horizon_weeks: 300
regions:
  - {{name: A, population: 1000000, reception_places: 0, jobs: {{low: 1, mid: 1, high: 1}}}}
arrivals:
  weekly_rate: {rate}
  origin_groups:
    - {{name: g, share: 1, skills: {{low: 1, mid: 0, high: 0}}, household_sizes: {household_sizes}, recognition_probability: 0}}
asylum: {{decision_capacity_per_week: 0}}
secondary_movement: {{rate_per_week: 0}}
services:
  language: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
  coaching: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
  credential_recognition: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
  interpretation: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
  health_registration: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
  mental_health: {{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}}
"#
    );
    let s = parse_str(&yaml, "poisson.yaml").unwrap();
    (0..4)
        .flat_map(|i| {
            let r = run_replication(&s, ReplicationKey::new(77, i));
            (0..r.series.weeks)
                .map(|w| r.series.get(w, r.series.national(), ind::ARRIVALS))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn mean_var(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    (
        m,
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0),
    )
}

#[test]
fn weekly_arrivals_are_poisson() {
    let rate = 40.0;
    let counts = weekly_counts("[1]", rate);
    let n = counts.len() as f64;
    let (mean, var) = mean_var(&counts);
    // Mean within 4 standard errors of the rate.
    assert!((mean - rate).abs() < 4.0 * (rate / n).sqrt(), "mean {mean}");
    // Poisson: variance equals mean. (n−1)s²/λ is χ²(n−1): its relative
    // standard deviation is √(2/(n−1)); allow 4 of them.
    assert!(
        (var / rate - 1.0).abs() < 4.0 * (2.0 / (n - 1.0)).sqrt(),
        "variance {var} for rate {rate}"
    );
}

#[test]
fn weekly_persons_are_compound_poisson_over_households() {
    // Households of 1 or 3 with equal shares: mean size 2, E[S²] = 5. Persons
    // per week have mean λ·E[S] = rate and variance λ·E[S²] = 2.5 × rate.
    let rate = 40.0;
    let counts = weekly_counts("[0.5, 0, 0.5]", rate);
    let n = counts.len() as f64;
    let (mean, var) = mean_var(&counts);
    assert!(
        (mean - rate).abs() < 4.0 * (2.5 * rate / n).sqrt(),
        "mean {mean}"
    );
    let expected = 2.5 * rate;
    // The variance of a sample variance for a compound Poisson sum; a
    // generous 20% bound (its standard error here is about 4%).
    assert!(
        (var / expected - 1.0).abs() < 0.2,
        "variance {var}, expected {expected}"
    );
}

/// Wiring, not validation: with nudges on, first-week take-up is the
/// weekly take-up probability times `1 + take_up_uplift`, for the uplift the
/// scenario sets (its default, A47). Nothing here says the uplift's size is
/// right: the sources give none (Q47 is an illustration).
#[test]
fn wiring_nudges_multiply_first_week_take_up_by_the_configured_uplift() {
    // A cohort recognised at once; everyone eligible for a language course
    // takes it up with weekly probability 0.1, or 0.1 × (1 + uplift) with
    // nudges. Seats to spare, so every take-up starts at once. The same
    // replication key gives both arms the same random draws.
    let run = |nudges: bool| {
        let yaml = format!(
            r#"
name: nudge
horizon_weeks: 1
regions:
  - {{name: A, population: 1000000, reception_places: 100000, jobs: {{low: 1, mid: 1, high: 1}},
     services: {{language: {{seats: 100000}}}}}}
arrivals:
  weekly_rate: 0
  origin_groups:
    - {{name: g, share: 1, skills: {{low: 1, mid: 0, high: 0}}, household_sizes: [1], recognition_probability: 1}}
asylum: {{decision_capacity_per_week: 100000, initial_backlog: 40000}}
services:
  language: {{take_up_per_week: 0.1, duration_weeks: 20, cost_per_place_week: 0}}
policy: {{nudges: {{enabled: {nudges}}}}}
"#
        );
        let s = parse_str(&yaml, "nudge.yaml").unwrap();
        let r = run_replication(&s, ReplicationKey::new(47, 0));
        let started = r.series.get(
            0,
            r.series.national(),
            service_indicator(Service::Language, ind::STARTED),
        );
        (started, s.policy.nudges.take_up_uplift)
    };
    let ((without, _), (with, configured)) = (run(false), run(true));
    let uplift = with / without - 1.0;
    assert!(without > 3000.0, "{without} started without nudges");
    // The two arms share their draws: the extra starters are those whose
    // draw fell between 0.1 and 0.1 × (1 + uplift), a binomial count of
    // 40,000 × 0.1 × uplift. Four of its standard deviations, relative to
    // the ~4,000 starters without nudges:
    let extra = 40_000.0 * 0.1 * configured;
    let tolerance = 4.0 * extra.sqrt() / without;
    assert!(
        (uplift - configured).abs() < tolerance,
        "take-up rose by {:.2}%, configured {:.2}% (± {:.2}%)",
        uplift * 100.0,
        configured * 100.0,
        tolerance * 100.0
    );
    // A mistaken wiring (uplift applied twice, or not at all) is outside.
    assert!(tolerance < configured / 2.0);
}
