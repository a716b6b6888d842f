#!/usr/bin/env bash
# The report as a reader sees it: a small sweep (two solvers, k = 3 and 4, standardised data, two
# seeds) and a single run are reported with --plots, and each index.html is opened in headless
# Chromium at 1400 x 900. The page's own probe (index.html?kaa-check writes what it measured into
# the title) must report no horizontal overflow, every image loaded and the summary's first numeric
# column on screen. Screenshots stay in OUT_DIR for a human to look at.
# Usage: report_browser_test.sh KAA_BINARY SOURCE_DIR OUT_DIR
set -euo pipefail
kaa=$1
src=$2
out=$3

browser=${KAA_CHROMIUM:-}
if [ -z "$browser" ]; then
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null; then
      browser=$(command -v "$name")
      break
    fi
  done
fi
if [ -z "$browser" ]; then
  echo "report_browser_test: FAILED: no Chromium found (looked for chromium, chromium-browser," \
    "google-chrome on PATH and \$KAA_CHROMIUM);" \
    "install Debian's package: apt-get install chromium" >&2
  exit 1
fi

die() {  # die LOG WHAT
  cat "$1" >&2
  echo "report_browser_test: FAILED: $2" >&2
  exit 1
}

rm -rf "$out"
mkdir -p "$out"
src=$(cd "$src" && pwd)
cat >"$out/browser_check.json" <<JSON
{
  "name": "browser_check",
  "configs": ["$src/configs/als.json", "$src/configs/active_set.json"],
  "datasets": {"syn": {"type": "synthetic", "n": 300, "d": 6, "n_archetypes": 4, "noise": 0.05,
                       "seed": 0}},
  "seeds": [0, 1],
  "set": {"/model/normalize": true,
          "/metrics": ["rss", "explained_variance", "recovery_error", "weight_entropy",
                       "archetype_separation"]},
  "axes": [{"grid": {"/model/n_archetypes": [3, 4]}}]
}
JSON

export OMP_PROC_BIND=false OMP_WAIT_POLICY=passive
"$kaa" sweep "$out/browser_check.json" --out "$out/sweep" --threads 2 --plots --quiet \
  >"$out/sweep.log" 2>&1 || die "$out/sweep.log" "kaa sweep"
"$kaa" fit "$src/configs/als.json" --set /model/normalize=true --out "$out/run" --save-data \
  --threads 2 >"$out/fit.log" 2>&1 || die "$out/fit.log" "kaa fit"
"$kaa" report "$out/run" --plots >"$out/run_report.log" 2>&1 ||
  die "$out/run_report.log" "kaa report on a run folder"

python=/usr/bin/python3
[ -x "$python" ] || python=python3
failed=0
check_page() {  # check_page NAME FOLDER
  local name=$1 page=$2/index.html profile
  profile=$(mktemp -d)
  local flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
    --user-data-dir="$profile" --window-size=1400,900)
  timeout 120 "$browser" "${flags[@]}" --screenshot="$out/$name.png" "file://$page" \
    >"$out/$name.chromium.log" 2>&1 || true
  timeout 120 "$browser" "${flags[@]}" --virtual-time-budget=10000 --dump-dom \
    "file://$page?kaa-check" >"$out/$name.dom.html" 2>>"$out/$name.chromium.log" || true
  rm -rf "$profile"
  if [ ! -s "$out/$name.png" ]; then
    echo "report_browser_test: FAILED: $name: no screenshot (see $out/$name.chromium.log)" >&2
    failed=1
  fi
  "$python" - "$out/$name.dom.html" "$name" <<'PY' || failed=1
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8", errors="replace").read()
m = re.search(r"<title>KAA-CHECK (.*?)</title>", dom, re.S)
if not m:
    sys.exit(f"report_browser_test: FAILED: {sys.argv[2]}: the page's probe did not run "
             f"(no KAA-CHECK title in {sys.argv[1]})")
r = json.loads(html.unescape(m.group(1)))
problems = []
if r["scroll_width"] > r["width"]:
    problems.append(f"horizontal overflow: the page is {r['scroll_width']} px wide "
                    f"at {r['width']} px")
if r["images"] == 0:
    problems.append("no figures on the page")
if r["broken"]:
    problems.append("images that did not load: " + ", ".join(r["broken"]))
if not r["first_numeric_visible"]:
    problems.append(f"the summary's first numeric column ({r['first_numeric']}) is not on screen "
                    f"(right edge {r['first_numeric_right']} px)")
for p in problems:
    print(f"report_browser_test: FAILED: {sys.argv[2]}: {p}", file=sys.stderr)
print(f"report_browser_test: {sys.argv[2]}: {r}")
sys.exit(1 if problems else 0)
PY
}
check_page sweep "$out/sweep"
check_page run "$out/run"
grep -q "rss_fitted" "$out/sweep/summary.csv" ||
  { echo "report_browser_test: FAILED: summary.csv has no rss_fitted column" >&2; failed=1; }
grep -q "RSS (fitted space)" "$out/sweep/index.html" ||
  { echo "report_browser_test: FAILED: the summary does not lead with RSS (fitted space)" >&2
    failed=1; }
echo "report_browser_test: screenshots in $out (sweep.png, run.png)"
exit "$failed"
