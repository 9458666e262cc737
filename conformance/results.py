"""Results of a run: invariant outcomes, deduplicated failures, and report.json.

Fed by pytest's report hooks (which also carry results back from xdist workers), and
written at session end whatever the exit status, so an interrupted run still leaves a
report of what did run.
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


@dataclass
class InvariantResult:
    id: str
    status: str = "passed"
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)  # by fingerprint
    note: str | None = None

    def add(self, status: str, failures: list[dict[str, Any]] | None, note: str | None) -> None:
        if _RANK[status] > _RANK[self.status]:
            self.status = status
        self.note = note or self.note
        for failure in failures or []:
            seen = self.failures.get(failure["fingerprint"])
            if seen is None:
                self.failures[failure["fingerprint"]] = {**failure, "count": 1}
            else:
                seen["count"] += 1


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
    throttled_retries: int = 0
    path: Path | None = None

    def add_stats(self, stats: dict[str, int] | None) -> None:
        """Counts sent along with each test report (so xdist workers' counts arrive)."""
        self.requests += (stats or {}).get("requests", 0)
        self.throttled_retries += (stats or {}).get("throttled_retries", 0)

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
        return {
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
            "stats": {"requests": self.requests, "throttled_retries": self.throttled_retries},
            "summary": self.summary(),
            "invariants": [self._invariant_dict(i) for i in sorted(self.invariants)],
        }

    def _invariant_dict(self, invariant_id: str) -> dict[str, Any]:
        meta = load_registry().get(invariant_id)
        result = self.invariants[invariant_id]
        entry: dict[str, Any] = {
            "id": invariant_id,
            "title": meta.title if meta else "",
            "level": meta.level if meta else "",
            "status": result.status,
        }
        if result.note:
            entry["note"] = result.note
        if result.status == "failed":
            entry["failures"] = sorted(result.failures.values(), key=lambda f: -f["count"])
        return entry

    def write(self, directory: str | Path) -> Path:
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        out = path / "report.json"
        out.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return out

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
        failed.sort(key=lambda r: (LEVELS.index(registry[r.id].level), r.id))
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
            first = next(iter(result.failures.values()), None)
            why = first["message"] if first else (result.note or "")
            lines.append(f"  FAILED {result.id} [{meta.level}] {meta.title}: {_short(why)}")
        skipped = sum(1 for r in self.invariants.values() if r.status == "skipped")
        if failed:
            verdict = f"DOES NOT CONFORM ({len(failed)} invariants failed)"
        elif skipped:
            verdict = f"CONFORMS on what was checked; {skipped} invariants skipped (see above)"
        else:
            verdict = "CONFORMS"
        lines.append(f"  verdict: {verdict}")
        if self.seed is not None:
            lines.append(f"  seed: {self.seed} (repeat the run with --hypothesis-seed={self.seed})")
        if self.path is not None:
            lines.append(f"  report: {self.path}")
        return lines


def _short(text: str | None, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _skip_reason(report: Any) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return _short(str(longrepr))
