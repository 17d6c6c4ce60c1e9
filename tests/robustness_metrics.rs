//! Robustness metrics against small tables computed by hand: two policies,
//! one scenario, three samples, two replications (six futures each), one
//! indicator where higher is better and one where lower is.

use std::path::Path;

use foresight::analysis::robustness_metrics::{Metric, metrics};
use foresight::experiment::{CellId, Experiment, Outcome, Overrides, Threshold, parse_str};
use foresight::model::HEADLINES;

const WORLD: &str = r#"
name: tiny
horizon_weeks: 10
seed: 1
regions:
  - {name: North, population: 500000, reception_places: 300, jobs: {low: 50000, mid: 40000, high: 20000},
     housing: {small_units_per_week: 2, medium_units_per_week: 3, large_units_per_week: 1},
     services: {language: {seats: 40}}}
arrivals:
  weekly_rate: 50
  origin_groups:
    - {name: a, share: 1.0, skills: {low: 0.5, mid: 0.3, high: 0.2}, household_sizes: [0.4, 0.2, 0.2, 0.2], recognition_probability: 0.7}
"#;

const EMPLOYMENT: &str = "employment_rate_final"; // higher is better
const WAIT: &str = "language_wait_worst_region_weeks"; // lower is better

/// Futures in (sample, replication) order: k0r0, k0r1, k1r0, k1r1, k2r0, k2r1.
const EMPLOYMENT_P: [f64; 6] = [0.10, 0.20, 0.30, 0.40, 0.05, 0.15];
const EMPLOYMENT_Q: [f64; 6] = [0.20, 0.10, 0.30, 0.50, 0.10, 0.10];
const WAIT_P: [f64; 6] = [4.0, 8.0, 2.0, 6.0, 10.0, 0.0];
const WAIT_Q: [f64; 6] = [5.0, 5.0, 5.0, 5.0, 5.0, 5.0];

fn table() -> (Experiment, Vec<Outcome>) {
    let mut exp = parse_str(WORLD, "<tiny>", Path::new("."), &Overrides::default()).unwrap();
    exp.plain = false;
    exp.scenarios = vec!["only".into()];
    exp.policies = vec!["p".into(), "q".into()];
    exp.samples = vec![Vec::new(); 3];
    exp.replications = 2;
    exp.thresholds = vec![Threshold {
        indicator: EMPLOYMENT.into(),
        below: None,
        at_most: None,
        above: None,
        at_least: Some(0.15),
    }];
    let h = |name: &str| HEADLINES.iter().position(|x| x.name == name).unwrap();
    let mut outcomes = Vec::new();
    for (policy, (e, w)) in [(EMPLOYMENT_P, WAIT_P), (EMPLOYMENT_Q, WAIT_Q)]
        .iter()
        .enumerate()
    {
        for f in 0..6 {
            let mut headline = vec![0.0; HEADLINES.len()];
            headline[h(EMPLOYMENT)] = e[f];
            headline[h(WAIT)] = w[f];
            outcomes.push(Outcome {
                cell: CellId {
                    scenario: 0,
                    policy,
                    sample: f / 2,
                    replication: (f % 2) as u32,
                },
                seed: 0,
                headline,
                cohorts: Vec::new(),
            });
        }
    }
    (exp, outcomes)
}

fn find<'a>(all: &'a [Metric], policy: usize, indicator: &str, metric: &str) -> &'a Metric {
    all.iter()
        .find(|m| m.policy == policy && m.indicator == indicator && m.metric == metric)
        .unwrap_or_else(|| panic!("no {metric} of policy {policy} on {indicator}"))
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-12, "{what}: {got}, by hand {want}");
}

