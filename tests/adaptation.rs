//! Adaptive rules and pathways (`policy.adaptation`): a trigger never
//! crossed and a no-op action change nothing; hysteresis never changes
//! direction faster than its holding time; a pathway moves to its next
//! action at its cap; steps wait for their lead time; costs are counted;
//! bad rules are refused at their field.

use foresight::model::adaptation::ActionTaken;
use foresight::model::indicators as ind;
use foresight::model::{ReplicationKey, ReplicationResult, run_replication};
use foresight::scenario::{Scenario, parse_str};

/// A two-region world of `weeks` weeks with the policy block `policy`.
fn world(weeks: u32, policy: &str) -> Scenario {
    let yaml = format!(
        r#"
name: test
horizon_weeks: {weeks}
seed: 11
regions:
  - name: North
    population: 1000000
    reception_places: 800
    jobs: {{low: 100000, mid: 100000, high: 50000}}
    housing: {{small_units_per_week: 5, medium_units_per_week: 5, large_units_per_week: 2}}
  - name: South
    population: 1000000
    reception_places: 800
    jobs: {{low: 100000, mid: 100000, high: 50000}}
    housing: {{small_units_per_week: 5, medium_units_per_week: 5, large_units_per_week: 2}}
arrivals:
  weekly_rate: 100
  origin_groups:
    - {{name: g, share: 1, skills: {{low: 0.4, mid: 0.4, high: 0.2}}, household_sizes: [0.5, 0.5], recognition_probability: 0.8}}
asylum: {{decision_capacity_per_week: 40}}
policy:
{policy}
"#
    );
    parse_str(&yaml, "test.yaml").unwrap_or_else(|d| panic!("invalid:\n{d}\n{yaml}"))
}

fn run(s: &Scenario) -> ReplicationResult {
    run_replication(s, ReplicationKey::new(s.seed, 0))
}

fn bits(r: &ReplicationResult) -> Vec<u64> {
    r.series.values.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn a_rule_whose_trigger_is_never_crossed_changes_nothing() {
    let none = world(80, "  move_on: {support: false}");
    let rule = world(
        80,
        "  adaptation:
    - name: never
      signpost: {indicator: asylum_backlog, region: all}
      trigger: {above: 1.0e12}
      release: {below: 0, min_hold_weeks: 4}
      actions:
        - {name: more, lever: decision_capacity, step: 100, cost: {setup_per_unit: 5, holding_per_unit_week: 1}}",
    );
    let (a, b) = (run(&none), run(&rule));
    assert!(b.actions.is_empty());
    assert_eq!(bits(&a), bits(&b));
    let headline =
        |r: &ReplicationResult| -> Vec<u64> { r.headline.iter().map(|v| v.to_bits()).collect() };
    assert_eq!(headline(&a), headline(&b));
}

#[test]
fn a_rule_whose_action_is_a_no_op_changes_nothing_but_is_recorded() {
    // Switching move-on support on when it is on already.
    let none = world(80, "  move_on: {support: true}");
    let rule = world(
        80,
        "  move_on: {support: true}
  adaptation:
    - name: noop
      signpost: {indicator: asylum_backlog, region: all}
      trigger: {above: 0}
      actions:
        - {name: support, lever: move_on_support}",
    );
    let (a, b) = (run(&none), run(&rule));
    assert_eq!(b.actions.len(), 1, "{:?}", b.actions);
    assert_eq!(bits(&a), bits(&b));
}

#[test]
fn hysteresis_never_changes_direction_faster_than_its_holding_time() {
    // Weekly arrivals scatter around 100: a rule triggered above 100 and
    // released below it is pushed both ways nearly every week.
    let hold = 8;
    let s = world(
        300,
        &format!(
            "  adaptation:
    - name: flicker
      signpost: {{indicator: arrivals}}
      trigger: {{above: 50}}
      release: {{below: 50, min_hold_weeks: {hold}}}
      actions:
        - {{name: places, lever: reception_places, step: 10, max: 30}}"
        ),
    );
    let r = run(&s);
    let (mut ups, mut downs) = (0, 0);
    for region in [Some(0), Some(1)] {
        let steps: Vec<&ActionTaken> = r.actions.iter().filter(|a| a.region == region).collect();
        for pair in steps.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let turn = (a.size > 0.0) != (b.size > 0.0);
            if turn || b.size < 0.0 {
                assert!(
                    b.week - a.week >= hold,
                    "changes {} weeks apart: {a:?} then {b:?}",
                    b.week - a.week
                );
            }
        }
        ups += steps.iter().filter(|a| a.size > 0.0).count();
        downs += steps.iter().filter(|a| a.size < 0.0).count();
    }
    assert!(ups >= 10 && downs >= 10, "{ups} steps up, {downs} down");
}

