"""Factories for in-process mocks: nothing they answer crosses a wire.

    pytest --pyargs conformance --client-factory conformance.examples.in_process:moto_client
    pytest --pyargs conformance --client-factory conformance.examples.in_process:mockmesh_client

Each builds its boto3 client from the ``session`` the suite hands over (dummy
credentials, parameter validation off, so invalid input reaches the mock) and starts its
mock first; ``close`` stops the mock again. The suite sees that the client sends nothing
to the endpoint it was given, judges every invariant through the client, and reports
the invariants of the wire itself as not applicable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3

from .sms_wrapper import SERVICE


class MockedClient:
    """A boto3 client (every operation by its method) whose ``close`` also stops the
    mock it was started with."""

    def __init__(self, client: Any, stop: Callable[[], Any]) -> None:
        self._client = client
        self._stop = stop

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def close(self) -> None:
        try:
            self._client.close()
        finally:
            self._stop()


def moto_client(*, region_name: str, session: boto3.Session) -> MockedClient:
    """moto's ``mock_aws``, started in this process. moto intercepts requests to AWS's
    own hosts, so the client is built for the region, with no endpoint URL."""
    from moto import mock_aws

    mock = mock_aws()
    mock.start()
    return MockedClient(session.client(SERVICE, region_name=region_name), mock.stop)


def mockmesh_client(*, endpoint_url: str, region_name: str, session: boto3.Session) -> MockedClient:
    """mockmesh-aws (the ``targets`` extra), which patches botocore's
    ``BaseClient._make_api_call`` and answers every operation from its output shape.
    The endpoint URL is given only so that a call the patch missed goes to the
    suite's endpoint, never to AWS."""
    import mockmesh

    mockmesh.enable()
    _MOCKMESH_CLIENTS.append(1)
    client = session.client(SERVICE, endpoint_url=endpoint_url, region_name=region_name)
    return MockedClient(client, _mockmesh_closed)


# mockmesh patches botocore for the whole process: it is turned off again only when the
# last client made here closes (a run makes one per account it signs as).
_MOCKMESH_CLIENTS: list[int] = []


def _mockmesh_closed() -> None:
    import mockmesh

    _MOCKMESH_CLIENTS.pop()
    if not _MOCKMESH_CLIENTS:
        mockmesh.disable()
