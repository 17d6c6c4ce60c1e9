//! The corpus of broken inputs (`tests/bad_inputs/`): every file is given to
//! the real binary, under a wall-time limit and a 1 GiB address-space limit,
//! and must be answered with the exit status and message fragment that
//! `tests/bad_inputs/expected.tsv` records for it, without a panic.
//!
//! The contract: analysts edit YAML by hand; whatever they write, `foresight
//! validate` and `foresight run` answer with a message, never a crash, a hang
//! or memory exhaustion, and absurd sizes are refused before anything is
//! allocated, naming the limit.
//!
//! Cases named `gen:NAME` in the manifest are written by [`generated`] at run
//! time: files of megabytes, folders, and devices.

#![cfg(target_os = "linux")]

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_foresight");

/// Address-space limit of every run, KiB (1 GiB).
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

/// Wall-time limit of every run. Refusals take milliseconds; the limit is
/// generous so that a loaded machine does not fail the test, and small
/// enough to catch a hang.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// The corpus must keep at least this many cases (files and generated).
const MIN_CASES: usize = 40;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

/// One line of the manifest.
#[derive(Debug)]
struct Expectation {
    case: String,
    command: String,
    exit: i32,
    contains: String,
    line: usize,
}

fn manifest() -> Vec<Expectation> {
    let path = corpus_dir().join("expected.tsv");
    let text = std::fs::read_to_string(&path).expect("tests/bad_inputs/expected.tsv is readable");
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').collect();
        assert_eq!(
            cols.len(),
            4,
            "expected.tsv:{}: expected 4 tab-separated columns (case, command, exit, contains): {raw:?}",
            i + 1
        );
        assert!(
            ["validate", "run"].contains(&cols[1]),
            "expected.tsv:{}: command must be validate or run: {raw:?}",
            i + 1
        );
        assert!(
            !cols[3].is_empty(),
            "expected.tsv:{}: every case names a fragment of its message",
            i + 1
        );
        out.push(Expectation {
            case: cols[0].to_string(),
            command: cols[1].to_string(),
            exit: cols[2]
                .parse()
                .unwrap_or_else(|_| panic!("expected.tsv:{}: exit status {:?}", i + 1, cols[2])),
            contains: cols[3].to_string(),
            line: i + 1,
        });
    }
    out
}

/// What one run printed, and how it ended.
struct Outcome {
    /// Exit status; `None` when killed by a signal (or by the time limit).
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    timed_out: bool,
}

/// Run the binary with `args` in `cwd`, under the memory and time limits.
/// Output goes to files, not pipes, so that a flood of messages cannot
/// block the child while the test waits for it.
fn run_limited(args: &[&str], cwd: &Path, scratch: &Path, tag: &str) -> Outcome {
    let out_path = scratch.join(format!("{tag}.stdout"));
    let err_path = scratch.join(format!("{tag}.stderr"));
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} || exit 97; exec \"$0\" \"$@\""
        ))
        .arg(BIN)
        .args(args)
        .current_dir(cwd)
        // Unset so that a panic would print its "RUST_BACKTRACE" hint.
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("stdout file"))
        .stderr(File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("sh runs");
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for the killed child");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Outcome {
        code: status.code(),
        stdout: read(&out_path),
        stderr: read(&err_path),
        elapsed: start.elapsed(),
        timed_out,
    }
}

