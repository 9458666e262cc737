"""The coverage matrix: every operation of the model against the model-level tier's
checks, as emulator projects publish theirs (which operations exist, which work).

An operation conforms when every check of the tier that ran on it passed (a check that
never met its case, such as a success of an operation that only answers "not found"
here, does not count against it); fails, naming the checks it broke; is not
implemented when the endpoint's first answers said so (``served``); is not run when the
run did not select it (``--operations``, ``-k``) or would not send it (writes on real
AWS). Not implemented is neither passed nor failed: the verdict line says how many.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from conformance.service.operations import catalogue

CONFORMS, FAILS, UNIMPLEMENTED, NOT_RUN = "conforms", "fails", "unimplemented", "not_run"
STATUSES = (CONFORMS, FAILS, UNIMPLEMENTED, NOT_RUN)


@dataclass
class OperationResult:
    """What the tier's checks found on one operation, check by check."""

    checks: dict[str, str] = field(default_factory=dict)  # invariant id: test status
    note: str | None = None  # why it was not implemented, or not run

    @property
    def status(self) -> str:
        states = set(self.checks.values())
        if "failed" in states:
            return FAILS
        if "unimplemented" in states:
            return UNIMPLEMENTED
        return CONFORMS if "passed" in states else NOT_RUN


@dataclass
class Coverage:
    """The matrix, fed one (operation, check) outcome at a time."""

    operations: dict[str, OperationResult] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.operations)

    def add(self, operation: str, invariant_id: str, status: str, note: str | None) -> None:
        """``status``: the check's test outcome (passed, failed, skipped), ``unimplemented``
        or ``not_run``."""
        result = self.operations.setdefault(operation, OperationResult())
        result.checks[invariant_id] = status
        if note and status in ("unimplemented", "not_run"):
            result.note = note

    def rows(self) -> dict[str, dict[str, Any]]:
        """Every operation of the model: family, status, the checks that failed."""
        out: dict[str, dict[str, Any]] = {}
        for name, op in catalogue().items():
            result = self.operations.get(name) or OperationResult(note="not selected")
            row: dict[str, Any] = {**op.to_dict(), "status": result.status}
            failed = sorted(i for i, s in result.checks.items() if s == "failed")
            if failed:
                row["failed"] = failed
            if result.note and result.status in (UNIMPLEMENTED, NOT_RUN):
                row["note"] = result.note
            out[name] = row
        return out

    def totals(self) -> dict[str, int]:
        counts = Counter(row["status"] for row in self.rows().values())
        return {"operations": len(catalogue()), **{s: counts.get(s, 0) for s in STATUSES}}

    def to_dict(self) -> dict[str, Any]:
        return {"totals": self.totals(), "operations": self.rows()}

    def headline(self) -> str:
        """``31 of 110 operations implemented, 30 conform, 1 fail, 5 not run``."""
        return headline(self.totals())

    def lines(self) -> list[str]:
        """The terminal's matrix: the headline, the families (operations implemented of
        the family's, with how many fail), then each failing operation."""
        rows = self.rows()
        lines = [f"  operations: {self.headline()}"]
        families: dict[str, Counter[str]] = {}
        for row in rows.values():
            families.setdefault(row["family"], Counter())[row["status"]] += 1
        shown = []
        for name, counts in sorted(families.items()):
            served = counts[CONFORMS] + counts[FAILS]
            failing = f" ({counts[FAILS]} failing)" if counts[FAILS] else ""
            shown.append(f"{name} {served}/{sum(counts.values())}{failing}")
        lines.append(f"    by family (implemented/all): {', '.join(shown)}")
        for name, row in rows.items():
            if row["status"] == FAILS:
                lines.append(f"    FAILS {name} ({row['family']}): {', '.join(row['failed'])}")
        return lines


def headline(totals: dict[str, Any]) -> str:
    """The matrix in one line, from its ``totals`` (``Coverage.totals``, or a report's
    ``coverage.totals``): ``31 of 110 operations implemented, 30 conform, 1 fail, 5 not
    run`` (the not run only when there are some). Said alike in the terminal and on the
    page; a missing count is 0."""
    t = {key: _count(totals.get(key)) for key in ("operations", *STATUSES)}
    implemented = t[CONFORMS] + t[FAILS]
    said = (
        f"{implemented} of {t['operations']} operations implemented, "
        f"{t[CONFORMS]} conform, {t[FAILS]} fail"
    )
    return said + (f", {t[NOT_RUN]} not run" if t[NOT_RUN] else "")


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
