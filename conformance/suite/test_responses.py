"""Success responses of RequestPhoneNumber: schema, enums, echo and formats."""

from __future__ import annotations

from typing import Any

from botocore.model import StructureShape
from hypothesis import given
from hypothesis import strategies as st

import strategies
from conformance.endpoint.client import EndpointClient
from conformance.guards.ledger import Ledger
from conformance.invariants.checks import (
    constraint_problems,
    echo_problems,
    enum_problems,
    format_problems,
    missing_members,
    schema_problems,
)
from conformance.invariants.properties import network_property
from conformance.invariants.registry import InvariantFailure, invariant, require

from ._support import ACCEPTED, OPERATION, SIMULATOR_CAPABILITIES, Seen, as_simulator, own_token

VALID = ACCEPTED
_output = strategies.output_shape(OPERATION)
assert _output is not None
OUTPUT = _output
_input = strategies.input_shape(OPERATION)
assert isinstance(_input, StructureShape)
FLAGS = tuple(name for name, shape in _input.members.items() if shape.type_name == "boolean")


def _oracle_valid(params: dict[str, Any]) -> None:
    """Before the endpoint is blamed for its answer to ``params``: the oracle agrees
    that the input was valid (else the suite is at fault, not the endpoint)."""
    problems = strategies.violations(OPERATION, params)
    assert not problems, f"suite bug: generated an invalid 'valid' input: {problems}"


def _rich(params: dict[str, Any], tags: list[Any], capabilities: list[str]) -> dict[str, Any]:
    """The generated input turned into a US simulator request for two capabilities, with
    tags (its own, else ``tags``): a success that carries every member the echo and
    schema checks read."""
    return {**as_simulator(params, capabilities), "Tags": params.get("Tags") or tags}


# Generated inputs succeed with tags, or with two capabilities, in few examples of a
# short run; each example therefore also sends one success that has both, made from the
# generated input (drawing a second whole input, until one had tags, cost four times
# as much as the rest of the example).
TAGS = strategies.member_values(OPERATION, "Tags", accepted=True).filter(bool)
TWO_CAPABILITIES = st.sampled_from([["SMS", "VOICE"], ["VOICE", "SMS"]])
# Nor do they often succeed outside the +1 zone, where a number's calling code tells
# countries apart: each example also asks for a LONG_CODE number in a country drawn from
# these (not on real AWS, where only SIMULATOR numbers may be requested).
COUNTRIES_ABROAD = st.sampled_from(["GB", "DE", "FR", "ES", "AU", "IN", "BR", "JP", "ZA", "SE"])


def _each_success(endpoint: EndpointClient, ledger: Ledger, check: Any) -> None:
    """``check`` every success among the generated input, a rich simulator request and
    the same request abroad, sent in that order in each example; vacuous (skipped) if
    none ever succeeds."""
    seen = Seen("a successful RequestPhoneNumber")

    @network_property()
    @given(generated=VALID, tags=TAGS, capabilities=TWO_CAPABILITIES, country=COUNTRIES_ABROAD)
    def run(
        generated: dict[str, Any], tags: list[Any], capabilities: list[str], country: str
    ) -> None:
        rich = _rich(generated, tags, capabilities)
        abroad = {**rich, "IsoCountryCode": country, "NumberType": "LONG_CODE"}
        extra = (rich,) if ledger.guard is not None else (rich, abroad)
        for params in ledger.sendable((generated, *extra)):
            params = own_token(params)
            with ledger.scope():
                outcome = ledger.request(params)
                seen.saw(outcome, outcome.ok)
                if outcome.ok:
                    try:
                        check(params, outcome)
                    except InvariantFailure:
                        _oracle_valid(params)  # on failure only: the oracle costs 0.2 ms
                        raise

    run()
    seen.skip_if_vacuous()


@invariant("RPN-SCHEMA", "Success bodies match the model's output types", "must")
def test_success_body_matches_output_schema(endpoint: EndpointClient, ledger: Ledger) -> None:
    """The raw JSON of every 2xx answer validates against the JSON Schema of
    RequestPhoneNumberResult's types: member types, epoch-number timestamps, required
    members and enums. Unknown extra members are allowed (the protocol says clients
    ignore them). The model's lengths, patterns and list bounds are RPN-OUTPUT-CONSTRAINTS'
    (strict): Smithy servers do not enforce them on what they answer."""

    def check(params: dict[str, Any], outcome: Any) -> None:
        require(
            outcome.json_error is None,
            "RPN-SCHEMA",
            f"2xx body is not JSON ({outcome.json_error})",
            outcome,
            params,
        )
        problems = schema_problems("output", OPERATION, outcome.body, constraints=False)
        require(not problems, "RPN-SCHEMA", "; ".join(problems[:5]), outcome, params)

    _each_success(endpoint, ledger, check)


