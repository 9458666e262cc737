"""Results of a run: invariant outcomes, deduplicated failures, and the report files.

Fed by pytest's report hooks (which also carry results back from xdist workers), and
written at session end whatever the exit status, so an interrupted run still leaves a
report of what did run: ``report.json`` (valid against ``report.schema.json``, shipped
beside this module), ``report.html`` (one self-contained page) and ``badge.svg``.

What arrives here (failures, parity differences) passes through ``reportable`` first,
so raw bytes and other values JSON cannot hold never reach the report's dictionary.
The report as a document (schema, verdict, minimality) is ``report_json``; writing its
files is ``report_files``; both are re-exported here for existing callers.
"""

from __future__ import annotations

import importlib.metadata
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis

import strategies

from .invariants import LEVELS, load_registry
from .parity import merge
from .report_files import REPORT_FILES as REPORT_FILES
from .report_files import write_report_files as write_report_files
from .report_json import SCHEMA_PATH as SCHEMA_PATH
from .report_json import load_schema as load_schema
from .report_json import minimality as minimality
from .report_json import reportable
from .report_json import validate_report as validate_report
from .report_json import verdict as verdict
from .targets import Target

try:
    SUITE_VERSION = importlib.metadata.version("pinpoint-sms-conformance")
except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
    SUITE_VERSION = "unknown"
MAX_LISTED = 25
_RANK = {"pending": -1, "passed": 0, "skipped": 1, "failed": 2}


@dataclass
class InvariantResult:
    id: str
    status: str = "passed"
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)  # by fingerprint
    note: str | None = None
    examples: int = 0

    def add(self, status: str, failures: list[dict[str, Any]] | None, note: str | None) -> None:
        if _RANK[status] > _RANK[self.status]:
            self.status = status
        self.note = note or self.note
        for failure in failures or []:
            seen = self.failures.get(failure["fingerprint"])
            if seen is None:
                self.failures[failure["fingerprint"]] = {**failure, "count": 1}
            elif minimality(failure) < minimality(seen):  # keep the most minimal example
                self.failures[failure["fingerprint"]] = {**failure, "count": seen["count"] + 1}
            else:
                seen["count"] += 1

    def ordered_failures(self) -> list[dict[str, Any]]:
        """Deduplicated failures, the most minimal example first (see ``minimality``)."""
        return sorted(self.failures.values(), key=lambda f: (minimality(f), -f["count"]))

    @property
    def occurrences(self) -> int:
        return sum(f["count"] for f in self.failures.values())


