#!/usr/bin/env bash
# Property-based API test: schemathesis generates requests from the served /openapi.yaml (valid and
# invalid ones) for every operation and checks each answer: no 5xx, a documented status code, the
# documented content type and headers, and a body valid against the response schema.
#
#   scripts/reliability/schemathesis.sh [--max-examples N] [--seed S] [--workers W]
#
# --max-examples is per operation (10 operations; default 15: ~200 cases in about a minute, for CI);
# --max-examples 100 gives well over 1,000 cases.
# Starts `bdscheck serve` on a free 127.0.0.1 port with the shipped data (a copy under
# out/reliability/schemathesis/) and an admin token, runs schemathesis, stops the server.
# Exit status: 0 when every check passed, 1 otherwise.
# env: BDSCHECK=path to a bdscheck binary (default: a release build of this checkout)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MAX_EXAMPLES=15
SEED=1
WORKERS=1  # more workers trip a CPython 3.11 ast race inside hypothesis ("AST constructor recursion depth mismatch")
while [ $# -gt 0 ]; do
    case "$1" in
        --max-examples) MAX_EXAMPLES="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --workers) WORKERS="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
done

WORK="$OUT/schemathesis"
mkdir -p "$WORK"
VENV="$OUT/venv"
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$(sed -n 's/^schemathesis==//p' "$REL/requirements.txt")"; then
    say "installing schemathesis into $VENV…"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r "$REL/requirements.txt" || die "pip install -r $REL/requirements.txt failed"
fi
bdscheck_binary

shipped_data_copy "$WORK/data"
TOKEN="schemathesis-admin-token-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
BDSCHECK_ADMIN_TOKEN="$TOKEN" BDSCHECK_LOG_LEVEL=warning \
    "$BDSCHECK" serve --data "$WORK/data" --host 127.0.0.1 --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
wait_ready "$URL" "$SERVER" 120 || { cat "$WORK/serve.log" >&2; die "the server did not become ready"; }

say "schemathesis $("$VENV/bin/st" --version | awk '{print $NF}') against $URL/openapi.yaml, $MAX_EXAMPLES examples per operation, seed $SEED"
STATUS=0
cd "$WORK"  # schemathesis keeps its cache (.schemathesis/) in the current folder
"$VENV/bin/st" run "$URL/openapi.yaml" \
    --url "$URL" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    --phases examples,coverage,fuzzing \
    --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers "$WORKERS" \
    --header "Authorization: Bearer $TOKEN" \
    --request-timeout 10 \
    --suppress-health-check all \
    --report junit --report-junit-path "$WORK/junit.xml" \
    --no-color 2>&1 | tee "$WORK/run.log" || STATUS=$?

if ! kill -0 "$SERVER" 2>/dev/null; then
    say "the server died during the run:"; tail -20 "$WORK/serve.log" >&2; STATUS=1
fi
if grep -qiE 'error|fatal' "$WORK/serve.log"; then
    say "the server logged errors (in $WORK/serve.log):"; grep -iE 'error|fatal' "$WORK/serve.log" | head -10 >&2
fi
exit "$STATUS"
