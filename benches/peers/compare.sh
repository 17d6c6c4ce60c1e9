#!/usr/bin/env bash
# foresight against its Mesa peer, on one core: person-weeks per second of
# each, their ratio, and a headline-by-headline agreement table.
#
#   benches/peers/compare.sh [--horizon WEEKS] [--reps N] [--rust-reps N]
#                            [--seed S] [--scenario FILE] [--work DIR]
#
# The same settings may be given as HORIZON, REPS, RUST_REPS, SEED, SCENARIO
# and WORK in the environment. Defaults: scenarios/baseline.yaml at its own
# horizon (260 weeks), 5 replications on each side, seed 1. A Mesa baseline
# replication of 260 weeks takes about a minute and a half of CPU; a shorter
# horizon (e.g. --horizon 104) applies to both sides alike.
#
# Exits non-zero if an indicator named in the issue disagrees.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

MESA_VERSION=3.3.1
PYYAML_VERSION=6.0.3
SCENARIO="${SCENARIO:-scenarios/baseline.yaml}"
HORIZON="${HORIZON:-}"
REPS="${REPS:-5}"
RUST_REPS="${RUST_REPS:-}"
SEED="${SEED:-1}"
WORK="${WORK:-}"

while [ $# -gt 0 ]; do
    case "$1" in
        --horizon) HORIZON="$2"; shift 2 ;;
        --reps) REPS="$2"; shift 2 ;;
        --rust-reps) RUST_REPS="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --scenario) SCENARIO="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
RUST_REPS="${RUST_REPS:-$REPS}"

# The peer's environment: Mesa pinned to the version measured in README.md.
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import mesa, yaml, sys; sys.exit(mesa.__version__ != '$MESA_VERSION')" 2>/dev/null; then
    "$venv/bin/pip" install --quiet "mesa==$MESA_VERSION" "pyyaml==$PYYAML_VERSION"
fi

nice -n 10 cargo build --release --quiet
# cargo honours CARGO_TARGET_DIR; the binary is where it put it.
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac

# Both sides read the same file; a horizon override is written into a copy.
if [ -z "$WORK" ]; then
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/foresight-vs-mesa.XXXXXX")"
fi
mkdir -p "$WORK"
scenario="$WORK/scenario.yaml"
if [ -n "$HORIZON" ]; then
    sed "s/^horizon_weeks:.*/horizon_weeks: $HORIZON/" "$SCENARIO" > "$scenario"
    grep -q "^horizon_weeks: $HORIZON\$" "$scenario" || { echo "could not set the horizon in $SCENARIO" >&2; exit 2; }
else
    cp "$SCENARIO" "$scenario"
fi

exec nice -n 10 "$venv/bin/python" "$here/compare.py" \
    --scenario "$scenario" --reps "$REPS" --rust-reps "$RUST_REPS" --seed "$SEED" \
    --foresight "$target/release/foresight" --work "$WORK"
