#!/usr/bin/env python3
"""Coverage report for bdscheck's data: per listed target, what a shopper can reach.

For every entity with an active listing (by default the BDS campaign listings; add
--include-un for the UN OHCHR database too) it prints the brands owned by it
(transitively), the products with a barcode under it, and the aliases of the target and
its brands by script (Latin, Arabic, Hebrew, other). Given a query list (one query per
line, `#` starts a comment), it runs them through `bdscheck --json --batch` and prints the
share answered with something other than "unknown", per verdict.

The store is built or opened through the bdscheck binary (BDSCHECK environment variable,
or --bdscheck). Reading target details uses the store's SQLite file read-only; the table
and column names it relies on are entity, alias, ownership, listing and product as in
Sources/BDSStore/StoreSchema.swift. Standard library only.

    BDSCHECK=.build/debug/bdscheck scripts/coverage-report.py --queries scripts/queries/coverage.txt
"""
import argparse
import collections
import json
import os
import shutil
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def script_of(text):
    """The script of a name: the first letter that is not Latin or common decides."""
    for ch in text:
        cp = ord(ch)
        if 0x0590 <= cp <= 0x05FF or 0xFB1D <= cp <= 0xFB4F:
            return "Hebrew"
        if (0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF
                or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF):
            return "Arabic"
    for ch in text:
        if ch.isalpha() and not (ord(ch) < 0x0250 or 0x1E00 <= ord(ch) <= 0x1EFF):
            return "other"
    return "Latin"


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def ensure_store(binary, data, store, rebuild):
    if rebuild or not os.path.exists(store):
        os.makedirs(os.path.dirname(os.path.abspath(store)), exist_ok=True)
        cmd = [binary, "refresh", "--store", store] + (["--data", data] if data else [])
        done = run(cmd)
        if done.returncode != 0:
            sys.exit(f"coverage-report: {' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "store built")


def targets_report(store, include_un, out):
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    cats = None if include_un else ("consumer-boycott", "divestment", "pressure", "organic", "other")
    rows = db.execute("SELECT entity_id, category FROM listing WHERE entity_id IS NOT NULL AND end_date IS NULL").fetchall()
    listed = collections.defaultdict(set)
    for eid, cat in rows:
        if cats is None or cat in cats:
            listed[eid].add(cat)
    names = dict(db.execute("SELECT id, name FROM entity"))
    kinds = dict(db.execute("SELECT id, kind FROM entity"))
    owned_by = collections.defaultdict(set)  # owner -> owned
    for owned, owner in db.execute("SELECT owned_id, owner_id FROM ownership"):
        owned_by[owner].add(owned)
    aliases = collections.defaultdict(list)
    for eid, name, derived in db.execute("SELECT entity_id, name, derived_from FROM alias"):
        if derived is None and name != names.get(eid):
            aliases[eid].append(name)
    products = collections.Counter(b for (b,) in db.execute("SELECT brand_id FROM product WHERE brand_id IS NOT NULL"))

    def reach(root):
        seen, todo = set(), [root]
        while todo:
            for child in owned_by[todo.pop()]:
                if child not in seen and child != root:
                    seen.add(child)
                    todo.append(child)
        return seen

    totals = collections.Counter()
    distinct_brands, distinct_aliases = set(), collections.defaultdict(set)
    print(f"== Listed targets ({len(listed)}; active listings{'' if include_un else ', BDS campaign categories only'}) ==", file=out)
    for eid in sorted(listed, key=lambda e: names[e].lower()):
        below = reach(eid)
        brands = sorted((names[b] for b in below if kinds[b] == "brand"), key=str.lower)
        companies = sorted((names[b] for b in below if kinds[b] == "company"), key=str.lower)
        nprod = sum(products[e] for e in below | {eid})
        by_script = collections.defaultdict(list)
        for e in below | {eid}:
            for a in aliases[e]:
                by_script[script_of(a)].append(a)
        distinct_brands.update(b for b in below if kinds[b] == "brand")
        for s_, names_ in by_script.items():
            distinct_aliases[s_].update(names_)
        totals["targets"] += 1
        totals["brands"] += len(brands)
        totals["products"] += nprod
        for s, names_ in by_script.items():
            totals["aliases " + s] += len(names_)
        counts = ", ".join(f"{s} {len(by_script[s])}" for s in ("Latin", "Arabic", "Hebrew", "other"))
        print(f"\n{names[eid]} [{', '.join(sorted(listed[eid]))}]", file=out)
        print(f"  brands {len(brands)}, companies below {len(companies)}, products {nprod}; aliases: {counts}", file=out)
        if brands:
            print("  brands: " + "; ".join(brands), file=out)
        if companies:
            print("  companies: " + "; ".join(companies), file=out)
        for s in ("Arabic", "Hebrew", "other"):
            if by_script[s]:
                print(f"  {s}: " + "; ".join(sorted(by_script[s])), file=out)
    print("\n== Totals over listed targets (sums; a brand under two listed targets counts twice) ==", file=out)
    for k in ("targets", "brands", "products", "aliases Latin", "aliases Arabic", "aliases Hebrew", "aliases other"):
        print(f"  {k}: {totals[k]}", file=out)
    print(f"  distinct brands reaching a listed target: {len(distinct_brands)}", file=out)
    print("  distinct aliases by script: " + ", ".join(f"{s_} {len(distinct_aliases[s_])}" for s_ in ("Latin", "Arabic", "Hebrew", "other")), file=out)


def queries_report(binary, data, store, path, out):
    with open(path, encoding="utf-8") as f:
        lines = [q.strip() for q in f if q.strip() and not q.lstrip().startswith("#")]
    controls = {q[1:].strip() for q in lines if q.startswith("!")}
    queries = [q[1:].strip() if q.startswith("!") else q for q in lines]
    cmd = [binary, "--json", "--batch", "--store", store] + (["--data", data] if data else [])
    done = run(cmd, input="\n".join(queries) + "\n")
    if done.returncode not in (0, 10, 11, 12, 13, 65):
        sys.exit(f"coverage-report: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(answers) != len(queries):
        sys.exit(f"coverage-report: {len(queries)} queries but {len(answers)} answers")
    verdicts = collections.Counter()
    unknown = []
    by_script = collections.defaultdict(collections.Counter)
    for q, a in zip(queries, answers):
        v = a.get("verdict")
        v = v.get("level", v) if isinstance(v, dict) else v
        verdicts[v] += 1
        s = script_of(q)
        by_script[s]["all"] += 1
        if v == "unknown":
            unknown.append(q)
        else:
            by_script[s]["known"] += 1
    flagged = [(q, a.get("verdict")) for q, a in zip(queries, answers)
               if q in controls and str(a.get("verdict", "")).startswith("listed")]
    known = len(queries) - verdicts["unknown"]
    print(f"\n== Query list {os.path.relpath(path)} ==", file=out)
    print(f"  {len(queries)} queries; answered with something other than unknown: {known} ({100 * known / max(1, len(queries)):.1f} %)", file=out)
    for v, n in verdicts.most_common():
        print(f"  {v}: {n}", file=out)
    for s in ("Latin", "Arabic", "Hebrew", "other"):
        c = by_script[s]
        if c["all"]:
            print(f"  {s}-script queries: {c['known']}/{c['all']} not unknown", file=out)
    print(f"  controls (names no list names): {len(controls)}; answered as listed: {len(flagged)}", file=out)
    for q, v in flagged:
        print(f"    ! {q} -> {v}", file=out)
    if unknown:
        print("  unknown: " + "; ".join(unknown), file=out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bdscheck", default=os.environ.get("BDSCHECK") or shutil.which("bdscheck"),
                   help="the bdscheck binary (default: $BDSCHECK, else bdscheck on PATH)")
    p.add_argument("--data", default=os.environ.get("BDSCHECK_DATA"), help="data folder holding importers/ and datasets/")
    p.add_argument("--store", default=os.environ.get("BDSCHECK_STORE") or os.path.join(ROOT, ".bdscheck", "coverage-store.sqlite"),
                   help="store file to build or open")
    p.add_argument("--rebuild", action="store_true", help="rebuild the store even when it exists")
    p.add_argument("--include-un", action="store_true", help="also report UN OHCHR database targets")
    p.add_argument("--queries", default=os.path.join(HERE, "queries", "coverage.txt"), help="query list file")
    p.add_argument("--no-queries", action="store_true", help="skip the query list")
    args = p.parse_args()
    if not args.bdscheck or not os.path.exists(args.bdscheck):
        sys.exit("coverage-report: no bdscheck binary (set BDSCHECK or pass --bdscheck)")
    ensure_store(args.bdscheck, args.data, args.store, args.rebuild)
    targets_report(args.store, args.include_un, sys.stdout)
    if not args.no_queries:
        queries_report(args.bdscheck, args.data, args.store, args.queries, sys.stdout)


if __name__ == "__main__":
    main()
