"""The awsJson1_0 protocol over raw HTTP: targets, bodies, headers, framing, accounts."""

from __future__ import annotations

import http.client
import json
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest

from conformance.reference import ReferenceServer

from .helpers import SIMULATOR, TARGET, UUID, call, make_client, parse_responses, send_raw


def head(url: str, body: bytes, headers: str) -> bytes:
    host = urlsplit(url).netloc
    return f"POST / HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n".encode() + body


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "PinpointSMSVoiceV2.NoSuchThing",
        "PinpointSMSVoiceV2.SendTextMessage",
        "Other.RequestPhoneNumber",
        "PinpointSMSVoiceV2.",
        "pinpointsmsvoicev2.RequestPhoneNumber",
    ],
)
def test_unknown_or_missing_target(server: ReferenceServer, target: str | None) -> None:
    headers = {} if target is None else {"X-Amz-Target": target}
    answer = call(server.url, None, SIMULATOR, headers=headers)
    assert answer.status == 400
    assert answer.body["__type"] == "UnknownOperationException"


def test_unknown_target_wins_over_a_bad_body(server: ReferenceServer) -> None:
    answer = call(server.url, None, b"{not json", target=f"{TARGET}.Nope")
    assert (answer.status, answer.body["__type"]) == (400, "UnknownOperationException")


def test_non_post_is_a_client_error(server: ReferenceServer) -> None:
    answer = call(server.url, "DescribePools", b"", method="GET")
    assert answer.status == 400


def test_empty_body_means_empty_object(server: ReferenceServer) -> None:
    listed = call(server.url, "DescribeOptOutLists", b"")
    assert listed.status == 200
    assert [o["OptOutListName"] for o in listed.body["OptOutLists"]] == ["Default"]
    refused = call(server.url, "RequestPhoneNumber", b"")
    assert refused.body["__type"] == "ValidationException"
    assert {f["Name"] for f in refused.body["Fields"]} == {
        "IsoCountryCode",
        "MessageType",
        "NumberCapabilities",
        "NumberType",
    }


def test_content_type_parameters_are_accepted(server: ReferenceServer) -> None:
    for content_type in ("application/x-amz-json-1.0; charset=utf-8", "application/json"):
        answer = call(
            server.url, "RequestPhoneNumber", SIMULATOR, headers={"Content-Type": content_type}
        )
        assert answer.status == 200


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[]",
        b'"text"',
        b"42",
        b"null",
        b"true",
        b'{"a":NaN}',
        b'{"a":Infinity}',
        b"\xff\xfe{}",
        b'{"IsoCountryCode":"\xe9"}',
        b"\xef\xbb\xbf{}",
        b"{} {}",
        b'{"a":' + b"1" * 5000 + b"}",
        b"[" * 100_000,
        b'{"a":' * 50_000,
    ],
)
def test_malformed_bodies_are_client_errors(server: ReferenceServer, body: bytes) -> None:
    answer = call(server.url, "RequestPhoneNumber", body)
    assert answer.status == 400
    assert answer.body["__type"] in ("SerializationException", "ValidationException")


def test_every_answer_has_json_type_and_request_id(server: ReferenceServer) -> None:
    ids = set()
    for operation, body in [
        ("DescribePools", {}),
        ("DeletePool", {"PoolId": "pool-x"}),
        ("RequestPhoneNumber", b"{"),
        (None, {}),
    ]:
        answer = call(server.url, operation, body)
        ids.add(answer.headers["x-amzn-RequestId"])
    assert len(ids) == 4


def test_oversized_body_is_refused_before_it_is_read(server: ReferenceServer) -> None:
    size = 10 * server.max_body_bytes
    headers = f"X-Amz-Target: {TARGET}.DescribePools\r\nContent-Length: {size}\r\n"
    reply = send_raw(server.url, head(server.url, b"{}", headers), timeout=5)
    [(status, _, body)] = parse_responses(reply)
    assert status == 400
    assert json.loads(body)["Reason"] == "MAXIMUM_SIZE_EXCEEDED"


