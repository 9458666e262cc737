"""Thousands of malformed requests: never a 5xx, never a crash, never a hang.

Every request must be answered within a timeout with a 4xx (or 200 when the garbage
happens to be valid), or, for broken HTTP framing, with a 400 or a clean close; and the
server must still serve a valid request afterwards.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.reference import Quotas, ReferenceServer, ReferenceService, model

from .helpers import SIMULATOR, TARGET, check_raw_answer, make_client, parse_responses

pytestmark = pytest.mark.slow
TIMEOUT = 10.0
OPERATIONS = sorted(ReferenceService().operations)
FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    service = ReferenceService(quotas=Quotas(phone_numbers=10**6))
    with ReferenceServer(service=service, timeout=2.0) as srv:
        yield srv
    assert threading.active_count() < 50


class Connection:
    """A keep-alive client connection that reconnects after the server closes it."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.http: http.client.HTTPConnection | None = None

    def post(self, target: str | None, body: bytes, headers: dict[str, str] | None = None) -> Any:
        all_headers = {"Content-Type": "application/x-amz-json-1.0", **(headers or {})}
        if target is not None:
            all_headers["X-Amz-Target"] = target
        reused = self.http is not None
        try:
            response = self._send(body, all_headers)
        except (http.client.RemoteDisconnected, ConnectionError):
            if not reused:
                raise
            self.http = None  # the server closed an idle keep-alive connection: allowed
            response = self._send(body, all_headers)
        raw = response.read()
        if response.getheader("Connection") == "close":
            self.http.close()
            self.http = None
        assert 200 <= response.status < 500, (response.status, raw[:300])
        headers_out = {k: v for k, v in response.getheaders()}
        return check_raw_answer(response.status, headers_out, raw, None)

    def _send(self, body: bytes, headers: dict[str, str]) -> http.client.HTTPResponse:
        if self.http is None:
            self.http = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        self.http.request("POST", "/", body, headers)
        return self.http.getresponse()


@pytest.fixture(scope="module")
def conn(server: ReferenceServer) -> Connection:
    return Connection(server.url)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def member_values(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    """Any JSON in every member of the operation's input: mostly wrong types."""
    shape = model.operation(operation).input_shape
    assert shape is not None
    return st.fixed_dictionaries({}, optional={name: JSON for name in shape.members})


@FUZZ
@given(st.sampled_from(OPERATIONS), st.data())
def test_wrong_types_in_every_member(conn: Connection, operation: str, data: st.DataObject) -> None:
    body = data.draw(member_values(operation))
    answer = conn.post(f"{TARGET}.{operation}", json.dumps(body).encode())
    assert "__type" not in answer or answer["__type"] != "InternalServerException"


@FUZZ
@given(st.sampled_from(OPERATIONS), st.binary(max_size=300))
def test_garbage_bodies(conn: Connection, operation: str, body: bytes) -> None:
    conn.post(f"{TARGET}.{operation}", body)


@FUZZ
@given(
    st.one_of(st.none(), st.text(max_size=60).map(lambda t: t.encode("utf-8").decode("latin-1")))
)
def test_garbage_targets(conn: Connection, target: str | None) -> None:
    if target is not None and any(c in target for c in "\r\n\x00"):
        target = target.replace("\r", "").replace("\n", "").replace("\x00", "")
    answer = conn.post(target, json.dumps(SIMULATOR).encode())
    if target != f"{TARGET}.RequestPhoneNumber":
        assert answer.get("__type") in ("UnknownOperationException",), answer


@FUZZ
@given(st.binary(max_size=400))
def test_garbage_http(server: ReferenceServer, data: bytes) -> None:
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    reply = b"".join(chunks)
    if reply:
        for status, headers, body in parse_responses(reply):
            assert 200 <= status < 500
            check_raw_answer(
                status,
                {
                    "Content-Type": headers["content-type"],
                    "x-amzn-RequestId": headers["x-amzn-requestid"],
                },
                body,
                None,
            )


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "Content-Length",
                "Content-Type",
                "Authorization",
                "Connection",
                "Transfer-Encoding",
                "Expect",
                "X-Amz-Date",
                "Host",
            ]
        ),
        st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=80),
        max_size=4,
    )
)
def test_garbage_headers(server: ReferenceServer, headers: dict[str, str]) -> None:
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    data = (f"POST / HTTP/1.1\r\nX-Amz-Target: {TARGET}.DescribePools\r\n{lines}\r\n{{}}").encode(
        "latin-1"
    )
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    for status, _, _ in parse_responses(reply) if reply else []:
        assert 200 <= status < 500


def test_thousands_of_mutated_requests(conn: Connection) -> None:
    """A fast seeded loop: valid bodies with one member broken, dropped or retyped."""
    rng = random.Random(1234)
    valid: dict[str, dict[str, Any]] = {
        "RequestPhoneNumber": SIMULATOR,
        "DescribePhoneNumbers": {"MaxResults": 5},
        "CreateOptOutList": {"OptOutListName": "fuzz"},
        "TagResource": {
            "ResourceArn": "arn:aws:sms-voice:us-east-1:1:pool/p",
            "Tags": [{"Key": "k", "Value": "v"}],
        },
    }
    junk: list[Any] = [
        None,
        True,
        -1,
        2**64,
        1e308,
        "",
        "x" * 300,
        "\ud800",
        "\u2028",
        [],
        {},
        [[[]]],
        {"a": {}},
    ]
    statuses = []
    for _ in range(3000):
        operation = rng.choice(list(valid))
        body = dict(valid[operation])
        member = rng.choice([*body, "Unknown"])
        action = rng.random()
        if action < 0.2:
            body.pop(member, None)
        else:
            body[member] = rng.choice(junk)
        raw = json.dumps(body).encode()
        if action > 0.9:
            cut = rng.randrange(len(raw))
            raw = raw[:cut] + bytes([rng.randrange(256)]) + raw[cut + 1 :]
        conn.post(f"{TARGET}.{operation}", raw)
        statuses.append(operation)
    assert len(statuses) == 3000


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"Tags":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"IsoCountryCode":"' + b"A" * 900_000 + b'"}',
        b'{"Tags":[' + b",".join([b'{"Key":"","Value":1}'] * 20_000) + b"]}",
        json.dumps({**SIMULATOR, "Tags": [{"Key": "k" * 100_000, "Value": "v"}]}).encode(),
        b'{"a":"\xc3\x28"}',
        b'{"MaxResults":' + b"9" * 100_000 + b"}",
    ],
    ids=[
        "deep-array",
        "deep-member",
        "huge-string",
        "many-bad-tags",
        "huge-key",
        "bad-utf8",
        "huge-int",
    ],
)
def test_pathological_bodies(conn: Connection, body: bytes) -> None:
    answer = conn.post(f"{TARGET}.RequestPhoneNumber", body)
    assert answer["__type"] in ("SerializationException", "ValidationException")
    assert len(json.dumps(answer)) < 64_000  # error answers stay bounded


def test_still_serving_afterwards(server: ReferenceServer) -> None:
    sms = make_client(server.url)
    made = sms.request_phone_number(**SIMULATOR)
    assert made["PhoneNumberId"].startswith("phone-")
    sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"])
