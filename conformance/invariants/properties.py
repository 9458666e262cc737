"""The suite's Hypothesis profiles, and what every conformance property needs on top.

Importing this module registers the ``quick`` (20 examples) and ``thorough`` (500)
profiles; ``--hypothesis-profile`` picks one, and other profiles may extend them.

The run's seed (``--hypothesis-seed``, or one the suite chose: see plugin.reading) is
given to each property with Hypothesis' own ``@seed``, not forced on the whole process
as Hypothesis' plugin does with that option: a process-wide seed also turns off
Hypothesis' example database, and a second run against a broken endpoint should try
the failures the first one found before anything else. The examples drawn are the
same either way (a seeded property draws from ``Random(seed)``, as a forced seed does).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from hypothesis import HealthCheck, Phase, core, seed, settings

from conformance.guards.spend_guard import SpendCapReached

settings.register_profile("quick", max_examples=20)
settings.register_profile("thorough", max_examples=500)

T = TypeVar("T")


@dataclass
class PropertyRun:
    """What every property of this process needs to know of the run, handed down by the
    plugin when it configures the run (never read up from it)."""

    seed: Any = None  # the run's seed (``take_over_the_seed``)
    guarded: bool = False  # on real AWS the spend guard filters most requests out
    explain: bool = False  # --hypothesis-explain: keep Hypothesis' explain phase
    stopped_examples: int = 0  # examples of properties the spend guard stopped


RUN = PropertyRun()


def network_settings(**overrides: Any) -> settings:
    """What every conformance property needs on top of the profile in force (so call it
    at test time, not import time): a network round-trip per example is slower than
    Hypothesis assumes, and on real AWS the spend guard filters most requests out."""
    checks = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
    if RUN.guarded:
        checks.append(HealthCheck.filter_too_much)
    return settings(
        settings.default,
        **{"deadline": None, "suppress_health_check": checks, "phases": _phases(), **overrides},
    )


def _phases() -> tuple[Phase, ...]:
    """The profile's phases without ``explain`` unless the user asked for it
    (``--hypothesis-explain``). Explaining a failure re-runs the property with each part
    varied, dozens of round-trips (5-11 s a failing property, more than its shrinking),
    for comments the report does not show; and it spends the shrink budget, so that
    under load a second failing property of the same test was cut short at a different
    point and the same seed gave a different minimal input."""
    return tuple(p for p in settings().phases if RUN.explain or p is not Phase.explain)


def network_property(**overrides: Any) -> Callable[[T], T]:
    """The decorator above a property's ``@given``: ``network_settings(**overrides)``
    and the run's seed; on real AWS, the property ends where the spend guard stops it
    (``spend_guard.SpendCapReached``)."""

    def apply(test: T) -> T:
        # in this order: @seed also sets database=None, which the settings then replace
        applied = cast(Callable[..., Any], network_settings(**overrides)(repeatable(test)))

        @functools.wraps(applied)
        def stopping(*args: Any, **kwargs: Any) -> Any:
            with until_spent():
                return applied(*args, **kwargs)

        return cast(T, stopping)

    return apply


@contextlib.contextmanager
def until_spent() -> Iterator[None]:
    """Around a property's run (``network_property`` puts it there; a state machine's
    run needs it written out): on real AWS, where the spend guard stops the property
    (``spend_guard.SpendCapReached``), it ends, standing on the examples it sent."""
    try:
        yield
    except SpendCapReached as stop:
        RUN.stopped_examples += stop.examples  # Hypothesis reports no statistics of it


def repeatable(test: T) -> T:
    """``test`` (a ``@given`` function or a state machine) seeded with the run's seed.
    Hypothesis' ``@seed`` turns the database off for the test; settings applied after
    it (``network_property``), or given to ``run_state_machine_as_test``, turn it on."""
    if RUN.seed is None:
        return test
    seeded: T = seed(RUN.seed)(test)  # type: ignore[type-var]
    return seeded


def take_over_the_seed(given: Any) -> None:
    """Hold the run's seed for ``repeatable``, and undo Hypothesis' process-wide one
    (set by its plugin from the same option), which would turn the database off."""
    if given is None:
        return
    try:
        RUN.seed = int(given)
    except ValueError:
        RUN.seed = given
    core.global_force_seed = None
