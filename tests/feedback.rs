//! The feedback loops (`feedback.*`): each switched on changes what it
//! should and, switched off, holds its quantity at the start.
//!
//! The configuration: one region of a million residents; one-person asylum
//! households, all recognised in their arrival week; services off.

use foresight::model::indicators as ind;
use foresight::model::volunteers::next_stock;
use foresight::model::{ReplicationKey, ReplicationResult, run_replication};
use foresight::scenario::{Scenario, parse_str};

fn scenario(weekly_rate: f64, reception: u32, attitude: f64, extra: &str) -> Scenario {
    with_decisions(weekly_rate, reception, attitude, 1_000_000, extra)
}

/// [`scenario`] with a national decision capacity (persons a week).
fn with_decisions(
    weekly_rate: f64,
    reception: u32,
    attitude: f64,
    decisions: u32,
    extra: &str,
) -> Scenario {
    let yaml = text(weekly_rate, reception, attitude, decisions, extra);
    parse_str(&yaml, "feedback.yaml").unwrap_or_else(|e| panic!("scenario invalid:\n{e}"))
}

/// The scenario file's text.
fn text(weekly_rate: f64, reception: u32, attitude: f64, decisions: u32, extra: &str) -> String {
    let off = "{take_up_per_week: 0, duration_weeks: 1, cost_per_place_week: 0}";
    format!(
        r#"
name: feedback
horizon_weeks: 200
seed: 5
regions:
  - name: Only
    population: 1000000
    reception_places: {reception}
    attitude: {attitude}
    jobs: {{low: 200000, mid: 0, high: 0}}
arrivals:
  weekly_rate: {weekly_rate}
  channels: {{asylum: 1}}
  origin_groups:
    - name: g
      share: 1
      skills: {{low: 1, mid: 0, high: 0}}
      household_sizes: [1]
      recognition_probability: 1
asylum: {{decision_capacity_per_week: {decisions}}}
services:
  language: {off}
  coaching: {off}
  credential_recognition: {off}
  interpretation: {off}
  health_registration: {off}
  mental_health: {off}
secondary_movement: {{rate_per_week: 0}}
{extra}
"#
    )
}

fn run(s: &Scenario) -> ReplicationResult {
    run_replication(s, ReplicationKey::new(s.seed, 0))
}

fn national(r: &ReplicationResult, w: usize, k: usize) -> f64 {
    r.series.get(w, r.series.national(), k)
}

#[test]
fn attitudes_stay_at_their_start_with_the_attitude_loop_off() {
    // Reception far too small: emergency accommodation is pressure.
    let on = run(&scenario(200.0, 100, 0.6, ""));
    let off = run(&scenario(200.0, 100, 0.6, "feedback: {attitude: false}"));
    let weeks = on.series.weeks;
    assert!(
        national(&on, weeks - 1, ind::ATTITUDE) < 0.5,
        "with the loop on, pressure lowers attitude: {}",
        national(&on, weeks - 1, ind::ATTITUDE)
    );
    for w in 0..weeks {
        assert_eq!(national(&off, w, ind::ATTITUDE), 0.6, "week {w}");
    }
}

#[test]
fn bridges_raise_attitude_through_contact() {
    // Attitude at its start has no pull back, pressure is absent (reception
    // is ample): the only change is contact through bridges.
    let base = "attitudes: {arrivals_sensitivity: 0, overload_sensitivity: 0, reversion_rate: 0";
    let without = run(&scenario(200.0, 1_000_000, 0.5, &format!("{base}}}")));
    let with = run(&scenario(
        200.0,
        1_000_000,
        0.5,
        &format!("{base}, bridges_contact_gain: 0.00001}}"),
    ));
    let w = with.series.weeks - 1;
    assert_eq!(national(&without, w, ind::ATTITUDE), 0.5);
    assert!(national(&with, w, ind::ATTITUDE) > 0.5);
}

