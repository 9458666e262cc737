"""Helpers of the conformance properties: what an example saw, and vacuity."""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

import pytest

from conformance.client import Outcome

OPERATION = "RequestPhoneNumber"


@dataclass
class Seen:
    """Counts the answers a property met, so a property that never met the case it
    judges is reported as skipped (with what the endpoint said) instead of passed."""

    what: str
    applicable: int = 0
    answers: collections.Counter[str] = field(default_factory=collections.Counter)

    def saw(self, outcome: Outcome, applicable: bool) -> None:
        self.applicable += bool(applicable)
        label = f"HTTP {outcome.status}" if outcome.status is not None else "no answer"
        if outcome.error_code:
            label += f" {outcome.error_code}"
        self.answers[label] += 1

    def skip_if_vacuous(self) -> None:
        if self.applicable == 0:
            common = ", ".join(f"{label} x{n}" for label, n in self.answers.most_common(3))
            pytest.skip(f"never observed {self.what}; the endpoint answered: {common or 'nothing'}")
