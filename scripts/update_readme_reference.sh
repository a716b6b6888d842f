#!/usr/bin/env bash
# Regenerates the config reference in README.md from the strategies' schemas (kaa list --markdown).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - "${KAA:-build/kaa}" <<'PY'
import subprocess, sys
reference = subprocess.run([sys.argv[1], "list", "--markdown"], check=True,
                           capture_output=True, text=True).stdout
begin, end = "<!-- BEGIN kaa list --markdown -->\n", "<!-- END kaa list --markdown -->"
text = open("README.md").read()
b, e = text.index(begin), text.index(end)
open("README.md.tmp", "w").write(text[: b + len(begin)] + reference + text[e:])
PY
mv README.md.tmp README.md
