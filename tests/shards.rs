//! Sharding: an experiment run as N ordinary processes (`run --shard K/N`)
//! and merged (`foresight merge`) writes byte for byte the results files of
//! one process; the merge refuses missing, duplicate and foreign shards with
//! a message naming the problem; scheduler environments pick the shard.

mod common;

use std::path::{Path, PathBuf};

use common::s;
use std::process::{Command, Output};

const RESULTS: [&str; 8] = [
    "summary.csv",
    "cost_benefit.csv",
    "experiments.csv",
    "outcomes.csv",
    "robustness.csv",
    "robustness_metrics.csv",
    "satisficing.csv",
    "failures.csv",
];

/// `--format csv` for a run that does not choose its format: these tests
/// read the CSV tables, which experiments no longer write by default.
fn csv_unless_chosen(args: &[&str]) -> &'static [&'static str] {
    if args.first() == Some(&"run") && !args.contains(&"--format") {
        &["--format", "csv"]
    } else {
        &[]
    }
}
fn foresight_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_foresight"));
    c.args(args).args(csv_unless_chosen(args));
    for var in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_COUNT",
        "SLURM_ARRAY_TASK_MIN",
        "JOB_COMPLETION_INDEX",
        "FORESIGHT_SHARD_COUNT",
    ] {
        c.env_remove(var);
    }
    c.envs(env.iter().copied());
    c.output().unwrap()
}

