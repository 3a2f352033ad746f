#!/usr/bin/env bash
# HTTP benchmark: GET /v1/barcodes/{code} over random known codes against the same server's
# /healthz (a constant answer, requested through the same Lua request function), wrk with 64
# connections on loopback. Prints requests/s, p50, p99
# and the server's resident memory, and whether the goal (barcodes ≥ 70 % of /healthz req/s,
# p99 < 10 ms) was met. A benchmark, not a test: it never fails on its numbers.
#
# usage: scripts/bench/http.sh [PRODUCTS]      (default 1000000)
# The store: $STORE if set; else the generated Open Food Facts store of scripts/bench/import.sh
# (out/bench/off.sqlite, built when missing); else one made from the fixture project.
# env:   BDSCHECK=path to a release build (default: builds .build/release/bdscheck)
#        BENCH_DIR=work folder (default out/bench/http)
#        DURATION=seconds per wrk run (default 10), CONNECTIONS (64), THREADS (2)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
products=${1:-1000000}
bench=${BENCH_DIR:-$root/out/bench/http}
duration=${DURATION:-10}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
mkdir -p "$bench"

command -v wrk >/dev/null || { echo "http.sh: wrk is not installed (Debian: apt-get install -y wrk)" >&2; exit 1; }
if [[ -z "${BDSCHECK:-}" ]]; then
    (cd "$root" && swift build -c release --product bdscheck >&2)
    BDSCHECK=$root/.build/release/bdscheck
fi

codes=$bench/http-codes.txt
if [[ -n "${STORE:-}" ]]; then
    store=$STORE
elif [[ -x $root/scripts/bench/import.sh ]]; then
    # The generated Open Food Facts store the other benchmarks use (built once by import.sh).
    store=$root/out/bench/off.sqlite
    [[ $products == 1000000 ]] || store=$root/out/bench/off-$products.sqlite
    [[ -s $store ]] || BIN=$BDSCHECK "$root/scripts/bench/import.sh" --rows "$products" --store "$store" --no-baseline >&2
else
    store=$bench/fixture-$products.sqlite
    if [[ ! -s $store ]]; then
        project=$bench/fixture-project-$products
        rm -rf "$project"
        cp -r "$root/Tests/BDSTestSupport/Fixtures/project" "$project"
        python3 - "$project/datasets/products.csv" "$products" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
brands = ["Sabra", "Quiet Foods", "Plain Brand", "SodaStream", "HyperX"]
def ean13(body):
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)
with open(path, "w") as f:
    f.write("gtin,name,brand,source_url,retrieved\n")
    for i in range(n):
        f.write(f"{ean13('40%010d' % i)},Benchmark product {i},{brands[i % len(brands)]},https://example.org/bench/{i},2026-01-01\n")
PY
        "$BDSCHECK" refresh --data "$project" --store "$store" >&2
    fi
fi
# 100,000 known codes in random order for wrk to pick from; and as many whose brand has no owner,
# which separates the server's own cost from the ownership walk's.
python3 - "$store" "$codes" "$codes.unowned" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
queries = {
    sys.argv[2]: "SELECT gtin FROM product ORDER BY random() LIMIT 100000",
    sys.argv[3]: "SELECT gtin FROM product WHERE brand_id IS NULL OR brand_id NOT IN (SELECT owned_id FROM ownership) "
                 "ORDER BY random() LIMIT 100000",
}
for path, sql in queries.items():
    with open(path, "w") as f:
        f.write("\n".join(str(r[0]).zfill(13) for r in db.execute(sql)) + "\n")
PY
products=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True).execute("SELECT count(*) FROM product").fetchone()[0])' "$store")

for kind in barcodes unowned; do
    file=$codes; [[ $kind == unowned ]] && file=$codes.unowned
    cat > "$bench/$kind.lua" <<LUA
local codes = {}
for line in io.lines("$file") do codes[#codes + 1] = line end
math.randomseed(os.time())
request = function()
    return wrk.format("GET", "/v1/barcodes/" .. codes[math.random(#codes)])
end
LUA
done
cat > "$bench/report.lua" <<'LUA'
done = function(summary, latency, requests)
    local non2xx = summary.errors.status
    io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d non2xx=%d\n",
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, non2xx))
end
LUA
cat "$bench/report.lua" >> "$bench/barcodes.lua"
cat "$bench/report.lua" >> "$bench/unowned.lua"
# The baseline pays the same client-side cost per request as the lookups (a Lua request function
# drawing a random number and formatting the request): on 2 shared cores wrk's own CPU time is
# part of what both runs measure, and a static request would flatter the baseline.
cat > "$bench/healthz.lua" <<'LUA'
math.randomseed(os.time())
request = function()
    local _ = math.random(100000)
    return wrk.format("GET", "/healthz")
end
LUA
cat "$bench/report.lua" >> "$bench/healthz.lua"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BDSCHECK_LOG_LEVEL=warning "$BDSCHECK" serve --store "$store" --port "$port" > "$bench/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.1
done
url=http://127.0.0.1:$port

run() { # name path script
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$3" "$url$2" | grep '^RESULT' | sed "s/^RESULT/$1/"
}
echo "warming up" >&2
wrk -t"$threads" -c"$connections" -d3s -s "$bench/barcodes.lua" "$url/" >/dev/null
health=$(run healthz /healthz "$bench/healthz.lua")
barcodes=$(run barcodes / "$bench/barcodes.lua")
unowned=$(run unowned / "$bench/unowned.lua")
rss_kb=$(awk '/^VmRSS/ {print $2}' /proc/$server/status)
hwm_kb=$(awk '/^VmHWM/ {print $2}' /proc/$server/status)

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
echo
echo "products: $products · store: $(du -h "$store" | cut -f1) · wrk -t$threads -c$connections -d${duration}s · $(nproc) cores"
printf '%-10s %10s %10s %10s %10s\n' route req/s p50_ms p99_ms non-2xx
for line in "$health" "$barcodes" "$unowned"; do
    printf '%-10s %10s %10s %10s %10s\n' "${line%% *}" "$(field "$line" rps)" "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" "$(field "$line" non2xx)"
done
echo "(barcodes: random known codes; unowned: random known codes whose brand has no owner)"
echo "server RSS: $((rss_kb / 1024)) MB (peak $((hwm_kb / 1024)) MB)"
ratio=$(echo "scale=1; 100 * $(field "$barcodes" rps) / $(field "$health" rps)" | bc)
p99=$(field "$barcodes" p99_ms)
goal="met"
if (( $(echo "$ratio < 70 || $p99 >= 10" | bc) )); then goal="NOT met"; fi
echo "barcodes at $ratio % of /healthz req/s, p99 $p99 ms: goal (≥ 70 %, p99 < 10 ms) $goal"
echo "unowned at $(echo "scale=1; 100 * $(field "$unowned" rps) / $(field "$health" rps)" | bc) % of /healthz req/s, p99 $(field "$unowned" p99_ms) ms"
