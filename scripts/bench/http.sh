#!/usr/bin/env bash
# HTTP benchmark against the same server's /healthz (a constant answer, requested through the same
# kind of Lua request function), wrk with 64 connections on loopback, on these workloads:
#   cold      GET /v1/barcodes/{code}, every known code of the store in random order, each asked
#             once (each wrk thread walks its own share), none of them met in the warm-up: no
#             answer comes from the cache unless the run outlasts the list (a small store) and
#             starts it again; the cache hits during the run are printed
#   hot       GET /v1/barcodes/{code}, a shop's mix: 20,000 products drawn with Zipf-like
#             frequencies (s = 1.1), so a few products are scanned again and again
#   barcodes  GET /v1/barcodes/{code}, 100,000 random known codes, drawn at random (the earlier row)
#   unowned   as barcodes, for codes whose brand has no owner (the server's own cost)
#   search    GET /v1/search?q=NAME, 10,000 names of the store (half of them with a letter dropped)
# Prints requests/s, p50, p99 and the server's resident memory, and whether each goal was met
# (cold: ≥ 70 % of /healthz req/s and p99 < 10 ms; search: ≥ 10,000 req/s and p99 < 10 ms).
# A benchmark, not a test: it never fails on its numbers.
#
# usage: scripts/bench/http.sh [PRODUCTS]      (default 1000000)
# The store: $STORE if set; else the generated Open Food Facts store of scripts/bench/import.sh
# (out/bench/off.sqlite, built when missing); else one made from the fixture project.
# env:   BDSCHECK=path to a release build (default: builds .build/release/bdscheck)
#        BENCH_DIR=work folder (default out/bench/http)
#        DURATION=seconds per wrk run (default 10), CONNECTIONS (64), THREADS (2)
#        SERVE_ARGS=more options for `bdscheck serve` (e.g. --answer-cache-mb 0)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

root=$ROOT
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
# 100,000 known codes in random order for wrk to pick from; as many whose brand has no owner,
# which separates the server's own cost from the ownership walk's; every code once (cold); a
# Zipf-like shop mix (hot); and names to search for.
python3 - "$store" "$codes" "$codes.unowned" "$codes.cold" "$codes.hot" "$bench/names.txt" "$codes.warm" <<'PY'
import random, sqlite3, sys, urllib.parse
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
queries = {
    sys.argv[2]: "SELECT gtin FROM product ORDER BY random() LIMIT 100000",
    sys.argv[3]: "SELECT gtin FROM product WHERE brand_id IS NULL OR brand_id NOT IN (SELECT owned_id FROM ownership) "
                 "ORDER BY random() LIMIT 100000",
}
for path, sql in queries.items():
    with open(path, "w") as f:
        f.write("\n".join(str(r[0]).zfill(13) for r in db.execute(sql)) + "\n")
# The warm-up's codes, and every other code once for the cold run.
every = [str(r[0]).zfill(13) for r in db.execute("SELECT gtin FROM product ORDER BY random()")]
warm = every[: min(20000, len(every) // 10)]
with open(sys.argv[7], "w") as f:
    f.write("\n".join(warm) + "\n")
with open(sys.argv[4], "w") as f:
    f.write("\n".join(every[len(warm):]) + "\n")
r = random.Random(11)
shop = [str(x[0]).zfill(13) for x in db.execute("SELECT gtin FROM product ORDER BY random() LIMIT 20000")]
weights = [1 / (k + 1) ** 1.1 for k in range(len(shop))]
with open(sys.argv[5], "w") as f:
    f.write("\n".join(r.choices(shop, weights, k=200000)) + "\n")
names = [x[0] for x in db.execute("SELECT name FROM alias ORDER BY random() LIMIT 10000")]
with open(sys.argv[6], "w") as f:
    for i, name in enumerate(names):
        if i % 2 and len(name) > 4:
            k = r.randrange(1, len(name) - 1)
            name = name[:k] + name[k + 1:]
        f.write(urllib.parse.quote(name) + "\n")
PY
products=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True).execute("SELECT count(*) FROM product").fetchone()[0])' "$store")

for kind in barcodes unowned hot warm; do
    file=$codes; [[ $kind == unowned ]] && file=$codes.unowned; [[ $kind == hot ]] && file=$codes.hot
    [[ $kind == warm ]] && file=$codes.warm
    cat > "$bench/$kind.lua" <<LUA
