#!/usr/bin/env python3
"""The kiosk page in a real headless Chromium, walking the counter's problems one by one.

Builds a store from the shipped data, starts `bdscheck serve` on a free loopback port, and drives
the page through the DevTools protocol (over --remote-debugging-pipe; standard library only) with
scripted key timings: a scanner's burst of digits and Enter, a person's slower typing, stray keys.

  1. The state machine: a stray key before a scan, a scan during an answer, two scans in a row,
     the idle timeout; the field is cleared on every transition.
  2. Layouts at 1920×1080, 1280×800, 800×1280 and 390×844: no horizontal overflow, the headline
     and the first reason inside the viewport in every state; a screenshot of each state at each
     size in OUT/ (WIDTHxHEIGHT-STATE.png).
  3. Recovery: a long answer scrolls by itself under its headline; with the server stopped, a
     reload shows the page's own "server unreachable, retrying" state (from the service worker's
     copy), and the page comes back by itself when the server is started again.
  4. A headline per category, the same words as `bdscheck QUERY`; distinct colours and icon
     shapes; white on every colour at least 4.5:1.
  5. Caveat notes and UN listing dates on the page.
  6. Languages: each state in each language at 1280×800 and 390×844, `<html lang dir>` as the
     language says (right to left for Arabic and Urdu), the headline the same as
     `bdscheck --lang CODE QUERY`, inside the viewport, nothing overflowing sideways, no message
     key left unworded; names and codes in <bdi>, the sources' words marked as theirs; the
     language button; the unreachable state offline in each language (OUT/lang-CODE-WIDTHxHEIGHT-STATE.png).

usage: scripts/kiosk-browser-test.py [--out DIR] [--bdscheck PATH] [--chromium PATH]
Exit status 0 when every check passed; the last line says how many passed and failed.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from kiosk_cdp import CDP, Checks, Server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [(1920, 1080), (1280, 800), (800, 1280), (390, 844)]
SABRA = "0040822011143"
# state name → (query, headline kind, headline words); every state is screenshotted at every size.
STATES = [
    ("consumer-boycott", SABRA, "consumer-boycott", "Consumer boycott target"),
    ("grassroots-boycott", "McDonald's", "grassroots-boycott", "Grassroots boycott target"),
    ("pressure-long", "Booking.com", "pressure", "Pressure campaign target"),
    ("divestment", "Example Divestment Holdings", "divestment", "Divestment target"),
    ("un-database", "Ackerstein Industries", "un-database", "In the UN database of businesses in settlements"),
    ("caveat-licence", "Siemens", "consumer-boycott", "Consumer boycott target"),
    ("caveat-kosher", "Mehadrin", "consumer-boycott", "Consumer boycott target"),
    ("hint", "7290011498382", "hint", "Hint only: a barcode prefix, not a listing"),
    ("no-listing", "Puma", "no-listing", "No listing found"),
    ("did-you-mean", "sabr", "unknown", "Not found: did you mean…?"),
    ("unknown", "qqqq zzzz", "unknown", "Unknown: not in the data"),
    ("book-code", "9780306406157", "cannot-check", "Cannot be checked: book code"),
    ("mistyped", "0040822011144", "invalid", "Mistyped barcode: check digit should be 3"),
]

# The shipped languages (Sources/BDSCore/Language/Messages/*.json) and the two sizes each is checked at.
LANGUAGES = {"en": "ltr", "ar": "rtl", "ur": "rtl", "tr": "ltr", "ms": "ltr", "id": "ltr", "fr": "ltr"}
LANGUAGE_SIZES = [(1280, 800), (390, 844)]
# Text a message key or an unfilled placeholder would leave on the page.
UNWORDED = r"""(() => { const t = document.body.innerText; const m = t.match(/\b(kiosk|headline|answer|summary|report|dates|path|list|cli)\.[a-z-]+\b|\{[a-z]+\}/); return m ? m[0] : ''; })()"""

PAGE = "document.getElementById"
STATE = "window.bdscheckKiosk && window.bdscheckKiosk.state"
HEADLINE = f"{PAGE}('headline').textContent"
KIND = f"{PAGE}('answer').dataset.kind"
FIELD = f"{PAGE}('scan').value"
# Every visible element inside the viewport sideways, the document no wider than the viewport, and
# the headline (and the first reason, when shown) inside the viewport.
LAYOUT = """(() => {
  const w = innerWidth, h = innerHeight, problems = [];
  if (document.documentElement.scrollWidth > w) problems.push('document ' + document.documentElement.scrollWidth + ' px wide');
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === 'hidden') continue;
    if (r.left < -1 || r.right > w + 1) { problems.push((e.id || e.tagName) + ' spans ' + Math.round(r.left) + '…' + Math.round(r.right)); break; }
  }
  for (const id of ['headline', 'lead']) {
    const e = document.getElementById(id);
    if (e.hidden) continue;
    const r = e.getBoundingClientRect();
    if (r.top < 0 || r.bottom > h + 1 || r.left < 0 || r.right > w + 1) problems.push(id + ' outside the viewport: ' + JSON.stringify([r.left, r.top, r.right, r.bottom].map(Math.round)));
  }
  return problems.join('; ');
})()"""
CONTRAST = """(() => {
  const rgb = (s) => s.match(/[0-9.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const a = lum(rgb(getComputedStyle(document.querySelector('#answer .panel')).backgroundColor));
  const b = lum(rgb(getComputedStyle(document.getElementById('headline')).color));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
})()"""
LOOK = "[getComputedStyle(document.querySelector('#answer .panel')).backgroundColor, document.querySelector('#icon .shape').outerHTML]"


EXAMPLE_DEFINITION = """# Only for scripts/kiosk-browser-test.py: no shipped company is a divestment target alone.
[source]
id = "kiosk-example"
name = "Example rows for the kiosk browser test"
url = "https://example.org/kiosk-test"
retrieved = "2026-01-01"
file = "../datasets/kiosk-example.csv"

[format]
type = "csv"

[[emit]]
into = "listing"
create-missing = "company"
[emit.fields]
target = "target"
campaign = "campaign"
category = "category"
reasons = "reason"
start_date = "start_date"
source_url = "source_url"
retrieved = "retrieved"
"""
EXAMPLE_ROWS = """target,campaign,category,reason,start_date,source_url,retrieved
Example Divestment Holdings,Example campaign,divestment,Named for divestment in the kiosk test's example data,2024,https://example.org/kiosk-test,2026-01-01
"""


def shipped_data_with_example(work):
    """A copy of the shipped importers and datasets, plus one example divestment-only listing."""
    data = os.path.join(work, "data")
    for folder in ("importers", "datasets"):
        shutil.copytree(os.path.join(ROOT, folder), os.path.join(data, folder))
    with open(os.path.join(data, "importers", "95-kiosk-example.toml"), "w") as f:
        f.write(EXAMPLE_DEFINITION)
    with open(os.path.join(data, "datasets", "kiosk-example.csv"), "w") as f:
        f.write(EXAMPLE_ROWS)
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "out", "kiosk"), help="folder for the screenshots")
    parser.add_argument("--bdscheck", default=os.path.join(ROOT, ".build", "debug", "bdscheck"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    args = parser.parse_args()
    if not args.chromium:
        sys.exit("kiosk-browser-test: no chromium found (Debian: apt-get install -y chromium)")
    if not os.access(args.bdscheck, os.X_OK):
        sys.exit(f"kiosk-browser-test: {args.bdscheck} is not built (swift build)")
    os.makedirs(args.out, exist_ok=True)

    check = Checks()

    work = tempfile.mkdtemp(prefix="bdscheck-kiosk-")
    server = browser = None
    try:
        store = os.path.join(work, "store.sqlite")
        subprocess.run([args.bdscheck, "refresh", "--data", shipped_data_with_example(work), "--store", store], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = Server(args.bdscheck, store, os.path.join(work, "serve.log"), reset=60)
        server.start()

        browser = CDP(args.chromium, os.path.join(work, "profile"), time.time() + 600)
        browser.open_page()
        browser.viewport(1280, 800)

        def load(query=""):
            browser.send("Page.navigate", {"url": server.url + "/" + query})
            return browser.wait_for(f"document.readyState === 'complete' && {STATE} === 'idle' && {PAGE}('status').textContent.startsWith('data built')", timeout=15)

        def answered(query, timeout=10):
            """Waits for the answer to `query`; returns its headline."""
            return browser.wait_for(f"{STATE} === 'answer' && {PAGE}('answer').dataset.query === {query!r} && {HEADLINE}", timeout=timeout)

        def ask(query):
            if query.isdigit():
                browser.scan(query)
            else:
                browser.type_slowly(query, gap=0.12)
            return answered(query)

        # ---- 0. the page itself --------------------------------------------------------------
        check("the page loads, asks for a scan and shows the store's build date", load())
        check("the input has focus on load", browser.wait_for("document.activeElement && document.activeElement.id === 'scan'"))
        check("a service worker keeps the page for offline reloads",
              browser.wait_for("Promise.race([navigator.serviceWorker.ready.then(r => !!r.active && caches.has('bdscheck-kiosk-v1')),"
                               " new Promise(r => setTimeout(() => r(false), 1000))])", timeout=15))

        # ---- 1. the state machine ------------------------------------------------------------
        browser.scan(SABRA)
        check("a scan shows its answer", answered(SABRA) == "Consumer boycott target")
        text = browser.evaluate("document.body.innerText")
        check("with the first reason beside the headline", browser.evaluate(f"{PAGE}('lead').textContent.startsWith('Why: ')"))
        check("with the product and its owners", "Sabra Hummus Classic 10 oz · brand Sabra" in text and "Sabra → owned by PepsiCo" in text, text[:600])
        check("with its ended ownership as history, dated", "Formerly: Sabra → owned by Strauss Group (50 %, 2008 – 2024-12-03)" in text, text[:800])
        notes = browser.evaluate("[...document.querySelectorAll('p.link-note')].map(p => p.textContent)")
        check("with each link's own note under it", len(notes) >= 2 and notes[0].startswith("Sole owner since 2024-12-03, when PepsiCo acquired"), notes)
        check("with the dated source", "(read 2026-" in text)
        check("the field is cleared for the next scan", browser.evaluate(f"{FIELD} === ''"))

        # ---- take it along: the answer's permalink and the report form, as QR codes ------------
        def decode_qr_codes(name):
            """Screenshots the take-along card and reads every QR code in it with zbarimg. The card is
            scrolled to the bottom of the answer, not its top, where the sticky headline would cover it."""
            box = browser.evaluate("(() => { window.bdscheckKiosk.stopAutoScroll(); const c = document.querySelector('.card.along'); c.scrollIntoView({block: 'end'});"
                                   " const r = c.getBoundingClientRect();"
                                   " return JSON.stringify({x: r.x, y: r.y, width: r.width, height: Math.min(r.height, innerHeight - r.y), scale: 2}); })()")
            shot = browser.send("Page.captureScreenshot", {"format": "png", "clip": json.loads(box), "captureBeyondViewport": True})["data"]
            path = os.path.join(args.out, name)
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot))
            read = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path], capture_output=True, text=True)
            return read.stdout.splitlines()

        permalink = server.url + "/?q=" + SABRA
        check("the answer shows its permalink", browser.evaluate("document.querySelector('.card.along p.source').textContent") == permalink)
        check("and its QR code, drawn by the server",
              browser.wait_for("(() => { const i = document.querySelector('.card.along img.qr'); return !!i && i.complete && i.naturalWidth > 0; })()"))
        check("which a phone's reader decodes to the permalink (zbarimg)", decode_qr_codes("1280x800-take-along.png") == [permalink])
        browser.evaluate("document.querySelector('.card.along button.wrong').click(); true")
        report_url = server.url + "/report?q=" + SABRA + "&level=listed-consumer-boycott"
        check("'Wrong answer?' shows a second code, for the report form",
              browser.wait_for("document.querySelectorAll('.card.along img.qr').length === 2 && [...document.querySelectorAll('.card.along img.qr')].every(i => i.complete && i.naturalWidth > 0)"))
        codes = decode_qr_codes("1280x800-wrong-answer.png")
        check("which decodes to the form, with the query and the level filled in", any(c.startswith(report_url) for c in codes), str(codes))
        check("the permalink opens the same answer", load("?q=" + SABRA) or answered(SABRA) == "Consumer boycott target")
        check("with the same headline", answered(SABRA) == "Consumer boycott target")
        report_code = next((c for c in codes if c.startswith(report_url)), report_url)
        browser.send("Page.navigate", {"url": report_code})
        check("the report form opens filled in", browser.wait_for(f"document.readyState === 'complete' && document.getElementById('query') && document.getElementById('query').value === {SABRA!r}"))
        browser.evaluate("document.getElementById('message').value = 'The brand was sold; this owner is out of date.'; document.getElementById('report').requestSubmit(); true")
        check("a report sent from it is received", browser.wait_for("document.getElementById('result').textContent.startsWith('Thank you. Your report is number')"))
        listed = subprocess.run([args.bdscheck, "reports", "list", "--store", store], capture_output=True, text=True)
        check("and is in the maintainers' queue, with the level it was sent for",
              "The brand was sold" in listed.stdout and "listed-consumer-boycott" in listed.stdout, listed.stdout + listed.stderr)
        browser.screenshot(os.path.join(args.out, "390x844-report-form.png"))
        data = os.path.join(work, "data")
        refreshed = subprocess.run([args.bdscheck, "refresh", "--force", "--data", data, "--store", store], capture_output=True, text=True)
        kept = subprocess.run([args.bdscheck, "reports", "list", "--store", store], capture_output=True, text=True)
        check("the report survives a refresh of the store", refreshed.returncode == 0 and "The brand was sold" in kept.stdout,
              refreshed.stderr[-300:] + kept.stdout)
        number = kept.stdout.split()[0].lstrip("#") if kept.stdout.startswith("#") else "1"
        resolved = subprocess.run([args.bdscheck, "reports", "resolve", number, "--decision", "rejected", "--reason",
                                   "The sources on record still name this owner.", "--store", store], capture_output=True, text=True)
        decided = subprocess.run([args.bdscheck, "reports", "export", "--store", store], capture_output=True, text=True)
        check("and is resolved with a reason, published by `reports export`",
              resolved.returncode == 0 and '"decision":"rejected"' in decided.stdout and "still name this owner" in decided.stdout,
              resolved.stderr + decided.stdout)
        check("the kiosk page loads again afterwards", load())
        browser.scan(SABRA)
        answered(SABRA)
        check("a reset countdown runs", browser.wait_for(f"{PAGE}('countdown').textContent.includes('scan a product')"))
        browser.screenshot(os.path.join(args.out, "1280x800-answer.png"))

        browser.evaluate(f"{PAGE}('scan').blur(); document.body.click(); true")
        check("focus comes back to the input", browser.wait_for("document.activeElement.id === 'scan'", timeout=3))

        browser.type_slowly("a", enter=False)
        check("a stray key after an answer clears the answer at once", browser.evaluate(f"{STATE} === 'idle' && {HEADLINE} === 'Scan a product'"))
        check("and starts a new query in an empty field", browser.evaluate(f"{FIELD} === 'a'"), browser.evaluate(FIELD))
        time.sleep(0.5)
        browser.scan("0040822000017")
        check("a scan after the stray key is answered for the scanned code alone",
              answered("0040822000017") == "Consumer boycott target", browser.evaluate(f"{PAGE}('summary').textContent"))

        browser.evaluate("window.bdscheckKiosk.idle(); true")
        browser.type_slowly("7", enter=False)
        time.sleep(0.5)
        browser.scan(SABRA)
        check("from idle, a stray digit before a scan is dropped (no 'did you mean 7004…')",
              answered(SABRA) == "Consumer boycott target", browser.evaluate(HEADLINE))

        browser.scan("7290011498382")
        check("a scan during an answer replaces it", answered("7290011498382") == "Hint only: a barcode prefix, not a listing")

        browser.scan("9780306406157")
        browser.scan(SABRA)
        check("two scans in a row: the second one's answer stays", answered(SABRA) == "Consumer boycott target")
        time.sleep(1)
        check("and is not overwritten by the first", browser.evaluate(f"{PAGE}('answer').dataset.query") == SABRA)

        check("a typed partial name shows candidates", ask("sabr") == "Not found: did you mean…?")
        names = browser.evaluate("Array.from(document.querySelectorAll('#candidates button')).map(b => b.dataset.name).join('|')") or ""
        check("labelled as suggestions, not verdicts", "Sabra" in names.split("|") and "suggestions, not verdicts" in browser.evaluate("document.body.textContent"), names)
        browser.evaluate("document.querySelector('#candidates button').click(); true")
        check("choosing a candidate checks that name", answered("Sabra") == "Consumer boycott target")

        check("the page loads with a short reset delay", load("?reset=3"))
        browser.scan("4000000000013")
        start = time.time()
        check("the idle timeout: an answer goes back to 'Scan a product' by itself",
              answered("4000000000013") and browser.wait_for(f"{STATE} === 'idle' && {HEADLINE} === 'Scan a product'", timeout=10))
        check("after the configured delay", 2 <= time.time() - start <= 9, f"({time.time() - start:.1f} s)")
        check("with the field empty", browser.evaluate(f"{FIELD} === ''"))
        browser.type_slowly("z", enter=False)
        check("a stray key left in the field is cleared after the delay too",
              browser.wait_for(f"{FIELD} === ''", timeout=8))

        # ---- 4 and 5. headlines, colours, icons, caveats, dates ------------------------------
        check("the page loads with a long reset delay", load("?reset=600&retry=1"))
        looks = {}
        for name, query, kind, words in STATES:
            shown = ask(query)
            check(f"{query}: headline '{words}'", shown == words, f"(got {shown!r})")
            check(f"{query}: colour and icon of its kind", browser.evaluate(KIND) == kind, browser.evaluate(KIND))
            contrast = browser.evaluate(CONTRAST)
            check(f"{query}: contrast {contrast:.1f}:1 ≥ 4.5:1", contrast >= 4.5)
            looks[kind] = tuple(browser.evaluate(LOOK))
            cli = subprocess.run([args.bdscheck, "--store", store, query], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
            check(f"{query}: the command line says the same", cli.stdout.split("\n", 1)[0] == words, cli.stdout[:80])
        colours = [look[0] for look in looks.values()]
        shapes = [look[1] for look in looks.values()]
        check("every kind has its own colour", len(set(colours)) == len(colours), str(looks))
        check("and its own icon shape", len(set(shapes)) == len(shapes))

        ask("Siemens")
        check("the Siemens licence note is on the page", "a licence is not ownership" in browser.evaluate("document.body.innerText"))
        ask("Mehadrin")
        check("the kosher-certification warning is on the page", "kosher-certification term" in browser.evaluate("document.body.innerText"))
        ask("Ackerstein Industries")
        check("a UN listing shows its date", "on the list as read 2026-07-17" in browser.evaluate("document.body.innerText"))
        cli = subprocess.run([args.bdscheck, "--store", store, "Siemens", "Mehadrin", "Ackerstein Industries"], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
        check("the command line shows the notes and the UN date too",
              all(s in cli.stdout for s in ["Note on Siemens", "kosher-certification term", "on the list as read 2026-07-17"]))

        # ---- 2 and 3. every state at every size; long answers scroll by themselves -----------
        for width, height in SIZES:
            browser.viewport(width, height)
            browser.evaluate("window.bdscheckKiosk.idle(); true")
            problems = browser.evaluate(LAYOUT)
            check(f"{width}×{height} idle: fits", not problems, problems)
            browser.screenshot(os.path.join(args.out, f"{width}x{height}-idle.png"))
            for name, query, kind, words in STATES:
                ask(query)
                problems = browser.evaluate(LAYOUT)
                check(f"{width}×{height} {name}: fits, headline and first reason in view", not problems, problems)
                browser.screenshot(os.path.join(args.out, f"{width}x{height}-{name}.png"))
            ask("Booking.com")
            if browser.evaluate(f"{PAGE}('main').scrollHeight > {PAGE}('main').clientHeight + 4"):
                check(f"{width}×{height}: a long answer scrolls by itself",
                      browser.wait_for(f"{PAGE}('main').scrollTop > 40", timeout=12))
                check(f"{width}×{height}: to its last card",
                      browser.wait_for(f"(() => {{ const m = {PAGE}('main'); return m.scrollTop + m.clientHeight >= m.scrollHeight - 2; }})()", timeout=40))
                problems = browser.evaluate(LAYOUT)
                check(f"{width}×{height}: with the headline and first reason still in view", not problems, problems)
                browser.screenshot(os.path.join(args.out, f"{width}x{height}-pressure-long-scrolled.png"))

        # ---- 6. every state in every language ---------------------------------------------------
        def load_language(code):
            browser.send("Page.navigate", {"url": f"{server.url}/?lang={code}&reset=600&retry=1"})
            return browser.wait_for(f"document.readyState === 'complete' && {STATE} === 'idle' && {PAGE}('status').dataset.state === 'up'"
                                    f" && document.documentElement.lang === {code!r}", timeout=15)

        def cli_headline(code, query):
            cli = subprocess.run([args.bdscheck, "--store", store, "--lang", code, query], capture_output=True, text=True,
                                 env={**os.environ, "NO_COLOR": "1"})
            return cli.stdout.split("\n", 1)[0]

        for code, direction in LANGUAGES.items():
            browser.viewport(1280, 800)
            check(f"{code}: the page loads in its language", load_language(code))
            check(f"{code}: <html lang={code} dir={direction}>",
                  browser.evaluate("document.documentElement.lang + ' ' + document.documentElement.dir") == f"{code} {direction}")
            idle_words = browser.evaluate(HEADLINE)
            check(f"{code}: its own words from the first paint", code == "en" or idle_words != "Scan a product", idle_words)
            for width, height in LANGUAGE_SIZES:
                browser.viewport(width, height)
                browser.evaluate("window.bdscheckKiosk.idle(); true")
                problems = browser.evaluate(LAYOUT)
                check(f"{code} {width}×{height} idle: fits", not problems, problems)
                browser.screenshot(os.path.join(args.out, f"lang-{code}-{width}x{height}-idle.png"))
            for name, query, kind, words in STATES:
                browser.viewport(1280, 800)
                browser.evaluate(f"window.bdscheckKiosk.lookup({query!r}); true")
                shown = answered(query)
                check(f"{code} {name}: the headline is the command line's", shown and shown == cli_headline(code, query),
                      f"(page {shown!r}, cli {cli_headline(code, query)!r})")
                check(f"{code} {name}: in the page's language", code == "en" or shown != words, shown)
                check(f"{code} {name}: colour and icon of its kind", browser.evaluate(KIND) == kind)
                leftover = browser.evaluate(UNWORDED)
                check(f"{code} {name}: no message left unworded", not leftover, leftover)
                for width, height in LANGUAGE_SIZES:
                    browser.viewport(width, height)
                    browser.evaluate("window.bdscheckKiosk.stopAutoScroll(); document.getElementById('main').scrollTop = 0; true")
                    problems = browser.evaluate(LAYOUT)
                    check(f"{code} {width}×{height} {name}: fits, headline and first reason in view", not problems, problems)
                    browser.screenshot(os.path.join(args.out, f"lang-{code}-{width}x{height}-{name}.png"))
            # "Checking…" lasts milliseconds; an answer that never comes holds it for the screenshot.
            browser.evaluate("window.fetch = () => new Promise(() => {}); window.bdscheckKiosk.lookup('Booking.com'); true")
            check(f"{code} checking: in its language", browser.wait_for(f"{STATE} === 'checking'")
                  and (code == "en" or browser.evaluate(HEADLINE) != "Checking…"), browser.evaluate(HEADLINE))
            for width, height in LANGUAGE_SIZES:
                browser.viewport(width, height)
                problems = browser.evaluate(LAYOUT)
                check(f"{code} {width}×{height} checking: fits", not problems, problems)
                browser.screenshot(os.path.join(args.out, f"lang-{code}-{width}x{height}-checking.png"))
            # The report form a phone opens from the kiosk's code, in the kiosk's language.
            browser.viewport(390, 844)
            browser.send("Page.navigate", {"url": f"{server.url}/report?q={SABRA}&level=listed-consumer-boycott&lang={code}"})
            check(f"{code}: the report form in its language and direction",
                  browser.wait_for(f"document.readyState === 'complete' && document.getElementById('query').value === {SABRA!r}"
                                   f" && document.documentElement.lang === {code!r} && document.documentElement.dir === {direction!r}"
                                   " && document.getElementById('answer').textContent !== ''"))
            leftover = browser.evaluate(UNWORDED)
            check(f"{code} report form: no message left unworded", not leftover, leftover)
            problems = browser.evaluate(LAYOUT.replace("for (const id of ['headline', 'lead'])", "for (const id of [])"))
            check(f"{code} 390×844 report form: fits", not problems, problems)
            browser.screenshot(os.path.join(args.out, f"lang-{code}-390x844-report-form.png"))
            check(f"{code}: back to the kiosk", load_language(code))
            browser.viewport(1280, 800)
            browser.evaluate(f"window.bdscheckKiosk.lookup({SABRA!r}); true")
            answered(SABRA)
            check(f"{code}: the barcode and the names are isolated in <bdi>, the barcode in ASCII digits",
                  browser.evaluate(f"[...document.querySelectorAll('#details bdi')].some(b => b.textContent === {SABRA!r})"))
            check(f"{code}: the sources' reasons are shown as written and marked as theirs",
                  browser.evaluate("(() => { const b = document.querySelector('.card.listing bdi.source-text');"
                                   " return !!b && b.getAttribute('translate') === 'no' && b.getAttribute('lang') === ''; })()"))

        load_language("en")
        browser.evaluate("document.getElementById('language').click(); true")
        check("the language button lists every language in its own name",
              browser.evaluate("[...document.querySelectorAll('#language-list button')].map(b => b.lang).join(' ')") == " ".join(sorted(LANGUAGES, key=lambda c: (c != "en", c))))
        browser.screenshot(os.path.join(args.out, "lang-en-1280x800-language-button.png"))
        browser.evaluate("document.querySelector('#language-list button[lang=ur]').click(); true")
        check("choosing Urdu reloads the page right to left in Urdu",
              browser.wait_for(f"document.readyState === 'complete' && {STATE} === 'idle' && document.documentElement.lang === 'ur'"
                               " && document.documentElement.dir === 'rtl'", timeout=15))
        check("the Urdu page asks for Urdu answers",
              browser.evaluate(f"window.bdscheckKiosk.lookup({SABRA!r}).then(() => document.getElementById('headline').textContent)") == cli_headline("ur", SABRA))

        # ---- 3. the server goes away and comes back ------------------------------------------
        browser.viewport(1280, 800)
        check("the English page loads again", load("?reset=600&retry=1"))
        ask(SABRA)
        server.stop()
        browser.scan(SABRA)
        check("a scan with the server down says so",
              browser.wait_for(f"{STATE} === 'unreachable' && {HEADLINE} === 'Server unreachable, retrying' && {PAGE}('status').textContent === 'server unreachable'"))
        browser.send("Page.reload", {"ignoreCache": False})
        check("a reload with the server down shows the kiosk's own state, not the browser's error",
              browser.wait_for(f"{STATE} === 'unreachable' && {HEADLINE} === 'Server unreachable, retrying'", timeout=15),
              browser.evaluate("document.body.innerText.slice(0, 200)"))
        for width, height in SIZES:
            browser.viewport(width, height)
            problems = browser.evaluate(LAYOUT)
            check(f"{width}×{height} unreachable: fits", not problems, problems)
            browser.screenshot(os.path.join(args.out, f"{width}x{height}-unreachable.png"))
        # Each language's page was kept by the service worker: offline, it shows the state in its language.
        for code, direction in LANGUAGES.items():
            browser.viewport(1280, 800)
            browser.send("Page.navigate", {"url": f"{server.url}/?lang={code}&retry=1"})
            ok = browser.wait_for(f"{STATE} === 'unreachable' && document.documentElement.lang === {code!r} && document.documentElement.dir === {direction!r}", timeout=15)
            check(f"{code}: offline, the unreachable state in its language", ok and (code == "en" or browser.evaluate(HEADLINE) != "Server unreachable, retrying"),
                  browser.evaluate(HEADLINE))
            for width, height in LANGUAGE_SIZES:
                browser.viewport(width, height)
                problems = browser.evaluate(LAYOUT)
                check(f"{code} {width}×{height} unreachable: fits", not problems, problems)
                browser.screenshot(os.path.join(args.out, f"lang-{code}-{width}x{height}-unreachable.png"))
        browser.send("Page.navigate", {"url": server.url + "/?retry=1"})
        browser.wait_for(f"{STATE} === 'unreachable'", timeout=15)
        browser.viewport(1280, 800)
        time.sleep(2)
        check("it keeps retrying while the server is down", browser.evaluate(f"{STATE} === 'unreachable'"))
        server.start()
        check("it comes back by itself when the server is back",
              browser.wait_for(f"{STATE} === 'idle' && {PAGE}('status').textContent.startsWith('data built')", timeout=15))
        browser.scan(SABRA)
        check("and answers the next scan", answered(SABRA) == "Consumer boycott target")
    except Exception as error:
        check("the run completed", False, f"({type(error).__name__}: {error})")
    finally:
        if browser:
            browser.close()
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots: {args.out}/WIDTHxHEIGHT-STATE.png")
    check.finish("kiosk")


if __name__ == "__main__":
    main()
