//! Fuzz target: scenario and experiment files, from bytes to a validated
//! experiment, by the same path as `foresight validate` and `foresight run`
//! (`foresight::experiment::parse_str`, which `load` calls after reading the
//! file), and the messages printed for them.
//!
//! Any panic, overflow (debug assertions are on), timeout or allocation
//! beyond the limit given to libFuzzer is a finding. See docs/fuzzing.md.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use foresight::experiment::{self, Overrides};
use libfuzzer_sys::fuzz_target;

/// A folder holding the world files that experiment inputs may name:
/// `00_valid_world.yaml` (the corpus's experiments) and `baseline.yaml`
/// (the bundled experiment).
fn world_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("foresight-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the world folder");
        for (name, text) in [
            (
                "00_valid_world.yaml",
                include_str!("../../tests/bad_inputs/00_valid_world.yaml"),
            ),
            (
                "baseline.yaml",
                include_str!("../../scenarios/baseline.yaml"),
            ),
        ] {
            std::fs::write(dir.join(name), text).expect("write a world file");
        }
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    // Bytes that are not UTF-8 are refused by `read_text` before parsing
    // (covered by tests/bad_inputs); the parser itself takes text.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A world file may be any path: keep the fuzzer away from devices and
    // the process's own files, which could block (a terminal) rather than
    // fail. Reading /dev/zero is covered by tests/bad_inputs.
    let reads_devices = ["/dev", "/proc", "/sys"].iter().any(|p| text.contains(p));
    if !reads_devices {
        let result = experiment::parse_str(text, "fuzz.yaml", world_dir(), &Overrides::default());
        if let Err(d) = result {
            // The message is part of the contract: format it too.
            let _ = d.to_string();
        }
    }
    // The scenario parser alone, whatever the top-level keys.
    if let Err(d) = foresight::scenario::parse_str(text, "fuzz.yaml") {
        let _ = d.to_string();
    }
});
