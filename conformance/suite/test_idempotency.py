"""ClientToken idempotency of RequestPhoneNumber."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from hypothesis import given

import strategies
from conformance.client import EndpointClient, Outcome
from conformance.invariants import InvariantFailure, invariant, require
from conformance.ledger import Ledger
from conformance.plugin import network_settings

from ._support import OPERATION, Seen

VALID = strategies.valid_inputs(OPERATION)


def _with_token(params: dict[str, Any]) -> dict[str, Any]:
    return {**params, "ClientToken": params.get("ClientToken") or str(uuid.uuid4())}


def _number_id(outcome: Outcome) -> Any:
    return outcome.body.get("PhoneNumberId") if isinstance(outcome.body, dict) else None


def _fresh(params: dict[str, Any]) -> dict[str, Any]:
    """A token of its own per example: a reused generated token is another property."""
    return {**params, "ClientToken": f"{params.get('ClientToken', '')[:27]}-{uuid.uuid4()}"}


@invariant("IDEMP-SAME", "Same token and parameters give the same number", "must")
def test_same_token_same_parameters(endpoint: EndpointClient, ledger: Ledger) -> None:
    """A retried RequestPhoneNumber (same ClientToken, same parameters) answers the
    number the first call created, not a second one: the model marks ClientToken as the
    idempotency token."""
    seen = Seen("a successful first request")

    @network_settings()
    @given(params=VALID)
    def run(params: dict[str, Any]) -> None:
        params = _fresh(params)
        with ledger.scope():
            first = ledger.request(params)
            seen.saw(first, first.ok)
            if not first.ok:
                return
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

    run()
    seen.skip_if_vacuous()


@invariant("IDEMP-MISMATCH", "A reused token never yields a second, different number", "must")
def test_reused_token_other_parameters(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Reusing a ClientToken with other parameters (here: DeletionProtectionEnabled
    flipped) must not create a second number. What AWS answers is not documented (the
    common pattern is ConflictException), so an error of any kind, or the first number
    again, are both accepted."""
    seen = Seen("a successful first request")

    @network_settings()
    @given(params=VALID)
    def run(params: dict[str, Any]) -> None:
        params = _fresh(params)
        with ledger.scope():
            first = ledger.request(params)
            seen.saw(first, first.ok)
            if not first.ok:
                return
            other = {
                **params,
                "DeletionProtectionEnabled": not params.get("DeletionProtectionEnabled", False),
            }
            second = ledger.request(other)
            if second.ok:
                require(
                    _number_id(second) == _number_id(first),
                    "IDEMP-MISMATCH",
                    f"token reused with other parameters created {_number_id(second)} "
                    f"besides {_number_id(first)}",
                    second,
                    other,
                )

    run()
    seen.skip_if_vacuous()


@invariant("IDEMP-DISTINCT", "Distinct tokens give distinct numbers", "must")
def test_distinct_tokens(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Two requests with different ClientTokens are two requests: when both succeed they
    answer two different numbers (ids and phone numbers)."""
    seen = Seen("two successful requests")

    @network_settings()
    @given(params=VALID)
    def run(params: dict[str, Any]) -> None:
        with ledger.scope():
            first = ledger.request(_fresh(params))
            second = ledger.request(_fresh(params))
            seen.saw(second, first.ok and second.ok)
            if first.ok and second.ok:
                require(
                    _number_id(first) != _number_id(second)
                    and first.body.get("PhoneNumber") != second.body.get("PhoneNumber"),
                    "IDEMP-DISTINCT",
                    f"two tokens gave the same number {_number_id(first)}",
                    second,
                    params,
                )

    run()
    seen.skip_if_vacuous()


@invariant("IDEMP-CONCURRENT", "Concurrent requests with one token create one number", "must")
def test_concurrent_same_token(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Four requests with the same ClientToken and parameters, sent at once, create at
    most one number: every success answers the same PhoneNumberId."""
    seen = Seen("a successful concurrent request")

    @network_settings()
    @given(params=VALID)
    def run(params: dict[str, Any]) -> None:
        params = _fresh(params)
        ledger.admit(params)  # here, not in the threads: a refusal ends the example
        barrier = threading.Barrier(4)
        outcomes: list[Outcome] = []

        def send() -> None:
            barrier.wait()
            outcomes.append(ledger.request(params))

        with ledger.scope():
            threads = [threading.Thread(target=send) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            ok = [o for o in outcomes if o.ok]
            seen.saw(outcomes[0], bool(ok))
            ids = {_number_id(o) for o in ok}
            if len(ids) > 1:
                failure = InvariantFailure(
                    "IDEMP-CONCURRENT",
                    f"one token created {len(ids)} numbers: {sorted(map(str, ids))}",
                    params,
                    ok[1].exchange,
                    [o.exchange for o in ok],
                )
                raise failure

    run()
    seen.skip_if_vacuous()
