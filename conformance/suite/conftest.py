"""Short names, inside the suite only, for the plugin's fixtures."""

from __future__ import annotations

import pytest

from conformance.client import EndpointClient
from conformance.ledger import Ledger
from conformance.settle import Settler


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
