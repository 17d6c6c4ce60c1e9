//! End-to-end tests of `foresight validate FILE...`: the real binary is run on
//! scenario files written into a temporary folder, and its exit status and
//! messages are checked.
//!
//! The contract under test: every problem is reported, each naming the file,
//! the field path, the line and column, and what was expected; exit status 0
//! when every file is valid, 2 when any is not; never a panic or a backtrace
//! for a user's mistake.
//!
//! Tests marked `#[ignore = "..."]` describe behaviour the validator does not
//! have yet; they are kept so that the fix can be checked with
//! `cargo test --test validate_cli -- --ignored`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_foresight");

/// Name of the scenario file written by [`check`].
const FILE: &str = "file.yaml";

/// A minimal valid scenario: two regions, two origin groups. Line numbers in
/// the tests are computed from the text (see [`line_of`]), so lines may be
/// added here without breaking them.
const VALID: &str = "\
name: test
horizon_weeks: 52
regions:
  - name: north
    population: 1000000
    dispersal_weight: 0.6
    reception_places: 500
    services:
      language:
        seats: 100
    jobs:
      low: 1000
      mid: 2000
      high: 500
  - name: south
    population: 500000
    dispersal_weight: 0.4
    reception_places: 200
    jobs:
      low: 800
      mid: 900
      high: 300
arrivals:
  weekly_rate: 100
  channels:
    asylum: 0.8
    resettlement: 0.2
  origin_groups:
    - name: alpha
      share: 0.7
      skills:
        low: 0.5
        mid: 0.3
        high: 0.2
      household_sizes: [0.4, 0.3, 0.3]
      recognition_probability: 0.6
    - name: beta
      share: 0.3
      skills:
        low: 0.2
        mid: 0.5
        high: 0.3
      recognition_probability: 0.9
      household_sizes: [0.5, 0.5]
";

// ------------------------------------------------------------------ helpers

/// Run `foresight validate` on the given paths.
fn run_validate<I, S>(paths: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(BIN)
        .arg("validate")
        .args(paths)
        // Unset so that a panic prints its "RUST_BACKTRACE" hint.
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the foresight binary runs")
}

/// Exit code; -1 when the process was killed by a signal (e.g. an abort).
fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Write raw bytes to `dir/name`.
fn write(dir: &TempDir, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).expect("write the scenario file");
    path
}

/// Validate raw bytes written to `file.yaml`; exit code, stdout and stderr.
fn check_full(bytes: &[u8]) -> (i32, String, String) {
    let dir = TempDir::new().expect("temporary folder");
    let path = write(&dir, FILE, bytes);
    let out = run_validate([&path]);
    (code(&out), text(&out.stdout), text(&out.stderr))
}

/// Validate YAML text written to `file.yaml`; exit code and stderr.
fn check(yaml: &str) -> (i32, String) {
    let (code, _stdout, stderr) = check_full(yaml.as_bytes());
    (code, stderr)
}

/// No panic message and no backtrace hint.
fn assert_no_panic(stderr: &str) {
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(
            !stderr.contains(bad),
            "stderr shows a panic ({bad:?}):\n{stderr}"
        );
    }
}

/// Exit 2, no panic, nothing on stdout, and the count line at the end.
fn assert_rejected(code: i32, stdout: &str, stderr: &str) {
    assert_eq!(code, 2, "expected exit status 2; stderr:\n{stderr}");
    assert_no_panic(stderr);
    assert!(
        stdout.trim().is_empty(),
        "an invalid file must not be reported valid; stdout:\n{stdout}"
    );
    assert!(
        stderr.trim_end().ends_with("found; nothing was run."),
        "expected the 'N problems found; nothing was run.' line; stderr:\n{stderr}"
    );
}

/// The `error:` line of stderr that names `path` as the field, if any.
fn line_naming<'a>(stderr: &'a str, path: &str) -> Option<&'a str> {
    let needle = format!(": {path}: ");
    stderr
        .lines()
        .find(|l| l.starts_with("error: ") && l.contains(&needle))
}

/// Assert that one `error:` line names the field `path`, stands at
/// `file.yaml:LINE:COLUMN:` with LINE one of `lines`, and contains every
/// fragment of `expected`.
fn assert_line(stderr: &str, path: &str, lines: &[usize], expected: &[&str]) {
    let Some(l) = line_naming(stderr, path) else {
        panic!("no error line names the field `{path}`; stderr:\n{stderr}");
    };
    let at = l
        .find(&format!("/{FILE}:"))
        .unwrap_or_else(|| panic!("the error line does not name {FILE}: {l}"));
    let mut parts = l[at + FILE.len() + 2..].splitn(3, ':');
    let line: usize = parts
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no line number after the file name: {l}"));
    let column: Option<usize> = parts.next().and_then(|s| s.parse().ok());
    assert!(
        lines.contains(&line),
        "field `{path}` reported at line {line}, expected line {lines:?}: {l}"
    );
    assert!(column.is_some(), "no column after the line number: {l}");
    // Fragments are looked for in the message, after the field path.
    let needle = format!(": {path}: ");
    let message = &l[l.find(&needle).unwrap() + needle.len()..];
    for frag in expected {
        assert!(
            message.contains(frag),
            "the message for `{path}` should contain {frag:?}: {l}"
        );
    }
}

/// Validate `yaml`, expect rejection with a problem at `path`, on `line`,
/// whose message contains every fragment of `expected`. Returns stderr.
fn assert_problem(yaml: &str, path: &str, line: usize, expected: &[&str]) -> String {
    assert_problem_at(yaml, path, &[line], expected)
}

