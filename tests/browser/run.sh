#!/usr/bin/env bash
# Browser test of the HTML report: render the bundled experiment's report,
# open it in Debian's Chromium headless, take a screenshot, and fail if the
# page logged an error or the screenshot is blank. With --update, keep the
# screenshot as docs/report.png (shown in the README).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
chromium --version

work=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$work" "$profile"' EXIT

echo "== the bundled experiment, one replication, with its report"
cargo run --release -q -- run scenarios/experiment.yaml --replications 1 --out "$work/out" --report > "$work/run.txt"
report="$work/out/report.html"
test -s "$report"
size=$(stat -c %s "$report")
echo "report.html: $size bytes"
if [ "$size" -ge $((5 * 1024 * 1024)) ]; then
  echo "FAIL: the report is $size bytes, over 5 MB"; exit 1
fi

echo "== headless chromium"
timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-quic --user-data-dir="$profile" --enable-logging=stderr --v=0 \
  --window-size=1400,2600 --screenshot="$work/report.png" "file://$report" \
  2> "$work/chromium.log" || { cat "$work/chromium.log"; echo "FAIL: chromium failed"; exit 1; }
# Console messages and failed loads of the page itself are errors; the
# browser's own start-up noise (dbus, GPU) is not.
if grep -E 'CONSOLE|Failed to load resource|Uncaught|net::ERR_' "$work/chromium.log"; then
  echo "FAIL: the page logged an error"; exit 1
fi
python3 tests/browser/check_png.py "$work/report.png"
if [ "${1:-}" = "--update" ]; then
  cp "$work/report.png" docs/report.png
  echo "docs/report.png updated"
fi
echo "browser test passed"
