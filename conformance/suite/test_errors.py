"""Error classification: what an endpoint answers to invalid and unfulfillable input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given

import strategies
from conformance.endpoint.client import EndpointClient, Outcome
from conformance.guards.ledger import Ledger
from conformance.invariants.checks import (
    COMMON_ERRORS,
    enum_problems,
    error_shape,
    field_names_match,
    operation_errors,
    schema_problems,
)
from conformance.invariants.properties import network_property
from conformance.invariants.registry import invariant, require
from strategies.model import is_server_fault

from ._support import (
    OPERATION,
    Seen,
    any_bodies,
    as_simulator,
    check_each,
    invalid_sets,
    one,
    refused,
)

# Its properties judge refusals and answers to input a conforming service refuses:
# on real AWS they create no number, whatever the run's cap, and run first.
pytestmark = pytest.mark.spends_nothing

MODELLED = operation_errors(OPERATION)
TYPE_ERRORS = ("ValidationException", "SerializationException")


# Besides the generated input, every example of the error-classification properties
# sends the two errors the AWS material documents, so that they judge a conflict and a
# not-found answer in every run, not only when the generated inputs happen to provoke
# one: releasing a number with deletion protection is a ConflictException (user guide);
# a SIMULATOR number for PROMOTIONAL traffic is a ResourceNotFoundException (Terraform's
# live acceptance test).
RELEASE_PROTECTED = "ReleasePhoneNumber of a number with deletion protection"
PROTECTED_NUMBER = {
    "IsoCountryCode": "US",
    "MessageType": "TRANSACTIONAL",
    "NumberType": "SIMULATOR",
    "NumberCapabilities": ["SMS"],
    "DeletionProtectionEnabled": True,
}
PROMOTIONAL_SIMULATOR = {**PROTECTED_NUMBER, "MessageType": "PROMOTIONAL"}
del PROMOTIONAL_SIMULATOR["DeletionProtectionEnabled"]
DOCUMENTED_ERRORS = (RELEASE_PROTECTED, PROMOTIONAL_SIMULATOR)


def _each_error(ledger: Ledger, check: Any, what: str = "an error", applies: Any = refused) -> None:
    """``check`` every answer to which the property ``applies`` (by default: every
    error) among each example's bodies and the documented errors; vacuous (skipped) if
    none ever applied."""
    seen = Seen(what)

    def send(case: Any) -> Outcome:
        if case != RELEASE_PROTECTED:
            return ledger.request_raw(case)
        made = ledger.request(PROTECTED_NUMBER)
        if not made.ok or not isinstance(made.body, dict):
            return made
        number_id = made.body.get("PhoneNumberId")
        return ledger.client.call("ReleasePhoneNumber", {"PhoneNumberId": number_id})

    @network_property()
    @given(bodies=any_bodies(ledger))
    def run(bodies: list[Any]) -> None:
        # on real AWS the conflict would spend one of the few numbers a run may create
        scripted = DOCUMENTED_ERRORS if ledger.guard is None else (PROMOTIONAL_SIMULATOR,)
        for case in ledger.sendable((*bodies, *scripted)):
            with ledger.scope():
                outcome = send(case)
                hit = applies(outcome)
                seen.saw(outcome, hit)
                if hit:
                    sent = json.loads(outcome.exchange.request_body or b"{}")
                    check(sent if case == RELEASE_PROTECTED else case, outcome)

    run()
    seen.skip_if_vacuous()


@invariant("ERR-INVALID-REJECTED", "Invalid input is refused with ValidationException", "must")
def test_invalid_input_is_rejected(endpoint: EndpointClient, ledger: Ledger) -> None:
    """An input that the model forbids (decided by the oracle on the final, shrunk input,
    not by the generator's label) gets a client error, never 2xx and never 5xx, with
    the code ValidationException. A member of the wrong JSON type may also be refused
    as SerializationException, as AWS JSON services do. Every example breaks each kind
    of constraint the model uses (required, type, enum, lengths, pattern, item counts)
    once, so no kind goes untested in a short run."""

    seen = Seen("an answer to an invalid input")

    @network_property()
    @given(records=invalid_sets(ledger))
    def run(records: tuple[Any, ...]) -> None:
        for record in records:
            check(record)

    def check(record: Any) -> None:
        body = record.params
        found = strategies.violations(OPERATION, body)
        assert found, f"suite bug: the oracle finds nothing wrong with {body}"
        with ledger.scope():
            outcome = ledger.request_raw(body)
            seen.saw(outcome, outcome.status is not None)
            broken = "; ".join(f"{v.path}: {v.constraint}" for v in found)
            require(
                outcome.status is not None,
                "ERR-INVALID-REJECTED",
                f"no answer: {outcome.exchange.error}",
                outcome,
                body,
            )
            require(
                not outcome.ok,
                "ERR-INVALID-REJECTED",
                f"accepted an invalid input ({broken})",
                outcome,
                body,
            )
            require(
                outcome.is_client_error,
                "ERR-INVALID-REJECTED",
                f"answered HTTP {outcome.status} to an invalid input ({broken})",
                outcome,
                body,
            )
            allowed = TYPE_ERRORS if any(v.constraint == "type" for v in found) else TYPE_ERRORS[:1]
            require(
                outcome.error_code in allowed,
                "ERR-INVALID-REJECTED",
                f"answered {outcome.error_code!r}, not {' or '.join(allowed)}, "
                f"to an invalid input ({broken})",
                outcome,
                body,
            )

    run()
    seen.skip_if_vacuous()


@invariant("ERR-MODELLED-CODE", "Every error code is one the operation models", "must")
def test_error_codes_are_modelled(endpoint: EndpointClient, ledger: Ledger) -> None:
    """The error type, read by Smithy's awsJson rules (X-Amzn-Errortype, else __type, else
    code; namespace and ':' suffix stripped), is one of RequestPhoneNumber's modelled
    errors or a documented common AWS error. An unreadable error type fails too."""

    def check(body: Any, outcome: Outcome) -> None:
        code = outcome.error_code
        require(
            code is not None,
            "ERR-MODELLED-CODE",
            "the error carries no type (no X-Amzn-Errortype header, no __type or code)",
            outcome,
            body,
        )
        require(
            code in MODELLED or code in COMMON_ERRORS,
            "ERR-MODELLED-CODE",
            f"{code!r} is neither modelled for {OPERATION} ({sorted(MODELLED)}) nor a "
            "common AWS error",
            outcome,
            body,
        )

    _each_error(ledger, check)


@invariant("ERR-STATUS-CLASS", "Client errors are 4xx, server faults 5xx", "must")
def test_error_status_class(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Modelled client errors answer a 4xx status and InternalServerException (the
    model's only fault) a 5xx. Emulators that use 402/404/409 pass here."""

    def check(body: Any, outcome: Outcome) -> None:
        code = outcome.error_code or ""
        if is_server_fault(code):
            require(
                outcome.is_server_error,
                "ERR-STATUS-CLASS",
                f"server fault {code} answered HTTP {outcome.status}",
                outcome,
                body,
            )
        else:
            require(
                outcome.is_client_error,
                "ERR-STATUS-CLASS",
                f"client error {code or '(untyped)'} answered HTTP {outcome.status}",
                outcome,
                body,
            )

    _each_error(ledger, check)