def test_oversized_body_that_is_sent_anyway_gets_an_answer(server: ReferenceServer) -> None:
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    body = b"{" + b" " * (server.max_body_bytes + 10) + b"}"
    connection.request("POST", "/", body, {"X-Amz-Target": f"{TARGET}.DescribePools"})
    response = connection.getresponse()
    assert response.status == 400
    assert json.loads(response.read())["__type"] == "ValidationException"
    connection.close()


@pytest.mark.parametrize(
    "length", ["abc", "-1", "1.5", "", "0x10", "99999999999999999999999", "3, 4", "+2"]
)
def test_invalid_content_length(server: ReferenceServer, length: str) -> None:
    headers = f"X-Amz-Target: {TARGET}.DescribePools\r\nContent-Length: {length}\r\n"
    [(status, headers_out, body)] = parse_responses(
        send_raw(server.url, head(server.url, b"{}", headers))
    )
    assert status == 400 and headers_out["connection"] == "close"
    assert json.loads(body)["__type"] == "SerializationException"


def test_missing_content_length_means_no_body(server: ReferenceServer) -> None:
    headers = f"X-Amz-Target: {TARGET}.DescribeOptOutLists\r\nConnection: close\r\n"
    [(status, _, body)] = parse_responses(send_raw(server.url, head(server.url, b"", headers)))
    assert status == 200 and json.loads(body)["OptOutLists"]


def test_body_shorter_than_announced(server: ReferenceServer) -> None:
    headers = f"X-Amz-Target: {TARGET}.DescribePools\r\nContent-Length: 100\r\n"
    reply = send_raw(server.url, head(server.url, b"{}", headers), half_close=True)
    [(status, _, body)] = parse_responses(reply)
    assert status == 400 and json.loads(body)["__type"] == "SerializationException"


def test_stalled_body_times_out_with_an_answer() -> None:
    with ReferenceServer(timeout=0.5) as server:
        headers = f"X-Amz-Target: {TARGET}.DescribePools\r\nContent-Length: 100\r\n"
        reply = send_raw(server.url, head(server.url, b"{}", headers), timeout=10)
        [(status, _, _)] = parse_responses(reply)
        assert status == 400


def test_chunked_bodies_are_refused(server: ReferenceServer) -> None:
    headers = f"X-Amz-Target: {TARGET}.DescribePools\r\nTransfer-Encoding: chunked\r\n"
    reply = send_raw(server.url, head(server.url, b"2\r\n{}\r\n0\r\n\r\n", headers))
    [(status, _, body)] = parse_responses(reply)
    assert status == 400 and json.loads(body)["__type"] == "SerializationException"


@pytest.mark.parametrize(
    "data",
    [
        b"GARBAGE\r\n\r\n",
        b"POST /\r\n\r\n",
        b"POST / HTTP/2.0\r\n\r\n",
        b"POST / HTTP/1.1\r\nBad Header\r\n\r\n",
        b"POST / HTTP/1.1\r\n :x\r\n\r\n",
        b"POST / HTTP/1.1\r\n" + b"X-A: b\r\n" * 200 + b"\r\n",
        b"POST /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
        b"POST / HTTP/1.1\r\nX: " + b"v" * 70_000 + b"\r\n\r\n",
    ],
)
def test_malformed_http_gets_a_json_400(server: ReferenceServer, data: bytes) -> None:
    [(status, headers, body)] = parse_responses(send_raw(server.url, data, half_close=True))
    assert status == 400
    assert headers["content-type"] == "application/x-amz-json-1.0"
    assert UUID.match(headers["x-amzn-requestid"])
    assert json.loads(body)["__type"] == "SerializationException"


def test_keep_alive_serves_many_requests_on_one_connection(server: ReferenceServer) -> None:
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    for _ in range(5):
        connection.request("POST", "/", b"{}", {"X-Amz-Target": f"{TARGET}.DescribePools"})
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Connection") == "keep-alive"
        response.read()
    [server_side] = server._server.connections  # the one open connection, server end
    assert server_side.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    connection.close()


