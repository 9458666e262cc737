"""ClientToken idempotency of RequestPhoneNumber."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from botocore.model import StructureShape
from hypothesis import given

import strategies
from conformance.endpoint.client import EndpointClient, Outcome
from conformance.guards.ledger import Ledger
from conformance.invariants.properties import network_property
from conformance.invariants.registry import InvariantFailure, invariant, require

from ._support import ACCEPTED, OPERATION, Seen, as_simulator, first_sendable

VALID = ACCEPTED
# The service's own maximum, below the model's (strategies.limits has its evidence).
SERVICE_MAX_TAGS = next(
    limit.maximum
    for limit in strategies.service_limits(OPERATION)
    if isinstance(limit, strategies.MaxItems) and limit.path == "Tags"
)


def _number_id(outcome: Outcome) -> Any:
    return outcome.body.get("PhoneNumberId") if isinstance(outcome.body, dict) else None


def _fresh(params: dict[str, Any]) -> dict[str, Any]:
    """A token of its own per example: a reused generated token is another property."""
    return {**params, "ClientToken": f"{params.get('ClientToken', '')[:27]}-{uuid.uuid4()}"}


_LISTING = strategies.input_shape("DescribePhoneNumbers")
assert isinstance(_LISTING, StructureShape)
_PAGE = _LISTING.members["MaxResults"].metadata.get("max")
_MAX_PAGES = 50
MARKER_KEY = "conformance-example"


def _listed(endpoint: EndpointClient) -> dict[str, str] | None:
    """Every number the account lists, id -> ARN (whatever its status); None if the
    listing failed or is longer than the suite pages through."""
    held: dict[str, str] = {}
    token = None
    for _ in range(_MAX_PAGES):
        params: dict[str, Any] = {"MaxResults": _PAGE} if _PAGE else {}
        if token:
            params["NextToken"] = token
        page = endpoint.call("DescribePhoneNumbers", params)
        if not page.ok or not isinstance(page.body, dict):
            return None
        for number in page.body.get("PhoneNumbers") or []:
            if isinstance(number, dict) and isinstance(number.get("PhoneNumberId"), str):
                held[number["PhoneNumberId"]] = str(number.get("PhoneNumberArn"))
        token = page.body.get("NextToken")
        if not token:
            return held
    return None


def _marked(params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``params`` with one more tag naming this example, so that a number the retry
    may have created on the side is recognised by its tags, not by counting the
    account's numbers (other clients, and numbers still DISASSOCIATING, move counts).
    The tag takes the last place if the input already has the service's maximum."""
    marker = {"Key": MARKER_KEY, "Value": uuid.uuid4().hex}
    tags = [t for t in params.get("Tags") or [] if t.get("Key") != MARKER_KEY]
    return {**params, "Tags": [*tags[: SERVICE_MAX_TAGS - 1], marker]}, marker


def _each_first_success(
    ledger: Ledger,
    check: Callable[[dict[str, Any], Outcome], None],
    prepare: Callable[[dict[str, Any]], dict[str, Any]] = lambda params: params,
) -> None:
    """``check`` the first success of each example: the generated input (``prepare``d,
    a token of its own), or, when that is refused, the same input as the US simulator
    request. So nearly every example judges a success, not only the third or so whose
    generated input succeeds; vacuous (skipped) if none ever does."""
    seen = Seen("a successful first request")

    @network_property()
    @given(generated=VALID)
    def run(generated: dict[str, Any]) -> None:
        with ledger.scope():
            params = _fresh(prepare(first_sendable(ledger, generated)))
            outcome = ledger.request(params)
            if not outcome.ok and outcome.status is not None:
                params = _fresh(prepare(as_simulator(generated)))
                outcome = ledger.request(params)
            seen.saw(outcome, outcome.ok)
            if outcome.ok:
                check(params, outcome)

    run()
    seen.skip_if_vacuous()


