# Shared helpers for scripts/bench/*.sh (sourced, not run).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/scripts/bench"
OUT="$ROOT/out/bench"
RESULTS="$OUT/results"
mkdir -p "$OUT" "$RESULTS"

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

need() {  # need COMMAND DEBIAN-PACKAGE
    command -v "$1" >/dev/null 2>&1 && return
    say "installing $2 (for $1)…"
    apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$2" >/dev/null 2>&1; } \
        || die "cannot install $2"
}

# Builds the main package as it is installed (scripts/install.sh: release, --static-swift-stdlib)
# and sets BIN to the bdscheck executable of that layout: the lean one, with the full one beside
# it as bdscheck-full, to which it hands every other command (serve, refresh, …).
build_main() {
    [ -n "${BIN:-}" ] && [ -x "$BIN" ] && return
    if [ -n "${BENCH_SKIP_BUILD:-}" ]; then
        BIN="$OUT/bin/bdscheck"
        [ -x "$BIN" ] || die "BENCH_SKIP_BUILD is set but there is no $BIN from an earlier run"
        return
    fi
    say "building the main package (swift build -c release --static-swift-stdlib)…"
    local log="$OUT/build-main.log"
    if ! (cd "$ROOT" && swift build -c release --static-swift-stdlib --product bdscheck >"$log" 2>&1 \
            && swift build -c release --static-swift-stdlib --product bdscheck-lean >>"$log" 2>&1); then
        grep -E 'error:' "$log" | head -20 >&2
        die "the release build of the main package failed (full log: $log)"
    fi
    local bin_dir
    bin_dir="$(cd "$ROOT" && swift build -c release --static-swift-stdlib --show-bin-path)"
    [ -x "$bin_dir/bdscheck-lean" ] || die "no executable at $bin_dir/bdscheck-lean"
    # A snapshot, so that another engineer's rebuild cannot swap the binary in the middle of a run.
    rm -rf "$OUT/bin" && mkdir -p "$OUT/bin"
    cp "$bin_dir/bdscheck-lean" "$OUT/bin/bdscheck"
    cp "$bin_dir/bdscheck" "$OUT/bin/bdscheck-full"
    cp -r "$bin_dir"/*.resources "$OUT/bin/" 2>/dev/null || true
    # The Open Food Facts definition goes with the binary it was built beside (its keys evolve with the code).
    cp "$ROOT/importers/90-open-food-facts.toml" "$OUT/bin/"
    (cd "$ROOT" && echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Package.swift || echo '+uncommitted')") \
        >"$OUT/bin/VERSION"
    BIN="$OUT/bin/bdscheck"
    export BIN
}

# The generated export for ROWS rows (seeded), cached under out/bench and remade when the generator
# changes. Extra generator options (--brands B, --self-owned F) become part of the file name.
tsv_for() {  # tsv_for ROWS SEED [GENERATOR OPTIONS…] → prints the path
    local rows="$1" seed="$2"; shift 2
    local tag=""
    [ $# -gt 0 ] && tag="-$(printf '%s' "$*" | tr -c 'A-Za-z0-9.' '_' | sed 's/^_*//')"
    local file="$OUT/off-$rows-s$seed$tag.tsv"
    if [ ! -s "$file" ] || [ "$BENCH/gen-off.py" -nt "$file" ]; then
        say "generating $rows rows (seed $seed${*:+, $*}) → $file…"
        local t0=$SECONDS
        python3 "$BENCH/gen-off.py" --rows "$rows" --seed "$seed" --brands-out "$file.brands" "$@" >"$file.part" \
            || die "generator failed"
        mv "$file.part" "$file"
        say "  generated in $((SECONDS - t0)) s, $(stat -c %s "$file") bytes"
    fi
    printf '%s\n' "$file"
}

# Reads wall seconds and peak RSS (kB) out of a `/usr/bin/time -v -o FILE` report.
time_wall() {
    awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.3f\n", s }' "$1"
}
time_rss() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
time_cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f\n", s }' "$1"; }  # user + system s

# Writes KEY=VALUE lines for run-all.sh.
record() {  # record FILE KEY VALUE …
    local file="$1"; shift
    while [ $# -ge 2 ]; do printf '%s=%s\n' "$1" "$2" >>"$file"; shift 2; done
}

fmt_ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}' if b else 'n/a')" "$1" "$2"; }

# Writes DIR/importers/90-open-food-facts.toml: the snapshot's definition with `fetch = …` replaced by
# `file = "TSV"` and `default = false` removed, so that `bdscheck refresh --data DIR` imports TSV alone.
off_data_dir() {  # off_data_dir DIR TSV
    local def="$OUT/bin/90-open-food-facts.toml"
    [ -s "$def" ] || def="$ROOT/importers/90-open-food-facts.toml"
    mkdir -p "$1/importers"
    sed -e "s|^fetch = .*|file = \"$2\"|" -e '/^default = false/d' "$def" >"$1/importers/90-open-food-facts.toml"
    grep -q "^file = \"$2\"" "$1/importers/90-open-food-facts.toml" || die "could not point the definition at $2"
}

# wrk's `done` function that prints one line: "RESULT rps=… p50_ms=… p99_ms=… requests=… errors=… non2xx=…".
wrk_report_lua() {
    cat <<'LUA'
done = function(summary, latency, requests)
    local non2xx = summary.errors.status
    io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d non2xx=%d\n",
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, non2xx))
end
LUA
}

# The /healthz baseline's wrk script, with the report. It pays the same client-side cost per request
# as the lookups (a Lua request function drawing a random number and formatting the request): on 2
# shared cores wrk's own CPU time is part of what both runs measure, and a static request would
# flatter the baseline.
wrk_healthz_lua() {  # wrk_healthz_lua FILE
    cat >"$1" <<'LUA'
math.randomseed(os.time())
request = function()
    local _ = math.random(100000)
    return wrk.format("GET", "/healthz")
end
LUA
    wrk_report_lua >>"$1"
}

# Starts `BIN serve --store STORE` on a free loopback port, logging to LOG, and waits (up to 60 s)
# for /readyz. Sets `server` (its pid) and `url`; stops it on exit. Returns 1 if it never got ready.
start_server() {  # start_server BIN STORE LOG [MORE SERVE OPTIONS…]
    local bin="$1" store="$2" log="$3" port
    shift 3
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    BDSCHECK_LOG_LEVEL=warning "$bin" serve --store "$store" --port "$port" "$@" >"$log" 2>&1 &
    server=$!
    trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
    url="http://127.0.0.1:$port"
    for _ in $(seq 600); do
        curl -sf "$url/readyz" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

stop_server() {
    kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
    trap - EXIT
}