/// As [`assert_problem`], accepting any of several lines.
fn assert_problem_at(yaml: &str, path: &str, lines: &[usize], expected: &[&str]) -> String {
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    assert_line(&stderr, path, lines, expected);
    stderr
}

/// `VALID` with `old` (which must occur exactly once) replaced by `new`.
fn edit(old: &str, new: &str) -> String {
    edit_in(VALID, old, new)
}

fn edit_in(base: &str, old: &str, new: &str) -> String {
    assert_eq!(
        base.matches(old).count(),
        1,
        "test bug: {old:?} must occur exactly once"
    );
    base.replacen(old, new, 1)
}

/// 1-based line of the only occurrence of `needle` in `yaml`.
fn line_of(yaml: &str, needle: &str) -> usize {
    assert_eq!(
        yaml.matches(needle).count(),
        1,
        "test bug: {needle:?} must occur exactly once"
    );
    let at = yaml.find(needle).unwrap();
    yaml[..at].matches('\n').count() + 1
}

/// The path of a file as the binary prints it.
fn shown(path: &Path) -> String {
    path.display().to_string()
}

// ------------------------------------------------------------------ valid files

#[test]
fn valid_scenario_is_accepted() {
    let (code, stdout, stderr) = check_full(VALID.as_bytes());
    assert_eq!(code, 0, "stderr:\n{stderr}");
    assert!(
        stderr.is_empty(),
        "no messages expected on stderr:\n{stderr}"
    );
    assert!(
        stdout.contains(&format!("{FILE}: valid (2 regions, 52 weeks)")),
        "stdout:\n{stdout}"
    );
}

#[test]
fn shares_within_tolerance_are_accepted_and_beyond_it_rejected() {
    // Off by 1e-10: accepted.
    let yaml = edit(
        "    asylum: 0.8\n    resettlement: 0.2",
        "    asylum: 0.7000000001\n    resettlement: 0.3",
    );
    let (code, stderr) = check(&yaml);
    assert_eq!(
        code, 0,
        "a sum within 1e-6 of 1 is valid; stderr:\n{stderr}"
    );

    // Off by 1e-5: rejected.
    let yaml = edit(
        "    asylum: 0.8\n    resettlement: 0.2",
        "    asylum: 0.70001\n    resettlement: 0.3",
    );
    let line = line_of(&yaml, "  channels:");
    assert_problem(&yaml, "arrivals.channels", line, &["sum to 1"]);
}

// ------------------------------------------------------------------ YAML syntax

#[test]
fn syntax_unclosed_bracket_at_end_of_file() {
    let yaml = edit("household_sizes: [0.5, 0.5]", "household_sizes: [0.5, 0.5");
    let line = line_of(&yaml, "[0.5, 0.5");
    assert_problem(
        &yaml,
        "arrivals.origin_groups[1].household_sizes",
        line,
        &["bracket"],
    );
}

#[test]
fn syntax_unclosed_bracket_followed_by_more_fields() {
    let yaml = edit(
        "household_sizes: [0.4, 0.3, 0.3]",
        "household_sizes: [0.4, 0.3, 0.3",
    );
    let opened = line_of(&yaml, "[0.4, 0.3, 0.3");
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    // The list or one of its items may be named.
    let l = stderr
        .lines()
        .find(|l| l.contains(": arrivals.origin_groups[0].household_sizes"))
        .unwrap_or_else(|| panic!("the field is named; stderr:\n{stderr}"));
    // Either the line of the '[' or the line where the parser noticed.
    assert!(
        l.contains(&format!("/{FILE}:{opened}:"))
            || l.contains(&format!("/{FILE}:{}:", opened + 1)),
        "expected line {opened} or {}: {l}",
        opened + 1
    );
    // The message, after the field path (which may contain brackets itself).
    let field = l
        .find(": arrivals.origin_groups[0].household_sizes")
        .unwrap()
        + 2;
    let message = &l[field + l[field..].find(": ").unwrap() + 2..];
    assert!(
        message.contains(']') || message.contains("bracket"),
        "the message should say that a ']' is missing: {l}"
    );
}

#[test]
fn syntax_bad_indentation_too_deep() {
    // `population` indented one space more than `name`.
    let yaml = edit("    population: 1000000\n", "     population: 1000000\n");
    let line = line_of(&yaml, "population: 1000000");
    assert_problem(
        &yaml,
        "regions[0]",
        line,
        &[
            "`population` is indented more than the other fields of regions[0]",
            "5 spaces",
        ],
    );
}

#[test]
fn syntax_bad_indentation_too_shallow() {
    let yaml = edit("      mid: 2000\n", "     mid: 2000\n");
    let line = line_of(&yaml, "mid: 2000");
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    assert!(
        stderr.contains(&format!("/{FILE}:{line}:")),
        "the problem is on line {line}; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("indent"),
        "the message should speak of indentation; stderr:\n{stderr}"
    );
    assert!(
        !stderr.contains("missing required field `mid`"),
        "`mid` is present, only mis-indented; stderr:\n{stderr}"
    );
}

#[test]
fn syntax_tab_indentation_of_a_key() {
    // The first key of a block mapping indented with a tab.
    let yaml = edit("    jobs:\n      low: 1000\n", "    jobs:\n\tlow: 1000\n");
    let line = line_of(&yaml, "\tlow: 1000");
    assert_problem(&yaml, "regions[0].jobs", line, &["tab"]);
}

