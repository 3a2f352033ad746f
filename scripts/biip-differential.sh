#!/usr/bin/env bash
# Differential test of the barcode reader against biip 5.2.0 (PyPI, pinned) over generated codes in
# every form; see scripts/biip-differential.py for what is compared and the allow-list.
#
#   BDSCHECK=path/to/bdscheck scripts/biip-differential.sh [--count N] [--seed N]
#
# BDSCHECK defaults to the debug build. The virtualenv is made once in .build/biip-venv (or
# $BIIP_VENV). A store is built from the test fixture (the answers compared do not depend on it).
set -euo pipefail
cd "$(dirname "$0")/.."

BDSCHECK="${BDSCHECK:-$(swift build --show-bin-path)/bdscheck}"
VENV="${BIIP_VENV:-.build/biip-venv}"
[ -x "$BDSCHECK" ] || { echo "biip-differential: $BDSCHECK is not built (swift build)" >&2; exit 1; }

if ! "$VENV/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("biip") != "5.2.0")' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check biip==5.2.0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$BDSCHECK" refresh --data Tests/BDSCheckTests/Fixtures/project --store "$work/store.sqlite" >/dev/null 2>&1
"$VENV/bin/python" scripts/biip-differential.py --bdscheck "$BDSCHECK" --store "$work/store.sqlite" "$@"
