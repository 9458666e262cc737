"""Shared fixtures of the strategies' own tests."""

from __future__ import annotations

import functools
from typing import Any

import jsonschema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import strategies

OPERATION = "RequestPhoneNumber"


@functools.cache
def input_validator(operation: str = OPERATION) -> jsonschema.Draft202012Validator:
    schema = strategies.input_schema(operation)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(params: Any, operation: str = OPERATION) -> list[str]:
    return [e.message for e in input_validator(operation).iter_errors(params)]


class _Found(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


def first_example(strategy: st.SearchStrategy[Any], condition: Any, tries: int = 3000) -> Any:
    """The first generated example meeting ``condition`` (no shrinking), or None.

    ``hypothesis.find`` would shrink what it finds, which for a 200-tag list takes minutes;
    these tests only ask whether generation reaches a case at all.
    """

    @settings(
        max_examples=tries,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(strategy)
    def search(value: Any) -> None:
        if condition(value):
            raise _Found(value)

    try:
        search()
    except _Found as found:
        return found.value
    return None
