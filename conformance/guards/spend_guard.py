"""What a run may spend on real AWS: SIMULATOR numbers only, at most ``--max-real-numbers``
of them, and (for the suite's properties) at most ``PER_PROPERTY`` each.

The ledger asks the guard before it sends a RequestPhoneNumber and counts every number
created; a refused body is never sent. Off real AWS there is no guard.
"""

from __future__ import annotations

import threading
from typing import Any

# pytest.skip.Exception, by the name mypy can follow
from _pytest.outcomes import Skipped

SIMULATOR = "SIMULATOR"
# Numbers one property may create on real AWS (SpendGuard).
PER_PROPERTY = 2


class SpendCapReached(Skipped):
    """The spend guard refuses every further request of the running property (past
    ``--max-real-numbers``), after it let ``examples`` through: the property ends, and
    stands on what was sent. Raised inside Hypothesis' test function (a skip to it, so
    it stops at once) and caught by ``network_property``; never reaches pytest."""

    def __init__(self, examples: int) -> None:
        super().__init__(f"the spend guard let {examples} examples through, then refused the rest")
        self.examples = examples  # that sent something: Hypothesis reports no statistics


def is_simulator(body: Any) -> bool:
    """Is ``body`` a request for a SIMULATOR number (the only kind sent to real AWS)?"""
    return isinstance(body, dict) and body.get("NumberType") == SIMULATOR


class SpendGuard:
    """Refuses RequestPhoneNumber bodies that could cost money, any once ``limit``
    numbers were created (per process: each xdist worker has its own guard), and, with
    ``per_property`` (the suite's properties: ``PER_PROPERTY``), any of a property that
    created that many already: two real answers show what a simulator answer looks
    like, and the rest of a small budget goes to the other invariants instead of the
    first one to run."""

    def __init__(self, limit: int, per_property: int | None = None) -> None:
        self.limit = limit
        self.per_property = per_property
        self.created = 0
        self.created_in_property = 0
        self._lock = threading.Lock()

    @property
    def spent(self) -> bool:
        """Were all ``limit`` numbers created?"""
        with self._lock:
            return self.created >= self.limit

    def spent_reason(self) -> str:
        """Why a property that sent nothing was skipped, once the cap was reached."""
        return (
            f"on real AWS the run's {self.limit} SIMULATOR numbers (--max-real-numbers) were "
            "spent before this property sent anything; each invariant that needs a number "
            f"spends at most {self.per_property or self.limit}"
        )

    def admit(self, body: Any) -> bool:
        if not is_simulator(body):
            return False
        with self._lock:
            share = self.per_property is None or self.created_in_property < self.per_property
            return self.created < self.limit and share

    def new_property(self) -> None:
        with self._lock:
            self.created_in_property = 0

    def count(self) -> None:
        with self._lock:
            self.created += 1
            self.created_in_property += 1
