"""Results of a run: invariant outcomes, deduplicated failures, and the report files.

Fed by pytest's report hooks (which also carry results back from xdist workers), and
written at session end whatever the exit status, so an interrupted run still leaves a
report of what did run: ``report.json`` (valid against ``report.schema.json``, shipped
beside this module), ``report.html`` (one self-contained page) and ``badge.svg``.
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis

import strategies

from .invariants import LEVELS, load_registry
from .targets import Target

try:
    SUITE_VERSION = importlib.metadata.version("pinpoint-sms-conformance")
except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
    SUITE_VERSION = "unknown"
MAX_LISTED = 25
_RANK = {"pending": -1, "passed": 0, "skipped": 1, "failed": 2}
SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
REPORT_FILES = ("report.json", "report.html", "badge.svg")


def minimality(failure: dict[str, Any]) -> tuple[int, str]:
    """How small a failure's input is; the smaller key is the more minimal example.

    'Minimal' means the shortest input in canonical JSON (keys sorted, no spaces), ties
    broken by that text: the shortlex order Hypothesis shrinks by, applied to what the
    report shows. An input of ``None`` (no request body) is the smallest of all.
    """
    if failure.get("input") is None:
        return (0, "")
    text = json.dumps(failure["input"], sort_keys=True, separators=(",", ":"), default=str)
    return (len(text), text)


def verdict(summary: dict[str, int]) -> str:
    """The one-line verdict of a run from its ``summary`` counts."""
    if summary.get("failed"):
        return f"DOES NOT CONFORM ({_invariants(summary['failed'])} failed)"
    if not summary.get("passed"):
        return f"NOTHING CHECKED ({_invariants(summary.get('skipped', 0))} skipped)"
    if summary.get("skipped"):
        return f"CONFORMS on what was checked; {_invariants(summary['skipped'])} skipped"
    return "CONFORMS"


def _invariants(n: int) -> str:
    return f"{n} invariant{'' if n == 1 else 's'}"


def load_schema() -> dict[str, Any]:
    """The JSON Schema of report.json (draft 2020-12)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return schema


def validate_report(report: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``report`` follows the schema."""
    import jsonschema

    jsonschema.Draft202012Validator(load_schema()).validate(report)


def write_report_files(report: dict[str, Any], directory: str | Path) -> list[Path]:
    """Write report.json, report.html and badge.svg of ``report`` into ``directory``
    (report.json first: it is written even if rendering the others fails)."""
    from .badge import render_badge  # these two read ``verdict`` from here
    from .report_html import render_html

    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    written = []
    renderers = (
        lambda: json.dumps(report, indent=2, ensure_ascii=False) + "\n",
        lambda: render_html(report),
        lambda: render_badge(report),
    )
    for name, render in zip(REPORT_FILES, renderers, strict=True):
        out = path / name
        out.write_text(render(), encoding="utf-8")
        written.append(out)
    return written


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
        result.add(status, failures, note)

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
