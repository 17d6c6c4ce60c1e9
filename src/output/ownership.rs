//! What the tool wrote: before `--force` replaces a folder, or a staging
//! folder is removed, its contents are checked against what foresight
//! writes there. A folder holding anything else (a user's file, a link, a
//! folder that is not an output at all, such as a home folder or `.`) is
//! never replaced or removed.

use std::collections::BTreeSet;
use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use super::files::is_file_name;
use super::folder::{JOURNAL, LOCK, RUN_FILE};
use super::journal::is_block_file;
use super::shards::{BLOCKS, INPUTS};

/// What is at a path the tool may replace or remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing is there.
    Absent,
    /// An empty folder: replacing it loses nothing.
    Empty,
    /// Everything in it was written by foresight.
    Ours,
    /// Not foresight's, or not only: what is there, in words, to follow the
    /// folder's name (e.g. "is a symbolic link to /data").
    Foreign(String),
}

/// The kinds of output that write a `manifest.json` (`discovery`: the
/// folder `foresight discover` writes inside an experiment's output).
const KINDS: [&str; 5] = [
    "scenario",
    "experiment",
    "shard",
    crate::analysis::discover::KIND,
    crate::compare::KIND,
];

/// How many names a message lists before "and N more".
const SHOWN: usize = 6;

/// An entry of a folder: its name, and whether it is a folder, a plain
/// file or something else (a link, a device).
struct Entry {
    name: String,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    File,
    Other,
}

impl Entry {
    fn shown(&self, prefix: &str) -> String {
        match self.kind {
            Kind::Dir => format!("{prefix}{}/", self.name),
            Kind::File => format!("{prefix}{}", self.name),
            Kind::Other => format!("{prefix}{} (a link or special file)", self.name),
        }
    }
}

