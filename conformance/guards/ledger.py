"""Numbers the suite created, so that every one is released again; and the other
resources it created (the model-level tier's creations), so that each is deleted again.

Each example releases what it requested (clearing deletion protection first), and
undoes what else it created (``undo.undo_of``: the model's Delete* of the same noun), so
a run leaves nothing behind and never meets a quota it caused itself. With a ledger file
(always on for real AWS) every new number is written down at once, so a crash or
Ctrl-C leaves a list that the next run, or ``python -m conformance cleanup``, releases.
On real AWS a spend guard (``spend_guard``) also refuses, before sending, any request
that could lease a paid number: only SIMULATOR numbers, and at most a set number of them.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import reject
from hypothesis.control import current_build_context
from hypothesis.errors import InvalidArgument

from conformance.endpoint.client import DUMMY_SECRET, EndpointClient, Outcome
from conformance.endpoint.served import not_served
from conformance.guards.spend_guard import SpendCapReached, SpendGuard
from conformance.service.undo import Undo, undo_of

# Refusals in a row after which a property is skipped on real AWS: were one generated
# input in ten admissible, 50 refusals in a row would happen in 0.5 % of properties.
GIVE_UP_AFTER = 50


def _current_example() -> object:
    """Hypothesis' build context of the example running now (None outside one)."""
    try:
        return current_build_context()
    except InvalidArgument:
        return None


