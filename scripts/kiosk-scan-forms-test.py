#!/usr/bin/env python3
"""The kiosk page in headless Chromium, given the codes a 2D scanner types.

Builds a store from the fixture project, starts `bdscheck serve` on a free loopback port, and types
the listed fixture product `0040822011143` in each form a scanner in keyboard mode sends it (GS1
Digital Link URIs, a GS1 element string, symbology identifiers): one burst of key events, then
Enter, as `kiosk_cdp.CDP.scan` sends it. Each must show the plain code's verdict. Chrome
DevTools Protocol over --remote-debugging-pipe, standard library only.

usage: scripts/kiosk-scan-forms-test.py [--bdscheck PATH] [--chromium PATH]
Exit status 0 when every check passed; the last line says how many passed and failed.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

from kiosk_cdp import CDP, Checks, Server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "Tests", "BDSTestSupport", "Fixtures", "project")
# The kiosk heads a consumer-boycott answer with this kind (Headline.Kind, kiosk.js).
LISTED = "consumer-boycott"
FORMS = [
    "https://id.gs1.org/01/00040822011143",
    "https://id.gs1.org/01/00040822011143/10/LOT?17=271231",
    "https://brand.example/products/01/00040822011143/21/S12",
    "(01)00040822011143(17)271231(10)LOT",
    "]Q30100040822011143",
    "]E00040822011143",
    "0040822011143",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bdscheck", default=os.path.join(ROOT, ".build", "debug", "bdscheck"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    args = parser.parse_args()
    if not args.chromium:
        sys.exit("kiosk-scan-forms-test: no chromium found (Debian: apt-get install -y chromium)")
    if not os.access(args.bdscheck, os.X_OK):
        sys.exit(f"kiosk-scan-forms-test: {args.bdscheck} is not built (swift build)")

    check = Checks()

    work = tempfile.mkdtemp(prefix="bdscheck-kiosk-scan-")
    server = browser = None
    try:
        store = os.path.join(work, "store.sqlite")
        subprocess.run([args.bdscheck, "refresh", "--data", FIXTURE, "--store", store], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = Server(args.bdscheck, store, os.path.join(work, "serve.log"), reset=60)
        server.start()

        browser = CDP(args.chromium, os.path.join(work, "profile"), time.time() + 120)
        browser.open_page()
        browser.send("Page.navigate", {"url": server.url + "/"})
        check("the page loads with the input focused",
              browser.wait_for("document.readyState === 'complete' && document.activeElement && document.activeElement.id === 'scan'"))

        for form in FORMS:
            # Back to the idle page first, so each answer shown is this scan's.
            browser.evaluate("window.bdscheckKiosk.idle(); true")
            browser.wait_for("document.getElementById('answer').dataset.state === 'idle'", timeout=3)
            browser.scan(form)
            verdict = browser.wait_for(
                "(a => a.dataset.state === 'answer' && a.dataset.kind)(document.getElementById('answer'))", timeout=10)
            shown = browser.evaluate("document.body.innerText") or ""
            check(f"scanned {form} shows the listed verdict", verdict == LISTED and "Fixture Campaign" in shown,
                  f"(got {verdict})")
            check(f"and the input is cleared after {form}", browser.evaluate("document.getElementById('scan').value === ''"))
    except Exception as error:
        check("the run completed", False, f"({type(error).__name__}: {error})")
    finally:
        if browser:
            browser.close()
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    check.finish("kiosk scan forms")


if __name__ == "__main__":
    main()
