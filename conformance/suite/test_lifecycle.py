"""The resource lifecycle around a requested number, as a Hypothesis state machine."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    multiple,
    rule,
    run_state_machine_as_test,
)

import strategies
from conformance.client import EndpointClient, Outcome
from conformance.invariants import InvariantFailure, invariant, require
from conformance.ledger import Ledger
from conformance.plugin import network_settings

from ._support import OPERATION, SIMULATOR_REQUEST, Seen

LISTED_FIELDS = (
    "PhoneNumberArn",
    "PhoneNumber",
    "IsoCountryCode",
    "MessageType",
    "NumberType",
    "OptOutListName",
    "DeletionProtectionEnabled",
    "MonthlyLeasingPrice",
)
_DROPPED = ("PoolId", "RegistrationId", "OptOutListName", "ClientToken")


def _simulator(params: dict[str, Any]) -> dict[str, Any]:
    """A realistic valid input turned into the request documented to succeed."""
    kept = {k: v for k, v in params.items() if k not in _DROPPED}
    capabilities = [c for c in params["NumberCapabilities"] if c in ("SMS", "VOICE")] or ["SMS"]
    return {**kept, **SIMULATOR_REQUEST, "NumberCapabilities": sorted(set(capabilities))}


REQUESTS = strategies.valid_inputs(OPERATION).map(_simulator)


def _fail(message: str, outcome: Outcome, params: Any) -> InvariantFailure:
    return InvariantFailure("LIFECYCLE", message, params, outcome.exchange)


@invariant("LIFECYCLE", "A requested number is listed, protected, released once", "should")
def test_number_lifecycle(endpoint: EndpointClient, ledger: Ledger) -> None:
    """Random sequences of RequestPhoneNumber, UpdatePhoneNumber, ReleasePhoneNumber and
    DescribePhoneNumbers: a requested number is listed by DescribePhoneNumbers with the
    same fields and its tags by ListTagsForResource; an update of deletion protection is
    what DescribePhoneNumbers then shows; releasing it while deletion protection is on
    fails with ConflictException until UpdatePhoneNumber clears it; a
    released number is described as DELETED or not found (both occur on AWS) and cannot
    be released twice."""

    seen = Seen("a successful RequestPhoneNumber")

    class Lifecycle(RuleBasedStateMachine):
        numbers = Bundle("numbers")

        def __init__(self) -> None:
            super().__init__()
            self.protected: dict[str, bool] = {}
            self.released: set[str] = set()

        @rule(target=numbers, params=REQUESTS)
        def request(self, params: dict[str, Any]) -> Any:
            outcome = ledger.request(params)
            seen.saw(outcome, outcome.ok)
            if not outcome.ok:
                return multiple()
            created = outcome.body
            number_id = created["PhoneNumberId"]
            self.protected[number_id] = bool(params.get("DeletionProtectionEnabled", False))
            listed = self._describe(number_id, params)
            if listed is None:
                raise _fail(
                    f"DescribePhoneNumbers does not list the new number {number_id}",
                    self.last,
                    params,
                )
            differ = [
                f"{f}: {created.get(f)!r} != {listed.get(f)!r}"
                for f in LISTED_FIELDS
                if f in created and created.get(f) != listed.get(f)
            ]
            require(
                not differ,
                "LIFECYCLE",
                "DescribePhoneNumbers disagrees with RequestPhoneNumber: " + "; ".join(differ),
                self.last,
                params,
            )
            tags = endpoint.call("ListTagsForResource", {"ResourceArn": created["PhoneNumberArn"]})
            sent = sorted((t["Key"], t["Value"]) for t in params.get("Tags") or [])
            got = sorted(
                (t.get("Key"), t.get("Value")) for t in (tags.body or {}).get("Tags") or []
            )
            require(
                tags.ok and got == sent,
                "LIFECYCLE",
                f"ListTagsForResource answered {len(got)} tags, {len(sent)} were requested",
                tags,
                params,
            )
            return number_id

        @rule(number_id=numbers, protect=st.booleans())
        def update_protection(self, number_id: str, protect: bool) -> None:
            params = {"PhoneNumberId": number_id, "DeletionProtectionEnabled": protect}
            outcome = endpoint.call("UpdatePhoneNumber", params)
            if number_id in self.released:
                require(
                    not outcome.ok or outcome.body.get("Status") == "DELETED",
                    "LIFECYCLE",
                    "UpdatePhoneNumber changed a released number",
                    outcome,
                    params,
                )
                return
            require(
                outcome.ok,
                "LIFECYCLE",
                f"UpdatePhoneNumber refused ({outcome.status} {outcome.error_code})",
                outcome,
                params,
            )
            require(
                outcome.body.get("DeletionProtectionEnabled") is protect,
                "LIFECYCLE",
                "UpdatePhoneNumber did not apply DeletionProtectionEnabled",
                outcome,
                params,
            )
            listed = self._describe(number_id, params)
            require(
                listed is not None and listed.get("DeletionProtectionEnabled") is protect,
                "LIFECYCLE",
                f"after UpdatePhoneNumber set DeletionProtectionEnabled {protect}, "
                "DescribePhoneNumbers answers "
                + (repr(listed.get("DeletionProtectionEnabled")) if listed else "no number"),
                self.last,
                params,
            )
            self.protected[number_id] = protect

        @rule(number_id=numbers)
        def release(self, number_id: str) -> None:
            params = {"PhoneNumberId": number_id}
            outcome = endpoint.call("ReleasePhoneNumber", params)
            if number_id in self.released:
                require(
                    not outcome.ok,
                    "LIFECYCLE",
                    "a released number was released again",
                    outcome,
                    params,
                )
            elif self.protected[number_id]:
                require(
                    outcome.error_code == "ConflictException",
                    "LIFECYCLE",
                    f"releasing a protected number answered {outcome.status} "
                    f"{outcome.error_code}, not ConflictException",
                    outcome,
                    params,
                )
            else:
                require(
                    outcome.ok,
                    "LIFECYCLE",
                    f"release refused ({outcome.status} {outcome.error_code})",
                    outcome,
                    params,
                )
                self.released.add(number_id)
                self._check_gone(number_id)

        def _check_gone(self, number_id: str) -> None:
            params = {"PhoneNumberIds": [number_id]}
            outcome = endpoint.call("DescribePhoneNumbers", params)
            if outcome.ok:
                found = [
                    n
                    for n in outcome.body.get("PhoneNumbers", [])
                    if n.get("PhoneNumberId") == number_id
                ]
                require(
                    all(n.get("Status") == "DELETED" for n in found),
                    "LIFECYCLE",
                    "a released number is still described and not DELETED",
                    outcome,
                    params,
                )
            else:
                require(
                    outcome.error_code == "ResourceNotFoundException",
                    "LIFECYCLE",
                    f"describing a released number answered {outcome.error_code}",
                    outcome,
                    params,
                )

        def _describe(self, number_id: str, params: Any) -> dict[str, Any] | None:
            self.last = endpoint.call("DescribePhoneNumbers", {"PhoneNumberIds": [number_id]})
            if not self.last.ok:
                return None
            return next(
                (
                    n
                    for n in self.last.body.get("PhoneNumbers", [])
                    if n.get("PhoneNumberId") == number_id
                ),
                None,
            )

        def teardown(self) -> None:
            ledger.release_all()

    run_state_machine_as_test(
        Lifecycle, settings=settings(network_settings(), stateful_step_count=8)
    )
    seen.skip_if_vacuous()


MISSING = {
    "PoolId": "pool",
    "OptOutListName": "opt-out-list",
    "RegistrationId": "registration",
}
_RESOURCE_TYPES = strategies.enum_values(strategies.service_model().shape_for("ResourceType"))
assert set(MISSING.values()) <= set(_RESOURCE_TYPES), "the model renamed a ResourceType"


@invariant(
    "RES-NOT-FOUND", "Missing pool, opt-out list or registration: ResourceNotFound", "should"
)
def test_missing_resources(endpoint: EndpointClient, ledger: Ledger) -> None:
    """A simulator request naming a pool, opt-out list or registration that does not
    exist answers ResourceNotFoundException whose ResourceType is the kind of resource
    (``pool``, ``opt-out-list``, ``registration``) and whose ResourceId is the name or id
    that was sent."""

    @network_settings()
    @given(params=REQUESTS)
    def run(params: dict[str, Any]) -> None:
        for member, resource_type in MISSING.items():  # every kind, every example
            missing = f"conformance-missing-{uuid.uuid4().hex[:12]}"
            _expect_not_found({**params, member: missing}, member, resource_type, missing)

    def _expect_not_found(params: dict[str, Any], member: str, kind: str, missing: str) -> None:
        assert not strategies.violations(OPERATION, params), "suite bug: invalid input"
        with ledger.scope():
            outcome = ledger.request(params)
            require(
                outcome.error_code == "ResourceNotFoundException",
                "RES-NOT-FOUND",
                f"a missing {member} answered {outcome.status} {outcome.error_code}",
                outcome,
                params,
            )
            body = outcome.body if isinstance(outcome.body, dict) else {}
            require(
                body.get("ResourceType") == kind,
                "RES-NOT-FOUND",
                f"ResourceType {body.get('ResourceType')!r}, expected {kind!r}",
                outcome,
                params,
            )
            require(
                body.get("ResourceId") == missing,
                "RES-NOT-FOUND",
                f"ResourceId {body.get('ResourceId')!r}, expected {missing!r}",
                outcome,
                params,
            )

    run()
