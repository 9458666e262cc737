"""What a replay (``--replay DIR``) did: the recorded calls sent again, and how many
answered otherwise than recorded, per recording and in all.

A replay checks no invariant, so its verdict is its own (``report.document.replay_verdict``):
report.json holds ``replay`` (this tally) and its ``summary`` counts recordings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RecordingResult:
    name: str
    status: str = "passed"  # passed (all matched) | failed (some differed) | skipped
    calls: int = 0
    differing_calls: int = 0
    withheld: int = 0  # recorded calls not sent (real AWS: writes, paid or message calls)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "calls": self.calls,
            "differing_calls": self.differing_calls,
            "withheld": self.withheld,
        }


@dataclass
class ReplayTally:
    directory: str
    recordings: dict[str, RecordingResult] = field(default_factory=dict)

    def add(self, name: str, status: str, counts: dict[str, int] | None) -> None:
        """One replay test's outcome (its report, also from an xdist worker)."""
        result = self.recordings.setdefault(name, RecordingResult(name))
        result.calls += (counts or {}).get("calls", 0)
        result.differing_calls += (counts or {}).get("differing_calls", 0)
        result.withheld += (counts or {}).get("withheld", 0)
        if status == "failed" or (status == "skipped" and result.status == "passed"):
            result.status = status

    @property
    def calls(self) -> int:
        return sum(r.calls for r in self.recordings.values())

    @property
    def differing_calls(self) -> int:
        return sum(r.differing_calls for r in self.recordings.values())

    @property
    def withheld(self) -> int:
        return sum(r.withheld for r in self.recordings.values())

    def summary(self) -> dict[str, int]:
        """The recordings by outcome (report.json's ``summary`` of a replay)."""
        counts = {"passed": 0, "failed": 0, "skipped": 0}
        for result in self.recordings.values():
            counts[result.status] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "calls": self.calls,
            "differing_calls": self.differing_calls,
            "withheld": self.withheld,
            "recordings": [self.recordings[n].to_dict() for n in sorted(self.recordings)],
        }
