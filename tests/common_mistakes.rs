//! The "Common mistakes" of `docs/scenario-format.md` print as documented:
//! each entry is an edit of the document's minimal example, made here as
//! its text describes, and the entry's code block must be exactly what
//! `foresight validate scenario.yaml` prints for it.

use std::collections::BTreeMap;

const DOC: &str = include_str!("../docs/scenario-format.md");

/// The text of the section headed `heading` (up to the next `## `).
fn section(heading: &str) -> &'static str {
    let start = DOC
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("the document has a section {heading:?}"));
    let rest = &DOC[start + heading.len() + 2..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// The first fenced block of `text` (without its fences).
fn first_block(text: &str) -> &str {
    let open = text.find("```").expect("a code block");
    let body = &text[open..];
    let body = &body[body.find('\n').expect("a fence line") + 1..];
    &body[..body.find("```").expect("a closing fence")]
}

/// The minimal example of the document.
fn minimal() -> String {
    first_block(section("## Minimal example")).to_string()
}

/// The code blocks of the "Common mistakes" section, by entry number: an
/// entry may show several (each after a paragraph saying what changed).
fn documented() -> BTreeMap<u32, Vec<String>> {
    let text = section("## Common mistakes");
    let mut out: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut entry = 0;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("**")
            && let Some((n, _)) = rest.split_once(". ")
            && let Ok(n) = n.parse()
        {
            entry = n;
        }
        // Output blocks have a bare fence; a ```yaml block shows input.
        if line.starts_with("```") {
            let output = line == "```";
            let mut block = String::new();
            for l in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                block.push_str(l);
                block.push('\n');
            }
            if output {
                out.entry(entry)
                    .or_default()
                    .push(block.trim_end().to_string());
            }
        }
    }
    out
}

/// Replace the one line of `text` that equals `from` (without its newline).
fn replace_line(text: &str, from: &str, to: &str) -> String {
    let n = text.lines().filter(|l| *l == from).count();
    assert_eq!(n, 1, "the minimal example has one line {from:?}");
    text.lines()
        .map(|l| if l == from { to } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// What `validate` prints for the text, as `scenario.yaml`.
fn printed(text: &str) -> String {
    match foresight::scenario::parse_str(text, "scenario.yaml") {
        Ok(_) => "valid".to_string(),
        Err(d) => d.report(),
    }
}

/// Each entry's edits of the minimal example, as its text describes them.
fn cases() -> BTreeMap<u32, Vec<String>> {
    let m = minimal();
    let south_jobs = "    jobs: {low: 150000, mid: 250000, high: 100000}";
    let north_places = "    reception_places: 3000";
    let north_jobs = "    jobs: {low: 300000, mid: 500000, high: 200000}";
    let mut c: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    c.insert(
        1,
        vec![replace_line(
            &m,
            south_jobs,
            &format!("    servies: {{language: {{seats: 50}}}}\n{south_jobs}"),
        )],
    );
    c.insert(
        2,
        vec![replace_line(
            &m,
            south_jobs,
            "    jobs: {low: -3, mid: 250000, high: 100000}",
        )],
    );
    let two_groups = replace_line(&m, "      share: 1.0", "      share: 0.6")
        + "    - name: eritrea\n      share: 0.3\n      skills: {low: 0.6, mid: 0.3, high: 0.1}\n      household_sizes: [0.6, 0.2, 0.2]\n      recognition_probability: 0.9\n";
    c.insert(3, vec![two_groups]);
    c.insert(
        4,
        vec![m.clone() + "policy: {dispersal: {rule: quota_key}}\n"],
    );
    c.insert(
        5,
        vec![
            m.clone() + "services:\n  language:\n    seats: 500\n",
            m.clone() + "services: {language: {cost_per_place_week: 150}}\n",
        ],
    );
    c.insert(
        6,
        vec![replace_line(
            &m,
            "  weekly_rate: 400",
            "  weekly_rate: 4000000",
        )],
    );
    c.insert(
        7,
        vec![replace_line(&m, north_places, "\treception_places: 3000")],
    );
    c.insert(
        8,
        vec![
            replace_line(&m, north_places, "  reception_places: 3000"),
            replace_line(&m, north_places, "      reception_places: 3000"),
        ],
    );
    c.insert(
        9,
        vec![replace_line(
            &m,
            north_jobs,
            "    jobs:\n      low: 300000\n      mid: 500000\n    high: 200000",
        )],
    );
    c.insert(
        10,
        vec![replace_line(
            &replace_line(&m, "  weekly_rate: 400", "  weekly_rat: 400"),
            "      recognition_probability: 0.8",
            "      recognition_probability: 1.8",
        )],
    );
    c
}

#[test]
fn common_mistakes_print_as_documented() {
    let documented = documented();
    let cases = cases();
    assert_eq!(
        documented.keys().collect::<Vec<_>>(),
        cases.keys().collect::<Vec<_>>(),
        "the entries of \"Common mistakes\" and of this test differ"
    );
    let mut failures = Vec::new();
    for (n, texts) in &cases {
        let shown = &documented[n];
        assert_eq!(
            shown.len(),
            texts.len(),
            "entry {n}: the document shows {} blocks, the test makes {} files",
            shown.len(),
            texts.len()
        );
        for (text, block) in texts.iter().zip(shown) {
            let got = printed(text);
            if &got != block {
                failures.push(format!(
                    "entry {n}: the document shows\n{block}\nbut validate prints\n{got}\n"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_minimal_example_is_valid() {
    assert_eq!(printed(&minimal()), "valid");
}
