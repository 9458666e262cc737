"""The model-level tier: every operation of the service, judged by what the model and the
awsJson protocol say of any operation, with no knowledge of what it means.

Each check runs once per operation of the installed model (``conformance.service.operations``),
on inputs drawn from the model alone. An operation that needs existing resources mostly
meets ResourceNotFoundException with generated identifiers: a fine answer to judge. An
operation the endpoint does not implement is "not implemented" in the coverage matrix,
decided from its first answer (``_tier_served`` in conftest.py), not example by example.
Fewer examples than the deep tier (``TIER_EXAMPLES``): this tier is about breadth.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st

import strategies
from conformance.endpoint.client import Outcome
from conformance.invariants.checks import (
    COMMON_ERRORS,
    constraint_problems,
    error_shape,
    media_type,
    operation_errors,
    schema_problems,
)
from conformance.invariants.registry import invariant, require
from conformance.service.operations import catalogue
from strategies.model import is_server_fault

from ._support import MALFORMED, check_each
from ._tier import Tier

OPERATIONS = tuple(catalogue())
TIER_EXAMPLES = 5  # at most, per check and operation (the profile may ask fewer)
PROTOCOL_EXAMPLES = 3  # the header checks: every answer has the headers, or none has
JSON_MEDIA_TYPE = "application/x-amz-json-1.0"
TYPE_ERRORS = ("ValidationException", "SerializationException")

each_operation = pytest.mark.parametrize("operation", OPERATIONS)


def _valid(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    return strategies.valid_inputs(operation, wire=True, realistic=False)


def _bodies(operation: str) -> st.SearchStrategy[list[Any]]:
    """A valid wire body and an invalid one: the answers of both kinds to judge, for
    the price of two requests (OPS-INVALID-REJECTED breaks every kind of constraint).
    An operation whose input has no member to break gets the valid body alone."""
    if not strategies.mutation_targets(operation):
        return _valid(operation).map(lambda body: [body])
    return st.tuples(_valid(operation), strategies.invalid_inputs(operation)).map(
        lambda drawn: [drawn[0], drawn[1].params]
    )


def _examples(most: int = TIER_EXAMPLES) -> int:
    return min(settings().max_examples, most)


def _each_answer(
    tier: Tier,
    operation: str,
    bodies: st.SearchStrategy[list[Any]],
    check: Any,
    *,
    applies: Any,
    what: str,
    examples: int = TIER_EXAMPLES,
) -> None:
    """Send each drawn body to ``operation``; ``check`` the answers ``applies`` accepts;
    skipped (never passed) when none did."""
    send = functools.partial(tier.send, operation)
    check_each(
        tier.ledger,
        bodies,
        send,
        check,
        applies=applies,
        what=what,
        max_examples=_examples(examples),
    )


def _each_header_check(tier: Tier, operation: str, check: Any) -> None:
    """``check`` every answer to a valid and an invalid body, in a few examples: the
    headers of every answer, or of none, are right."""
    _each_answer(
        tier,
        operation,
        _bodies(operation),
        check,
        applies=_answered,
        what="an answer",
        examples=PROTOCOL_EXAMPLES,
    )


def _answered(outcome: Outcome) -> bool:
    return outcome.status is not None


def _refused(outcome: Outcome) -> bool:
    return outcome.status is not None and not outcome.ok


@invariant("OPS-OUTPUT", "Every operation's successes match its output types", "must")
@each_operation
def test_ops_output_shape(operation: str, tier: Tier) -> None:
    """A 2xx answer to a model-valid input of any operation is a JSON object that
    validates against the types of the operation's output shape: member types, required
    members, enums, timestamps as epoch seconds. Unknown members are allowed (the
    protocol tells clients to ignore them). Lengths, patterns and ranges are
    OPS-OUTPUT-CONSTRAINTS' (strict)."""

    def check(body: Any, outcome: Outcome) -> None:
        require(
            outcome.json_error is None and isinstance(outcome.body, dict),
            "OPS-OUTPUT",
            f"{operation}: the success body is not a JSON object ({outcome.json_error})",
            outcome,
            body,
        )
        problems = schema_problems("output", operation, outcome.body, constraints=False)
        require(
            not problems, "OPS-OUTPUT", f"{operation}: {'; '.join(problems[:5])}", outcome, body
        )

    valid = _valid(operation).map(lambda body: [body])
    _each_answer(tier, operation, valid, check, applies=lambda o: o.ok, what="a success")


@invariant(
    "OPS-OUTPUT-CONSTRAINTS", "Every operation's successes keep the model's lengths", "strict"
)
@each_operation
def test_ops_output_constraints(operation: str, tier: Tier) -> None:
    """A 2xx answer's values keep the constraint traits of the operation's output shape:
    lengths, unanchored patterns, ranges, list and map sizes (three optional output
    lists have a minimum of one item: an empty one breaks it here, not in OPS-OUTPUT).
    Strict: a Smithy server should not refuse to answer a value that breaks an output
    constraint (smithy-lang/smithy#1039), so the real service may."""

    def check(body: Any, outcome: Outcome) -> None:
        problems = constraint_problems(operation, outcome.body)
        require(
            not problems,
            "OPS-OUTPUT-CONSTRAINTS",
            f"{operation}: {'; '.join(problems[:5])}",
            outcome,
            body,
        )

    valid = _valid(operation).map(lambda body: [body])
    applies = _json_success
    _each_answer(tier, operation, valid, check, applies=applies, what="a JSON success")


