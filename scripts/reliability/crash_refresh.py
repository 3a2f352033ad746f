#!/usr/bin/env python3
"""Kills `bdscheck refresh` with SIGKILL at random moments and checks the live store each time.

Run by scripts/reliability/crash-refresh.sh, which builds the binary and generates the two exports.

    crash_refresh.py --bdscheck BIN --old A.tsv --new B.tsv --work DIR [--kills 20] [--seed 1]

Two Open Food Facts-shaped exports, A and B, with different products. The live store starts as A;
an uninterrupted refresh makes it B and gives the time T a whole refresh takes (under the load
below). Then, `--kills` times, a refresh towards the other content is started and killed with
SIGKILL after a delay drawn from evenly spaced slots of [0, 1.15 T] (so kills land in every phase:
download, import, index, check, swap, and some after the end). Half the refreshes fetch the file
from a local HTTP server (`bdscheck refresh open-food-facts`), half read it with `--file`.
After each kill:

- the live store passes `PRAGMA integrity_check`;
- its content (row counts and a SHA-256 over the sorted products, brands and ownership links) is
  exactly A or exactly B — and B (the target) when the refresh had finished before the kill;
- no temporary file of the killed refresh is left where it would pile up or get in the way;
- the server reloads it (POST /v1/admin/reload → 200) and then answers from that content.

All along, a `bdscheck serve` on 127.0.0.1 answers a continuous stream of GET /v1/barcodes/{code}
from two client threads; every answer must be a 200 with a verdict. At the end an uninterrupted
refresh must succeed after all the kills, and the server, reloaded, must answer from it.
Exit status 0 when every kill passed and no request failed.
"""

import argparse
import hashlib
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

TOKEN = "crash-refresh-admin-token-0123456789"


