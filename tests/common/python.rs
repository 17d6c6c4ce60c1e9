//! A Python virtual environment made from a requirements file, kept in
//! Cargo's target folder between runs (rebuilt when the file changes), for
//! the tests that check foresight's outputs with Python's own tools.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Python of virtual environment `name` with `requirements` (relative
/// to the crate) installed, or None (after saying why) when the package
/// registry cannot be reached. `FORESIGHT_PYTHON` names the Python that
/// makes it (default `python3`).
pub fn venv(name: &str, requirements: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let requirements = root.join(requirements);
    let wanted = std::fs::read_to_string(&requirements).unwrap();
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let py = venv.join("bin/python");
    let stamp = venv.join("requirements.txt");
    if py.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&wanted) {
        return Some(py);
    }
    let system = std::env::var("FORESIGHT_PYTHON").unwrap_or_else(|_| "python3".into());
    let _ = std::fs::remove_dir_all(&venv);
    let made = Command::new(&system)
        .args(["-m", "venv", venv.to_str().unwrap()])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {system} (set FORESIGHT_PYTHON): {e}"));
    assert!(
        made.status.success(),
        "{system} -m venv failed: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let pip = Command::new(&py)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements)
        .output()
        .unwrap();
    if !pip.status.success() {
        let err = String::from_utf8_lossy(&pip.stderr);
        let offline = [
            "Failed to establish a new connection",
            "Temporary failure in name resolution",
            "Network is unreachable",
            "ConnectTimeoutError",
            "ReadTimeoutError",
            "Could not fetch URL",
        ];
        if offline.iter().any(|s| err.contains(s)) {
            eprintln!(
                "SKIPPED: this test needs the Python package registry, which cannot be \
                 reached:\n{err}"
            );
            let _ = std::fs::remove_dir_all(&venv);
            return None;
        }
        panic!("installing {} failed:\n{err}", requirements.display());
    }
    std::fs::write(&stamp, &wanted).unwrap();
    Some(py)
}
