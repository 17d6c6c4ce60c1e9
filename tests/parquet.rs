//! `--format parquet` and `--summary`: every table in Parquet holds the rows
//! the CSV holds (read back by foresight, polars, pandas and DuckDB); the
//! bytes do not depend on the threads, the shards or an interruption; the
//! report and `discover` read Parquet folders; the summary's scope is a
//! choice with the issue's defaults.

mod common;
#[path = "common/python.rs"]
mod python;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::s;
use foresight::output::parquet::read_text;

fn foresight(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> Output {
    let o = foresight(args, &[]);
    assert!(
        o.status.success(),
        "foresight {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// A small experiment with thresholds (every table is written), several
/// blocks per pair, and enough samples for `discover`.
fn experiment(dir: &Path) -> PathBuf {
    common::write_small_world(dir, 20, 40);
    let file = dir.join("experiment.yaml");
    std::fs::write(
        &file,
        r#"
experiment: columnar
world: world.yaml
seed: 4
replications: 2
scenarios: [{name: steady}, {name: surge, changes: {arrivals: {surges: [{start_week: 3, length_weeks: 5, peak_multiplier: 3}]}}}]
policies:
  - name: status_quo
  - name: more_seats
    capacities: [{name: North, services: {language: {seats: 120}}}]
uncertainties:
  - {name: rate, field: arrivals.weekly_rate, mode: multiply, distribution: {uniform: {low: 0.5, high: 1.5}}}
  - {name: seats, field: "regions[North].services.language.seats", distribution: {uniform: {low: 10, high: 80}}}
  - {name: decisions, field: asylum.decision_capacity_per_week, distribution: {discrete: {values: [20, 30, 40]}}}
sampling: {design: latin_hypercube, samples: 12}
thresholds:
  - {indicator: language_wait_worst_region_weeks, below: 4}
"#,
    )
    .unwrap();
    file
}

/// A scenario of the small world.
fn scenario(dir: &Path) -> PathBuf {
    common::write_small_world(dir, 20, 40);
    dir.join("world.yaml")
}

/// The tables of a folder: stem → file name.
fn tables(dir: &Path, ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(&format!(".{ext}")).map(str::to_string))
        .collect();
    names.sort();
    names
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

/// Every table of `pq` (Parquet) holds exactly the fields of the same
/// table in `csv`.
fn assert_same_tables(csv: &Path, pq: &Path) {
    let stems = tables(csv, "csv");
    assert_eq!(stems, tables(pq, "parquet"));
    assert!(!stems.is_empty());
    for stem in &stems {
        let a = csv_rows(&csv.join(format!("{stem}.csv")));
        let b = read_text(&pq.join(format!("{stem}.parquet"))).unwrap();
        assert_eq!(a.0, b.0, "{stem}: columns");
        assert_eq!(a.1.len(), b.1.len(), "{stem}: rows");
        assert!(a.1 == b.1, "{stem}: the fields differ");
    }
}

fn bytes(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_same_files(a: &Path, b: &Path) {
    for stem in tables(a, "parquet") {
        let name = format!("{stem}.parquet");
        assert!(bytes(a, &name) == bytes(b, &name), "{name} differs");
    }
}

#[test]
fn every_parquet_table_holds_the_rows_of_its_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let world = scenario(tmp.path());
    let (c, p) = (tmp.path().join("c"), tmp.path().join("p"));
    ok(&["run", s(&world), "-n", "3", "--out", s(&c)]);
    ok(&[
        "run",
        s(&world),
        "-n",
        "3",
        "--out",
        s(&p),
        "--format",
        "parquet",
    ]);
    assert_same_tables(&c, &p);
    assert_eq!(
        tables(&p, "parquet"),
        ["cohort_summary", "cohorts", "headline", "summary", "weekly"],
        "a scenario run's tables"
    );
    let manifest = String::from_utf8(bytes(&p, "manifest.json")).unwrap();
    assert!(manifest.contains("\"format\": \"parquet\""), "{manifest}");
    assert!(manifest.contains("\"weekly.parquet\""), "{manifest}");

    let file = experiment(tmp.path());
    let (ec, ep) = (tmp.path().join("ec"), tmp.path().join("ep"));
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec!["run", s(&file), "--keep-series", "--out", s(out)];
        args.extend_from_slice(extra);
        ok(&args);
    };
    run(&ec, &["--summary", "regions", "--format", "csv"]);
    run(&ep, &["--summary", "regions", "--format", "parquet"]);
    assert_same_tables(&ec, &ep);
    assert_eq!(
        tables(&ep, "parquet"),
        [
            "cohort_summary",
            "cohorts",
            "cost_benefit",
            "experiments",
            "failures",
            "outcomes",
            "robustness",
            "robustness_metrics",
            "satisficing",
            "series",
            "summary"
        ],
        "an experiment's tables"
    );
    // The input sampled from whole numbers is an integer column, as pandas
    // reads it from the CSV; the others are real.
    let inputs = foresight::output::parquet::ParquetReader::open(&ep.join("experiments.parquet"))
        .unwrap()
        .columns()
        .iter()
        .map(|c| (c.name.clone(), c.kind))
        .collect::<std::collections::HashMap<_, _>>();
    use foresight::output::table::Kind;
    assert_eq!(inputs["decisions"], Kind::Int);
    assert_eq!(inputs["rate"], Kind::Value);
    assert_eq!(inputs["seats"], Kind::Value);
    // Parquet is smaller.
    let size = |d: &Path, n: &str| std::fs::metadata(d.join(n)).unwrap().len();
    assert!(size(&ep, "series.parquet") * 5 < size(&ec, "series.csv"));

    // The report and discover read Parquet as they read CSV.
    let report = |d: &Path| {
        let html = foresight::report::render(d).unwrap();
        // The run time differs between two runs; the footer names the files.
        let at = html.find("<dt>Run time</dt>").unwrap();
        let end = at + html[at..].find("</dd>").unwrap();
        format!("{}{}", &html[..at], &html[end..]).replace(".parquet<", ".csv<")
    };
    let (a, b) = (report(&ec), report(&ep));
    if let Some(i) = a.bytes().zip(b.bytes()).position(|(x, y)| x != y) {
        panic!(
            "the reports differ at byte {i}: {}",
            b.get(i.saturating_sub(80)..(i + 80).min(b.len()))
                .unwrap_or("")
        );
    }
    assert_eq!(a.len(), b.len());
    for d in [&ec, &ep] {
        ok(&["discover", s(d), "--trees", "10"]);
    }
    let (dc, dp) = (ec.join("discovery"), ep.join("discovery"));
    for f in ["boxes.csv", "trajectory.csv", "feature_scores.csv"] {
        assert!(bytes(&dc, f) == bytes(&dp, f), "discovery/{f} differs");
    }
}

#[test]
fn parquet_bytes_do_not_depend_on_threads_shards_or_an_interruption() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path());
    let args = |out: &Path| -> Vec<String> {
        [
            "run",
            s(&file),
            "--keep-series",
            "--format",
            "parquet",
            "--out",
            s(out),
        ]
        .map(String::from)
        .to_vec()
    };
    let run = |out: &Path, extra: &[&str]| {
        let mut a = args(out);
        a.extend(extra.iter().map(|x| x.to_string()));
        ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    };
    let one = tmp.path().join("one");
    run(&one, &["--threads", "1"]);
    let two = tmp.path().join("two");
    run(&two, &["--threads", "2"]);
    assert_same_files(&one, &two);

    // Three shards, merged.
    let parent = tmp.path().join("shards");
    for k in (0..3).rev() {
        let shard = format!("{k}/3");
        let a = [
            "run",
            s(&file),
            "--keep-series",
            "--format",
            "parquet",
            "--shard",
            &shard,
            "--out",
            s(&parent),
        ];
        ok(&a);
    }
    let merged = tmp.path().join("merged");
    ok(&["merge", s(&merged), s(&parent)]);
    assert_same_files(&one, &merged);

    // A disk that fills up half-way through the series, then --resume.
    let series = std::fs::metadata(one.join("series.parquet")).unwrap().len();
    let out = tmp.path().join("resumed");
    let a = args(&out);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let limit = format!("{}:full", series / 2);
    let o = foresight(&a, &[("FORESIGHT_TEST_FAIL_WRITE_AT", &limit)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("resume with:"), "{err}");
    let mut resume = a.clone();
    resume.push("--resume");
    let o = ok(&resume);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("taken from the interrupted run"),
        "{stdout}"
    );
    assert_same_files(&one, &out);
    // The blocks' series parts are gone.
    assert!(!std::fs::read_dir(&out).unwrap().any(|e| {
        let n = e.unwrap().file_name();
        n.to_string_lossy().starts_with("series-")
    }));
}

