#!/usr/bin/env python3
"""Differential test of bdscheck's barcode reader against biip (https://pypi.org/project/biip/).

Generates codes in every form a scanner or phone sends (plain digits, GS1 element strings with and
without parentheses and GS separators, GS1 Digital Link URIs on GS1's and other domains, digits of
other scripts, symbology identifiers), valid and broken, runs them all through one
`bdscheck --json --batch` and through `biip.parse`, and compares, for each code: whether it is
accepted, the GTIN-14 it stands for, and the other GS1 elements (AI and value) it carries.
A disagreement fails the run unless it is in ALLOWED below, where the GS1 General Specifications
side with bdscheck.

usage: biip-differential.py --bdscheck PATH --store STORE [--count N] [--seed N]
Run through scripts/biip-differential.sh, which makes the virtualenv with biip pinned.
"""

import argparse
import collections
import importlib.metadata
import json
import random
import subprocess
import sys
import time

import biip
from biip.gs1_messages import GS1Message

# Disagreements where the GS1 General Specifications side with bdscheck. Each key is a category
# computed by classify() below.
ALLOWED = {
    # 7 digits: biip reads number system + 6 digits and computes the check digit; a scanner set not to
    # send the number system sends 6 digits + check digit instead. The two cannot be told apart, so
    # bdscheck names the code as a UPC-E missing a digit rather than guess (GenSpecs 5.2.2.4: UPC-E
    # carries 8 digits, number system and check digit encoded in the parity).
    "upce-7-digits",
    # 8 digits starting 0, valid both as an EAN-8 and as a UPC-E: biip reads the EAN-8. An EAN-8 with
    # GS1-8 Prefix 0 is a restricted-circulation (in-store) number (GenSpecs 1.4.3 and 2.1.11.1), so the
    # reading that identifies a product is the UPC-E, which bdscheck takes.
    "ean8-in-store-or-upce",
    # 8 digits starting 1 valid only as a UPC-E: biip reads a UPC-E with number system 1. UPC-E exists
    # only for number system 0 (GenSpecs 5.2.2.4), so bdscheck refuses the EAN-8 check digit.
    "upce-number-system-1",
}

DIGIT_SCRIPTS = {
    "arabic-indic": 0x0660, "persian": 0x06F0, "fullwidth": 0xFF10, "devanagari": 0x0966,
}


def check_digit(data):
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data)))
    return str((10 - total % 10) % 10)


def expand_upce(upce):
    ns, d = upce[0], upce[1:7]
    last = int(d[5])
    if last <= 2:
        middle = d[0] + d[1] + d[5] + "0000" + d[2] + d[3] + d[4]
    elif last == 3:
        middle = d[0] + d[1] + d[2] + "00000" + d[3] + d[4]
    elif last == 4:
        middle = d[0] + d[1] + d[2] + d[3] + "00000" + d[4]
    else:
        middle = d[0] + d[1] + d[2] + d[3] + d[4] + "0000" + d[5]
    return ns + middle


class Generator:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def digits(self, n):
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def gtin(self):
        """A valid GTIN of a random kind, as its own digits."""
        kind = self.r.choice(["ean13", "ean13", "upca", "ean8", "upce", "gtin14"])
        if kind == "ean13":
            data = self.r.choice("123456789") + self.digits(11)
        elif kind == "upca":
            data = self.digits(11)
        elif kind == "ean8":
            data = self.r.choice("13456789") + self.digits(6)
        elif kind == "gtin14":
            data = self.r.choice("12345678") + self.digits(12)
        else:
            payload = "0" + self.digits(6)
            return payload + check_digit(expand_upce(payload))
        return data + check_digit(data)

    def broken(self, code):
        """The code with a wrong check digit, two neighbours swapped, or a digit dropped or added."""
        how = self.r.choice(["check", "swap", "drop", "add"])
        if how == "check":
            return code[:-1] + str((int(code[-1]) + self.r.randint(1, 9)) % 10)
        if how == "swap" and len(code) > 2:
            i = self.r.randrange(len(code) - 1)
            return code[:i] + code[i + 1] + code[i] + code[i + 2:]
        if how == "drop":
            i = self.r.randrange(len(code))
            return code[:i] + code[i + 1:]
        i = self.r.randrange(len(code) + 1)
        return code[:i] + self.r.choice("0123456789") + code[i:]

    def gtin14(self, code):
        if len(code) == 8 and code[0] == "0":
            code = expand_upce(code) + code[-1]
        return code.zfill(14)

    def lot(self):
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-."
        return "".join(self.r.choice(alphabet) for _ in range(self.r.randint(1, 20)))

    def date(self):
        y, m = self.r.randint(20, 40), self.r.randint(1, 12)
        d = self.r.randint(1, 28) if self.r.random() < 0.9 else 0
        return f"{y:02d}{m:02d}{d:02d}"

    def extras(self):
        chosen = {}
        if self.r.random() < 0.5:
            chosen["17"] = self.date()
        if self.r.random() < 0.5:
            chosen["10"] = self.lot()
        if self.r.random() < 0.3:
            chosen["21"] = self.lot()
        return chosen

    def one(self):
        """(form, text sent to bdscheck, text sent to biip, parenthesised?)."""
        if self.r.random() < 0.02:  # a UPC-E sent without number system and check digit
            six = self.digits(6)
            return "plain", six, six, False
        code = self.gtin()
        if self.r.random() < 0.25:
            code = self.broken(code)
        form = self.r.choice(["plain", "plain", "hri", "bare", "gs", "symbology", "dl", "dl-brand", "script"])
        if form in ("plain", "script", "symbology") and len(code) not in (8, 12, 13, 14):
            form = "plain"
        if form == "plain":
            return form, code, code, False
        if form == "script":
            base = DIGIT_SCRIPTS[self.r.choice(list(DIGIT_SCRIPTS))]
            return form, "".join(chr(base + int(c)) for c in code), code, False
        if form == "symbology":
            prefix = "]E4" if len(code) == 8 else "]E0" if len(code) in (12, 13) else "]I1"
            return form, prefix + code, prefix + code, False
        if len(code) not in (8, 12, 13, 14):
            return "plain", code, code, False
        g14 = self.gtin14(code)
        extras = self.extras()
        if form == "hri":
            text = f"(01){g14}" + "".join(f"({ai}){v}" for ai, v in extras.items())
            return form, text, text, True
        if form in ("bare", "gs"):
            text = "01" + g14
            for ai, v in extras.items():
                text += ai + v + ("\x1d" if ai in ("10", "21") else "")
            text = text.rstrip("\x1d")
            if form == "gs" or self.r.random() < 0.5:
                text = "]C1" + text if self.r.random() < 0.5 else "]d2" + text
            return form, text, text, False
        host = "https://id.gs1.org" if form == "dl" else "https://brand.example/products"
        path = f"/01/{g14}"
        if "10" in extras:
            path += f"/10/{extras['10']}"
        if "21" in extras:
            path += f"/21/{extras['21']}"
        query = f"?17={extras['17']}" if "17" in extras else ""
        return form, host + path + query, host + path + query, False


