//! The Python package (`python/`), as a researcher installs it: a virtual
//! environment with maturin, pytest and the EMA Workbench from the package
//! registry (`python/tests/requirements.txt`, kept in Cargo's target folder
//! between runs), `pip install ./python` (the engine built by maturin and
//! cargo, in release, in the repository's target folder), then:
//!
//! - the package's tests (`python/tests/`, pytest): its tables are byte
//!   for byte the command line's files for the same experiment, streamed
//!   weeks equal `weekly.csv`, errors read as `foresight validate` prints
//!   them, Ctrl-C stops a run, and the EMA Workbench connector gives the
//!   command line's outcomes for the same samples, and PRIM the same boxes;
//! - the EMA example (`python/examples/ema_bundled.py`) on the bundled
//!   experiment.
//!
//! Skipped, with a message saying so, only when the registry cannot be
//! reached.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const OFFLINE: [&str; 6] = [
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "Could not fetch URL",
];

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let o = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed:\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

/// The virtual environment's Python with the package installed, or None
/// (after saying why) when the registry cannot be reached.
fn python() -> Option<PathBuf> {
    static PY: OnceLock<Option<PathBuf>> = OnceLock::new();
    PY.get_or_init(|| {
        let requirements = root().join("python/tests/requirements.txt");
        let wanted = std::fs::read_to_string(&requirements).unwrap();
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let venv = tmp.join("python-venv");
        let py = venv.join("bin/python");
        let stamp = venv.join("requirements.txt");
        if !(py.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&wanted)) {
            let system = std::env::var("FORESIGHT_PYTHON").unwrap_or_else(|_| "python3".into());
            let _ = std::fs::remove_dir_all(&venv);
            run(
                Command::new(&system).args(["-m", "venv"]).arg(&venv),
                &format!("{system} -m venv (set FORESIGHT_PYTHON)"),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let pip = run(
                Command::new(&py)
                    .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
                    .arg(&requirements),
                "pip install -r python/tests/requirements.txt",
            );
            if let Err(e) = pip {
                if OFFLINE.iter().any(|s| e.contains(s)) {
                    eprintln!("SKIPPED: the Python package's tests need the package registry, which cannot be reached:\n{e}");
                    let _ = std::fs::remove_dir_all(&venv);
                    return None;
                }
                panic!("{e}");
            }
            std::fs::write(&stamp, &wanted).unwrap();
        }
        // The package itself, built from this checkout every time (cargo
        // rebuilds only what changed).
        run(
            Command::new(&py)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-build-isolation",
                    "--force-reinstall",
                    "--no-deps",
                ])
                .arg(root().join("python"))
                // maturin's build backend runs the `maturin` the venv holds.
                .env("PATH", path_with(&venv.join("bin")))
                // The repository's target folder (release profile): `cargo
                // test` locks only its debug profile there, and the command
                // line's release build shares the dependencies.
                .env("CARGO_TARGET_DIR", tmp.parent().expect("target/tmp")),
            "pip install ./python",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        Some(py)
    })
    .clone()
}

/// PATH with `dir` first.
fn path_with(dir: &Path) -> std::ffi::OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest)))
        .expect("a PATH")
}

fn python_command(py: &Path) -> Command {
    let mut c = Command::new(py);
    c.current_dir(root())
        .env("FORESIGHT_BIN", env!("CARGO_BIN_EXE_foresight"))
        .env("PYTHONHASHSEED", "0")
        // Not the checkout's python/foresight: the installed package.
        .env_remove("PYTHONPATH");
    c
}

#[test]
fn the_python_packages_tests_pass() {
    let Some(py) = python() else { return };
    run(
        python_command(&py)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .arg(root().join("python/tests")),
        "pytest python/tests",
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_ema_example_runs_on_the_bundled_experiment() {
    let Some(py) = python() else { return };
    run(
        python_command(&py).arg(root().join("python/examples/ema_bundled.py")),
        "python/examples/ema_bundled.py",
    )
    .unwrap_or_else(|e| panic!("{e}"));
}
