//! The cohort outcomes (`docs/model.md`, "Outcomes by arrival cohort"):
//! they agree with the weekly indicators where both count the same persons,
//! their shares add up, and they are written as documented; the school
//! and family-reunion shares match what tiny worlds make them by hand.

#[allow(dead_code)] // not every test file uses all of it
mod common;

use std::path::Path;

use foresight::model::indicators::cohort::{self, COHORT};
use foresight::model::indicators::{self as ind, cohort_indicator};
use foresight::model::{ReplicationKey, ReplicationResult, run_replication};
use foresight::scenario::Scenario;

fn baseline() -> Scenario {
    foresight::scenario::load(Path::new("scenarios/baseline.yaml")).unwrap()
}

fn value(r: &ReplicationResult, years: usize, c: usize, since: usize, name: &str) -> f64 {
    let k = COHORT.iter().position(|i| i.name == name).unwrap();
    r.cohorts[cohort::index(years, c, since, k)]
}

fn national(r: &ReplicationResult, week: usize, k: usize) -> f64 {
    let s = &r.series;
    s.get(week, s.national(), k)
}

#[test]
fn cohort_values_agree_with_the_weekly_series_at_each_year_end() {
    // The baseline has no early access to work, so those with the right to
    // work in a cohort are its refugees, as in `employment_rate_cohort_<c>`.
    let s = baseline();
    assert!(s.policy.early_work_access_weeks.is_none());
    let r = run_replication(&s, ReplicationKey::new(s.seed, 0));
    let years = cohort::years(s.horizon_weeks);
    assert_eq!(years, 5);
    for t in 0..years {
        let week = 52 * t + 51;
        let mut persons = 0.0;
        for c in 0..=t {
            let since = t - c;
            persons += value(&r, years, c, since, "persons");
            let weekly = national(&r, week, cohort_indicator(c, ind::COHORT_EMPLOYMENT_RATE));
            let ours = value(&r, years, c, since, "employment_rate");
            assert!(
                (weekly - ours).abs() < 1e-12,
                "cohort {c}, year {t}: weekly {weekly}, cohort table {ours}"
            );
            // The same persons in work over every working-age member, not
            // only those with the right to work: never above it.
            let all = value(&r, years, c, since, "employment_rate_working_age");
            assert!(all <= ours + 1e-12, "cohort {c}, year {t}: {all} > {ours}");
            let housing: f64 = [
                "in_reception",
                "in_emergency_accommodation",
                "in_mainstream_housing",
                "overcrowded",
                "homeless",
            ]
            .iter()
            .map(|h| value(&r, years, c, since, h))
            .sum();
            assert!(
                (housing - 1.0).abs() < 1e-9,
                "cohort {c}, year {t}: {housing}"
            );
            for name in ["language_proficient", "language_course_completed"] {
                let v = value(&r, years, c, since, name);
                assert!((0.0..=1.0).contains(&v), "{name}: {v}");
            }
        }
        // Every humanitarian arrival still present is in one cohort.
        let present = national(&r, week, ind::PRESENT) - national(&r, week, ind::RESIDENTS);
        assert_eq!(persons, present, "year {t}");
    }
    // The pairs past the horizon are never observed.
    assert!(value(&r, years, 4, 1, "persons").is_nan());
}

#[test]
fn a_horizon_shorter_than_a_year_observes_no_cohort() {
    let mut s = baseline();
    s.horizon_weeks = 51;
    let r = run_replication(&s, ReplicationKey::new(s.seed, 0));
    assert!(r.cohorts.is_empty());
}