@dataclass
class RunResults:
    target: Target
    seed: Any
    profile: str | None
    gate_level: str
    settle_timeout: float  # --settle-timeout in force, seconds
    started: float = field(default_factory=time.time)
    duration_s: float = 0.0
    exit_status: int | None = None
    invariants: dict[str, InvariantResult] = field(default_factory=dict)
    requests: int = 0
    examples: int = 0  # Hypothesis test cases that ran to an outcome, all phases
    throttled_retries: int = 0
    differences: list[dict[str, Any]] = field(default_factory=list)  # parity mode
    path: Path | None = None  # report.json once written
    written: list[Path] = field(default_factory=list)

    def add_stats(self, stats: dict[str, int] | None, invariant_id: str | None = None) -> None:
        """Counts sent along with each test report (so xdist workers' counts arrive)."""
        self.requests += (stats or {}).get("requests", 0)
        self.examples += (stats or {}).get("examples", 0)
        self.throttled_retries += (stats or {}).get("throttled_retries", 0)
        if invariant_id is not None and invariant_id in self.invariants:
            self.invariants[invariant_id].examples += (stats or {}).get("examples", 0)

    def add_differences(self, entries: list[dict[str, Any]] | None) -> None:
        """Parity differences sent along with a test report, each listed once."""
        merge(self.differences, reportable(entries or []))

    def expect(self, invariant_id: str) -> None:
        """A collected invariant: reported even if the run ends before it runs."""
        self.invariants.setdefault(invariant_id, InvariantResult(invariant_id, "pending"))

    def record(self, report: Any, invariant_id: str, failures: list[dict[str, Any]] | None) -> None:
        result = self.invariants.setdefault(invariant_id, InvariantResult(invariant_id, "pending"))
        if report.when != "call" and not (report.failed or report.skipped):
            return
        if hasattr(report, "wasxfail") and failures:
            status, note = "failed", report.wasxfail
        elif report.failed:
            status, note = "failed", None if failures else _short(report.longreprtext)
        elif report.skipped:
            status, note = "skipped", _skip_reason(report)
        else:
            status, note = "passed", None
        result.add(status, reportable(failures or []), note)

    def finish(self, exit_status: int) -> None:
        self.exit_status = int(exit_status)
        why = "interrupted" if exit_status == 2 else "stopped early"
        for result in self.invariants.values():
            if result.status == "pending":
                result.status, result.note = "skipped", f"not run: the run was {why}"
        self.duration_s = round(time.time() - self.started, 3)

    def summary(self) -> dict[str, int]:
        counts = {"passed": 0, "failed": 0, "skipped": 0}
        for result in self.invariants.values():
            counts[result.status] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        report: dict[str, Any] = {
            "target": {"endpoint": self.target.url or self.target.name, "kind": self.target.kind},
            "versions": {
                "suite": SUITE_VERSION,
                **strategies.versions(),
                "hypothesis": hypothesis.__version__,
                "python": platform.python_version(),
            },
            "seed": self.seed,
            "profile": self.profile,
            "gate_level": self.gate_level,
            "settle_timeout": self.settle_timeout,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
            "duration_s": self.duration_s,
            "exit_status": self.exit_status,
            "stats": {
                "requests": self.requests,
                "examples": self.examples,
                "throttled_retries": self.throttled_retries,
            },
            "summary": self.summary(),
            "invariants": [self._invariant_dict(i) for i in sorted(self.invariants)],
        }
        if self.differences:
            report["differences"] = self.differences
        return report

    def _invariant_dict(self, invariant_id: str) -> dict[str, Any]:
        meta = load_registry().get(invariant_id)
        result = self.invariants[invariant_id]
        entry: dict[str, Any] = {
            "id": invariant_id,
            "title": meta.title if meta else "",
            "level": meta.level if meta else "",
            "status": result.status,
            "examples": result.examples,
            "evidence": [claim.to_dict() for claim in meta.evidence] if meta else [],
        }
        if result.note:
            entry["note"] = result.note
        if result.status == "failed":
            entry["failures"] = result.ordered_failures()
        return entry

    def write(self, directory: str | Path) -> Path:
        """Write report.json, report.html and badge.svg; returns report.json's path."""
        self.written = write_report_files(self.to_dict(), directory)
        return self.written[0]

    def summary_lines(self) -> list[str]:
        registry = load_registry()
        lines = ["", "PinpointSMSVoiceV2 conformance: " + (self.target.url or self.target.name)]
        for level in LEVELS:
            ids = [i for i in sorted(self.invariants) if registry[i].level == level]
            if not ids:
                continue
            passed = sum(1 for i in ids if self.invariants[i].status == "passed")
            lines.append(f"  {level:<7} {passed}/{len(ids)} invariants passed")
        failed = [r for r in self.invariants.values() if r.status == "failed"]
        # the worst first: the most severe level, then the most often seen
        failed.sort(key=lambda r: (LEVELS.index(registry[r.id].level), -r.occurrences, r.id))
        absent = [
            f["message"]
            for r in failed
            for f in r.failures.values()
            if "does not implement" in f["message"]
        ]
        if absent:
            lines.append("  NOTE: " + absent[0].split(". ", 1)[-1])
        for result in failed[:MAX_LISTED]:
            meta = registry[result.id]
            first = next(iter(result.ordered_failures()), None)
            why = first["message"] if first else (result.note or "")
            lines.append(f"  FAILED {result.id} [{meta.level}] {meta.title}: {_short(why)}")
        if len(failed) > MAX_LISTED:
            lines.append(f"  ... and {len(failed) - MAX_LISTED} more failed invariants")
        summary = self.summary()
        said = verdict(summary)
        if summary["skipped"] and summary["passed"] and not summary["failed"]:
            said += " (see above)"
        lines.append(f"  verdict: {said}")
        if self.seed is not None:
            lines.append(f"  seed: {self.seed} (repeat the run with --hypothesis-seed={self.seed})")
        lines.append(
            f"  stats: {self.requests} requests, {self.examples} examples, "
            f"{self.throttled_retries} throttled retries"
        )
        for n, written in enumerate(self.written):
            lines.append(f"  {'report:' if n == 0 else '':<8}{written}")
        return lines


def _short(text: str | None, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _skip_reason(report: Any) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return _short(str(longrepr))
