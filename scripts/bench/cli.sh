#!/usr/bin/env bash
# Cold command-line lookups: a whole `bdscheck CODE` process against a whole `sqlite3` process doing the
# one indexed SELECT, timed by hyperfine in the same run.
#
#   scripts/bench/cli.sh [--store PATH] [--code CODE] [--runs N]
#
# 1. the generated Open Food Facts store (out/bench/off.sqlite, built by import.sh when missing):
#    `bdscheck CODE --store STORE`  vs  `sqlite3 STORE "SELECT name, brand_id FROM product WHERE gtin = G"`
#    (gtin is the GTIN-14 as an INTEGER PRIMARY KEY) for a known code whose brand has an owner.
# 2. the shipped data, as a shopper runs it: `bdscheck 7290011498382 --data DIR` with the default store
#    (DIR/.bdscheck/store.sqlite, built on first use, checked for staleness on every run), where DIR is a
#    copy of importers/ and datasets/ under out/bench (so the repository's own .bdscheck is not touched).
# Results also go to out/bench/results/cli.env.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STORE="$OUT/off.sqlite"
CODE=""
RUNS=40
SHIPPED_CODE=7290011498382
while [ $# -gt 0 ]; do
    case "$1" in
        --store) STORE="$2"; shift 2 ;;
        --code) CODE="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
done

need hyperfine hyperfine
need sqlite3 sqlite3
build_main
[ -s "$STORE" ] || "$BENCH/import.sh" --store "$STORE" >&2
RES="$RESULTS/cli.env"
: >"$RES"

# Runs hyperfine on two commands; prints "mean_a median_a mean_b median_b" in ms.
compare() {  # compare NAME CMD-A CMD-B
    local name="$1" json="$OUT/hyperfine-$1.json"
    hyperfine -N -i --warmup 5 --runs "$RUNS" --style basic --export-json "$json" "$2" "$3" >"$OUT/hyperfine-$1.txt" 2>&1 \
        || { cat "$OUT/hyperfine-$1.txt" >&2; die "hyperfine failed"; }
    python3 - "$json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(" ".join(f"{x[k] * 1e3:.3f}" for x in r for k in ("mean", "median")))
EOF
}

report() {  # report LABEL BDS-CMD SQL-CMD MEAN-A MEDIAN-A MEAN-B MEDIAN-B KEY
    python3 - "$@" <<'EOF'
import sys
label, a, b = sys.argv[1:4]
ma, mda, mb, mdb = map(float, sys.argv[4:8])
print(f"== {label} ==")
print(f"  {a}\n      mean {ma:7.2f} ms   median {mda:7.2f} ms")
print(f"  {b}\n      mean {mb:7.2f} ms   median {mdb:7.2f} ms   (baseline)")
r = ma / mb
print(f"  ratio (means): {r:.2f}x   (goal <= 2x: {'met' if r <= 2 else 'NOT met'}); medians {mda / mdb:.2f}x")
EOF
}

# 1. The generated store.
if [ -z "$CODE" ]; then
    G=$(sqlite3 "$STORE" "SELECT p.gtin FROM product p WHERE p.brand_id IN (SELECT owned_id FROM ownership)
        AND p.gtin BETWEEN 3000000000000 AND 3799999999999 ORDER BY p.gtin LIMIT 1 OFFSET 1000")
    [ -n "$G" ] || die "no product with an owned brand in $STORE"
    CODE=$(printf '%013d' "$G")
fi
G=$((10#$CODE))
OWNERS=$(sqlite3 "$STORE" "SELECT count(*) FROM ownership WHERE owned_id = (SELECT brand_id FROM product WHERE gtin = $G)")
A="$BIN $CODE --store $STORE"
B="sqlite3 $STORE 'SELECT name, brand_id FROM product WHERE gtin = $G'"
read -r MA MDA MB MDB < <(compare off "$A" "$B")
report "cold CLI on $(basename "$STORE") ($(sqlite3 "$STORE" 'SELECT count(*) FROM product') products), code $CODE (brand with $OWNERS owner(s)), $RUNS runs" \
    "$A" "$B" "$MA" "$MDA" "$MB" "$MDB"
echo "  bdscheck says: $("$BIN" "$CODE" --store "$STORE" | head -1 || true)"
record "$RES" off_code "$CODE" off_bdscheck_mean_ms "$MA" off_bdscheck_median_ms "$MDA" off_sqlite_mean_ms "$MB" \
    off_sqlite_median_ms "$MDB" off_ratio "$(fmt_ratio "$MA" "$MB")"

# 1b. The full executable (what `swift run bdscheck` and an install without the lean one run), same store and code.
FULL="$(dirname "$BIN")/bdscheck-full"
if [ -x "$FULL" ]; then
    A="$FULL $CODE --store $STORE"
    read -r MA MDA MB MDB < <(compare full "$A" "$B")
    report "cold CLI, the full executable, same store and code, $RUNS runs" "$A" "$B" "$MA" "$MDA" "$MB" "$MDB"
    record "$RES" full_bdscheck_mean_ms "$MA" full_sqlite_mean_ms "$MB"
fi

# 2. The shipped data through the default store.
SHIPPED="$OUT/shipped-data"
rm -rf "$SHIPPED" && mkdir -p "$SHIPPED"
cp -r "$ROOT/importers" "$ROOT/datasets" "$SHIPPED/"
SSTORE="$SHIPPED/.bdscheck/store.sqlite"
"$BIN" "$SHIPPED_CODE" --data "$SHIPPED" >/dev/null 2>&1 || true  # builds the default store
[ -s "$SSTORE" ] || die "bdscheck did not build $SSTORE"
SG=$((10#$SHIPPED_CODE))
A="$BIN $SHIPPED_CODE --data $SHIPPED"
B="sqlite3 $SSTORE 'SELECT name, brand_id FROM product WHERE gtin = $SG'"
read -r MA MDA MB MDB < <(compare shipped "$A" "$B")
report "cold CLI on the shipped data (default store, $(sqlite3 "$SSTORE" 'SELECT count(*) FROM product') products), code $SHIPPED_CODE, $RUNS runs" \
    "$A" "$B" "$MA" "$MDA" "$MB" "$MDB"
echo "  bdscheck says: $("$BIN" "$SHIPPED_CODE" --data "$SHIPPED" | head -1 || true)"
record "$RES" shipped_bdscheck_mean_ms "$MA" shipped_bdscheck_median_ms "$MDA" shipped_sqlite_mean_ms "$MB" \
    shipped_sqlite_median_ms "$MDB" shipped_ratio "$(fmt_ratio "$MA" "$MB")"
