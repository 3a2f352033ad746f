#!/usr/bin/env bash
# Crash safety of `bdscheck refresh`: SIGKILL at random moments, 20 times, with a server under load.
#
#   scripts/reliability/crash-refresh.sh [--rows N] [--kills K] [--seed S]
#                                        (default 500,000 rows, 20 kills, seed 1)
#
# Generates two Open Food Facts-shaped exports of N rows (scripts/bench/gen-off.py, seeds 11 and 12)
# and runs scripts/reliability/crash_refresh.py (see there for every check): after each kill the live
# store passes PRAGMA integrity_check, holds exactly the old or the new content, leaves no pile of
# temporary files, and a running `bdscheck serve` (reloaded each time) answers from it; the server
# answers every request of a continuous load during the whole run. Work files: out/reliability/crash/.
# env: BDSCHECK=path to a bdscheck binary (default: a release build of this checkout)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROWS=500000
KILLS=20
SEED=1
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --kills) KILLS="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
done
WORK="$OUT/crash"
mkdir -p "$WORK"
bdscheck_binary
for s in 11 12; do
    f="$WORK/off-$ROWS-s$s.tsv"
    if [ ! -s "$f" ] || [ "$ROOT/scripts/bench/gen-off.py" -nt "$f" ]; then
        say "generating $ROWS rows (seed $s) → $f…"
        python3 "$ROOT/scripts/bench/gen-off.py" --rows "$ROWS" --seed "$s" >"$f.part" && mv "$f.part" "$f"
    fi
done
say "bdscheck: $BDSCHECK ($(cat "$(dirname "$BDSCHECK")/VERSION" 2>/dev/null || echo 'given'))"
exec python3 "$REL/crash_refresh.py" --bdscheck "$BDSCHECK" --definition "$ROOT/importers/90-open-food-facts.toml" \
    --old "$WORK/off-$ROWS-s11.tsv" --new "$WORK/off-$ROWS-s12.tsv" --work "$WORK/run" --kills "$KILLS" --seed "$SEED"
