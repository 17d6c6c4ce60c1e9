//! The cohort outcomes (`docs/model.md`, "Outcomes by arrival cohort"):
//! they agree with the weekly indicators where both count the same persons,
//! their shares add up, and they are written as documented.

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