#[test]
fn syntax_tab_indentation_after_a_value() {
    let yaml = edit("      mid: 2000\n", "\tmid: 2000\n");
    let line = line_of(&yaml, "\tmid: 2000");
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    assert!(stderr.contains("tab"), "stderr:\n{stderr}");
    assert!(
        stderr.contains(&format!("/{FILE}:{line}:")),
        "the tab is on line {line}; stderr:\n{stderr}"
    );
}

// ------------------------------------------------------------------ unknown fields

#[test]
fn unknown_top_level_field() {
    let yaml = edit(
        "horizon_weeks: 52\n",
        "horizon_weeks: 52\nhorizon_week: 10\n",
    );
    let line = line_of(&yaml, "horizon_week: 10");
    assert_problem(
        &yaml,
        "horizon_week",
        line,
        &["unknown field `horizon_week`", "horizon_weeks"],
    );
}

#[test]
fn misspelt_region_field() {
    let yaml = edit("reception_places: 200", "reception_place: 200");
    let line = line_of(&yaml, "reception_place: 200");
    assert_problem(
        &yaml,
        "regions[1].reception_place",
        line,
        &["unknown field `reception_place`", "reception_places"],
    );
}

#[test]
fn misspelt_deeply_nested_field() {
    let yaml = edit("      language:\n", "      langauge:\n");
    let line = line_of(&yaml, "langauge:");
    assert_problem(
        &yaml,
        "regions[0].services.langauge",
        line,
        &["unknown field `langauge`", "language"],
    );
}

#[test]
fn duplicate_key_in_a_mapping() {
    // A key given twice must not silently override the first.
    let yaml = edit(
        "horizon_weeks: 52\n",
        "horizon_weeks: 52\nhorizon_weeks: 10\n",
    );
    let line = line_of(&yaml, "horizon_weeks: 10");
    let stderr = assert_problem(&yaml, "horizon_weeks", line, &[]);
    assert!(
        !stderr.contains("DuplicateKeyPolicy"),
        "the message should not name a parser option; stderr:\n{stderr}"
    );
}

// ------------------------------------------------------------------ missing fields

#[test]
fn missing_required_field_is_named() {
    // What works today: exit 2 and the message names the missing field.
    let yaml = edit("horizon_weeks: 52\n", "");
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    assert!(
        stderr.contains("missing required field `horizon_weeks`"),
        "stderr:\n{stderr}"
    );

    let yaml = edit(
        "    jobs:\n      low: 800\n      mid: 900\n      high: 300\n",
        "",
    );
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    assert!(
        stderr.contains("regions[1]") && stderr.contains("missing required field `jobs`"),
        "stderr:\n{stderr}"
    );
}

/// Assert that the missing field `field` of the mapping at `parent` ("" for
/// the top level) is reported, under the path `parent.field` or `parent`
/// (never another field's path), on one of `lines` (any line when empty).
fn assert_missing(yaml: &str, parent: &str, field: &str, lines: &[usize]) {
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    let message = format!("missing required field `{field}`");
    let Some(l) = stderr.lines().find(|l| l.ends_with(&message)) else {
        panic!("no error line says {message:?}; stderr:\n{stderr}");
    };
    let at = l
        .find(&format!("/{FILE}:"))
        .unwrap_or_else(|| panic!("the error line does not name {FILE}: {l}"));
    let mut parts = l[at + FILE.len() + 2..].splitn(3, ':');
    let line: usize = parts
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no line number after the file name: {l}"));
    let rest = parts.nth(1).unwrap_or("");
    let path = rest
        .strip_suffix(message.as_str())
        .unwrap_or("")
        .trim()
        .trim_end_matches(':');
    let full = if parent.is_empty() {
        field.to_string()
    } else {
        format!("{parent}.{field}")
    };
    assert!(
        path == full || path == parent,
        "the missing field should be reported under `{full}` or `{parent}`, not `{path}`: {l}"
    );
    assert!(
        lines.is_empty() || lines.contains(&line),
        "reported at line {line}, expected line {lines:?}: {l}"
    );
}

#[test]
fn missing_horizon_weeks() {
    let yaml = edit("horizon_weeks: 52\n", "");
    assert_missing(&yaml, "", "horizon_weeks", &[]);
}

#[test]
fn missing_region_jobs() {
    let yaml = edit(
        "    jobs:\n      low: 800\n      mid: 900\n      high: 300\n",
        "",
    );
    // Any line of the region will do.
    let first = line_of(&yaml, "- name: south");
    let last = line_of(&yaml, "reception_places: 200");
    let lines: Vec<usize> = (first..=last).collect();
    assert_missing(&yaml, "regions[1]", "jobs", &lines);
}

#[test]
fn missing_nested_field() {
    let yaml = edit("      mid: 2000\n", "");
    let first = line_of(&yaml, "    jobs:\n      low: 1000");
    let lines: Vec<usize> = (first..=first + 2).collect();
    assert_missing(&yaml, "regions[0].jobs", "mid", &lines);
}

// ------------------------------------------------------------------ wrong types

#[test]
fn string_where_whole_number_expected() {
    let yaml = edit("horizon_weeks: 52", "horizon_weeks: fifty");
    let line = line_of(&yaml, "horizon_weeks: fifty");
    assert_problem(&yaml, "horizon_weeks", line, &["expected a whole number"]);
}

#[test]
fn string_where_number_expected() {
    let yaml = edit("weekly_rate: 100", "weekly_rate: lots");
    let line = line_of(&yaml, "weekly_rate: lots");
    assert_problem(&yaml, "arrivals.weekly_rate", line, &["expected a number"]);
}

