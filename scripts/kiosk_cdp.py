"""Helpers for scripts/kiosk-browser-test.py and kiosk-scan-forms-test.py: Chromium driven over the DevTools protocol (standard
library only), key events with scripted timings, and a `bdscheck serve` that can be stopped and
started again on the same loopback port."""

import base64
import fcntl
import json
import os
import sys
import socket
import subprocess
import time
import urllib.request


def key_event(ch):
    """The keyDown/keyUp parameters for one printable character, as a USB keyboard sends it."""
    if ch.isdigit():
        code, vk = "Digit" + ch, ord(ch)
    elif ch.isalpha() and ch.isascii():
        code, vk = "Key" + ch.upper(), ord(ch.upper())
    elif ch == " ":
        code, vk = "Space", 32
    else:
        code, vk = "", 0
    down = {"type": "keyDown", "key": ch, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk, "text": ch}
    up = {"type": "keyUp", "key": ch, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk}
    return down, up


ENTER_DOWN = {"type": "keyDown", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13, "text": "\r"}
ENTER_UP = {"type": "keyUp", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13}


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

    def _write(self, method, params, session):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.out, json.dumps(message).encode() + b"\0")
        return self.next_id

    def _await(self, ids, method):
        waiting, results = set(ids), {}
        while waiting:
            reply = self.read()
            if reply.get("id") in waiting:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                waiting.discard(reply["id"])
                results[reply["id"]] = reply.get("result", {})
            elif "id" not in reply:
                self.events.append(reply)
        return results

    def send(self, method, params=None, session=True):
        ident = self._write(method, params, session)
        return self._await([ident], method)[ident]

    def send_many(self, method, params_list):
        """Writes every message before reading any reply, so Chromium gets them back to back
        (a scanner's burst arrives within a few milliseconds, whatever the load on this machine)."""
        ids = [self._write(method, p, True) for p in params_list]
        self._await(ids, method)

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

    def scan(self, code):
        """A USB scanner: the digits and Enter in one burst."""
        events = []
        for ch in code:
            events += key_event(ch)
        self.send_many("Input.dispatchKeyEvent", events + [ENTER_DOWN, ENTER_UP])

    def type_slowly(self, text, gap=0.2, enter=True):
        """A person at the keyboard: one key every `gap` seconds (longer than a scanner's burst)."""
        for ch in text:
            self.send_many("Input.dispatchKeyEvent", list(key_event(ch)))
            time.sleep(gap)
        if enter:
            self.send_many("Input.dispatchKeyEvent", [ENTER_DOWN, ENTER_UP])

    def open_page(self):
        """Opens a blank tab, attaches this connection to it, and enables the page and runtime domains."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def viewport(self, width, height):
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})

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


class Checks:
    """Named checks, printed as they pass or fail, and counted for the last line and the exit status."""

    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok    {name}")
        else:
            self.failed += 1
            print(f"FAIL  {name} {detail}")
        return ok

    def finish(self, label):
        print(f"{label}: {self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`bdscheck serve` on one loopback port, which can be stopped and started again."""

    def __init__(self, bdscheck, store, log_path, reset):
        self.command = [bdscheck, "serve", "--store", store, "--port", str(free_port()), "--kiosk-reset", str(reset)]
        self.url = "http://127.0.0.1:" + self.command[5]
        self.log = open(log_path, "a")
        self.process = None

    def start(self, timeout=30):
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT)
        end = time.time() + timeout
        while time.time() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"bdscheck serve exited with status {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError("the server did not become ready")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
