//! Citations resolve inside the repository.
//!
//! `docs/sources.md` holds one entry per source id (`Q28`, `M36`, `S5`,
//! `A12`, `seed 003`, …). These tests scan the docs, the README, the bundled
//! scenarios, the code, the tests and the benches for ids, and check that
//! every id cited has an entry, that every entry is cited, that nothing cites
//! a document outside the repository, and that every default of
//! `docs/scenario-format.md` links to the entry it rests on. Each failure
//! names the file and line of every offending citation.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const SOURCES: &str = "docs/sources.md";
const FORMAT: &str = "docs/scenario-format.md";
/// Prefixes of the ids, as documented at the top of `docs/sources.md`.
const PREFIXES: &[char] = &['Q', 'M', 'P', 'S', 'G', 'A', 'D'];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file as text; bytes that are not UTF-8 (some bad inputs are
/// deliberately not) become U+FFFD.
fn read(rel: &str) -> String {
    let bytes = fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Files that may cite a source, relative to the repository root, sorted.
/// This file is left out: its patterns would cite themselves.
fn scanned_files() -> Vec<String> {
    fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, exts, out);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.contains(&x))
            {
                out.push(p);
            }
        }
    }
    let r = root();
    let mut files = vec![r.join("README.md")];
    walk(&r.join("docs"), &["md"], &mut files);
    walk(&r.join("scenarios"), &["yaml", "yml"], &mut files);
    walk(&r.join("src"), &["rs"], &mut files);
    walk(
        &r.join("benches"),
        &["rs", "md", "yaml", "yml", "sh"],
        &mut files,
    );
    walk(
        &r.join("tests"),
        &["rs", "yaml", "yml", "md", "sh"],
        &mut files,
    );
    let mut rel: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(&r)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| p != "tests/citations.rs")
        .collect();
    rel.sort();
    rel
}

