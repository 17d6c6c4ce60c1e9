//! Validation: the age structure of a closed population after thirty years
//! matches the life table's survival function (Destatis 2016/2018, S20).
//!
//! A population of 100,000 persons is spawned at the start (the initial
//! backlog, every age drawn from the default age profile), nobody arrives,
//! nobody is born, nobody leaves the country, and the run lasts 30 years
//! (1,560 weeks). A person aged `a` at the start who survives is aged
//! `a + 29` at the end (ages rise in week 0 of years 1 to 29), having faced
//! the probabilities of dying q(a), q(a + 1), …, q(a + 29) in turn. So the
//! expected survivors of those aged `a` at the start are N₀(a) × Π (1 − q),
//! with binomial variance. The survivors are compared band by band
//! (initial ages 0–9, 10–19, …, 60+) by Pearson's chi-square against that
//! expectation, and must stay below the 0.999 quantile with 7 degrees of
//! freedom.
//!
//! The check could fail, and the test shows it: the same survivors are
//! compared with wrong life tables (every q 10% or 30% higher, the table
//! five years older, the male table alone), each of which it must reject.

use foresight::model::life_table::probabilities;
use foresight::model::{ReplicationKey, ages_at_end};
use foresight::scenario::{LifeTable, Scenario, parse_str};

/// Persons at the start.
const PERSONS: u64 = 100_000;
/// Years simulated.
const YEARS: usize = 30;
/// 0.999 quantile of chi-square with 7 degrees of freedom.
const CRITICAL_7: f64 = 24.322;

fn scenario(horizon_weeks: u32, mortality: f64) -> Scenario {
    let yaml = format!(
        r#"
name: closed_population
horizon_weeks: {horizon_weeks}
seed: 16
regions:
  - name: r
    population: 10000000
    reception_places: 1000000
    jobs: {{low: 0, mid: 0, high: 0}}
arrivals:
  weekly_rate: 0
  origin_groups:
    - name: g
      share: 1
      skills: {{low: 1, mid: 0, high: 0}}
      household_sizes: [0.4, 0.15, 0.15, 0.15, 0.15]
      recognition_probability: 1
      family_abroad: {{members_per_adult: 0}}
asylum:
  decision_capacity_per_week: 10000000
  initial_backlog: {PERSONS}
  rejected_departure_rate_per_week: 0
secondary_movement: {{rate_per_week: 0}}
demography:
  mortality_multiplier: {mortality}
  total_fertility_rate: 0
"#
    );
    parse_str(&yaml, "closed_population.yaml").unwrap_or_else(|e| panic!("{e}"))
}

/// Initial-age bands: [first, last].
const BANDS: [(usize, usize); 7] = [
    (0, 9),
    (10, 19),
    (20, 29),
    (30, 39),
    (40, 49),
    (50, 59),
    (60, 120),
];

/// Chi-square of the survivors by band against a life table `q`.
fn chi_square(start: &[u64], end: &[u64], q: &[f64]) -> f64 {
    let mut chi = 0.0;
    for &(lo, hi) in &BANDS {
        let (mut observed, mut expected, mut variance) = (0.0, 0.0, 0.0);
        for a in lo..=hi {
            let n = start[a] as f64;
            let survive: f64 = (0..YEARS).map(|k| 1.0 - q[(a + k).min(120)]).product();
            expected += n * survive;
            variance += n * survive * (1.0 - survive);
            if a + YEARS - 1 <= 120 {
                observed += end[a + YEARS - 1] as f64;
            }
        }
        if variance > 0.0 {
            chi += (observed - expected).powi(2) / variance;
        }
    }
    chi
}

#[test]
fn a_closed_population_ages_and_dies_by_the_life_table() {
    let key = ReplicationKey::new(16, 0);
    // The start: the same setup draws, nobody dies in the single week.
    let (_, start) = ages_at_end(&scenario(1, 0.0), key.clone());
    let (result, end) = ages_at_end(&scenario(52 * YEARS as u32, 1.0), key);
    let n0: u64 = start.iter().sum();
    assert!(n0 >= PERSONS, "{n0} persons at the start");
    assert!(
        end[..YEARS - 1].iter().all(|&n| n == 0),
        "nobody is born, so nobody is under {} at the end",
        YEARS - 1
    );
    // Everyone is alive or deceased.
    let s = &result.series;
    let deceased = s.get(
        s.weeks - 1,
        s.national(),
        foresight::model::indicators::DECEASED,
    );
    assert_eq!(end.iter().sum::<u64>() as f64 + deceased, n0 as f64);

    let table = probabilities(LifeTable::Destatis2016To2018, 1.0, 120);
    let chi = chi_square(&start, &end, &table);
    println!(
        "closed population: {n0} persons, {deceased} died in {YEARS} years; \
         chi-square against Destatis 2016/18 = {chi:.2} (7 df, 0.999 quantile {CRITICAL_7})"
    );
    assert!(
        chi < CRITICAL_7,
        "survivors by age differ from the life table: chi-square {chi:.2} ≥ {CRITICAL_7}"
    );

    // Wrong life tables must be rejected by the same survivors.
    let scaled = |f: f64| table.iter().map(|q| (q * f).min(1.0)).collect::<Vec<f64>>();
    let older: Vec<f64> = (0..=120).map(|a| table[(a + 5).min(120)]).collect();
    let male: Vec<f64> = (0..=120)
        .map(|a| foresight::model::life_table::DESTATIS_2016_2018[a.min(100)].0)
        .collect();
    for (what, wrong) in [
        ("every q 10% higher", scaled(1.1)),
        ("every q 30% higher", scaled(1.3)),
        ("the table five years older", older),
        ("the male table", male),
    ] {
        let chi_wrong = chi_square(&start, &end, &wrong);
        println!("    rejects {what:<28} chi-square {chi_wrong:>10.1}");
        assert!(
            chi_wrong > CRITICAL_7,
            "{what}: chi-square {chi_wrong:.2} does not reject it"
        );
    }
}
