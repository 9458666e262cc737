"""How the model-level tier reaches an operation: whether the endpoint serves it, whether
the suite may send it to this target, and the sending itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.client import EndpointClient, Outcome
from conformance.ledger import Ledger
from conformance.operations import catalogue
from conformance.served import OperationNotServed, OperationWithheld, not_served


@dataclass
class Tier:
    """Sends the tier's bodies. ``reads_only`` (real AWS): an operation that is not a
    read (``operations.READ_VERBS``) is never sent, whatever the body; the check is not
    run on it. What the ledger tracks (requested numbers) goes through it, so it is
    released like the deep tier's."""

    endpoint: EndpointClient
    ledger: Ledger
    reads_only: bool
    _served: dict[str, OperationNotServed | None] = field(default_factory=dict)

    def send(self, operation: str, body: Any) -> Outcome:
        if self.reads_only and not catalogue()[operation].read_only:
            # no operation name: pytest's -rs folds the same reasons into one line
            raise OperationWithheld("writes or sends: not sent to real AWS (only reads are)")
        if self.ledger.tracks(operation):
            with self.ledger.scope():
                return self.ledger.request_raw(body)
        return self.endpoint.call_raw(operation, body)

    def require_served(self, operation: str) -> None:
        """Raise OperationWithheld if the suite will not send ``operation`` here, and
        OperationNotServed if the endpoint's first answer to it (an empty body, which a
        serving endpoint refuses or answers) says it does not implement it. Asked once
        per operation and process. (``send`` withholds: the probe is its first call.)"""
        if operation not in self._served:
            outcome = self.send(operation, {})
            why = not_served(outcome)
            self._served[operation] = (
                None if why is None else OperationNotServed(operation, why, outcome)
            )
        unserved = self._served[operation]
        if unserved is not None:  # its traceback not grown by every raise
            raise unserved.with_traceback(None)
