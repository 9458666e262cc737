"""Wrappers with planted bugs, to show what the suite catches in an SDK wrapper.

    pytest --pyargs conformance --client-factory conformance.examples.buggy_wrappers:tag_dropping
    pytest --pyargs conformance \
        --client-factory conformance.examples.buggy_wrappers:error_swallowing
    pytest --pyargs conformance \
        --client-factory conformance.examples.buggy_wrappers:session_ignoring
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

from .sms_wrapper import SERVICE, SmsNumbers


class TagDropping(SmsNumbers):
    """Forgets the caller's Tags (a refactoring left them out): caught by LIFECYCLE,
    which lists the new number's tags."""

    def request_phone_number(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.pop("Tags", None)
        return super().request_phone_number(**kwargs)


class ErrorSwallowing(SmsNumbers):
    """Logs and swallows service errors, returning None: callers think it worked.
    Caught by RES-NOT-FOUND (a missing pool "succeeds" with None) and every invariant
    that expects an error through the wrapper: the wrapper returned None, not a
    response dict."""

    def request_phone_number(self, **kwargs: Any) -> Any:
        try:
            return super().request_phone_number(**kwargs)
        except ClientError:
            return None

    def release_phone_number(self, **kwargs: Any) -> Any:
        try:
            return super().release_phone_number(**kwargs)
        except ClientError:
            return None


def _client(session: boto3.Session, endpoint_url: str, region_name: str) -> Any:
    return session.client(SERVICE, endpoint_url=endpoint_url, region_name=region_name)


def tag_dropping(*, endpoint_url: str, region_name: str, session: boto3.Session) -> TagDropping:
    return TagDropping(_client(session, endpoint_url, region_name))


def error_swallowing(
    *, endpoint_url: str, region_name: str, session: boto3.Session
) -> ErrorSwallowing:
    return ErrorSwallowing(_client(session, endpoint_url, region_name))


def session_ignoring(*, endpoint_url: str, region_name: str) -> SmsNumbers:
    """A correct wrapper that builds its own client (its own dummy credentials): the
    suite judges what it returns and raises, without raw exchanges."""
    client = boto3.client(
        SERVICE,
        endpoint_url=endpoint_url,
        region_name=region_name,
        aws_access_key_id="AKIDEXAMPLEWRAPPER",
        aws_secret_access_key="example-wrapper-secret",
    )
    return SmsNumbers(client)
