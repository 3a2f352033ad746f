#!/usr/bin/env bash
# Lookups at the scale the identity work asks for: a store of 5,000,000 generated Open Food Facts
# products and about 100,000 names, built over the shipped data (listings, curated companies and
# ownership, same-as / not-same rules), so it carries the store's provenance as the current builder
# writes it (dated ownership edges, the ownership_conflict table, entity_key source keys; the last
# two stay empty when no source gives any).
#
#   scripts/bench/identity-scale.sh [--rows N] [--brands B] [--runs R] [--samples N] [--names N]
#                                   [--seed S] [--http] [--drop-tsv]
#         (default 5,000,000 rows, 100,000 brands, 2 runs, 10,000 GTINs and 1,000 names a run, seed 1;
#          --seed is lookup-bench's sampling seed, the export is always generated with seed 1)
#
# Two figures, each against its goal (met / not met), every run printed:
#   1. name search in `bdscheck serve`: `Store.search` after `Store.prepareNameIndex()` (the in-memory
#      name index the server builds), over random brand names as stored and with one letter
#      dropped; goal p50 < 2 ms over 100,000 names.
#   2. `Store.verdict(forBarcode:)` in process over random known GTINs; goal p50 < 20 µs. Beside it, in
#      the same run on the same GTINs, a raw sqlite3 prepared `SELECT … FROM product WHERE gtin = ?`
#      (the ratio is the figure to trust on a shared machine).
# --http also times GET /v1/search?q=NAME against GET /healthz on `bdscheck serve` of the same
# store (wrk, one connection, so the latency is one request's; 10 s each, once per run).
#
# Steps: release build of the main package (reused from out/bench/bin when it was built from the
# same Sources/ and Package.swift; BIN=path uses that one), release build of Benchmarks/ into the
# main package's .build, reusing its compiled modules (LOOKUP_BENCH=path uses that one), import.sh
# --with-shipped into out/bench/identity-N-bB.sqlite (reused when an earlier run imported it
# completely; delete the file to import again), then lookup-bench R times. --drop-tsv deletes the
# generated export after a successful import (also done when less than 5 GB of disk is left).
# Outputs and KEY=VALUE results under out/bench/ and out/bench/results/identity-*.env.
# A benchmark, not a test: it exits 0 whatever the numbers are (non-zero only when it cannot measure).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROWS=5000000
BRANDS=100000
RUNS=2
SAMPLES=10000
NAMES=1000
SEED=1
HTTP=0
DROP_TSV=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --brands) BRANDS="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --samples) SAMPLES="$2"; shift 2 ;;
        --names) NAMES="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --http) HTTP=1; shift ;;
        --drop-tsv) DROP_TSV=1; shift ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
done

LABEL="identity-$ROWS-b$BRANDS"
STORE="$OUT/$LABEL.sqlite"
IMPORT_ENV="$RESULTS/import-$LABEL.env"
need sqlite3 sqlite3

# 1. Binaries. The main package's snapshot is reused when its sources are the ones it was built from.
sources_key() {
    (cd "$ROOT" && printf '%s %s%s\n' "$(git rev-parse HEAD:Sources)" "$(git rev-parse HEAD:Package.swift)" \
        "$(git diff --quiet HEAD -- Sources Package.swift || echo ' +uncommitted')")
}
KEY="$(sources_key)"
if [ -z "${BIN:-}" ] && [ -x "$OUT/bin/bdscheck" ] && [ "$(cat "$OUT/bin/SOURCES" 2>/dev/null)" = "$KEY" ] \
    && [[ $KEY != *uncommitted ]]; then
    say "reusing $OUT/bin/bdscheck (built from the same Sources/ and Package.swift)"
    BIN="$OUT/bin/bdscheck"
    export BIN
else
    build_main
    [ "$BIN" = "$OUT/bin/bdscheck" ] && printf '%s\n' "$KEY" >"$OUT/bin/SOURCES"
fi
if [ -n "${LOOKUP_BENCH:-}" ]; then
    [ -x "$LOOKUP_BENCH" ] || die "LOOKUP_BENCH is set but $LOOKUP_BENCH is not an executable"
    say "using $LOOKUP_BENCH"
