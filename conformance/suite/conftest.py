"""Short names, inside the suite only, for the plugin's fixtures."""

from __future__ import annotations

import pytest

from conformance.client import EndpointClient
from conformance.ledger import Ledger


@pytest.fixture(scope="session")
def endpoint(conformance_endpoint: EndpointClient) -> EndpointClient:
    return conformance_endpoint


@pytest.fixture(scope="session")
def ledger(conformance_ledger: Ledger) -> Ledger:
    return conformance_ledger
