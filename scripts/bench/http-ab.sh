#!/usr/bin/env bash
# Two builds of bdscheck on one HTTP workload, alternated, a fresh server each time:
#
#   scripts/bench/http-ab.sh OLD-BIN NEW-BIN [WORKLOAD] [ROUNDS]
#
# WORKLOAD is one of the Lua files http.sh writes to out/bench/http/ (search, cold, hot, barcodes,
# unowned, healthz; default search), so run http.sh once first. Each round runs OLD then NEW:
# 3 s of warm-up, then DURATION seconds (default 10) of wrk with 64 connections, and prints both
# results and NEW's req/s as a ratio of OLD's in the same round. The store is STORE (default
# out/bench/off.sqlite). Alternating in one run is what makes two builds comparable on a machine
# whose load moves from minute to minute.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -ge 2 ] || { sed -n '2,11p' "$0" >&2; exit 64; }
OLD="$1" NEW="$2" WORKLOAD="${3:-search}" ROUNDS="${4:-2}"
STORE="${STORE:-$OUT/off.sqlite}" DURATION="${DURATION:-10}"
LUA="$OUT/http/$WORKLOAD.lua"
[ -f "$LUA" ] || die "no $LUA: run scripts/bench/http.sh first"
[ -f "$STORE" ] || die "no store at $STORE"
need wrk wrk
# A fresh server for BIN, warmed up, then one measured run; prints wrk's RESULT line.
one() {
    start_server "$1" "$STORE" "$OUT/http/ab-serve.log" || die "$1 serve never got ready"
    (cd "$OUT/http" && wrk -t2 -c64 -d3s -s "$LUA" "$url" >/dev/null)
    (cd "$OUT/http" && wrk -t2 -c64 -d"${DURATION}s" -s "$LUA" "$url") | grep '^RESULT' | sed 's/^RESULT //'
    stop_server
}
rps() { sed -n 's/.*rps=\([0-9]*\).*/\1/p' <<<"$1"; }
for round in $(seq "$ROUNDS"); do
    old=$(one "$OLD")
    new=$(one "$NEW")
    echo "round $round  old: $old"
    echo "round $round  new: $new"
    echo "round $round  new/old req/s: $(python3 -c "print(f'{$(rps "$new")/$(rps "$old"):.2f}')")"
done
