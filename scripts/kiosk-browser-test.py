#!/usr/bin/env python3
"""The kiosk page in a real headless Chromium.

Builds a store from the fixture project, starts `bdscheck serve` on a free loopback port, loads
the page, types a barcode and Enter the way a USB scanner does (Chrome DevTools Protocol over
--remote-debugging-pipe, so only the standard library is needed), checks the answer shown, types
a partial name and checks the candidates, checks that focus comes back to the input and that the
page resets itself, and saves screenshots.

usage: scripts/kiosk-browser-test.py [SCREENSHOT.png] [--bdscheck PATH] [--chromium PATH]
Exit status 0 when every check passed; the last line says how many passed and failed.
"""

import argparse
import base64
import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "Tests", "BDSCheckTests", "Fixtures", "project")


class CDP:
    """Chrome DevTools Protocol over the pipe Chromium opens on fds 3 (it reads) and 4 (it writes)."""

    def __init__(self, chromium, profile, deadline):
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        # Copies above 4, so that placing them on 3 and 4 in the child cannot overwrite one with the other.
        child_read = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
        child_write = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)

        def wire():
            os.dup2(child_read, 3)
            os.dup2(child_write, 4)

        self.process = subprocess.Popen(
            [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--force-color-profile=srgb",
                "--remote-debugging-pipe", f"--user-data-dir={profile}", "--window-size=1280,800", "about:blank",
            ],
            preexec_fn=wire, pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for fd in (to_browser_r, from_browser_w, child_read, child_write):
            os.close(fd)
        self.out = to_browser_w
        self.inp = from_browser_r
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.deadline = deadline
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def read(self):
        while b"\0" not in self.buffer:
            if time.time() > self.deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.inp, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the debugging pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        return None

    def type_and_enter(self, text):
        self.send("Input.insertText", {"text": text})
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {
                "type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13,
                **({"text": "\r"} if kind == "keyDown" else {}),
            })

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, process, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if process.poll() is not None:
            raise RuntimeError(f"bdscheck serve exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("the server did not become ready")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("screenshot", nargs="?", default=os.path.join(ROOT, "out", "kiosk.png"))
    parser.add_argument("--bdscheck", default=os.path.join(ROOT, ".build", "debug", "bdscheck"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    args = parser.parse_args()
    if not args.chromium:
        sys.exit("kiosk-browser-test: no chromium found (Debian: apt-get install -y chromium)")
    if not os.access(args.bdscheck, os.X_OK):
        sys.exit(f"kiosk-browser-test: {args.bdscheck} is not built (swift build)")

    passed, failed = 0, 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"ok    {name}")
        else:
            failed += 1
            print(f"FAIL  {name} {detail}")

    work = tempfile.mkdtemp(prefix="bdscheck-kiosk-")
    server = browser = None
    try:
        store = os.path.join(work, "store.sqlite")
        subprocess.run([args.bdscheck, "refresh", "--data", FIXTURE, "--store", store], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = open(os.path.join(work, "serve.log"), "w")
        server = subprocess.Popen([args.bdscheck, "serve", "--store", store, "--port", str(port), "--kiosk-reset", "60"],
                                  stdout=log, stderr=subprocess.STDOUT)
        wait_ready(url, server)

        browser = CDP(args.chromium, os.path.join(work, "profile"), time.time() + 90)
        target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        browser.send("Page.enable")
        browser.send("Runtime.enable")
        browser.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
        browser.send("Page.navigate", {"url": url + "/"})
        check("the page loads and asks for a scan",
              browser.wait_for("document.readyState === 'complete' && document.getElementById('headline').textContent === 'Scan a product'"))
        check("the input has focus on load", browser.wait_for("document.activeElement && document.activeElement.id === 'scan'"))
        check("the status shows the store's build date", browser.wait_for("document.getElementById('status').textContent.startsWith('data built')"))

        browser.type_and_enter("0040822011143")
        verdict = browser.wait_for("document.getElementById('answer').dataset.verdict === 'listed-consumer-boycott' && document.getElementById('answer').dataset.verdict")
        check("a scanned barcode shows the verdict", verdict == "listed-consumer-boycott", f"(got {verdict})")
        text = browser.evaluate("document.body.innerText")
        check("in words", "LISTED: consumer boycott target" in text)
        check("with an icon", browser.evaluate("document.getElementById('icon').childElementCount > 0"))
        check("with the list and category", "Fixture Campaign: consumer boycott" in text)
        check("with the reason", "Why: Named as a consumer boycott target by the fixture campaign" in text)
        check("with the ownership path", "Linked by: Sabra → 50 % owned by Strauss Group" in text)
        check("with the dated source", "Source: https://example.org/fixture/list (read 2026-01-01)" in text)
        check("with the product", "Fixture Hummus 10 oz · brand Sabra" in text)
        check("the input is cleared for the next scan", browser.evaluate("document.getElementById('scan').value === ''"))
        check("a reset countdown runs", browser.wait_for("document.getElementById('countdown').textContent.includes('scan a product')"))
        browser.screenshot(args.screenshot)

        browser.evaluate("document.getElementById('scan').blur(); document.body.click(); true")
        check("focus comes back to the input", browser.wait_for("document.activeElement.id === 'scan'", timeout=3))

        browser.type_and_enter("sabr")
        names = browser.wait_for("Array.from(document.querySelectorAll('#candidates button')).map(b => b.dataset.name).join('|')")
        check("a partial name shows candidates", names and "Sabra" in names.split("|"), f"(got {names})")
        check("as suggestions, not a verdict",
              browser.evaluate("document.getElementById('answer').dataset.verdict") == "unknown"
              and "suggestions, not verdicts" in browser.evaluate("document.body.textContent"))
        base, ext = os.path.splitext(args.screenshot)
        browser.screenshot(base + "-name" + ext)

        browser.evaluate("document.querySelector('#candidates button').click(); true")
        check("choosing a candidate checks that name", browser.wait_for("document.getElementById('answer').dataset.verdict === 'listed-consumer-boycott'"))

        browser.type_and_enter("0040822011144")
        check("a mistyped barcode says what is wrong",
              browser.wait_for("document.getElementById('answer').dataset.verdict === 'invalid' && document.body.innerText.includes('0040822011143')"))

        browser.send("Page.navigate", {"url": url + "/?reset=3"})
        browser.wait_for("document.readyState === 'complete' && window.bdscheckKiosk && window.bdscheckKiosk.resetSeconds === 3")
        browser.type_and_enter("4000000000013")
        check("no listing found is its own answer", browser.wait_for("document.getElementById('answer').dataset.verdict === 'no-listing-found'"))
        check("the page resets after the configured delay",
              browser.wait_for("document.getElementById('answer').dataset.verdict === 'idle'", timeout=8))

        server.terminate()
        server.wait(timeout=10)
        server = None
        browser.type_and_enter("0040822011143")
        check("with the server down the page says so",
              browser.wait_for("document.getElementById('answer').dataset.verdict === 'unreachable' && document.getElementById('status').textContent === 'server unreachable'"))
        browser.screenshot(base + "-down" + ext)
    except Exception as error:
        check("the run completed", False, f"({type(error).__name__}: {error})")
    finally:
        if browser:
            browser.close()
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots: {args.screenshot} and beside it (-name, -down)")
    print(f"kiosk: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
