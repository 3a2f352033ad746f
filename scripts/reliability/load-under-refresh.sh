#!/usr/bin/env bash
# Load under change: wrk on GET /v1/barcodes/{code} against a 1 M-product store while a refresh
# rebuilds the store and swaps it in, and the server reloads it (admin endpoint, then SIGHUP).
# Passes when wrk saw no non-2xx answer and no socket error, the server answers from the new store
# afterwards, and its RSS at the end is within 10 % of its RSS after the warm-up.
#
#   scripts/reliability/load-under-refresh.sh [--rows N] [--duration S] [--connections C] [--start-at P]
#           (default 1,000,000 rows, 60 s, 64 connections, wrk -t2; --start-at: wrk starts when the
#            refresh has read P % of its input (default 90), so that its swap lands inside the run)
#
# The old content is scripts/bench/gen-off.py --seed 1 (the benchmarks' export, shared through
# out/bench/), the new content --seed 2. The 1 M-row store of the old content is built once and kept
# in out/reliability/load/ (each run starts from a copy). wrk picks random codes of both contents.
# env: BDSCHECK=path to a bdscheck binary (default: a release build of this checkout)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROWS=1000000
DURATION=60
CONNECTIONS=64
THREADS=2
START_AT=90
WARMUP=10
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --start-at) START_AT="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
done
need wrk wrk
need sqlite3 sqlite3
WORK="$OUT/load"
mkdir -p "$WORK"
bdscheck_binary

# The two exports, through the benchmarks' cache (out/bench/off-N-sS.tsv).
OLD_TSV=$(bash -c 'source "$1/scripts/bench/lib.sh"; tsv_for "$2" 1' _ "$ROOT" "$ROWS")
NEW_TSV=$(bash -c 'source "$1/scripts/bench/lib.sh"; tsv_for "$2" 2' _ "$ROOT" "$ROWS")

DATA="$WORK/data"
mkdir -p "$DATA/importers"
sed -e '/^default = false/d' "$ROOT/importers/90-open-food-facts.toml" >"$DATA/importers/90-open-food-facts.toml"
BASE="$WORK/base-$ROWS.sqlite"
if [ ! -s "$BASE" ] || [ "$OLD_TSV" -nt "$BASE" ]; then
    say "building the $ROWS-product store of the old content (once)…"
    rm -f "$BASE" "$BASE.prev"
    "$BDSCHECK" refresh --data "$DATA" --store "$BASE" --file "open-food-facts=$OLD_TSV" >"$WORK/base-build.log" 2>&1 \
        || { tail -20 "$WORK/base-build.log" >&2; die "the base store failed to build"; }
    rm -f "$BASE.prev"
fi
LIVE="$WORK/live/store.sqlite"
rm -rf "$WORK/live" && mkdir -p "$WORK/live"
cp "$BASE" "$LIVE"

# Codes: 50,000 of each content in random order (one known in the old store, one only in the new).
CODES="$WORK/codes.txt"
python3 - "$OLD_TSV" "$NEW_TSV" "$CODES" <<'PY'
import random, sys
rng = random.Random(7)
codes = []
for path in sys.argv[1:3]:
    with open(path, encoding="utf-8") as f:
        next(f)
        column = [line.split("\t", 1)[0] for line in f]
    codes += rng.sample(column, 50000)
