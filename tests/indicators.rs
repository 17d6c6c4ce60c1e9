//! The table of indicators is the one source: the docs' indicator tables
//! are generated from it (and must be pasted in when it changes), and the
//! lookups by name find what the lookups by index find.
//!
//! When a docs test fails it prints the fresh text to paste between the
//! markers; `FORESIGHT_UPDATE_DOCS=1 cargo test --test indicators` writes
//! it in place instead.

#[allow(dead_code)] // not every test file uses all of it
mod common;

use std::path::Path;

use foresight::experiment::Experiment;
use foresight::model::components::Service;
use foresight::model::indicators::cohort::Aggregate;
use foresight::model::indicators::{
    Better, COHORT, Family, HEADLINES, WEEKLY, cohort_indicator, headline, names,
};
use foresight::model::{ReplicationKey, run_replication};

/// A Markdown table cell: the table's own text, which must not break the
/// table.
fn cell(s: &str) -> &str {
    assert!(
        !s.contains('|') && !s.contains('\n'),
        "{s:?} breaks a table"
    );
    s
}

fn better(b: Better) -> &'static str {
    match b {
        Better::NotJudged => "—",
        b => b.name(),
    }
}

fn weekly_table() -> String {
    let mut out = String::from(
        "| indicator | label | unit | better | national | meaning |\n|---|---|---|---|---|---|\n",
    );
    for w in WEEKLY {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            cell(w.name),
            cell(w.label),
            w.unit.text(),
            better(w.better),
            w.national.text(),
            cell(w.meaning)
        ));
    }
    let services: Vec<String> = Service::ALL
        .iter()
        .map(|s| format!("`{}`", s.name()))
        .collect();
    let (last, first) = services.split_last().unwrap();
    let example = WEEKLY
        .iter()
        .find(|w| w.family == Family::PerService)
        .unwrap()
        .expand(foresight::model::indicators::Member::Service(
            Service::Language,
        ));
    out.push_str(&format!(
        "\n`<service>` is {} or {}, in this order in the outputs; `<c>` is an \
         arrival cohort's year, from 0. In labels, `{{service}}` and `{{Service}}` \
         stand for the service's phrase (`{}`: \"{}\").\n",
        first.join(", "),
        last,
        example.name,
        example.label
    ));
    out
}

fn cohort_table() -> String {
    let mut out = String::from(
        "| indicator | label | unit | better | value | meaning |\n|---|---|---|---|---|---|\n",
    );
    for c in COHORT {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            cell(c.name),
            cell(c.label),
            c.unit.text(),
            better(c.better),
            match c.aggregate {
                Aggregate::Mean => "mean over those it is about",
                Aggregate::Persons => "count",
            },
            cell(c.meaning)
        ));
    }
    out
}

fn headline_table() -> String {
    let mut out =
        String::from("| headline | label | unit | better | meaning |\n|---|---|---|---|---|\n");
    for h in HEADLINES {
        let meaning = [
            h.value.describe().unwrap_or_default(),
            h.meaning.to_string(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            cell(h.name),
            cell(h.label),
            h.unit.text(),
            better(h.better),
            cell(&meaning)
        ));
    }
    out
}

/// The headline indicators grouped by which way is better, for
/// `docs/scenario-format.md`.
fn direction_table() -> String {
    let mut out = String::from("| better | indicators |\n|---|---|\n");
    for (b, words) in [
        (Better::Lower, "lower"),
        (Better::Higher, "higher"),
        (Better::NotJudged, "not judged"),
    ] {
        let names: Vec<String> = HEADLINES
            .iter()
            .filter(|h| h.better == b)
            .map(|h| format!("`{}`", h.name))
            .collect();
        out.push_str(&format!("| {words} | {} |\n", names.join(", ")));
    }
    out
}