#[test]
fn volunteer_stock_follows_its_recurrence_from_attitude_and_arrivals() {
    let s = scenario(
        300.0,
        1_000_000,
        0.5,
        "feedback: {volunteers: true, volunteer_recruitment: 0.05, volunteer_decay_per_week: 0.02}",
    );
    let r = run(&s);
    let mut v = 1.0;
    let mut arrivals_last_week = 0.0;
    for w in 0..r.series.weeks {
        let attitude = national(&r, w, ind::ATTITUDE);
        v = next_stock(
            v,
            0.05,
            0.02,
            attitude,
            arrivals_last_week / 1_000_000.0 * 1000.0,
        );
        let got = national(&r, w, ind::VOLUNTEERS);
        assert!((got - v).abs() < 1e-12, "week {w}: {got} against {v}");
        arrivals_last_week = national(&r, w, ind::ARRIVALS);
    }
    // About 0.3 arrivals per 1,000 a week at attitude near 0.5: the stock
    // settles near 0.05 × 0.5 × 0.3 ÷ 0.02 ≈ 0.37, well below 1.
    assert!(v < 0.6, "{v}");
}

#[test]
fn volunteer_stock_decays_geometrically_without_arrivals() {
    let s = scenario(0.0, 1000, 0.5, "feedback: {volunteers: true}");
    let r = run(&s);
    for w in 0..r.series.weeks {
        let expected = 0.99f64.powi(w as i32 + 1);
        let got = national(&r, w, ind::VOLUNTEERS);
        assert!(
            (got - expected).abs() < 1e-12,
            "week {w}: {got} against {expected}"
        );
    }
    let off = run(&scenario(0.0, 1000, 0.5, ""));
    assert!((0..off.series.weeks).all(|w| national(&off, w, ind::VOLUNTEERS) == 1.0));
}

#[test]
fn volunteers_thin_mentoring_as_the_stock_decays() {
    // Few arrivals: the stock decays, fewer pairs are offered, fewer are
    // mentored, so bridges (which mentoring grows) end lower.
    let policy = "policy: {mentoring: {pairs_per_year: 2000, duration_weeks: 26}}";
    let off = run(&scenario(20.0, 1_000_000, 0.5, policy));
    let on = run(&scenario(
        20.0,
        1_000_000,
        0.5,
        &format!("{policy}\nfeedback: {{volunteers: true, volunteer_decay_per_week: 0.05}}"),
    ));
    let w = on.series.weeks - 1;
    assert!(national(&on, w, ind::VOLUNTEERS) < 0.1);
    assert!(
        national(&on, w, ind::MEAN_BRIDGES) < national(&off, w, ind::MEAN_BRIDGES),
        "bridges {} with the loop against {} without",
        national(&on, w, ind::MEAN_BRIDGES),
        national(&off, w, ind::MEAN_BRIDGES)
    );
}

#[test]
fn budgets_cap_adaptive_capacity_by_attitude() {
    // Decisions lag arrivals and reception is short, so asylum seekers wait
    // in emergency accommodation every week; a rule adds 100 places a week
    // up to 1,000. Attitude is held at 0.2 (attitude loop off): with budgets on,
    // the cap is ⌊1000 × 0.2 ÷ 0.5⌋ = 400 places.
    let rule = "policy: {adaptive_capacity: [{target: reception, trigger: 0, step: 100, max_added: 1000}]}";
    let capacity = |budgets: bool| {
        let s = with_decisions(
            500.0,
            100,
            0.2,
            10,
            &format!("{rule}\nfeedback: {{attitude: false, budgets: {budgets}}}"),
        );
        let r = run(&s);
        national(&r, r.series.weeks - 1, ind::RECEPTION_CAPACITY)
    };
    assert_eq!(capacity(false), 1100.0);
    assert_eq!(capacity(true), 500.0);
    // At or above the reference attitude the budget does not bind.
    let s = with_decisions(
        500.0,
        100,
        0.5,
        10,
        &format!("{rule}\nfeedback: {{attitude: false, budgets: true}}"),
    );
    let r = run(&s);
    assert_eq!(
        national(&r, r.series.weeks - 1, ind::RECEPTION_CAPACITY),
        1100.0
    );
}

