#!/usr/bin/env bash
# The whole benchmark suite, one table at the end. Every figure that has a baseline is measured
# against it in the same run (the machine is shared and noisy: trust the ratios).
#
#   scripts/bench/run-all.sh [--rows N] [--rss-rows M] [--names-brands B] [--quick]
#
#   --rows N          rows of the main generated export (default 1,000,000): import, CLI, lookups
#   --rss-rows M      also import M rows (bdscheck only) for peak RSS at scale, e.g. 5000000 (default: none)
#   --names-brands B  brands in the export built for the name-search figure (default 150,000, over
#                     500,000 rows: about 100 k names in the store); 0 skips it and searches the main store
#   --quick           100,000 rows, no RSS run, fewer CLI runs: checks that the suite works (about 2 min)
#
# Steps: swift build -c release (main package), swift build -c release (Benchmarks/), import.sh,
# cli.sh, Benchmarks' lookup-bench; raw outputs and KEY=VALUE results under out/bench/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROWS=1000000
RSS_ROWS=""
NAMES_BRANDS=150000
NAMES_ROWS=500000
CLI_RUNS=40
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --rss-rows) RSS_ROWS="$2"; shift 2 ;;
        --names-brands) NAMES_BRANDS="$2"; shift 2 ;;
        --quick) ROWS=100000; RSS_ROWS=""; NAMES_BRANDS=20000; NAMES_ROWS=100000; CLI_RUNS=10; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
done

LOG="$OUT/run-all.log"
: >"$LOG"
step() { say ""; say "### $*"; }

step "build"
build_main
say "building Benchmarks/ (swift build -c release)…"
(cd "$ROOT/Benchmarks" && swift build -c release >"$OUT/build-benchmarks.log" 2>&1) \
    || { grep -E 'error:' "$OUT/build-benchmarks.log" | head -20 >&2; die "the Benchmarks build failed (log: $OUT/build-benchmarks.log)"; }
LOOKUP_BENCH="$(cd "$ROOT/Benchmarks" && swift build -c release --show-bin-path)/lookup-bench"
export BENCH_SKIP_BUILD=1  # the steps below reuse the snapshot build_main made