#[test]
fn the_summary_is_national_for_experiments_regional_for_scenarios_or_as_chosen() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path());
    let world = scenario(tmp.path());
    let regions_of = |dir: &Path| -> std::collections::BTreeSet<String> {
        let (h, rows) = csv_rows(&dir.join("summary.csv"));
        let c = h.iter().position(|x| x == "region").unwrap();
        rows.into_iter().map(|r| r[c].clone()).collect()
    };
    let out = |n: &str| tmp.path().join(n);
    ok(&[
        "run",
        s(&file),
        "-n",
        "1",
        "--format",
        "csv",
        "--out",
        s(&out("e")),
    ]);
    assert_eq!(regions_of(&out("e")), ["all".to_string()].into());
    ok(&[
        "run",
        s(&file),
        "-n",
        "1",
        "--summary",
        "regions",
        "--format",
        "csv",
        "--out",
        s(&out("er")),
    ]);
    assert_eq!(regions_of(&out("er")).len(), 3, "North, South and all");
    ok(&["run", s(&world), "-n", "2", "--out", s(&out("s"))]);
    assert_eq!(regions_of(&out("s")).len(), 3);
    ok(&[
        "run",
        s(&world),
        "-n",
        "2",
        "--summary",
        "national",
        "--out",
        s(&out("sn")),
    ]);
    assert_eq!(regions_of(&out("sn")), ["all".to_string()].into());
    // The national rows are the same whichever scope.
    let national = |d: &Path| {
        let (h, rows) = csv_rows(&d.join("summary.csv"));
        let c = h.iter().position(|x| x == "region").unwrap();
        rows.into_iter()
            .filter(|r| r[c] == "all")
            .collect::<Vec<_>>()
    };
    assert_eq!(national(&out("e")), national(&out("er")));

    // None: no summary; the manifest says so and the report still renders.
    ok(&[
        "run",
        s(&world),
        "-n",
        "2",
        "--summary",
        "none",
        "--out",
        s(&out("none")),
    ]);
    assert!(!out("none").join("summary.csv").exists());
    let manifest = String::from_utf8(bytes(&out("none"), "manifest.json")).unwrap();
    assert!(manifest.contains("\"summary\": \"none\""), "{manifest}");
    assert!(!manifest.contains("\"summary.csv\""), "{manifest}");
    ok(&["report", s(&out("none"))]);

    // Unknown choices are refused in words.
    let o = foresight(&["run", s(&world), "--format", "xlsx"], &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("expected csv or parquet"), "{err}");
    let o = foresight(&["run", s(&world), "--summary", "regional"], &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("expected national, regions or none"), "{err}");
}

