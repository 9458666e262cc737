"""Helpers of the conformance properties: what an example saw, and vacuity."""

from __future__ import annotations

import collections
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import strategies
from conformance.endpoint.client import EndpointClient, Outcome
from conformance.guards.ledger import Ledger
from conformance.guards.spend_guard import is_simulator
from conformance.invariants.properties import network_property
from conformance.invariants.registry import require

OPERATION = "RequestPhoneNumber"
# The request documented to succeed at no cost (shared/aws-behavior.md).
SIMULATOR_REQUEST = {
    "IsoCountryCode": "US",
    "MessageType": "TRANSACTIONAL",
    "NumberType": "SIMULATOR",
}


# Capabilities a simulator number is known to be requested with (Terraform's live tests:
# SMS, and SMS with VOICE; VOICE alone has no evidence).
SIMULATOR_CAPABILITIES = (["SMS"], ["SMS", "VOICE"])


def as_simulator(params: dict[str, Any], capabilities: list[str] | None = None) -> dict[str, Any]:
    """A generated input turned into the US simulator request: no pool or registration,
    the ``Default`` opt-out list, and ``capabilities`` (else SMS, with VOICE if it asked
    for VOICE); every other member (tags, flags, token) as generated."""
    kept = {k: v for k, v in params.items() if k not in ("PoolId", "RegistrationId")}
    own = list(SIMULATOR_CAPABILITIES["VOICE" in params["NumberCapabilities"]])
    return {
        **kept,
        **SIMULATOR_REQUEST,
        "OptOutListName": "Default",
        "NumberCapabilities": capabilities or own,
    }


@dataclass
class Seen:
    """Counts the answers a property met, so a property that never met the case it
    judges is reported as skipped (with what the endpoint said) instead of passed."""

    what: str
    applicable: int = 0
    answers: collections.Counter[str] = field(default_factory=collections.Counter)

    def saw(self, outcome: Outcome, applicable: bool) -> None:
        self.applicable += bool(applicable)
        label = f"HTTP {outcome.status}" if outcome.status is not None else "no answer"
        if outcome.unsent is not None:  # an in-process client could not send it
            label = "not sent (botocore cannot serialise it)"
        if outcome.error_code:
            label += f" {outcome.error_code}"
        self.answers[label] += 1

    def skip_if_vacuous(self) -> None:
        if self.applicable == 0:
            common = ", ".join(f"{label} x{n}" for label, n in self.answers.most_common(3))
            pytest.skip(f"never observed {self.what}; the endpoint answered: {common or 'nothing'}")


def first_sendable(ledger: Ledger, generated: dict[str, Any]) -> dict[str, Any]:
    """``generated``, or, where the spend guard refuses it (real AWS), the same input as
    the US simulator request, the one request the guard sends."""
    return generated if ledger.allows(generated) else as_simulator(generated)


def own_token(params: dict[str, Any]) -> dict[str, Any]:
    """The example's ClientToken made its own (its generated start kept): generated
    tokens repeat across examples, and a token reused with other parameters is the
    undocumented case IDEMP-MISMATCH judges, not a fresh request. A request without a
    token is left so: botocore gives it a fresh one."""
    if not isinstance(params.get("ClientToken"), str):
        return params
    return {**params, "ClientToken": f"{params['ClientToken'][:27]}-{uuid.uuid4()}"}


def require_tags(
    endpoint: EndpointClient,
    arn: str,
    requested: dict[str, Any],
    invariant_id: str,
    how: str = "",
) -> None:
    """ListTagsForResource of ``arn`` answers the tags ``requested`` held (in any order);
    ``how``: words on how the resource was named, for the message."""
    tags = endpoint.call("ListTagsForResource", {"ResourceArn": arn})
    sent = sorted((t["Key"], t["Value"]) for t in requested.get("Tags") or [])
    got = sorted((t.get("Key"), t.get("Value")) for t in (tags.body or {}).get("Tags") or [])
    require(
        tags.ok and got == sent,
        invariant_id,
        f"ListTagsForResource{how} answered {len(got)} tags, {len(sent)} were requested",
        tags,
        requested,
    )


def answered(outcome: Outcome) -> bool:
    return outcome.status is not None


def succeeded(outcome: Outcome) -> bool:
    return outcome.ok