#[test]
fn list_where_map_expected() {
    let yaml = edit(
        "    jobs:\n      low: 1000\n      mid: 2000\n      high: 500\n",
        "    jobs: [1000, 2000, 500]\n",
    );
    let line = line_of(&yaml, "jobs: [1000, 2000, 500]");
    assert_problem(&yaml, "regions[0].jobs", line, &["expected", "mapping"]);
}

#[test]
fn map_where_list_expected() {
    let yaml = edit("[0.5, 0.5]", "{one: 0.5, two: 0.5}");
    let line = line_of(&yaml, "{one: 0.5, two: 0.5}");
    assert_problem(
        &yaml,
        "arrivals.origin_groups[1].household_sizes",
        line,
        &["expected a list"],
    );
}

#[test]
fn list_where_number_expected() {
    let yaml = edit("horizon_weeks: 52", "horizon_weeks: [52]");
    let line = line_of(&yaml, "horizon_weeks: [52]");
    let stderr = assert_problem(&yaml, "horizon_weeks", line, &["number"]);
    assert!(!stderr.contains("string"), "stderr:\n{stderr}");
}

// ------------------------------------------------------------------ numbers out of range

#[test]
fn negative_seats() {
    let yaml = edit("seats: 100", "seats: -5");
    let line = line_of(&yaml, "seats: -5");
    assert_problem(
        &yaml,
        "regions[0].services.language.seats",
        line,
        &["expected a whole number from 0"],
    );
}

#[test]
fn negative_reception_capacity() {
    let yaml = edit("reception_places: 200", "reception_places: -200");
    let line = line_of(&yaml, "reception_places: -200");
    assert_problem(
        &yaml,
        "regions[1].reception_places",
        line,
        &["expected a whole number from 0"],
    );
}

#[test]
fn negative_jobs() {
    let yaml = edit("low: 1000", "low: -1000");
    let line = line_of(&yaml, "low: -1000");
    assert_problem(&yaml, "regions[0].jobs.low", line, &["≥ 0", "-1000"]);
}

#[test]
fn nan_is_rejected() {
    let yaml = edit("weekly_rate: 100", "weekly_rate: .nan");
    let line = line_of(&yaml, "weekly_rate: .nan");
    assert_problem(
        &yaml,
        "arrivals.weekly_rate",
        line,
        &["expected a finite number"],
    );
}

#[test]
fn infinity_is_rejected() {
    let yaml = edit("low: 1000", "low: .inf");
    let line = line_of(&yaml, "low: .inf");
    assert_problem(
        &yaml,
        "regions[0].jobs.low",
        line,
        &["expected a finite number"],
    );

    let yaml = edit("dispersal_weight: 0.4", "dispersal_weight: -.inf");
    let line = line_of(&yaml, "dispersal_weight: -.inf");
    assert_problem(
        &yaml,
        "regions[1].dispersal_weight",
        line,
        &["expected a finite number"],
    );
}

#[test]
fn probability_above_one() {
    let yaml = edit(
        "recognition_probability: 0.9",
        "recognition_probability: 1.5",
    );
    let line = line_of(&yaml, "recognition_probability: 1.5");
    assert_problem(
        &yaml,
        "arrivals.origin_groups[1].recognition_probability",
        line,
        &["between 0 and 1", "1.5"],
    );
}

// ------------------------------------------------------------------ shares

#[test]
fn channel_shares_must_sum_to_one() {
    let yaml = edit("resettlement: 0.2", "resettlement: 0.3");
    let line = line_of(&yaml, "  channels:");
    assert_problem(&yaml, "arrivals.channels", line, &["must sum to 1", "1.1"]);
}

#[test]
fn skill_shares_must_sum_to_one() {
    let yaml = edit(
        "        high: 0.3\n      recognition_probability: 0.9",
        "        high: 0.4\n      recognition_probability: 0.9",
    );
    let line = line_of(&yaml, "high: 0.4") - 3; // the `skills:` line
    assert_problem(
        &yaml,
        "arrivals.origin_groups[1].skills",
        line,
        &["must sum to 1"],
    );
}

#[test]
fn household_size_shares_must_sum_to_one() {
    let yaml = edit("[0.5, 0.5]", "[0.5, 0.4]");
    let line = line_of(&yaml, "[0.5, 0.4]");
    assert_problem(
        &yaml,
        "arrivals.origin_groups[1].household_sizes",
        line,
        &["must sum to 1", "0.9"],
    );
}

#[test]
fn origin_group_shares_must_sum_to_one() {
    let yaml = edit("share: 0.3", "share: 0.2");
    let line = line_of(&yaml, "origin_groups:");
    assert_problem(
        &yaml,
        "arrivals.origin_groups",
        line,
        &["origin group shares", "must sum to 1"],
    );
}

#[test]
fn quota_key_weights_must_sum_to_one() {
    let quota = "policy:\n  dispersal:\n    rule: quota_key\n";

    // Control: the weights 0.6 + 0.4 sum to 1.
    let (code, stderr) = check(&format!("{VALID}{quota}"));
    assert_eq!(code, 0, "stderr:\n{stderr}");

    let yaml = format!(
        "{}{quota}",
        edit("dispersal_weight: 0.4", "dispersal_weight: 0.5")
    );
    let line = line_of(&yaml, "regions:");
    assert_problem(
        &yaml,
        "regions",
        line,
        &["quota_key", "dispersal_weight", "must sum to 1"],
    );
}

// ------------------------------------------------------------------ references

#[test]
fn surge_origin_mix_names_unknown_group() {
    let yaml = edit(
        "  channels:\n",
        "  surges:
    - start_week: 5
      length_weeks: 10
      peak_multiplier: 3
      origin_mix:
        - group: alpha
          share: 0.5
        - group: gamma
          share: 0.5
  channels:\n",
    );
    let line = line_of(&yaml, "group: gamma");
    assert_problem(
        &yaml,
        "arrivals.surges[0].origin_mix[1].group",
        line,
        &["unknown origin group 'gamma'", "alpha, beta"],
    );
}

