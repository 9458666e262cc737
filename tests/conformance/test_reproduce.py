"""Reproducers of malformed bodies send exactly the recorded bytes, and nothing a person
reads (the exchange, the curl command, the snippet) carries a raw control character."""

from __future__ import annotations

import http.server
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.endpoint.client import EndpointClient, dummy_credentials
from conformance.endpoint.exchange import Exchange
from conformance.endpoint.json_forms import bytes_form
from conformance.endpoint.reproduce import BODY_FILE, as_boto3_sends
from conformance.invariants.registry import InvariantFailure

OPERATION = "RequestPhoneNumber"
BODIES = [b"\x00", b"{", b"\xff\xfe", b'{"IsoCountryCode": "U\x1b[2JS\r",}', b"'%s\\\x7f\x85"]


class _Recorder(http.server.BaseHTTPRequestHandler):
    received: list[dict[str, Any]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        answer = b'{"__type": "SerializationException", "message": "bad"}'
        self.send_response(400)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("x-amzn-RequestId", "r-1")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []
    handler = type("Handler", (_Recorder,), {"received": received})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


def _failure(url: str, body: bytes) -> InvariantFailure:
    client = EndpointClient(url, "eu-west-2", dummy_credentials())
    try:
        outcome = client.call_raw(OPERATION, body)
    finally:
        client.close()
    # as PROTO-MALFORMED reports it: the input is the body's text
    return InvariantFailure(
        "PROTO-MALFORMED", "x", body.decode("utf-8", "replace"), outcome.exchange
    )


def _raw_controls(text: str) -> set[str]:
    return {c for c in text if not c.isprintable() and c not in "\n"}


@pytest.mark.parametrize("body", BODIES)
def test_the_python_reproducer_sends_exactly_the_malformed_bytes(
    recorder: tuple[str, list[dict[str, Any]]], body: bytes, tmp_path: Path
) -> None:
    url, received = recorder
    failure = _failure(url, body)
    snippet = failure.reproducer()["boto3"]
    assert not _raw_controls(snippet), snippet
    received.clear()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="AKIDREPRODUCER", AWS_SECRET_ACCESS_KEY="s")
    ran = subprocess.run(
        [sys.executable, "-c", snippet], capture_output=True, text=True, env=env, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("400 ")
    [got] = received
    assert got["body"] == body
    assert got["path"] == "/"
    assert got["headers"]["X-Amz-Target"] == f"PinpointSMSVoiceV2.{OPERATION}"
    assert got["headers"]["Content-Type"] == "application/x-amz-json-1.0"
    auth = got["headers"]["Authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDREPRODUCER/")
    assert "/eu-west-2/sms-voice/aws4_request" in auth


@pytest.mark.parametrize("body", BODIES)
def test_the_curl_command_writes_the_bytes_and_shows_no_control_character(
    recorder: tuple[str, list[dict[str, Any]]], body: bytes, tmp_path: Path
) -> None:
    url, _ = recorder
    failure = _failure(url, body)
    command = failure.reproducer()["http"]
    assert not _raw_controls(command), command
    if body == b"{":  # printable text: inline
        words = shlex.split(command.replace("\\\n", " "))
        assert words[words.index("--data-binary") + 1] == "{"
    else:  # written by printf (octal escapes) to a file, sent from it
        assert command.endswith(f"--data-binary @{BODY_FILE}")
        write, _, curl = command.partition("\n")
        assert write.startswith("printf '") and curl.startswith("curl ")
        if shutil.which("sh"):
            subprocess.run(["sh", "-c", write], cwd=tmp_path, check=True, timeout=30)
            assert (tmp_path / BODY_FILE).read_bytes() == body
    shown = failure.exchange.describe() if failure.exchange else ""
    assert not _raw_controls(shown.replace("\t", "")), shown
    # the exchange and the command as the failure message shows them (its Input section
    # is invariants.py's JSON, which leaves DEL and C1 characters as they are)
    rendered = str(failure).partition("\n\nExchange:\n")[2]
    assert rendered and not _raw_controls(rendered.replace("\t", "")), rendered
    assert failure.exchange is not None
    assert failure.exchange.to_dict()["request"]["body"] == bytes_form(body)


def test_printable_json_keeps_the_boto3_snippet_and_inline_curl(
    recorder: tuple[str, list[dict[str, Any]]],
) -> None:
    url, _ = recorder
    client = EndpointClient(url, "us-east-1", dummy_credentials())
    try:
        outcome = client.call(OPERATION, {"IsoCountryCode": "US\x00"})
    finally:
        client.close()
    params = {"IsoCountryCode": "US\x00"}
    assert as_boto3_sends(outcome.exchange, params)
    failure = InvariantFailure("RPN-ECHO", "x", params, outcome.exchange)
    reproducer = failure.reproducer()
    assert "boto3.client(" in reproducer["boto3"] and not _raw_controls(reproducer["boto3"])
    assert "--data-binary '{" in reproducer["http"]
    assert json.loads(outcome.exchange.request_body)["IsoCountryCode"] == "US\x00"


def test_bodies_that_are_not_utf8_are_the_marked_base64_form() -> None:
    exchange = Exchange.record(
        operation=OPERATION,
        url="http://127.0.0.1:1/",
        request_headers={},
        request_body=b"\xff\xfe",
        status=400,
        response_headers={},
        response_body=b"\x80",
    )
    as_dict = exchange.to_dict()
    assert as_dict["request"]["body"] == {"base64": "//4="}
    assert as_dict["response"]["body"] == {"base64": "gA=="}
    assert "\\xff\\xfe" in exchange.describe() and "\\x80" in exchange.describe()