def _modelled_error(outcome: Outcome) -> bool:
    return refused(outcome) and outcome.error_code in MODELLED


@invariant("ERR-STATUS-400", "Modelled client errors are exactly HTTP 400", "must")
def test_error_status_exact(endpoint: EndpointClient, ledger: Ledger) -> None:
    """The model sets no httpError on any error, so Smithy's defaults apply: 400 for
    every client error the operation models, 500 for InternalServerException (the API
    reference lists the same). 402, 404 or 409, as some emulators answer, break the
    model; SDKs would still parse them (ERR-STATUS-CLASS judges that). Errors the
    operation does not model (the common AWS errors of authentication and the front
    door, such as UnrecognizedClientException at 403) keep their own statuses."""

    def check(body: Any, outcome: Outcome) -> None:
        code = outcome.error_code or ""
        expected = 500 if is_server_fault(code) else 400
        require(
            outcome.status == expected,
            "ERR-STATUS-400",
            f"{code} answered HTTP {outcome.status}; the model sets no httpError, so "
            f"Smithy's default is {expected}",
            outcome,
            body,
        )

    _each_error(ledger, check, "an error the operation models", _modelled_error)


@invariant("ERR-BODY", "Error bodies match their error shape and enums", "must")
def test_error_body_schema(endpoint: EndpointClient, ledger: Ledger) -> None:
    """The body of a modelled error is JSON that validates against the error shape
    (Reason, ResourceType and other enums from the installed model; Fields entries with
    Name and Message). ``__type`` and a lowercase ``message`` are extra members, which
    are allowed."""

    def check(body: Any, outcome: Outcome) -> None:
        require(
            outcome.json_error is None and isinstance(outcome.body, dict),
            "ERR-BODY",
            f"error body is not a JSON object ({outcome.json_error})",
            outcome,
            body,
        )
        shape = error_shape(outcome.error_code or "")
        if shape is None:
            return
        problems = schema_problems("error", shape.name, outcome.body)
        problems += enum_problems(shape, outcome.body)
        require(not problems, "ERR-BODY", "; ".join(problems[:5]), outcome, body)

    _each_error(ledger, check)