def test_pipelined_requests_are_answered_in_order(server: ReferenceServer) -> None:
    one = head(server.url, b"{}", f"X-Amz-Target: {TARGET}.DescribePools\r\nContent-Length: 2\r\n")
    last = head(
        server.url,
        b"{",
        f"X-Amz-Target: {TARGET}.DescribePools\r\nContent-Length: 1\r\nConnection: close\r\n",
    )
    answers = parse_responses(send_raw(server.url, one + one + last))
    assert [status for status, _, _ in answers] == [200, 200, 400]


def test_http_1_0_closes_unless_asked(server: ReferenceServer) -> None:
    data = (
        f"POST / HTTP/1.0\r\nX-Amz-Target: {TARGET}.DescribePools\r\nContent-Length: 2\r\n\r\n{{}}"
    ).encode()
    [(status, headers, _)] = parse_responses(send_raw(server.url, data))
    assert status == 200 and headers["connection"] == "close"


def test_expect_100_continue(server: ReferenceServer) -> None:
    headers = (
        f"X-Amz-Target: {TARGET}.DescribePools\r\nContent-Length: 2\r\n"
        "Expect: 100-continue\r\nConnection: close\r\n"
    )
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(head(server.url, b"", headers))
        interim = sock.recv(1024)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(b"{}")
        rest = interim[len(b"HTTP/1.1 100 Continue\r\n\r\n") :]
        while chunk := sock.recv(65536):
            rest += chunk
    [(status, _, _)] = parse_responses(rest)
    assert status == 200


def test_account_comes_from_the_access_key(server: ReferenceServer) -> None:
    alice = make_client(server.url, key="111111111111")
    bob = make_client(server.url, key="222222222222")
    made = alice.request_phone_number(**SIMULATOR)
    assert made["PhoneNumberArn"].split(":")[4] == "111111111111"
    assert bob.describe_phone_numbers()["PhoneNumbers"] == []
    with pytest.raises(bob.exceptions.ResourceNotFoundException):
        bob.describe_phone_numbers(PhoneNumberIds=[made["PhoneNumberArn"]])
    assert len(alice.describe_phone_numbers()["PhoneNumbers"]) == 1


def test_other_keys_map_to_stable_accounts(server: ReferenceServer) -> None:
    first = make_client(server.url).request_phone_number(**SIMULATOR)["PhoneNumberArn"]
    again = make_client(server.url).request_phone_number(**SIMULATOR)["PhoneNumberArn"]
    other = make_client(server.url, key="AKIDOTHER").request_phone_number(**SIMULATOR)[
        "PhoneNumberArn"
    ]
    account = first.split(":")[4]
    assert len(account) == 12 and account.isdigit()
    assert again.split(":")[4] == account != other.split(":")[4]


def test_region_comes_from_the_credential_scope(server: ReferenceServer) -> None:
    west = make_client(server.url, region="eu-west-1")
    made = west.request_phone_number(**SIMULATOR)
    assert made["PhoneNumberArn"].startswith("arn:aws:sms-voice:eu-west-1:")
    east = make_client(server.url)
    assert east.describe_phone_numbers()["PhoneNumbers"] == []


def test_unsigned_requests_use_the_default_account(server: ReferenceServer) -> None:
    made = call(server.url, "RequestPhoneNumber", SIMULATOR, sign=False)
    assert made.status == 200
    listed = call(server.url, "DescribePhoneNumbers", {}, sign=False)
    assert [n["PhoneNumberId"] for n in listed.body["PhoneNumbers"]] == [made.body["PhoneNumberId"]]
    assert make_client(server.url).describe_phone_numbers()["PhoneNumbers"] == []


def test_timestamps_are_epoch_seconds_numbers(server: ReferenceServer) -> None:
    body: Any = call(server.url, "RequestPhoneNumber", SIMULATOR).body
    assert isinstance(body["CreatedTimestamp"], (int, float))
    assert not isinstance(body["CreatedTimestamp"], bool)
    assert 1.6e9 < body["CreatedTimestamp"] < 4e9
