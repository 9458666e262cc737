"""Numbers the suite created, so that every one is released again.

Each example releases what it requested (clearing deletion protection first), so a run
leaves nothing behind and never meets a quota it caused itself.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from .client import EndpointClient, Outcome


class Ledger:
    def __init__(self, client: EndpointClient) -> None:
        self.client = client
        self._ids: dict[str, None] = {}
        self._lock = threading.Lock()

    def note(self, outcome: Outcome) -> None:
        """Remember the number a successful RequestPhoneNumber created."""
        if outcome.ok and isinstance(outcome.body, dict):
            number_id = outcome.body.get("PhoneNumberId")
            if isinstance(number_id, str):
                with self._lock:
                    self._ids[number_id] = None

    def request(self, params: dict[str, Any]) -> Outcome:
        outcome = self.client.call("RequestPhoneNumber", params)
        self.note(outcome)
        return outcome

    def request_raw(self, body: Any) -> Outcome:
        outcome = self.client.call_raw("RequestPhoneNumber", body)
        self.note(outcome)
        return outcome

    def release_all(self) -> list[str]:
        """Release every noted number; returns the ids that could not be released."""
        with self._lock:
            ids, self._ids = list(self._ids), {}
        left = []
        for number_id in ids:
            self.client.call(
                "UpdatePhoneNumber",
                {"PhoneNumberId": number_id, "DeletionProtectionEnabled": False},
            )
            released = self.client.call("ReleasePhoneNumber", {"PhoneNumberId": number_id})
            if not released.ok and released.error_code != "ResourceNotFoundException":
                left.append(number_id)
        return left

    @contextlib.contextmanager
    def scope(self) -> Iterator[Ledger]:
        """Release on the way out, whatever happened inside."""
        try:
            yield self
        finally:
            self.release_all()