def biip_answer(text, parenthesised):
    """(GTIN-14 or None, {ai: value} of the other elements)."""
    elements = {}
    try:
        if parenthesised:
            message = GS1Message.parse_hri(text)
            strings = message.element_strings
            gtin = next((e.gtin for e in strings if e.ai.ai == "01"), None)
        else:
            result = biip.parse(text)
            gtin = result.gtin
            strings = []
            if result.gs1_digital_link_uri:
                strings = result.gs1_digital_link_uri.element_strings
            elif result.gs1_message:
                strings = result.gs1_message.element_strings
    except biip.ParseError:
        return None, {}
    for e in strings:
        if e.ai.ai != "01":
            elements[e.ai.ai] = e.value
    return (gtin.as_gtin_14() if gtin else None), elements


def bdscheck_answers(bdscheck, store, texts):
    started = time.time()
    stdin = "".join(t + "\n" for t in texts).encode()
    run = subprocess.run([bdscheck, "--json", "--batch", "--store", store], input=stdin, capture_output=True)
    elapsed = time.time() - started
    lines = run.stdout.decode().splitlines()
    if len(lines) != len(texts):
        sys.exit(f"bdscheck gave {len(lines)} answers for {len(texts)} lines (status {run.returncode}): {run.stderr.decode()[:500]}")
    answers = []
    for line in lines:
        o = json.loads(line)
        barcode = o.get("barcode")
        reading = o.get("reading") or {}
        elements = {e["ai"]: e["value"] for e in reading.get("elements", []) if e["ai"] != "01"}
        answers.append((barcode["gtin14"] if barcode else None, elements))
    return answers, elapsed


def classify(form, text, ours, theirs):
    """The disagreement's category, or None when the answers agree."""
    digit_forms = ("plain", "script", "symbology")
    if form in digit_forms:
        # biip also tries plain digits as element strings; bdscheck reads them as digits only.
        ours, theirs = (ours[0], {}), (theirs[0], {})
    if ours == theirs:
        return None
    digits = text if form in ("plain", "script") else None
    if digits is not None and len(digits) == 8 and digits[0] == "0" and ours[0] and theirs[0] == digits.zfill(14):
        return "ean8-in-store-or-upce"
    if digits is not None and len(digits) == 8 and digits[0] == "1" and ours[0] is None and theirs[0]:
        return "upce-number-system-1"
    if digits is not None and len(digits) == 7 and ours[0] is None:
        return "upce-7-digits"
    if ours[0] != theirs[0]:
        return f"{form}: gtin {'accepted' if ours[0] else 'refused'} by bdscheck, {'accepted' if theirs[0] else 'refused'} by biip"
    return f"{form}: other elements differ"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bdscheck", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--show", type=int, default=5, help="examples shown per category")
    args = parser.parse_args()

    gen = Generator(args.seed)
    cases = [gen.one() for _ in range(args.count)]
    ours, seconds = bdscheck_answers(args.bdscheck, args.store, [c[1] for c in cases])
    forms = collections.Counter(c[0] for c in cases)
    categories = collections.defaultdict(list)
    agreed = 0
    for (form, ours_text, biip_text, parenthesised), mine in zip(cases, ours):
        theirs = biip_answer(biip_text, parenthesised)
        category = classify(form, biip_text, mine, theirs)
        if category is None:
            agreed += 1
        else:
            categories[category].append((ours_text, mine, theirs))

    print(f"biip {importlib.metadata.version('biip')} differential: {len(cases)} codes "
          f"({', '.join(f'{k} {v}' for k, v in sorted(forms.items()))}); bdscheck answered in {seconds:.1f} s")
    print(f"  agree: {agreed}")
    failed = False
    for category, items in sorted(categories.items()):
        allowed = category in ALLOWED
        failed |= not allowed
        print(f"  {'allowed' if allowed else 'DISAGREE'}: {category}: {len(items)}")
        for text, mine, theirs in items[: args.show]:
            print(f"      {text!r}: bdscheck {mine}  biip {theirs}")
    print("biip differential: " + ("FAILED" if failed else "passed"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
