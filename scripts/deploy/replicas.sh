#!/usr/bin/env bash
# Replicas behind a real load balancer: nginx (Debian's) on 127.0.0.1 in front of 3 `bdscheck
# serve` replicas, each pulling one signed snapshot from a static HTTP server (python3 -m
# http.server on 127.0.0.1). wrk runs through nginx for --duration seconds while a new snapshot is
# published; the replicas pull it (every --every seconds) and reload. Prints each replica's data
# version over time (from its /readyz) and the throughput of one replica direct vs through nginx.
#
#   scripts/deploy/replicas.sh [--duration S] [--every S] [--publish-at S] [--connections C]
#           (default 60 s of load, pulls every 10 s, the new snapshot published 15 s into the run,
#            32 connections, wrk -t2)
#
# Passes (exit 0) when wrk saw no socket error and no non-2xx answer, and every replica answered
# from the new data version within one pull interval of its publication: its log says it
# installed the snapshot at most --every + 2 s after `snapshot create` finished (the 2 s are the
# download, the checks and the reload on a loaded machine; /readyz, polled about once a second,
# confirms it answers from it). Loopback only; every process it starts is
# stopped by its id at the end, and the work folder is removed unless KEEP=1.
# env: BDSCHECK=path to a bdscheck binary (default: this checkout's debug build, built if missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

DURATION=60
EVERY=10
PUBLISH_AT=15
CONNECTIONS=32
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --every) EVERY="$2"; shift 2 ;;
        --publish-at) PUBLISH_AT="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
[ "$PUBLISH_AT" -lt "$DURATION" ] || { echo "--publish-at must fall inside --duration" >&2; exit 64; }

say() { printf '%s\n' "$*"; }
for tool in nginx wrk curl python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "needs $tool (apt-get install -y nginx wrk curl)" >&2; exit 1; }
done
if [ -z "${BDSCHECK:-}" ]; then
    BDSCHECK="$(cd "$ROOT" && swift build --show-bin-path)/bdscheck"
    [ -x "$BDSCHECK" ] || (cd "$ROOT" && swift build --product bdscheck)
fi

WORK="$(mktemp -d /tmp/bdscheck-replicas.XXXXXX)"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "${KEEP:-0}" = 1 ]; then say "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
version_of() {  # version_of PORT: the data version a replica answers from, or "-"
    local v
    v="$(curl -s --max-time 2 "http://127.0.0.1:$1/readyz" | sed -n 's/.*"dataVersion":\([0-9]*\).*/\1/p')"
    echo "${v:--}"
}
requests_per_second() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }

# 1. The maintainers' side: a store from the shipped data, a key pair, snapshot 1, published.
say "== building the store and publishing snapshot 1"
(cd "$ROOT" && "$BDSCHECK" refresh --store "$WORK/build/store.sqlite" >"$WORK/refresh.log" 2>&1)
"$BDSCHECK" snapshot keygen --public-key "$WORK/campaign.pub" --secret-key "$WORK/campaign.key"
"$BDSCHECK" snapshot create --key "$WORK/campaign.key" --out "$WORK/www/snapshot" --store "$WORK/build/store.sqlite"
HTTP_PORT="$(free_port)"
python3 -m http.server --bind 127.0.0.1 --directory "$WORK/www" "$HTTP_PORT" >"$WORK/http.log" 2>&1 &
PIDS+=($!)
SNAPSHOT_URL="http://127.0.0.1:$HTTP_PORT/snapshot/"
for _ in $(seq 50); do curl -sf "$SNAPSHOT_URL/manifest.json" >/dev/null && break; sleep 0.1; done

# 2. Three stateless replicas, each with its own store file, all pulling the one snapshot.
PORTS=()
for i in 1 2 3; do
    port="$(free_port)"
    PORTS+=("$port")
    BDSCHECK_LOG_LEVEL=notice "$BDSCHECK" serve --port "$port" --store "$WORK/replica$i/store.sqlite" \
        --pull "$SNAPSHOT_URL" --every "${EVERY}s" --trust "$WORK/campaign.pub" --max-data-age 30d \
        >"$WORK/replica$i.log" 2>&1 &
    PIDS+=($!)
done
for port in "${PORTS[@]}"; do
    for _ in $(seq 300); do [ "$(version_of "$port")" = 1 ] && break; sleep 0.1; done
    [ "$(version_of "$port")" = 1 ] || { echo "replica on $port did not start on snapshot 1" >&2; cat "$WORK"/replica*.log >&2; exit 1; }
done
say "replicas on ports ${PORTS[*]}, all on data version 1"

# 3. nginx in front: round robin, keep-alive to the replicas, retry another replica on a failed connection.
NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx"
{
    echo "worker_processes 1; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log warn;"
    echo "events { worker_connections 1024; }"
    echo "http {"
    echo "  access_log off;"
    echo "  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;"
    echo "  fastcgi_temp_path $WORK/nginx/fastcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;"
    echo "  upstream bdscheck {"
    for port in "${PORTS[@]}"; do echo "    server 127.0.0.1:$port max_fails=3 fail_timeout=5s;"; done
    echo "    keepalive 32;"
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$NGINX_PORT;"
    echo "    location / {"
    echo "      proxy_pass http://bdscheck; proxy_http_version 1.1; proxy_set_header Connection \"\";"
    echo "      proxy_next_upstream error timeout http_502 http_503; proxy_connect_timeout 2s;"
    echo "    }"
    echo "  }"
    echo "}"
} >"$WORK/nginx/nginx.conf"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' &
PIDS+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/readyz" >/dev/null && break; sleep 0.1; done

