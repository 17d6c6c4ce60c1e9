//! `foresight discover` end to end: what it writes, what it refuses (a
//! plain run, a folder it did not write, unknown policies and indicators),
//! byte-identical outputs whatever the thread count, Sobol and Morris
//! designs run through an experiment into `sensitivity.csv`, and the
//! report's discovery section.

#[allow(dead_code)] // not every test file uses all of it
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `--format csv` for a run that does not choose its format: these tests
/// read the CSV tables, which experiments no longer write by default.
fn csv_unless_chosen(args: &[&str]) -> &'static [&'static str] {
    if args.first() == Some(&"run") && !args.contains(&"--format") {
        &["--format", "csv"]
    } else {
        &[]
    }
}
fn experiment(sampling: &str) -> String {
    format!(
        r#"
experiment: small
world: world.yaml
seed: 4
replications: 1
scenarios:
  - name: steady
  - name: surge
    changes:
      arrivals:
        surges: [{{start_week: 5, length_weeks: 10, peak_multiplier: 3}}]
policies:
  - name: status_quo
  - name: more_seats
    capacities:
      - {{name: North, services: {{language: {{seats: 120}}}}}}
uncertainties:
  - {{name: rate, field: arrivals.weekly_rate, mode: multiply, distribution: {{uniform: {{low: 0.5, high: 1.5}}}}}}
  - {{name: b_recognition, field: "arrivals.origin_groups[b].recognition_probability", distribution: {{uniform: {{low: 0.1, high: 0.6}}}}}}
sampling: {sampling}
thresholds:
  - {{indicator: language_wait_worst_region_weeks, below: 4}}
"#
    )
}

fn foresight(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args(args)
        .args(csv_unless_chosen(args))
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let o = foresight(args);
    assert!(
        o.status.success(),
        "foresight {args:?}:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Run the small experiment with a sampling block; return its output folder.
fn run(tmp: &Path, sampling: &str) -> PathBuf {
    std::fs::write(tmp.join("world.yaml"), common::WORLD).unwrap();
    let file = tmp.join("experiment.yaml");
    std::fs::write(&file, experiment(sampling)).unwrap();
    let out = tmp.join("out");
    ok(&["run", s(&file), "--out", s(&out)]);
    out
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn discover_writes_boxes_and_scores_the_same_on_one_thread_or_two() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), "{design: latin_hypercube, samples: 60}");
    let text = ok(&["discover", s(&out), "--threads", "1"]);
    assert!(
        text.contains("misses language_wait_worst_region_weeks < 4"),
        "{text}"
    );
    let d = out.join("discovery");
    let files = [
        "boxes.csv",
        "trajectory.csv",
        "feature_scores.csv",
        "manifest.json",
    ];
    let first: Vec<String> = files.iter().map(|f| read(&d.join(f))).collect();
    assert!(
        !d.join("sensitivity.csv").exists(),
        "no sensitivity without its design"
    );
    let manifest: serde_json::Value = serde_json::from_str(&first[3]).unwrap();
    assert_eq!(manifest["kind"], "discovery");
    assert!(
        manifest["sensitivity"]
            .as_str()
            .unwrap()
            .contains("latin_hypercube")
    );
    // Feature scores: one row per policy × (25 headlines + 1 target) × 3
    // inputs, less those never defined here: employment_rate_3y_plus_final
    // and second_generation_employment_rate_final (30 weeks), and
    // school_wait_mean_weeks (no school places).
    let scores = &first[2];
    assert_eq!(scores.lines().count(), 1 + 2 * 23 * 3);
    assert!(!scores.contains("employment_rate_3y_plus_final"));
    assert!(scores.starts_with("policy,outcome,input,score,rank\n"));
    // The trajectory starts from the whole data for each search.
    let traj = &first[1];
    assert!(
        traj.lines().nth(1).unwrap().contains(",0,start,1,"),
        "{traj}"
    );

    ok(&["discover", s(&out), "--threads", "2", "--force"]);
    for (f, before) in files.iter().zip(&first) {
        if *f == "manifest.json" {
            continue; // records the command line
        }
        assert_eq!(&read(&d.join(f)), before, "{f} differs with two threads");
    }
}

