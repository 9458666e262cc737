"""Waiting for an asynchronous state to settle, as the real service's own clients wait.

The real service is asynchronous: a new number may be ``PENDING`` before it is
``ACTIVE``, a released one lingers in ``DISASSOCIATING`` before it is gone, a deleted
pool is ``DELETING`` (shared/aws-behavior.md; the Terraform provider's waiters poll
exactly these). A follow-up check therefore looks again, with bounded backoff, while the
state is transitional, and judges only the final state, or the settle budget running
out. The first look is immediate, so an endpoint that settles at once costs nothing.

A budget that ran out once is not spent in full again within the run: Hypothesis
replays a failing example while it shrinks, and an endpoint that never settles would
cost the whole budget on every replay. Later waits get a few times the longest wait that
did settle (at least a second) instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# A look at the resource: is it in its final state, still on its way, or somewhere it
# must never be (a released number ACTIVE again)?
DONE, WAIT, WRONG = "done", "wait", "wrong"

# Each transitional status and the status it settles to (numbers: PENDING and
# ASSOCIATING become ACTIVE, DISASSOCIATING ends DELETED or not found; pools: CREATING
# becomes ACTIVE, DELETING ends gone), as the Terraform provider's waiters read them.
SETTLES_TO = {
    "PENDING": "ACTIVE",
    "ASSOCIATING": "ACTIVE",
    "CREATING": "ACTIVE",
    "DISASSOCIATING": "DELETED",
    "DELETING": "DELETED",
}

FIRST_DELAY_S = 0.02
MAX_DELAY_S = 2.0
BACKOFF = 1.6
CUT_BUDGET_FACTOR = 4.0
CUT_BUDGET_MIN_S = 1.0


@dataclass(frozen=True)
class Settled(Generic[T]):
    """How a wait ended: ``verdict`` DONE or WRONG from the last look, WAIT if the
    budget ran out; ``value`` is what the last look saw."""

    verdict: str
    value: T
    seconds: float
    looks: int
    budget: float

    @property
    def timed_out(self) -> bool:
        return self.verdict == WAIT


class Settler:
    """Polls until a look is final; one per run (``timeout`` is ``--settle-timeout``)."""

    def __init__(
        self,
        timeout: float,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout = timeout
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self.longest = 0.0  # the longest wait that settled
        self.ran_out = False  # some wait of this run used its whole budget

    def budget(self) -> float:
        with self._lock:
            if not self.ran_out:
                return self.timeout
            return min(self.timeout, max(CUT_BUDGET_MIN_S, CUT_BUDGET_FACTOR * self.longest))

    def wait(self, look: Callable[[], tuple[str, T]]) -> Settled[T]:
        """Call ``look`` until it answers DONE or WRONG, backing off between looks."""
        budget = self.budget()
        started = self._clock()
        delay = FIRST_DELAY_S
        looks = 0
        while True:
            verdict, value = look()
            looks += 1
            elapsed = self._clock() - started
            if verdict != WAIT:
                with self._lock:
                    self.longest = max(self.longest, elapsed)
                return Settled(verdict, value, elapsed, looks, budget)
            if elapsed >= budget:
                with self._lock:
                    self.ran_out = True
                return Settled(WAIT, value, elapsed, looks, budget)
            self._sleep(min(delay, max(0.0, budget - elapsed)))
            delay = min(delay * BACKOFF, MAX_DELAY_S)
