//! Interrupted runs lose nothing: a run killed with SIGKILL part-way, or
//! stopped with Ctrl-C (SIGINT), leaves no folder that looks complete and is
//! finished by `--resume` with output byte-identical to an uninterrupted
//! run; a full disk or a read-only folder is a clear error that corrupts
//! nothing (simulated through the output layer's test hook, so that any user
//! can run them, and on a real tmpfs when run as root).

mod common;

use std::path::{Path, PathBuf};

use common::s;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const FILES: [&str; 9] = [
    "summary.csv",
    "cost_benefit.csv",
    "experiments.csv",
    "outcomes.csv",
    "robustness.csv",
    "robustness_metrics.csv",
    "satisficing.csv",
    "failures.csv",
    "series.csv",
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
fn foresight(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args(args)
        .args(csv_unless_chosen(args))
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> Output {
    let o = foresight(args);
    assert!(
        o.status.success(),
        "foresight {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// An experiment of a few hundred short cells: long enough to be caught
/// part-way, short enough for CI.
fn experiment(dir: &Path) -> PathBuf {
    common::write_small_world(dir, 30, 60);
    let file = dir.join("experiment.yaml");
    std::fs::write(
        &file,
        r#"
experiment: resumable
world: world.yaml
seed: 4
replications: 100
scenarios: [{name: steady}, {name: surge, changes: {arrivals: {surges: [{start_week: 5, length_weeks: 10, peak_multiplier: 3}]}}}]
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

fn staging(out: &Path) -> PathBuf {
    out.with_file_name(format!(
        ".{}.partial",
        out.file_name().unwrap().to_string_lossy()
    ))
}

fn journal_blocks(out: &Path) -> usize {
    std::fs::read_dir(staging(out).join("journal"))
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".bin"))
            })
            .count()
        })
        .unwrap_or(0)
}

/// Start a run and wait until its journal records at least `blocks` blocks.
fn start_and_wait(args: &[&str], out: &Path, blocks: usize) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args(args)
        .args(csv_unless_chosen(args))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while journal_blocks(out) < blocks {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before it could be interrupted");
        }
        assert!(start.elapsed() < Duration::from_secs(300), "no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn assert_same(a: &Path, b: &Path) {
    for f in FILES {
        let x = std::fs::read(a.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        let y = std::fs::read(b.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(x == y, "{f} differs after resuming");
    }
}

#[test]
fn a_killed_run_resumes_to_identical_output() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path());
    let whole = tmp.path().join("whole");
    ok(&["run", s(&file), "--keep-series", "--out", s(&whole)]);

    let out = tmp.path().join("killed");
    let args = ["run", s(&file), "--keep-series", "--out", s(&out)];
    let mut child = start_and_wait(&args, &out, 3);
    signal(&child, "KILL");
    child.wait().unwrap();
    assert!(!out.exists(), "no folder that looks complete");
    let recorded = journal_blocks(&out);
    assert!((3..64).contains(&recorded), "{recorded} blocks recorded");

    // Without --resume the kept state is neither lost nor silently reused.
    let o = foresight(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pass --resume to finish it"));
    // A different seed is not the same run.
    let o = foresight(&[
        "run",
        s(&file),
        "--keep-series",
        "--out",
        s(&out),
        "--seed",
        "5",
        "--resume",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("different experiment, seed"));

    // A half-written block (killed while writing) is dropped and run again.
    std::fs::write(staging(&out).join("journal/block-00000063.tmp"), b"torn").unwrap();
    let o = ok(&[
        "run",
        s(&file),
        "--keep-series",
        "--out",
        s(&out),
        "--resume",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("taken from the interrupted run"),
        "{stdout}"
    );
    assert_same(&whole, &out);
    assert!(
        !staging(&out).exists(),
        "the journal is removed once complete"
    );
    assert!(!out.join("journal").exists() && !out.join("lock").exists());
}

#[test]
fn ctrl_c_stops_cleanly_and_says_how_to_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path());
    let whole = tmp.path().join("whole");
    ok(&["run", s(&file), "--keep-series", "--out", s(&whole)]);

    let out = tmp.path().join("stopped");
    let args = ["run", s(&file), "--keep-series", "--out", s(&out)];
    let child = start_and_wait(&args, &out, 2);
    signal(&child, "INT");
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(
        err.contains("interrupted:") && err.contains("cells are complete"),
        "{err}"
    );
    assert!(err.contains("resume with: foresight run"), "{err}");
    assert!(err.contains("--resume"), "{err}");
    assert!(!out.exists(), "no folder that looks complete");
    assert!(journal_blocks(&out) >= 2);

    // The command it prints finishes the run.
    ok(&[
        "run",
        s(&file),
        "--keep-series",
        "--out",
        s(&out),
        "--resume",
    ]);
    assert_same(&whole, &out);

    // Resuming a second time finds the run complete.
    let o = foresight(&[
        "run",
        s(&file),
        "--keep-series",
        "--out",
        s(&out),
        "--resume",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
}

/// Earlier results in `out`, then a run that fills the disk (`fail_at`:
/// through the test hook after that many bytes; `None`: a real small disk):
/// a clear error, the earlier results untouched, and once `make_room` has
/// run, the resume command it printed finishes the run with the same bytes
/// as `whole`.
fn fill_the_disk(
    file: &Path,
    whole: &Path,
    out: &Path,
    fail_at: Option<u64>,
    make_room: impl FnOnce(),
) {
    ok(&["run", s(file), "-n", "1", "--out", s(out)]);
    let earlier = std::fs::read(out.join("outcomes.csv")).unwrap();
    let args = [
        "run",
        s(file),
        "--keep-series",
        "--format",
        "csv",
        "--out",
        s(out),
        "--force",
    ];
    let mut run = Command::new(env!("CARGO_BIN_EXE_foresight"));
    run.args(args).args(csv_unless_chosen(&args));
    if let Some(bytes) = fail_at {
        run.env(FAIL_WRITE_AT, format!("{bytes}:full"));
    }
    let o = run.output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("the disk is full"), "{err}");
    assert!(err.contains("resume with:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Half-way through (the test hook), completed blocks are kept; a real
    // 3 MB disk may fill up before the first block is complete.
    let kept = journal_blocks(out);
    assert!(
        fail_at.is_none() || kept > 0,
        "the completed blocks are kept"
    );
    // The earlier results are untouched.
    assert_eq!(std::fs::read(out.join("outcomes.csv")).unwrap(), earlier);
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"replications\": 1"));

    make_room();
    // The command it printed (with --force: replace the earlier results).
    let mut resume = args.to_vec();
    resume.push("--resume");
    assert!(
        err.contains(&format!("resume with: foresight {}", resume.join(" "))),
        "{err}"
    );
    let o = ok(&resume);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        kept == 0 || stdout.contains("taken from the interrupted run"),
        "{stdout}"
    );
    assert_same(whole, out);
}

#[test]
fn a_full_disk_is_a_clear_error_that_corrupts_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path());
    let whole = tmp.path().join("whole");
    ok(&["run", s(&file), "--keep-series", "--out", s(&whole)]);
    // The disk fills up half-way through the series.
    let series = std::fs::metadata(whole.join("series.csv")).unwrap().len();
    let out = tmp.path().join("results");
    fill_the_disk(&file, &whole, &out, Some(series / 2), || {});
}

