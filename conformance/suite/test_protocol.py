"""awsJson1_0 protocol: headers of every answer, malformed requests, unknown targets."""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import strategies
from conformance.endpoint.client import EndpointClient, Outcome
from conformance.guards.ledger import Ledger
from conformance.invariants.checks import media_type
from conformance.invariants.properties import network_property
from conformance.invariants.registry import invariant, require

from ._support import MALFORMED, OPERATION, answered, any_bodies, check_each

# Its properties judge refusals and answers to input a conforming service refuses:
# on real AWS they create no number, whatever the run's cap, and run first.
pytestmark = pytest.mark.spends_nothing

JSON_MEDIA_TYPE = "application/x-amz-json-1.0"


@invariant("PROTO-CONTENT-TYPE", "Answers are application/x-amz-json-1.0", "must", wire=True)
def test_content_type(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Every answer, success or error, says ``Content-Type: application/x-amz-json-1.0``
    (parameters such as ``; charset=utf-8`` are allowed)."""

    def check(body: Any, outcome: Outcome) -> None:
        require(
            media_type(outcome) == JSON_MEDIA_TYPE,
            "PROTO-CONTENT-TYPE",
            f"Content-Type is {outcome.exchange.header('Content-Type')!r}",
            outcome,
            body,
        )

    check_each(ledger, any_bodies(ledger), ledger.request_raw, check, applies=answered)


@invariant("PROTO-REQUEST-ID", "Answers carry x-amzn-RequestId", "compat", wire=True)
def test_request_id(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Every answer carries a non-empty ``x-amzn-RequestId`` header, which boto3 surfaces
    as ResponseMetadata.RequestId and AWS support asks for. AWS documents the header for
    other awsJson services, not for this one: compat, what SDK users rely on."""

    def check(body: Any, outcome: Outcome) -> None:
        require(
            bool(outcome.exchange.header("x-amzn-RequestId")),
            "PROTO-REQUEST-ID",
            "no x-amzn-RequestId header",
            outcome,
            body,
        )

    check_each(ledger, any_bodies(ledger), ledger.request_raw, check, applies=answered)


@invariant("PROTO-MALFORMED", "Malformed bodies get a client error", "must", wire=True)
def test_malformed_body(endpoint: EndpointClient) -> None:
    """A body that is not a JSON object (truncated JSON, bad UTF-8, an array, a string)
    is answered with a 4xx client error (SerializationException or ValidationException
    are usual), never 2xx, never 5xx, never silence."""

    @network_property()
    @given(data=MALFORMED)
    def run(data: bytes) -> None:
        outcome = endpoint.call_raw(OPERATION, data)
        require(
            outcome.is_client_error,
            "PROTO-MALFORMED",
            f"answered {outcome.status or outcome.exchange.error} to a malformed body",
            outcome,
            data.decode("utf-8", "replace"),
        )

    run()


KNOWN = set(strategies.operation_model(OPERATION).service_model.operation_names)
# alphabet given: from_regex's default (codec="utf-8") has Hypothesis tabulate every code
# point once per working directory, about a second and a 200 MB transient
UNKNOWN_OPERATIONS = st.from_regex(
    r"[A-Z][A-Za-z]{2,30}", fullmatch=True, alphabet=string.ascii_letters
).filter(lambda name: name not in KNOWN)


@invariant(
    "PROTO-UNKNOWN-TARGET", "Unknown or missing X-Amz-Target gets a client error", "must", wire=True
)
def test_unknown_target(endpoint: EndpointClient) -> None:
    """An operation the service does not have, or no X-Amz-Target at all, is a 4xx client
    error (UnknownOperationException is usual), never 2xx or 5xx."""

    @network_property()
    @given(name=st.one_of(UNKNOWN_OPERATIONS, st.just("")))
    def run(name: str) -> None:
        target = f"PinpointSMSVoiceV2.{name}" if name else ""
        outcome = endpoint.call_raw(name or OPERATION, {}, target=target)
        require(
            outcome.is_client_error,
            "PROTO-UNKNOWN-TARGET",
            f"answered {outcome.status or outcome.exchange.error} to target {target!r}",
            outcome,
            {},
        )

    run()
