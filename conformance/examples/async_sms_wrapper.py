"""An asyncio wrapper over aiobotocore, driven by the suite (needs the ``async`` extra).

    pytest --pyargs conformance --client-factory conformance.examples.async_sms_wrapper:make_client

The factory is a coroutine and so are the wrapper's methods: the suite runs them on a
private event loop. It asks for ``aio_session`` (an aiobotocore session carrying the
suite's capture handlers and dummy credentials) instead of ``session``.
"""

from __future__ import annotations

from typing import Any

SERVICE = "pinpoint-sms-voice-v2"


class AsyncSmsNumbers:
    def __init__(self, context: Any, client: Any) -> None:
        self._context = context  # aiobotocore clients are async context managers
        self._client = client

    async def request_phone_number(self, **kwargs: Any) -> dict[str, Any]:
        return dict(await self._client.request_phone_number(**kwargs))

    async def describe_phone_numbers(self, **kwargs: Any) -> dict[str, Any]:
        return dict(await self._client.describe_phone_numbers(**kwargs))

    async def list_tags_for_resource(self, **kwargs: Any) -> dict[str, Any]:
        return dict(await self._client.list_tags_for_resource(**kwargs))

    async def update_phone_number(self, **kwargs: Any) -> dict[str, Any]:
        return dict(await self._client.update_phone_number(**kwargs))

    async def release_phone_number(self, **kwargs: Any) -> dict[str, Any]:
        return dict(await self._client.release_phone_number(**kwargs))

    async def close(self) -> None:
        await self._context.__aexit__(None, None, None)


async def make_client(*, endpoint_url: str, region_name: str, aio_session: Any) -> AsyncSmsNumbers:
    context = aio_session.create_client(SERVICE, endpoint_url=endpoint_url, region_name=region_name)
    client = await context.__aenter__()
    return AsyncSmsNumbers(context, client)
