"""Helpers for driving the reference endpoint with boto3 and raw HTTP.

Every boto3 client made here checks every answer it gets (see ``_check_answer``): the
awsJson headers, a uuid request id, a body that is a JSON object, an error ``__type``
on 4xx/5xx, and, on success, a body that satisfies the operation's output shape.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conformance.reference import ReferenceServer, ReferenceService
from conformance.reference import model as reference_model
from conformance.reference.service import DEFAULT_SETTLE_S
from conformance.reference.validation import violations

SERVICE = "pinpoint-sms-voice-v2"
TARGET = "PinpointSMSVoiceV2"
SIMULATOR = {
    "IsoCountryCode": "US",
    "MessageType": "TRANSACTIONAL",
    "NumberCapabilities": ["SMS"],
    "NumberType": "SIMULATOR",
}
SETTLE = DEFAULT_SETTLE_S
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_SESSION = boto3.Session()


def make_client(
    url: str, *, key: str = "testing", region: str = "us-east-1", validate: bool = True
) -> Any:
    """A boto3 client with dummy credentials, no retries, and answer checking."""
    client = _SESSION.client(
        SERVICE,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key="testing",
        endpoint_url=url,
        config=Config(retries={"total_max_attempts": 1}, parameter_validation=validate),
    )
    client.meta.events.register("after-call", _check_answer)
    return client


def _check_answer(http_response: Any, model: Any, **_: Any) -> None:
    check_raw_answer(
        http_response.status_code, http_response.headers, http_response.content, model.name
    )


def check_raw_answer(
    status: int, headers: Any, content: bytes, operation: str | None
) -> dict[str, Any]:
    """Assert the invariants of every answer; returns the decoded body."""
    assert headers["Content-Type"] == "application/x-amz-json-1.0"
    assert UUID.match(headers["x-amzn-RequestId"]), headers["x-amzn-RequestId"]
    body = json.loads(content)
    assert isinstance(body, dict)
    assert status < 500 or body.get("__type") == "InternalServerException"
    if status >= 400:
        assert isinstance(body.get("__type"), str) and isinstance(body.get("Message"), str)
    elif operation is not None:
        shape = reference_model.operation(operation).output_shape
        assert shape is not None
        assert violations(shape, body) == [], body
    return body


class FakeClock:
    """Epoch seconds that move only when a test says so: ``clock.advance(0.1)``."""

    def __init__(self, start: float = 1_700_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def serve(**service_kwargs: Any) -> ReferenceServer:
    """A started server around ``ReferenceService(**service_kwargs)``; use as a context."""
    return ReferenceServer(service=ReferenceService(**service_kwargs))


def error(exc: pytest.ExceptionInfo[ClientError]) -> dict[str, Any]:
    """The parsed error: Code, HTTP status and the modelled members boto3 surfaces."""
    response = dict(exc.value.response)
    return {
        "Code": response["Error"]["Code"],
        "Status": response["ResponseMetadata"]["HTTPStatusCode"],
        **{k: v for k, v in response.items() if k not in ("Error", "ResponseMetadata")},
    }


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    raw: bytes

    @property
    def body(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.raw)
        return value


def call(
    url: str,
    operation: str | None,
    body: bytes | dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
    sign: bool = True,
    key: str = "testing",
    region: str = "us-east-1",
    method: str = "POST",
    target: str | None = None,
    check: bool = True,
) -> Answer:
    """One raw HTTP request (SigV4-signed with botocore unless ``sign=False``).

    With ``check`` the answer must pass :func:`check_raw_answer`.
    """
    data = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
    all_headers = {"Content-Type": "application/x-amz-json-1.0"}
    if target is not None or operation is not None:
        all_headers["X-Amz-Target"] = target if target is not None else f"{TARGET}.{operation}"
    all_headers.update(headers or {})
    if sign:
        request = AWSRequest(method=method, url=url + "/", data=data, headers=all_headers)
        SigV4Auth(Credentials(key, "testing"), "sms-voice", region).add_auth(request)
        all_headers = dict(request.headers.items())
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, "/", body=data, headers=all_headers)
        response = connection.getresponse()
        answer = Answer(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()
    if check:
        operation_checked = operation if answer.status == 200 else None
        check_raw_answer(answer.status, answer.headers, answer.raw, operation_checked)
    return answer


def send_raw(url: str, data: bytes, *, half_close: bool = False, timeout: float = 10.0) -> bytes:
    """Send raw bytes on a new connection; read until the server closes it."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def parse_responses(data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Split a byte stream into HTTP responses (Content-Length framed)."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        assert sep, f"incomplete response head: {data[:200]!r}"
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
        }
        length = int(headers["content-length"])
        out.append((status, headers, rest[:length]))
        data = rest[length:]
    return out


def new_token() -> str:
    return str(uuid.uuid4())
