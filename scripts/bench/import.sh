#!/usr/bin/env bash
# Bulk import of a generated Open Food Facts export: bdscheck's full pipeline against sqlite3's
# own bulk loader, in the same run, on the same file.
#
#   scripts/bench/import.sh [--rows N] [--seed S] [--brands B] [--self-owned F] [--no-baseline] [--with-shipped]
#                           (default 1,000,000 rows, seed 1, 5,000 brands, no self-owned brands)
#
# (a) baseline: sqlite3 CLI `.mode tabs` + `.import FILE t` + `CREATE INDEX … ON t(code)` into a fresh db;
#     also `.mode ascii` with TAB/LF separators, which reads no quotes and so stores every row
# (b) bdscheck refresh --data TMP --store out/bench/off.sqlite, where TMP/importers holds only a copy of
#     importers/90-open-food-facts.toml pointed at the file (parse, normalise GTINs, link brands and
#     owners, indexes, search index). With --with-shipped, TMP also holds copies of importers/ and
#     datasets/: the shipped data (listings, curated companies and ownership, same-as and not-same
#     rules) is built first and the export is linked against it, as in a real refresh.
# Both under /usr/bin/time -v: wall time and peak RSS. Results also go to out/bench/results/import-N.env.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROWS=1000000
SEED=1
STORE=""
GEN=()
BASELINE=1
SHIPPED=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --store) STORE="$2"; shift 2 ;;
        --brands|--self-owned) GEN+=("$1" "$2"); shift 2 ;;
        --no-baseline) BASELINE=0; shift ;;
        --with-shipped) SHIPPED=1; shift ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
