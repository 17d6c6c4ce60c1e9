//! Each weekly process does what `model.md` says, on small scenarios built
//! for it; nobody is lost; the same input gives the same output.

use foresight::model::components::Service;
use foresight::model::indicators::{self as ind, service_indicator};
use foresight::model::{ReplicationKey, ReplicationResult, Series, run_replication};
use foresight::scenario::{Scenario, parse_str};

/// A one-region world; `extra` is appended at the top level and `region`
/// inside the region.
fn scenario(region: &str, arrivals: &str, extra: &str) -> Scenario {
    let yaml = format!(
        r#"
name: test
horizon_weeks: 60
seed: 3
regions:
  - name: Only
    population: 1000000
    reception_places: 10000
    jobs: {{low: 100000, mid: 100000, high: 50000}}
{region}
arrivals:
{arrivals}
  origin_groups:
    - name: g
      share: 1
      skills: {{low: 0.4, mid: 0.4, high: 0.2}}
      household_sizes: [0.5, 0.2, 0.2, 0.1]
      recognition_probability: 1.0
secondary_movement: {{rate_per_week: 0}}
{extra}
"#
    );
    parse_str(&yaml, "test.yaml").unwrap_or_else(|d| panic!("test scenario invalid:\n{d}\n{yaml}"))
}

fn run(s: &Scenario) -> ReplicationResult {
    run_replication(s, ReplicationKey::new(s.seed, 0))
}

fn national(s: &Series, week: usize, k: usize) -> f64 {
    s.get(week, s.national(), k)
}

const STATUSES: [usize; 9] = [
    ind::ASYLUM_SEEKERS,
    ind::RECOGNISED,
    ind::REJECTED,
    ind::RESETTLED,
    ind::RESIDENTS,
    ind::DEPARTED,
    ind::SUBSIDIARY,
    ind::APPEALING,
    ind::TOLERATED,
];
const HOUSING: [usize; 5] = [
    ind::RECEPTION_OCCUPANCY,
    ind::EMERGENCY,
    ind::MAINSTREAM,
    ind::OVERCROWDED,
    ind::HOMELESS,
];

/// Every person who entered (arrived, family members joining a sponsor
/// included, or was born) is in exactly one legal status each week or among
/// the deceased, and every person present in exactly one housing status,
/// in every slot.
pub fn assert_nobody_lost(s: &Series, initial_backlog: f64) {
    let mut entered = None;
    for week in 0..s.weeks {
        for slot in 0..s.slots {
            let statuses: f64 = STATUSES.iter().map(|&k| s.get(week, slot, k)).sum();
            let present = s.get(week, slot, ind::PRESENT);
            assert_eq!(
                statuses - s.get(week, slot, ind::DEPARTED),
                present,
                "week {week} slot {slot}: present ≠ statuses less departed"
            );
            let housed: f64 = HOUSING.iter().map(|&k| s.get(week, slot, k)).sum();
            assert_eq!(
                housed, present,
                "week {week} slot {slot}: housing ≠ present"
            );
        }
        let total: f64 = STATUSES.iter().map(|&k| national(s, week, k)).sum::<f64>()
            + national(s, week, ind::DECEASED);
        let arrived = national(s, week, ind::ARRIVALS) + national(s, week, ind::BIRTHS);
        match entered {
            None => {
                // The initial backlog is drawn in whole households.
                let backlog = total - arrived;
                assert!(
                    backlog >= initial_backlog && backlog < initial_backlog + 12.0,
                    "initial backlog {backlog}, configured {initial_backlog}"
                );
            }
            Some(before) => assert_eq!(
                total,
                before + arrived,
                "week {week}: persons appeared or vanished"
            ),
        }
        entered = Some(total);
    }
}

#[test]
fn baseline_loses_nobody_and_is_plausible() {
    let s = foresight::scenario::load(std::path::Path::new("scenarios/baseline.yaml")).unwrap();
    let r = run(&s);
    assert_nobody_lost(&r.series, s.asylum.initial_backlog as f64);
    let last = r.series.weeks - 1;
    let employment = national(&r.series, last, ind::EMPLOYMENT_RATE);
    assert!(
        (0.05..0.95).contains(&employment),
        "employment rate {employment}"
    );
    assert!(r.person_weeks > 1e6);
}

