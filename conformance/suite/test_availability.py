"""Requests for numbers that do not exist: the service documents them, so it refuses them.

A suite that judges refusals only when they happen lets a mock pass that accepts
anything. These properties send, in every example, the combinations the AWS material
documents as unavailable, and fail an endpoint that hands out such a number.
"""

from __future__ import annotations

from typing import Any

import pycountry
import pytest
from botocore.model import ListShape, StructureShape
from hypothesis import strategies as st

import strategies
from conformance.endpoint.client import EndpointClient, Outcome
from conformance.guards.ledger import Ledger
from conformance.invariants.checks import operation_errors
from conformance.invariants.registry import invariant, require
from strategies.model import is_server_fault

from ._support import ACCEPTED, OPERATION, answered, as_simulator, check_each

# Its properties judge refusals and answers to input a conforming service refuses:
# on real AWS they create no number, whatever the run's cap, and run first.
pytestmark = pytest.mark.spends_nothing

_INPUT = strategies.input_shape(OPERATION)
assert isinstance(_INPUT, StructureShape)


def _value(member: str, value: str) -> str:
    """``value`` of a member's enum, after making sure the installed model has it."""
    values = strategies.enum_values(_INPUT.members[member])
    assert value in values, f"the model's {member} no longer has {value!r}: {values}"
    return value


TOLL_FREE = _value("NumberType", "TOLL_FREE")
LONG_CODE = _value("NumberType", "LONG_CODE")
PROMOTIONAL = _value("MessageType", "PROMOTIONAL")
_CAPABILITIES = _INPUT.members["NumberCapabilities"]
assert isinstance(_CAPABILITIES, ListShape)
SMS_MMS = [c for c in ("SMS", "MMS") if c in strategies.enum_values(_CAPABILITIES.member)]
assert len(SMS_MMS) == 2, "the model's NumberCapability no longer has SMS and MMS"
# Documented (shared/aws-behavior.md): simulator numbers only in the US; toll-free
# numbers and MMS only in the US and Canada; no MMS on Canadian toll-free numbers.
SIMULATOR_COUNTRIES = {"US"}
TOLL_FREE_COUNTRIES = MMS_COUNTRIES = {"US", "CA"}
_ASSIGNED = sorted(c.alpha_2 for c in pycountry.countries)
NOT_US = st.sampled_from([c for c in _ASSIGNED if c not in SIMULATOR_COUNTRIES])
NEITHER_US_NOR_CA = st.sampled_from([c for c in _ASSIGNED if c not in TOLL_FREE_COUNTRIES])
MODELLED_CLIENT_ERRORS = frozenset(c for c in operation_errors(OPERATION) if not is_server_fault(c))

Case = tuple[str, dict[str, Any]]


def _unavailable(params: dict[str, Any], abroad: str, elsewhere: str) -> list[Case]:
    """One request per documented unavailable combination, all made from one accepted
    input (its tags, flags and token kept)."""
    base = as_simulator(params)
    base.pop("ClientToken", None)  # each case is a request of its own
    return [
        ("a SIMULATOR number outside the US", {**base, "IsoCountryCode": abroad}),
        (
            "a TOLL_FREE number outside the US and Canada",
            {**base, "NumberType": TOLL_FREE, "IsoCountryCode": elsewhere},
        ),
        (
            "an MMS number outside the US and Canada",
            {
                **base,
                "NumberType": LONG_CODE,
                "IsoCountryCode": elsewhere,
                "NumberCapabilities": SMS_MMS,
            },
        ),
        (
            "an MMS Canadian toll-free number",
            {
                **base,
                "NumberType": TOLL_FREE,
                "IsoCountryCode": "CA",
                "NumberCapabilities": SMS_MMS,
            },
        ),
    ]


UNAVAILABLE = st.builds(_unavailable, ACCEPTED, NOT_US, NEITHER_US_NOR_CA)


def _send(ledger: Ledger) -> Any:
    def send(case: Case) -> Outcome:
        return ledger.request(case[1])

    return send


def _sendable(ledger: Ledger, cases: st.SearchStrategy[list[Case]]) -> Any:
    """On real AWS the spend guard lets only SIMULATOR requests through: the others
    are left out unsent (never the whole example)."""
    return cases.map(lambda batch: [case for case in batch if ledger.allows(case[1])])


@invariant("RPN-UNAVAILABLE", "Numbers the service documents as unavailable are refused", "should")
def test_unavailable_numbers_are_refused(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Every example asks for a SIMULATOR number outside the US, a TOLL_FREE number
    outside the US and Canada, an MMS number outside the US and Canada, and an MMS
    toll-free number in Canada (the user guide: simulator numbers exist only in the US;
    toll-free numbers and MMS only in the US and Canada, and Canadian toll-free numbers
    have no MMS). Each is refused with a client error the operation models; which one
    is not known, so any of them passes. On real AWS only the SIMULATOR case is sent."""

    def check(case: Case, outcome: Outcome) -> None:
        what, body = case
        require(not outcome.ok, "RPN-UNAVAILABLE", f"handed out {what}", outcome, body)
        require(
            outcome.is_client_error and outcome.error_code in MODELLED_CLIENT_ERRORS,
            "RPN-UNAVAILABLE",
            f"refused {what} with HTTP {outcome.status} {outcome.error_code}, not a client "
            f"error the operation models ({', '.join(sorted(MODELLED_CLIENT_ERRORS))})",
            outcome,
            body,
        )

    check_each(ledger, _sendable(ledger, UNAVAILABLE), _send(ledger), check, applies=answered)


def _promotional(params: dict[str, Any]) -> list[Case]:
    body = {**as_simulator(params), "MessageType": PROMOTIONAL}
    body.pop("ClientToken", None)
    return [("a SIMULATOR number for PROMOTIONAL messages", body)]


@invariant(
    "RPN-SIMULATOR-PROMOTIONAL",
    "A SIMULATOR number for PROMOTIONAL traffic: ResourceNotFoundException",
    "should",
)
def test_promotional_simulator_is_refused(endpoint: EndpointClient, ledger: Ledger) -> None:
    """A US SIMULATOR request with MessageType PROMOTIONAL is refused with
    ResourceNotFoundException (no such number is available): what the Terraform
    provider's live acceptance test observed; simulator numbers are for transactional
    traffic (user guide)."""

    def check(case: Case, outcome: Outcome) -> None:
        what, body = case
        require(not outcome.ok, "RPN-SIMULATOR-PROMOTIONAL", f"handed out {what}", outcome, body)
        require(
            outcome.error_code == "ResourceNotFoundException",
            "RPN-SIMULATOR-PROMOTIONAL",
            f"refused {what} with HTTP {outcome.status} {outcome.error_code}, not "
            "ResourceNotFoundException",
            outcome,
            body,
        )

    cases = _sendable(ledger, ACCEPTED.map(_promotional))
    check_each(ledger, cases, _send(ledger), check, applies=answered)