#[test]
fn the_run_writes_both_cohort_files_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    common::write_small_world(dir.path(), 110, 30);
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args(["run", common::s(&dir.path().join("world.yaml")), "-n", "2"])
        .args(["--out", common::s(&out), "--report"])
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let values = std::fs::read_to_string(out.join("cohorts.csv")).unwrap();
    let mut lines = values.lines();
    assert_eq!(
        lines.next(),
        Some("replication,cohort,years_since_arrival,indicator,value")
    );
    // Two complete years: (0,0), (0,1), (1,0), each with every indicator,
    // for each of two replications.
    assert_eq!(lines.count(), 2 * 3 * COHORT.len());
    let summary = std::fs::read_to_string(out.join("cohort_summary.csv")).unwrap();
    let mut lines = summary.lines();
    assert_eq!(
        lines.next(),
        Some(
            "scenario,policy,cohort,years_since_arrival,indicator,count,mean,sd,p5,p25,p50,p75,p95"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3 * COHORT.len());
    assert!(rows[0].starts_with("small_world,default,0,0,persons,2,"));
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"cohort_summary.csv\"") && manifest.contains("\"cohorts.csv\""));
    // The report: employment and language by years since arrival, one line
    // per cohort (two cohorts observed).
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for name in ["employment_rate", "language_proficient"] {
        let id = format!("id=\"cohort-small_world-default-{name}\"");
        let start = html.find(&id).unwrap_or_else(|| panic!("no chart {id}"));
        let chart = &html[start..start + html[start..].find("</svg>").unwrap()];
        assert_eq!(chart.matches("stroke-linejoin").count(), 2, "{name}");
        assert!(chart.contains("arrived year 0") && chart.contains("arrived year 1"));
    }
}

/// A world of one region whose persons all arrive in week 0 (the initial
/// backlog of `backlog` persons, in households of `sizes`: cohort 0) and
/// stay: no arrivals after, no deaths, births, departures, moves or young
/// adults leaving home. Every asylum seeker is recognised in week 0 (with
/// subsidiary protection at the share `subsidiary`) if `decide`, else no
/// decision is ever taken. `places` are the primary and secondary school
/// places; `abroad` the family abroad per adult; `policy` the policy block.
struct OneCohort<'a> {
    sizes: &'a str,
    backlog: u32,
    decide: bool,
    places: (u32, u32),
    abroad: f64,
    subsidiary: f64,
    policy: &'a str,
}

impl OneCohort<'_> {
    fn scenario(&self) -> Scenario {
        let capacity = if self.decide { 1_000_000 } else { 0 };
        let yaml = format!(
            r#"
name: one_cohort
horizon_weeks: 104
seed: 16
regions:
  - name: r
    population: 10000000
    reception_places: 1000000
    jobs: {{low: 0, mid: 0, high: 0}}
    schools: {{primary_places: {}, secondary_places: {}}}
arrivals:
  weekly_rate: 0
  origin_groups:
    - name: g
      share: 1
      skills: {{low: 1, mid: 0, high: 0}}
      household_sizes: {}
      recognition_probability: 1
      family_abroad: {{members_per_adult: {}, subsidiary_protection_share: {}}}
asylum:
  decision_capacity_per_week: {capacity}
  initial_backlog: {}
  rejected_departure_rate_per_week: 0
secondary_movement: {{rate_per_week: 0}}
demography: {{mortality_multiplier: 0, total_fertility_rate: 0, leaving_home_rate_per_year: 0}}
policy: {}
"#,
            self.places.0,
            self.places.1,
            self.sizes,
            self.abroad,
            self.subsidiary,
            self.backlog,
            self.policy,
        );
        foresight::scenario::parse_str(&yaml, "one_cohort.yaml").unwrap_or_else(|e| panic!("{e}"))
    }

    fn run(&self) -> ReplicationResult {
        let s = self.scenario();
        run_replication(&s, ReplicationKey::new(s.seed, 0))
    }
}

/// Families of four (parents and two children of any age under 18), all
/// recognised in week 0 unless `decide` is false.
fn families(places: (u32, u32), decide: bool, policy: &str) -> OneCohort<'_> {
    OneCohort {
        sizes: "[0, 0, 0, 1]",
        backlog: 4000,
        decide,
        places,
        abroad: 0.0,
        subsidiary: 0.0,
        policy,
    }
}

/// `in_school` of cohort 0 at the end of years 0 and 1.
fn in_school(r: &ReplicationResult) -> [f64; 2] {
    [0, 1].map(|since| value(r, 2, 0, since, "in_school"))
}

