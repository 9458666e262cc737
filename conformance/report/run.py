"""Results of a run: invariant outcomes, deduplicated failures, and the report files.

Fed by pytest's report hooks (which also carry results back from xdist workers), and
written at session end whatever the exit status, so an interrupted run still leaves a
report of what did run: ``report.json`` (valid against ``report.schema.json``),
``report.html`` (one self-contained page) and ``badge.svg``.

What arrives here (failures, parity differences) passes through ``reportable`` first,
so raw bytes and other values JSON cannot hold never reach the report's dictionary.
A run that did not select every registered invariant is partial (``not_run``), and a
replay (``--replay``) has a verdict of its own (``replay_tally``), both said wherever the
verdict is. The report as a document (schema, verdict, minimality) is ``document``;
writing its files is ``files``; the terminal's summary is ``terminal``.
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
from conformance.endpoint.json_forms import reportable
from conformance.endpoint.targets import Target
from conformance.invariants.registry import REGISTRY
from conformance.modes.parity import merge
from conformance.modes.replay_tally import ReplayTally
from conformance.report.coverage import Coverage
from conformance.report.document import (
    minimality,
)
from conformance.report.files import write_report_files

try:
    SUITE_VERSION = importlib.metadata.version("pinpoint-sms-conformance")
except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
    SUITE_VERSION = "unknown"
_RANK = {
    "pending": -1,
    "passed": 0,
    "skipped": 1,
    "not_applicable": 2,
    "unimplemented": 3,
    "failed": 4,
}
# A check of the model-level tier over many operations: one that passed on some and was
# not implemented or not run on others passed (the coverage matrix says the rest); it is
# "unimplemented" only when no operation it ran on was implemented.
TIER_RANK = {
    "pending": -1,
    "not_run": 0,
    "not_applicable": 1,
    "unimplemented": 2,
    "skipped": 3,
    "passed": 4,
    "failed": 5,
}
NOT_APPLICABLE = "not_applicable"  # a check of the wire, on a client with no wire


@dataclass
class InvariantResult:
    id: str
    status: str = "passed"
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)  # by fingerprint
    note: str | None = None
    examples: int = 0
    requests: int = 0
    through_client: int = 0  # of its requests, those sent through the user's client
    seconds: float = 0.0  # wall time of its setup, call and teardown
    phases: dict[str, float] = field(default_factory=dict)  # Hypothesis phase: seconds
    from_database: bool = False  # its failure was found again among the database's examples
    shrinking: dict[str, Any] | None = None  # shrink_budget.shrinking()
    exchange: dict[str, Any] | None = None  # unimplemented: the answer that showed it

    def add(
        self, status: str, note: str | None, failures: list[dict[str, Any]] | None = None
    ) -> None:
        if _RANK[status] > _RANK[self.status]:
            self.status = status
        self.note = note or self.note
        self.add_failures(failures)

    def add_failures(self, failures: list[dict[str, Any]] | None) -> None:
        """Each failure once by fingerprint, counted, its most minimal example kept."""
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
    write_error: str | None = None  # why the report files could not be written
    replay: ReplayTally | None = None  # --replay: what was sent again, what differed
    compared_to: str | None = None  # --compare-to: the endpoint every request was mirrored to
    coverage: Coverage = field(default_factory=Coverage)  # the model-level tier's matrix
    client_factory: str | None = None  # --client-factory: the user's client is the target
    route: dict[str, Any] | None = None  # how that client reached what answered (a worker's)

    def add_stats(self, stats: dict[str, int] | None, invariant_id: str | None = None) -> None:
        """Counts sent along with each test report (so xdist workers' counts arrive)."""
        self.requests += (stats or {}).get("requests", 0)
        self.examples += (stats or {}).get("examples", 0)
        self.throttled_retries += (stats or {}).get("throttled_retries", 0)
        if invariant_id is not None and invariant_id in self.invariants:
            self.invariants[invariant_id].examples += (stats or {}).get("examples", 0)
            self.invariants[invariant_id].requests += (stats or {}).get("requests", 0)
            self.invariants[invariant_id].through_client += (stats or {}).get("through_client", 0)

    def add_timing(self, invariant_id: str, seconds: float, props: dict[str, Any]) -> None:
        """Where one test report's time went (its properties: plugin.reporting)."""
        result = self.invariants.get(invariant_id)
        if result is None:
            return
        result.seconds = round(result.seconds + seconds, 3)
        for phase, phase_seconds in (props.get("conformance_phases") or {}).items():
            result.phases[phase] = round(result.phases.get(phase, 0.0) + phase_seconds, 3)
        result.from_database |= bool(props.get("conformance_from_database"))
        result.shrinking = props.get("conformance_shrinking") or result.shrinking

    def add_differences(self, entries: list[dict[str, Any]] | None) -> None:
        """Parity differences sent along with a test report, each listed once."""
        merge(self.differences, reportable(entries or []))

    def expect(self, invariant_id: str) -> None:
        """A collected invariant: reported even if the run ends before it runs."""
        self.invariants.setdefault(invariant_id, InvariantResult(invariant_id, "pending"))

    def record(self, report: Any, invariant_id: str, failures: list[dict[str, Any]] | None) -> None:
        result = self.invariants.setdefault(invariant_id, InvariantResult(invariant_id, "pending"))
        outcome = _outcome(report, failures)
        if outcome is not None:
            result.add(*outcome, reportable(failures or []))

    def record_operation(
        self,
        report: Any,
        invariant_id: str,
        operation: str,
        failures: list[dict[str, Any]] | None,
        unplayed: tuple[str, str] | None = None,
    ) -> None:
        """One operation's outcome of a check of the model-level tier: into the coverage
        matrix, and into the check's own result, where an operation not implemented or
        not run does not outweigh the others' passes (``TIER_RANK``). ``unplayed``:
        ("unimplemented" or "not_run", why)."""
        result = self.invariants.setdefault(invariant_id, InvariantResult(invariant_id, "pending"))
        outcome = unplayed or _outcome(report, failures)
        if outcome is None:
            return
        status, note = outcome
        self.coverage.add(operation, invariant_id, status, note)
        if TIER_RANK[status] > TIER_RANK[result.status]:
            result.status = status
            result.note = f"{operation}: {note}" if note else result.note
        result.add_failures(reportable(failures or []))

    def not_implemented(self, invariant_id: str, served: dict[str, Any]) -> None:
        """An invariant not run: the endpoint does not serve the operation it needs
        (``served``: ``OperationNotServed.to_dict()``, the answer that showed it)."""
        result = self.invariants.setdefault(invariant_id, InvariantResult(invariant_id, "pending"))
        result.status, result.note = "unimplemented", served["note"]
        result.exchange = reportable(served.get("exchange"))

    def not_applicable(self, invariant_id: str, reason: str) -> None:
        """An invariant of the wire itself, on a client that has none: neither passed nor
        failed, and judged nowhere else in its place."""
        result = self.invariants.setdefault(invariant_id, InvariantResult(invariant_id, "pending"))
        result.status, result.note = NOT_APPLICABLE, reason

    def finish(self, exit_status: int) -> None:
        self.exit_status = int(exit_status)
        why = "interrupted" if exit_status == 2 else "stopped early"
        for result in self.invariants.values():
            if result.status == "pending":
                result.status, result.note = "skipped", f"not run: the run was {why}"
            elif result.status == "not_run":  # a tier check no operation of was sent
                result.status = "skipped"
        self.duration_s = round(time.time() - self.started, 3)

    def not_run(self) -> list[str]:
        """Registered invariants this run did not select (``-k``, ``-m``): a run that
        leaves any out is partial, and says so everywhere it gives its verdict. (A
        replay runs none: its verdict is its own.)"""
        if self.replay is not None:
            return []
        return sorted(set(REGISTRY) - set(self.invariants))

    def summary(self) -> dict[str, int]:
        """Invariants by outcome; for a replay, its recordings by outcome."""
        if self.replay is not None:
            return self.replay.summary()
        counts = {"passed": 0, "failed": 0, "skipped": 0}
        for result in self.invariants.values():
            counts[result.status] = counts.get(result.status, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        report: dict[str, Any] = {
            "target": self.target_dict(),
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
            "partial": bool(self.not_run()) or self._operations_left(),
            "not_run": self.not_run(),
        }
        if self.coverage:
            report["coverage"] = self.coverage.to_dict()
        if self.replay is not None:
            report["replay"] = self.replay.to_dict()
        if self.differences:
            report["differences"] = self.differences
        return report

    def target_dict(self) -> dict[str, Any]:
        """What was certified. With ``--client-factory``, the user's client: in process
        (nothing of it reached the endpoint: the factory is the target), or a wrapper
        over the endpoint its client reaches (raw requests went to that endpoint
        directly); ``kind`` is "client" when no test ran to show which."""
        endpoint = self.target.url or self.target.name
        if self.client_factory is None:
            return {"endpoint": endpoint, "kind": self.target.kind}
        route = self.route or {}
        if route.get("wire") is False:
            return {
                "endpoint": self.client_factory,
                "kind": "in-process",
                "client_factory": self.client_factory,
            }
        reached = route.get("endpoint") or endpoint
        kind = "wrapper" if route.get("wire") else "client"
        return {"endpoint": reached, "kind": kind, "client_factory": self.client_factory}

    def _operations_left(self) -> bool:
        return bool(self.coverage) and self.coverage.totals()["not_run"] > 0

    def _invariant_dict(self, invariant_id: str) -> dict[str, Any]:
        meta = REGISTRY.get(invariant_id)
        result = self.invariants[invariant_id]
        entry: dict[str, Any] = {
            "id": invariant_id,
            "title": meta.title if meta else "",
            "level": meta.level if meta else "",
            "status": result.status,
            "examples": result.examples,
            "requests": result.requests,
            "seconds": result.seconds,
            "judged": {
                "client": result.through_client,
                "endpoint": result.requests - result.through_client,
            },
            "phases": result.phases,
            "evidence": [claim.to_dict() for claim in meta.evidence] if meta else [],
        }
        if result.note:
            entry["note"] = result.note
        if result.status == "failed":
            entry["failures"] = result.ordered_failures()
            entry["from_database"] = result.from_database
            if result.shrinking is not None:
                entry["shrinking"] = result.shrinking
        if result.exchange is not None:
            entry["exchange"] = result.exchange
        return entry

    def write(self, directory: str | Path) -> Path:
        """Write report.json, report.html and badge.svg; returns report.json's path."""
        self.written = write_report_files(self.to_dict(), directory)
        return self.written[0]


def _outcome(report: Any, failures: list[dict[str, Any]] | None) -> tuple[str, str | None] | None:
    """A test report's status and note; None for a setup or teardown that went well."""
    if report.when != "call" and not (report.failed or report.skipped):
        return None
    if hasattr(report, "wasxfail") and failures:
        return "failed", report.wasxfail
    if report.failed:
        return "failed", None if failures else short(report.longreprtext)
    if report.skipped:
        return "skipped", _skip_reason(report)
    return "passed", None


def short(text: str | None, limit: int = 160) -> str:
    """``text`` on one line, at most ``limit`` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _skip_reason(report: Any) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return short(str(longrepr))