/// A citation found in a line: the id as written in `docs/sources.md`
/// (`Q28`, `seed 003`).
#[derive(Debug, PartialEq)]
struct Cite {
    id: String,
    line: usize,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The ids in one line. `Q28–Q30` (en dash or hyphen, same prefix) cites
/// Q28, Q29 and Q30. A prefix letter counts only as a whole word followed by
/// one to three digits, so `L2`, `M/M/c`, `SHA256`, `A4B` or `x86` are not
/// ids.
fn ids_in_line(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // A whole-word id starting at `at`: (prefix, number, index after it).
    let id_at = |at: usize| -> Option<(char, u32, usize)> {
        let c = *chars.get(at)?;
        if !PREFIXES.contains(&c) || (at > 0 && is_word(chars[at - 1])) {
            return None;
        }
        let mut j = at + 1;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        let digits = j - at - 1;
        if digits == 0 || digits > 3 || (j < chars.len() && is_word(chars[j])) {
            return None;
        }
        let n: String = chars[at + 1..j].iter().collect();
        Some((c, n.parse().ok()?, j))
    };
    while i < chars.len() {
        // `seed 000` … `seed 004`: the source documents.
        if chars[i..].starts_with(&['s', 'e', 'e', 'd', ' '])
            && (i == 0 || !is_word(chars[i - 1]))
            && i + 8 <= chars.len()
            && chars[i + 5..i + 8].iter().all(|c| c.is_ascii_digit())
            && chars.get(i + 8).is_none_or(|c| !is_word(*c))
        {
            let digits: String = chars[i + 5..i + 8].iter().collect();
            out.push(format!("seed {digits}"));
            i += 8;
            continue;
        }
        if let Some((p, n, j)) = id_at(i) {
            // A range: the same prefix after a dash, spaces allowed.
            let mut k = j;
            while k < chars.len() && chars[k] == ' ' {
                k += 1;
            }
            if k < chars.len() && (chars[k] == '–' || chars[k] == '-') {
                let mut m = k + 1;
                while m < chars.len() && chars[m] == ' ' {
                    m += 1;
                }
                if let Some((p2, n2, j2)) = id_at(m)
                    && p2 == p
                    && n2 > n
                    && n2 - n <= 50
                {
                    for x in n..=n2 {
                        out.push(format!("{p}{x}"));
                    }
                    i = j2;
                    continue;
                }
            }
            out.push(format!("{p}{n}"));
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

fn cites_in(text: &str) -> Vec<Cite> {
    text.lines()
        .enumerate()
        .flat_map(|(n, l)| {
            ids_in_line(l)
                .into_iter()
                .map(move |id| Cite { id, line: n + 1 })
        })
        .collect()
}

/// The anchor GitHub gives a heading: lower case, punctuation dropped,
/// spaces to hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// One entry of `docs/sources.md`: a `### ID` heading and its lines.
struct Entry {
    line: usize,
    /// `Source:`, `Says:`, … the bold-free labels of its list items.
    labels: BTreeSet<String>,
    /// The field paths of its `Fields:` line.
    fields: Vec<String>,
    /// The source documents its `Source:` line names (`seed 003`).
    documents: BTreeSet<String>,
}

struct Sources {
    entries: BTreeMap<String, Entry>,
    /// Anchors of every heading, entries and sections alike.
    anchors: BTreeSet<String>,
}

fn sources() -> Sources {
    let text = read(SOURCES);
    let mut entries = BTreeMap::new();
    let mut anchors = BTreeSet::new();
    let mut current: Option<(String, Entry)> = None;
    let mut label = String::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(h) = line.strip_prefix('#') {
            let h = h.trim_start_matches('#').trim();
            anchors.insert(anchor(h));
            if let Some((id, e)) = current.take() {
                entries.insert(id, e);
            }
            label.clear();
            if line.starts_with("### ") && ids_in_line(h) == [h.to_string()] {
                current = Some((
                    h.to_string(),
                    Entry {
                        line: n + 1,
                        labels: BTreeSet::new(),
                        fields: Vec::new(),
                        documents: BTreeSet::new(),
                    },
                ));
            }
            continue;
        }
        let Some((_, e)) = current.as_mut() else {
            continue;
        };
        // A list item `- Label: text`, continued on lines indented by two.
        let text = if let Some(item) = line.strip_prefix("- ") {
            label = match item.split_once(':') {
                Some((l, _)) if !l.contains(' ') => {
                    e.labels.insert(l.to_string());
                    l.to_string()
                }
                _ => String::new(),
            };
            &item[label.len()..]
        } else if line.starts_with("  ") {
            line
        } else {
            label.clear();
            continue;
        };
        match label.as_str() {
            "Fields" => e.fields.extend(backticked(text)),
            "Source" => e.documents.extend(
                ids_in_line(text)
                    .into_iter()
                    .filter(|id| id.starts_with("seed ")),
            ),
            _ => {}
        }
    }
    if let Some((id, e)) = current.take() {
        entries.insert(id, e);
    }
    Sources { entries, anchors }
}

/// The `code` spans of a line.
fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, t)| t.to_string())
        .collect()
}

/// The anchor and link text of every `[text](sources.md#anchor)` link in a
/// line (`(#anchor)` inside `docs/sources.md` itself).
fn links_to_sources(line: &str, inside_sources: bool) -> Vec<(String, String)> {
    let target = if inside_sources {
        "](#"
    } else {
        "](sources.md#"
    };
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find(target) {
        let text_start = rest[..at].rfind('[').map_or(at, |s| s + 1);
        let text = rest[text_start..at].to_string();
        let after = &rest[at + target.len()..];
        let end = after.find(')').unwrap_or(after.len());
        out.push((after[..end].to_string(), text));
        rest = &after[end..];
    }
    out
}

fn report(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what} ({} found):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn the_scanner_finds_ids_and_ranges_and_skips_other_tokens() {
    assert_eq!(ids_in_line("(Q28; M36, §x) S5."), ["Q28", "M36", "S5"]);
    assert_eq!(
        ids_in_line("Q28–Q30 and M61-M63"),
        ["Q28", "Q29", "Q30", "M61", "M62", "M63"]
    );
    assert_eq!(ids_in_line("seed 003 on sponsorship"), ["seed 003"]);
    assert_eq!(ids_in_line("[A12](sources.md#a12)"), ["A12"]);
    let none = "L2 cache, M/M/c, SHA256, A4B, x86, Q1234, seed 20261123, \
                seeds 000, D[r,t], QA1, 2Q1";
    assert!(ids_in_line(none).is_empty(), "{:?}", ids_in_line(none));
    // A dash between different prefixes is not a range.
    assert_eq!(ids_in_line("Q3–M5"), ["Q3", "M5"]);
    assert_eq!(anchor("seed 000"), "seed-000");
    assert_eq!(
        anchor("Facts from the source documents (Q)"),
        "facts-from-the-source-documents-q"
    );
}

