#!/usr/bin/env bash
# Installs kaa's build and test dependencies from Debian's packages (bookworm).
set -euo pipefail
packages=(cmake g++ make git ca-certificates xz-utils dpkg-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  libboost-dev libboost-program-options-dev libboost-log-dev libopenmpi-dev openmpi-bin libopenblas-dev
  libboost-iostreams-dev libhdf5-dev python3 python3-numpy python3-matplotlib python3-venv python3-dev chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install_deps: all Debian packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
