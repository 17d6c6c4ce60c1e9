#!/usr/bin/env bash
# Browser test of the HTML report: render the bundled experiment's report,
# open it in Debian's Chromium headless, take a screenshot, and fail if the
# page logged an error or the screenshot is blank; then, at 1400 and 420 px
# wide, fail if any element reaches past the edge of the page outside a box
# that scrolls (tests/browser/overflow.html), and take a screenshot at 420
# px; the same for a scenario run with regions and a start date, whose heat
# map must be the wide one at 1400 px and a list at 420 px. With --update,
# keep the screenshot as docs/report.png (shown in the README).
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

# check_widths FOLDER HEAT_AT_1400 HEAT_AT_420: nothing clipped at 1400 and
# 420 px in FOLDER's report, and the heat map in the form expected at each
# width (wide, list, or none for a folder without regional rows).
check_widths() {
  local dir=$1 heat_wide=$2 heat_narrow=$3
  cp tests/browser/overflow.html "$dir/overflow.html"
  for width in 1400 420; do
    # The window is a little wider than the frame (Chromium's minimum is 500).
    timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --disable-quic --user-data-dir="$profile" --allow-file-access-from-files \
      --window-size=$((width > 500 ? width + 20 : 520)),2600 \
      --dump-dom "file://$dir/overflow.html#$width" \
      > "$work/dom-$width.html" 2> "$work/chromium-$width.log" \
      || { cat "$work/chromium-$width.log"; echo "FAIL: chromium failed at $width px"; exit 1; }
    python3 - "$work/dom-$width.html" "$width" "$([ "$width" = 1400 ] && echo "$heat_wide" || echo "$heat_narrow")" <<'PY'
import html, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="overflow-report">(.*?)</pre>', text, re.S)
if not m:
    raise SystemExit(f"FAIL: the width check did not run at {sys.argv[2]} px")
report = html.unescape(m.group(1))
print(f"{sys.argv[2]} px: {report}")
if not report.split("\n")[0].endswith(": 0"):
    raise SystemExit(f"FAIL: content is clipped at {sys.argv[2]} px")
if f"heat map: {sys.argv[3]}" not in report:
    raise SystemExit(f"FAIL: at {sys.argv[2]} px the heat map should show as: {sys.argv[3]}")
PY
  done
}

echo "== the experiment's report: nothing clipped at 1400 and 420 px (its summary is national: no heat map)"
check_widths "$work/out" none none
echo "== a scenario run's report (regional summary, a start date): nothing clipped, the heat map wide at 1400 px and a list at 420 px"
cargo run --release -q -- run scenarios/germany_2015.yaml --replications 1 --out "$work/germany" --report > "$work/germany.txt"
check_widths "$work/germany" wide list
grep -q 'date (ticks on the first of the month)' "$work/germany/report.html" \
  || { echo "FAIL: the start date does not reach the report's time axis"; exit 1; }
timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-quic --user-data-dir="$profile" --allow-file-access-from-files \
  --window-size=520,2600 --screenshot="$work/report-420.png" \
  "file://$work/out/overflow.html#420" 2> "$work/chromium-shot.log" \
  || { cat "$work/chromium-shot.log"; echo "FAIL: chromium failed"; exit 1; }
python3 tests/browser/check_png.py "$work/report-420.png"
if [ "${1:-}" = "--update" ]; then
  cp "$work/report.png" docs/report.png
  echo "docs/report.png updated"
fi
echo "browser test passed"