/// Write (or name) the input of a `gen:` case.
fn generated(name: &str, dir: &Path) -> PathBuf {
    let world = corpus_dir().join("00_valid_world.yaml");
    let valid = std::fs::read_to_string(&world).expect("the valid world is readable");
    let after_arrivals = &valid[valid.find("\narrivals:").expect("the world has arrivals") + 1..];
    let write = |file: &str, text: &str| {
        let p = dir.join(file);
        std::fs::write(&p, text).expect("write a generated case");
        p
    };
    match name {
        // A device that never ends, given directly.
        "dev_zero" => PathBuf::from("/dev/zero"),
        "folder" => {
            let p = dir.join("a_folder.yaml");
            std::fs::create_dir_all(&p).expect("create a folder");
            p
        }
        // 5 MB: a valid scenario padded with comments.
        "huge_file" => {
            let mut t = valid.clone();
            while t.len() < 5_000_000 {
                t.push_str("# padding padding padding padding padding padding padding padding\n");
            }
            write("huge_file.yaml", &t)
        }
        // A million opening brackets where any YAML is read (an inline world).
        "deep_flow_nesting" => write(
            "deep_flow_nesting.yaml",
            &format!("experiment: x\nworld: {}\n", "[".repeat(1_000_000)),
        ),
        "many_regions" => {
            let mut t = String::from("name: many\nhorizon_weeks: 52\nregions:\n");
            for i in 0..1001 {
                t.push_str(&format!(
                    "  - {{name: r{i}, population: 1000, reception_places: 10, jobs: {{low: 1, mid: 1, high: 1}}}}\n"
                ));
            }
            t.push_str(after_arrivals);
            write("many_regions.yaml", &t)
        }
        // 150,000 misspelt fields: the listing stops, the count does not.
        "many_unknown_fields" => {
            let mut t = valid.clone();
            for i in 0..150_000 {
                t.push_str(&format!("u{i}: 1\n"));
            }
            write("many_unknown_fields.yaml", &t)
        }
        "many_sponsorship_regions" => {
            let mut t = valid.clone();
            t.push_str(
                "policy:\n  community_sponsorship:\n    households_per_year: 10\n    regions:\n",
            );
            for _ in 0..200_000 {
                t.push_str("      - r\n");
            }
            write("many_sponsorship_regions.yaml", &t)
        }
        // 100,000 scenarios: 100,000 copies of the world.
        "many_scenarios" => {
            let mut t = format!("experiment: many\nworld: {}\nscenarios:\n", world.display());
            for i in 0..100_000 {
                t.push_str(&format!("  - name: s{i}\n"));
            }
            write("many_scenarios.yaml", &t)
        }
        // One mapping of 1,000 keys, aliased 10,000 times: 10^7 nodes.
        "aliases_of_a_large_mapping" => {
            let keys: Vec<String> = (0..1000).map(|i| format!("k{i}: {i}")).collect();
            let t = format!(
                "experiment: aliases\nworld: {}\nscenarios:\n  - name: big\n    changes:\n      big: &big {{{}}}\n      copies: [{}]\n",
                world.display(),
                keys.join(", "),
                vec!["*big"; 10_000].join(", ")
            );
            write("aliases_of_a_large_mapping.yaml", &t)
        }
        // A three-megabyte name.
        "long_name" => {
            let rest = &valid[valid
                .find("\nhorizon_weeks:")
                .expect("the world has a horizon")..];
            write(
                "long_name.yaml",
                &format!("name: {}{rest}", "x".repeat(3_000_000)),
            )
        }
        other => panic!("expected.tsv names gen:{other}, which the test does not write"),
    }
}

#[test]
fn the_memory_limit_is_applied() {
    // The limit is set by the shell before the binary replaces it: check
    // that it is in force in the process that runs.
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec cat /proc/self/limits"
        ))
        .output()
        .expect("sh runs");
    let limits = String::from_utf8_lossy(&out.stdout);
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max address space"))
        .unwrap_or_else(|| panic!("no address-space line in /proc/self/limits:\n{limits}"));
    assert!(
        line.contains(&(MEMORY_LIMIT_KIB * 1024).to_string()),
        "the address-space limit is not in force: {line}"
    );
}