@invariant(
    "RPN-OUTPUT-CONSTRAINTS", "Success bodies keep the model's lengths and patterns", "strict"
)
def test_success_body_keeps_constraints(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Every 2xx answer's values keep the constraint traits of RequestPhoneNumberResult:
    lengths, unanchored patterns, ranges and list bounds. Strict: Smithy's maintainers
    say a server should not refuse to render an answer whose value breaks an output
    constraint (smithy-lang/smithy#1039), so the real service may answer such values."""

    def check(params: dict[str, Any], outcome: Any) -> None:
        problems = constraint_problems(OPERATION, outcome.body)
        require(not problems, "RPN-OUTPUT-CONSTRAINTS", "; ".join(problems[:5]), outcome, params)

    _each_success(endpoint, ledger, check)


@invariant("RPN-ENUM", "Enum members hold values the installed model lists", "must")
def test_success_enums_are_modelled(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Status, MessageType, NumberType and NumberCapabilities of a success body are
    members of their enums in the installed botocore model (its version is in the
    report): a value outside would break SDKs that map enums to types."""

    def check(params: dict[str, Any], outcome: Any) -> None:
        problems = enum_problems(OUTPUT, outcome.body)
        require(not problems, "RPN-ENUM", "; ".join(problems), outcome, params)

    _each_success(endpoint, ledger, check)


@invariant("RPN-ECHO", "Requested settings come back as sent", "should")
def test_request_is_echoed(endpoint: EndpointClient, ledger: Ledger) -> None:
    """IsoCountryCode, MessageType, NumberType, NumberCapabilities (as a set),
    DeletionProtectionEnabled (default false), Tags, OptOutListName (default
    ``Default``; a name given as an ARN comes back as the name), PoolId and RegistrationId
    come back as requested, as the AWS user guide's sample shows. Tags, when the answer
    carries them, are the requested tags; whether the real service echoes them at all is
    not known, so an answer without Tags passes. Members the request
    cannot set take their documented defaults: TwoWayEnabled and
    SelfManagedOptOutsEnabled are false, and a number just created is not ``DELETED``
    (AWS documents ``PENDING``, later ``ACTIVE``; other statuses are tolerated, since
    what a pooled request answers is not documented). Every successful example is sent
    again with each boolean member inverted (its own token), so both values of every
    flag the request can set are checked in every run, however the flags were drawn."""

    def check(params: dict[str, Any], outcome: Any) -> None:
        problems = echo_problems(params, outcome.body)
        require(not problems, "RPN-ECHO", "; ".join(problems), outcome, params)
        flipped = own_token({**params, **{f: not params.get(f, False) for f in FLAGS}})
        again = ledger.request(flipped)
        if again.ok:
            problems = echo_problems(flipped, again.body)
            require(not problems, "RPN-ECHO", "; ".join(problems), again, flipped)

    _each_success(endpoint, ledger, check)


@invariant("RPN-MEMBERS", "A new number comes with every documented member", "should")
def test_documented_members_present(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Every 2xx answer has the members the AWS user guide's sample of a fresh number
    shows (PhoneNumberArn, PhoneNumberId, PhoneNumber, Status, IsoCountryCode,
    MessageType, NumberCapabilities, NumberType, MonthlyLeasingPrice, TwoWayEnabled,
    SelfManagedOptOutsEnabled, OptOutListName, DeletionProtectionEnabled,
    CreatedTimestamp), as far as the installed model has them. The model marks no
    output member required, so this is documented behaviour, not a protocol rule;
    unset optional members (PoolId, RegistrationId, Tags) may be left out."""

    def check(params: dict[str, Any], outcome: Any) -> None:
        body = outcome.body if isinstance(outcome.body, dict) else {}
        missing = missing_members(OPERATION, body)
        require(not missing, "RPN-MEMBERS", f"missing {', '.join(missing)}", outcome, params)

    _each_success(endpoint, ledger, check)


@invariant("RPN-FORMATS", "Ids, ARN, E.164 number, timestamp and price are well formed", "should")
def test_formats(endpoint: EndpointClient, ledger: Ledger) -> None:
    """PhoneNumberId is ``phone-`` + 32 lowercase hex; PhoneNumberArn is
    ``arn:aws:sms-voice:<region>:<12-digit account>:phone-number/<PhoneNumberId>`` for the
    signing region; PhoneNumber is E.164 with the calling code of the requested country
    (US and CA share +1, so the check is at calling-code level); CreatedTimestamp is
    within 15 minutes of the request; MonthlyLeasingPrice is a decimal string."""

    def check(params: dict[str, Any], outcome: Any) -> None:
        problems = format_problems(params, outcome.body, endpoint.region)
        require(not problems, "RPN-FORMATS", "; ".join(problems), outcome, params)

    _each_success(endpoint, ledger, check)


SIMULATOR = st.fixed_dictionaries(
    {
        "IsoCountryCode": st.just("US"),
        "MessageType": st.just("TRANSACTIONAL"),
        "NumberType": st.just("SIMULATOR"),
        "NumberCapabilities": st.sampled_from(SIMULATOR_CAPABILITIES).map(list),
    }
)


@invariant("RPN-SIMULATOR", "A US transactional simulator number can be requested", "should")
def test_simulator_number_succeeds(endpoint: EndpointClient, ledger: Ledger) -> None:
    """The one request documented to succeed at no cost: IsoCountryCode US, MessageType
    TRANSACTIONAL, NumberType SIMULATOR, with SMS or with SMS and VOICE (Terraform's live
    tests; VOICE alone has no evidence and is not sent). An endpoint that cannot serve
    it has not implemented the operation's success path."""

    @network_property()
    @given(params=SIMULATOR)
    def run(params: dict[str, Any]) -> None:
        with ledger.scope():
            outcome = ledger.request(params)
            require(
                outcome.ok,
                "RPN-SIMULATOR",
                f"a US TRANSACTIONAL SIMULATOR request was refused "
                f"(HTTP {outcome.status} {outcome.error_code or outcome.exchange.error or ''})"
                + _not_implemented_hint(outcome),
                outcome,
                params,
            )

    run()


def _not_implemented_hint(outcome: Any) -> str:
    """Say plainly when the endpoint does not implement the operation at all."""
    code = outcome.error_code or ""
    media = outcome.exchange.header("Content-Type") or "no Content-Type"
    if code in ("UnknownOperationException", "NotImplemented", "InvalidAction"):
        return f". The endpoint does not implement {OPERATION} ({code})."
    if outcome.status is not None and (outcome.json_error or not code):
        return (
            f". The endpoint does not implement {OPERATION}: its answer is not an awsJson "
            f"response (HTTP {outcome.status}, {media})."
        )
    return ""