done
STORE="${STORE:-$OUT/off.sqlite}"
if [ "$STORE" = "$OUT/off.sqlite" ] && { [ "$ROWS" != 1000000 ] || [ ${#GEN[@]} -gt 0 ]; }; then
    SUFFIX=""
    [ ${#GEN[@]} -gt 0 ] && SUFFIX="$(printf -- '-%s' "${GEN[@]}" | tr -c 'A-Za-z0-9.-' '_' | sed 's/--*/-/g')"
    STORE="$OUT/off-$ROWS$SUFFIX.sqlite"
fi

need sqlite3 sqlite3
[ -x /usr/bin/time ] || need /usr/bin/time time
build_main

TSV="$(tsv_for "$ROWS" "$SEED" "${GEN[@]}")"
TSV_BYTES=$(stat -c %s "$TSV")
LABEL="$(basename "$STORE" .sqlite)"
RES="$RESULTS/import-$LABEL.env"
: >"$RES"
record "$RES" rows "$ROWS" seed "$SEED" generator "${GEN[*]:-}" tsv "$TSV" tsv_bytes "$TSV_BYTES" bdscheck_version "$(cat "$OUT/bin/VERSION" 2>/dev/null)" \
    with_shipped "$SHIPPED"

# The temporary data folder: the OFF definition reading the local file (alone, or after the shipped data).
DATA="$(mktemp -d "$OUT/data-XXXXXX")"
trap 'rm -rf "$DATA"' EXIT
if [ "$SHIPPED" = 1 ]; then
    cp -r "$ROOT/importers" "$ROOT/datasets" "$DATA/"
fi
off_data_dir "$DATA" "$TSV"

warm() { cat "$TSV" >/dev/null; }  # both runs start with the file in the page cache

# (a) sqlite3 baselines: the issue's (.mode tabs) and a correct-parse one (.mode ascii with TAB/LF
# separators reads no quotes, so every row arrives).
sqlite_import() {  # sqlite_import NAME MODE-COMMANDS → sets W (wall s), R (peak RSS kB), Z (size), N (rows), E (stderr lines)
    local name="$1" mode="$2" db="$OUT/sqlite-$1-$LABEL.db"
    rm -f "$db"
    warm
    say "(a) sqlite3 .import ($name) of $ROWS rows…"
    printf '%s\n.import %s t\nCREATE INDEX t_code ON t(code);\n' "$mode" "$TSV" \
        | /usr/bin/time -v -o "$OUT/time-sqlite-$name-$LABEL.txt" sqlite3 "$db" 2>"$OUT/sqlite-$name-$LABEL.stderr" \
        || say "  (sqlite3 exited non-zero; see $OUT/sqlite-$name-$LABEL.stderr)"
    W=$(time_wall "$OUT/time-sqlite-$name-$LABEL.txt")
    R=$(time_rss "$OUT/time-sqlite-$name-$LABEL.txt")
    C=$(time_cpu "$OUT/time-sqlite-$name-$LABEL.txt")
    Z=$(stat -c %s "$db")
    N=$(sqlite3 "$db" 'SELECT count(*) FROM t')
    E=$(grep -c . "$OUT/sqlite-$name-$LABEL.stderr" || true)
    rm -f "$db"
}
if [ "$BASELINE" = 1 ]; then
    sqlite_import tabs '.mode tabs'
    S_WALL=$W S_RSS=$R S_SIZE=$Z S_ROWS=$N S_WARN=$E S_CPU=$C
    sqlite_import ascii $'.mode ascii\n.separator "\\t" "\\n"'
    A_WALL=$W A_RSS=$R A_SIZE=$Z A_ROWS=$N A_CPU=$C
fi

# (b) bdscheck refresh
rm -f "$STORE" "$STORE.prev"
warm
say "(b) bdscheck refresh of $ROWS rows…"
B_OK=1
if ! /usr/bin/time -v -o "$OUT/time-bdscheck-$LABEL.txt" "$BIN" refresh --data "$DATA" --store "$STORE" \
        >"$OUT/bdscheck-refresh-$LABEL.out" 2>"$OUT/bdscheck-refresh-$LABEL.stderr"; then
    B_OK=0
fi
B_WALL=$(time_wall "$OUT/time-bdscheck-$LABEL.txt")
B_RSS=$(time_rss "$OUT/time-bdscheck-$LABEL.txt")
B_CPU=$(time_cpu "$OUT/time-bdscheck-$LABEL.txt")

echo
echo "== import of $ROWS rows ($TSV_BYTES bytes, $(head -1 "$TSV" | awk -F'\t' '{print NF}') columns), seed $SEED =="
if [ "$BASELINE" = 1 ]; then
    printf '%-34s %10s s  %9s rows/s  peak RSS %7s MB\n' \
        "sqlite3 .import + index (baseline)" "$S_WALL" "$(python3 -c "print(f'{$ROWS / $S_WALL:,.0f}')")" "$((S_RSS / 1024))"
    echo "  note: sqlite3 applies RFC 4180 quoting even in .mode tabs: a value starting with \" swallows"
    echo "  the following fields (and lines); it stored $S_ROWS of $ROWS rows and printed $S_WARN warning lines."
    printf '%-34s %10s s  %9s rows/s  peak RSS %7s MB  (stored %s rows)\n' \
        "sqlite3 .mode ascii, TAB/LF + index" "$A_WALL" "$(python3 -c "print(f'{$ROWS / $A_WALL:,.0f}')")" "$((A_RSS / 1024))" "$A_ROWS"
    record "$RES" sqlite_cpu "$S_CPU" ascii_cpu "$A_CPU"
    record "$RES" sqlite_wall "$S_WALL" sqlite_rss_kb "$S_RSS" sqlite_size "$S_SIZE" \
        sqlite_rows "$S_ROWS" sqlite_warnings "$S_WARN" ascii_wall "$A_WALL" ascii_rss_kb "$A_RSS" ascii_size "$A_SIZE" ascii_rows "$A_ROWS"
fi

if [ "$B_OK" = 0 ]; then
    echo "bdscheck refresh FAILED after $B_WALL s (peak RSS $((B_RSS / 1024)) MB):"
    sed 's/^/  /' "$OUT/bdscheck-refresh-$LABEL.stderr" | tail -20
    sed 's/^/  /' "$OUT/bdscheck-refresh-$LABEL.out" | tail -5
    record "$RES" bdscheck_ok 0 bdscheck_wall "$B_WALL" bdscheck_rss_kb "$B_RSS" \
        bdscheck_error "$(grep -v '% read' "$OUT/bdscheck-refresh-$LABEL.stderr" | tail -1 | cut -c1-300)"
    exit 2
fi
B_SIZE=$(stat -c %s "$STORE")
B_PRODUCTS=$(sqlite3 "$STORE" 'SELECT count(*) FROM product')
printf '%-34s %10s s  %9s rows/s  peak RSS %7s MB\n' \
    "bdscheck refresh (full pipeline)" "$B_WALL" "$(python3 -c "print(f'{$ROWS / $B_WALL:,.0f}')")" "$((B_RSS / 1024))"
grep -v '^note:' "$OUT/bdscheck-refresh-$LABEL.out" | sed 's/^/  /'
NOTES=$(grep -c '^note:' "$OUT/bdscheck-refresh-$LABEL.out" || true)
[ "$NOTES" -gt 0 ] && echo "  ($NOTES warning lines, in $OUT/bdscheck-refresh-$LABEL.out)"
echo
record "$RES" bdscheck_ok 1 bdscheck_cpu "$B_CPU" bdscheck_wall "$B_WALL" bdscheck_rss_kb "$B_RSS" bdscheck_size "$B_SIZE" \
    bdscheck_products "$B_PRODUCTS" store "$STORE"
if [ "$BASELINE" = 0 ]; then
    echo "peak RSS: $((B_RSS / 1024)) MB (goal < 150 MB); store $(python3 -c "print(f'{$B_SIZE / 1e6:.1f}')") MB"
    exit 0
fi
THR=$(fmt_ratio "$S_WALL" "$B_WALL")
THR_A=$(fmt_ratio "$A_WALL" "$B_WALL")
CPU_R=$(fmt_ratio "$S_CPU" "$B_CPU")
SZ=$(fmt_ratio "$B_SIZE" "$S_SIZE")
python3 - "$THR" "$B_RSS" "$SZ" "$B_SIZE" "$S_SIZE" "$THR_A" "$CPU_R" "$B_CPU" "$S_CPU" <<'EOF'
import sys
thr, rss, sz, bsize, ssize = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
ok = lambda b: "met" if b else "NOT met"
print(f"throughput vs sqlite3 .mode tabs: {thr:.2f}x   (goal >= 1.5x: {ok(thr >= 1.5)}); vs .mode ascii: {float(sys.argv[6]):.2f}x")
print(f"CPU time (user + system): bdscheck {sys.argv[8]} s, sqlite3 .mode tabs {sys.argv[9]} s: {float(sys.argv[7]):.2f}x"
      " (less sensitive than wall time to other work on the machine)")
print(f"peak RSS: {rss / 1024:.0f} MB      (goal < 150 MB: {ok(rss < 150 * 1024)})")
print(f"store size: {bsize / 1e6:.1f} MB vs sqlite3 db {ssize / 1e6:.1f} MB = {sz:.2f}x   (goal <= 1.5x: {ok(sz <= 1.5)})")
EOF
record "$RES" throughput_ratio "$THR" throughput_ratio_ascii "$THR_A" cpu_ratio "$CPU_R" size_ratio "$SZ"
