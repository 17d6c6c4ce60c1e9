//! The housing market's assumptions (A61–A66 in `docs/sources.md`) across
//! the ranges stated there: at each end of a range the model is run over
//! the same replications (common random numbers), and the outcome must move
//! the way the mechanism says. A sign error, a field not read, or a rule
//! that saturates within the range fails here.

use foresight::model::indicators as ind;
use foresight::model::{ReplicationKey, run_replication};
use foresight::scenario::{Scenario, parse_str};

const REPLICATIONS: u32 = 4;
const WEEKS: u32 = 104;

/// A tight market: about 22 households arrive a week, and about 10 homes
/// come free to them at the default turnover and access share. Nobody in
/// work unless `jobs` is set.
fn base(jobs: bool) -> Scenario {
    let off = "{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}";
    let jobs = if jobs {
        "{low: 200000, mid: 100000, high: 20000}"
    } else {
        "{low: 0, mid: 0, high: 0}"
    };
    let yaml = format!(
        r#"
name: housing_ranges
horizon_weeks: {WEEKS}
seed: 5
regions:
  - name: Only
    population: 1000000
    reception_places: 100000
    jobs: {jobs}
    housing: {{stock: {{small: 20000, medium: 40000, large: 5000}}}}
arrivals:
  weekly_rate: 40
  channels: {{asylum: 1}}
  origin_groups:
    - name: g
      share: 1
      skills: {{low: 0.6, mid: 0.3, high: 0.1}}
      household_sizes: [0.5, 0.3, 0.2]
      family_abroad: {{members_per_adult: 0}}
      recognition_probability: 1
asylum: {{decision_capacity_per_week: 100000}}
services:
  language: {off}
  coaching: {off}
  credential_recognition: {off}
  interpretation: {off}
  health_registration: {off}
  mental_health: {off}
demography: {{mortality_multiplier: 0, total_fertility_rate: 0, leaving_home_rate_per_year: 0}}
secondary_movement: {{rate_per_week: 0}}
"#
    );
    parse_str(&yaml, "housing_ranges.yaml").unwrap_or_else(|e| panic!("scenario invalid:\n{e}"))
}

/// Over the replications: persons housed, their summed search weeks, and
/// the employed refugees summed over the weeks.
fn run(s: &Scenario) -> (f64, f64, f64) {
    let (mut housed, mut waits, mut employed) = (0.0, 0.0, 0.0);
    for i in 0..REPLICATIONS {
        let r = run_replication(s, ReplicationKey::new(s.seed, i));
        let (series, n) = (&r.series, r.series.national());
        for w in 0..series.weeks {
            let h = series.get(w, n, ind::HOUSED);
            if h > 0.0 {
                housed += h;
                waits += h * series.get(w, n, ind::HOUSING_WAIT_WEEKS);
            }
            employed += series.get(w, n, ind::EMPLOYED_REFUGEES);
        }
    }
    (housed, waits / housed, employed)
}

/// Runs the base with `set` applied at `low` and at `high`.
fn ends(jobs: bool, low: f64, high: f64, set: fn(&mut Scenario, f64)) -> [(f64, f64, f64); 2] {
    [low, high].map(|v| {
        let mut s = base(jobs);
        set(&mut s, v);
        run(&s)
    })
}

#[test]
fn more_turnover_houses_more_sooner() {
    let [lo, hi] = ends(false, 0.05, 0.12, |s, v| s.housing.annual_turnover = v);
    assert!(hi.0 > 1.5 * lo.0, "housed {} → {}", lo.0, hi.0);
    assert!(hi.1 < lo.1, "search weeks {} → {}", lo.1, hi.1);
}

#[test]
fn a_larger_access_share_houses_more() {
    let [lo, hi] = ends(false, 0.02, 0.3, |s, v| s.housing.newcomer_access_share = v);
    assert!(hi.0 > 3.0 * lo.0, "housed {} → {}", lo.0, hi.0);
}

#[test]
fn a_larger_private_share_houses_fewer_of_those_without_work() {
    let [lo, hi] = ends(false, 0.5, 0.95, |s, v| s.housing.private_share = v);
    assert!(hi.0 < lo.0, "housed {} → {}", lo.0, hi.0);
}

#[test]
fn a_higher_rent_barrier_houses_fewer() {
    let [lo, hi] = ends(false, 0.25, 0.75, |s, v| s.housing.rent_barrier = v);
    assert!(hi.0 < lo.0, "housed {} → {}", lo.0, hi.0);
}

#[test]
fn keeping_units_on_offer_houses_no_fewer() {
    let [lo, hi] = ends(false, 0.0, 8.0, |s, v| s.housing.carry_over_weeks = v);
    assert!(hi.0 >= lo.0, "housed {} → {}", lo.0, hi.0);
}

#[test]
fn homelessness_holds_back_job_finding() {
    let [lo, hi] = ends(true, 0.25, 1.0, |s, v| {
        s.housing.homeless_activity_factor = v;
    });
    assert!(hi.2 > lo.2, "employed person-weeks {} → {}", lo.2, hi.2);
}