#[test]
fn every_file_of_the_corpus_has_an_expectation() {
    let expected = manifest();
    let named: BTreeSet<&str> = expected.iter().map(|e| e.case.as_str()).collect();
    let mut files = BTreeSet::new();
    for entry in std::fs::read_dir(corpus_dir()).expect("tests/bad_inputs is a folder") {
        let name = entry.expect("a folder entry").file_name();
        let name = name.to_string_lossy().into_owned();
        if name != "expected.tsv" {
            files.insert(name);
        }
    }
    let unlisted: Vec<&String> = files
        .iter()
        .filter(|f| !named.contains(f.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "files of tests/bad_inputs without a line in expected.tsv: {unlisted:?}"
    );
    let missing: Vec<&&str> = named
        .iter()
        .filter(|c| !c.starts_with("gen:") && !files.contains(**c))
        .collect();
    assert!(
        missing.is_empty(),
        "expected.tsv names files that do not exist: {missing:?}"
    );
    // Cases, not lines: a file checked with both commands counts once, and
    // valid inputs (the control case) do not count.
    let broken: BTreeSet<&str> = expected
        .iter()
        .filter(|e| e.exit != 0)
        .map(|e| e.case.as_str())
        .collect();
    let cases = broken.len();
    assert!(
        cases >= MIN_CASES,
        "the corpus has {cases} broken inputs; at least {MIN_CASES} are required"
    );
}

/// One line of the manifest, run.
struct Run {
    e: Expectation,
    o: Outcome,
    /// `expected.tsv:N `command case``, for messages.
    what: String,
    /// Whether the run left its output folder, or a default `outputs/`.
    wrote_out: bool,
    wrote_outputs: bool,
}

/// Every line of the manifest, run once and shared by the tests below.
fn runs() -> &'static [Run] {
    static RUNS: OnceLock<Vec<Run>> = OnceLock::new();
    RUNS.get_or_init(run_all)
}

fn run_all() -> Vec<Run> {
    let expected = manifest();
    let scratch = TempDir::new().expect("temporary folder");
    let generated_dir = scratch.path().join("generated");
    std::fs::create_dir_all(&generated_dir).expect("create the folder of generated cases");
    let mut inputs: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut runs = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for (n, e) in expected.into_iter().enumerate() {
        let input = inputs
            .entry(e.case.clone())
            .or_insert_with(|| match e.case.strip_prefix("gen:") {
                Some(name) => generated(name, &generated_dir),
                None => corpus_dir().join(&e.case),
            })
            .clone();
        let input_arg = input.to_str().expect("corpus paths are UTF-8").to_string();
        // Runs write into a fresh folder of their own, in a working folder
        // of their own, so that a refused run can be seen to write nothing.
        let cwd = scratch.path().join(format!("cwd{n}"));
        std::fs::create_dir_all(&cwd).expect("create a working folder");
        let out_dir = cwd.join("out");
        let out_arg = out_dir.to_str().expect("UTF-8 path").to_string();
        let args: Vec<&str> = match e.command.as_str() {
            "validate" => vec!["validate", &input_arg],
            _ => vec!["run", &input_arg, "--out", &out_arg, "--threads", "1"],
        };
        let o = run_limited(&args, &cwd, scratch.path(), &format!("case{n}"));
        let what = format!("expected.tsv:{} `{} {}`", e.line, e.command, e.case);
        if o.elapsed > slowest.0 {
            slowest = (o.elapsed, what.clone());
        }
        runs.push(Run {
            wrote_out: out_dir.exists(),
            wrote_outputs: cwd.join("outputs").exists(),
            e,
            o,
            what,
        });
    }
    eprintln!(
        "{} runs; slowest {:.2} s ({})",
        runs.len(),
        slowest.0.as_secs_f64(),
        slowest.1
    );
    runs
}

fn shown(s: &str) -> String {
    s.chars().take(2000).collect()
}

fn tail(s: &str) -> String {
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(500)).collect()
}

fn assert_none_failed(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n\n{}",
        failures.len(),
        runs().len(),
        failures.join("\n\n")
    );
}

#[test]
fn no_input_crashes_hangs_or_exhausts_memory() {
    let mut failures = Vec::new();
    for r in runs() {
        let (what, o) = (&r.what, &r.o);
        if o.timed_out {
            failures.push(format!(
                "{what}: still running after {TIME_LIMIT:?}; killed"
            ));
        }
        if o.code == Some(97) {
            failures.push(format!("{what}: the shell could not set the memory limit"));
        }
        for bad in [
            "panicked",
            "RUST_BACKTRACE",
            "stack backtrace",
            "memory allocation of",
        ] {
            if o.stderr.contains(bad) {
                failures.push(format!(
                    "{what}: stderr shows a crash ({bad:?}):\n{}",
                    shown(&o.stderr)
                ));
            }
        }
    }
    assert_none_failed(failures);
}