#[test]
fn sponsorship_names_unknown_region() {
    let yaml = format!(
        "{VALID}policy:\n  community_sponsorship:\n    households_per_year: 10\n    regions: [north, west]\n"
    );
    let line = line_of(&yaml, "[north, west]");
    assert_problem(
        &yaml,
        "policy.community_sponsorship.regions[1]",
        line,
        &["unknown region 'west'", "north, south"],
    );
}

#[test]
fn duplicate_region_names() {
    let yaml = edit("name: south", "name: north");
    // The second `- name: north`.
    let line = line_of(&yaml, "population: 500000") - 1;
    assert_problem(
        &yaml,
        "regions[1].name",
        line,
        &["duplicate region name 'north'"],
    );
}

#[test]
fn duplicate_group_names() {
    let yaml = edit("name: beta", "name: alpha");
    let line = line_of(&yaml, "share: 0.3") - 1;
    assert_problem(
        &yaml,
        "arrivals.origin_groups[1].name",
        line,
        &["duplicate origin group name 'alpha'"],
    );
}

// ------------------------------------------------------------------ sizes and limits

#[test]
fn empty_regions_list() {
    let start = VALID.find("regions:\n").unwrap();
    let end = VALID.find("arrivals:\n").unwrap();
    let yaml = format!("{}regions: []\n{}", &VALID[..start], &VALID[end..]);
    let line = line_of(&yaml, "regions: []");
    assert_problem(&yaml, "regions", line, &["at least one region"]);
}

#[test]
fn horizon_of_zero_weeks() {
    let yaml = edit("horizon_weeks: 52", "horizon_weeks: 0");
    let line = line_of(&yaml, "horizon_weeks: 0");
    assert_problem(&yaml, "horizon_weeks", line, &["at least 1 week"]);
}

#[test]
fn absurd_horizon() {
    let yaml = edit("horizon_weeks: 52", "horizon_weeks: 1000000000");
    let line = line_of(&yaml, "horizon_weeks: 1000000000");
    assert_problem(&yaml, "horizon_weeks", line, &["beyond the limit"]);
}

#[test]
fn absurd_arrivals_name_the_person_limit() {
    let yaml = edit("weekly_rate: 100", "weekly_rate: 1e13");
    let line = line_of(&yaml, "weekly_rate: 1e13");
    let started = Instant::now();
    assert_problem(
        &yaml,
        "arrivals.weekly_rate",
        line,
        &[
            "persons",
            "limit",
            "every person is simulated at every `scale`",
        ],
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "refusing a huge run must not take long"
    );
    // Every person is an entity at every scale: a large scale does not
    // lift the limit (5.2e8 arrivals in 52 weeks at scale 1000, times the
    // life course's bound on births and families joining, 1.358 here).
    let yaml = edit("weekly_rate: 100", "weekly_rate: 1e7").replacen(
        "horizon_weeks: 52",
        "horizon_weeks: 52\nscale: 1000",
        1,
    );
    let line = line_of(&yaml, "weekly_rate: 1e7");
    assert_problem(&yaml, "arrivals.weekly_rate", line, &["7.062e8 persons"]);
}

#[test]
fn absurd_replications() {
    // Beyond the integer type: the message names the format's limit, not the
    // integer type's.
    let yaml = edit(
        "horizon_weeks: 52\n",
        "horizon_weeks: 52\nreplications: 1000000000000\n",
    );
    let line = line_of(&yaml, "replications:");
    assert_problem(
        &yaml,
        "replications",
        line,
        &["beyond the limit of 1000000"],
    );

    // Within the type, beyond the limit.
    let yaml = edit(
        "horizon_weeks: 52\n",
        "horizon_weeks: 52\nreplications: 2000000\n",
    );
    let line = line_of(&yaml, "replications:");
    assert_problem(&yaml, "replications", line, &["beyond the limit"]);
}

// ------------------------------------------------------------------ the file itself

#[test]
fn non_utf8_bytes() {
    let yaml = edit("name: north", "name: nor@th");
    let line = line_of(&yaml, "nor@th");
    let bytes: Vec<u8> = yaml
        .bytes()
        .map(|b| if b == b'@' { 0xFF } else { b })
        .collect();
    let (code, stdout, stderr) = check_full(&bytes);
    assert_rejected(code, &stdout, &stderr);
    assert!(
        stderr.contains(&format!("/{FILE}:{line}:")),
        "the bad byte is on line {line}; stderr:\n{stderr}"
    );
    assert!(stderr.contains("UTF-8"), "stderr:\n{stderr}");
}

#[test]
fn empty_file() {
    // Whole-file problem: no field path. Today the message is "unexpected
    // end of input"; a clearer one would say the file is empty.
    for contents in ["", "\n", "# only a comment\n"] {
        let (code, stdout, stderr) = check_full(contents.as_bytes());
        assert_rejected(code, &stdout, &stderr);
        assert!(stderr.contains(&format!("/{FILE}")), "stderr:\n{stderr}");
        assert!(
            stderr.contains("empty") || stderr.contains("end of input"),
            "stderr:\n{stderr}"
        );
    }
}

