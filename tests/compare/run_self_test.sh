#!/usr/bin/env sh
# CTest entry of the comparison harness' self-test: its common RSS must agree with kaa's rss metric
# (benchmarks/compare/compare.py --self-test). Needs a python3 with numpy; without one the test
# reports itself skipped (exit 77) instead of passing silently.
#   run_self_test.sh KAA_BINARY
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c "import numpy" >/dev/null 2>&1; then
    exec "$py" "$here/../../benchmarks/compare/compare.py" --self-test --kaa "$1"
  fi
done
echo "skipped: no python3 with numpy"
exit 77