@invariant("IDEMP-SAME", "Same token and parameters give the same number", "must")
def test_same_token_same_parameters(endpoint: EndpointClient, ledger: Ledger) -> None:
    """A retried RequestPhoneNumber (same ClientToken, same parameters) answers the
    number the first call created and creates no other: the model marks ClientToken as
    the idempotency token. Each example's request carries a tag of its own; a number
    that appears in DescribePhoneNumbers during the retry and carries that tag
    (ListTagsForResource) is a second number. Identities are compared, never counts,
    so other clients and numbers still settling do not matter."""

    def check(params: dict[str, Any], first: Outcome) -> None:
        marker = params["Tags"][-1]
        before = _listed(endpoint)
        again = ledger.request(params)
        require(
            again.ok,
            "IDEMP-SAME",
            f"the retry was refused (HTTP {again.status} {again.error_code})",
            again,
            params,
        )
        require(
            _number_id(again) == _number_id(first)
            and again.body.get("PhoneNumber") == first.body.get("PhoneNumber"),
            "IDEMP-SAME",
            f"the retry created another number: {_number_id(first)} then {_number_id(again)}",
            again,
            params,
        )
        after = _listed(endpoint) if before is not None else None
        known = {*(before or {}), _number_id(first)}
        for number_id, arn in sorted((after or {}).items()):
            if number_id in known:
                continue
            tags = endpoint.call("ListTagsForResource", {"ResourceArn": arn})
            if marker in ((tags.body or {}).get("Tags") or []):
                ledger.adopt(number_id)
                raise InvariantFailure(
                    "IDEMP-SAME",
                    f"the retry answered {_number_id(first)} but also created {number_id} "
                    f"(it carries this example's tag {marker['Key']}={marker['Value']})",
                    params,
                    again.exchange,
                    [tags.exchange],
                )

    _each_first_success(ledger, check, prepare=lambda params: _marked(params)[0])


@invariant("IDEMP-MISMATCH", "A reused token never yields a second, different number", "must")
def test_reused_token_other_parameters(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Reusing a ClientToken with other parameters (here: DeletionProtectionEnabled
    flipped) must not create a second number. What AWS answers is not documented (the
    common pattern is ConflictException), so an error of any kind, or the first number
    again, are both accepted."""

    def check(params: dict[str, Any], first: Outcome) -> None:
        flipped = not params.get("DeletionProtectionEnabled", False)
        other = {**params, "DeletionProtectionEnabled": flipped}
        second = ledger.request(other)
        require(
            not second.ok or _number_id(second) == _number_id(first),
            "IDEMP-MISMATCH",
            f"token reused with other parameters created {_number_id(second)} "
            f"besides {_number_id(first)}",
            second,
            other,
        )

    _each_first_success(ledger, check)


@invariant("IDEMP-DISTINCT", "Distinct tokens give distinct numbers", "must")
def test_distinct_tokens(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Two requests with different ClientTokens are two requests: when both succeed they
    answer two different numbers (ids and phone numbers)."""

    def check(params: dict[str, Any], first: Outcome) -> None:
        second = ledger.request(_fresh(params))
        require(
            not second.ok
            or (
                _number_id(first) != _number_id(second)
                and first.body.get("PhoneNumber") != second.body.get("PhoneNumber")
            ),
            "IDEMP-DISTINCT",
            f"two tokens gave the same number {_number_id(first)}",
            second,
            params,
        )

    _each_first_success(ledger, check)


@invariant("IDEMP-CONCURRENT", "Concurrent requests with one token create one number", "must")
def test_concurrent_same_token(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Four requests with the same ClientToken and parameters, sent at once, create at
    most one number: every success answers the same PhoneNumberId."""
    seen = Seen("a successful concurrent request")

    def at_once(params: dict[str, Any]) -> list[Outcome]:
        ledger.admit(params)  # here, not in the threads: a refusal ends the example
        barrier = threading.Barrier(4, timeout=30)  # never wait forever (Ctrl-C)
        outcomes: list[Outcome] = []
        raised: list[BaseException] = []

        def send() -> None:
            try:
                barrier.wait()
                outcomes.append(ledger.request(params))
            except BaseException as error:  # a thread's exception is lost unless kept
                raised.append(error)

        threads = [threading.Thread(target=send, daemon=True) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        failures = [e for e in raised if not isinstance(e, threading.BrokenBarrierError)]
        if failures:
            raise failures[0]
        ok = [o for o in outcomes if o.ok]
        if outcomes:
            seen.saw(outcomes[0], bool(ok))
        ids = {_number_id(o) for o in ok}
        if len(ids) > 1:
            raise InvariantFailure(
                "IDEMP-CONCURRENT",
                f"one token created {len(ids)} numbers: {sorted(map(str, ids))}",
                params,
                ok[1].exchange,
                [o.exchange for o in ok],
            )
        return outcomes

    @network_property()
    @given(generated=VALID)
    def run(generated: dict[str, Any]) -> None:
        # the generated input; if every copy was refused, the same as the simulator request
        with ledger.scope():
            outcomes = at_once(_fresh(first_sendable(ledger, generated)))
            if outcomes and not any(o.ok or o.status is None for o in outcomes):
                at_once(_fresh(as_simulator(generated)))

    run()
    seen.skip_if_vacuous()