def log(msg):
    print(msg, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def content_digest(path):
    """Counts and a SHA-256 over the store's content, independent of row ids and build time."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("product", "entity", "alias", "ownership", "listing", "source")}
        h = hashlib.sha256()
        for sql in (
            "SELECT p.gtin, p.name, e.name FROM product p LEFT JOIN entity e ON e.id = p.brand_id ORDER BY p.gtin",
            "SELECT e.kind, e.name FROM entity e ORDER BY e.kind, e.name",
            "SELECT a.name, b.name, o.percent FROM ownership o JOIN entity a ON a.id = o.owned_id "
            "JOIN entity b ON b.id = o.owner_id ORDER BY a.name, b.name",
            "SELECT id, sha256, records FROM source ORDER BY id",
        ):
            for row in db.execute(sql):
                h.update(repr(row).encode())
        return counts, h.hexdigest()
    finally:
        db.close()


def integrity(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in db.execute("PRAGMA integrity_check")]
    finally:
        db.close()


def sample_codes(tsv, n, rng):
    """Up to n product codes of a generated export: 13-digit, not GS1 Israel (729), not in-store (2xx)."""
    codes = []
    with open(tsv, encoding="utf-8") as f:
        next(f)
        for line in f:
            code = line.split("\t", 1)[0]
            if len(code) == 13 and not code.startswith(("729", "2")):
                codes.append(code)
    rng.shuffle(codes)
    return codes[:n]


class Load:
    """Client threads hitting GET /v1/barcodes/{code} without pause, counting every failure."""

    def __init__(self, port, codes, threads=2):
        self.port, self.codes = port, codes
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0
        self.failures = []
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(threads)]

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()

    def fail(self, what):
        with self.lock:
            self.failures.append(f"{time.strftime('%H:%M:%S')} {what}")

    def run(self, seed):
        rng = random.Random(seed)
        conn = None
        while not self.stop.is_set():
            code = rng.choice(self.codes)
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", f"/v1/barcodes/{code}")
                resp = conn.getresponse()
                body = resp.read()
                if resp.status != 200 or b'"verdict"' not in body:
                    self.fail(f"GET /v1/barcodes/{code}: {resp.status} {body[:200]!r}")
            except Exception as e:  # a refused, reset or timed-out connection is a failure too
                self.fail(f"GET /v1/barcodes/{code}: {type(e).__name__}: {e}")
                if conn is not None:
                    conn.close()
                conn = None
            with self.lock:
                self.requests += 1


def http_call(port, method, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bdscheck", required=True)
    ap.add_argument("--old", required=True, help="export A (the store's first content)")
    ap.add_argument("--new", required=True, help="export B")
    ap.add_argument("--work", required=True)
    ap.add_argument("--definition", required=True, help="importers/90-open-food-facts.toml to adapt")
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data")
    store_dir = os.path.join(work, "store")
    tmpdir = os.path.join(work, "tmp")  # TMPDIR of the refreshes: must stay empty (downloads go to sources/.download-tmp-PID)
    files = os.path.join(work, "files")  # what the local HTTP server serves
    logs = os.path.join(work, "logs")
    for d in (data + "/importers", store_dir, tmpdir, files, logs):
        os.makedirs(d, exist_ok=True)
    for d in (store_dir, tmpdir, logs):
        for name in os.listdir(d):
            p = os.path.join(d, name)
            if os.path.isdir(p):
                subprocess.run(["rm", "-rf", p], check=True)
            else:
                os.unlink(p)
    live = os.path.join(store_dir, "store.sqlite")
    tsv = {"A": os.path.abspath(args.old), "B": os.path.abspath(args.new)}
    for k, path in tsv.items():
        link = os.path.join(files, f"off-{k}.tsv")
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(path, link)

    with open(args.definition, encoding="utf-8") as f:
        definition = [l for l in f.read().splitlines() if l.strip() != "default = false"]
    http_port = free_port()

    def write_definition(target):
        # The fetched URL names the content, so a conditional GET never answers for the other one.
        lines = [f'fetch = "http://127.0.0.1:{http_port}/off-{target}.tsv"' if l.startswith("fetch =") else l
                 for l in definition]
        with open(os.path.join(data, "importers", "90-open-food-facts.toml"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    env = dict(os.environ, TMPDIR=tmpdir, BDSCHECK_LOG_LEVEL="info")
    refresh_no = [0]

    def leftover_files():
        """Files beside the store other than the store, the previous store and the cached sources."""
        found = [n for n in os.listdir(store_dir) if n not in ("store.sqlite", "store.sqlite.prev", "sources")]
        sources = os.path.join(store_dir, "sources")
        if os.path.isdir(sources):
            found += [f"sources/{n}" for n in os.listdir(sources) if not n.endswith((".data", ".json"))]
        return sorted(found) + [f"TMPDIR/{n}" for n in sorted(os.listdir(tmpdir))]

    def start_refresh(target, fetch):
        write_definition(target)
        refresh_no[0] += 1
        cmd = [args.bdscheck, "refresh", "--data", data, "--store", live]
        cmd += ["open-food-facts"] if fetch else ["--file", f"open-food-facts={tsv[target]}"]
        out = open(os.path.join(logs, f"refresh-{refresh_no[0]:02d}.log"), "w")
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env), out.name

    def refresh_whole(target, fetch=False):
        t0 = time.monotonic()
        proc, path = start_refresh(target, fetch)
        code = proc.wait()
        if code != 0:
            log(open(path).read()[-3000:])
            raise SystemExit(f"an uninterrupted refresh to {target} failed with status {code} (log: {path})")
        return time.monotonic() - t0

    # The HTTP server for the fetched refreshes (stopped with SIGKILL at the end).
    httpd = subprocess.Popen([sys.executable, "-m", "http.server", str(http_port), "--bind", "127.0.0.1",
                              "--directory", files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = None
    load = None
    try:
        log(f"building the first store (A) from {tsv['A']}…")
        t_a = refresh_whole("A")
        digests = {"A": content_digest(live)}
        log(f"  A: {digests['A'][0]} ({t_a:.1f} s)")

        port = free_port()
        server_log = open(os.path.join(logs, "serve.log"), "w")
        server = subprocess.Popen(
            [args.bdscheck, "serve", "--store", live, "--host", "127.0.0.1", "--port", str(port)],
            stdout=server_log, stderr=subprocess.STDOUT,
            env=dict(os.environ, BDSCHECK_ADMIN_TOKEN=TOKEN, BDSCHECK_LOG_LEVEL="notice"))
        for _ in range(300):
            try:
                if http_call(port, "GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit("the server did not become ready")

        codes = {k: sample_codes(tsv[k], 20000, rng) for k in ("A", "B")}
        # A code checked for "known here, unknown there" must be in one export only.
        for k, other in (("A", "B"), ("B", "A")):
            codes[k] = [c for c in codes[k] if c not in set(codes[other])][:5000]
        load = Load(port, codes["A"] + codes["B"])
        load.start()
        log(f"server on 127.0.0.1:{port}, pid {server.pid}; load: 2 client threads on GET /v1/barcodes/{{code}}")

        def reload_and_check(expected):
            status, body = http_call(port, "POST", "/v1/admin/reload", {"Authorization": f"Bearer {TOKEN}"})
            problems = []
            if status != 200:
                return [f"reload answered {status}: {body[:300]!r}"]
            status, body = http_call(port, "GET", "/v1/sources")
            served = json.loads(body).get("counts", {}).get("products") if status == 200 else None
            if served != digests[expected][0]["product"]:
                problems.append(f"/v1/sources says {served} products, content {expected} has {digests[expected][0]['product']}")
            other = "B" if expected == "A" else "A"
            for k, known in ((expected, True), (other, False)):
                code = codes[k][0]
                status, body = http_call(port, "GET", f"/v1/barcodes/{code}")
                verdict = json.loads(body).get("verdict") if status == 200 else None
                if (verdict != "unknown") != known:
                    problems.append(f"{code} (from {k}) answered {status} {verdict} after reloading {expected}")
            return problems

        log(f"uninterrupted refresh to B (under load)…")
        t_b = refresh_whole("B")
        digests["B"] = content_digest(live)
        log(f"  B: {digests['B'][0]} ({t_b:.1f} s)")
        if digests["A"][1] == digests["B"][1]:
            raise SystemExit("A and B have the same content: use two different exports")
        problems = reload_and_check("B")
        if problems:
            raise SystemExit("after the uninterrupted refresh: " + "; ".join(problems))

        span = 1.15 * t_b
        slots = list(range(args.kills))
        rng.shuffle(slots)
        current = "B"
        passed = 0
        rows = []
        for i, slot in enumerate(slots):
            target = "A" if current == "B" else "B"
            fetch = i % 2 == 0
            delay = (slot + rng.random()) / args.kills * span
            proc, log_path = start_refresh(target, fetch)
            time.sleep(delay)
            # What the refresh was doing just before the kill.
            building = [n for n in os.listdir(store_dir) if n.endswith(f".building-{proc.pid}")]
            scratch = os.path.join(store_dir, "sources", f".download-tmp-{proc.pid}")
            downloading = os.path.isdir(scratch) and bool(os.listdir(scratch))
            with open(log_path, errors="replace") as f:
                text = f.read()
            finished = proc.poll() is not None
            if not finished:
                proc.kill()
            code = proc.wait()
            if finished:
                phase = f"finished (exit {code})"
            elif downloading:
                phase = "download"
            elif building and "100 % read" in text:
                phase = "index/check/swap"
            elif building:
                phase = "import"
            elif "100 % read" in text:
                phase = "after swap"
            elif fetch and "fetching" in text:
                phase = "download"
            else:
                phase = "start"

            problems = []
            check = integrity(live)
            if check != ["ok"]:
                problems.append(f"integrity_check: {check[:3]}")
            counts, digest = content_digest(live)
            now = next((k for k in ("A", "B") if digests[k][1] == digest), None)
            if now is None:
                problems.append(f"content is neither A nor B: {counts}")
            elif finished and code == 0 and now != target:
                problems.append(f"the refresh finished but the content is still {now}")
            leftovers = leftover_files()
            # The killed refresh cannot clean up after itself, but what earlier kills left must not pile up.
            if sum(".building-" in n for n in leftovers) > 1 or sum(".download-tmp-" in n for n in leftovers) > 1 \
                    or any(n.startswith("TMPDIR/") for n in leftovers):
                problems.append("temporary files of earlier refreshes are still there")
            if now is not None:
                problems += reload_and_check(now)
                current = now
            ok = not problems
            passed += ok
            rows.append((i + 1, delay, phase, now, leftovers, problems))
            log(f"kill {i + 1:2d}/{args.kills}: {'mode fetch' if fetch else 'mode file '} after {delay:5.1f} s "
                f"({phase:16s}) → live = {now}, integrity ok={check == ['ok']}, "
                f"leftovers={leftovers or 'none'}: {'PASS' if ok else 'FAIL ' + '; '.join(problems)}")

        log("final uninterrupted refresh after the kills…")
        final_target = "A" if current == "B" else "B"
        t_final = refresh_whole(final_target, fetch=True)
        final_problems = []
        if content_digest(live)[1] != digests[final_target][1]:
            final_problems.append("the final refresh did not give the expected content")
        final_problems += reload_and_check(final_target)
        leftovers = leftover_files()
        log(f"  final refresh to {final_target} in {t_final:.1f} s (fetched), reloaded: "
            f"{'ok' if not final_problems else '; '.join(final_problems)}; files left beside the store: {leftovers or 'none'}")

        time.sleep(1)
        load.finish()
        alive = server.poll() is None
        log("")
        log(f"kills passed: {passed}/{args.kills}")
        log(f"requests during the run: {load.requests}, failed: {len(load.failures)}; server still running: {alive}")
        for f in load.failures[:20]:
            log(f"  {f}")
        phases = {}
        for r in rows:
            phases[r[2].split(" ")[0]] = phases.get(r[2].split(" ")[0], 0) + 1
        log("kills by phase: " + ", ".join(f"{k} {v}" for k, v in sorted(phases.items())))
        log(f"RESULT kills={args.kills} passed={passed} requests={load.requests} failures={len(load.failures)} "
            f"refresh_seconds={t_b:.1f} final_ok={int(not final_problems and not leftovers)}")
        ok = passed == args.kills and not load.failures and alive and not final_problems and not leftovers
        return 0 if ok else 1
    finally:
        if load is not None:
            load.stop.set()
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        httpd.kill()  # SIGKILL
        httpd.wait()


if __name__ == "__main__":
    sys.exit(main())
