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
from conformance.endpoint.client import EndpointClient
from conformance.endpoint.settle import DONE, WAIT, WRONG, Settled, Settler
from conformance.guards.ledger import Ledger
from conformance.invariants.properties import (
    network_property,
    network_settings,
    repeatable,
    until_spent,
)
from conformance.invariants.registry import invariant, require

from ._support import ACCEPTED, OPERATION, Seen, as_simulator, require_tags

# The model has both for a protected number's release: ConflictException
# DELETION_PROTECTION_ENABLED and ValidationException PHONE_NUMBER_CANNOT_BE_RELEASED;
# no capture shows which one the service answers.
PROTECTED_RELEASE_ERRORS = ("ConflictException", "ValidationException")

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
# On its way to ACTIVE (a new number), or out of the account (a released one): the
# states the Terraform provider's waiters poll through (shared/aws-behavior.md).
STARTING = ("PENDING", "ASSOCIATING")
LEAVING = ("DISASSOCIATING",)
GONE = "DELETED"


def _request(params: dict[str, Any]) -> dict[str, Any]:
    """An accepted input as the US simulator request, the only one documented to
    succeed at no cost; its token dropped (each rule's request is a new one)."""
    simulator = as_simulator(params)
    simulator.pop("ClientToken", None)
    return simulator


REQUESTS = ACCEPTED.map(_request)


@invariant("LIFECYCLE", "A requested number is listed, protected, released once", "should")
def test_number_lifecycle(endpoint: EndpointClient, ledger: Ledger, settler: Settler) -> None:
    """Random sequences of RequestPhoneNumber, UpdatePhoneNumber, ReleasePhoneNumber and
    DescribePhoneNumbers. A requested number is waited for while it is PENDING or
    ASSOCIATING (as the Terraform provider waits) and must become ACTIVE within
    ``--settle-timeout``; it is then listed by DescribePhoneNumbers with the fields it
    was created with, and its tags by ListTagsForResource. An update of deletion
    protection is what DescribePhoneNumbers then shows. Releasing it while deletion
    protection is on is refused with a client error (ConflictException or
    ValidationException: the model has both) until UpdatePhoneNumber clears it. A
    released number may linger in DISASSOCIATING; it must then be not found or DELETED
    within ``--settle-timeout``, must never be described in another state (ACTIVE again),
    and cannot be released twice."""

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
            listed = self._until_active(number_id, params)
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
            require_tags(endpoint, str(created["PhoneNumberArn"]), params, "LIFECYCLE")
            return number_id

        @rule(number_id=numbers, protect=st.booleans())
        def update_protection(self, number_id: str, protect: bool) -> None:
            params = {"PhoneNumberId": number_id, "DeletionProtectionEnabled": protect}
            outcome = endpoint.call("UpdatePhoneNumber", params)
            if number_id in self.released:
                require(
                    not outcome.ok or outcome.body.get("Status") == GONE,
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
            listed = self._describe(number_id)
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
            outcome = ledger.release(number_id)
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
                    outcome.error_code in PROTECTED_RELEASE_ERRORS and outcome.is_client_error,
                    "LIFECYCLE",
                    f"releasing a protected number answered {outcome.status} "
                    f"{outcome.error_code}, not a client error "
                    f"({' or '.join(PROTECTED_RELEASE_ERRORS)})",
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
                self._until_gone(number_id)

        def _until_active(self, number_id: str, params: Any) -> dict[str, Any]:
            def look() -> tuple[str, dict[str, Any] | None]:
                listed = self._describe(number_id)
                if listed is None:  # not listed yet: waiters allow a new resource that
                    return WAIT, None  # is briefly not found
                status = listed.get("Status")
                return (
                    DONE if status == "ACTIVE" else WAIT if status in STARTING else WRONG
                ), listed

            waited = settler.wait(look)
            if waited.value is None:
                problem = f"DescribePhoneNumbers does not list the new number {number_id}"
            elif waited.timed_out:
                problem = f"a new number is still {waited.value.get('Status')}"
            else:
                problem = (
                    f"a new number is described {waited.value.get('Status')!r}, "
                    "not ACTIVE nor on its way to it"
                )
            self._settled(waited, problem, params)
            assert waited.value is not None
            return waited.value

        def _until_gone(self, number_id: str) -> None:
            params = {"PhoneNumberIds": [number_id]}

            def look() -> tuple[str, str]:
                outcome = endpoint.call("DescribePhoneNumbers", params)
                self.last = outcome
                if not outcome.ok:
                    gone = outcome.error_code == "ResourceNotFoundException"
                    return (DONE if gone else WRONG), f"{outcome.status} {outcome.error_code}"
                found = [
                    n.get("Status")
                    for n in outcome.body.get("PhoneNumbers", [])
                    if n.get("PhoneNumberId") == number_id
                ]
                if not found or all(s == GONE for s in found):
                    return DONE, GONE
                status = str(found[0])
                return (WAIT if status in LEAVING else WRONG), status

            waited = settler.wait(look)
            self._settled(
                waited,
                f"a released number is still {waited.value}"
                if waited.timed_out
                else f"a released number is described {waited.value}, not DISASSOCIATING, "
                "DELETED or not found",
                params,
            )

        def _settled(self, waited: Settled[Any], problem: str, params: Any) -> None:
            """Fail with ``problem`` unless the wait ended in the final state; a budget
            that ran out says how long it waited."""
            if waited.timed_out:
                problem += (
                    f" after {waited.seconds:.1f} s "
                    f"({waited.looks} looks; --settle-timeout {settler.timeout:g})"
                )
            require(waited.verdict == DONE, "LIFECYCLE", problem, self.last, params)

        def _describe(self, number_id: str) -> dict[str, Any] | None:
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

    with until_spent():
        run_state_machine_as_test(
            repeatable(Lifecycle), settings=settings(network_settings(), stateful_step_count=8)
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
    "RES-NOT-FOUND", "Missing pool, opt-out list or registration: ResourceNotFound", "strict"
)
def test_missing_resources(endpoint: EndpointClient, ledger: Ledger) -> None:
    """A simulator request naming a pool, opt-out list or registration that does not
    exist answers ResourceNotFoundException whose ResourceType is the kind of resource
    (``pool``, ``opt-out-list``, ``registration``) and whose ResourceId is the name or id
    that was sent. Plausible, the common AWS pattern, but no answer of the real service
    to such a request has been seen: strict only."""

    @network_property()
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
