//! `foresight compare`: scenario runs and experiments, paired when they
//! share seed and replications and unpaired otherwise (and saying so),
//! its files, and its refusals in words. The intervals' coverage on a
//! known difference is tested in `src/compare/stats.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::s;
use foresight::model::HEADLINES;

fn foresight(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let o = foresight(args);
    assert!(
        o.status.success(),
        "foresight {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn refused(args: &[&str]) -> String {
    let o = foresight(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    String::from_utf8(o.stderr).unwrap()
}

/// compare.csv's rows as maps from column to field.
fn rows(dir: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut rdr = csv::Reader::from_path(dir.join("compare.csv")).unwrap();
    let h: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            h.iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn num(x: &str) -> f64 {
    x.parse().unwrap_or(f64::NAN)
}

fn experiment(dir: &Path, seed: u64) -> PathBuf {
    let file = dir.join(format!("experiment{seed}.yaml"));
    std::fs::write(
        &file,
        format!(
            r#"
experiment: cmp{seed}
world: world.yaml
seed: {seed}
replications: 2
scenarios: [{{name: steady}}]
policies:
  - name: status_quo
  - name: more_seats
    capacities: [{{name: North, services: {{language: {{seats: 120}}}}}}]
uncertainties:
  - {{name: rate, field: arrivals.weekly_rate, mode: multiply, distribution: {{uniform: {{low: 0.5, high: 1.5}}}}}}
sampling: {{design: latin_hypercube, samples: 3}}
"#
        ),
    )
    .unwrap();
    file
}

#[test]
fn scenario_runs_are_paired_on_one_seed_and_unpaired_on_two() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_small_world(tmp.path(), 20, 40);
    let world = tmp.path().join("world.yaml");
    let out = |n: &str| tmp.path().join(n);
    ok(&["run", s(&world), "-n", "4", "--out", s(&out("a"))]);
    // The same run again, and a busier world on the same seed.
    ok(&["run", s(&world), "-n", "4", "--out", s(&out("same"))]);
    let busy = tmp.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    common::write_small_world(&busy, 20, 80);
    ok(&[
        "run",
        s(&busy.join("world.yaml")),
        "-n",
        "4",
        "--out",
        s(&out("b")),
    ]);
    ok(&[
        "run",
        s(&world),
        "-n",
        "4",
        "--seed",
        "99",
        "--out",
        s(&out("c")),
    ]);

    let text = ok(&[
        "compare",
        s(&out("a")),
        s(&out("same")),
        "--out",
        s(&out("c0")),
    ]);
    assert!(text.contains("same − a: paired"), "{text}");
    for r in rows(&out("c0")) {
        assert_eq!(r["pairing"], "paired");
        if r["mean_a"].is_empty() {
            assert_eq!(r["n_a"], "0", "undefined in every replication");
            continue;
        }
        assert_eq!(r["n_a"], "4");
        assert_eq!(num(&r["difference"]), 0.0, "{r:?}");
        assert_eq!(
            (num(&r["ci95_low"]), num(&r["ci95_high"])),
            (0.0, 0.0),
            "{r:?}"
        );
        assert_eq!(num(&r["p_value"]), 1.0, "{r:?}");
    }

    // Twice the arrivals on the same seed: paired, and arrivals clearly up.
    let text = ok(&[
        "compare",
        s(&out("a")),
        s(&out("b")),
        s(&out("c")),
        "--out",
        s(&out("c1")),
    ]);
    assert!(text.contains("b − a: paired"), "{text}");
    assert!(
        text.contains("c − a: unpaired (Welch's t): a and c have different seeds"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    let all = rows(&out("c1"));
    assert_eq!(
        all.len(),
        2 * HEADLINES.len(),
        "every headline indicator against each of b and c"
    );
    let arrivals = |b: &str| {
        all.iter()
            .find(|r| r["run_b"] == b && r["indicator"] == "arrivals_total")
            .unwrap()
            .clone()
    };
    let r = arrivals("b");
    assert_eq!(r["pairing"], "paired");
    let (d, lo, hi) = (
        num(&r["difference"]),
        num(&r["ci95_low"]),
        num(&r["ci95_high"]),
    );
    assert!(d > 0.0 && lo > 0.0 && lo <= d && d <= hi, "{r:?}");
    assert!(num(&r["p_value"]) < 0.01, "{r:?}");
    assert_eq!(
        num(&r["mean_b"]) - num(&r["mean_a"]),
        d,
        "paired: the mean difference is the difference of the means"
    );
    let r = arrivals("c");
    assert_eq!(r["pairing"], "unpaired");
    assert!(num(&r["ci95_low"]) < num(&r["ci95_high"]), "{r:?}");

    // compare.html: the table and the overlaid fan charts, one colour per run.
    let html = std::fs::read_to_string(out("c1").join("compare.html")).unwrap();
    assert!(html.contains("<h3>b − a</h3>") && html.contains("<h3>c − a</h3>"));
    assert!(
        html.matches("<svg").count() >= 9,
        "a chart per weekly indicator"
    );
    assert!(html.contains("Arrivals, total"));

    // An earlier comparison is replaced only with --force.
    let err = refused(&[
        "compare",
        s(&out("a")),
        s(&out("b")),
        "--out",
        s(&out("c1")),
    ]);
    assert!(err.contains("--force"), "{err}");
    ok(&[
        "compare",
        s(&out("a")),
        s(&out("b")),
        "--out",
        s(&out("c1")),
        "--force",
    ]);
    assert_eq!(rows(&out("c1")).len(), HEADLINES.len());
}

#[test]
fn experiments_are_compared_per_policy_paired_or_not() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_small_world(tmp.path(), 20, 40);
    let out = |n: &str| tmp.path().join(n);
    let one = experiment(tmp.path(), 4);
    ok(&["run", s(&one), "--out", s(&out("e1"))]);
    ok(&["run", s(&one), "--format", "csv", "--out", s(&out("e1csv"))]);
    ok(&["run", s(&experiment(tmp.path(), 5)), "--out", s(&out("e2"))]);

    let text = ok(&[
        "compare",
        s(&out("e1")),
        s(&out("e1csv")),
        s(&out("e2")),
        "--out",
        s(&out("c")),
    ]);
    assert!(
        text.contains("policy more_seats") && text.contains("policy status_quo"),
        "{text}"
    );
    let all = rows(&out("c"));
    assert_eq!(all.len(), 2 * 2 * HEADLINES.len());
    for r in &all {
        // Parquet and CSV of the same run: paired, no difference.
        if r["run_b"] == "e1csv" {
            assert_eq!(r["pairing"], "paired");
            if !r["difference"].is_empty() {
                assert_eq!(r["n_a"], "6", "3 samples × 2 replications");
                assert_eq!(num(&r["difference"]), 0.0, "{r:?}");
            }
        } else {
            assert_eq!(r["pairing"], "unpaired", "{r:?}");
        }
    }
    assert!(
        text.contains("e2 − e1: unpaired (Welch's t): e1 and e2 have different seeds"),
        "{text}"
    );
    let html = std::fs::read_to_string(out("c").join("compare.html")).unwrap();
    assert!(html.contains("policy: more_seats"), "a chart per policy");
}

#[test]
fn folders_that_cannot_be_compared_are_refused_in_words() {
    let tmp = tempfile::tempdir().unwrap();
    common::write_small_world(tmp.path(), 10, 20);
    let world = tmp.path().join("world.yaml");
    let out = |n: &str| tmp.path().join(n);
    ok(&["run", s(&world), "-n", "2", "--out", s(&out("a"))]);
    ok(&["run", s(&world), "-n", "2", "--out", s(&out("b"))]);
    ok(&[
        "run",
        s(&experiment(tmp.path(), 4)),
        "-n",
        "1",
        "--out",
        s(&out("e")),
    ]);

    let err = refused(&["compare", s(&out("a")), s(&out("e"))]);
    assert!(
        err.contains("is a scenario run") && err.contains("is an experiment"),
        "{err}"
    );

    // Another version of foresight.
    let m = out("b").join("manifest.json");
    let text = std::fs::read_to_string(&m).unwrap();
    let version = format!("\"foresight_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version), "{text}");
    std::fs::write(
        &m,
        text.replace(&version, "\"foresight_version\": \"0.0.1\""),
    )
    .unwrap();
    let err = refused(&["compare", s(&out("a")), s(&out("b"))]);
    assert!(err.contains("by foresight 0.0.1"), "{err}");
    std::fs::write(&m, &text).unwrap();

    // Money in another currency.
    assert!(text.contains("\"currency\": \"EUR\""), "{text}");
    std::fs::write(
        &m,
        text.replace("\"currency\": \"EUR\"", "\"currency\": \"SEK\""),
    )
    .unwrap();
    let err = refused(&["compare", s(&out("a")), s(&out("b"))]);
    assert!(
        err.contains("in EUR and") && err.contains("in SEK"),
        "{err}"
    );
    std::fs::write(&m, &text).unwrap();

    // Another set of headline indicators.
    let h = out("b").join("headline.csv");
    let csv = std::fs::read_to_string(&h).unwrap();
    std::fs::write(&h, csv.replacen("arrivals_total", "arrivals_all", 1)).unwrap();
    let err = refused(&["compare", s(&out("a")), s(&out("b"))]);
    assert!(
        err.contains("only in the first: arrivals_total; only in the second: arrivals_all"),
        "{err}"
    );

    // A folder that is not an output, and a single folder.
    let o = foresight(&["compare", s(&out("a")), s(tmp.path())]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("manifest.json"));
    let o = foresight(&["compare", s(&out("a"))]);
    assert_eq!(o.status.code(), Some(2));
}
