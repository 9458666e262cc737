"""Fixtures: a fresh reference endpoint per test, and checking boto3 clients for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conformance.reference import ReferenceServer

from .helpers import FakeClock, make_client, serve


@pytest.fixture
def server() -> Iterator[ReferenceServer]:
    """A fresh reference endpoint (default quotas) for one test."""
    with ReferenceServer() as srv:
        yield srv


@pytest.fixture
def sms(server: ReferenceServer) -> Any:
    return make_client(server.url)


@pytest.fixture
def loose(server: ReferenceServer) -> Any:
    """A client that sends whatever it is given (no client-side validation)."""
    return make_client(server.url, validate=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timed(clock: FakeClock) -> Iterator[Any]:
    """A client of a fresh endpoint (default settle) whose time is ``clock``."""
    with serve(clock=clock) as srv:
        yield make_client(srv.url)
