"""Run the conformance suite, as a user would, against a server; read its report."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance import catalog
from conformance.command import checkout_env, suite_command

SUITE_TIMEOUT_S = 300


def selecting(invariant_ids: Iterable[str]) -> tuple[str, ...]:
    """``-k`` arguments that select the suite tests checking ``invariant_ids``."""
    catalog.invariants()
    names = []
    for module_name, module in sorted(sys.modules.items()):
        if not module_name.startswith("conformance.suite.test_"):
            continue
        for name, function in vars(module).items():
            marks = getattr(function, "pytestmark", [])
            if name.startswith("test_") and any(
                m.name == "conformance" and m.kwargs.get("id") in invariant_ids for m in marks
            ):
                names.append(name)
    assert names, f"no suite test checks {invariant_ids}"
    return ("-k", " or ".join(sorted(names)))


@dataclass
class SuiteRun:
    exit_status: int
    report: dict[str, Any]
    output: str
    seconds: float
    statuses: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.statuses = {e["id"]: e["status"] for e in self.report.get("invariants", [])}

    def with_status(self, status: str) -> set[str]:
        return {i for i, s in self.statuses.items() if s == status}

    def entry(self, invariant_id: str) -> dict[str, Any]:
        """The report's entry for ``invariant_id``."""
        found: dict[str, Any] = next(
            e for e in self.report["invariants"] if e["id"] == invariant_id
        )
        return found

    def first_failure(self, invariant_id: str) -> dict[str, Any]:
        failure: dict[str, Any] = self.entry(invariant_id)["failures"][0]
        return failure

    def tail(self, chars: int = 3000) -> str:
        return self.output[-chars:]


ROOT = Path(__file__).resolve().parents[2]


def run_suite(workdir: Path, endpoint: str, *args: str, profile: str = "quick") -> SuiteRun:
    """``pytest --pyargs conformance --hypothesis-profile=quick`` in a subprocess whose
    working directory is ``workdir`` (so it has a Hypothesis example database of its own).
    ``profile="seeded"``: the same without shrinking (see profile.py)."""
    workdir.mkdir(parents=True, exist_ok=True)
    report_dir = workdir / "report"
    command = suite_command(
        "-p",
        "tests.seeded.profile",
        "-q",
        *args,
        profile=profile,
        report=report_dir,
        endpoint=endpoint,
    )
    env = checkout_env(ROOT)
    started = time.monotonic()
    done = subprocess.run(
        command,
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=SUITE_TIMEOUT_S,
        check=False,
    )
    seconds = time.monotonic() - started
    report_file = report_dir / "report.json"
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    return SuiteRun(done.returncode, report, done.stdout, seconds)
