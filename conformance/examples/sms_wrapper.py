"""A small SDK wrapper of the kind teams write around boto3, driven by the suite.

    pytest --pyargs conformance --client-factory conformance.examples.sms_wrapper:make_client

The factory builds its boto3 client from the ``session`` the suite hands it, so the
suite keeps the raw HTTP exchanges of every call; a wrapper that built its client some
other way would still be judged, on what it returns and raises, without them.
"""

from __future__ import annotations

from typing import Any, Final

import boto3

SERVICE: Final = "pinpoint-sms-voice-v2"


class SmsNumbers:
    """Phone numbers of End User Messaging SMS, with a team's house conventions:
    every number is tagged with its owning team unless the caller tags it."""

    def __init__(self, client: Any, team: str | None = None) -> None:
        self._client = client
        self.team = team

    # boto3-style operations: keyword arguments in, parsed response out, ClientError raised
    def request_phone_number(self, **kwargs: Any) -> dict[str, Any]:
        if self.team and not kwargs.get("Tags"):
            kwargs["Tags"] = [{"Key": "team", "Value": self.team}]
        return dict(self._client.request_phone_number(**kwargs))

    def describe_phone_numbers(self, **kwargs: Any) -> dict[str, Any]:
        return dict(self._client.describe_phone_numbers(**kwargs))

    def list_tags_for_resource(self, **kwargs: Any) -> dict[str, Any]:
        return dict(self._client.list_tags_for_resource(**kwargs))

    def update_phone_number(self, **kwargs: Any) -> dict[str, Any]:
        return dict(self._client.update_phone_number(**kwargs))

    def release_phone_number(self, **kwargs: Any) -> dict[str, Any]:
        return dict(self._client.release_phone_number(**kwargs))

    # the wrapper's own conveniences
    def simulator_number(self, capabilities: tuple[str, ...] = ("SMS",)) -> str:
        """Lease a US simulator number (free, for tests); returns its id."""
        created = self.request_phone_number(
            IsoCountryCode="US",
            MessageType="TRANSACTIONAL",
            NumberType="SIMULATOR",
            NumberCapabilities=list(capabilities),
        )
        return str(created["PhoneNumberId"])

    def close(self) -> None:
        self._client.close()


def make_client(*, endpoint_url: str, region_name: str, session: boto3.Session) -> SmsNumbers:
    """The suite's entry point
    (``--client-factory conformance.examples.sms_wrapper:make_client``)."""
    return SmsNumbers(session.client(SERVICE, endpoint_url=endpoint_url, region_name=region_name))
