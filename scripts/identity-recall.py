#!/usr/bin/env python3
"""Recall and false verdicts of name matching, over a query set built from the store and real files.

Positives come from the store: for every entity with an active listing of its own, its name and
each alias as written (other scripts included), in upper and lower case, without diacritics, its
derived short names that only it derives, and, expected as suggestions only, with one letter
dropped (a typo) and followed by product words ("Sabra classic"). With --community PATH (the community dataset's
output/json/data.json, fetched by the maintainer: it is not shipped) its "avoid" names are
positives when the store holds them, and its "support" names are controls. With --off PATH (an
Open Food Facts export or sample) its brand names that the store does not list are controls.

It runs every query through `bdscheck --json --batch` and prints:
  - recall: positives answered with a listing that reaches the expected entity;
  - suggestion recall: typos whose suggestions include the expected entity;
  - false verdicts: controls answered as listed, and positives answered as listed through
    another entity than the expected one (the goal is 0).
Standard library only.

    BDSCHECK=.build/debug/bdscheck scripts/identity-recall.py --store STORE \
        [--community data.json] [--off products.csv] [--controls 100] [--show 20]
"""
import argparse
import csv
import json
import os
import random
import sqlite3
import subprocess
import sys
import unicodedata

csv.field_size_limit(1 << 30)


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(text, rng):
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 6:
        return None
    i = rng.choice(letters[1:-1])
    return text[:i] + text[i + 1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bdscheck", default=os.environ.get("BDSCHECK", ".build/debug/bdscheck"))
    parser.add_argument("--store", required=True, help="the store to query (built beforehand, e.g. by `bdscheck refresh`)")
    parser.add_argument("--community", help="the community dataset's data.json")
    parser.add_argument("--off", help="an Open Food Facts export (TSV) for control brands")
    parser.add_argument("--controls", type=int, default=100, help="Open Food Facts control brands to use at most")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=15, help="misses and false verdicts to print")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    db = sqlite3.connect(f"file:{args.store}?mode=ro&immutable=1", uri=True)
    listed = {row[0]: row[1] for row in db.execute(
        "SELECT DISTINCT e.id, e.name FROM listing l JOIN entity e ON e.id = l.entity_id WHERE l.end_date IS NULL")}
    aliases = {}
    for entity, name in db.execute("SELECT entity_id, name FROM alias WHERE derived_from IS NULL"):
        if entity in listed:
            aliases.setdefault(entity, set()).add(name)
    known_names = {fold(n).lower() for (n,) in db.execute("SELECT name FROM alias")}
    # Short names derived from a formal name that only one entity derives: these match.
    short = {}
    for entity, name in db.execute(
            "SELECT entity_id, name FROM alias a WHERE derived_from IS NOT NULL AND derived_strong = 1"
            " AND (SELECT count(DISTINCT entity_id) FROM alias b WHERE b.norm = a.norm) = 1"):
        if entity in listed:
            short.setdefault(entity, set()).add(name)

    queries = []  # (query, kind, expected entity id or None)
    for entity, name in listed.items():
        forms = {name} | aliases.get(entity, set())
        for form in sorted(forms):
            queries.append((form, "exact name or alias", entity))
        queries.append((name.upper(), "upper case", entity))
        queries.append((name.lower(), "lower case", entity))
        if fold(name) != name:
            queries.append((fold(name), "without diacritics", entity))
        t = typo(name, rng)
        if t and fold(t).lower() not in known_names:
            queries.append((t, "typo (suggestion)", entity))
        for form in sorted(short.get(entity, set())):
            queries.append((form, "derived short name", entity))
        # A brand followed by product words is a suggestion, never a match by itself.
        words = rng.choice(["classic", "original 500 g", "zero sugar", "family pack"])
        if fold(name + " " + words).lower() not in known_names:
            queries.append((name + " " + words, "name + product words (suggestion)", entity))

    controls = []
    by_name = {}
    for entity, name in listed.items():
        for form in {name} | aliases.get(entity, set()):
            by_name.setdefault(fold(form).lower(), entity)
    if args.community:
        data = json.load(open(args.community, encoding="utf-8"))
        records = list(data.get("brands", {}).values()) + list(data.get("companies", {}).values())
        for r in records:
            name = " ".join(r.get("name", "").split())
            if not name:
                continue
            if r.get("status") == "support":
                controls.append((name, "community 'support' name"))
            elif r.get("status") == "avoid":
                expected = by_name.get(fold(name).lower())
                if expected is not None:
                    queries.append((name, "community name the store lists", expected))
    if args.off:
        seen = set()
        with open(args.off, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            for row in reader:
                brand = (row.get("brands") or "").split(",")[0].strip()
                key = fold(brand).lower()
                # A brand a list names (McDonald's is in the export too) is no control.
                if len(brand) < 3 or key in seen or key in by_name:
                    continue
                seen.add(key)
                controls.append((brand, "Open Food Facts brand"))
        off = [c for c in controls if c[1] == "Open Food Facts brand"]
        rng.shuffle(off)
        controls = [c for c in controls if c[1] != "Open Food Facts brand"] + off[: args.controls]

    batch = [q for q, _, _ in queries] + [q for q, _ in controls]
    done = subprocess.run([args.bdscheck, "--json", "--batch", "--store", args.store],
                          input="\n".join(batch) + "\n", capture_output=True, text=True)
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(answers) != len(batch):
        sys.exit(f"identity-recall: {len(batch)} queries but {len(answers)} answers:\n{done.stderr[-2000:]}")

    def reaches(answer, entity):
        ids = {m["id"] for m in answer.get("matched", [])}
        for m in answer.get("listings", []):
            target = m["listing"]["target"]
            if target.get("type") == "entity":
                ids.add(target["entity"]["id"])
        return entity in ids

    stats, misses, false_verdicts = {}, [], []
    for (query, kind, entity), answer in zip(queries, answers):
        s = stats.setdefault(kind, [0, 0])
        s[1] += 1
        is_listed = answer["verdict"].startswith("listed")
        if "(suggestion)" in kind:
            hit = any(c["entity"]["id"] == entity for c in answer.get("candidates", [])) or reaches(answer, entity)
            if is_listed and not reaches(answer, entity):
                false_verdicts.append((query, kind, answer["verdict"], listed[entity]))
        else:
            hit = is_listed and reaches(answer, entity)
            if is_listed and not reaches(answer, entity):
                false_verdicts.append((query, kind, answer["verdict"], listed[entity]))
        s[0] += hit
        if not hit:
            misses.append((query, kind, answer["verdict"], listed[entity]))
    control_stats = {}
    for (query, kind), answer in zip(controls, answers[len(queries):]):
        s = control_stats.setdefault(kind, [0, 0])
        s[1] += 1
        if answer["verdict"].startswith("listed"):
            s[0] += 1
            false_verdicts.append((query, kind, answer["verdict"], "(no list names it)"))

    print(f"store {args.store}: {len(listed)} entities with an active listing of their own")
    print(f"{len(queries)} positive queries, {len(controls)} controls, {len(batch)} in all")
    exact = [k for k in stats if "(suggestion)" not in k]
    hits = sum(stats[k][0] for k in exact)
    total = sum(stats[k][1] for k in exact)
    for kind in sorted(stats):
        h, n = stats[kind]
        print(f"  {kind:32} {h:5}/{n:<5} {100 * h / n:5.1f} %")
    print(f"recall (names, aliases, case, diacritics, community names): {hits}/{total} = {100 * hits / max(total, 1):.1f} %")
    suggested = [k for k in stats if "(suggestion)" in k]
    if suggested:
        h, n = sum(stats[k][0] for k in suggested), sum(stats[k][1] for k in suggested)
        print(f"suggestion recall (typos, product words): {h}/{n} = {100 * h / max(n, 1):.1f} %")
    for kind in sorted(control_stats):
        h, n = control_stats[kind]
        print(f"  control: {kind:32} {h} of {n} answered as listed")
    print(f"false verdicts: {len(false_verdicts)}")
    for f in false_verdicts[: args.show]:
        print(f"  FALSE {f[0]!r} ({f[1]}): {f[2]}; expected {f[3]}")
    for m in misses[: args.show]:
        print(f"  miss  {m[0]!r} ({m[1]}): {m[2]}; expected {m[3]}")
    return 0 if not false_verdicts else 1


if __name__ == "__main__":
    sys.exit(main())
