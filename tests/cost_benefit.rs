//! The cost-benefit analysis against a reference policy
//! (`analysis::cost_benefit`): common random numbers make the standard
//! error of a policy's difference measurably smaller than independent runs
//! would; with a zero discount rate and no terminal value the NPV
//! difference is the difference of undiscounted totals; the reference
//! against itself is zero; the terminal value follows its rule.

use std::path::Path;

use foresight::analysis::cost_benefit::{Row, rows, terminal};
use foresight::experiment::*;

/// An experiment over a small world with an inline world, the status quo
/// and intensive coaching, and `extra` appended to the world's top level.
fn experiment(extra: &str, replications: u32, horizon: u32) -> Experiment {
    let yaml = format!(
        r#"
experiment: cb
seed: 5
replications: {replications}
world:
  name: small_world
  horizon_weeks: {horizon}
  seed: 9
  regions:
    - {{name: North, population: 500000, urban: true, reception_places: 300, jobs: {{low: 50000, mid: 40000, high: 20000}},
       housing: {{small_units_per_week: 2, medium_units_per_week: 3, large_units_per_week: 1}},
       services: {{language: {{seats: 40}}, coaching: {{seats: 40}}}}}}
    - {{name: South, population: 300000, reception_places: 100, jobs: {{low: 40000, mid: 20000, high: 5000}},
       housing: {{small_units_per_week: 1, medium_units_per_week: 2, large_units_per_week: 0.5}},
       services: {{language: {{seats: 20}}, coaching: {{seats: 20}}}}}}
  arrivals:
    weekly_rate: 40
    origin_groups:
      - {{name: a, share: 1, skills: {{low: 0.5, mid: 0.3, high: 0.2}}, household_sizes: [0.4, 0.2, 0.2, 0.2], recognition_probability: 0.7}}
{extra}
policies:
  - name: coaching
    levers: {{intensive_coaching: {{coverage: 1.0}}}}
  - name: status_quo
"#
    );
    parse_str(&yaml, "cb.yaml", Path::new("."), &Overrides::default())
        .unwrap_or_else(|d| panic!("{d}"))
}

fn run(exp: &Experiment) -> ExperimentResult {
    run_experiment::<std::convert::Infallible>(exp, &|| {}, &mut |_, _| Ok(())).unwrap()
}

fn find<'a>(
    exp: &Experiment,
    rows: &'a [Row],
    policy: &str,
    year: Option<usize>,
    q: &str,
) -> &'a Row {
    let p = exp.policies.iter().position(|x| x == policy).unwrap();
    rows.iter()
        .find(|r| r.policy == p && r.year == year && r.quantity == q)
        .unwrap_or_else(|| panic!("no row {policy} {year:?} {q}"))
}

#[test]
fn the_reference_is_status_quo_and_its_difference_with_itself_is_zero() {
    let exp = experiment("", 3, 104);
    assert_eq!(exp.policies[exp.reference_policy], "status_quo");
    let result = run(&exp);
    let rows = rows(&exp, &result.outcomes);
    let own = find(&exp, &rows, "status_quo", None, "npv_vs_reference");
    assert_eq!(own.stats.mean, 0.0);
    assert_eq!(own.stats.share_positive, 0.0);
    let year = find(&exp, &rows, "status_quo", Some(2), "net_vs_reference");
    assert_eq!(year.stats.p95, 0.0);
}