else
    # Into the main package's .build: the dependencies and bdscheck's own modules compiled for the
    # main build are reused (33 s instead of a second build of half an hour on 2 shared cores).
    say "building Benchmarks/ (swift build -c release --scratch-path .build, incremental)…"
    (cd "$ROOT/Benchmarks" && swift build -c release --scratch-path "$ROOT/.build" >"$OUT/build-benchmarks.log" 2>&1) \
        || { grep -E 'error:' "$OUT/build-benchmarks.log" | head -20 >&2; die "the Benchmarks build failed (log: $OUT/build-benchmarks.log)"; }
    LOOKUP_BENCH="$(cd "$ROOT/Benchmarks" && swift build -c release --scratch-path "$ROOT/.build" --show-bin-path)/lookup-bench"
    [ -x "$LOOKUP_BENCH" ] || die "no lookup-bench at $LOOKUP_BENCH"
fi

# 2. The store: imported once, then reused.
env_get() { sed -n "s/^$2=//p" "$1" 2>/dev/null | tail -1; }
# (The results file is named after the store; its store= line may be relative to where import.sh ran.)
if [ -s "$STORE" ] && [ "$(env_get "$IMPORT_ENV" bdscheck_ok)" = 1 ] && [ "$(env_get "$IMPORT_ENV" with_shipped)" = 1 ] \
    && [ "$(basename "$(env_get "$IMPORT_ENV" store)")" = "$(basename "$STORE")" ]; then
    say "reusing $STORE (imported $(date -u -r "$IMPORT_ENV" '+%Y-%m-%d %H:%M UTC'); delete it to import again)"
else
    say "importing $ROWS rows with $BRANDS brands over the shipped data into $STORE…"
    "$BENCH/import.sh" --rows "$ROWS" --brands "$BRANDS" --no-baseline --with-shipped --store "$STORE" \
        | tee "$OUT/$LABEL-import.out" || true
    [ "$(env_get "$IMPORT_ENV" bdscheck_ok)" = 1 ] || die "the import failed (see $OUT/bdscheck-refresh-$LABEL.stderr)"
fi
TSV="$(env_get "$IMPORT_ENV" tsv)"
if [ -n "$TSV" ] && [ -f "$TSV" ]; then
    AVAIL_KB=$(df -Pk "$OUT" | awk 'NR == 2 { print $4 }')
    if [ "$DROP_TSV" = 1 ] || [ "$AVAIL_KB" -lt $((5 * 1024 * 1024)) ]; then
        say "deleting the generated export $TSV ($(du -h "$TSV" | cut -f1)); the store is kept"
        rm -f "$TSV"
    fi
fi

q() { sqlite3 "file:$STORE?immutable=1" "$1" 2>/dev/null || echo "?"; }
STORE_BYTES=$(stat -c %s "$STORE")
PRODUCTS=$(q "SELECT count(*) FROM product")
ALIASES=$(q "SELECT count(*) FROM alias")
BRAND_N=$(q "SELECT count(*) FROM entity WHERE kind = 'brand'")
COMPANY_N=$(q "SELECT count(*) FROM entity WHERE kind = 'company'")
OWNERSHIP_N=$(q "SELECT count(*) FROM ownership")
CONFLICT_N=$(q "SELECT count(*) FROM ownership_conflict")
KEY_N=$(q "SELECT count(*) FROM entity_key")
LISTING_N=$(q "SELECT count(*) FROM listing")
IMPORT_WALL=$(env_get "$IMPORT_ENV" bdscheck_wall)
IMPORT_RSS=$(env_get "$IMPORT_ENV" bdscheck_rss_kb)
VERSION="$(env_get "$IMPORT_ENV" bdscheck_version)"

RUN_ENVS=()
for run in $(seq 1 "$RUNS"); do
    say ""
    say "### lookup-bench, run $run of $RUNS"
    res="$RESULTS/identity-lookup-$run.env"
    rm -f "$res"
    "$LOOKUP_BENCH" "$STORE" --samples "$SAMPLES" --names "$NAMES" --seed "$SEED" --results "$res" \
        | tee "$OUT/$LABEL-lookup-$run.out" || say "(lookup-bench exited $?)"
    [ -s "$res" ] && RUN_ENVS+=("$res")
