//! The README's Rust examples are the files of `examples/`: each Rust block
//! of the README must be found in one of them, so that what the README
//! shows is code that compiles (`cargo test` builds every example, and this
//! test includes one). The cheap example is run here.

use std::path::Path;

#[path = "../examples/run_scenario.rs"]
mod run_scenario;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The ```rust blocks of a Markdown text, with their first line numbers.
fn rust_blocks(markdown: &str) -> Vec<(usize, Vec<&str>)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, Vec<&str>)> = None;
    for (i, line) in markdown.lines().enumerate() {
        match &mut current {
            None if line.trim_start() == "```rust" => current = Some((i + 2, Vec::new())),
            Some(_) if line.trim_start().starts_with("```") => {
                blocks.extend(current.take());
            }
            Some((_, lines)) => lines.push(line),
            None => {}
        }
    }
    blocks
}

/// Whether the paragraphs of `block` (runs of lines between blank lines)
/// stand in `source` in order, each as consecutive lines. Lines are
/// compared without their indentation: the example's code is inside `main`.
fn contains(source: &str, block: &[&str]) -> bool {
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    let mut from = 0;
    for paragraph in block.split(|l| l.trim().is_empty()) {
        if paragraph.is_empty() {
            continue;
        }
        let want: Vec<&str> = paragraph.iter().map(|l| l.trim()).collect();
        match (from..lines.len()).find(|&i| lines[i..].starts_with(&want)) {
            Some(i) => from = i + want.len(),
            None => return false,
        }
    }
    true
}

#[test]
fn every_rust_block_of_the_readme_is_in_an_example() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut examples = Vec::new();
    for entry in std::fs::read_dir(root().join("examples")).expect("examples/") {
        let path = entry.expect("a folder entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("an example");
            examples.push((path, text));
        }
    }
    let blocks = rust_blocks(&readme);
    assert!(
        blocks.len() >= 2,
        "the README shows at least two Rust examples"
    );
    for (line, block) in &blocks {
        assert!(
            examples.iter().any(|(_, text)| contains(text, block)),
            "README.md:{line}: this Rust block is not in any file of examples/; \
             copy it from the example it shows, or add it there:\n{}",
            block.join("\n")
        );
    }
}

#[test]
fn a_changed_line_is_not_contained() {
    let source = "fn main() {\n    let a = 1;\n    let b = 2;\n}\n";
    assert!(contains(source, &["let a = 1;", "let b = 2;"]));
    assert!(contains(source, &["let a = 1;", "", "}"]));
    assert!(!contains(source, &["let a = 1;", "let b = 3;"]));
    assert!(!contains(source, &["let b = 2;", "", "let a = 1;"]));
}

#[test]
fn the_scenario_example_runs() {
    // The example reads `scenarios/baseline.yaml` from the current folder,
    // which for a test is the package's root.
    run_scenario::main().expect("the example runs");
}

#[test]
fn an_error_returned_from_main_reads_like_the_command_line() {
    // `?` out of `main` prints the error's Debug form: it must read as the
    // command line's message, not as a dump of the struct.
    let missing = foresight::scenario::load("no/such/scenario.yaml".as_ref())
        .expect_err("the file does not exist");
    let shown = format!("{missing:?}");
    assert!(
        shown.starts_with("no/such/scenario.yaml: cannot read the file: "),
        "{shown}"
    );
    assert!(shown.contains("the current folder"), "{shown}");
    assert!(!shown.contains("Diagnostics"), "{shown}");
    assert_eq!(shown, missing.to_string());

    let text = "name: x\nhorizon_weeks: 0\nregions: []\n";
    let invalid = foresight::scenario::parse_str(text, "x.yaml").expect_err("invalid");
    let shown = format!("{invalid:?}");
    assert!(!shown.contains("Problem {"), "{shown}");
    for line in shown.trim_start().lines() {
        assert!(
            line.starts_with("x.yaml:"),
            "each line names the file: {shown}"
        );
    }
}
