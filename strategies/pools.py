"""Values drawn from a fixed pool: one integer choice for a value, however complex.

Hypothesis pays for every choice and span of an example, so a value that would take
many draws (a country code, a tag list, a short list of enum members) is cheaper as
an index into a pool computed once. The pool's first value is what it shrinks to.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


def weighted_pool(*options: tuple[int, list[Any]]) -> list[Any]:
    """One list to sample from, in which each option's values together carry about the
    option's share of the weight: a draw from it costs one choice, where a weighted
    choice between two ``sampled_from`` costs three."""
    per_value = [weight / len(values) for weight, values in options]
    unit = min(per_value)
    pool: list[Any] = []
    for (_, values), share in zip(options, per_value, strict=True):
        pool.extend(values * round(share / unit))
    return pool


def drawn_from(pool: list[Any]) -> st.SearchStrategy[Any]:
    """One value of a large ``pool`` (the first when shrunk); a list comes as a fresh
    copy (nested ones too), so a caller that changes it changes no other. An index, not
    ``sampled_from(pool)``: the repr of a strategy holding 256 tag lists was over 100
    kB, and Hypothesis builds it."""

    def pooled(index: int) -> Any:
        return copied(pool[index])

    return st.integers(0, len(pool) - 1).map(pooled)


def copied(value: Any) -> Any:
    """A copy of a JSON value, nested lists and dicts included (deepcopy's memo and
    dispatch cost more than the copy); strings and numbers are returned as they are."""
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copied(v) for v in value]
    return value