@invariant("ERR-FIELDS", "ValidationException names the offending member", "strict")
def test_validation_fields(endpoint: EndpointClient, ledger: Ledger) -> None:
    """When the oracle finds a violation and the endpoint answers ValidationException,
    its Fields list names the offending member (compared on the member names, so
    ``Tags[0].Key`` and ``tags.0.key`` agree). Strict only: a real ValidationException
    named ``senderId`` for the member OriginationIdentity, so the real service need not
    use the API's member names. A member outside a documented service limit (51 tags)
    may be the one named, when the service checks its own limits first."""

    def check(body: Any, outcome: Outcome) -> None:
        found = strategies.violations(OPERATION, body)
        assert found, f"suite bug: the oracle finds nothing wrong with {body}"
        # the service may refuse the input for a limit of its own (51 tags) first
        paths = [v.path for v in found] + [
            r.path for r in strategies.service_refusals(OPERATION, body)
        ]
        fields = outcome.body.get("Fields") if isinstance(outcome.body, dict) else None
        require(
            any(field_names_match(fields, path) for path in paths),
            "ERR-FIELDS",
            f"Fields {fields!r} name none of {paths}",
            outcome,
            body,
        )

    seen = Seen("a ValidationException")

    @network_property()
    @given(records=invalid_sets(ledger))
    def run(records: tuple[Any, ...]) -> None:
        for record in records:
            with ledger.scope():
                outcome = ledger.request_raw(record.params)
                applies = outcome.error_code == "ValidationException"
                seen.saw(outcome, applies)
                if applies:
                    check(record.params, outcome)

    run()
    seen.skip_if_vacuous()


@invariant("ERR-SDK-READABLE", "boto3 reads the same error code", "compat", wire=True)
def test_boto3_reads_error_code(endpoint: EndpointClient, ledger: Ledger) -> None:
    """botocore reads only ``__type`` from the body; an endpoint that puts the type only
    in the X-Amzn-Errortype header is legal but leaves boto3 users with an unknown
    error. This sends valid inputs as boto3 sends them (a wrapper's client may validate
    parameters, so invalid ones would not get through) and compares botocore's reading
    of the error (its parser; a wrapper's ClientError) with Smithy's."""

    def check(params: dict[str, Any], outcome: Outcome) -> None:
        require(
            outcome.sdk_error_code == outcome.error_code,
            "ERR-SDK-READABLE",
            f"boto3 read {outcome.sdk_error_code!r} where the wire says {outcome.error_code!r}",
            outcome,
            params,
        )

    inputs = strategies.valid_inputs(OPERATION)
    if ledger.guard is not None:  # real AWS: the documented error of a simulator request
        inputs = inputs.map(lambda p: {**as_simulator(p), "MessageType": "PROMOTIONAL"})
    check_each(
        ledger,
        inputs.map(one),
        ledger.request,
        check,
        applies=refused,
        what="an error",
    )