STORE="$OUT/off.sqlite"
[ "$ROWS" = 1000000 ] || STORE="$OUT/off-$ROWS.sqlite"
rm -f "$RESULTS"/*.env

step "import, $ROWS rows"
"$BENCH/import.sh" --rows "$ROWS" --store "$STORE" | tee -a "$LOG" || say "(import.sh exited $?)"
IMPORT_ENV="$RESULTS/import-$(basename "$STORE" .sqlite).env"

if [ -n "$RSS_ROWS" ]; then
    step "import, $RSS_ROWS rows (bdscheck only, for peak RSS)"
    "$BENCH/import.sh" --rows "$RSS_ROWS" --no-baseline --store "$OUT/off-$RSS_ROWS.sqlite" | tee -a "$LOG" \
        || say "(import.sh exited $?)"
fi

if [ -s "$STORE" ]; then
    step "cold CLI"
    "$BENCH/cli.sh" --store "$STORE" --runs "$CLI_RUNS" | tee -a "$LOG" || say "(cli.sh exited $?)"

    step "in-process lookups"
    "$LOOKUP_BENCH" "$STORE" --results "$RESULTS/lookup.env" | tee -a "$LOG" || say "(lookup-bench exited $?)"
else
    say "no store at $STORE (the import failed): CLI and lookup benchmarks skipped"
fi

if [ -s "$STORE" ]; then
    step "batch: known codes against sqlite3"
    "$BENCH/batch.sh" --store "$STORE" --runs 3 | tee -a "$LOG" || say "(batch.sh exited $?)"

    step "HTTP: cold, hot, random, unowned and search workloads"
    STORE="$STORE" BDSCHECK="$OUT/bin/bdscheck-full" DURATION="${HTTP_SECONDS:-10}" "$BENCH/http.sh" | tee -a "$LOG" \
        || say "(http.sh exited $?)"
fi

if [ "$NAMES_BRANDS" != 0 ]; then
    step "name search over a store with many names ($NAMES_BRANDS brands over $NAMES_ROWS rows)"
    NAMES_STORE="$OUT/off-names-$NAMES_BRANDS.sqlite"
    if "$BENCH/import.sh" --rows "$NAMES_ROWS" --brands "$NAMES_BRANDS" --no-baseline --store "$NAMES_STORE" | tee -a "$LOG"; then
        "$LOOKUP_BENCH" "$NAMES_STORE" --samples 2000 --names 1000 --results "$RESULTS/search.env" | tee -a "$LOG" \
            || say "(lookup-bench exited $?)"
    fi
fi

step "summary"
python3 - "$RESULTS" "$IMPORT_ENV" "${RSS_ROWS:-}" "$OUT/bin/VERSION" <<'EOF' | tee "$OUT/summary.md"
import os, sys

results, import_env, rss_rows, version_file = sys.argv[1:5]

def load(path):
    d = {}
    if os.path.exists(path):
        for line in open(path):
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                d[k] = v
    return d

imp = load(import_env)
cli = load(os.path.join(results, "cli.env"))
look = load(os.path.join(results, "lookup.env"))
search = load(os.path.join(results, "search.env")) or look
big = load(os.path.join(results, f"import-off-{rss_rows}.env")) if rss_rows else {}
f = lambda d, k: float(d[k]) if k in d and d[k] not in ("", "n/a") else None
rows = []

def row(measure, baseline, value, base, ratio, goal, met):
    rows.append((measure, baseline, value, base, ratio, goal, met))

def yes(b):
    return "n/a" if b is None else ("yes" if b else "**no**")

n = int(imp.get("rows", "0") or 0)
if imp.get("bdscheck_ok") == "1":
    bw, sw, aw = f(imp, "bdscheck_wall"), f(imp, "sqlite_wall"), f(imp, "ascii_wall")
    r = sw / bw if sw else None
    row(f"import {n:,} rows, full pipeline (rows/s)", "sqlite3 .mode tabs .import + index",
        f"{n / bw:,.0f} ({bw:.1f} s)", f"{n / sw:,.0f} ({sw:.1f} s)" if sw else "", f"{r:.2f}x" if r else "",
        ">= 1.5x", yes(r >= 1.5 if r else None))
    bc, sc = f(imp, "bdscheck_cpu"), f(imp, "sqlite_cpu")
    if bc and sc:
        row("  same, in CPU time (user + system)", "sqlite3 .mode tabs .import + index",
            f"{n / bc:,.0f} ({bc:.1f} s)", f"{n / sc:,.0f} ({sc:.1f} s)", f"{sc / bc:.2f}x", ">= 1.5x", yes(sc / bc >= 1.5))
    if aw:
        row("  same, against a quote-free sqlite3 import", "sqlite3 .mode ascii, TAB/LF separators + index",
            f"{n / bw:,.0f}", f"{n / aw:,.0f} ({aw:.1f} s)", f"{aw / bw:.2f}x", "(info)", "")
    rss = f(imp, "bdscheck_rss_kb") / 1024
    row(f"import {n:,} rows, peak RSS", "sqlite3 .import", f"{rss:.0f} MB",
        f"{f(imp, 'sqlite_rss_kb') / 1024:.0f} MB" if f(imp, "sqlite_rss_kb") else "", "", "< 150 MB", yes(rss < 150))
    bs, ss = f(imp, "bdscheck_size"), f(imp, "sqlite_size")
    if ss:
        row("store size on disk", "sqlite3 .import db of the same file", f"{bs / 1e6:.1f} MB", f"{ss / 1e6:.1f} MB",
            f"{bs / ss:.2f}x", "<= 1.5x", yes(bs / ss <= 1.5))
elif imp:
    row(f"import {n:,} rows, full pipeline", "sqlite3 .import + index", "FAILED: " + imp.get("bdscheck_error", "?")[:120],
        f"{n / f(imp, 'sqlite_wall'):,.0f} rows/s" if f(imp, "sqlite_wall") else "", "", ">= 1.5x", "**no**")
if big:
    bn = int(big.get("rows", "0"))
    if big.get("bdscheck_ok") == "1":
        rss = f(big, "bdscheck_rss_kb") / 1024
        row(f"import {bn:,} rows, peak RSS", "—", f"{rss:.0f} MB ({bn / f(big, 'bdscheck_wall'):,.0f} rows/s)", "", "",
            "< 150 MB", yes(rss < 150))
    else:
        row(f"import {bn:,} rows", "—", "FAILED: " + big.get("bdscheck_error", "?")[:120], "", "", "< 150 MB", "**no**")
if cli:
    a, b = f(cli, "off_bdscheck_mean_ms"), f(cli, "off_sqlite_mean_ms")
    row(f"cold CLI `bdscheck CODE`, {n:,}-product store (mean)", "sqlite3 STORE \"SELECT … WHERE gtin = …\"",
        f"{a:.1f} ms", f"{b:.1f} ms", f"{a / b:.1f}x", "<= 2x", yes(a / b <= 2))
    a, b = f(cli, "shipped_bdscheck_mean_ms"), f(cli, "shipped_sqlite_mean_ms")
    if a and b:
        row("cold CLI `bdscheck 7290011498382`, shipped data, default store", "sqlite3 on the same store",
            f"{a:.1f} ms", f"{b:.1f} ms", f"{a / b:.1f}x", "<= 2x", yes(a / b <= 2))
    a = f(cli, "full_bdscheck_mean_ms")
    if a:
        row(f"cold CLI, the full executable (bdscheck-full, release build), {n:,}-product store", "sqlite3, same", f"{a:.1f} ms",
            f"{f(cli, 'full_sqlite_mean_ms'):.1f} ms", f"{a / f(cli, 'full_sqlite_mean_ms'):.1f}x", "(info)", "")
batch = load(os.path.join(results, "batch.env"))
if batch.get("batch_known_bdscheck_s"):
    k, b, s_ = int(batch["batch_known_codes"]), f(batch, "batch_known_bdscheck_s"), f(batch, "batch_known_sqlite3_s")
    row(f"`--json --batch`, {k:,} known codes (codes/s)", "one sqlite3 process, the same SELECTs",
        f"{k / b:,.0f}", f"{k / s_:,.0f}", f"{s_ / b:.2f}x", ">= 1x", yes(s_ / b >= 1))
http = load(os.path.join(results, "http.env"))
if http.get("healthz_rps"):
    h = f(http, "healthz_rps")
    for name, label in (("cold", "every known code once"), ("hot", "a Zipf-like shop mix"), ("barcodes", "random known codes")):
        r, p99 = f(http, f"{name}_rps"), f(http, f"{name}_p99_ms")
        goal, met = ((">= 70 %, p99 < 10 ms", yes(r / h >= 0.7 and p99 < 10)) if name == "cold" else ("(info)", ""))
        row(f"HTTP `GET /v1/barcodes/{{code}}`, {label}, wrk 64 conns", "the same server's /healthz",
            f"{r:,.0f} req/s, p99 {p99:.1f} ms", f"{h:,.0f} req/s", f"{100 * r / h:.0f} %", goal, met)
    r, p99 = f(http, "search_rps"), f(http, "search_p99_ms")
    row("HTTP `GET /v1/search?q=`, wrk 64 conns", "—", f"{r:,.0f} req/s, p99 {p99:.1f} ms", "", "",
        ">= 10,000 req/s, p99 < 10 ms", yes(r >= 10000 and p99 < 10))
if look:
    p50, p99, r50, r99 = (f(look, k) for k in ("verdict_p50_us", "verdict_p99_us", "raw_p50_us", "raw_p99_us"))
    row(f"barcode verdict in process, p50 ({int(look['samples']):,} GTINs, {int(look['products']):,} products)",
        "raw prepared sqlite3 SELECT", f"{p50:.1f} µs", f"{r50:.1f} µs", f"{p50 / r50:.1f}x", "< 20 µs", yes(p50 < 20))
    row("barcode verdict in process, p99", "raw prepared sqlite3 SELECT", f"{p99:.1f} µs", f"{r99:.1f} µs",
        f"{p99 / r99:.1f}x", "< 100 µs", yes(p99 < 100))
if search:
    p50, p99 = f(search, "search_p50_ms"), f(search, "search_p99_ms")
    names = int(search.get("aliases", "0"))
    row(f"name search (serve's in-memory index), exact brand name, p50 ({int(search['search_names']):,} queries, {names:,} names)", "—",
        f"{p50:.2f} ms", "", "", "< 2 ms", yes(p50 < 2))
    row("name search, exact brand name, p99", "—", f"{p99:.2f} ms", "", "", "< 10 ms", yes(p99 < 10))
    t50, t99 = f(search, "search_typo_p50_ms"), f(search, "search_typo_p99_ms")
    row("name search, one letter dropped, p50 / p99", "—", f"{t50:.2f} / {t99:.2f} ms", "", "", "< 2 / < 10 ms",
        yes(t50 < 2 and t99 < 10))
    if "fts_search_p50_ms" in search:
        row("one-off CLI search (FTS5), exact / one letter dropped, p50", "—",
            f"{f(search, 'fts_search_p50_ms'):.2f} / {f(search, 'fts_search_typo_p50_ms'):.2f} ms", "", "", "(info)", "")
        row("one-off CLI search (FTS5), exact / one letter dropped, p99", "—",
            f"{f(search, 'fts_search_p99_ms'):.2f} / {f(search, 'fts_search_typo_p99_ms'):.2f} ms", "", "", "(info)", "")

version = open(version_file).read().strip() if os.path.exists(version_file) else "?"
print(f"bdscheck {version}; {os.cpu_count()} cores")
print()
print("| measure | baseline (same run) | value | baseline value | ratio | goal | met? |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
EOF