rng.shuffle(codes)
open(sys.argv[3], "w").write("\n".join(codes) + "\n")
PY
cat >"$WORK/barcodes.lua" <<LUA
local codes = {}
for line in io.lines("$CODES") do codes[#codes + 1] = line end
math.randomseed(os.time())
request = function()
    return wrk.format("GET", "/v1/barcodes/" .. codes[math.random(#codes)])
end
done = function(summary, latency, requests)
    io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
        summary.errors.timeout))
end
LUA

TOKEN="load-under-refresh-token-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
BDSCHECK_ADMIN_TOKEN="$TOKEN" BDSCHECK_LOG_LEVEL=notice "$BDSCHECK" serve --store "$LIVE" --host 127.0.0.1 --port "$PORT" \
    >"$WORK/serve.log" 2>&1 &
SERVER=$!
REFRESH=""
cleanup() {
    [ -n "$REFRESH" ] && kill "$REFRESH" 2>/dev/null
    kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT
wait_ready "$URL" "$SERVER" 60 || { cat "$WORK/serve.log" >&2; die "the server did not become ready"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }
products() { curl -sf "$URL/v1/sources" | python3 -c 'import json, sys; print(json.load(sys.stdin)["counts"]["products"])'; }
verdict() { curl -s "$URL/v1/barcodes/$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["verdict"])'; }
NEW_ONLY=$(python3 - "$OLD_TSV" "$NEW_TSV" <<'PY'
import sys
old = set(l.split("\t", 1)[0] for l in open(sys.argv[1], encoding="utf-8"))
for line in open(sys.argv[2], encoding="utf-8"):
    code = line.split("\t", 1)[0]
    if len(code) == 13 and code.isdigit() and not code.startswith(("729", "2")) and code not in old:
        print(code); break
PY
)

say "warming up: wrk -t$THREADS -c$CONNECTIONS -d${WARMUP}s…"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$WORK/barcodes.lua" "$URL/" >"$WORK/warmup.txt"
RSS_WARM=$(rss)
BEFORE_PRODUCTS=$(products)
BEFORE_VERDICT=$(verdict "$NEW_ONLY")
say "after warm-up: RSS $((RSS_WARM / 1024)) MB; $BEFORE_PRODUCTS products; $NEW_ONLY (new content only) is $BEFORE_VERDICT"

# The refresh starts first; wrk starts when it has read START_AT % of its input.
REFRESH_LOG="$WORK/refresh.log"
T0=$(date +%s.%N)
"$BDSCHECK" refresh --data "$DATA" --store "$LIVE" --file "open-food-facts=$NEW_TSV" >"$REFRESH_LOG" 2>&1 &
REFRESH=$!
while kill -0 "$REFRESH" 2>/dev/null; do
    pct=$(grep -o '[0-9]* % read' "$REFRESH_LOG" | tail -1 | awk '{print $1}' || true)
    [ -n "$pct" ] && [ "$pct" -ge "$START_AT" ] && break
    sleep 0.5
done
say "refresh at ${pct:-?} % read after $(python3 -c "import time; print(round(time.time() - $T0, 1))") s: starting wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/barcodes.lua" "$URL/" >"$WORK/wrk.txt" 2>&1 &
WRK=$!
W0=$(date +%s.%N)
at() { python3 -c "import time; print(f'{time.time() - $W0:.1f}')"; }
REFRESH_STATUS=0
wait "$REFRESH" || REFRESH_STATUS=$?
REFRESH=""
REFRESH_DONE=$(at)
RELOAD_1="" RELOAD_2=""
if [ "$REFRESH_STATUS" = 0 ] && kill -0 "$WRK" 2>/dev/null; then
    RELOAD_CODE=$(curl -s -o "$WORK/reload.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" "$URL/v1/admin/reload")
    RELOAD_1="admin endpoint at $(at) s: HTTP $RELOAD_CODE"
    sleep 5
    if kill -0 "$WRK" 2>/dev/null; then kill -HUP "$SERVER"; RELOAD_2="SIGHUP at $(at) s"; fi
fi
wait "$WRK" || true
sleep 1
RSS_END=$(rss || echo 0)
AFTER_PRODUCTS=$(products || echo '?')
AFTER_VERDICT=$(verdict "$NEW_ONLY" || echo '?')
RESULT=$(grep '^RESULT' "$WORK/wrk.txt" || true)
field() { echo "$RESULT" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
n() { local v; v=$(field "$1"); echo "${v:-0}"; }
SOCKET_ERRORS=$(( $(n connect) + $(n read) + $(n write) + $(n timeout) ))

echo
echo "== load under refresh: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, bdscheck $(cat "$(dirname "$BDSCHECK")/VERSION" 2>/dev/null || echo "$BDSCHECK") =="
echo "store: $ROWS products ($(du -h "$BASE" | cut -f1)); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, random codes of both contents"
echo "refresh: exit $REFRESH_STATUS, swapped in at $REFRESH_DONE s into the wrk run ($(grep -o 'Built .* in [0-9.]* s' "$REFRESH_LOG" || echo 'no summary'))"
echo "reloads: ${RELOAD_1:-none during the run}${RELOAD_2:+; $RELOAD_2}"
echo "requests: $(field requests), $(field rps) req/s, p50 $(field p50_ms) ms, p99 $(field p99_ms) ms"
echo "non-2xx: $(field non2xx); socket errors: $SOCKET_ERRORS (connect $(field connect), read $(field read), write $(field write), timeout $(field timeout))"
echo "served products: $BEFORE_PRODUCTS before, $AFTER_PRODUCTS after; $NEW_ONLY: $BEFORE_VERDICT before, $AFTER_VERDICT after"
RSS_PCT=$(python3 -c "print(f'{100 * ($RSS_END - $RSS_WARM) / $RSS_WARM:+.1f}')")
echo "server RSS: $((RSS_WARM / 1024)) MB after warm-up, $((RSS_END / 1024)) MB at the end ($RSS_PCT %)"
echo "RESULT rps=$(field rps) requests=$(field requests) non2xx=$(field non2xx) socket_errors=$SOCKET_ERRORS rss_warm_kb=$RSS_WARM rss_end_kb=$RSS_END refresh_status=$REFRESH_STATUS"

FAIL=()
[ -n "$RESULT" ] || FAIL+=("wrk printed no result (see $WORK/wrk.txt)")
[ "$(n non2xx)" = 0 ] || FAIL+=("non-2xx answers")
[ "$SOCKET_ERRORS" = 0 ] || FAIL+=("socket errors")
[ "$REFRESH_STATUS" = 0 ] || FAIL+=("the refresh failed (see $REFRESH_LOG)")
[ -n "$RELOAD_1" ] && echo "$RELOAD_1" | grep -q 'HTTP 200' || FAIL+=("no successful reload during the run (the refresh ended at $REFRESH_DONE s)")
case "$AFTER_VERDICT" in unknown|'?') FAIL+=("the server does not answer from the new store") ;; esac
python3 -c "import sys; sys.exit(0 if $RSS_END <= 1.10 * $RSS_WARM else 1)" || FAIL+=("RSS grew by more than 10 %")
if [ ${#FAIL[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${FAIL[@]}"
    exit 1
fi
echo "PASSED"