#[test]
fn full_reception_sends_arrivals_to_emergency_accommodation() {
    let yaml = r#"
name: full
horizon_weeks: 20
regions:
  - {name: A, population: 100000, reception_places: 50, jobs: {low: 1000, mid: 1000, high: 100}}
arrivals:
  weekly_rate: 100
  origin_groups:
    - {name: g, share: 1, skills: {low: 1, mid: 0, high: 0}, household_sizes: [1], recognition_probability: 1}
asylum: {decision_capacity_per_week: 0}
"#;
    let s = parse_str(yaml, "full.yaml").unwrap();
    let r = run(&s);
    let last = r.series.weeks - 1;
    let in_reception = national(&r.series, last, ind::RECEPTION_OCCUPANCY);
    let emergency = national(&r.series, last, ind::EMERGENCY);
    let arrived: f64 = (0..r.series.weeks)
        .map(|w| national(&r.series, w, ind::ARRIVALS))
        .sum();
    assert_eq!(in_reception, 50.0, "reception is filled to capacity");
    assert_eq!(
        emergency,
        arrived - 50.0,
        "everyone else is in emergency accommodation"
    );
    for w in 0..r.series.weeks {
        assert!(national(&r.series, w, ind::RECEPTION_OCCUPANCY) <= 50.0);
    }
}

/// No housing comes free: recognised refugees become homeless at the end
/// of the move-on period and not before. Nobody is born, dies or joins a
/// sponsor, so that the persons counted stay those recognised.
fn homeless_after_move_on(support: bool) -> Series {
    let yaml = format!(
        r#"
name: move_on
horizon_weeks: 12
regions:
  - {{name: A, population: 100000, reception_places: 100000, jobs: {{low: 1000, mid: 1000, high: 100}}}}
arrivals:
  weekly_rate: 0
  origin_groups:
    - {{name: g, share: 1, skills: {{low: 1, mid: 0, high: 0}}, household_sizes: [0.5, 0.5], recognition_probability: 1, family_abroad: {{members_per_adult: 0}}}}
asylum: {{decision_capacity_per_week: 100000, initial_backlog: 300}}
secondary_movement: {{rate_per_week: 0}}
demography: {{mortality_multiplier: 0, total_fertility_rate: 0, leaving_home_rate_per_year: 0}}
policy:
  move_on: {{period_weeks: 4, support: {support}}}
"#
    );
    let s = parse_str(&yaml, "move_on.yaml").unwrap();
    run(&s).series
}

#[test]
fn without_housing_recognised_refugees_become_homeless_after_the_move_on_period() {
    let s = homeless_after_move_on(false);
    let recognised = national(&s, 0, ind::RECOGNISED);
    assert!(recognised >= 300.0);
    for week in 0..4 {
        assert_eq!(
            national(&s, week, ind::HOMELESS),
            0.0,
            "week {week}: homeless too early"
        );
        assert_eq!(national(&s, week, ind::RECEPTION_OCCUPANCY), recognised);
    }
    for week in 4..s.weeks {
        assert_eq!(
            national(&s, week, ind::HOMELESS_REFUGEES),
            recognised,
            "week {week}"
        );
        assert_eq!(national(&s, week, ind::RECEPTION_OCCUPANCY), 0.0);
    }
}

#[test]
fn move_on_support_places_them_in_temporary_accommodation_instead() {
    let s = homeless_after_move_on(true);
    let recognised = national(&s, 0, ind::RECOGNISED);
    for week in 4..s.weeks {
        assert_eq!(national(&s, week, ind::HOMELESS), 0.0);
        assert_eq!(national(&s, week, ind::EMERGENCY), recognised);
    }
}