done

# 3. Optional: the search endpoint of a running server, against /healthz of the same server.
HTTP_ENVS=()
if [ "$HTTP" = 1 ]; then
    need wrk wrk
    need curl curl
    names="$OUT/$LABEL-names.txt"
    sqlite3 "file:$STORE?immutable=1" "SELECT name FROM entity WHERE kind = 'brand' ORDER BY random() LIMIT $NAMES" >"$names"
    lua="$OUT/$LABEL-search.lua"
    cat >"$lua" <<LUA
local names = {}
for line in io.lines("$names") do
    names[#names + 1] = (line:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
math.randomseed(os.time())
request = function()
    return wrk.format("GET", "/v1/search?q=" .. names[math.random(#names)])
end
LUA
    wrk_report_lua >>"$lua"
    wrk_healthz_lua "$OUT/$LABEL-healthz.lua"
    if start_server "$BIN" "$STORE" "$OUT/$LABEL-serve.log"; then
        wrk -t1 -c1 -d3s -s "$lua" "$url/" >/dev/null  # warm-up
        for run in $(seq 1 "$RUNS"); do
            res="$RESULTS/identity-http-$run.env"
            h=$(wrk -t1 -c1 -d10s --latency -s "$OUT/$LABEL-healthz.lua" "$url/healthz" | sed -n 's/^RESULT //p')
            s=$(wrk -t1 -c1 -d10s --latency -s "$lua" "$url/" | sed -n 's/^RESULT //p')
            { echo "$h" | tr ' ' '\n' | sed 's/^/healthz_/'; echo "$s" | tr ' ' '\n' | sed 's/^/search_/'; } >"$res"
            HTTP_ENVS+=("$res")
        done
        printf 'server_rss_kb=%s\n' "$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")" >>"$res"
    else
        say "the server did not become ready (see $OUT/$LABEL-serve.log): HTTP skipped"
    fi
    stop_server
fi

# 4. Summary.
echo
echo "== identity at scale: $(date -u '+%Y-%m-%d %H:%M UTC'), bdscheck ${VERSION:-?}, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) =="
python3 - "$STORE_BYTES" "$PRODUCTS" "$ALIASES" "$BRAND_N" "$COMPANY_N" "$OWNERSHIP_N" "$CONFLICT_N" "$KEY_N" \
    "$LISTING_N" "${IMPORT_WALL:-}" "${IMPORT_RSS:-}" "$STORE" "${#RUN_ENVS[@]}" "${RUN_ENVS[@]}" "${HTTP_ENVS[@]}" <<'EOF' \
    | tee "$OUT/$LABEL-summary.txt"
import sys
a = sys.argv[1:]
size, products, aliases, brands, companies, ownership, conflicts, keys, listings, wall, rss, store = a[:12]
n = int(a[12])
runs, https = a[13:13 + n], a[13 + n:]
def load(path):
    d = {}
    for line in open(path):
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            d[k] = v
    return d
def f(d, k):
    try:
        return float(d[k])
    except (KeyError, ValueError):
        return float("nan")
ok = lambda b: "met" if b else "NOT met"
print(f"store {store}: {int(size) / 1e6:,.1f} MB on disk, {products} products, {aliases} names (alias rows; {brands} brands,"
      f" {companies} companies), {ownership} ownership edges, {conflicts} ownership conflicts, {keys} source keys,"
      f" {listings} listings")
if wall:
    print(f"import (bdscheck refresh, export + shipped data): {float(wall):.1f} s, peak RSS {int(rss) // 1024} MB")
if aliases.isdigit() and int(aliases) < 100000:
    print(f"note: {aliases} names is fewer than the goal's 100,000 (raise --brands)")
if not runs:
    print("no lookup-bench results")
    sys.exit(0)
R = [load(p) for p in runs]
print()
print(f"{'run':<5}{'search p50 / p99 (ms)':>24}{'one letter dropped':>22}{'verdict p50 / p99 (µs)':>26}"
      f"{'raw SELECT p50 / p99':>24}{'ratio p50':>11}{'first pass p50':>16}")
for i, d in enumerate(R, 1):
    print(f"{i:<5}{f(d, 'search_p50_ms'):>11.3f} / {f(d, 'search_p99_ms'):<10.3f}"
          f"{f(d, 'search_typo_p50_ms'):>9.3f} / {f(d, 'search_typo_p99_ms'):<10.3f}"
          f"{f(d, 'verdict_p50_us'):>13.1f} / {f(d, 'verdict_p99_us'):<10.1f}"
          f"{f(d, 'raw_p50_us'):>11.1f} / {f(d, 'raw_p99_us'):<10.1f}"
          f"{f(d, 'verdict_p50_us') / f(d, 'raw_p50_us'):>9.1f}x{f(d, 'verdict_first_p50_us'):>13.1f} µs")
d0 = R[0]
print(f"(search: {d0.get('search_names', '?')} names a run, top hit right {d0.get('search_exact_hits', '?')},"
      f" right name among hits with a letter dropped {d0.get('search_typo_hits', '?')}; name index built in"
      f" {f(d0, 'name_index_ms'):.0f} ms. verdict: {d0.get('samples', '?')} GTINs a run, owner chain on"
      f" {d0.get('verdict_with_owners', '?')}, a listing on {d0.get('verdict_listed', '?')})")
if f(d0, "shipped_p50_us") > 0:
    print(f"shipped products ({d0.get('shipped_products')} not from the export, {d0.get('shipped_listed')} listed):"
          f" verdict p50 " + " / ".join(f"{f(d, 'shipped_p50_us'):.1f}" for d in R) + " µs, p99 "
          + " / ".join(f"{f(d, 'shipped_p99_us'):.1f}" for d in R) + " µs (run by run)")
print(f"for comparison, the CLI's FTS5 search (no name index): p50 / p99 "
      + ", ".join(f"{f(d, 'fts_search_p50_ms'):.2f} / {f(d, 'fts_search_p99_ms'):.2f} ms" for d in R))
print()
def goal(label, key, limit, unit):
    vals = [f(d, key) for d in R]
    met = sum(v < limit for v in vals)
    print(f"{label + ':':<44}p50 {' / '.join(f'{v:.3g}' for v in vals)} {unit} (goal < {limit:g} {unit}):"
          f" {ok(met == len(vals))}" + (f" (met in {met} of {len(vals)} runs)" if 0 < met < len(vals) else ""))
goal("name search, exact names, in-memory index", "search_p50_ms", 2, "ms")
goal("name search, one letter dropped", "search_typo_p50_ms", 2, "ms")
goal("barcode verdict in process", "verdict_p50_us", 20, "µs")
print("verdict / raw sqlite3 SELECT, same run: p50 "
      + ", ".join(f"{f(d, 'verdict_p50_us') / f(d, 'raw_p50_us'):.1f}x" for d in R)
      + "; p99 " + ", ".join(f"{f(d, 'verdict_p99_us') / f(d, 'raw_p99_us'):.1f}x" for d in R))
if https:
    H = [load(p) for p in https]
    print()
    for i, h in enumerate(H, 1):
        print(f"HTTP run {i} (wrk -t1 -c1 -d10s): GET /v1/search?q= p50 {f(h, 'search_p50_ms'):.3f} ms, p99"
              f" {f(h, 'search_p99_ms'):.3f} ms, {f(h, 'search_rps'):.0f} req/s ({h.get('search_non2xx', '?')} non-2xx);"
              f" /healthz p50 {f(h, 'healthz_p50_ms'):.3f} ms, {f(h, 'healthz_rps'):.0f} req/s")
    goal_vals = [f(h, "search_p50_ms") for h in H]
    print(f"HTTP name search p50 {' / '.join(f'{v:.3g}' for v in goal_vals)} ms (goal < 2 ms):"
          f" {ok(all(v < 2 for v in goal_vals))}")
    if "server_rss_kb" in H[-1]:
        print(f"server RSS after the runs: {int(H[-1]['server_rss_kb']) // 1024} MB")
EOF
exit 0
