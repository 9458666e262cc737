"""Every mode as a user types it, each with a report, and what a user can trust from it.

Each mode is a real ``python -m pytest --pyargs conformance ... --conformance-report DIR``
started from a directory outside the repository (the modes in parallel, the replay after
the recording it replays). For each: no traceback, the exit status and the verdict say
what happened (the same verdict in the terminal, report.json and report.html),
report.json validates against the schema, and report.html renders in headless Chromium
with that verdict and no script error.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conformance import catalog
from conformance.command import suite_command
from conformance.report.document import report_verdict, validate_report
from conformance.service.operations import catalogue

from .test_reports_browser import DevTools, chromium

SEED = "--hypothesis-seed=11"
WRAPPER = "conformance.examples.sms_wrapper:make_client"
BUGGY_WRAPPER = "conformance.examples.buggy_wrappers:tag_dropping"


@dataclass(frozen=True)
class Mode:
    name: str
    args: tuple[str, ...]
    exit_status: int
    verdict: str  # how report.json's verdict starts
    partial: bool  # some registered invariants were left out


MODES = [
    Mode("plain", (), 0, "CONFORMS", False),
    Mode(
        "moto",
        ("--endpoint", "moto"),
        1,
        f"DOES NOT CONFORM ({len(catalog.invariants())} invariants not implemented)",
        False,
    ),
    Mode("compare-to", ("--compare-to", "moto", "-k", "simulator_number"), 0, "CONFORMS", True),
    Mode(
        "record",
        ("--record", "{tmp}/recorded", "-k", "simulator_number or content_type"),
        0,
        "CONFORMS",
        True,
    ),
    Mode(
        "client-factory",
        ("--client-factory", WRAPPER, "-k", "simulator_number or echo"),
        0,
        "CONFORMS",
        True,
    ),
    Mode(
        "client-factory-buggy",
        ("--client-factory", BUGGY_WRAPPER, "-k", "number_lifecycle"),
        1,
        "DOES NOT CONFORM",
        True,
    ),
    Mode("k-subset", ("-k", "IDEMP"), 0, "CONFORMS", True),
    Mode("xdist", ("-n", "2", "-k", "content_type or simulator or status"), 0, "CONFORMS", True),
]
REPLAY = Mode("replay", ("--replay", "{tmp}/recorded"), 0, "REPLAY MATCHES", False)


@dataclass
class Run:
    mode: Mode
    exit_status: int
    output: str
    report_dir: Path

    @property
    def report(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.report_dir / "report.json").read_text())
        return loaded


def _start(mode: Mode, base: Path) -> tuple[Path, subprocess.Popen[str]]:
    tmp = base / mode.name
    tmp.mkdir()
    args = [a.format(tmp=base) for a in mode.args]
    command = suite_command(*args, SEED, profile="quick", report=tmp / "report")
    pipes: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
    return tmp, subprocess.Popen(command, cwd=tmp, **pipes)


def _finish(mode: Mode, tmp: Path, process: subprocess.Popen[str]) -> Run:
    output, _ = process.communicate(timeout=600)
    return Run(mode, process.returncode, output, tmp / "report")


@pytest.fixture(scope="module")
def runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Run]:
    """The selected modes' runs (the recording too, when the replay is selected)."""
    selected = {
        item.callspec.params["mode"].name
        for item in request.session.items
        if getattr(item, "callspec", None) and "mode" in item.callspec.params
    }
    if REPLAY.name in selected:
        selected.add("record")
    base = tmp_path_factory.mktemp("modes")
    started = {m.name: (m, *_start(m, base)) for m in MODES if m.name in selected}
    done = {name: _finish(*started[name]) for name in started}
    if REPLAY.name in selected:  # after what --record wrote
        done[REPLAY.name] = _finish(REPLAY, *_start(REPLAY, base))
    return done


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tools = DevTools(chromium(), tmp_path_factory.mktemp("chromium"))
    yield tools
    tools.close()


@pytest.mark.parametrize("mode", [*MODES, REPLAY], ids=lambda m: m.name)
def test_each_mode_ends_in_a_true_verdict_and_a_complete_report(
    mode: Mode, runs: dict[str, Run], browser: DevTools
) -> None:
    run = runs[mode.name]
    tail = run.output[-4000:]
    assert "Traceback" not in run.output and "INTERNALERROR" not in run.output, tail
    assert run.exit_status == mode.exit_status, tail

    report = run.report
    validate_report(report)
    totals = (report.get("coverage") or {}).get("totals")
    if mode.name == "moto":  # serves none of the service: every operation not implemented
        assert totals["unimplemented"] == totals["operations"] == len(catalogue())
    elif mode.name == "plain":  # the reference: every operation it serves conforms
        assert totals["fails"] == totals["not_run"] == 0 and totals["conforms"] > 0
    verdict = report_verdict(report)
    assert verdict.startswith(mode.verdict), (verdict, tail)
    assert f"verdict: {verdict}" in run.output, tail
    assert report["exit_status"] == mode.exit_status
    assert report["partial"] is mode.partial and bool(report["not_run"]) is mode.partial
    if mode.partial:
        assert "partial:" in verdict and "(partial)" in (run.report_dir / "badge.svg").read_text()
    failed = [e["id"] for e in report["invariants"] if e["status"] == "failed"]
    assert bool(failed) is (mode.exit_status == 1 and "not implemented" not in verdict)
    if "replay" not in report:
        ran = {e["id"] for e in report["invariants"]}
        assert ran | set(report["not_run"]) == set(catalog.invariants())
        assert report["versions"]["api_version"] == "2022-03-31"  # the installed model's
    if mode.name == "plain":  # the reference passes every invariant, each with requests
        assert {e["status"] for e in report["invariants"]} == {"passed"}
        assert all(e["requests"] > 0 and e["examples"] > 0 for e in report["invariants"])

    page = (run.report_dir / "report.html").resolve()
    browser.events.clear()
    browser.open(page.as_uri())
    assert browser.evaluate("document.getElementById('verdict').innerText") == verdict
    errors = [e for e in browser.events if e.get("method") == "Runtime.exceptionThrown"]
    assert not errors, errors