#[test]
fn every_cited_id_has_an_entry_in_sources_md() {
    let s = sources();
    assert!(
        s.entries.len() > 50,
        "docs/sources.md: too few entries parsed"
    );
    let mut problems = Vec::new();
    for file in scanned_files() {
        for c in cites_in(&read(&file)) {
            if !s.entries.contains_key(&c.id) {
                problems.push(format!(
                    "{file}:{}: `{}` has no entry in {SOURCES}",
                    c.line, c.id
                ));
            }
        }
    }
    report(
        "citations of ids that docs/sources.md does not define",
        &problems,
    );
}

#[test]
fn every_entry_in_sources_md_is_cited() {
    let s = sources();
    let mut cited = BTreeSet::new();
    for file in scanned_files().iter().filter(|f| *f != SOURCES) {
        cited.extend(cites_in(&read(file)).into_iter().map(|c| c.id));
    }
    // A source document counts as cited when an entry resting on it is.
    let documents: BTreeSet<String> = s
        .entries
        .iter()
        .filter(|(id, _)| cited.contains(*id))
        .flat_map(|(_, e)| e.documents.iter().cloned())
        .collect();
    cited.extend(documents);
    let problems: Vec<String> = s
        .entries
        .iter()
        .filter(|(id, _)| !cited.contains(*id))
        .map(|(id, e)| {
            format!(
                "{SOURCES}:{}: entry `{id}` is cited nowhere outside {SOURCES}",
                e.line
            )
        })
        .collect();
    report("entries nobody cites", &problems);
}

#[test]
fn no_citation_points_outside_the_repository() {
    // Documents that are not in the repository: the evidence sheet and the
    // source files the project was started from, by name or path.
    let anywhere = [
        "evidence.md",
        "../shared",
        "/work/shared",
        "shared/seeds",
        "shared/brief",
        "(brief)",
        "the brief's",
        "from the brief",
    ];
    let mut problems = Vec::new();
    for file in scanned_files() {
        let code = file.ends_with(".rs") || file.ends_with(".yaml") || file.ends_with(".yml");
        for (n, line) in read(&file).lines().enumerate() {
            let lower = line.to_lowercase();
            let mut hits: Vec<String> = anywhere
                .iter()
                .filter(|p| lower.contains(*p))
                .map(|p| format!("`{p}`"))
                .collect();
            // `docs/sources.md` tells where its own entries came from.
            if file != SOURCES && lower.contains("evidence sheet") {
                hits.push("`evidence sheet`".into());
            }
            // The evidence sheet's sections (§7 gaps, §8 statistics).
            if line.char_indices().any(|(i, c)| {
                c == '§'
                    && line[i + c.len_utf8()..]
                        .trim_start()
                        .starts_with(|d: char| d.is_ascii_digit())
            }) {
                hits.push("a `§` section".into());
            }
            // A seed file's name (`000_7a7c6e469a6fecbf.txt`).
            if lower.split(|c: char| !is_word(c)).any(|w| {
                w.len() == 20
                    && w.as_bytes()[3] == b'_'
                    && w[..3].bytes().all(|b| b.is_ascii_digit())
                    && w[4..].bytes().all(|b| b.is_ascii_hexdigit())
            }) {
                hits.push("a seed file name".into());
            }
            // In code and scenarios, "section 7/8" meant the evidence sheet;
            // model.md's own sections are named with the file.
            if code
                && !lower.contains("model.md")
                && ["section 7", "section 8", "section-7", "section-8"]
                    .iter()
                    .any(|p| lower.contains(p))
            {
                hits.push("`section 7/8` of the evidence sheet".into());
            }
            for h in hits {
                problems.push(format!(
                    "{file}:{}: {h} points outside the repository; cite an id of {SOURCES}",
                    n + 1
                ));
            }
        }
    }
    report("citations pointing outside the repository", &problems);
}

