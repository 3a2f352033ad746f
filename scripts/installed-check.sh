#!/usr/bin/env bash
# The installed layout against the debug build: installs with scripts/install.sh into a scratch
# prefix, then asks both the same questions and fails on any difference in output or exit status.
#
#   scripts/installed-check.sh [--prefix DIR]      (DIR defaults to out/install)
#
# What it holds: the installed `bdscheck` is the lean executable, linked statically in release
# (Package.swift, `leanLinkerSettings`); it answers the plain check itself, from the store built at
# install time, and hands everything else (`--version`, `search`, `--help`) to `bdscheck-full`.
# Its answers must be the debug build's, byte for byte, in text and JSON, in several languages,
# one query or a batch. Needs a debug build first (`swift build`).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="$ROOT/out/install"
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "installed-check.sh: unknown argument $1" >&2; exit 64 ;;
    esac
done
cd "$ROOT"
DEBUG="$(swift build --show-bin-path)/bdscheck"
[ -x "$DEBUG" ] || { echo "installed-check.sh: no debug build at $DEBUG (run swift build)" >&2; exit 1; }
"$ROOT/scripts/install.sh" --prefix "$PREFIX"
INSTALLED="$PREFIX/bin/bdscheck"
LIB="$PREFIX/lib/bdscheck"
STORE="$LIB/.bdscheck/store.sqlite"
[ -s "$STORE" ] || { echo "installed-check.sh: install.sh built no store at $STORE" >&2; exit 1; }

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Statically linked: no dynamic loader, no shared objects (the reason for the lean link).
if readelf -l "$LIB/bdscheck" | grep -q "Requesting program interpreter"; then
    fail "the installed lean executable is dynamically linked"
fi

# Runs both on the same arguments (and standard input, when given as a file); compares output and status.
same() {  # same INPUT-FILE-OR-EMPTY ARGS…
    local input="$1"; shift
    local a b sa=0 sb=0
    if [ -n "$input" ]; then
        a="$("$INSTALLED" "$@" <"$input" 2>&1)" || sa=$?
        b="$("$DEBUG" "$@" <"$input" 2>&1)" || sb=$?
    else
        a="$("$INSTALLED" "$@" </dev/null 2>&1)" || sa=$?
        b="$("$DEBUG" "$@" </dev/null 2>&1)" || sb=$?
    fi
    if [ "$a" != "$b" ] || [ "$sa" != "$sb" ]; then
        fail "bdscheck $* — installed (status $sa) and debug (status $sb) differ"
        diff <(echo "$a") <(echo "$b") | head -20 >&2 || true
    else
        echo "same: bdscheck $* (status $sa)"
    fi
}

# With the installed store given to both, so both read the same data.
for query in 7290011498382 7290011498383 sabra sabr "coca cola" strauss "no such brand at all" 0; do
    same "" "$query" --store "$STORE"
    same "" "$query" --store "$STORE" --json
done
same "" sabra --store "$STORE" --lang ar
same "" 7290011498382 --store "$STORE" --lang ur --json --pretty
same "" 7290011498382 sabra --store "$STORE" --lang tr
batch="$(mktemp)"
trap 'rm -f "$batch"' EXIT
printf '7290011498382\nsabra\n\n]E09012345678905\nno such brand\n' >"$batch"
same "$batch" --batch --store "$STORE"
# Handed to the full executable: the same words as the debug build gives.
same "" --version
same "" search sabra --store "$STORE"
same "" check --store "$STORE" refresh
# Usage errors are the full executable's (ArgumentParser's words and status 64).
same "" --json
# The installed store, found by the installed executable on its own (its data folder beside it).
status=0
"$INSTALLED" 7290011498382 >/dev/null || status=$?
[ "$status" -eq 12 ] || fail "installed bdscheck 7290011498382 exited with $status, expected 12 (hint only)"

if [ "$failures" -gt 0 ]; then
    echo "installed-check.sh: $failures difference(s)" >&2
    exit 1
fi
echo "installed-check.sh: the installed executables answer as the debug build does"
