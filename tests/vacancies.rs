//! The labour market's vacancy constraint, checked against its own
//! arithmetic: where seekers' hazards add up to more than the vacancies open
//! to newcomers, expected hires in a week equal the vacancies (each hazard
//! is scaled by vacancies ÷ the sum), so over many weeks the hires are the
//! vacancies' sum within a Poisson-like spread. Finding work is drawn by
//! thinning (src/model/labour_market.rs), and this world makes the bound
//! fall below 1 and the sum exceed the vacancies, so that the path that
//! sums and scales is the one taken.

use foresight::model::indicators as ind;
use foresight::model::{ReplicationKey, run_replication};
use foresight::scenario::parse_str;

#[test]
fn scarce_vacancies_cap_the_expected_hires_at_the_vacancies() {
    // 10,000 low-tier jobs × 0.004 vacant a week × 0.25 open to newcomers:
    // 10 vacancies a week. About 2,000 recognised seekers at a base hazard
    // of 0.05 add up to some 40 a week: the constraint binds throughout.
    let yaml = r#"
name: vacancies
horizon_weeks: 41
seed: 11
regions:
  - name: Only
    population: 1000000
    reception_places: 10000
    jobs: {low: 10000, mid: 0, high: 0}
    housing: {small_units_per_week: 10000}
arrivals:
  weekly_rate: 0
  origin_groups:
    - {name: g, share: 1, skills: {low: 1, mid: 0, high: 0}, household_sizes: [1], recognition_probability: 1, family_abroad: {members_per_adult: 0}}
asylum: {decision_capacity_per_week: 100000, initial_backlog: 2500}
labour_market:
  base_job_finding_per_week: {low: 0.05, mid: 0.05, high: 0.05}
  job_loss_per_week: {low: 0, mid: 0, high: 0}
  vacancy_rate_per_week: {low: 0.004, mid: 0.004, high: 0.004}
  newcomer_vacancy_share: 0.25
secondary_movement: {rate_per_week: 0}
demography: {mortality_multiplier: 0, total_fertility_rate: 0, leaving_home_rate_per_year: 0}
"#;
    let s = parse_str(yaml, "vacancies.yaml").unwrap_or_else(|d| panic!("invalid:\n{d}"));
    // Twenty replications: the mean of the hires against the vacancies.
    let reps = 20;
    let mut hires = Vec::new();
    for rep in 0..reps {
        let r = run_replication(&s, ReplicationKey::new(s.seed, rep));
        let at = |w: usize, k: usize| r.series.get(w, r.series.national(), k);
        let last = r.series.weeks - 1;
        let working_age = at(last, ind::WORKING_AGE_REFUGEES);
        let employed = at(last, ind::EMPLOYED_REFUGEES);
        // A rough guard that the constraint still binds at the end: the
        // remaining seekers at the language floor's 0.3 of the base alone
        // add up to more than 10 (attitudes, trauma and homelessness lower
        // some hazards further; a sum below the vacancies would show as a
        // shortfall of the mean hires below).
        let seekers = working_age - employed;
        assert!(
            seekers * 0.05 * 0.3 > 10.0,
            "{seekers} seekers left: the constraint may not bind"
        );
        // Hires start once the backlog is decided (week 0) and jobs are
        // never lost: the employed of the last week are the hires of its
        // weeks.
        hires.push(employed);
    }
    let weeks = f64::from(s.horizon_weeks);
    let expected = 10.0 * weeks;
    let mean = hires.iter().sum::<f64>() / f64::from(reps);
    // Hires are a sum of many small chances: variance at most the mean.
    let se = (expected / f64::from(reps)).sqrt();
    assert!(
        (mean - expected).abs() < 5.0 * se,
        "mean hires {mean} over {weeks} weeks of 10 vacancies (expected {expected} ± {se:.1}): {hires:?}"
    );
    // Unconstrained, the same seekers would find several times more work
    // (the bound asserted is half of what 2,400 seekers would find at
    // 0.05 × 0.3 a week).
    assert!(mean < 0.5 * 2_400.0 * 0.05 * 0.3 * weeks, "{mean}");
}
