"""Valid examples satisfy botocore, the JSON Schema and the oracle alike."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.validate import ParamValidator
from hypothesis import given, settings

import strategies

from .conftest import OPERATION, first_example, schema_errors

SHAPE = strategies.input_shape(OPERATION)


def _botocore_errors(params: dict[str, Any], shape: Any = SHAPE) -> str:
    report = ParamValidator().validate(params, shape)
    return report.generate_report() if report.has_errors() else ""


@settings(max_examples=300)
@given(strategies.valid_inputs(OPERATION))
def test_realistic_valid_inputs_pass_every_validator(params: dict[str, Any]) -> None:
    assert _botocore_errors(params) == ""
    assert schema_errors(params) == []
    assert strategies.violations(OPERATION, params) == []


@settings(max_examples=300)
@given(strategies.valid_inputs(OPERATION, realistic=False))
def test_generic_valid_inputs_pass_every_validator(params: dict[str, Any]) -> None:
    assert _botocore_errors(params) == ""
    assert schema_errors(params) == []
    assert strategies.violations(OPERATION, params) == []


OPERATIONS = sorted(strategies.operation_model(OPERATION).service_model.operation_names)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_operation_of_the_service_gets_valid_inputs(operation: str) -> None:
    """The generic layer is not specific to RequestPhoneNumber."""
    shape = strategies.input_shape(operation)

    @settings(max_examples=8, deadline=None)
    @given(
        strategies.valid_inputs(operation, realistic=False),
        strategies.valid_inputs(operation, realistic=False, wire=True),
    )
    def check(python_form: dict[str, Any], wire_form: dict[str, Any]) -> None:
        assert _botocore_errors(python_form, shape) == ""
        assert strategies.violations(operation, python_form) == []
        assert strategies.violations(operation, wire_form) == []
        assert schema_errors(wire_form, operation) == []

    check()


def _longest(params: dict[str, Any], member: str) -> int:
    return max((len(t[member]) for t in params.get("Tags", [])), default=-1)


@pytest.mark.parametrize(
    ("description", "condition"),
    [
        ("a full tag list", lambda p: len(p.get("Tags", [])) == 200),
        ("an empty tag list", lambda p: p.get("Tags") == []),
        ("a tag key of the maximum length", lambda p: _longest(p, "Key") == 128),
        ("a tag value of the maximum length", lambda p: _longest(p, "Value") == 256),
        ("an empty tag value", lambda p: any(t["Value"] == "" for t in p.get("Tags", []))),
        ("a ClientToken of the maximum length", lambda p: len(p.get("ClientToken", "")) == 64),
        ("a one-character ClientToken", lambda p: len(p.get("ClientToken", "..")) == 1),
        (
            "an OptOutListName of the maximum length",
            lambda p: len(p.get("OptOutListName", "")) == 256,
        ),
        ("four capabilities", lambda p: len(p["NumberCapabilities"]) == 4),
        ("an unanchored match", lambda p: not p.get("OptOutListName", "a").isascii()),
    ],
)
def test_boundary_values_are_generated(description: str, condition: Any) -> None:
    for strategy in (
        strategies.valid_inputs(OPERATION),
        strategies.valid_inputs(OPERATION, realistic=False),
    ):
        found = first_example(strategy, condition)
        assert found is not None, f"never generated {description}"
        assert strategies.violations(OPERATION, found) == []


@pytest.mark.parametrize("path", ["Tags", "Tags[].Key", "IsoCountryCode", "ClientToken"])
def test_member_values_are_what_the_model_accepts_there(path: str) -> None:
    """A member's values, put into a valid input, leave it valid."""
    top = path.split("[")[0]

    @settings(max_examples=60, deadline=None)
    @given(strategies.valid_inputs(OPERATION), strategies.member_values(OPERATION, path))
    def check(params: dict[str, Any], value: Any) -> None:
        if path == "Tags[].Key":
            params = {**params, "Tags": [{"Key": value, "Value": "v"}]}
        else:
            params = {**params, top: value}
        assert strategies.violations(OPERATION, params) == []

    check()


def test_member_values_refuse_an_unknown_member() -> None:
    with pytest.raises(ValueError, match=r"no member 'Tags\.Nope'"):
        strategies.member_values(OPERATION, "Tags.Nope")


@pytest.mark.parametrize(
    "build",
    [
        lambda: strategies.valid_inputs(OPERATION),
        lambda: strategies.valid_inputs(OPERATION, wire=True),
        lambda: strategies.invalid_inputs(OPERATION),
        lambda: strategies.invalid_input_sets(OPERATION),
        lambda: strategies.accepted_inputs(OPERATION),
        lambda: strategies.accepted_inputs(OPERATION, realistic=False),
    ],
    ids=["valid", "valid-wire", "invalid", "invalid-sets", "accepted", "accepted-generic"],
)
def test_strategy_reprs_stay_short(build: Any) -> None:
    """Hypothesis builds a strategy's repr (for its notes and health checks) and warns
    over 30 kB; pools must not print their values (a map over list.__getitem__ did)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(repr(build())) < 30_000
