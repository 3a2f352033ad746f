#!/usr/bin/env python3
"""Rewrites the VALUES list of the Wikidata definitions from datasets/wikidata-items.csv.

importers/97-wikidata-names.toml and 98-wikidata-ownership.toml ask Wikidata about the items of the
shipped entities. After adding or changing rows in datasets/wikidata-items.csv, run
    scripts/wikidata-values.py
and commit the definitions with the data. `--check` only reports whether they agree (exit 1 if not).
"""
import csv
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ITEMS = ROOT / "datasets" / "wikidata-items.csv"
DEFINITIONS = [ROOT / "importers" / "97-wikidata-names.toml", ROOT / "importers" / "98-wikidata-ownership.toml"]
BLOCK = re.compile(r"(  VALUES \?item \{\n    # items: datasets/wikidata-items.csv\n)(.*?)(  \})", re.S)


def items():
    with ITEMS.open(encoding="utf-8", newline="") as f:
        found = sorted({row["wikidata"].strip() for row in csv.DictReader(f)}, key=lambda q: int(q[1:]))
    lines, line = [], "   "
    for q in found:
        if len(line) + len(q) + 4 > 100:
            lines.append(line)
            line = "   "
        line += " wd:" + q
    if line.strip():
        lines.append(line)
    return "".join(l + "\n" for l in lines)


def main():
    check = "--check" in sys.argv[1:]
    wanted = items()
    stale = []
    for path in DEFINITIONS:
        text = path.read_text(encoding="utf-8")
        m = BLOCK.search(text)
        if not m:
            sys.exit(f"{path}: no VALUES ?item block marked '# items: datasets/wikidata-items.csv'")
        if m.group(2) != wanted:
            stale.append(path)
            if not check:
                path.write_text(text[: m.start(2)] + wanted + text[m.end(2) :], encoding="utf-8")
    if check and stale:
        print("not the items of datasets/wikidata-items.csv: " + ", ".join(str(p.relative_to(ROOT)) for p in stale))
        sys.exit(1)
    if not check:
        print(f"{len(wanted.split())} items written to " + ", ".join(p.name for p in DEFINITIONS) if stale else "up to date")


if __name__ == "__main__":
    main()
