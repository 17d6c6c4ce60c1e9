//! The README's example outputs are what the commands print, so that a
//! stale figure fails CI. Each fenced block right after a marker
//!
//! ```text
//! <!-- output: run scenarios/baseline.yaml -->
//! ```
//!
//! is compared with what `foresight run scenarios/baseline.yaml` prints,
//! run in an empty folder where `scenarios/` is the bundled one (so the
//! output folders read `outputs/…` as they do for a user). The line of
//! timings (`… person-weeks in … s …`) varies from run to run and machine
//! to machine and is not compared. A block after
//! `<!-- sizes: outputs/NAME -->` lists the sizes of the files written to
//! that folder by a command above it (`manifest.json`, which holds the
//! wall time, left out).
//!
//! `scripts/update-readme-outputs.sh` (this test, in release, with
//! `FORESIGHT_UPDATE_README=1`) writes the blocks instead of comparing.

use std::path::{Path, PathBuf};
use std::process::Command;

const OUTPUT: &str = "<!-- output: ";
const SIZES: &str = "<!-- sizes: ";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A marked block: the marker's argument and the range of lines of the
/// block's content (between its fences).
struct Block {
    kind: &'static str,
    argument: String,
    content: std::ops::Range<usize>,
}

fn blocks(lines: &[&str]) -> Vec<Block> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((kind, rest)) = [OUTPUT, SIZES]
            .into_iter()
            .find_map(|m| line.strip_prefix(m).map(|r| (m, r)))
        else {
            continue;
        };
        let argument = rest
            .strip_suffix("-->")
            .unwrap_or_else(|| panic!("README line {}: a marker ends with -->", i + 1))
            .trim()
            .to_string();
        assert!(
            lines.get(i + 1).is_some_and(|l| l.starts_with("```")),
            "README line {}: a fenced block must follow the marker",
            i + 2
        );
        let end = (i + 2..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .unwrap_or_else(|| panic!("README line {}: the block is not closed", i + 2));
        out.push(Block {
            kind,
            argument,
            content: i + 2..end,
        });
    }
    out
}

/// Run `foresight ARGS` in `dir`.
fn foresight(dir: &Path, args: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_foresight"))
        .args(args.split_whitespace())
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "foresight {args} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Whether a line is the timings line, which is not compared.
fn timings(line: &str) -> bool {
    line.contains(" person-weeks in ")
}

/// A size as the README gives it: three significant digits.
fn size(bytes: u64) -> String {
    let b = bytes as f64;
    let (v, unit) = match bytes {
        0..1_000 => return format!("{bytes} bytes"),
        1_000..1_000_000 => (b / 1e3, "kB"),
        1_000_000..1_000_000_000 => (b / 1e6, "MB"),
        _ => (b / 1e9, "GB"),
    };
    let decimals = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.decimals$} {unit}")
}

/// The sizes block of an output folder: a Markdown table, largest first.
fn sizes(folder: &Path) -> Vec<String> {
    let mut files: Vec<(u64, String)> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file() && e.file_name() != "manifest.json")
        .map(|e| {
            (
                e.metadata().unwrap().len(),
                e.file_name().to_string_lossy().into_owned(),
            )
        })
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let w = files.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
    let mut out = vec![format!("{:<w$}  {:>9}", "file", "size")];
    out.extend(
        files
            .iter()
            .map(|(n, f)| format!("{f:<w$}  {:>9}", size(*n))),
    );
    out
}

#[test]
fn sizes_read_in_three_significant_digits() {
    assert_eq!(size(999), "999 bytes");
    assert_eq!(size(4_150), "4.15 kB");
    assert_eq!(size(267_349_012), "267 MB");
    assert_eq!(size(18_450_000), "18.4 MB");
}

#[test]
fn the_readme_shows_what_the_commands_print() {
    let path = root().join("README.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let blocks = blocks(&lines);
    assert!(
        blocks.iter().filter(|b| b.kind == OUTPUT).count() >= 2,
        "the README marks its example outputs"
    );
    let work = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root().join("scenarios"), work.path().join("scenarios")).unwrap();
    let update = std::env::var_os("FORESIGHT_UPDATE_README").is_some();
    let mut written: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut stale = Vec::new();
    // Replaced from the last block up, so that earlier line numbers hold.
    let mut replacements: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
    for b in &blocks {
        let now: Vec<String> = if b.kind == OUTPUT {
            foresight(work.path(), &b.argument)
                .lines()
                .map(str::to_string)
                .collect()
        } else {
            let folder: PathBuf = work.path().join(&b.argument);
            sizes(&folder)
        };
        if b.kind == OUTPUT {
            // The terminal keeps to 100 columns (the closing line names a
            // folder of the user's and may not).
            for l in now.iter().filter(|l| !l.starts_with("results in ")) {
                assert!(l.chars().count() <= 100, "wider than 100 columns: {l}");
            }
        }
        let shown = &lines[b.content.clone()];
        let same = shown.len() == now.len()
            && shown
                .iter()
                .zip(&now)
                .all(|(a, b)| a == b || (timings(a) && timings(b)));
        if !same {
            stale.push(format!(
                "README line {}: `{}` now gives:\n{}\n",
                b.content.start,
                b.argument,
                now.join("\n")
            ));
        }
        replacements.push((b.content.clone(), now));
    }
    if update {
        for (range, now) in replacements.into_iter().rev() {
            written.splice(range, now);
        }
        std::fs::write(&path, written.join("\n") + "\n").unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "the README's example outputs are stale; run scripts/update-readme-outputs.sh\n{}",
        stale.join("\n")
    );
}
