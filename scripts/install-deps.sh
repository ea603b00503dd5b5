#!/usr/bin/env bash
# Installs the system libraries rollup-node links against (Debian package names).
# Idempotent: does nothing when everything is already present.
set -euo pipefail
# prometheus: the end-to-end metrics test starts a real Prometheus server that scrapes the node.
# libzstd-dev: Scroll's L1 data fee needs the zstd-compressed size of each transaction.
PKGS=(libsecp256k1-dev librocksdb-dev libcurl4-openssl-dev libzstd-dev pkg-config prometheus)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
# The end-to-end tests use Python virtual environments (Debian splits venv/ensurepip out).
if ! command -v python3 >/dev/null || ! python3 -c "import venv, ensurepip" 2>/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing: python3 python3-venv"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 python3-venv
fi
command -v swift >/dev/null || { echo "error: the Swift 6 toolchain is not on PATH (swift --version)" >&2; exit 1; }