#[test]
fn bridges_to_jobs_raise_employment() {
    let off = run(&scenario(
        100.0,
        1_000_000,
        0.5,
        "feedback: {attitude: false}",
    ));
    let on = run(&scenario(
        100.0,
        1_000_000,
        0.5,
        "feedback: {attitude: false, bridges_to_jobs: true, bridges_job_effect: 4}",
    ));
    let w = on.series.weeks - 1;
    let (a, b) = (
        national(&on, w, ind::EMPLOYED_REFUGEES),
        national(&off, w, ind::EMPLOYED_REFUGEES),
    );
    assert!(
        a > b * 1.02,
        "employed {a} with the loop against {b} without"
    );
}

#[test]
fn hostile_attitude_slows_bridges_only_with_the_bridges_loop_on() {
    // Attitude held at 0.1, a fifth of the reference: bridges grow at a fifth
    // of their rate with the loop on. Job finding is held equal (effect 1),
    // so the difference in bridges is the slower growth alone.
    let run_at = |loop_on: bool| {
        let s = scenario(
            100.0,
            1_000_000,
            0.1,
            &format!(
                "feedback: {{attitude: false, bridges_to_jobs: {loop_on}, bridges_job_effect: 1}}"
            ),
        );
        run(&s)
    };
    let (off, on) = (run_at(false), run_at(true));
    let w = on.series.weeks - 1;
    assert_eq!(
        national(&on, w, ind::EMPLOYED_REFUGEES),
        national(&off, w, ind::EMPLOYED_REFUGEES),
        "job finding does not depend on bridges at effect 1"
    );
    let (b_on, b_off) = (
        national(&on, w, ind::MEAN_BRIDGES),
        national(&off, w, ind::MEAN_BRIDGES),
    );
    assert!(
        b_on < 0.5 * b_off,
        "bridges {b_on} with the loop against {b_off} without"
    );
}

#[test]
fn the_manifest_and_the_report_say_which_loops_were_on() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("loops.yaml");
    let yaml = text(
        50.0,
        1000,
        0.5,
        1000,
        "feedback: {volunteers: true, budgets: true}",
    )
    .replace("horizon_weeks: 200", "horizon_weeks: 20");
    std::fs::write(&file, yaml).unwrap();
    let out = tmp.path().join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args([
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--report",
        ])
        .output()
        .expect("run foresight");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["feedback_loops"],
        serde_json::json!({"feedback": ["attitude", "budgets", "volunteers"]})
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains(
            "<dt>Feedback loops on</dt><dd><code>attitude</code>, <code>budgets</code>, \
             <code>volunteers</code></dd>"
        ),
        "the report's row of loops"
    );
}

#[test]
fn employment_rises_across_the_range_of_the_bridges_effect() {
    // A60's range 1.25–2, and 1 (no effect) below it.
    let employed: Vec<f64> = [1.0, 1.25, 2.0]
        .iter()
        .map(|e| {
            let r = run(&scenario(
                100.0,
                1_000_000,
                0.5,
                &format!(
                    "feedback: {{attitude: false, bridges_to_jobs: true, bridges_job_effect: {e}}}"
                ),
            ));
            national(&r, r.series.weeks - 1, ind::EMPLOYED_REFUGEES)
        })
        .collect();
    assert!(
        employed.windows(2).all(|p| p[0] < p[1]),
        "employed at effects 1, 1.25, 2: {employed:?}"
    );
}

#[test]
fn the_volunteer_stock_falls_across_the_range_of_its_decay() {
    // A60's range 0.005–0.03 at the default recruitment and steady arrivals.
    let stock: Vec<f64> = [0.005, 0.01, 0.03]
        .iter()
        .map(|d| {
            let r = run(&scenario(
                100.0,
                1_000_000,
                0.5,
                &format!("feedback: {{volunteers: true, volunteer_decay_per_week: {d}}}"),
            ));
            national(&r, r.series.weeks - 1, ind::VOLUNTEERS)
        })
        .collect();
    assert!(
        stock.windows(2).all(|p| p[0] > p[1]),
        "stock at decays 0.005, 0.01, 0.03: {stock:?}"
    );
}