#[test]
fn discover_replaces_only_its_own_folder_and_only_when_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), "{design: monte_carlo, samples: 20}");
    ok(&["discover", s(&out)]);
    let again = foresight(&["discover", s(&out)]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    ok(&["discover", s(&out), "--force"]);

    // A `discovery` folder someone else made is never replaced.
    let d = out.join("discovery");
    std::fs::remove_dir_all(&d).unwrap();
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    let refused = foresight(&["discover", s(&out), "--force"]);
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("was not written by `foresight discover`"),
        "{err}"
    );
    assert_eq!(read(&d.join("notes.txt")), "mine");
    // No staging folder is left behind.
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(left.is_empty());
}

#[test]
fn discover_explains_what_it_cannot_use() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), "{design: monte_carlo, samples: 20}");
    let o = foresight(&["discover", s(&out), "--policy", "nobody"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("unknown policy 'nobody'") && err.contains("more_seats, status_quo"),
        "{err}"
    );
    let o = foresight(&["discover", s(&out), "--fails", "employment=3"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("expected INDICATOR OP VALUE"));
    let o = foresight(&["discover", s(&out), "--fails", "happiness<3"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown indicator 'happiness'"), "{err}");
    let o = foresight(&["discover", s(&out), "--alpha", "0.7"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("peel alpha"));
    assert!(
        !out.join("discovery").exists(),
        "nothing written after an error"
    );

    // A plain scenario run has no experiments to discover.
    let plain = tmp.path().join("plain.yaml");
    std::fs::write(&plain, common::WORLD).unwrap();
    let pout = tmp.path().join("plain_out");
    ok(&["run", s(&plain), "--out", s(&pout), "-n", "2"]);
    let o = foresight(&["discover", s(&pout)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("plain scenario run"));
    // Not an output folder at all.
    let o = foresight(&["discover", s(tmp.path())]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("manifest.json is missing"));
}

/// Read sensitivity.csv as (indicator, uncertainty, index) → (value, low, high).
fn sensitivity(
    out: &Path,
    scenario: &str,
    policy: &str,
) -> std::collections::BTreeMap<(String, String, String), (f64, f64, f64)> {
    let mut rdr = csv::Reader::from_path(out.join("discovery/sensitivity.csv")).unwrap();
    let mut m = std::collections::BTreeMap::new();
    for rec in rdr.records() {
        let r = rec.unwrap();
        if &r[0] != scenario || &r[1] != policy {
            continue;
        }
        let num = |i: usize| r[i].parse::<f64>().unwrap_or(f64::NAN);
        m.insert(
            (r[2].to_string(), r[3].to_string(), r[4].to_string()),
            (num(5), num(6), num(7)),
        );
    }
    m
}

#[test]
fn a_sobol_experiment_gets_sobol_indices() {
    let tmp = tempfile::tempdir().unwrap();
    // 16 base samples × (2·2 + 2) = 96 samples.
    let out = run(tmp.path(), "{design: sobol, samples: 16}");
    let experiments = read(&out.join("experiments.csv"));
    assert_eq!(experiments.lines().count(), 1 + 2 * 2 * 96);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["sampling"]["design"], "sobol");
    assert_eq!(manifest["samples"], 96);
    ok(&["discover", s(&out)]);
    let m = sensitivity(&out, "steady", "status_quo");
    // 25 indicators × 2 uncertainties × (S1, ST).
    assert_eq!(m.len(), 25 * 2 * 2);
    // Arrivals scale with the rate and not with recognition.
    let key = |u: &str, i: &str| ("arrivals_total".to_string(), u.to_string(), i.to_string());
    let (st_rate, lo, hi) = m[&key("rate", "ST")];
    assert!(
        st_rate > 0.8 && lo <= st_rate && st_rate <= hi,
        "{st_rate} [{lo}, {hi}]"
    );
    assert!(
        m[&key("b_recognition", "ST")].0 < 0.1,
        "{:?}",
        m[&key("b_recognition", "ST")]
    );
}

#[test]
fn a_morris_experiment_gets_morris_measures() {
    let tmp = tempfile::tempdir().unwrap();
    // 8 trajectories × (2 + 1) = 24 samples.
    let out = run(tmp.path(), "{design: morris, samples: 8, levels: 4}");
    ok(&["discover", s(&out), "--policy", "status_quo"]);
    let m = sensitivity(&out, "surge", "status_quo");
    assert_eq!(m.len(), 25 * 2 * 3);
    let key = |u: &str, i: &str| ("arrivals_total".to_string(), u.to_string(), i.to_string());
    let rate = m[&key("rate", "mu_star")];
    let recognition = m[&key("b_recognition", "mu_star")];
    assert!(rate.0 > 10.0 * recognition.0, "{rate:?} {recognition:?}");
    assert!(rate.1 <= rate.0 && rate.0 <= rate.2);
    assert!(
        sensitivity(&out, "surge", "more_seats").is_empty(),
        "--policy limits the work"
    );
}

#[test]
fn sensitivity_designs_are_validated() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("world.yaml"), common::WORLD).unwrap();
    for (sampling, message) in [
        (
            "{design: morris, samples: 4, levels: 3}",
            "even number of levels",
        ),
        (
            "{design: latin_hypercube, samples: 4, levels: 4}",
            "for the morris design only",
        ),
        ("{design: sobol, samples: 20000}", "beyond the limit"),
    ] {
        let file = tmp.path().join("bad.yaml");
        std::fs::write(&file, experiment(sampling)).unwrap();
        let o = foresight(&["validate", s(&file)]);
        assert_eq!(o.status.code(), Some(2), "{sampling}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("sampling") && err.contains(message),
            "{sampling}: {err}"
        );
    }
}

#[test]
fn the_report_shows_the_discovery_and_the_robustness_metrics() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), "{design: sobol, samples: 8}");
    let before = read(&out.join("manifest.json"));
    let metrics = read(&out.join("robustness_metrics.csv"));
    assert!(metrics.starts_with(
        "policy,indicator,better,metric,parameter,value,replication_sd,replication_min,replication_max\n"
    ));
    assert!(metrics.contains(",all thresholds,higher,starr_domain,"));
    ok(&["report", s(&out)]);
    let html = read(&out.join("report.html"));
    assert!(html.contains("id=\"robustness-metrics\""));
    assert!(
        !html.contains("id=\"discovery\""),
        "no discovery section before discover"
    );
    ok(&["discover", s(&out), "--report"]);
    let html = read(&out.join("report.html"));
    for id in [
        "discovery",
        "feature-scores",
        "sensitivity",
        "tradeoff-more_seats-0",
        "tradeoff-status_quo-1",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no {id}");
    }
    // discover leaves the run's own files as they were.
    assert_eq!(read(&out.join("manifest.json")), before);
}

#[test]
fn a_run_with_force_replaces_an_output_holding_discovery_but_not_a_foreign_file_in_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), "{design: monte_carlo, samples: 20}");
    ok(&["discover", s(&out)]);
    let file = tmp.path().join("experiment.yaml");
    // The discovery folder is the tool's own: the whole output may be replaced.
    ok(&["run", s(&file), "--out", s(&out), "--force"]);
    assert!(!out.join("discovery").exists());

    // A user's file inside discovery/ makes the output folder not the tool's alone.
    ok(&["discover", s(&out)]);
    std::fs::write(out.join("discovery").join("notes.txt"), "mine").unwrap();
    let refused = foresight(&["run", s(&file), "--out", s(&out), "--force"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("discovery"));
    assert_eq!(read(&out.join("discovery").join("notes.txt")), "mine");
}
