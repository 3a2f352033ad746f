#!/usr/bin/env bash
# Where the time goes: a sampling profile with perf (cpu-clock, call graphs through frame pointers).
#
#   scripts/bench/profile.sh import [--rows N]     bdscheck refresh of a generated export (default 100,000 rows)
#   scripts/bench/profile.sh cli [--store PATH]    40 cold `bdscheck CODE --store STORE` runs (start-up included)
#
# Prints the top functions by inclusive cost, by self cost, and self cost per library (Swift names
# demangled); keeps perf.data under out/bench/perf.WHAT.data for `perf report -i`.
#
# Why not callgrind: valgrind 3.19 (Debian 12) cannot run the bdscheck binary. It rejects swiftc's
# DWARF 5 ("unhandled dwarf2 abbrev form code 0x25 … Possibly corrupted debuginfo file"), and with the
# debug sections stripped it still dies inside valgrind (SIGSEGV, "the 'impossible' happened") even
# with --tool=none, while a small Swift program with Foundation runs under it. The hardware counters
# are not exposed to this VM (`perf stat -e instructions true` says "not supported"), so the sampling
# clock is cpu-clock: percentages are stable from run to run, seconds are not.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

WHAT="${1:-import}"; shift || true
ROWS=100000
STORE="$OUT/off.sqlite"
LIMIT=2
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --store) STORE="$2"; shift 2 ;;
        --limit) LIMIT="$2"; shift 2 ;;
        *) die "unknown argument $1" ;;
    esac
done
command -v perf >/dev/null || need perf linux-perf
build_main
DATAFILE="$OUT/perf.$WHAT.data"

case "$WHAT" in
    import)
        TSV="$(tsv_for "$ROWS" 1)"
        DATA="$(mktemp -d "$OUT/data-XXXXXX")"
        trap 'rm -rf "$DATA"' EXIT
        off_data_dir "$DATA" "$TSV"
        rm -f "$OUT/profile.sqlite"
        say "perf: bdscheck refresh of $ROWS rows…"
        perf record -e cpu-clock -F 2000 -g -o "$DATAFILE" \
            "$BIN" refresh --data "$DATA" --store "$OUT/profile.sqlite" >"$OUT/perf.$WHAT.log" 2>&1 \
            || { tail -5 "$OUT/perf.$WHAT.log" >&2; die "the profiled run failed"; }
        rm -f "$OUT/profile.sqlite" "$OUT/profile.sqlite.prev"
        COMMS=()
        ;;
    cli)
        [ -s "$STORE" ] || die "no store at $STORE: run scripts/bench/import.sh first"
        CODE=$(sqlite3 "$STORE" "SELECT printf('%013d', gtin) FROM product WHERE brand_id IN (SELECT owned_id FROM ownership)
            AND gtin BETWEEN 3000000000000 AND 3799999999999 ORDER BY gtin LIMIT 1 OFFSET 1000")
        say "perf: 40 × bdscheck $CODE --store $STORE…"
        perf record -e cpu-clock -F 5000 -g -o "$DATAFILE" -- \
            bash -c "for i in \$(seq 40); do '$BIN' $CODE --store '$STORE' >/dev/null; done" >"$OUT/perf.$WHAT.log" 2>&1 || true
        COMMS=(--comms "bdscheck,oot.default-qos")  # the main thread and the dispatch thread running the command
        ;;
    *) die "profile what? import or cli" ;;
esac

clean() { grep '%' | grep -v '^#' | swift demangle --simplified | sed -E 's/ {3,}/  /g; s/  -  -  $//' | cut -c1-190; }
echo "== perf, $WHAT: $(perf report -i "$DATAFILE" --stdio --header-only 2>/dev/null | awk '/sample duration/ {print}' | head -1)"
echo "-- inclusive (children) ≥ $LIMIT %, then self --"
perf report -i "$DATAFILE" --stdio --children "${COMMS[@]}" --sort symbol -g none --percent-limit "$LIMIT" 2>/dev/null | clean
echo "-- self time by library --"
perf report -i "$DATAFILE" --stdio --no-children "${COMMS[@]}" --sort dso -g none --percent-limit 0.5 2>/dev/null | clean
echo "-- self time by function ≥ 1 % --"
perf report -i "$DATAFILE" --stdio --no-children "${COMMS[@]}" --sort dso,symbol -g none --percent-limit 1 2>/dev/null | clean
echo "(perf data: $DATAFILE)"