#[test]
fn metrics_where_higher_is_better_match_the_hand_computed_table() {
    let (exp, outcomes) = table();
    let all = metrics(&exp, &outcomes);
    let m = |name: &str| find(&all, 0, EMPLOYMENT, name);
    // Sorted: 0.05 0.10 0.15 0.20 0.30 0.40.
    assert_close(m("laplace").value, 1.2 / 6.0, "laplace");
    assert_close(m("maximin").value, 0.05, "maximin");
    assert_close(m("maximax").value, 0.40, "maximax");
    assert_close(m("hurwicz").value, 0.225, "hurwicz");
    assert_eq!(m("hurwicz").parameter, "0.5");
    // 10th percentile: position 5 × 0.1 = 0.5 between 0.05 and 0.10.
    assert_close(m("percentile").value, 0.075, "percentile");
    // μ = 0.2, squared deviations sum to 0.085, σ² = 0.085 / 5.
    assert_close(
        m("mean_variance").value,
        0.2 / (0.085f64 / 5.0).sqrt(),
        "mean_variance",
    );
    // Regret against q in the same future: 0.1 0 0 0.1 0.05 0.
    assert_close(m("minimax_regret").value, 0.1, "minimax_regret");
    assert_close(m("percentile_regret").value, 0.1, "percentile_regret");
    assert_close(
        find(&all, 1, EMPLOYMENT, "minimax_regret").value,
        0.1,
        "q's minimax regret",
    );
    // At least 0.15 in 0.20, 0.30, 0.40, 0.15: 4 of 6.
    assert_close(m("satisficing").value, 4.0 / 6.0, "satisficing");
    assert_eq!(m("satisficing").parameter, "employment_rate_final ≥ 0.15");
    // Sample means 0.15, 0.35, 0.10: two of three points meet 0.15.
    let starr = find(&all, 0, "all thresholds", "starr_domain");
    assert_close(starr.value, 2.0 / 3.0, "starr_domain");

    // Spread across replications: replication 0 has 0.10 0.30 0.05
    // (mean 0.15), replication 1 has 0.20 0.40 0.15 (mean 0.25).
    let l = m("laplace");
    assert_close(l.replication_min, 0.15, "laplace min");
    assert_close(l.replication_max, 0.25, "laplace max");
    assert_close(
        l.replication_sd,
        (2.0f64 * 0.05 * 0.05).sqrt(),
        "laplace sd",
    );
    // Starr per replication: 1/3 (0.30 only) and 3/3.
    assert_close(starr.replication_min, 1.0 / 3.0, "starr min");
    assert_close(starr.replication_max, 1.0, "starr max");
}

#[test]
fn metrics_where_lower_is_better_match_the_hand_computed_table() {
    let (exp, outcomes) = table();
    let all = metrics(&exp, &outcomes);
    let m = |name: &str| find(&all, 0, WAIT, name);
    // Sorted: 0 2 4 6 8 10.
    assert_close(m("laplace").value, 5.0, "laplace");
    assert_close(
        m("maximin").value,
        10.0,
        "maximin (the worst is the longest wait)",
    );
    assert_close(m("maximax").value, 0.0, "maximax");
    assert_close(m("hurwicz").value, 5.0, "hurwicz");
    // 90th percentile: position 4.5 between 8 and 10.
    assert_close(m("percentile").value, 9.0, "percentile");
    // σ² = 70 / 5; (μ + 1)(σ + 1).
    assert_close(
        m("mean_variance").value,
        6.0 * (14f64.sqrt() + 1.0),
        "mean_variance",
    );
    // Regret against q's 5: 0 3 0 1 5 0.
    assert_close(m("minimax_regret").value, 5.0, "minimax_regret");
    // 90th percentile of 0 0 0 1 3 5: position 4.5 between 3 and 5.
    assert_close(m("percentile_regret").value, 4.0, "percentile_regret");
    // No threshold on the wait: no satisficing row for it.
    assert!(
        !all.iter()
            .any(|x| x.indicator == WAIT && x.metric == "satisficing")
    );
    // A constant policy: σ = 0, (μ + 1)(σ + 1) = 6.
    assert_close(
        find(&all, 1, WAIT, "mean_variance").value,
        6.0,
        "q's mean_variance",
    );
    // arrivals are a scenario, not judged: no metrics.
    assert!(!all.iter().any(|x| x.indicator == "arrivals_total"));
}

/// Policy p fails in half the replications of samples 0 and 2; sample 2
/// misses by more (0.05 against 0.15, where sample 0 has 0.10), so it
/// ranks first although cell order would put sample 0 first.
#[test]
fn worst_futures_rank_by_failure_share_then_shortfall() {
    let (exp, outcomes) = table();
    let r = foresight::experiment::judge(&exp, &outcomes);
    let p: Vec<_> = r.failures.iter().filter(|f| f.policy == 0).collect();
    let order: Vec<(usize, f64)> = p.iter().map(|f| (f.sample, f.share)).collect();
    assert_eq!(order, vec![(2, 0.5), (0, 0.5), (1, 0.0)]);
    // Shortfall in units of the range of employment (0.05 … 0.50),
    // averaged over the two replications.
    assert_close(p[0].shortfall, (0.10 / 0.45) / 2.0, "sample 2's shortfall");
    assert_close(p[1].shortfall, (0.05 / 0.45) / 2.0, "sample 0's shortfall");
    assert_eq!(p[2].shortfall, 0.0);
    assert_eq!((p[0].tied, p[1].tied, p[2].tied), (2, 2, 1));
}
