#!/usr/bin/env bash
# Interleaved A/B timing of builds of the replication bench, for a machine
# whose speed drifts (docs/performance.md): each round runs every binary
# once, in turn, and the readings of each are printed sorted (the fastest
# first). Judge a change by the fastest and the median of several rounds,
# never by runs of the two builds minutes apart.
#
#   benches/ab.sh ROUNDS BINARY...
#
# A BINARY is a build of benches/replication.rs, e.g. a copy of
# target/release/deps/replication-<hash> saved before and after a change.
# Each run is FORESIGHT_BENCH_REPS (default 3) baseline replications,
# without the large scenario; run from the repository's root (the bench
# reads scenarios/baseline.yaml).
set -euo pipefail
if [ $# -lt 2 ]; then
    sed -n '2,14p' "$0"
    exit 2
fi
rounds=$1
shift
declare -A readings
for _ in $(seq "$rounds"); do
    for bin in "$@"; do
        ns=$(FORESIGHT_BENCH_REPS="${FORESIGHT_BENCH_REPS:-3}" FORESIGHT_BENCH_LARGE=0 "$bin" --bench \
            | awk '$1 == "ns/person-week" { print $2 }')
        readings[$bin]="${readings[$bin]:-} $ns"
    done
done
for bin in "$@"; do
    echo "$bin: $(echo ${readings[$bin]} | tr ' ' '\n' | sort -n | tr '\n' ' ')ns per person-week"
done
