# Shared helpers for scripts/reliability/*.sh (sourced, not run).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REL="$ROOT/scripts/reliability"
OUT="${RELIABILITY_OUT:-$ROOT/out/reliability}"
mkdir -p "$OUT"

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

need() {  # need COMMAND DEBIAN-PACKAGE
    command -v "$1" >/dev/null 2>&1 && return
    say "installing $2 (for $1)…"
    apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$2" >/dev/null 2>&1; } \
        || die "cannot install $2"
}

# Sets BDSCHECK to the binary to test: $BDSCHECK when given, else a release build of the main
# package, copied (with its resource bundle) to $OUT/bin so that a rebuild by someone else cannot
# swap the binary in the middle of a run.
bdscheck_binary() {
    if [ -n "${BDSCHECK:-}" ]; then
        [ -x "$BDSCHECK" ] || die "BDSCHECK=$BDSCHECK is not an executable"
        BDSCHECK="$(cd "$(dirname "$BDSCHECK")" && pwd)/$(basename "$BDSCHECK")"
        export BDSCHECK
        return
    fi
    say "building the main package (swift build -c release)…"
    local log="$OUT/build-release.log"
    local try
    for try in 1 2 3; do
        (cd "$ROOT" && swift build -c release --product bdscheck >"$log" 2>&1) && break
        # Someone editing the shared tree mid-build is worth another try; anything else is not.
        grep -q 'was modified during the build' "$log" && [ "$try" -lt 3 ] && continue
        grep -E 'error:' "$log" | head -20 >&2
        die "the release build failed (full log: $log)"
    done
    local bin_dir
    bin_dir="$(cd "$ROOT" && swift build -c release --show-bin-path)"
    rm -rf "$OUT/bin" && mkdir -p "$OUT/bin"
    cp "$bin_dir/bdscheck" "$OUT/bin/"
    cp -r "$bin_dir"/*.resources "$OUT/bin/" 2>/dev/null || true
    (cd "$ROOT" && echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Package.swift || echo '+uncommitted')") \
        >"$OUT/bin/VERSION"
    BDSCHECK="$OUT/bin/bdscheck"
    export BDSCHECK
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_ready() {  # wait_ready URL PID [SECONDS]: until GET URL/readyz answers 200
    local url="$1" pid="$2" limit="${3:-120}" i
    for ((i = 0; i < limit * 10; i++)); do
        curl -sf "$url/readyz" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# A copy of the shipped importers/ and datasets/ (so the repository's own .bdscheck/ is left alone).
shipped_data_copy() {  # shipped_data_copy DIR
    rm -rf "$1" && mkdir -p "$1"
    cp -r "$ROOT/importers" "$ROOT/datasets" "$1/"
}
