//! `foresight run` end to end: byte-identical outputs for the same input
//! whatever the thread count, nothing written for an invalid file, and no
//! silent overwriting of earlier results.

use std::path::Path;
use std::process::Command;

const SCENARIO: &str = r#"
name: small
horizon_weeks: 30
seed: 5
replications: 4
regions:
  - {name: North, population: 500000, urban: true, reception_places: 300, jobs: {low: 50000, mid: 40000, high: 20000},
     housing: {small_units_per_week: 2, medium_units_per_week: 3, large_units_per_week: 1},
     services: {language: {seats: 40}, coaching: {seats: 10}}}
  - {name: "South, rural", population: 300000, reception_places: 100, jobs: {low: 40000, mid: 20000, high: 5000},
     housing: {small_units_per_week: 1, medium_units_per_week: 2, large_units_per_week: 0.5},
     services: {language: {seats: 20}}}
arrivals:
  weekly_rate: 60
  origin_groups:
    - {name: a, share: 0.6, skills: {low: 0.5, mid: 0.3, high: 0.2}, household_sizes: [0.4, 0.2, 0.2, 0.2], recognition_probability: 0.7}
    - {name: b, share: 0.4, skills: {low: 0.7, mid: 0.2, high: 0.1}, household_sizes: [0.6, 0.1, 0.1, 0.1, 0.1], recognition_probability: 0.3}
asylum: {decision_capacity_per_week: 50}
"#;

fn foresight(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args(args)
        .output()
        .expect("run foresight")
}

/// A temporary folder holding the small scenario as `small.yaml`.
fn small_scenario() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("small.yaml");
    std::fs::write(&file, SCENARIO).unwrap();
    (tmp, file)
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

