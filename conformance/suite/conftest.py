"""Fixtures shared by the conformance properties."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.client import EndpointClient
from conformance.ledger import Ledger


@pytest.fixture(scope="session")
def ledger(endpoint: EndpointClient) -> Iterator[Ledger]:
    book = Ledger(endpoint)
    yield book
    book.release_all()