#[test]
fn in_school_is_the_share_of_school_age_children_holding_a_place() {
    // No school places: nobody holds one, and there are children of school
    // age (an empty cohort would give an undefined share, not 0).
    assert_eq!(in_school(&families((0, 0), true, "{}").run()), [0.0, 0.0]);
    // Places for everyone: every child of school age holds one.
    let ample = (1_000_000, 1_000_000);
    assert_eq!(in_school(&families(ample, true, "{}").run()), [1.0, 1.0]);
    // Places for everyone, but the households still seek asylum and
    // schools are closed to their children: none holds one.
    let closed = "{school_access: {asylum_seekers: false}}";
    assert_eq!(in_school(&families(ample, false, closed).run()), [0.0, 0.0]);

    // 100 primary places and no secondary ones, every child with access:
    // the 100 pupils over the children of school age, who all hold a place
    // or wait for one.
    let r = families((100, 0), true, "{}").run();
    for since in 0..2 {
        let week = 52 * since + 51;
        let pupils = national(&r, week, ind::PUPILS) + national(&r, week, ind::PUPILS + 1);
        let waiting = national(&r, week, ind::SCHOOL_WAITING);
        assert_eq!(pupils, 100.0, "year {since}");
        assert!(waiting > 100.0, "year {since}: {waiting} waiting");
        let share = value(&r, 2, 0, since, "in_school");
        assert!(
            (share - pupils / (pupils + waiting)).abs() < 1e-12,
            "year {since}: {share}, expected {pupils} / ({pupils} + {waiting})"
        );
    }
}

/// Single adults, 40% of them with a spouse abroad (a family of one: every
/// household that arrives is of one), recognised in week 0 with subsidiary
/// protection at the share `subsidiary`; family reunion with no waiting
/// period and processed in one week in each `policy` here.
fn sponsors<'a>(subsidiary: f64, policy: &'a str) -> OneCohort<'a> {
    OneCohort {
        sizes: "[1]",
        backlog: 5000,
        decide: true,
        places: (0, 0),
        abroad: 0.4,
        subsidiary,
        policy,
    }
}

/// `family_reunited` of cohort 0 at the end of years 0 and 1.
fn reunited(r: &ReplicationResult) -> [f64; 2] {
    [0, 1].map(|since| value(r, 2, 0, since, "family_reunited"))
}

#[test]
fn family_reunited_is_the_share_of_sponsors_whose_family_has_joined() {
    let open = "{family_reunion: {waiting_period_weeks: 0, processing_weeks: 1}}";
    // Everyone applies in week 1 and the family arrives a week later.
    assert_eq!(reunited(&sponsors(0.0, open).run()), [1.0, 1.0]);
    // No visas: everyone has applied, nobody's family has come.
    let none = "{family_reunion: {waiting_period_weeks: 0, processing_weeks: 1, annual_cap: 0}}";
    assert_eq!(reunited(&sponsors(0.0, none).run()), [0.0, 0.0]);
    // Only subsidiary protection, which may not sponsor: nobody is
    // eligible, and the share is undefined.
    let barred = "{family_reunion: {waiting_period_weeks: 0, processing_weeks: 1, \
                  subsidiary_protection_eligible: false}}";
    let r = sponsors(1.0, barred).run();
    assert!(
        reunited(&r).iter().all(|v| v.is_nan()),
        "{:?}",
        reunited(&r)
    );

    // 100 visas a year for families of one: 100 households reunited in the
    // first year, 200 by the end of the second, of all who applied.
    let capped =
        "{family_reunion: {waiting_period_weeks: 0, processing_weeks: 1, annual_cap: 100}}";
    let r = sponsors(0.0, capped).run();
    let applied: f64 = (0..r.series.weeks)
        .map(|w| national(&r, w, ind::REUNION_APPLICATIONS))
        .sum();
    assert!(applied > 200.0, "{applied} applied");
    assert_eq!(reunited(&r), [100.0 / applied, 200.0 / applied]);
}
