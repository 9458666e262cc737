"""report.html in a real browser: headless Chromium, driven over the DevTools protocol.

The page of a real run (against a reference variant whose error answers carry a
hostile ``<script>``) is loaded from disk and inspected as shown: the verdict, the
matrix, a failure's reproducer hidden until its ``<details>`` is opened, the hostile
markup displayed as text and never run, and no request leaving the page.

Chromium comes from Debian (``apt-get install chromium``; ``.ci/run`` installs it). In
CI (``CI`` set) a missing browser fails the test; elsewhere it is skipped, saying so.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conformance.command import suite_command
from conformance.reference import ReferenceServer, Reply
from conformance.report.document import validate_report

MARK = "pwned-by-the-endpoint"
HOSTILE = (
    f"<script>document.title='{MARK}';window.{MARK.replace('-', '_')}=1</script>"
    f"<img src=x onerror=\"document.title='{MARK}'\">"
)


def chromium() -> str:
    found = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    if found is None:
        message = "no chromium on PATH (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must run the browser test")
        pytest.skip(message)
    return found


_LAUNCHER = """
import fcntl, os, sys
reads, writes = (fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3])
os.dup2(reads, 3)
os.dup2(writes, 4)
for fd in {int(sys.argv[1]), int(sys.argv[2]), reads, writes} - {3, 4}:
    os.close(fd)
os.execv(sys.argv[3], sys.argv[3:])
"""


class DevTools:
    """A minimal DevTools-protocol client over ``--remote-debugging-pipe`` (fds 3, 4)."""

    def __init__(self, executable: str, profile: Path, timeout: float = 30.0) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        # a launcher puts the pipe ends on the fds the browser expects, then becomes it
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _LAUNCHER,
                str(to_browser_r),
                str(from_browser_w),
                executable,
                *flags,
            ],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []
        self._buffer = b""
        self._next_id = 0
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("the browser did not answer in time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise ConnectionError("the browser closed its DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith(("Target.", "Browser.")):
            command["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def wait_for(self, event: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for message in self.events:
                if message.get("method") == event:
                    self.events.remove(message)
                    return message
            self.events.append(self._read_message(deadline))

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        self.session = attached["sessionId"]
        self.send("Page.enable")
        self.send("Network.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        answer = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def screenshot(self, path: Path) -> None:
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        with contextlib.suppress(OSError, TimeoutError, ConnectionError, RuntimeError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


def _hostile_conflicts(reply: Reply) -> Reply:
    """Client errors answered 409 (fails ERR-STATUS-400 only) with hostile markup."""
    if reply.status == 400:
        reply.status = 409
        reply.body["Message"] = HOSTILE
        reply.headers["X-Hostile"] = HOSTILE
    return reply


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """report.html of a real run: some invariants pass, ERR-STATUS-400 fails."""
    chromium()  # no run for a page nobody can look at
    out = tmp_path_factory.mktemp("browser") / "report"
    with ReferenceServer(hooks=[_hostile_conflicts]) as server:
        run = subprocess.run(
            suite_command(
                "-k", "status or content_type", profile="quick", endpoint=server.url, report=out
            ),
            cwd=out.parent,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    validate_report(report)
    return out, report


@pytest.fixture
def browser(tmp_path: Path) -> Any:
    tools = DevTools(chromium(), tmp_path / "profile")
    yield tools
    tools.close()


def test_the_page_shows_verdict_matrix_and_failures_and_runs_nothing_hostile(
    browser: DevTools, hostile_run: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    out, report = hostile_run
    page = (out / "report.html").resolve()
    browser.open(page.as_uri())

    # nothing the endpoint sent ran, and nothing was fetched
    title = browser.evaluate("document.title")
    assert MARK not in title and "DOES NOT CONFORM" in title
    assert browser.evaluate(f"typeof window.{MARK.replace('-', '_')}") == "undefined"
    assert browser.evaluate("document.querySelectorAll('script, img, iframe').length") == 0
    fetched = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert fetched and all(url == page.as_uri() for url in fetched), fetched

    # the verdict, as shown
    failed = [e for e in report["invariants"] if e["status"] == "failed"]
    passed = [e for e in report["invariants"] if e["status"] == "passed"]
    assert [e["id"] for e in failed] == ["ERR-STATUS-400"] and passed
    verdict = browser.evaluate("document.getElementById('verdict').innerText")
    assert verdict.startswith("DOES NOT CONFORM") and f"({len(failed)} " in verdict

    # every invariant is in the matrix cell of its level and status, and counted there
    for entry in report["invariants"]:
        selector = f'td[data-level="{entry["level"]}"][data-status="{entry["status"]}"]'
        cell = browser.evaluate(f"document.querySelector('{selector}').innerText")
        same = [
            e
            for e in report["invariants"]
            if (e["level"], e["status"]) == (entry["level"], entry["status"])
        ]
        assert entry["id"] in cell and cell.split()[0] == str(len(same))

    # a failure is folded: its reproducer is hidden until the summary is clicked
    details = "document.getElementById('fail-ERR-STATUS-400')"
    assert browser.evaluate(f"{details}.open") is False
    assert browser.evaluate(f"{details}.querySelector('pre.boto3').checkVisibility()") is False
    browser.evaluate(f"{details}.querySelector('summary').click()")
    assert browser.evaluate(f"{details}.open") is True
    assert browser.evaluate(f"{details}.querySelector('pre.boto3').checkVisibility()") is True
    shown = browser.evaluate(f"{details}.innerText")
    assert "boto3.client(" in shown and "curl " in shown and "HTTP 409" in shown
    assert HOSTILE in shown  # the hostile markup is displayed, as text
    assert browser.evaluate("document.title") == title

    # each invariant's evidence is folded beside it: claims, and sources as labelled links
    for entry in report["invariants"]:
        folded = f"document.getElementById('evidence-{entry['id']}')"
        assert browser.evaluate(f"{folded}.open") is False
        browser.evaluate(f"{folded}.querySelector('summary').click()")
        links = browser.evaluate(
            f"Array.from({folded}.querySelectorAll('a.source'))"
            ".filter(a => a.checkVisibility()).map(a => [a.href, a.innerText])"
        )
        sources = [s for claim in entry["evidence"] for s in claim["sources"] if s["url"]]
        assert sources and {href for href, _ in links} == {s["url"] for s in sources}
        assert all(
            text.startswith(s["kind"]) for s in sources for h, text in links if h == s["url"]
        )
    header = browser.evaluate("document.getElementById('settings').innerText")
    assert f"settle timeout {report['settle_timeout']:g} s" in header
    assert f"seed {report['seed']}" in header

    shot = tmp_path / "report.png"
    browser.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("CONFORMANCE_SCREENSHOT_DIR"):  # to look at it by eye
        shutil.copy(shot, Path(os.environ["CONFORMANCE_SCREENSHOT_DIR"]) / "report.png")