#[test]
fn a_read_only_disk_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path());
    let ro = tmp.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args([
            "run",
            s(&file),
            "-n",
            "1",
            "--format",
            "csv",
            "--out",
            s(&ro.join("results")),
        ])
        .env(FAIL_WRITE_AT, "0:read-only")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("Read-only file system"), "{err}");
    assert!(err.contains("choose another folder with --out"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        std::fs::read_dir(&ro).unwrap().count(),
        0,
        "nothing written"
    );
}

/// The test hook of `src/output/storage.rs`.
const FAIL_WRITE_AT: &str = "FORESIGHT_TEST_FAIL_WRITE_AT";

// The same two cases on a real full and a real read-only file system: they
// mount a tmpfs, which needs root, so `cargo test` skips them (listed as
// ignored, with the reason) and CI runs them as root with
// `cargo test --test resume -- --ignored`.

fn assert_root() {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").map(|m| m.uid());
    assert_eq!(
        uid.ok(),
        Some(0),
        "this test mounts a tmpfs and needs root: run it as root \
         (cargo test --test resume -- --ignored), as CI does"
    );
}

/// Mount a tmpfs of `size` at `dir`.
fn mount_tmpfs(dir: &Path, size: &str, options: &str) -> Mounted {
    std::fs::create_dir_all(dir).unwrap();
    let mounted = Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            &format!("size={size}{options}"),
            "tmpfs",
            s(dir),
        ])
        .status()
        .is_ok_and(|st| st.success());
    assert!(mounted, "cannot mount a tmpfs at {}", dir.display());
    Mounted(dir.to_path_buf())
}

struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
#[ignore = "needs root (mounts a tmpfs); CI runs it as root: cargo test --test resume -- --ignored"]
fn a_full_disk_is_a_clear_error_that_corrupts_nothing_on_a_real_tmpfs() {
    assert_root();
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path());
    let whole = tmp.path().join("whole");
    ok(&["run", s(&file), "--keep-series", "--out", s(&whole)]);
    let disk = tmp.path().join("disk");
    let _mounted = mount_tmpfs(&disk, "3m", "");
    fill_the_disk(&file, &whole, &disk.join("results"), None, || {
        let grown = Command::new("mount")
            .args(["-o", "remount,size=2g", s(&disk)])
            .status()
            .unwrap();
        assert!(grown.success());
    });
}

#[test]
#[ignore = "needs root (mounts a tmpfs); CI runs it as root: cargo test --test resume -- --ignored"]
fn a_read_only_folder_is_a_clear_error_on_a_real_tmpfs() {
    assert_root();
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path());
    let ro = tmp.path().join("ro");
    let _mounted = mount_tmpfs(&ro, "1m", ",ro");
    let o = foresight(&["run", s(&file), "-n", "1", "--out", s(&ro.join("results"))]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("Read-only file system"), "{err}");
    assert!(err.contains("choose another folder with --out"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