/// Compare the text between `<!-- BEGIN generated: {name} -->` and the
/// next `<!-- END generated -->` in a docs file with `fresh`; collect what
/// differs.
fn check_section(file: &str, name: &str, fresh: &str, stale: &mut Vec<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let begin = format!("<!-- BEGIN generated: {name} (tests/indicators.rs) -->\n");
    let end = "<!-- END generated -->";
    let start = text
        .find(&begin)
        .unwrap_or_else(|| panic!("{file} has no line {begin:?}"))
        + begin.len();
    let stop = start
        + text[start..]
            .find(end)
            .unwrap_or_else(|| panic!("{file}: no {end:?} after {begin:?}"));
    // Blank lines keep the comments and the table apart in Markdown.
    let fresh = format!("\n{fresh}\n");
    if text[start..stop] == fresh {
        return;
    }
    if std::env::var_os("FORESIGHT_UPDATE_DOCS").is_some() {
        let updated = format!("{}{fresh}{}", &text[..start], &text[stop..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    stale.push(format!(
        "{file}, between {begin:?} and {end:?}, should read:\n\n{fresh}"
    ));
}

#[test]
fn docs_list_exactly_the_table_of_indicators() {
    let mut stale = Vec::new();
    check_section(
        "docs/model.md",
        "weekly indicators",
        &weekly_table(),
        &mut stale,
    );
    check_section(
        "docs/model.md",
        "headline indicators",
        &headline_table(),
        &mut stale,
    );
    check_section(
        "docs/model.md",
        "cohort indicators",
        &cohort_table(),
        &mut stale,
    );
    check_section(
        "docs/scenario-format.md",
        "better",
        &direction_table(),
        &mut stale,
    );
    assert!(
        stale.is_empty(),
        "the docs do not match the table of indicators (or run with FORESIGHT_UPDATE_DOCS=1):\n\n{}",
        stale.join("\n\n")
    );
}

#[test]
fn the_generated_tables_have_a_row_per_entry() {
    // A table row per entry, and nothing else starting with "| `".
    let rows = |t: &str| t.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(rows(&weekly_table()), WEEKLY.len());
    assert_eq!(rows(&headline_table()), HEADLINES.len());
    assert_eq!(rows(&cohort_table()), COHORT.len());
    assert!(weekly_table().contains(
        "| `<service>_waiting` | Waiting for {service} | persons | lower | sum of regions |"
    ));
    assert!(headline_table().contains(
        "| `asylum_backlog_peak` | Asylum backlog, peak | persons | lower | Peak of `asylum_backlog`."
    ));
}

/// A two-region world over `weeks`, as an experiment of one scenario.
fn small(dir: &Path, weeks: u32, replications: u32) -> Experiment {
    common::write_small_world(dir, weeks, 30);
    let mut s = foresight::scenario::load(&dir.join("world.yaml")).unwrap();
    s.replications = replications;
    Experiment::from_scenario(s)
}

#[test]
fn summaries_found_by_name_are_those_found_by_index() {
    let tmp = tempfile::tempdir().unwrap();
    let exp = small(tmp.path(), 60, 3);
    let result = foresight::run::run_scenario(&exp.configs[0], exp.seed, 3, &|| {});
    let pair = result.summary(&exp.scenarios[0], &exp.policies[0]).unwrap();
    assert_eq!(pair.names.indicators, names(exp.horizon_weeks));
    let south = exp.region_names.iter().position(|r| r == "South").unwrap();
    let cohort_1 = cohort_indicator(1, 0);
    for (week, region, slot, indicator, k) in [
        (
            59,
            "all",
            pair.slots - 1,
            "employment_rate_cohort_1",
            cohort_1,
        ),
        (
            10,
            "South",
            south,
            "language_waiting",
            pair.indicator("language_waiting").unwrap(),
        ),
        (0, "all", pair.slots - 1, "arrivals", 0),
    ] {
        let by_name = pair.get_by_name(week, region, indicator).unwrap();
        let by_index = pair.get(week, slot, k);
        assert_eq!(by_name.count, by_index[0], "{region} {indicator}");
        assert_eq!(by_name.mean.to_bits(), by_index[1].to_bits());
        assert_eq!(by_name.p95.to_bits(), by_index[7].to_bits());
    }
    assert_eq!(pair.get_by_name(0, "all", "arrivals").unwrap().count, 3.0);
    let e = pair.get_by_name(0, "all", "arrivals_total").unwrap_err();
    assert!(e.to_string().starts_with(
        "unknown weekly indicator 'arrivals_total'; expected one of: arrivals, asylum_backlog,"
    ));
    let e = result.summary("nowhere", &exp.policies[0]).unwrap_err();
    assert_eq!(e.known, exp.scenarios);
}

#[test]
fn headlines_found_by_name_are_those_found_by_index() {
    let tmp = tempfile::tempdir().unwrap();
    let exp = small(tmp.path(), 60, 1);
    let r = run_replication(&exp.configs[0], ReplicationKey::new(exp.seed, 0));
    for (i, h) in HEADLINES.iter().enumerate() {
        assert_eq!(
            r.headline_value(h.name).unwrap().to_bits(),
            r.headline[i].to_bits()
        );
        assert_eq!(headline::position(h.name), Ok(i));
    }
    let e = r.headline_value("happiness").unwrap_err();
    assert_eq!(e.known.len(), HEADLINES.len());
    assert!(e.to_string().contains("arrivals_total"));
}