#[test]
fn a_pathway_takes_its_next_action_at_the_cap_and_releases_last_in_first_out() {
    let s = world(
        200,
        "  adaptation:
    - name: pathway
      signpost: {indicator: asylum_backlog, region: all}
      trigger: {above: 50}
      actions:
        - {name: places, lever: reception_places, step: 100, max: 200}
        - {name: decisions, lever: decision_capacity, step: 30, max: 60}",
    );
    let r = run(&s);
    let order: Vec<(usize, f64)> = r.actions.iter().map(|a| (a.action, a.size)).collect();
    assert_eq!(
        order,
        [(0, 100.0), (0, 100.0), (1, 30.0), (1, 30.0)],
        "{:?}",
        r.actions
    );
    // Places in both regions (the action names none): capacity 800 + 200 each.
    let cap = r
        .series
        .get(199, r.series.national(), ind::RECEPTION_CAPACITY);
    assert_eq!(cap, 2.0 * (800.0 + 200.0));
}

#[test]
fn a_step_takes_effect_after_its_lead_time() {
    let s = world(
        120,
        "  adaptation:
    - name: slow
      signpost: {indicator: asylum_backlog, region: all}
      trigger: {above: 50}
      actions:
        - {name: places, lever: reception_places, step: 500, max: 500, lead_time_weeks: 6, regions: [South]}",
    );
    let r = run(&s);
    assert_eq!(r.actions.len(), 1, "{:?}", r.actions);
    let d = r.actions[0].week as usize;
    assert_eq!(r.actions[0].region, Some(1));
    let south = |w: usize| r.series.get(w, 1, ind::RECEPTION_CAPACITY);
    assert_eq!(south(d + 5), 800.0);
    assert_eq!(south(d + 6), 1300.0);
    assert_eq!(r.series.get(d + 6, 0, ind::RECEPTION_CAPACITY), 800.0);
}

#[test]
fn set_up_and_holding_costs_are_counted() {
    // A no-op switch with a cost: the cost indicator rises by exactly the
    // set-up cost once and the holding cost every week from the decision.
    let none = world(60, "  move_on: {support: true}");
    let rule = world(
        60,
        "  move_on: {support: true}
  adaptation:
    - name: paid
      signpost: {indicator: asylum_backlog, region: all}
      trigger: {above: 0}
      actions:
        - {name: support, lever: move_on_support, cost: {setup_per_unit: 1000, holding_per_unit_week: 10}}",
    );
    let (a, b) = (run(&none), run(&rule));
    let d = b.actions[0].week;
    let total = |r: &ReplicationResult| -> f64 {
        (0..60)
            .map(|w| r.series.get(w, r.series.national(), ind::COST))
            .sum()
    };
    let expected = 1000.0 + 10.0 * f64::from(60 - d);
    assert!(
        (total(&b) - total(&a) - expected).abs() < 1e-3,
        "{} more, expected {expected}",
        total(&b) - total(&a)
    );
}

fn problems(policy: &str) -> String {
    let yaml = format!(
        "name: x\nhorizon_weeks: 10\nregions: [{{name: r, population: 1, reception_places: 1, jobs: {{low: 1, mid: 1, high: 1}}}}]\n\
         arrivals: {{weekly_rate: 1, origin_groups: [{{name: g, share: 1, skills: {{low: 1, mid: 0, high: 0}}, household_sizes: [1], recognition_probability: 1}}]}}\n\
         policy:\n  adaptation:\n{policy}\n"
    );
    match parse_str(&yaml, "a.yaml") {
        Ok(_) => panic!("accepted:\n{yaml}"),
        Err(d) => d.to_string(),
    }
}

#[test]
fn bad_rules_are_refused_at_their_field() {
    let national = problems(
        "    - {name: a, signpost: {indicator: arrivals}, trigger: {above: 1}, \
         actions: [{name: x, lever: decision_capacity, step: 10}]}",
    );
    assert!(
        national.contains("policy.adaptation[0].actions[0].lever") && national.contains("national"),
        "{national}"
    );
    let side = problems(
        "    - {name: a, signpost: {indicator: arrivals}, trigger: {above: 1}, release: {below: 5}, \
         actions: [{name: x, lever: reception_places, step: 10}]}",
    );
    assert!(
        side.contains("policy.adaptation[0].release") && side.contains("hysteresis"),
        "{side}"
    );
    let indicator = problems(
        "    - {name: a, signpost: {indicator: arivals}, trigger: {above: 1}, \
         actions: [{name: x, lever: reception_places, step: 10}]}",
    );
    assert!(
        indicator.contains("policy.adaptation[0].signpost.indicator"),
        "{indicator}"
    );
    let switch = problems(
        "    - {name: a, signpost: {indicator: arrivals, region: all}, trigger: {above: 1}, \
         actions: [{name: x, lever: dispersal_rule, step: 1}]}",
    );
    assert!(
        switch.contains("policy.adaptation[0].actions[0].step")
            && switch.contains("policy.adaptation[0].actions[0].to"),
        "{switch}"
    );
}
