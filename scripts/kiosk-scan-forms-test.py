#!/usr/bin/env python3
"""The kiosk page in headless Chromium, given the codes a 2D scanner types.

Builds a store from the fixture project, starts `bdscheck serve` on a free loopback port, and types
the listed fixture product `0040822011143` in each form a scanner in keyboard mode sends it (GS1
Digital Link URIs, a GS1 element string, symbology identifiers): one key event per character, as
fast as the browser takes them, then Enter. Each must show the plain code's verdict. Chrome
DevTools Protocol over --remote-debugging-pipe, standard library only.

usage: scripts/kiosk-scan-forms-test.py [--bdscheck PATH] [--chromium PATH]
Exit status 0 when every check passed; the last line says how many passed and failed.
"""

import argparse
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
LISTED = "listed-consumer-boycott"
FORMS = [
    "https://id.gs1.org/01/00040822011143",
    "https://id.gs1.org/01/00040822011143/10/LOT?17=271231",
    "https://brand.example/products/01/00040822011143/21/S12",
    "(01)00040822011143(17)271231(10)LOT",
    "]Q30100040822011143",
    "]E00040822011143",
    "0040822011143",
]


class Browser:
    """Headless Chromium driven over the DevTools pipe (fd 3 it reads, fd 4 it writes)."""

    def __init__(self, chromium, profile, deadline):
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        child_read = fcntl.fcntl(to_r, fcntl.F_DUPFD, 10)
        child_write = fcntl.fcntl(from_w, fcntl.F_DUPFD, 10)

        def wire():
            os.dup2(child_read, 3)
            os.dup2(child_write, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--no-default-browser-check", "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=wire, pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for fd in (to_r, from_w, child_read, child_write):
            os.close(fd)
        self.out, self.inp, self.buffer, self.next_id = to_w, from_r, b"", 0
        self.deadline, self.session = deadline, None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.out, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                if time.time() > self.deadline:
                    raise TimeoutError("Chromium did not answer in time")
                chunk = os.read(self.inp, 1 << 16)
                if not chunk:
                    raise RuntimeError("Chromium closed the debugging pipe")
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

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
            time.sleep(0.05)
        return None

    def scan(self, text):
        """Types `text` one key at a time with no pause, as a keyboard-mode scanner does, then Enter."""
        for ch in text:
            self.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": ch, "text": ch, "unmodifiedText": ch})
            self.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": ch})
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {
                "type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13,
                **({"text": "\r"} if kind == "keyDown" else {}),
            })

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
    parser.add_argument("--bdscheck", default=os.path.join(ROOT, ".build", "debug", "bdscheck"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    args = parser.parse_args()
    if not args.chromium:
        sys.exit("kiosk-scan-forms-test: no chromium found (Debian: apt-get install -y chromium)")
    if not os.access(args.bdscheck, os.X_OK):
        sys.exit(f"kiosk-scan-forms-test: {args.bdscheck} is not built (swift build)")

    passed, failed = 0, 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"ok    {name}")
        else:
            failed += 1
            print(f"FAIL  {name} {detail}")

    work = tempfile.mkdtemp(prefix="bdscheck-kiosk-scan-")
    server = browser = None
    try:
        store = os.path.join(work, "store.sqlite")
        subprocess.run([args.bdscheck, "refresh", "--data", FIXTURE, "--store", store], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = open(os.path.join(work, "serve.log"), "w")
        server = subprocess.Popen([args.bdscheck, "serve", "--store", store, "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT)
        wait_ready(url, server)

        browser = Browser(args.chromium, os.path.join(work, "profile"), time.time() + 120)
        target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        browser.send("Page.enable")
        browser.send("Runtime.enable")
        browser.send("Page.navigate", {"url": url + "/"})
        check("the page loads with the input focused",
              browser.wait_for("document.readyState === 'complete' && document.activeElement && document.activeElement.id === 'scan'"))

        for form in FORMS:
            # Back to the idle page first, so each answer shown is this scan's.
            browser.evaluate("window.bdscheckKiosk.idle(); true")
            browser.wait_for("document.getElementById('answer').dataset.verdict === 'idle'", timeout=3)
            browser.scan(form)
            verdict = browser.wait_for(
                "(v => v !== 'idle' && v)(document.getElementById('answer').dataset.verdict)", timeout=10)
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
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"kiosk scan forms: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
