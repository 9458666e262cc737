"""A replay's report tells what it did: the recorded calls sent again, how many answered
otherwise, and a verdict of its own, in the terminal, report.json, report.html and the
badge; its repeat command replays again.

One small recording (two invariants that replay deterministically, quick profile) is
made once against the reference and replayed against the reference (it matches) and
against moto (it differs); each run is ``python -m pytest --pyargs conformance`` in a
subprocess, from a temporary directory outside the repository.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from conformance.command import suite_command
from conformance.report.document import validate_report

from .test_reports import Page

SVG_TEXT = "{http://www.w3.org/2000/svg}text"


class Run(NamedTuple):
    returncode: int
    stdout: str
    report: dict[str, Any]
    page: Page
    badge: list[str]


def suite(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        suite_command(*args), cwd=cwd, capture_output=True, text=True, timeout=600
    )


def replayed(cwd: Path, recorded: Path, endpoint: str) -> Run:
    out = cwd / f"report-{endpoint}"
    done = suite(
        cwd, "--replay", str(recorded), "--endpoint", endpoint, "--conformance-report", str(out)
    )
    report = json.loads((out / "report.json").read_text())
    validate_report(report)
    badge = [t.text or "" for t in ET.parse(out / "badge.svg").iter(SVG_TEXT)]
    return Run(done.returncode, done.stdout, report, Page((out / "report.html").read_text()), badge)


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    cwd = tmp_path_factory.mktemp("replay-reports")
    recorded = cwd / "recorded"
    done = suite(
        cwd,
        "--hypothesis-profile=quick",
        "--hypothesis-seed=7",
        "-k",
        "reused_token or unknown_target",
        "--record",
        str(recorded),
    )
    assert done.returncode == 0, done.stdout[-3000:]
    calls = sum(len(json.loads(p.read_text())["calls"]) for p in recorded.glob("*.json"))
    assert calls > 0
    return recorded, calls


def test_a_replay_that_matches_says_so_everywhere(recording: tuple[Path, int]) -> None:
    recorded, calls = recording
    run = replayed(recorded.parent, recorded, "reference")
    assert run.returncode == 0, run.stdout[-3000:]
    replay = run.report["replay"]
    assert (replay["calls"], replay["differing_calls"]) == (calls, 0)
    assert [r["name"] for r in replay["recordings"]] == ["IDEMP-MISMATCH", "PROTO-UNKNOWN-TARGET"]
    assert run.report["summary"] == {"passed": 2, "failed": 0, "skipped": 0}
    # every replayed call is a request; these recordings release what they create
    assert run.report["stats"]["requests"] == calls
    said = f"REPLAY MATCHES ({calls} recorded calls replayed, all answered as recorded)"
    assert f"  verdict: {said}" in run.stdout.splitlines()
    assert f"{calls} recorded calls replayed, {calls} requests in all" in run.stdout
    assert run.page.find("p", id="verdict") == [said]
    assert f"{calls}/{calls} calls matched" in run.badge and "replay" in run.badge
    repeat = f"pytest --pyargs conformance --replay {recorded}"
    assert f"  repeat: {repeat}" in "\n".join(run.stdout.splitlines())
    assert any(repeat in text for text in run.page.find("code"))
    assert "NOTHING CHECKED" not in run.stdout + "".join(run.page.find("p", id="verdict"))


def test_a_replay_that_differs_says_how_much(recording: tuple[Path, int]) -> None:
    recorded, calls = recording
    run = replayed(recorded.parent, recorded, "moto")
    assert run.returncode == 1, run.stdout[-3000:]
    replay = run.report["replay"]
    differing = replay["differing_calls"]
    assert replay["calls"] == calls and 0 < differing <= calls
    assert sum(r["differing_calls"] for r in replay["recordings"]) == differing
    assert run.report["summary"]["failed"] == sum(
        1 for r in replay["recordings"] if r["differing_calls"]
    )
    assert run.report["differences"]
    said = f"REPLAY DIFFERS ({differing} of {calls} recorded calls replayed answered differently)"
    assert f"  verdict: {said}" in run.stdout.splitlines()
    assert run.page.find("p", id="verdict") == [said]
    assert f"{calls - differing}/{calls} calls matched" in run.badge
    rows = [a for t, a, _ in run.page.elements if t == "tr" and "data-recording" in a]
    assert [a["data-recording"] for a in rows] == [r["name"] for r in replay["recordings"]]
    assert f"--replay {recorded} --endpoint moto" in run.stdout
