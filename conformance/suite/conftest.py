"""Short names, inside the suite only, for the plugin's fixtures; and whether the
endpoint serves the operation every check needs."""

from __future__ import annotations

import pytest

from conformance.client import EndpointClient
from conformance.ledger import Ledger
from conformance.served import OperationNotServed, not_served
from conformance.settle import Settler

from ._support import OPERATION, SIMULATOR_REQUEST


@pytest.fixture(scope="session")
def endpoint(conformance_endpoint: EndpointClient) -> EndpointClient:
    return conformance_endpoint


@pytest.fixture(scope="session")
def ledger(conformance_ledger: Ledger) -> Ledger:
    return conformance_ledger


@pytest.fixture(scope="session")
def settler(conformance_settle_timeout: float) -> Settler:
    """Waits for PENDING, DISASSOCIATING and DELETING to settle (``--settle-timeout``)."""
    return Settler(conformance_settle_timeout)


@pytest.fixture(scope="session")
def _not_served(ledger: Ledger) -> OperationNotServed | None:
    """Whether the endpoint serves RequestPhoneNumber at all, from the first answers: an
    empty request (refused by any implementation, and creates nothing), then, only if
    that answer was no answer of the operation, the US simulator request. Not asked of
    real AWS (the spend guard), which serves it."""
    if ledger.guard is not None:
        return None
    with ledger.scope():
        why = not_served(ledger.request_raw({}))
        if why is None:
            return None
        again = ledger.request({**SIMULATOR_REQUEST, "NumberCapabilities": ["SMS"]})
    why_again = not_served(again)
    if why_again is None:
        return None
    reason = why if why == why_again else f"{why}; {why_again}"
    return OperationNotServed(OPERATION, reason, again)


@pytest.fixture(autouse=True)
def _served(_not_served: OperationNotServed | None) -> None:
    """Every check of the suite needs RequestPhoneNumber: "not implemented", not run,
    when the endpoint does not serve it (the plugin reports it so)."""
    if _not_served is not None:
        raise _not_served


@pytest.fixture(autouse=True)
def _guard_count(ledger: Ledger) -> None:
    """Each property counts the spend guard's refusals in a row afresh (real AWS)."""
    ledger.refused_in_a_row = 0
