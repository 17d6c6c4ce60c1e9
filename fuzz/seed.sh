#!/bin/sh
# Seed the fuzz corpus (fuzz/corpus/load, not committed) from the bundled
# scenarios and the corpus of broken inputs. Run from the repository root.
set -eu
mkdir -p fuzz/corpus/load
for f in scenarios/*.yaml tests/bad_inputs/*.yaml; do
    # Alias bombs and 10^5 configurations take seconds each under coverage
    # instrumentation and would take most of the fuzzing time;
    # tests/bad_inputs covers them.
    case "$f" in *laughs*|*hundred_thousand*) continue ;; esac
    cp "$f" "fuzz/corpus/load/$(basename "$f")"
done
echo "seeded fuzz/corpus/load with $(ls fuzz/corpus/load | wc -l) files"