fn ok(args: &[&str]) -> Output {
    let o = foresight_env(args, &[]);
    assert!(
        o.status.success(),
        "foresight {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Fails with exit status 2 and a message containing `fragment`.
fn refused(args: &[&str], fragment: &str) {
    let o = foresight_env(args, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        err.contains(fragment),
        "{args:?}: expected '{fragment}' in:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// Run `file` as `n` shards into `parent` (shard order reversed, as a
/// scheduler may start them in any order), then merge into `out`.
fn run_sharded(file: &str, extra: &[&str], n: u64, parent: &Path, out: &Path) {
    for k in (0..n).rev() {
        let shard = format!("{k}/{n}");
        let mut args = vec!["run", file, "--shard", &shard, "--out", s(parent)];
        args.extend_from_slice(extra);
        ok(&args);
        let manifest = std::fs::read_to_string(
            parent
                .join(format!("shard-{k}-of-{n}"))
                .join("manifest.json"),
        )
        .unwrap();
        assert!(manifest.contains("\"kind\": \"shard\""), "{manifest}");
    }
    ok(&["merge", s(out), s(parent)]);
}

fn assert_same_results(one: &Path, merged: &Path, files: &[&str]) {
    for f in files {
        let a = std::fs::read(one.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        let b = std::fs::read(merged.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(
            a == b,
            "{f} differs between one process and the merged shards ({} vs {} bytes)",
            a.len(),
            b.len()
        );
    }
}

#[test]
fn the_bundled_experiment_merged_from_3_and_7_shards_is_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    ok(&["run", "scenarios/experiment.yaml", "--out", s(&one)]);
    for n in [3, 7] {
        let parent = tmp.path().join(format!("shards{n}"));
        let merged = tmp.path().join(format!("merged{n}"));
        run_sharded("scenarios/experiment.yaml", &[], n, &parent, &merged);
        assert_same_results(&one, &merged, &RESULTS);
        let manifest = std::fs::read_to_string(merged.join("manifest.json")).unwrap();
        assert!(manifest.contains("shard-0-of"), "{manifest}");
    }
}

/// A small experiment of many replications: blocks of several cells and
/// compressed quantile sketches travel through the shards.
fn small_experiment(dir: &Path) -> PathBuf {
    common::write_small_world(dir, 20, 30);
    let file = dir.join("experiment.yaml");
    std::fs::write(
        &file,
        r#"
experiment: small
world: world.yaml
seed: 4
replications: 45
scenarios: [{name: steady}]
policies:
  - name: status_quo
  - name: more_seats
    capacities: [{name: North, services: {language: {seats: 120}}}]
uncertainties:
  - {name: rate, field: arrivals.weekly_rate, mode: multiply, distribution: {uniform: {low: 0.5, high: 1.5}}}
sampling: {design: latin_hypercube, samples: 2}
thresholds:
  - {indicator: language_wait_worst_region_weeks, below: 4}
"#,
    )
    .unwrap();
    file
}

#[test]
fn many_replications_and_series_merge_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let file = small_experiment(tmp.path());
    let one = tmp.path().join("one");
    ok(&["run", s(&file), "--keep-series", "--out", s(&one)]);
    // 90 cells a pair: blocks of 6 cells, more than 64 values a point.
    let outcomes = std::fs::read_to_string(one.join("outcomes.csv")).unwrap();
    assert_eq!(outcomes.lines().count(), 1 + 2 * 90);
    for n in [2, 5, 16] {
        let parent = tmp.path().join(format!("shards{n}"));
        let merged = tmp.path().join(format!("merged{n}"));
        run_sharded(s(&file), &["--keep-series"], n, &parent, &merged);
        let mut files = RESULTS.to_vec();
        files.push("series.csv");
        assert_same_results(&one, &merged, &files);
    }
    // Shard folders can be named one by one, in any order, from different
    // splits as long as together they cover every cell once.
    let merged = tmp.path().join("mixed");
    ok(&[
        "merge",
        s(&merged),
        s(&tmp.path().join("shards2/shard-1-of-2")),
        s(&tmp.path().join("shards16/shard-0-of-16")),
        s(&tmp.path().join("shards16/shard-1-of-16")),
        s(&tmp.path().join("shards16/shard-2-of-16")),
        s(&tmp.path().join("shards16/shard-3-of-16")),
        s(&tmp.path().join("shards16/shard-4-of-16")),
        s(&tmp.path().join("shards16/shard-5-of-16")),
        s(&tmp.path().join("shards16/shard-6-of-16")),
        s(&tmp.path().join("shards16/shard-7-of-16")),
    ]);
    assert_same_results(&one, &merged, &RESULTS);

    // What the merge refuses.
    let shard = |n: u64, k: u64| tmp.path().join(format!("shards{n}/shard-{k}-of-{n}"));
    let x = tmp.path().join("x");
    refused(
        &[
            "merge",
            s(&x),
            s(&shard(5, 0)),
            s(&shard(5, 1)),
            s(&shard(5, 3)),
            s(&shard(5, 4)),
        ],
        "missing shards: no folder given covers cells",
    );
    refused(
        &[
            "merge",
            s(&x),
            s(&shard(5, 0)),
            s(&shard(5, 1)),
            s(&shard(5, 2)),
            s(&shard(5, 3)),
        ],
        "missing shards",
    );
    refused(
        &[
            "merge",
            s(&x),
            s(&tmp.path().join("shards5")),
            s(&shard(2, 1)),
        ],
        "duplicate shards",
    );
    refused(&["merge", s(&x), s(&one)], "not a shard folder");
    // A shard of the same file with another seed, and of an edited file.
    let other = tmp.path().join("other");
    ok(&[
        "run",
        s(&file),
        "--shard",
        "1/2",
        "--seed",
        "5",
        "--out",
        s(&other),
    ]);
    refused(
        &[
            "merge",
            s(&x),
            s(&shard(2, 0)),
            s(&other.join("shard-1-of-2")),
        ],
        "different seeds",
    );
    let edited = tmp.path().join("edited.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&edited, text.replace("high: 1.5", "high: 1.6")).unwrap();
    ok(&[
        "run",
        s(&edited),
        "--shard",
        "1/2",
        "--out",
        s(&other),
        "--force",
    ]);
    refused(
        &[
            "merge",
            s(&x),
            s(&shard(2, 0)),
            s(&other.join("shard-1-of-2")),
        ],
        "different experiment files",
    );
    // A shard that did not finish has no manifest.
    let unfinished = tmp.path().join("unfinished");
    std::fs::create_dir_all(unfinished.join("blocks")).unwrap();
    refused(
        &["merge", s(&x), s(&shard(2, 0)), s(&unfinished)],
        "not a shard folder: it has no manifest.json (a shard that has not finished has none)",
    );
    // A lost block file.
    let damaged = tmp.path().join("damaged");
    copy_dir(&shard(2, 0), &damaged);
    let blocks = damaged.join("blocks");
    let first = std::fs::read_dir(&blocks).unwrap().next().unwrap().unwrap();
    std::fs::remove_file(first.path()).unwrap();
    refused(
        &["merge", s(&x), s(&damaged), s(&shard(2, 1))],
        "is missing",
    );
    assert!(!x.exists(), "nothing written by a refused merge");
    // Too many shards for the experiment's blocks.
    refused(
        &["run", s(&file), "--shard", "0/31", "--out", s(&x)],
        "at most 30 shards",
    );
    refused(
        &["run", s(&file), "--shard", "2/2", "--out", s(&x)],
        "0 ≤ K < N",
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn the_shard_comes_from_slurm_or_kubernetes_when_not_given() {
    let tmp = tempfile::tempdir().unwrap();
    let file = small_experiment(tmp.path());
    let parent = tmp.path().join("shards");
    // A Slurm array --array=1-3: task 2 is shard 1 of 3.
    let o = foresight_env(
        &["run", s(&file), "-n", "2", "--out", s(&parent)],
        &[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(parent.join("shard-1-of-3/manifest.json").exists());
    // Kubernetes: the index from JOB_COMPLETION_INDEX, the count given.
    let o = foresight_env(
        &[
            "run",
            s(&file),
            "-n",
            "2",
            "--out",
            s(&parent),
            "--shard-count",
            "3",
        ],
        &[("JOB_COMPLETION_INDEX", "0")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = foresight_env(
        &["run", s(&file), "-n", "2", "--out", s(&parent)],
        &[
            ("JOB_COMPLETION_INDEX", "2"),
            ("FORESIGHT_SHARD_COUNT", "3"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let merged = tmp.path().join("merged");
    ok(&["merge", s(&merged), s(&parent)]);
    let one = tmp.path().join("one");
    ok(&["run", s(&file), "-n", "2", "--out", s(&one)]);
    assert_same_results(&one, &merged, &RESULTS);
    // Without a count, an index alone is an error that says what to add.
    let o = foresight_env(
        &["run", s(&file), "-n", "2", "--out", s(&parent)],
        &[("JOB_COMPLETION_INDEX", "1")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--shard-count"));
}