#[test]
fn file_is_a_directory() {
    let dir = TempDir::new().unwrap();
    let sub = dir.path().join("scenario.yaml");
    std::fs::create_dir(&sub).unwrap();
    let out = run_validate([&sub]);
    let stderr = text(&out.stderr);
    assert_rejected(code(&out), &text(&out.stdout), &stderr);
    assert!(stderr.contains(&shown(&sub)), "stderr:\n{stderr}");
    assert!(stderr.contains("is a folder"), "stderr:\n{stderr}");
}

#[test]
fn missing_file() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("no-such-file.yaml");
    let out = run_validate([&path]);
    let stderr = text(&out.stderr);
    assert_rejected(code(&out), &text(&out.stdout), &stderr);
    assert!(stderr.contains(&shown(&path)), "stderr:\n{stderr}");
    assert!(stderr.contains("cannot read"), "stderr:\n{stderr}");
}

/// The classic "billion laughs": nine levels of ten aliases, 10^9 strings if
/// expanded.
fn billion_laughs() -> String {
    let mut s = String::from("lol0: &l0 \"lol\"\n");
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 10].join(", ");
        s.push_str(&format!("lol{i}: &l{i} [{refs}]\n"));
    }
    s
}

/// Run the binary on `path` with the address space limited to 1 GiB where
/// the shell allows it, and time it.
fn run_limited(path: &Path) -> (Output, Duration) {
    let started = Instant::now();
    let out = if cfg!(unix) {
        Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 1048576 2>/dev/null; exec \"$0\" validate \"$1\"")
            .arg(BIN)
            .arg(path)
            .env_remove("RUST_BACKTRACE")
            .output()
            .expect("sh runs")
    } else {
        run_validate([path])
    };
    (out, started.elapsed())
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let dir = TempDir::new().unwrap();
    let cases = [
        // The bomb as extra top-level keys, in front of a valid scenario.
        format!("{}{VALID}", billion_laughs()),
        // The bomb inside a field that takes a list, then used.
        format!(
            "{VALID}policy:\n  community_sponsorship:\n    regions: [&l0 lol, {}, *l9]\n",
            (1..10)
                .map(|i| format!("&l{i} [{}]", vec![format!("*l{}", i - 1); 10].join(", ")))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // A bomb that only uses an anchor defined later (invalid YAML).
        format!("{VALID}policy:\n  community_sponsorship:\n    regions: *l9\n"),
    ];
    for (i, yaml) in cases.iter().enumerate() {
        let path = write(&dir, &format!("bomb{i}.yaml"), yaml.as_bytes());
        let (out, elapsed) = run_limited(&path);
        let stderr = text(&out.stderr);
        assert_rejected(code(&out), &text(&out.stdout), &stderr);
        assert!(
            stderr.contains(&shown(&path)),
            "case {i}: the file is named; stderr:\n{stderr}"
        );
        assert!(
            elapsed < Duration::from_secs(5),
            "case {i}: took {elapsed:?}; an alias bomb must be refused quickly"
        );
    }
}

#[test]
fn too_many_aliases_are_refused() {
    let yaml = format!(
        "{}policy:\n  community_sponsorship:\n    regions: [{}]\n",
        edit("name: test\n", "name: test\ndescription: &d north\n"),
        vec!["*d"; 20_000].join(", ")
    );
    let line = line_of(&yaml, "regions: [*d");
    let dir = TempDir::new().unwrap();
    let path = write(&dir, FILE, yaml.as_bytes());
    let (out, elapsed) = run_limited(&path);
    let stderr = text(&out.stderr);
    assert_rejected(code(&out), &text(&out.stdout), &stderr);
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    let l = stderr
        .lines()
        .find(|l| l.contains(": policy.community_sponsorship.regions"))
        .unwrap_or_else(|| panic!("the field is named; stderr:\n{stderr}"));
    assert!(l.contains(&format!("/{FILE}:{line}:")), "{l}");
    assert!(l.to_lowercase().contains("alias"), "{l}");
}

#[test]
fn oversized_file_is_refused_without_reading_it() {
    let mut yaml = VALID.to_string();
    yaml.push('#');
    yaml.push_str(&"x".repeat(5 * 1024 * 1024));
    yaml.push('\n');
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    assert!(stderr.contains("bytes"), "stderr:\n{stderr}");
}

// ------------------------------------------------------------------ several problems

#[test]
fn several_problems_are_all_reported() {
    let yaml = edit("horizon_weeks: 52", "horizon_weeks: 0");
    let yaml = edit_in(&yaml, "low: 1000", "low: -1000");
    let yaml = edit_in(
        &yaml,
        "recognition_probability: 0.9",
        "recognition_probability: 1.5",
    );
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    assert_line(
        &stderr,
        "horizon_weeks",
        &[line_of(&yaml, "horizon_weeks: 0")],
        &["at least 1 week"],
    );
    assert_line(
        &stderr,
        "regions[0].jobs.low",
        &[line_of(&yaml, "low: -1000")],
        &["≥ 0"],
    );
    assert_line(
        &stderr,
        "arrivals.origin_groups[1].recognition_probability",
        &[line_of(&yaml, "recognition_probability: 1.5")],
        &["between 0 and 1"],
    );
    assert!(
        stderr.contains("3 problems found; nothing was run."),
        "stderr:\n{stderr}"
    );
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error: ")).count(),
        3
    );
}

#[test]
fn typos_and_value_problems_are_reported_together() {
    let yaml = edit("horizon_weeks: 52", "horizon_weeks: 0");
    let yaml = edit_in(&yaml, "reception_places: 500", "reception_place: 500");
    let yaml = edit_in(&yaml, "weekly_rate: 100", "weekly_rat: 100");
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    assert!(
        line_naming(&stderr, "regions[0].reception_place").is_some(),
        "stderr:\n{stderr}"
    );
    assert!(
        line_naming(&stderr, "arrivals.weekly_rat").is_some(),
        "stderr:\n{stderr}"
    );
    assert!(
        line_naming(&stderr, "horizon_weeks").is_some(),
        "stderr:\n{stderr}"
    );
    assert!(stderr.contains("3 problems found"), "stderr:\n{stderr}");
}