def refused(outcome: Outcome) -> bool:
    """An answer that is an error (not a transport failure)."""
    return not outcome.ok and outcome.status is not None


def check_each(
    ledger: Ledger,
    batches: st.SearchStrategy[Sequence[Any]],
    send: Callable[[Any], Outcome],
    check: Callable[[Any, Outcome], None],
    *,
    applies: Callable[[Outcome], bool] = answered,
    what: str = "an answer",
    max_examples: int | None = None,
) -> None:
    """Send every input of each generated batch and ``check`` the answers to which the
    property ``applies``; numbers requested are released after each input. A property
    that never applied is skipped (never reported as passed). ``max_examples``: fewer
    examples than the profile's."""
    seen = Seen(what)
    fewer = {} if max_examples is None else {"max_examples": max_examples}

    @network_property(**fewer)
    @given(batch=batches)
    def run(batch: Sequence[Any]) -> None:
        for value in batch:
            with ledger.scope():
                outcome = send(value)
                hit = applies(outcome)
                seen.saw(outcome, hit)
                if hit:
                    check(value, outcome)

    run()
    seen.skip_if_vacuous()


def one(value: Any) -> list[Any]:
    """A batch of one input."""
    return [value]


def _bodies(drawn: tuple[Any, tuple[Any, ...]]) -> list[Any]:
    valid, invalid = drawn
    return [valid, *(record.params for record in invalid)]


# Inputs for the checks that judge a success: valid by the model and within the limits
# the service documents beyond it (50 tags, no aws: prefix, ...), so that a refusal of
# a model-valid input is never mistaken for the endpoint's defect, nor costs the check.
ACCEPTED = strategies.accepted_inputs(OPERATION)


# Wire bodies of an example that looks at any answer: a valid one, and one that breaks
# each kind of constraint the model uses (all from one drawn body). Nine requests for
# about the price of two drawn inputs.
BODIES = st.tuples(
    strategies.valid_inputs(OPERATION, wire=True), strategies.invalid_input_sets(OPERATION)
).map(_bodies)


# One invalid input per constraint kind the model uses, in every example: drawn from all
# (member, constraint) targets alike, the three enum targets among forty-four were
# missed in one quick run of twenty examples out of four. All of an example's inputs
# break copies of one valid body, which is drawn once.
INVALID_SETS = strategies.invalid_input_sets(OPERATION)

# On real AWS the spend guard sends only the US simulator request, and every number
# created spends one of the few a run may create (--max-real-numbers). So there the
# properties that judge errors, or any answer, break copies of the simulator request (a
# conforming service creates nothing from them) and send no valid body; an input the
# guard would still refuse (its NumberType broken) is dropped before anything is sent.
SIMULATOR_INVALID_SETS = strategies.invalid_input_sets(
    OPERATION, base=strategies.valid_inputs(OPERATION, wire=True).map(as_simulator)
)


def invalid_sets(ledger: Ledger) -> st.SearchStrategy[tuple[Any, ...]]:
    """``INVALID_SETS``; on real AWS, the simulator's, less those that broke NumberType
    (the guard never sends them; past its cap it refuses the rest as it is sent)."""
    if ledger.guard is None:
        return INVALID_SETS
    return SIMULATOR_INVALID_SETS.map(
        lambda records: tuple(r for r in records if is_simulator(r.params))
    )


def any_bodies(ledger: Ledger) -> st.SearchStrategy[list[Any]]:
    """``BODIES``; on real AWS the bodies of ``invalid_sets`` only (no valid body: it
    would create a number)."""
    if ledger.guard is None:
        return BODIES
    return invalid_sets(ledger).map(lambda records: [r.params for r in records])


def _not_an_object(data: bytes) -> bool:
    if not data:
        return False  # an empty body means {} in awsJson
    try:
        return not isinstance(json.loads(data), dict)
    except (ValueError, UnicodeDecodeError):
        return True


# Bodies that are not a JSON object, for any operation (an empty body means {}).
MALFORMED = st.one_of(
    st.binary(min_size=1, max_size=64),
    st.sampled_from([b"{", b"{]", b'{"IsoCountryCode": "US",}', b"null", b"[]", b'"US"', b"1"]),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30).map(
        lambda s: ("{" + s).encode()
    ),
).filter(_not_an_object)