# wrk: a mix of barcode and name lookups; counts every answer that is not 2xx (wrk itself counts 3xx as fine).
cat >"$WORK/lookups.lua" <<'LUA'
local paths = { "/v1/barcodes/7290011498382", "/v1/barcodes/0040822011143", "/v1/search?q=sabra", "/v1/search?q=hyperx" }
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; n = 0 end
function request() n = n + 1; return wrk.format("GET", paths[(n % #paths) + 1]) end
function response(status, headers, body) if status < 200 or status > 299 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  local e = summary.errors
  io.write(string.format("requests %d, non-2xx %d, socket errors %d (connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, total, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout))
end
LUA
for path in /v1/barcodes/7290011498382 "/v1/search?q=sabra"; do
    status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_PORT$path")"
    [ "$status" = 200 ] || { echo "GET $path through nginx answered $status" >&2; exit 1; }
done

# 4. Throughput: one replica direct, then through nginx (10 s each, same load).
say "== throughput, 10 s each, wrk -t2 -c$CONNECTIONS"
wrk -t2 -c"$CONNECTIONS" -d10s -s "$WORK/lookups.lua" "http://127.0.0.1:${PORTS[0]}" >"$WORK/wrk-direct.txt"
wrk -t2 -c"$CONNECTIONS" -d10s -s "$WORK/lookups.lua" "http://127.0.0.1:$NGINX_PORT" >"$WORK/wrk-nginx.txt"
say "one replica direct: $(requests_per_second "$WORK/wrk-direct.txt") requests/s; $(tail -1 "$WORK/wrk-direct.txt")"
say "through nginx:      $(requests_per_second "$WORK/wrk-nginx.txt") requests/s; $(tail -1 "$WORK/wrk-nginx.txt")"

# 5. The run: wrk through nginx; snapshot 2 published at PUBLISH_AT; versions polled every second.
say "== ${DURATION} s through nginx; snapshot 2 is published at ${PUBLISH_AT} s; pulls every ${EVERY} s"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/lookups.lua" "http://127.0.0.1:$NGINX_PORT" >"$WORK/wrk-run.txt" &
WRK_PID=$!
PIDS+=("$WRK_PID")
START=$(date +%s)
PUBLISHED_AT=""
declare -A REACHED
last_line=""
while kill -0 "$WRK_PID" 2>/dev/null; do
    now=$(( $(date +%s) - START ))
    if [ -z "$PUBLISHED_AT" ] && [ "$now" -ge "$PUBLISH_AT" ]; then
        "$BDSCHECK" snapshot create --key "$WORK/campaign.key" --out "$WORK/www/snapshot" --store "$WORK/build/store.sqlite" >/dev/null
        PUBLISHED_EPOCH=$(date +%s)
        now=$((PUBLISHED_EPOCH - START))
        PUBLISHED_AT=$now
        say "t=${now}s  published snapshot 2 ($(date -u -d "@$PUBLISHED_EPOCH" +%H:%M:%S))"
    fi
    now=$(( $(date +%s) - START ))
    line=""
    for i in 0 1 2; do
        v="$(version_of "${PORTS[$i]}")"
        line+="  replica$((i + 1))=v$v"
        if [ -n "$PUBLISHED_AT" ] && [ "$v" = 2 ] && [ -z "${REACHED[$i]:-}" ]; then REACHED[$i]=$now; fi
    done
    # One line per change, and one every 10 s.
    if [ "$line" != "$last_line" ] || [ $((now % 10)) -eq 0 ]; then say "t=${now}s$line"; last_line="$line"; fi
    sleep 1
done
wait "$WRK_PID" || true

say "== results"
cat "$WORK/wrk-run.txt"
ok=1
summary="$(tail -1 "$WORK/wrk-run.txt")"
bad="$(sed -n 's/.*non-2xx \([0-9]*\), socket errors \([0-9]*\).*/\1 \2/p' <<<"$summary")"
[ "$bad" = "0 0" ] || { say "FAIL: failed requests during the run ($summary)"; ok=0; }
for i in 0 1 2; do
    if [ -z "${REACHED[$i]:-}" ]; then
        say "FAIL: replica$((i + 1)) never answered from snapshot 2"; ok=0
    else
        lag=$(( REACHED[$i] - PUBLISHED_AT ))
        # The replica's own log line says when it installed; the poll only when it was next asked.
        logged="$(sed -n 's/^\([^ ]*\) notice .*Installed data version 2 .*/\1/p' "$WORK/replica$((i + 1)).log" | head -1)"
        log_lag="-"
        [ -n "$logged" ] && log_lag=$(( $(date -d "$logged" +%s) - PUBLISHED_EPOCH ))
        say "replica$((i + 1)) on snapshot 2: installed ${log_lag} s after publication (its log), seen on /readyz ${lag} s after (pull interval ${EVERY} s)"
        [ "$log_lag" != "-" ] && [ "$log_lag" -le $((EVERY + 2)) ] || { say "FAIL: replica$((i + 1)) took longer than one pull interval"; ok=0; }
    fi
done
grep -h "snapshot pulled\|pull failed" "$WORK"/replica*.log | sed 's/^/  log: /' | head -12
say "throughput: one replica direct $(requests_per_second "$WORK/wrk-direct.txt") req/s, through nginx $(requests_per_second "$WORK/wrk-nginx.txt") req/s (10 s each), during the run $(requests_per_second "$WORK/wrk-run.txt") req/s"
[ "$ok" = 1 ] && say "PASS" || { say "FAIL"; exit 1; }