#[test]
fn experiments_write_parquet_and_scenarios_csv_unless_chosen() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path());
    let world = scenario(tmp.path());
    let out = |n: &str| tmp.path().join(n);
    let o = ok(&["run", s(&file), "-n", "1", "--out", s(&out("e"))]);
    assert_eq!(tables(&out("e"), "csv"), Vec::<String>::new());
    assert!(tables(&out("e"), "parquet").contains(&"outcomes".to_string()));
    let manifest = String::from_utf8(bytes(&out("e"), "manifest.json")).unwrap();
    assert!(manifest.contains("\"format\": \"parquet\""), "{manifest}");
    // The terminal says how to read them and how to have CSV instead.
    let stdout = String::from_utf8_lossy(&o.stdout);
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("tables in Parquet") && last.contains("--format csv"),
        "{stdout}"
    );

    let o = ok(&["run", s(&world), "-n", "1", "--out", s(&out("s"))]);
    assert_eq!(tables(&out("s"), "parquet"), Vec::<String>::new());
    assert!(tables(&out("s"), "csv").contains(&"headline".to_string()));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("Parquet"));
    // Chosen either way.
    ok(&[
        "run",
        s(&world),
        "-n",
        "1",
        "--format",
        "parquet",
        "--out",
        s(&out("sp")),
    ]);
    assert!(tables(&out("sp"), "parquet").contains(&"headline".to_string()));
    ok(&[
        "run",
        s(&file),
        "-n",
        "1",
        "--format",
        "csv",
        "--out",
        s(&out("ec")),
    ]);
    assert!(tables(&out("ec"), "csv").contains(&"outcomes".to_string()));
}

#[test]
fn polars_pandas_and_duckdb_load_every_parquet_table() {
    let Some(py) = python::venv("parquet-venv", "tests/parquet/requirements.txt") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path());
    let world = scenario(tmp.path());
    for (src, n) in [(&file, "e"), (&world, "s")] {
        let (c, p) = (
            tmp.path().join(format!("{n}c")),
            tmp.path().join(format!("{n}p")),
        );
        let run = |out: &Path, format: &str| {
            let a = [
                "run",
                s(src),
                "--keep-series",
                "--format",
                format,
                "--out",
                s(out),
            ];
            ok(&a);
        };
        run(&c, "csv");
        run(&p, "parquet");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parquet/load.py");
        let o = Command::new(&py)
            .arg(&script)
            .arg(&p)
            .arg(&c)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "load.py failed:\n{out}{}",
            String::from_utf8_lossy(&o.stderr)
        );
        // One line per table, each loaded by both libraries.
        let tables = tables(&p, "parquet");
        for t in &tables {
            assert!(
                out.contains(&format!("{t}.parquet: polars and pandas and DuckDB")),
                "{out}"
            );
        }
        assert_eq!(out.lines().count(), tables.len(), "{out}");
    }
}