#[test]
fn every_link_to_sources_md_opens_an_entry() {
    let s = sources();
    let mut problems = Vec::new();
    for file in scanned_files() {
        let inside = file == SOURCES;
        for (n, line) in read(&file).lines().enumerate() {
            for (target, text) in links_to_sources(line, inside) {
                let where_ = format!("{file}:{}", n + 1);
                if !s.anchors.contains(&target) {
                    problems.push(format!("{where_}: `#{target}` is no heading of {SOURCES}"));
                } else if ids_in_line(&text).len() == 1 && anchor(&text) != target {
                    problems.push(format!(
                        "{where_}: the link text `{text}` names another entry than `#{target}`"
                    ));
                }
            }
        }
    }
    report("links into docs/sources.md that open nothing", &problems);
}

#[test]
fn every_entry_says_where_it_comes_from() {
    let s = sources();
    let mut problems = Vec::new();
    for (id, e) in &s.entries {
        let required: &[&str] = match id.chars().next().unwrap() {
            's' => &["Address", "Kind"],
            'Q' | 'M' | 'P' => &["Source", "Says", "Taken", "Used", "Kind"],
            'S' => &["Source", "Says", "Taken", "Used", "Kind", "Read"],
            'G' => &["Says", "Used", "Kind"],
            'A' => &["Value", "Used", "Kind", "Range"],
            'D' => &["Value", "Why", "Kind", "Fields"],
            _ => unreachable!("{id}"),
        };
        for label in required {
            if !e.labels.contains(*label) {
                problems.push(format!(
                    "{SOURCES}:{}: entry `{id}` has no `{label}:` line",
                    e.line
                ));
            }
        }
    }
    report("entries missing a required line", &problems);
}

/// The rows of the scenario part of `scenario-format.md` (from "Top-level
/// keys" to "Validation rules"): (line, field path, default cell).
fn format_rows() -> Vec<(usize, String, String)> {
    let text = read(FORMAT);
    let mut inside = false;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("## ") {
            inside = line == "## Top-level keys";
            continue;
        }
        if !inside || !line.starts_with("| `") {
            continue;
        }
        let cells: Vec<&str> = line.trim().trim_matches('|').split(" | ").collect();
        if cells.len() == 6 {
            let field = cells[0].trim().trim_matches('`').to_string();
            rows.push((n + 1, field, cells[3].trim().to_string()));
        }
    }
    rows
}

#[test]
fn every_default_in_scenario_format_links_to_its_source() {
    let s = sources();
    // Cells that are no default: nothing to cite.
    let no_default = [
        "required",
        "**required** in a written block",
        "the values below",
        "the table below",
        "—",
    ];
    let rows = format_rows();
    assert!(rows.len() > 100, "{FORMAT}: too few field rows parsed");
    let mut problems = Vec::new();
    for (line, field, default) in rows {
        if no_default.contains(&default.as_str()) {
            continue;
        }
        let linked: Vec<String> = links_to_sources(&default, false)
            .into_iter()
            .map(|(target, _)| target)
            .collect();
        let where_ = format!("{FORMAT}:{line}: `{field}`");
        if linked.is_empty() {
            problems.push(format!(
                "{where_}: the default `{default}` links to no entry of {SOURCES}"
            ));
            continue;
        }
        let names_field = s
            .entries
            .iter()
            .any(|(id, e)| linked.contains(&anchor(id)) && e.fields.contains(&field));
        if !names_field {
            problems.push(format!(
                "{where_}: none of the linked entries ({}) lists the field in its `Fields:` line",
                linked.join(", ")
            ));
        }
    }
    report("defaults without a source", &problems);
}

#[test]
fn every_field_an_entry_names_is_a_field_of_the_format() {
    let s = sources();
    let known: BTreeSet<String> = format_rows().into_iter().map(|(_, f, _)| f).collect();
    let mut problems = Vec::new();
    for (id, e) in &s.entries {
        for f in &e.fields {
            if !known.contains(f) {
                problems.push(format!(
                    "{SOURCES}:{}: entry `{id}` names `{f}`, which is no field row of {FORMAT}",
                    e.line
                ));
            }
        }
    }
    report("fields that the format does not have", &problems);
}