local codes = {}
for line in io.lines("$file") do codes[#codes + 1] = line end
math.randomseed(os.time())
request = function()
    return wrk.format("GET", "/v1/barcodes/" .. codes[math.random(#codes)])
end
LUA
done
# Every code once: thread k of n asks for codes k, k + n, k + 2n, …
cat > "$bench/cold.lua" <<LUA
local threads = {}
local count = 0
setup = function(thread)
    thread:set("id", count)
    count = count + 1
    table.insert(threads, thread)
end
init = function(args)
    codes = {}
    for line in io.lines("$codes.cold") do codes[#codes + 1] = line end
    step = $threads
    next_code = id + 1
end
request = function()
    local code = codes[next_code]
    next_code = next_code + step
    if next_code > #codes then next_code = id + 1 end
    return wrk.format("GET", "/v1/barcodes/" .. code)
end
LUA
cat > "$bench/search.lua" <<LUA
local names = {}
for line in io.lines("$bench/names.txt") do names[#names + 1] = line end
math.randomseed(os.time())
request = function()
    return wrk.format("GET", "/v1/search?q=" .. names[math.random(#names)])
end
LUA
for kind in barcodes unowned hot cold search; do wrk_report_lua >> "$bench/$kind.lua"; done
wrk_healthz_lua "$bench/healthz.lua"

# shellcheck disable=SC2086  # SERVE_ARGS is split into options on purpose
start_server "$BDSCHECK" "$store" "$bench/serve.log" ${SERVE_ARGS:-} || { echo "http.sh: the server did not become ready (see $bench/serve.log)" >&2; exit 1; }

run() { # name path script
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$3" "$url$2" | grep '^RESULT' | sed "s/^RESULT/$1/"
}
# Warm-up on codes the cold run does not have: it must meet each of its codes for the first time.
echo "warming up" >&2
wrk -t"$threads" -c"$connections" -d3s -s "$bench/warm.lua" "$url/" >/dev/null
cache_hits() { curl -sf "$url/metrics" | sed -n 's/^bdscheck_answer_cache_requests_total{result="hit"} //p'; }
health=$(run healthz /healthz "$bench/healthz.lua")
hits_before=$(cache_hits)
cold=$(run cold / "$bench/cold.lua")
cold_hits=$(( $(cache_hits) - ${hits_before:-0} ))
hot=$(run hot / "$bench/hot.lua")
barcodes=$(run barcodes / "$bench/barcodes.lua")
unowned=$(run unowned / "$bench/unowned.lua")
search=$(run search / "$bench/search.lua")
rss_kb=$(awk '/^VmRSS/ {print $2}' /proc/$server/status)
hwm_kb=$(awk '/^VmHWM/ {print $2}' /proc/$server/status)
metrics=$(curl -sf "$url/metrics" | grep -E '^bdscheck_answer_cache' || true)

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
pct() { echo "scale=1; 100 * $(field "$1" rps) / $(field "$health" rps)" | bc; }
echo
echo "products: $products · store: $(du -h "$store" | cut -f1) · wrk -t$threads -c$connections -d${duration}s · $(nproc) cores · load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %10s %10s %10s %10s %12s\n' route req/s p50_ms p99_ms non-2xx "of /healthz"
for line in "$health" "$cold" "$hot" "$barcodes" "$unowned" "$search"; do
    printf '%-10s %10s %10s %10s %10s %11s%%\n' "${line%% *}" "$(field "$line" rps)" "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" \
        "$(field "$line" non2xx)" "$(pct "$line")"
done
echo "(cold: every known code once; hot: a Zipf-like mix of 20,000 products; barcodes: random known codes;"
echo " unowned: random known codes whose brand has no owner; search: names, half with a letter dropped)"
echo "server RSS: $((rss_kb / 1024)) MB (peak $((hwm_kb / 1024)) MB; the store's memory-mapped pages count in it)"
[[ -n $metrics ]] && echo "$metrics" | sed 's/^/  /'
goal() { if (( $(echo "$1" | bc) )); then echo met; else echo "NOT met"; fi; }
echo "answer-cache hits during the cold run: $cold_hits (0: every answer made afresh)"
echo "cold at $(pct "$cold") % of /healthz req/s, p99 $(field "$cold" p99_ms) ms: goal (≥ 70 %, p99 < 10 ms) $(goal "$(pct "$cold") >= 70 && $(field "$cold" p99_ms) < 10")"
echo "hot at $(pct "$hot") % of /healthz req/s, p99 $(field "$hot" p99_ms) ms"
echo "search at $(field "$search" rps) req/s, p99 $(field "$search" p99_ms) ms: goal (≥ 10,000 req/s, p99 < 10 ms) $(goal "$(field "$search" rps) >= 10000 && $(field "$search" p99_ms) < 10")"
results=$root/out/bench/results
mkdir -p "$results"
{
    for line in "$health" "$cold" "$hot" "$barcodes" "$unowned" "$search"; do
        name=${line%% *}
        echo "${name}_rps=$(field "$line" rps)"
        echo "${name}_p99_ms=$(field "$line" p99_ms)"
    done
    echo "cold_cache_hits=$cold_hits"
    echo "load=$(cut -d' ' -f1 /proc/loadavg)"
} >"$results/http.env"