// ------------------------------------------------------------------ several files

#[test]
fn several_files_exit_2_if_any_is_invalid() {
    let dir = TempDir::new().unwrap();
    let good1 = write(&dir, "good1.yaml", VALID.as_bytes());
    let good2 = write(
        &dir,
        "good2.yaml",
        edit("horizon_weeks: 52", "horizon_weeks: 104").as_bytes(),
    );
    let bad = write(
        &dir,
        "bad.yaml",
        edit("horizon_weeks: 52", "horizon_weeks: 0").as_bytes(),
    );

    // All valid.
    let out = run_validate([&good1, &good2]);
    let stdout = text(&out.stdout);
    assert_eq!(code(&out), 0, "stderr:\n{}", text(&out.stderr));
    assert!(
        stdout.contains(&format!("{}: valid", shown(&good1))),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{}: valid (2 regions, 104 weeks)", shown(&good2))),
        "{stdout}"
    );

    // One invalid, wherever it stands: every file is still checked.
    for files in [
        [&good1, &bad, &good2],
        [&bad, &good1, &good2],
        [&good1, &good2, &bad],
    ] {
        let out = run_validate(files);
        let stdout = text(&out.stdout);
        let stderr = text(&out.stderr);
        assert_eq!(code(&out), 2, "stderr:\n{stderr}");
        assert_no_panic(&stderr);
        assert!(
            stdout.contains(&format!("{}: valid", shown(&good1))),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("{}: valid", shown(&good2))),
            "{stdout}"
        );
        assert!(!stdout.contains("bad.yaml"), "{stdout}");
        assert!(
            stderr.contains(&format!("{}:2:", shown(&bad))) && stderr.contains(": horizon_weeks: "),
            "stderr:\n{stderr}"
        );
    }

    // A missing file among valid ones.
    let missing = dir.path().join("missing.yaml");
    let out = run_validate([&good1, &missing]);
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains(&shown(&missing)));
}

#[test]
fn no_file_is_a_usage_error() {
    let out = run_validate(std::iter::empty::<&str>());
    let stderr = text(&out.stderr);
    assert_eq!(code(&out), 2, "stderr:\n{stderr}");
    assert_no_panic(&stderr);
    assert!(stderr.contains("Usage"), "stderr:\n{stderr}");
}

// ------------------------------------------------------------------ no panics

