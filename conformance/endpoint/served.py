"""Whether the endpoint serves an operation at all: "not implemented" is a verdict of its own.

An endpoint that does not implement the service (moto's server answers an HTML 500
page for every PinpointSMSVoiceV2 call) would otherwise fail every invariant example by
example, each shrinking the same non-answer, for minutes. The first answers decide: an
operation whose answers are UnknownOperationException (the awsJson protocol's answer
for an operation the service does not have), or error pages that are not awsJson at
all, is reported "not implemented" for every check that needs it, neither passed nor
failed, and not run. An awsJson error of any other kind is an answer to judge.
"""

from __future__ import annotations

from typing import Any

# pytest.skip.Exception, by the name mypy can follow
from _pytest.outcomes import Skipped

from conformance.endpoint.client import Outcome

# Error codes that say "no such operation here" (awsJson's, and the query protocol's
# that some emulators answer with).
NOT_SERVED_CODES = ("UnknownOperationException", "InvalidAction", "NotImplemented")
NOT_SERVED_STATUSES = (404, 405, 500, 501)


class OperationNotServed(Skipped):
    """The endpoint does not implement an operation a check needs (the reason says how
    its answers showed it). A skip to pytest, so that it formats no traceback for each
    of the hundreds of checks it stops (that cost 70 ms a check); the plugin reports it
    as "not implemented"."""

    def __init__(self, operation: str, reason: str, outcome: Outcome) -> None:
        super().__init__(f"the endpoint does not implement {operation}: {reason}")
        self.operation = operation
        self.reason = reason
        self.outcome = outcome  # the last answer that showed it

    def to_dict(self) -> dict[str, Any]:
        """For the report: what was concluded, and the exchange it was concluded from."""
        return {"note": str(self), "exchange": self.outcome.exchange.to_dict()}


def not_served(outcome: Outcome) -> str | None:
    """Why ``outcome`` shows its operation is not served, or None: an answer of the
    operation (or no answer at all, which is a transport matter judged elsewhere)."""
    status = outcome.status
    if status is None:
        return None
    code = outcome.error_code
    if code in NOT_SERVED_CODES:
        return f"HTTP {status} {code}"
    if status in NOT_SERVED_STATUSES and (outcome.json_error is not None or not code):
        media = outcome.exchange.header("Content-Type") or "no Content-Type"
        return f"HTTP {status} ({media}), not an awsJson answer"
    return None


class OperationWithheld(Skipped):
    """The suite would not send an operation to this target (a write, on real AWS):
    the coverage matrix says "not run", with the reason."""


class NoWire(Skipped):
    """A check that judges the wire itself (malformed bytes, headers, the X-Amz-Target)
    cannot be judged on a client that sends nothing on the wire (an in-process mock):
    "not applicable", neither passed nor failed, never judged elsewhere in its place."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not applicable: {reason}")
        self.reason = reason