#[test]
fn outputs_are_byte_identical_across_thread_counts_and_differ_by_seed() {
    let (tmp, file) = small_scenario();
    let f = file.to_str().unwrap();
    let one = tmp.path().join("one");
    let two = tmp.path().join("two");
    let other = tmp.path().join("other");
    for (out, extra) in [
        (&one, vec!["--threads", "1"]),
        (&two, vec!["--threads", "2"]),
        (&other, vec!["--seed", "6"]),
    ] {
        let mut args = vec!["run", f, "--out", out.to_str().unwrap()];
        args.extend(extra);
        let o = foresight(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for name in ["weekly.csv", "headline.csv"] {
        assert_eq!(
            read(&one, name),
            read(&two, name),
            "{name} differs between 1 and 2 threads"
        );
        assert_ne!(
            read(&one, name),
            read(&other, name),
            "{name} does not depend on the seed"
        );
    }
    // Tidy format: a header and replication × week × (regions + all) × indicators rows.
    let weekly = String::from_utf8(read(&one, "weekly.csv")).unwrap();
    let mut lines = weekly.lines();
    assert_eq!(
        lines.next(),
        Some("replication,week,region,indicator,value")
    );
    assert!(weekly.contains("\n3,29,all,employment_rate,"));
    assert!(weekly.contains(",\"South, rural\",language_waiting,"));
    let headline = String::from_utf8(read(&one, "headline.csv")).unwrap();
    assert_eq!(headline.lines().count(), 1 + 4);
    let manifest: serde_json::Value = serde_json::from_slice(&read(&one, "manifest.json")).unwrap();
    assert_eq!(manifest["replications"], 4);
    assert_eq!(manifest["seed"], 5);
    assert_eq!(manifest["foresight_version"], env!("CARGO_PKG_VERSION"));
    let sha = manifest["scenario_sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert!(manifest["person_weeks"].as_f64().unwrap() > 0.0);
    // The summary is printed.
    let o = foresight(&[
        "run",
        f,
        "--out",
        tmp.path().join("again").to_str().unwrap(),
        "-n",
        "2",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    // In people's words: labels and units from the table of indicators, a
    // legend, and where the results are.
    assert!(
        stdout.contains("  Employment rate, final week (%)  "),
        "{stdout}"
    );
    assert!(stdout.contains("Total cost (million EUR)"), "{stdout}");
    assert!(stdout.contains("2 replications"), "{stdout}");
    assert!(
        stdout.contains("mean ± standard deviation [lowest … highest]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("; charts and tables: foresight report "),
        "{stdout}"
    );
    assert!(!stdout.contains("employment_rate_final"), "{stdout}");
}

#[test]
fn an_invalid_file_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad.yaml");
    std::fs::write(
        &file,
        SCENARIO.replace("weekly_rate: 60", "weekly_rate: -60"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = foresight(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("arrivals.weekly_rate"), "{err}");
    assert!(!out.exists(), "nothing may be written for an invalid file");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the scenario file remains");
}

#[test]
fn an_existing_output_folder_is_refused_unless_forced() {
    let (tmp, file) = small_scenario();
    let out = tmp.path().join("out");
    let args = [
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-n",
        "1",
    ];
    let o = foresight(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let earlier = read(&out, "manifest.json");
    let o = foresight(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(read(&out, "manifest.json"), earlier);

    // An earlier output of foresight is replaced with --force (a folder
    // holding anything else is refused: tests/force.rs).
    let mut forced = args.to_vec();
    forced.extend(["--force", "--seed", "77"]);
    let o = foresight(&forced);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_ne!(read(&out, "manifest.json"), earlier);
    // No staging folder is left behind.
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("partial") && !n.contains("replaced")),
        "{names:?}"
    );
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    let (tmp, file) = small_scenario();
    // A file where the parent folder should be.
    let blocker = tmp.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let out = blocker.join("out");
    let o = foresight(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-n",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot write") && err.contains("blocker"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn a_single_run_report_has_charts_and_no_policy_comparison() {
    let (tmp, file) = small_scenario();
    let out = tmp.path().join("out");
    let o = foresight(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--report",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for indicator in foresight::report::FAN_CHARTS {
        assert!(
            html.contains(&format!("id=\"fan-small-{indicator}\"")),
            "{indicator}"
        );
    }
    assert!(html.contains("id=\"headline\""));
    assert!(
        !html.contains("id=\"robustness\""),
        "no policy comparison for one run"
    );
    assert!(!html.contains("<script"));
    // `foresight report` on an existing folder rewrites it; a folder that is
    // not an output folder is a clear error.
    let o = foresight(&["report", out.to_str().unwrap()]);
    assert!(o.status.success());
    let o = foresight(&["report", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("manifest.json"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_start_date_puts_calendar_months_on_the_report_and_changes_no_result() {
    let (tmp, file) = small_scenario();
    let dated = tmp.path().join("dated.yaml");
    let text = SCENARIO.replacen(
        "horizon_weeks:",
        "start_date: 2015-09-07\nhorizon_weeks:",
        1,
    );
    assert_ne!(text, SCENARIO, "the scenario has a horizon line");
    std::fs::write(&dated, text).unwrap();
    let (plain, with_date) = (tmp.path().join("plain"), tmp.path().join("dated"));
    for (f, out) in [(&file, &plain), (&dated, &with_date)] {
        let o = foresight(&[
            "run",
            f.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--report",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Only the reading changes: the tables are the same bytes.
    for table in ["weekly.csv", "headline.csv", "summary.csv"] {
        assert!(read(&plain, table) == read(&with_date, table), "{table}");
    }
    let manifest = String::from_utf8(read(&with_date, "manifest.json")).unwrap();
    assert!(
        manifest.contains("\"start_date\": \"2015-09-07\""),
        "{manifest}"
    );
    let html = String::from_utf8(read(&with_date, "report.html")).unwrap();
    assert!(html.contains("date (ticks on the first of the month)"));
    assert!(
        html.contains(">Oct 2015</text>"),
        "a tick on 1 October 2015"
    );
    assert!(html.contains(">Jan 2016</text>"));
    let html = String::from_utf8(read(&plain, "report.html")).unwrap();
    assert!(html.contains("weeks since the start") || html.contains("years since the start"));
    assert!(!html.contains("Oct 2015"));
}