#[test]
fn housing_units_go_to_households_of_the_right_size() {
    // Only one-person units come free. Singles are housed; families of
    // three cannot take them, are homeless after the move-on period, and
    // accept a unit too small (overcrowded) once they have waited 12 weeks.
    // Nobody is born, dies or joins a sponsor, so households keep their size.
    let yaml = r#"
name: sizes
horizon_weeks: 30
regions:
  - name: A
    population: 100000
    reception_places: 100000
    jobs: {low: 1000, mid: 1000, high: 100}
    housing: {small_units_per_week: 1000}
arrivals:
  weekly_rate: 0
  origin_groups:
    - {name: g, share: 1, skills: {low: 1, mid: 0, high: 0}, household_sizes: [0.5, 0, 0.5], recognition_probability: 1, family_abroad: {members_per_adult: 0}}
asylum: {decision_capacity_per_week: 100000, initial_backlog: 400}
housing: {overcrowding_after_weeks: 12}
secondary_movement: {rate_per_week: 0}
demography: {mortality_multiplier: 0, total_fertility_rate: 0, leaving_home_rate_per_year: 0}
"#;
    let s = parse_str(yaml, "sizes.yaml").unwrap();
    let r = run(&s);
    let at = |w: usize, k: usize| national(&r.series, w, k);
    let recognised = at(0, ind::RECOGNISED);
    let singles = at(0, ind::MAINSTREAM);
    let families = recognised - singles;
    assert!(singles > 0.0 && families > 0.0);
    assert_eq!(
        families % 3.0,
        0.0,
        "only households of three wait: {families}"
    );
    for w in 4..12 {
        assert_eq!(at(w, ind::HOMELESS_REFUGEES), families, "week {w}");
        assert_eq!(at(w, ind::OVERCROWDED), 0.0, "week {w}");
    }
    for w in 12..r.series.weeks {
        assert_eq!(at(w, ind::OVERCROWDED), families, "week {w}");
        assert_eq!(at(w, ind::MAINSTREAM), singles, "week {w}");
    }
}

#[test]
fn automation_shrinks_low_tier_jobs_at_the_given_rate() {
    let s = scenario(
        "",
        "  weekly_rate: 10",
        "labour_market:\n  automation_annual_rate: {low: 0.05, mid: 0.02, high: 0}",
    );
    let r = run(&s);
    // After 52 weekly steps, a year's rate has been applied exactly.
    let low = national(&r.series, 51, ind::JOBS);
    let mid = national(&r.series, 51, ind::JOBS + 1);
    let high = national(&r.series, 51, ind::JOBS + 2);
    assert!((low / 100_000.0 - 0.95).abs() < 1e-9, "low-tier jobs {low}");
    assert!((mid / 100_000.0 - 0.98).abs() < 1e-9, "mid-tier jobs {mid}");
    assert_eq!(high, 50_000.0);
}

#[test]
fn integration_from_day_one_opens_language_courses_to_asylum_seekers() {
    let run_with = |day_one: bool| {
        let s = scenario(
            "    services: {language: {seats: 100000}}",
            "  weekly_rate: 50",
            &format!(
                "asylum: {{decision_capacity_per_week: 0}}\npolicy: {{integration_from_day_one: {day_one}}}"
            ),
        );
        let r = run(&s);
        let in_course: f64 = (0..r.series.weeks)
            .map(|w| {
                national(
                    &r.series,
                    w,
                    service_indicator(Service::Language, ind::IN_SERVICE),
                )
            })
            .sum();
        let recognised: f64 = (0..r.series.weeks)
            .map(|w| national(&r.series, w, ind::RECOGNISED))
            .sum();
        assert_eq!(recognised, 0.0, "nobody is decided");
        in_course
    };
    assert_eq!(
        run_with(false),
        0.0,
        "asylum seekers have no access by default"
    );
    assert!(
        run_with(true) > 0.0,
        "integration from day one lets them in"
    );
}

#[test]
fn services_never_exceed_their_seats_and_serve_first_come_first_served() {
    let s = scenario(
        "    services: {language: {seats: 40}}",
        "  weekly_rate: 40",
        "asylum: {decision_capacity_per_week: 100000}",
    );
    let r = run(&s);
    let mut waited = false;
    for w in 0..r.series.weeks {
        let in_service = national(
            &r.series,
            w,
            service_indicator(Service::Language, ind::IN_SERVICE),
        );
        assert!(in_service <= 40.0, "week {w}: {in_service} in 40 seats");
        if national(
            &r.series,
            w,
            service_indicator(Service::Language, ind::WAITING),
        ) > 0.0
        {
            waited = true;
        }
    }
    assert!(waited, "demand exceeds 40 seats: a waiting list forms");
    let mean_wait = r.headline_value("language_wait_mean_weeks").unwrap();
    assert!(mean_wait > 1.0, "people wait: {mean_wait}");
}

