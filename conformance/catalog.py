"""The suite's invariants, for whatever stands above the suite (the README's table,
``publish``, the project's own tests): the registry as the suite's modules fill it."""

from __future__ import annotations

from conformance.invariants.registry import Invariant, invariant_table, load_registry

SUITE = f"{__package__}.suite"


def invariants() -> dict[str, Invariant]:
    """Every invariant of the suite, by id."""
    return load_registry(SUITE)


def table() -> str:
    """The README's table of invariants (``invariant_table``)."""
    return invariant_table(invariants())