def _json_success(outcome: Outcome) -> bool:
    return outcome.ok and isinstance(outcome.body, dict)


@invariant("OPS-ERRORS", "Every operation's errors are modelled, classed and shaped", "must")
@each_operation
def test_ops_errors(operation: str, tier: Tier) -> None:
    """An error answer of any operation carries a type (X-Amzn-Errortype, else __type or
    code) that the operation models or that is a common AWS error; a 4xx status for a
    client error and 5xx for a server fault (the model's ``fault``); and a JSON object
    body that validates against the error's shape."""
    modelled = operation_errors(operation)

    def check(body: Any, outcome: Outcome) -> None:
        code = outcome.error_code
        require(
            code is not None, "OPS-ERRORS", f"{operation}: the error has no type", outcome, body
        )
        require(
            code in modelled or code in COMMON_ERRORS,
            "OPS-ERRORS",
            f"{operation}: {code!r} is neither modelled for it ({sorted(modelled)}) nor a "
            "common AWS error",
            outcome,
            body,
        )
        fault = is_server_fault(code or "")
        require(
            outcome.is_server_error if fault else outcome.is_client_error,
            "OPS-ERRORS",
            f"{operation}: {'server fault' if fault else 'client error'} {code} answered "
            f"HTTP {outcome.status}",
            outcome,
            body,
        )
        require(
            outcome.json_error is None and isinstance(outcome.body, dict),
            "OPS-ERRORS",
            f"{operation}: the error body is not a JSON object ({outcome.json_error})",
            outcome,
            body,
        )
        shape = error_shape(code or "")
        problems = schema_problems("error", shape.name, outcome.body) if shape else []
        require(
            not problems, "OPS-ERRORS", f"{operation}: {'; '.join(problems[:5])}", outcome, body
        )

    _each_answer(tier, operation, _bodies(operation), check, applies=_refused, what="an error")


@invariant("OPS-INVALID-REJECTED", "Every operation refuses invalid input", "must")
@each_operation
def test_ops_invalid_rejected(operation: str, tier: Tier) -> None:
    """An input of any operation that the oracle finds invalid (asked of the final,
    shrunk input) is refused with a 4xx ValidationException, never accepted, never a
    5xx; a member of the wrong JSON type may be a SerializationException instead."""

    def check(body: Any, outcome: Outcome) -> None:
        found = strategies.violations(operation, body)
        assert found, f"suite bug: the oracle finds nothing wrong with {body}"
        broken = "; ".join(f"{v.path}: {v.constraint}" for v in found)
        allowed = TYPE_ERRORS if any(v.constraint == "type" for v in found) else TYPE_ERRORS[:1]
        require(
            outcome.is_client_error and outcome.error_code in allowed,
            "OPS-INVALID-REJECTED",
            f"{operation}: answered HTTP {outcome.status} {outcome.error_code or ''} to an "
            f"invalid input ({broken}), not {' or '.join(allowed)}",
            outcome,
            body,
        )

    invalid = strategies.invalid_input_sets(operation).map(lambda rs: [r.params for r in rs])
    _each_answer(tier, operation, invalid, check, applies=_answered, what="an answer")


@invariant("OPS-MALFORMED", "Every operation refuses a malformed body", "must", wire=True)
@each_operation
def test_ops_malformed(operation: str, tier: Tier) -> None:
    """A body that is not a JSON object, sent to any operation, is answered with a 4xx
    client error, never 2xx, never 5xx."""

    def check(data: bytes, outcome: Outcome) -> None:
        require(
            outcome.is_client_error,
            "OPS-MALFORMED",
            f"{operation}: answered HTTP {outcome.status} to a malformed body",
            outcome,
            data.decode("utf-8", "replace"),
        )

    malformed = MALFORMED.map(lambda data: [data])
    _each_answer(
        tier,
        operation,
        malformed,
        check,
        applies=_answered,
        what="an answer",
        examples=PROTOCOL_EXAMPLES,
    )


@invariant(
    "OPS-CONTENT-TYPE", "Every operation answers application/x-amz-json-1.0", "must", wire=True
)
@each_operation
def test_ops_content_type(operation: str, tier: Tier) -> None:
    """Every answer of any operation, success or error, says ``Content-Type:
    application/x-amz-json-1.0`` (parameters such as ``; charset=utf-8`` allowed)."""

    def check(body: Any, outcome: Outcome) -> None:
        require(
            media_type(outcome) == JSON_MEDIA_TYPE,
            "OPS-CONTENT-TYPE",
            f"{operation}: Content-Type is {outcome.exchange.header('Content-Type')!r}",
            outcome,
            body,
        )

    _each_header_check(tier, operation, check)


@invariant(
    "OPS-REQUEST-ID", "Every operation's answers carry x-amzn-RequestId", "compat", wire=True
)
@each_operation
def test_ops_request_id(operation: str, tier: Tier) -> None:
    """Every answer of any operation carries a non-empty ``x-amzn-RequestId`` header
    (boto3's ResponseMetadata.RequestId). Compat, as PROTO-REQUEST-ID: what SDK users
    rely on, documented for other awsJson services."""

    def check(body: Any, outcome: Outcome) -> None:
        require(
            bool(outcome.exchange.header("x-amzn-RequestId")),
            "OPS-REQUEST-ID",
            f"{operation}: no x-amzn-RequestId header",
            outcome,
            body,
        )

    _each_header_check(tier, operation, check)
