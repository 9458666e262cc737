"""How the model-level tier reaches an operation: whether the endpoint serves it, whether
the suite may send it to this target, and the sending itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.endpoint.client import EndpointClient, Outcome
from conformance.endpoint.served import OperationNotServed, OperationWithheld, not_served
from conformance.guards.ledger import Ledger
from conformance.guards.write_guard import WriteGuard


@dataclass
class Tier:
    """Sends the tier's bodies. An operation the ``guard`` withholds (on real AWS: every
    write but the creations of the families opted in) is never sent, whatever the body;
    the check is not run on it. What the ledger tracks (requested numbers) goes through
    it, so it is released like the deep tier's; any other creation is noted in it, so it
    is undone when the example ends."""

    endpoint: EndpointClient
    ledger: Ledger
    guard: WriteGuard
    _served: dict[str, OperationNotServed | None] = field(default_factory=dict)

    def send(self, operation: str, body: Any) -> Outcome:
        reason = self.guard.withheld(operation)
        if reason is not None:
            raise OperationWithheld(reason)
        if self.ledger.tracks(operation):
            with self.ledger.scope():
                return self.ledger.request_raw(body)
        outcome = self.endpoint.call_raw(operation, body)
        self.ledger.note_created(operation, body, outcome)
        return outcome

    def require_served(self, operation: str) -> None:
        """Raise OperationWithheld if the suite will not send ``operation`` here, and
        OperationNotServed if the endpoint's first answer to it (an empty body, which a
        serving endpoint refuses or answers) says it does not implement it. Asked once
        per operation and process. (``send`` withholds: the probe is its first call.)"""
        if operation not in self._served:
            with self.ledger.scope():  # an empty body may create (CreateProtectConfiguration)
                outcome = self.send(operation, {})
            why = not_served(outcome)
            self._served[operation] = (
                None if why is None else OperationNotServed(operation, why, outcome)
            )
        unserved = self._served[operation]
        if unserved is not None:  # its traceback not grown by every raise
            raise unserved.with_traceback(None)
