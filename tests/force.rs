//! `--force` replaces only what foresight wrote. A folder that is not an
//! output of foresight (a folder of the user's, the home folder, `.`, a link
//! to a folder), or an earlier output holding a file of the user's, is
//! refused with exit 2 and a message naming the folder and what is in it,
//! and every file is left byte for byte as it was. The same for `merge` and
//! `report`, and for a staging folder an unfinished run left.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::s;

/// What a path holds, recursively, without following links.
#[derive(Debug, PartialEq, Eq)]
enum Node {
    File(Vec<u8>),
    Dir,
    Link(PathBuf),
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Node> {
    fn walk(root: &Path, path: &Path, out: &mut BTreeMap<PathBuf, Node>) {
        let meta = std::fs::symlink_metadata(path).unwrap();
        let rel = path.strip_prefix(root).unwrap().to_path_buf();
        if meta.file_type().is_symlink() {
            out.insert(rel, Node::Link(std::fs::read_link(path).unwrap()));
        } else if meta.is_dir() {
            out.insert(rel, Node::Dir);
            for e in std::fs::read_dir(path).unwrap() {
                walk(root, &e.unwrap().path(), out);
            }
        } else {
            out.insert(rel, Node::File(std::fs::read(path).unwrap()));
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn run_in(dir: Option<&Path>, home: Option<&Path>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_foresight"));
    c.args(args);
    if let Some(d) = dir {
        c.current_dir(d);
    }
    if let Some(h) = home {
        c.env("HOME", h);
    }
    c.output().unwrap()
}

fn foresight(args: &[&str]) -> Output {
    run_in(None, None, args)
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

/// Assert exit 2 and a message holding each of `says`; return the message.
fn refused(o: &Output, says: &[&str]) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    for s in says {
        assert!(err.contains(s), "expected {s:?} in:\n{err}");
    }
    assert!(err.contains("nothing was changed"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// A temporary folder with the small world as a scenario file.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    common::write_small_world(tmp.path(), 20, 30);
    let file = tmp.path().join("world.yaml");
    (tmp, file)
}

/// A folder of the user's: a file, a hidden file and a subfolder.
fn users_folder(dir: &Path) {
    std::fs::create_dir_all(dir.join("Documents")).unwrap();
    std::fs::write(dir.join("notes.txt"), "my notes\n").unwrap();
    std::fs::write(dir.join(".bashrc"), "export A=1\n").unwrap();
    std::fs::write(dir.join("Documents/thesis.tex"), [0u8, 159, 146, 150]).unwrap();
}

#[test]
fn force_refuses_an_unrelated_folder_and_touches_nothing() {
    let (tmp, file) = setup();
    let data = tmp.path().join("data");
    users_folder(&data);
    let before = snapshot(tmp.path());
    let o = foresight(&["run", s(&file), "-n", "1", "--out", s(&data), "--force"]);
    refused(
        &o,
        &[
            s(&data),
            "is not an output folder of foresight",
            "it has no manifest.json",
            ".bashrc",
            "Documents/",
            "notes.txt",
        ],
    );
    assert_eq!(snapshot(tmp.path()), before, "nothing may change");
    // Without --force the message does not suggest --force.
    let o = foresight(&["run", s(&file), "-n", "1", "--out", s(&data)]);
    let err = refused(&o, &["notes.txt"]);
    assert!(!err.contains("pass --force"), "{err}");
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn force_refuses_the_home_folder() {
    let (tmp, file) = setup();
    let home = tmp.path().join("home");
    users_folder(&home);
    let before = snapshot(tmp.path());
    // `--out ~` is expanded by the shell to $HOME.
    let o = run_in(
        None,
        Some(&home),
        &["run", s(&file), "-n", "1", "--out", s(&home), "--force"],
    );
    refused(&o, &[s(&home), ".bashrc", "notes.txt"]);
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn force_refuses_the_current_folder() {
    let (tmp, file) = setup();
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(work.join("analysis.R"), "read.csv('x')\n").unwrap();
    let before = snapshot(tmp.path());
    for out in [".", "./"] {
        let o = run_in(
            Some(&work),
            None,
            &["run", s(&file), "-n", "1", "--out", out, "--force"],
        );
        let canonical = work.canonicalize().unwrap();
        refused(&o, &[s(&canonical), "analysis.R"]);
        assert_eq!(snapshot(tmp.path()), before, "--out {out}");
    }
}

#[test]
fn force_refuses_a_link_to_a_folder() {
    let (tmp, file) = setup();
    let target = tmp.path().join("target");
    users_folder(&target);
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    // A link to an earlier output is refused too: replacing the link would
    // leave the user's folder behind it.
    let earlier = tmp.path().join("earlier");
    ok(&["run", s(&file), "-n", "1", "--out", s(&earlier)]);
    let to_output = tmp.path().join("to_output");
    std::os::unix::fs::symlink(&earlier, &to_output).unwrap();
    let before = snapshot(tmp.path());
    for (out, to) in [
        (s(&link).to_string(), &target),
        (format!("{}/", s(&link)), &target),
        (s(&to_output).to_string(), &earlier),
    ] {
        let o = foresight(&["run", s(&file), "-n", "1", "--out", &out, "--force"]);
        refused(&o, &["is a symbolic link", s(to)]);
        assert_eq!(snapshot(tmp.path()), before, "--out {out}");
    }
}

#[test]
fn force_refuses_an_earlier_output_holding_a_users_file() {
    let (tmp, file) = setup();
    let out = tmp.path().join("results");
    ok(&["run", s(&file), "-n", "2", "--out", s(&out), "--report"]);
    std::fs::write(out.join("my_plot.py"), "import pandas\n").unwrap();
    let before = snapshot(tmp.path());
    let o = foresight(&["run", s(&file), "-n", "1", "--out", s(&out), "--force"]);
    let err = refused(
        &o,
        &[
            s(&out),
            "holds an earlier output of foresight",
            "did not write: my_plot.py",
        ],
    );
    // Only the user's file is named: the outputs and the report are foresight's.
    assert!(
        !err.contains("weekly.csv") && !err.contains("report.html"),
        "{err}"
    );
    assert_eq!(snapshot(tmp.path()), before);

    // Without the user's file the earlier output (with its report) is replaced.
    std::fs::remove_file(out.join("my_plot.py")).unwrap();
    ok(&["run", s(&file), "-n", "1", "--out", s(&out), "--force"]);
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"replications\": 1"), "{manifest}");
    assert!(!out.join("report.html").exists());
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "nothing left beside it: {names:?}"
    );
}

#[test]
fn force_replaces_an_empty_folder() {
    let (tmp, file) = setup();
    let out = tmp.path().join("empty");
    std::fs::create_dir(&out).unwrap();
    let o = foresight(&["run", s(&file), "-n", "1", "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pass --force"));
    ok(&["run", s(&file), "-n", "1", "--out", s(&out), "--force"]);
    assert!(out.join("manifest.json").exists());
}

#[test]
fn force_refuses_a_file_in_a_staging_folder_or_a_shard_folder() {
    let (tmp, file) = setup();
    // An unfinished run's staging folder holding a file of the user's.
    let out = tmp.path().join("results");
    let staging = tmp.path().join(".results.partial");
    std::fs::create_dir_all(staging.join("journal")).unwrap();
    std::fs::write(staging.join("journal/block-00000000.bin"), "x").unwrap();
    std::fs::write(staging.join("draft.txt"), "keep me\n").unwrap();
    let before = snapshot(tmp.path());
    for extra in ["--force", "--resume"] {
        let o = foresight(&["run", s(&file), "-n", "1", "--out", s(&out), extra]);
        refused(&o, &[s(&staging), "draft.txt"]);
        assert_eq!(snapshot(tmp.path()), before, "{extra}");
    }
    std::fs::remove_dir_all(&staging).unwrap();

    // A shard folder with a file of the user's among its blocks.
    let shards = tmp.path().join("shards");
    ok(&[
        "run",
        s(&file),
        "-n",
        "2",
        "--shard",
        "0/2",
        "--out",
        s(&shards),
    ]);
    let shard = shards.join("shard-0-of-2");
    std::fs::write(shard.join("blocks/README"), "what these are\n").unwrap();
    let before = snapshot(tmp.path());
    let o = foresight(&[
        "run",
        s(&file),
        "-n",
        "2",
        "--shard",
        "0/2",
        "--out",
        s(&shards),
        "--force",
    ]);
    refused(&o, &[s(&shard), "blocks/README"]);
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn merge_refuses_a_folder_it_did_not_write_and_its_own_inputs() {
    let (tmp, file) = setup();
    let shards = tmp.path().join("shards");
    for k in ["0/2", "1/2"] {
        ok(&[
            "run",
            s(&file),
            "-n",
            "2",
            "--shard",
            k,
            "--out",
            s(&shards),
        ]);
    }
    let data = tmp.path().join("data");
    users_folder(&data);
    let before = snapshot(tmp.path());
    let o = foresight(&["merge", s(&data), s(&shards), "--force"]);
    refused(&o, &[s(&data), "notes.txt"]);
    assert_eq!(snapshot(tmp.path()), before);

    // Neither a shard folder being merged nor the folder holding them.
    for out in [shards.join("shard-0-of-2"), shards.clone()] {
        let o = foresight(&["merge", s(&out), s(&shards), "--force"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("which this merge reads"), "{err}");
        assert_eq!(snapshot(tmp.path()), before);
    }

    // An earlier merge holding a file of the user's.
    let merged = tmp.path().join("merged");
    ok(&["merge", s(&merged), s(&shards)]);
    std::fs::write(merged.join("notes.txt"), "n\n").unwrap();
    let before = snapshot(tmp.path());
    let o = foresight(&["merge", s(&merged), s(&shards), "--force"]);
    refused(&o, &["holds an earlier output of foresight", "notes.txt"]);
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn report_keeps_a_report_html_it_did_not_write() {
    let (tmp, file) = setup();
    let out = tmp.path().join("results");
    ok(&["run", s(&file), "-n", "1", "--out", s(&out)]);
    std::fs::write(out.join("report.html"), "<html>my own notes</html>\n").unwrap();
    let before = snapshot(tmp.path());
    let o = foresight(&["report", s(&out)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("report.html was not written by foresight"),
        "{err}"
    );
    assert_eq!(snapshot(tmp.path()), before);
    // And --force does not replace a folder holding it either.
    let o = foresight(&["run", s(&file), "-n", "1", "--out", s(&out), "--force"]);
    refused(&o, &["report.html"]);
    assert_eq!(snapshot(tmp.path()), before);
    // Its own report it rewrites.
    std::fs::remove_file(out.join("report.html")).unwrap();
    ok(&["report", s(&out)]);
    ok(&["report", s(&out)]);
    assert!(out.join("report.html").exists());
}
