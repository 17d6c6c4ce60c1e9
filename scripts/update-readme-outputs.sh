#!/usr/bin/env bash
# Write the README's example outputs (the blocks after `<!-- output: … -->`
# and `<!-- sizes: … -->` markers) from a fresh run of each command, in
# the test profile, which is optimised (opt-level 3). The test
# tests/readme_outputs.rs compares the same blocks in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
FORESIGHT_UPDATE_README=1 cargo test --test readme_outputs -- the_readme_shows_what_the_commands_print
git --no-pager diff --stat README.md