class Ledger:
    def __init__(
        self,
        client: EndpointClient,
        path: Path | None = None,
        guard: SpendGuard | None = None,
    ) -> None:
        self.client = client
        self.path = path
        self.guard = guard
        self._ids: dict[str, None] = {}
        self._stuck: set[str] = set()  # held numbers a release_all could not release
        self._undos: dict[str, Undo] = {}  # other resources created, by Undo.key
        self._stuck_undos: set[str] = set()
        self.refused_in_a_row = 0  # by the spend guard, in the property running now
        self.admitted = 0  # examples the spend guard let a request of through, this property
        self._example: object = None  # Hypothesis' build context of the last one
        self._lock = threading.Lock()

    # -- the file ------------------------------------------------------------------
    def _save(self) -> None:
        if self.path is None:
            return
        record = {
            "endpoint": self.client.url,
            "region": self.client.region,
            "numbers": list(self._ids),
            "resources": [undo.to_dict() for undo in self._undos.values()],
        }
        if self.client.credentials.secret_key == DUMMY_SECRET:  # not a secret: a test account
            record["dummy_access_key"] = self.client.credentials.access_key
        temporary = self.path.with_name(self.path.name + ".tmp")
        with open(temporary, "w") as out:
            json.dump(record, out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)

    def adopt_leftovers(self) -> list[str]:
        """Take over the numbers an earlier run's ledger still lists (same endpoint)."""
        if self.path is None or not self.path.exists():
            return []
        record = json.loads(self.path.read_text() or "{}")
        if record.get("endpoint") != self.client.url or record.get("region") != self.client.region:
            return []
        undos = [Undo.from_dict(r) for r in record.get("resources", [])]
        with self._lock:
            for number_id in record.get("numbers", []):
                self._ids[number_id] = None
            for undo in undos:
                self._undos[undo.key] = undo
        return list(record.get("numbers", [])) + [undo.describe() for undo in undos]

    # -- requesting ------------------------------------------------------------------
    def note(self, outcome: Outcome) -> None:
        """Remember the number a successful RequestPhoneNumber created."""
        if outcome.ok and isinstance(outcome.body, dict):
            number_id = outcome.body.get("PhoneNumberId")
            if isinstance(number_id, str):
                with self._lock:
                    new = number_id not in self._ids
                    self._ids[number_id] = None
                    self._save()
                if new and self.guard is not None:
                    self.guard.count()

    def allows(self, body: Any) -> bool:
        """Whether the spend guard would let ``body`` through (always, off real AWS)."""
        return self.guard is None or self.guard.admit(body)

    def new_property(self) -> None:
        """The spend guard's counts start afresh for each property."""
        self.refused_in_a_row = self.admitted = 0
        self._example = None
        if self.guard is not None:
            self.guard.new_property()

    def admit(self, body: Any) -> None:
        """Reject the current example (never sent) if the spend guard refuses ``body``.
        Once it refused ``GIVE_UP_AFTER`` in a row (past the cap on real numbers it
        refuses them all, and Hypothesis would go on generating examples to throw away
        for as long as its limits allow), end the property: skipped if the guard let
        nothing of it through, else as it stands (``SpendCapReached``), its verdict that
        of the requests it sent."""
        if self.allows(body):
            self.refused_in_a_row = 0
            example = _current_example()  # None in another thread: the example's own counts
            if example is not None and example is not self._example:
                self._example = example
                self.admitted += 1
            return
        self.refused_in_a_row += 1
        if self.refused_in_a_row >= GIVE_UP_AFTER:
            self.refused_in_a_row = 0
            if self.admitted:
                raise SpendCapReached(self.admitted)
            if self.guard is not None and self.guard.spent:
                pytest.skip(self.guard.spent_reason())
            pytest.skip(
                f"on real AWS the spend guard refused {GIVE_UP_AFTER} requests of this "
                "property in a row (only SIMULATOR numbers, at most --max-real-numbers)"
            )
        reject()  # not a SIMULATOR request, or the cap on real numbers is reached

    def sendable(self, bodies: Iterable[Any]) -> list[Any]:
        """The bodies of an example the spend guard lets through (all of them, off real
        AWS): a body it refuses is dropped, not the whole example; an example it lets
        nothing of through is rejected as ``admit`` rejects."""
        given = list(bodies)
        kept = [body for body in given if self.allows(body)]
        if given and not kept:
            self.admit(given[0])  # rejects the example, or ends the property
        return kept

    def adopt(self, number_id: str) -> None:
        """Hold a number the run did not knowingly create (a hidden second number
        found by a check), so that it is released like the others."""
        with self._lock:
            self._ids[number_id] = None
            self._save()

    def note_created(self, operation: str, sent: Any, outcome: Outcome) -> None:
        """Remember how to undo what a successful creation other than a number created
        (nothing for an operation that creates nothing, or an answer that failed)."""
        undo = undo_of(operation, sent, outcome.body) if outcome.ok else None
        if undo is not None:
            with self._lock:
                self._undos[undo.key] = undo
                self._save()

    @property
    def held(self) -> int:
        """How many numbers and other resources the ledger still holds."""
        with self._lock:
            return len(self._ids) + len(self._undos)

    def tracks(self, operation: str) -> bool:
        """Does ``operation`` create what this ledger releases (other code sending it
        goes through ``request_raw``, so nothing it creates is left behind)?"""
        return operation == "RequestPhoneNumber"

    def request(self, params: dict[str, Any]) -> Outcome:
        self.admit(params)
        outcome = self.client.call("RequestPhoneNumber", params)
        self.note(outcome)
        return outcome

    def request_raw(self, body: Any) -> Outcome:
        self.admit(body)
        outcome = self.client.call_raw("RequestPhoneNumber", body)
        self.note(outcome)
        return outcome

    # -- releasing -------------------------------------------------------------------
    def release(self, number_id: str) -> Outcome:
        """ReleasePhoneNumber as it is (deletion protection left alone); a number
        released so is no longer held, so it is not released a second time."""
        outcome = self.client.call("ReleasePhoneNumber", {"PhoneNumberId": number_id})
        if outcome.ok:
            self._forget(number_id)
        return outcome

    def forget(self, number_id: Any) -> None:
        """No longer hold a number released elsewhere (a replayed ReleasePhoneNumber):
        ``release_all`` would only send it requests that change nothing."""
        if isinstance(number_id, str):
            self._forget(number_id)

    def _forget(self, number_id: str) -> None:
        with self._lock:
            self._ids.pop(number_id, None)
            self._stuck.discard(number_id)
            self._save()

    def _on_its_way_out(self, number_id: str) -> bool:
        """Whether the service already treats the number as released: not found, or
        described DISASSOCIATING or DELETED (a release still settling)."""
        described = self.client.call("DescribePhoneNumbers", {"PhoneNumberIds": [number_id]})
        if described.error_code == "ResourceNotFoundException":
            return True
        numbers = described.body.get("PhoneNumbers") if isinstance(described.body, dict) else None
        return described.ok and any(
            isinstance(n, dict)
            and n.get("PhoneNumberId") == number_id
            and n.get("Status") in ("DISASSOCIATING", "DELETED")
            for n in numbers or []
        )

    def release_all(self, everything: bool = False) -> list[str]:
        """Undo the other resources held, then release the numbers held; returns (and
        keeps listed) what is still held.

        A number one call could not release is tried again only when ``everything``
        is asked for (at the end of the run, and by ``cleanup``): against an endpoint
        that never releases, each example would otherwise try every number all the
        examples before it left, and the run would grow with the square of its length."""
        with self.client.tolerating():  # nothing here reads more than a status
            return self._release_all(everything)

    def _release_all(self, everything: bool) -> list[str]:
        left = self._undo_all(everything)
        with self._lock:
            ids = [i for i in self._ids if everything or i not in self._stuck]
        for number_id in ids:
            self.client.call(
                "UpdatePhoneNumber",
                {"PhoneNumberId": number_id, "DeletionProtectionEnabled": False},
            )
            released = self.client.call("ReleasePhoneNumber", {"PhoneNumberId": number_id})
            if (
                released.ok
                or released.error_code == "ResourceNotFoundException"
                or (released.status is not None and self._on_its_way_out(number_id))
            ):
                self._forget(number_id)
            else:
                left.append(number_id)
                with self._lock:
                    self._stuck.add(number_id)
        return left

    def _undo_all(self, everything: bool) -> list[str]:
        """Undo the resources held (deletion protection cleared first); the same rule
        as numbers for what one call could not undo. Returns what is still held."""
        with self._lock:
            undos = [u for k, u in self._undos.items() if everything or k not in self._stuck_undos]
        left = []
        for undo in undos:
            if undo.unprotect is not None:
                cleared = {**undo.body, "DeletionProtectionEnabled": False}
                self.client.call_raw(undo.unprotect, cleared)
            outcome = self.client.call_raw(undo.operation, undo.body)
            gone = outcome.ok or outcome.error_code == "ResourceNotFoundException"
            with self._lock:  # an endpoint without the undo operation: nothing can undo it
                if gone or not_served(outcome) is not None:
                    self._undos.pop(undo.key, None)
                    self._stuck_undos.discard(undo.key)
                    self._save()
                else:
                    left.append(undo.describe())
                    self._stuck_undos.add(undo.key)
        return left

    @contextlib.contextmanager
    def scope(self) -> Iterator[Ledger]:
        """Release on the way out, whatever happened inside."""
        try:
            yield self
        finally:
            self.release_all()