#[test]
fn every_case_gives_its_exit_status_and_message() {
    let mut failures = Vec::new();
    for r in runs() {
        let (what, e, o) = (&r.what, &r.e, &r.o);
        if o.timed_out || o.code == Some(97) {
            continue; // reported by no_input_crashes_hangs_or_exhausts_memory
        }
        if o.code != Some(e.exit) {
            failures.push(format!(
                "{what}: exit status {:?}, expected {}; stderr:\n{}",
                o.code,
                e.exit,
                shown(&o.stderr)
            ));
            continue;
        }
        let text = if e.exit == 0 { &o.stdout } else { &o.stderr };
        if !text.contains(&e.contains) {
            failures.push(format!(
                "{what}: the output does not contain {:?}:\n{}",
                e.contains,
                shown(text)
            ));
        }
        if e.exit != 0 {
            if !o.stdout.trim().is_empty() {
                failures.push(format!(
                    "{what}: a refused input printed on stdout:\n{}",
                    shown(&o.stdout)
                ));
            }
            if !o.stderr.trim_end().ends_with("found; nothing was run.") {
                failures.push(format!(
                    "{what}: expected the closing 'N problems found; nothing was run.'; stderr ends:\n{}",
                    tail(&o.stderr)
                ));
            }
        }
        if e.command == "run" {
            if e.exit == 0 && !r.wrote_out {
                failures.push(format!("{what}: a valid run wrote no output folder"));
            }
            if e.exit != 0 && (r.wrote_out || r.wrote_outputs) {
                failures.push(format!("{what}: a refused run created an output folder"));
            }
        }
    }
    assert_none_failed(failures);
}

/// Words of the program's own types: a planner reading a message should
/// never meet one. Whole words only (`u32`, not `u32x`).
const RUST_WORDS: [&str; 24] = [
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64", "bool", "char", "String", "Vec", "Option", "HashMap", "BTreeMap", "struct", "enum",
    "variant",
];

fn rust_words_in(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| RUST_WORDS.contains(w))
        .map(str::to_string)
        .collect();
    for phrase in ["unit value", "::", "Diagnostics {", "Some(", "None,"] {
        if text.contains(phrase) {
            found.push(phrase.to_string());
        }
    }
    found
}

#[test]
fn the_rust_word_scan_finds_type_names() {
    assert_eq!(
        rust_words_in("expected u32, found struct ServiceCapacity"),
        ["u32", "struct"]
    );
    assert!(rust_words_in("expected a whole number (u32x), found 1.5").is_empty());
}

/// A message without what it quotes from the file: the position, the
/// field path and anything in backticks (a generated file has a key `u8`).
fn own_words(line: &str) -> String {
    let mut rest = line.strip_prefix("error: ").unwrap_or(line);
    // FILE:LINE:COLUMN: (the file's name may hold anything but this)
    let bytes = rest.as_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b':' {
            let digits = rest[i + 1..]
                .split(':')
                .take(2)
                .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
            if digits {
                let after = rest[i + 1..].splitn(3, ':').nth(2).unwrap_or("");
                rest = after.strip_prefix(' ').unwrap_or(after);
                // FIELD.PATH: (no spaces)
                if let Some((path, message)) = rest.split_once(": ")
                    && !path.contains(' ')
                {
                    rest = message;
                }
                break;
            }
        }
    }
    let mut out = String::new();
    for (i, part) in rest.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        }
    }
    out
}

#[test]
fn own_words_leave_out_what_the_file_says() {
    assert_eq!(
        own_words("error: /t/f.yaml:55:1: u8: unknown field `u8` (expected one of: a)"),
        "unknown field  (expected one of: a)"
    );
    assert_eq!(own_words("3 problems found"), "3 problems found");
}

#[test]
fn no_message_names_a_rust_type() {
    let mut failures = Vec::new();
    for r in runs() {
        for stream in [&r.o.stderr, &r.o.stdout] {
            for line in stream.lines() {
                let words = rust_words_in(&own_words(line));
                if !words.is_empty() {
                    failures.push(format!("{}: {words:?} in: {line}", r.what));
                }
            }
        }
    }
    assert_none_failed(failures);
}

#[test]
fn no_message_says_error_twice() {
    let mut failures = Vec::new();
    for r in runs() {
        for line in r.o.stderr.lines() {
            if line.starts_with("error: error:") {
                failures.push(format!("{}: {line}", r.what));
            }
        }
    }
    assert_none_failed(failures);
}
