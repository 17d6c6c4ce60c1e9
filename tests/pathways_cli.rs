//! `foresight run` of an experiment with wildcards and adaptive rules, end
//! to end: `events.csv`, `event_counts.csv` and `actions.csv` are written,
//! the events are listed once per future (every policy meets them), the
//! counts agree with the events, the files are byte-identical whatever the
//! thread count, and the report shows the events and a pathways chart.

use foresight::output::parquet::read_text;
use std::process::Command;

const WORLD: &str = r#"
name: world
horizon_weeks: 104
seed: 5
regions:
  - {name: North, population: 500000, reception_places: 200, jobs: {low: 50000, mid: 40000, high: 20000},
     housing: {small_units_per_week: 2, medium_units_per_week: 3, large_units_per_week: 1}}
  - {name: South, population: 300000, reception_places: 100, jobs: {low: 40000, mid: 20000, high: 5000},
     housing: {small_units_per_week: 1, medium_units_per_week: 2, large_units_per_week: 0.5}}
arrivals:
  weekly_rate: 60
  origin_groups:
    - {name: a, share: 1, skills: {low: 0.5, mid: 0.3, high: 0.2}, household_sizes: [0.5, 0.5], recognition_probability: 0.7}
asylum: {decision_capacity_per_week: 40}
wildcards:
  - {name: surge, kind: arrival_surge, rate_per_year: 1.5, ramp_weeks: 2,
     size: {distribution: uniform, low: 2, high: 4}, duration_weeks: {distribution: uniform, low: 6, high: 20}}
  - {name: strike, kind: service_disruption, probability_per_year: 0.5, one_region: true,
     size: {distribution: fixed, value: 0.5}, duration_weeks: {distribution: fixed, value: 4}}
"#;

const EXPERIMENT: &str = r#"
experiment: pathways
world: world.yaml
seed: 3
replications: 3
scenarios: [{name: s}]
policies:
  - name: static
  - name: adaptive
    levers:
      adaptation:
        - name: places
          signpost: {indicator: emergency_accommodation}
          trigger: {above: 5, for_weeks: 2}
          release: {below: 1, for_weeks: 4, min_hold_weeks: 10}
          actions:
            - {name: reception, lever: reception_places, step: 50, max: 200, lead_time_weeks: 2}
"#;

fn run(dir: &std::path::Path, out: &str, threads: &str, format: &str) -> std::path::PathBuf {
    let out = dir.join(out);
    let o = Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args([
            "run",
            "experiment.yaml",
            "--out",
            out.to_str().unwrap(),
            "--report",
        ])
        .args(["--threads", threads, "--format", format])
        .current_dir(dir)
        .output()
        .expect("run foresight");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

#[test]
fn events_and_actions_are_written_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("world.yaml"), WORLD).unwrap();
    std::fs::write(tmp.path().join("experiment.yaml"), EXPERIMENT).unwrap();
    let out = run(tmp.path(), "one", "1", "csv");

    let events = std::fs::read_to_string(out.join("events.csv")).unwrap();
    let mut lines = events.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,sample,replication,week,wildcard,kind,region,size,duration_weeks")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() >= 3, "{events}");
    // One listing per future, whatever the number of policies.
    assert!(rows.iter().all(|r| r[0] == "s" && r[1] == "0"));
    let counts = std::fs::read_to_string(out.join("event_counts.csv")).unwrap();
    let mut total = 0;
    for line in counts.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let listed = rows.iter().filter(|r| r[2] == f[2] && r[4] == f[3]).count();
        assert_eq!(f[5].parse::<usize>().unwrap(), listed, "{line}");
        total += listed;
    }
    assert_eq!(total, rows.len());
    assert_eq!(
        counts.lines().count(),
        1 + 3 * 2,
        "three futures × two wildcards"
    );

    let actions = std::fs::read_to_string(out.join("actions.csv")).unwrap();
    let mut lines = actions.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,policy,sample,replication,week,rule,action,lever,region,size")
    );
    let acted: Vec<&str> = lines.collect();
    assert!(!acted.is_empty(), "the rule never acted");
    assert!(
        acted.iter().all(|l| l.starts_with("s,adaptive,0,")),
        "{actions}"
    );

    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for id in [
        "id=\"events\"",
        "id=\"events-timeline\"",
        "id=\"pathways\"",
        "id=\"pathway-adaptive\"",
    ] {
        assert!(html.contains(id), "{id}");
    }

    let two = run(tmp.path(), "two", "2", "csv");
    for f in [
        "events.csv",
        "event_counts.csv",
        "actions.csv",
        "outcomes.csv",
    ] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(two.join(f)).unwrap(),
            "{f} differs with 2 threads"
        );
    }

    // In Parquet, the same rows, and the report draws the same sections.
    let pq = run(tmp.path(), "pq", "2", "parquet");
    for stem in ["events", "event_counts", "actions"] {
        let csv = std::fs::read_to_string(out.join(format!("{stem}.csv"))).unwrap();
        let mut lines = csv.lines();
        let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
        let rows: Vec<Vec<String>> = lines
            .map(|l| l.split(',').map(String::from).collect())
            .collect();
        let (h, r) = read_text(&pq.join(format!("{stem}.parquet"))).unwrap();
        assert_eq!((h, r), (header, rows), "{stem}.parquet");
        assert!(!pq.join(format!("{stem}.csv")).exists());
    }
    let html = std::fs::read_to_string(pq.join("report.html")).unwrap();
    for id in ["id=\"events-timeline\"", "id=\"pathway-adaptive\""] {
        assert!(html.contains(id), "{id} in the Parquet folder's report");
    }
}