/// Every kind of bad input above, including those whose message is not yet
/// right (the ignored tests), and a few odd ones: exit 2, no panic, the file
/// named.
#[test]
fn every_bad_input_exits_2_without_panic() {
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "unclosed bracket",
            edit("[0.4, 0.3, 0.3]", "[0.4, 0.3, 0.3").into_bytes(),
        ),
        (
            "flow map unclosed",
            edit("  - name: north", "  - {name: north").into_bytes(),
        ),
        (
            "shallow indentation",
            edit("      mid: 2000\n", "     mid: 2000\n").into_bytes(),
        ),
        (
            "tab after value",
            edit("      mid: 2000\n", "\tmid: 2000\n").into_bytes(),
        ),
        (
            "missing horizon",
            edit("horizon_weeks: 52\n", "").into_bytes(),
        ),
        ("missing name", edit("name: test\n", "").into_bytes()),
        (
            "missing arrivals",
            VALID.as_bytes()[..VALID.find("arrivals:").unwrap()].to_vec(),
        ),
        (
            "string for number",
            edit("weekly_rate: 100", "weekly_rate: lots").into_bytes(),
        ),
        (
            "list for number",
            edit("horizon_weeks: 52", "horizon_weeks: [52]").into_bytes(),
        ),
        (
            "huge float",
            edit("weekly_rate: 100", "weekly_rate: 1e400").into_bytes(),
        ),
        (
            "negative population",
            edit("population: 500000", "population: -5").into_bytes(),
        ),
        (
            "seats not whole",
            edit("seats: 100", "seats: 1.5").into_bytes(),
        ),
        (
            "map for regions",
            edit("regions:\n", "regions:\n  north: {}\nx:\n").into_bytes(),
        ),
        (
            "unknown rule",
            format!("{VALID}policy:\n  dispersal:\n    rule: lottery\n").into_bytes(),
        ),
        ("two documents", format!("{VALID}---\n{VALID}").into_bytes()),
        ("a scalar", b"hello\n".to_vec()),
        ("null", b"~\n".to_vec()),
        ("document marker only", b"---\n".to_vec()),
        (
            "deep nesting",
            format!("name: {}\n", "[".repeat(100_000)).into_bytes(),
        ),
        (
            "deep nesting in a list field",
            edit("[0.5, 0.5]", &"[".repeat(100_000)).into_bytes(),
        ),
        ("NUL byte", edit("name: test", "name: te\0st").into_bytes()),
        ("BOM and garbage", b"\xEF\xBB\xBF: : :\n".to_vec()),
        ("invalid UTF-8", b"name: \xC3\x28\n".to_vec()),
    ];
    cases.push(("typos and values", {
        let y = edit("horizon_weeks: 52", "horizon_weeks: 0");
        edit_in(&y, "reception_places: 500", "reception_place: 500").into_bytes()
    }));
    let dir = TempDir::new().unwrap();
    for (i, (what, bytes)) in cases.iter().enumerate() {
        let path = write(&dir, &format!("case{i}.yaml"), bytes);
        let started = Instant::now();
        let out = run_validate([&path]);
        let stderr = text(&out.stderr);
        assert_eq!(code(&out), 2, "{what}: stderr:\n{stderr}");
        assert_no_panic(&stderr);
        assert!(
            stderr.contains(&shown(&path)),
            "{what}: the file is named; stderr:\n{stderr}"
        );
        assert!(
            stderr.trim_end().ends_with("found; nothing was run."),
            "{what}: stderr:\n{stderr}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{what}: took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn every_typo_is_reported_at_once_with_a_suggestion() {
    let yaml = edit("reception_places: 500", "reception_place: 500");
    let yaml = edit_in(&yaml, "weekly_rate: 100", "weekly_rat: 100");
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_rejected(code, &stdout, &stderr);
    let first = line_naming(&stderr, "regions[0].reception_place").expect(&stderr);
    assert!(
        first.contains("did you mean `reception_places`?"),
        "{first}"
    );
    let second = line_naming(&stderr, "arrivals.weekly_rat").expect(&stderr);
    assert!(second.contains("did you mean `weekly_rate`?"), "{second}");
    assert!(stderr.contains("2 problems found"), "stderr:\n{stderr}");
}

// ------------------------------------------------------------------ warnings

#[test]
fn seats_holding_few_agents_at_the_chosen_scale_are_a_warning_not_an_error() {
    // 100 language seats in north hold 2 agents at scale 50: valid (exit 0),
    // with a warning naming the field, its line and the region.
    let yaml = VALID.replacen("horizon_weeks: 52", "horizon_weeks: 52\nscale: 50", 1);
    let (code, stdout, stderr) = check_full(yaml.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("valid"), "{stdout}");
    let line = line_of(&yaml, "seats: 100");
    let expected = format!("warning: {FILE}:{line}");
    let warning = stderr
        .lines()
        .find(|l| l.contains("regions[0].services.language.seats"))
        .unwrap_or_else(|| panic!("no warning for the seats:\n{stderr}"));
    assert!(
        warning.starts_with("warning: ") && warning.contains(&format!(":{line}:")),
        "{warning}, expected {expected}"
    );
    assert!(
        warning.contains("'north'") && warning.contains("2.0 agents"),
        "{warning}"
    );
    assert_no_panic(&stderr);
    // At scale 1 the same file gives no warning.
    let (code, _, stderr) = check_full(VALID.as_bytes());
    assert_eq!(code, 0);
    assert!(!stderr.contains("warning"), "{stderr}");
}

/// `validate --explain FIELD` prints what docs/scenario-format.md and
/// docs/sources.md say of the field (a list index may be written as in an
/// error message); an unknown field is exit 2 with the nearest name.
#[test]
fn explain_prints_a_fields_default_and_its_sources() {
    let out = Command::new(BIN)
        .args(["validate", "--explain", "policy.move_on.period_weeks"])
        .output()
        .expect("run foresight");
    let stdout = text(&out.stdout);
    assert_eq!(code(&out), 0, "{stdout}{}", text(&out.stderr));
    for want in ["type:", "default:  4", "weeks", "source Q16", "source S8"] {
        assert!(stdout.contains(want), "missing {want:?} in:\n{stdout}");
    }

    let out = Command::new(BIN)
        .args([
            "validate",
            "--explain",
            "regions[2].services.language.seats",
        ])
        .output()
        .expect("run foresight");
    let stdout = text(&out.stdout);
    assert_eq!(code(&out), 0, "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.starts_with("regions[].services.language.seats"),
        "{stdout}"
    );
    assert!(stdout.contains("valid:    0 or more"), "{stdout}");

    let out = Command::new(BIN)
        .args(["validate", "--explain", "policy.move_on.perod_weeks"])
        .output()
        .expect("run foresight");
    let stderr = text(&out.stderr);
    assert_eq!(code(&out), 2);
    assert_no_panic(&stderr);
    assert!(
        stderr.contains("did you mean policy.move_on.period_weeks"),
        "{stderr}"
    );
}

#[test]
fn a_schedule_must_start_at_week_zero_and_step_forward() {
    let yaml = edit(
        "weekly_rate: 100",
        "weekly_rate:\n    - {from_week: 5, value: 100}\n    - {from_week: 3, value: 50}",
    );
    let first = line_of(&yaml, "{from_week: 5, value: 100}");
    let second = line_of(&yaml, "{from_week: 3, value: 50}");
    assert_problem(
        &yaml,
        "arrivals.weekly_rate[0].from_week",
        first,
        &["must start at from_week 0", "found 5"],
    );
    assert_problem(
        &yaml,
        "arrivals.weekly_rate[1].from_week",
        second,
        &["increasing weeks", "3 does not come after 5"],
    );
}

#[test]
fn a_schedule_step_is_checked_like_the_number_it_replaces() {
    let yaml = edit(
        "recognition_probability: 0.9",
        "recognition_probability:\n        - {from_week: 0, value: 0.9}\n        - {from_week: 52, value: 1.5}",
    );
    let line = line_of(&yaml, "{from_week: 52, value: 1.5}");
    assert_problem(
        &yaml,
        "arrivals.origin_groups[1].recognition_probability[1].value",
        line,
        &["1.5"],
    );
    let yaml = edit("weekly_rate: 100", "weekly_rate: []");
    let line = line_of(&yaml, "weekly_rate: []");
    assert_problem(&yaml, "arrivals.weekly_rate", line, &["at least one step"]);
}
