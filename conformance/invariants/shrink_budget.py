"""How long Hypothesis may shrink a property's failure before it shows the smallest so far.

Every example of a conformance property is a network round-trip (LIFECYCLE's also wait
for numbers to settle), so the shrinker, which re-runs the property hundreds of times,
could spend minutes making bad news smaller. Hypothesis stops shrinking on its own after
``MAX_SHRINKING_SECONDS`` (five minutes), a constant its engine documents as meant to be
set by users who need another bound; the suite sets it to ``--shrink-budget``. When the
bound cuts shrinking short Hypothesis says so in its statistics ("stopped because
shrinking was very slow"), and the report carries it: the failure shown is the smallest
found so far, maybe not minimal. Hypothesis' own warning for that case asks the user to
report a slow shrinker upstream, which is not the user's news here: it is left out.

(Stopping shrinking from inside the property instead, by rejecting examples once a
budget ran out, breaks Hypothesis' rule that the same choices behave the same way: it
then reports the property as flaky.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import reporting
from hypothesis.internal.conjecture import engine

_CUT_SHORT = engine.ExitReason.very_slow_shrinking
_SLOW_SHRINK_WARNING = "WARNING: Hypothesis has spent more than"


def shrinking(stats: dict[str, Any], budget: float) -> dict[str, Any] | None:
    """What shrinking did in one @given run, from Hypothesis' statistics; None when the
    run did not shrink (nothing failed)."""
    phase = stats.get("shrink-phase")
    if not isinstance(phase, dict) or not phase.get("test-cases"):
        return None
    return {
        "seconds": round(float(phase.get("duration-seconds") or 0.0), 3),
        "examples": len(phase["test-cases"]),
        "cut_short": stats.get("stopped-because") == _CUT_SHORT.describe(None),  # type: ignore[arg-type]
        "budget_s": budget,
    }


@contextmanager
def limited(seconds: float) -> Iterator[None]:
    """Within: shrinking stops after ``seconds``, and Hypothesis' reports come without
    its "slow shrinker" warning (the budget is the user's choice, and the report says
    when it cut shrinking short). The engine's own bound is put back after."""
    outer: Callable[[object], None] = reporting.current_reporter()

    def report(value: object) -> None:
        if not str(value).startswith(_SLOW_SHRINK_WARNING):
            outer(value)

    kept = engine.MAX_SHRINKING_SECONDS
    engine.MAX_SHRINKING_SECONDS = seconds  # type: ignore[assignment]
    try:
        with reporting.with_reporter(report):
            yield
    finally:
        engine.MAX_SHRINKING_SECONDS = kept
