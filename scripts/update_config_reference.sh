#!/usr/bin/env bash
# Regenerates the config reference in docs/CONFIG_REFERENCE.md from the strategies' schemas
# (kaa list --markdown), between its BEGIN/END markers.
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/CONFIG_REFERENCE.md
python3 - "${KAA:-build/kaa}" "$doc" <<'PY'
import subprocess, sys
kaa, doc = sys.argv[1], sys.argv[2]
reference = subprocess.run([kaa, "list", "--markdown"], check=True,
                           capture_output=True, text=True).stdout
begin, end = "<!-- BEGIN kaa list --markdown -->\n", "<!-- END kaa list --markdown -->"
text = open(doc).read()
b, e = text.index(begin), text.index(end)
open(doc + ".tmp", "w").write(text[: b + len(begin)] + reference + text[e:])
PY
mv "$doc.tmp" "$doc"