#[test]
fn with_no_discounting_and_no_terminal_value_the_npv_difference_is_the_undiscounted_one() {
    let exp = experiment(
        "  accounts: {discount_rate_annual: 0, terminal_years: 0}",
        3,
        104,
    );
    let result = run(&exp);
    let rows = rows(&exp, &result.outcomes);
    let npv = find(&exp, &rows, "coaching", None, "npv_vs_reference")
        .stats
        .mean;
    let net = |policy: &str| {
        let p = exp.policies.iter().position(|x| x == policy).unwrap();
        let v: Vec<f64> = result
            .outcomes
            .iter()
            .filter(|o| o.cell.policy == p)
            .map(|o| {
                o.headline_value("total_contributions").unwrap()
                    - o.headline_value("total_cost").unwrap()
            })
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let expected = net("coaching") - net("status_quo");
    assert!(expected != 0.0);
    assert!(
        (npv - expected).abs() <= 1e-9 * expected.abs(),
        "{npv} against {expected}"
    );
    // The cumulative difference at the last year is the NPV's without a
    // terminal value.
    let last = find(
        &exp,
        &rows,
        "coaching",
        Some(2),
        "cumulative_net_vs_reference",
    );
    assert!((last.stats.mean - expected).abs() <= 1e-9 * expected.abs());
}

#[test]
fn the_terminal_value_is_the_last_years_mean_balance_for_the_years_beyond() {
    // One year, no discounting: the terminal value is that year's balance
    // times the terminal years.
    let exp = experiment(
        "  accounts: {discount_rate_annual: 0, terminal_years: 3}",
        2,
        52,
    );
    let result = run(&exp);
    for o in &result.outcomes {
        let net = o.headline_value("total_contributions").unwrap()
            - o.headline_value("total_cost").unwrap();
        let terminal = terminal(&o.accounts);
        assert!(
            (terminal - 3.0 * net).abs() <= 1e-9 * net.abs(),
            "{terminal} against {net}"
        );
    }
}

#[test]
fn common_random_numbers_make_the_standard_error_of_a_difference_smaller() {
    let exp = experiment("", 16, 156);
    let result = run(&exp);
    let rows = rows(&exp, &result.outcomes);
    let npv = find(&exp, &rows, "coaching", None, "npv_vs_reference").stats;
    eprintln!(
        "NPV of coaching against the status quo: mean {:.0}, standard error {:.0} \
         with common random numbers, {:.0} for independent runs",
        npv.mean, npv.se, npv.se_independent
    );
    assert!(npv.se > 0.0);
    assert!(
        npv.se < 0.5 * npv.se_independent,
        "paired {} against independent {}",
        npv.se,
        npv.se_independent
    );
}

#[test]
fn the_monetised_view_adds_the_shadow_prices_of_the_gains_and_only_when_asked() {
    let exp = experiment(
        "  accounts: {discount_rate_annual: 0, shadow_prices: {enabled: true, employment_year: 1000, homeless_year: 5000}}",
        3,
        104,
    );
    let result = run(&exp);
    let rows = rows(&exp, &result.outcomes);
    let mean = |q: &str| find(&exp, &rows, "coaching", None, q).stats.mean;
    // Undiscounted, the monetised value's difference is the gains priced.
    let shadow = 1000.0 * mean("employment_years_gained") + 5000.0 * mean("homeless_years_avoided");
    assert!(shadow != 0.0);
    let got = mean("shadow_value_vs_reference");
    assert!(
        (got - shadow).abs() <= 1e-9 * shadow.abs(),
        "{got} against {shadow}"
    );
    let monetised = mean("monetised_npv_vs_reference");
    let expected = mean("npv_vs_reference") + shadow;
    assert!((monetised - expected).abs() <= 1e-9 * expected.abs());
    // The fiscal rows do not move with the prices; without them switched
    // on there is no monetised row.
    let off = experiment("  accounts: {discount_rate_annual: 0}", 3, 104);
    let off_rows = rows_of(&off);
    assert!(off_rows.iter().all(|r| !r.quantity.contains("monetised")));
    let npv_off = off_rows
        .iter()
        .find(|r| r.quantity == "npv_vs_reference" && r.policy == 0)
        .unwrap();
    assert_eq!(
        npv_off.stats.mean,
        find(&exp, &rows, &exp.policies[0], None, "npv_vs_reference")
            .stats
            .mean
    );
}

fn rows_of(exp: &Experiment) -> Vec<Row> {
    rows(exp, &run(exp).outcomes)
}