#[test]
fn asylum_decisions_work_through_the_backlog_at_capacity() {
    let yaml = r#"
name: decisions
horizon_weeks: 10
regions:
  - {name: A, population: 100000, reception_places: 100000, jobs: {low: 1000, mid: 1000, high: 100}}
arrivals:
  weekly_rate: 0
  origin_groups:
    - {name: g, share: 1, skills: {low: 1, mid: 0, high: 0}, household_sizes: [1], recognition_probability: 0.5}
asylum: {decision_capacity_per_week: 100, initial_backlog: 1000, rejected_departure_rate_per_week: 0}
demography: {mortality_multiplier: 0}
"#;
    let s = parse_str(yaml, "decisions.yaml").unwrap();
    let r = run(&s);
    for w in 0..10 {
        assert_eq!(national(&r.series, w, ind::DECISIONS), 100.0, "week {w}");
        assert_eq!(
            national(&r.series, w, ind::ASYLUM_BACKLOG),
            1000.0 - 100.0 * (w as f64 + 1.0)
        );
    }
    let recognised = national(&r.series, 9, ind::RECOGNISED);
    // Binomial(1000, 0.5): within 4 standard deviations (±63).
    assert!((recognised - 500.0).abs() < 64.0, "recognised {recognised}");
}

#[test]
fn same_seed_same_results_and_different_seed_different_results() {
    let s = scenario(
        "    services: {language: {seats: 50}}",
        "  weekly_rate: 30",
        "",
    );
    let a = run_replication(&s, ReplicationKey::new(11, 0));
    let b = run_replication(&s, ReplicationKey::new(11, 0));
    let c = run_replication(&s, ReplicationKey::new(12, 0));
    let bits = |r: &ReplicationResult| {
        r.series
            .values
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&a), bits(&b));
    assert_ne!(bits(&a), bits(&c));
    let d = run_replication(&s, ReplicationKey::new(11, 1));
    assert_ne!(bits(&a), bits(&d), "replications differ");
}

#[test]
fn scale_thins_persons_not_households() {
    // Without onward movement (whose households without agents borrow the
    // agents' employment), households follow the same draws at every
    // scale: their counts are the same to the bit. Persons are counted
    // through agents, each standing for `scale` persons.
    let base = scenario(
        "",
        "  weekly_rate: 200",
        "asylum: {decision_capacity_per_week: 30}",
    );
    let mut scaled = base.clone();
    scaled.scale = 10;
    let r1 = run(&base);
    let r10 = run(&scaled);
    for k in [
        ind::ARRIVALS,
        ind::ASYLUM_SEEKERS,
        ind::RECOGNISED,
        ind::PRESENT,
        ind::RECEPTION_OCCUPANCY,
        ind::EMERGENCY,
        ind::HOMELESS,
        ind::MAINSTREAM,
        ind::OVERCROWDED,
    ] {
        for w in 0..r1.series.weeks {
            assert_eq!(
                national(&r1.series, w, k).to_bits(),
                national(&r10.series, w, k).to_bits(),
                "{} in week {w}",
                ind::WEEKLY[k].name
            );
        }
    }
    assert_eq!(r1.person_weeks, r10.person_weeks);
    for w in 0..r10.series.weeks {
        let refugees = national(&r10.series, w, ind::WORKING_AGE_REFUGEES);
        assert_eq!(refugees % 10.0, 0.0, "each agent stands for ten persons");
    }
    // About one person in ten is an agent.
    let share = r10.agent_weeks as f64 / r10.person_weeks;
    assert!((0.07..0.13).contains(&share), "agents' share {share}");
    assert_eq!(r1.agent_weeks as f64, r1.person_weeks);
}
