//! Every one-line mistake of the kinds people make, tried on every key line
//! of the bundled baseline scenario: a line indented two spaces less or
//! more, or with a tab. Each must be refused without a panic, with a
//! position for every problem, naming the line of the mistake (at it, or in
//! the message: the parser may meet the mistake on the next line, when the
//! wrong line was the first of its mapping), and in words without a Rust
//! type name.

use foresight::scenario::{Problem, parse_str};

const BASELINE: &str = include_str!("../scenarios/baseline.yaml");

/// Lines (0-based) that hold a key: the lines worth indenting wrongly.
fn key_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            !t.starts_with('#')
                && t.split_once(':').is_some_and(|(k, _)| {
                    !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_')
                })
        })
        .map(|(i, _)| i)
        .collect()
}

fn with_line(text: &str, i: usize, line: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines[i] = line;
    lines.join("\n") + "\n"
}

/// Whether a problem names line `n` (1-based).
fn names_line(p: &Problem, n: usize) -> bool {
    p.line == Some(n)
        || p.message.contains(&format!("line {n} "))
        || p.message.contains(&format!("line {n},"))
        || p.message.contains(&format!("line {n};"))
}

const RUST_WORDS: [&str; 10] = [
    "u32", "u64", "f64", "usize", "struct", "enum", "Vec", "Option", "String", "variant",
];

#[test]
fn every_wrong_indentation_and_tab_is_named_at_its_line() {
    let mut failures = Vec::new();
    let mut tried = 0;
    for i in key_lines(BASELINE) {
        let line = BASELINE.lines().nth(i).expect("a line");
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        let mut variants = vec![
            ("two spaces more", format!("  {line}")),
            ("a tab", format!("\t{body}")),
        ];
        if indent >= 2 {
            variants.push(("two spaces less", line[2..].to_string()));
        }
        for (what, changed) in variants {
            tried += 1;
            let text = with_line(BASELINE, i, &changed);
            let n = i + 1;
            let problems = match parse_str(&text, "baseline.yaml") {
                Ok(_) => {
                    failures.push(format!("line {n}, {what}: accepted"));
                    continue;
                }
                Err(d) => d.problems,
            };
            if problems
                .iter()
                .any(|p| p.line.is_none() || p.column.is_none())
            {
                failures.push(format!("line {n}, {what}: a problem without a position"));
            }
            if !problems.iter().any(|p| names_line(p, n)) {
                failures.push(format!(
                    "line {n}, {what}: no problem names the line:\n  {}",
                    problems
                        .iter()
                        .map(Problem::to_string)
                        .collect::<Vec<_>>()
                        .join("\n  ")
                ));
            }
            for p in &problems {
                let words: Vec<&str> = p
                    .message
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|w| RUST_WORDS.contains(w))
                    .collect();
                if !words.is_empty() {
                    failures.push(format!("line {n}, {what}: {words:?} in {p}"));
                }
            }
        }
    }
    assert!(tried > 300, "only {tried} variants tried");
    assert!(
        failures.is_empty(),
        "{} of {tried} variants:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