/// The entries of a folder, sorted by name, without following links.
fn entries(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir)? {
        let e = e?;
        let t = e.file_type()?;
        let kind = if t.is_dir() {
            Kind::Dir
        } else if t.is_file() {
            Kind::File
        } else {
            Kind::Other
        };
        out.push(Entry {
            name: e.file_name().to_string_lossy().into_owned(),
            kind,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Names as a message lists them: the first few, then how many more.
fn listed(names: &[String]) -> String {
    let mut text = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// The first look at a path: absent, not a folder, unreadable, empty, or its entries.
fn look(dir: &Path) -> Result<Vec<Entry>, Verdict> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(m) => m,
        // Not there, or a file where a parent folder should be (writing
        // the folder is then what fails).
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            return Err(Verdict::Absent);
        }
        Err(e) => return Err(Verdict::Foreign(format!("cannot be examined ({e})"))),
    };
    if meta.file_type().is_symlink() {
        let target = fs::read_link(dir).map_or_else(|_| "?".into(), |t| t.display().to_string());
        return Err(Verdict::Foreign(format!(
            "is a symbolic link (to {target}), not a folder foresight wrote"
        )));
    }
    if !meta.is_dir() {
        return Err(Verdict::Foreign(
            "is a file, not a folder foresight wrote".into(),
        ));
    }
    let all = entries(dir)
        .map_err(|e| Verdict::Foreign(format!("cannot be read to check what it holds ({e})")))?;
    if all.is_empty() {
        return Err(Verdict::Empty);
    }
    Ok(all)
}

/// Whether `dir` (a complete output folder, or a folder another run will
/// replace) may be replaced: its `manifest.json` says foresight wrote it and
/// it holds nothing else than the files the manifest lists (and the report).
pub fn output_folder(dir: &Path) -> Verdict {
    let all = match look(dir) {
        Ok(all) => all,
        Err(verdict) => return verdict,
    };
    let everything = || listed(&all.iter().map(|e| e.shown("")).collect::<Vec<_>>());
    let manifest = all
        .iter()
        .any(|e| e.name == "manifest.json" && e.kind == Kind::File)
        .then(|| fs::read_to_string(dir.join("manifest.json")).ok())
        .flatten()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .filter(|m| {
            m["foresight_version"].is_string()
                && m["kind"].as_str().is_some_and(|k| KINDS.contains(&k))
        });
    let Some(manifest) = manifest else {
        let why = if all.iter().any(|e| e.name == "manifest.json") {
            "its manifest.json was not written by foresight"
        } else {
            "it has no manifest.json"
        };
        return Verdict::Foreign(format!(
            "is not an output folder of foresight ({why}); it holds {}",
            everything()
        ));
    };
    let unexpected = unexpected_in_output(dir, &manifest, &all);
    if unexpected.is_empty() {
        Verdict::Ours
    } else {
        Verdict::Foreign(format!(
            "holds an earlier output of foresight, but also what foresight did not write: {} \
             (move that elsewhere first if the folder is to be replaced)",
            listed(&unexpected)
        ))
    }
}

/// What an output folder holds beyond what its manifest lists.
fn unexpected_in_output(dir: &Path, manifest: &serde_json::Value, all: &[Entry]) -> Vec<String> {
    // The manifest's list of files; older manifests without one: any name
    // a run folder can hold.
    let any = manifest["files"].as_array().is_none();
    let listed: BTreeSet<&str> = match manifest["files"].as_array() {
        Some(files) => files.iter().filter_map(|f| f.as_str()).collect(),
        None => [BLOCKS, INPUTS].into_iter().collect(),
    };
    let listed_file = |name: &str| listed.contains(name) || (any && is_file_name(name));
    let mut out = Vec::new();
    for e in all {
        let name = e.name.as_str();
        let ok = match (name, e.kind) {
            (BLOCKS, Kind::Dir) if listed.contains(BLOCKS) => {
                out.extend(block_folder(&dir.join(BLOCKS), BLOCKS));
                true
            }
            (INPUTS, Kind::Dir) if listed.contains(INPUTS) => {
                out.extend(inputs_folder(dir, Some(manifest)));
                true
            }
            (_, Kind::File) if listed_file(name) && name != BLOCKS && name != INPUTS => true,
            (crate::analysis::discover::FOLDER, Kind::Dir) => {
                let inner = dir.join(name);
                match output_folder(&inner) {
                    Verdict::Ours => true,
                    _ => {
                        out.push(format!("{name}/ (not as discover wrote it)"));
                        true
                    }
                }
            }
            (crate::report::REPORT, Kind::File) => crate::report::is_report(&dir.join(name)),
            (_, Kind::File) => crate::report::is_temporary(name),
            _ => false,
        };
        if !ok {
            out.push(e.shown(""));
        }
    }
    out
}

/// The entries of a folder of block files that are not block files.
fn block_folder(dir: &Path, prefix: &str) -> Vec<String> {
    match entries(dir) {
        Ok(all) => all
            .iter()
            .filter(|e| !(e.kind == Kind::File && is_block_file(&e.name)))
            .map(|e| e.shown(&format!("{prefix}/")))
            .collect(),
        Err(e) => vec![format!("{prefix}/ (cannot be read: {e})")],
    }
}

/// What a shard's `inputs/` holds beyond the copies of the input files it
/// names (any plain files, while the shard is unfinished and has no manifest).
fn inputs_folder(dir: &Path, manifest: Option<&serde_json::Value>) -> Vec<String> {
    let named: Option<BTreeSet<&str>> = manifest.map(|m| {
        ["file", "world"]
            .iter()
            .filter_map(|k| m["inputs"][k].as_str())
            .collect()
    });
    let mut out = Vec::new();
    let mut walk = |rel: &str, may_nest: bool| -> Vec<String> {
        let mut nested = Vec::new();
        match entries(&dir.join(rel)) {
            Ok(all) => {
                for e in all {
                    let path = format!("{rel}/{}", e.name);
                    let ok = match e.kind {
                        Kind::File => named.as_ref().is_none_or(|n| n.contains(path.as_str())),
                        Kind::Dir => may_nest && e.name == "world",
                        Kind::Other => false,
                    };
                    if e.kind == Kind::Dir && ok {
                        nested.push(path);
                    } else if !ok {
                        out.push(e.shown(&format!("{rel}/")));
                    }
                }
            }
            Err(e) => out.push(format!("{rel}/ (cannot be read: {e})")),
        }
        nested
    };
    for inner in walk(INPUTS, true) {
        walk(&inner, false);
    }
    out
}

/// Whether a staging folder (`.NAME.partial…`, beside an output folder) may
/// be removed or taken up: it holds only what a run puts there while it is
/// under way (the journal, the lock, the results files, a shard's blocks and
/// inputs).
pub fn staging_folder(dir: &Path) -> Verdict {
    let all = match look(dir) {
        Ok(all) => all,
        Err(verdict) => return verdict,
    };
    let mut unexpected = Vec::new();
    for e in &all {
        let name = e.name.as_str();
        let ok = match (name, e.kind) {
            (JOURNAL | BLOCKS, Kind::Dir) => {
                unexpected.extend(block_folder(&dir.join(name), name));
                true
            }
            (INPUTS, Kind::Dir) => {
                unexpected.extend(inputs_folder(dir, None));
                true
            }
            (_, Kind::File) => name == LOCK || name == RUN_FILE || is_file_name(name),
            _ => false,
        };
        if !ok {
            unexpected.push(e.shown(""));
        }
    }
    if unexpected.is_empty() {
        Verdict::Ours
    } else {
        Verdict::Foreign(format!(
            "looks like the staging folder of an unfinished run of foresight, but holds \
             what foresight did not write: {} (move that elsewhere first to resume or \
             replace the run)",
            listed(&unexpected)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = tmp.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        tmp
    }

    fn foreign(v: Verdict) -> String {
        match v {
            Verdict::Foreign(what) => what,
            other => panic!("expected Foreign, found {other:?}"),
        }
    }

    const SCENARIO: &str = r#"{"foresight_version": "0.1.0", "kind": "scenario",
        "files": ["summary.csv", "manifest.json", "weekly.csv", "headline.csv"]}"#;

    #[test]
    fn an_output_is_recognised_by_its_manifest_and_what_it_lists() {
        let out = folder(&[
            ("manifest.json", SCENARIO),
            ("summary.csv", ""),
            ("headline.csv", ""),
        ]);
        assert_eq!(output_folder(out.path()), Verdict::Ours);
        // A file the manifest does not list, even one a run can write.
        fs::write(out.path().join("outcomes.csv"), "").unwrap();
        let what = foreign(output_folder(out.path()));
        assert!(what.contains("did not write: outcomes.csv"), "{what}");
    }

    #[test]
    fn a_manifest_of_another_program_is_not_foresights() {
        let out = folder(&[("manifest.json", r#"{"kind": "scenario"}"#), ("a.csv", "")]);
        let what = foreign(output_folder(out.path()));
        assert!(what.contains("its manifest.json was not written by foresight"));
        assert!(what.contains("a.csv, manifest.json"), "{what}");
    }

    #[test]
    fn an_older_manifest_without_a_file_list_allows_any_output_file() {
        let out = folder(&[
            (
                "manifest.json",
                r#"{"foresight_version": "0.0.9", "kind": "experiment"}"#,
            ),
            ("outcomes.csv", ""),
            ("notes.md", ""),
        ]);
        let what = foreign(output_folder(out.path()));
        assert!(what.ends_with("did not write: notes.md (move that elsewhere first if the folder is to be replaced)"), "{what}");
    }

    #[test]
    fn a_shard_holds_its_blocks_and_the_inputs_its_manifest_names() {
        let manifest = r#"{"foresight_version": "0.1.0", "kind": "shard",
            "files": ["manifest.json", "blocks", "inputs"],
            "inputs": {"file": "inputs/exp.yaml", "world": "inputs/world/world.yaml"}}"#;
        let out = folder(&[
            ("manifest.json", manifest),
            ("blocks/block-00000000.bin", ""),
            ("inputs/exp.yaml", ""),
            ("inputs/world/world.yaml", ""),
        ]);
        assert_eq!(output_folder(out.path()), Verdict::Ours);
        fs::write(out.path().join("inputs/world/other.yaml"), "").unwrap();
        fs::write(out.path().join("blocks/block-1.bin.bak"), "").unwrap();
        let what = foreign(output_folder(out.path()));
        assert!(what.contains("blocks/block-1.bin.bak"), "{what}");
        assert!(what.contains("inputs/world/other.yaml"), "{what}");
    }

    #[test]
    fn a_staging_folder_holds_only_what_a_run_under_way_writes() {
        let staging = folder(&[
            ("lock", "1"),
            ("run.json", "{}"),
            ("series.csv", ""),
            ("journal/block-00000003.tmp", ""),
        ]);
        assert_eq!(staging_folder(staging.path()), Verdict::Ours);
        fs::write(staging.path().join("journal/todo.txt"), "").unwrap();
        let what = foreign(staging_folder(staging.path()));
        assert!(what.contains("journal/todo.txt"), "{what}");
    }

    #[test]
    fn absent_empty_files_and_links_are_told_apart() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path();
        assert_eq!(output_folder(&p.join("none")), Verdict::Absent);
        fs::create_dir(p.join("empty")).unwrap();
        assert_eq!(output_folder(&p.join("empty")), Verdict::Empty);
        fs::write(p.join("file"), "").unwrap();
        assert!(foreign(output_folder(&p.join("file"))).contains("is a file"));
        std::os::unix::fs::symlink(p.join("empty"), p.join("link")).unwrap();
        let what = foreign(output_folder(&p.join("link")));
        assert!(what.contains("symbolic link"), "{what}");
        assert!(foreign(staging_folder(&p.join("link"))).contains("symbolic link"));
    }

    #[test]
    fn long_lists_are_cut_short() {
        let names: Vec<String> = (0..9).map(|i| format!("f{i}")).collect();
        assert_eq!(listed(&names), "f0, f1, f2, f3, f4, f5 and 3 more");
    }
}
