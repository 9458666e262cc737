"""Short names, inside the suite only, for the plugin's fixtures; and whether the
endpoint serves the operation every check needs."""

from __future__ import annotations

import pytest

from conformance.endpoint.client import EndpointClient
from conformance.endpoint.served import NoWire, OperationNotServed, not_served
from conformance.endpoint.settle import Settler
from conformance.guards.ledger import Ledger
from conformance.guards.write_guard import WriteGuard

from ._support import OPERATION, SIMULATOR_REQUEST
from ._tier import Tier


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
def _served(request: pytest.FixtureRequest) -> None:
    """Every check of the deep tier needs RequestPhoneNumber: "not implemented", not
    run, when the endpoint does not serve it (the plugin reports it so). A check of the
    model-level tier needs its own operation only. A check of the wire itself is not
    applicable to a client that sends nothing on a wire (an in-process mock)."""
    marker = request.node.get_closest_marker("conformance")
    if marker is not None and marker.kwargs.get("wire"):
        client: EndpointClient = request.getfixturevalue("endpoint")
        if not client.wire:
            raise NoWire(client.route)
    if "operation" in request.fixturenames:
        tier: Tier = request.getfixturevalue("tier")
        tier.require_served(request.getfixturevalue("operation"))
        return
    unserved: OperationNotServed | None = request.getfixturevalue("_not_served")
    if unserved is not None:  # its traceback not grown by every raise
        raise unserved.with_traceback(None)


@pytest.fixture(scope="session")
def tier(endpoint: EndpointClient, ledger: Ledger, conformance_write_guard: WriteGuard) -> Tier:
    """The model-level tier's sender; on real AWS, reads and the creations opted in."""
    return Tier(endpoint, ledger, conformance_write_guard)


@pytest.fixture(autouse=True)
def _guard_count(ledger: Ledger) -> None:
    """Each property counts the spend guard's refusals and admissions afresh (real AWS)."""
    ledger.new_property()
