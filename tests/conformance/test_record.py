"""``--record DIR`` and ``--replay DIR``: against the reference and a seeded-bug variant."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conformance import catalog
from conformance.endpoint.client import Outcome, Sent
from conformance.endpoint.exchange import Exchange
from conformance.modes.parity import normalise
from conformance.modes.recording import outcome_of, sent_of, to_entry
from conformance.reference import ReferenceServer, Reply
from conformance.report.document import validate_report

from .test_parity import _not_found_is_validation
from .test_suite_end_to_end import run_suite

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


# The model-level tier on two operations: one the reference serves, one it does not.
TIER_OPERATIONS = ("DescribePools", "SendTextMessage")


def _record(pytester: pytest.Pytester, directory: Path, *args: str) -> None:
    result, _ = run_suite(pytester, "--record", str(directory), "--hypothesis-seed=7", *args)
    assert result.ret == 0, result.stdout.str()[-3000:]


def test_an_entry_round_trips_without_secrets() -> None:
    exchange = Exchange.record(
        operation="RequestPhoneNumber",
        url="http://127.0.0.1:4566/",
        request_headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "PinpointSMSVoiceV2.RequestPhoneNumber",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x, Signature=abc123",
            "X-Amz-Date": "20260101T000000Z",
            "X-Amz-Security-Token": "token",
        },
        request_body=b"\xff not json",
        status=400,
        response_headers={"Content-Type": "application/x-amz-json-1.0", "Date": "today"},
        response_body=b'{"__type": "ValidationException", "Message": "no"}',
    )
    sent = Sent("RequestPhoneNumber", b"\xff not json", raw=True)
    entry = json.loads(json.dumps(to_entry(sent, Outcome(exchange))))
    text = json.dumps(entry)
    for secret in ("Authorization", "AKIDEXAMPLE", "Signature", "token", "127.0.0.1", "today"):
        assert secret not in text
    assert sent_of(entry) == sent
    again = outcome_of(entry)
    assert (again.status, again.error_code) == (400, "ValidationException")
    assert again.exchange.request_body == b"\xff not json"


def test_arn_accounts_are_replaced_in_requests_and_answers_alike() -> None:
    arn = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1"
    exchange = Exchange.record(
        operation="ListTagsForResource",
        url="https://sms-voice.us-east-1.amazonaws.com/",
        request_headers={},
        request_body=json.dumps({"ResourceArn": arn}).encode(),
        status=200,
        response_headers={},
        response_body=json.dumps({"ResourceArn": arn, "Tags": []}).encode(),
    )
    entry = to_entry(Sent("ListTagsForResource", {"ResourceArn": arn}), Outcome(exchange))
    assert "123456789012" not in json.dumps(entry)
    recorded = arn.replace("123456789012", "000000000000")
    assert sent_of(entry).params == {"ResourceArn": recorded}
    assert outcome_of(entry).body == {"ResourceArn": recorded, "Tags": []}


def test_a_recording_replays_against_the_reference_without_difference(
    pytester: pytest.Pytester,
) -> None:
    recorded = pytester.path / "recorded"
    _record(pytester, recorded, "--operations", f"^({'|'.join(TIER_OPERATIONS)})$")
    files = sorted(p.stem for p in recorded.glob("*.json"))
    deep = {i for i in catalog.invariants() if not i.startswith("OPS-")}
    tier = {f"{i}.{TIER_OPERATIONS[0]}" for i in set(catalog.invariants()) - deep}
    # one file per invariant, named by its id; the tier's, one per operation it ran on
    # too (an operation not implemented is not run, and leaves nothing to replay)
    assert files == sorted(deep | tier)
    for path in recorded.glob("*.json"):
        text = path.read_text()
        stable = json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False)
        assert text == stable + "\n"
        assert "Authorization" not in text and "conformance-dummy" not in text
    lifecycle = json.loads((recorded / "LIFECYCLE.json").read_text())
    operations = {c["sent"]["operation"] for c in lifecycle["calls"]}
    assert {"RequestPhoneNumber", "DescribePhoneNumbers", "ReleasePhoneNumber"} <= operations

    result, report = run_suite(pytester, "--replay", str(recorded))
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert "differences" not in report
    calls = sum(len(json.loads(p.read_text())["calls"]) for p in recorded.glob("*.json"))
    assert report["stats"]["requests"] >= calls
    assert (report["replay"]["calls"], report["replay"]["differing_calls"]) == (calls, 0)
    validate_report(report)
    result.stdout.fnmatch_lines(["*replay of * against reference", "*verdict: REPLAY MATCHES*"])


def test_a_recording_replayed_against_a_variant_reports_its_differences(
    pytester: pytest.Pytester,
) -> None:
    recorded = pytester.path / "recorded"
    _record(pytester, recorded, "-k", "missing or simulator")
    with ReferenceServer(hooks=[_not_found_is_validation]) as variant:
        result, report = run_suite(pytester, "--replay", str(recorded), "--endpoint", variant.url)
    assert result.ret == 1
    kinds = {(d["kind"], d["detail"]) for d in report["differences"]}
    assert kinds == {("error-code", "ValidationException vs ResourceNotFoundException")}
    entry = report["differences"][0]
    assert entry["exchanges"]["target"]["request"]["url"].startswith(variant.url)
    assert entry["exchanges"]["other"]["request"]["url"] == "/"  # the recording
    validate_report(report)
    result.stdout.fnmatch_lines(["*FAILED*test_replay[[]RES-NOT-FOUND[]]*"])


def test_the_same_seed_records_the_same_requests(pytester: pytest.Pytester) -> None:
    """Up to the ids the endpoint generated (a later call names the number it got) and
    the uuid4s some properties add to their ClientTokens."""
    first, second = pytester.path / "first", pytester.path / "second"
    for directory in (first, second):
        _record(pytester, directory, "-k", "SCHEMA or test_content_type")

    def sent(directory: Path) -> dict[str, list[Any]]:
        return {
            p.name: [
                normalise(json.loads(UUID4.sub("<uuid4>", json.dumps(c["sent"]))), set())
                for c in json.loads(p.read_text())["calls"]
            ]
            for p in sorted(directory.glob("*.json"))
        }

    assert sent(first) == sent(second)
    assert set(sent(first)) == {"RPN-SCHEMA.json", "ERR-BODY.json", "PROTO-CONTENT-TYPE.json"}


def test_replay_keeps_the_numbers_it_creates_released(pytester: pytest.Pytester) -> None:
    recorded = pytester.path / "recorded"
    _record(pytester, recorded, "-k", "lifecycle")
    held: dict[str, bool] = {}

    def spy(reply: Reply) -> Reply:
        if reply.status == 200 and reply.operation == "RequestPhoneNumber":
            held[reply.body["PhoneNumberId"]] = True
        if reply.status == 200 and reply.operation == "ReleasePhoneNumber":
            held[reply.body["PhoneNumberId"]] = False
        return reply

    with ReferenceServer(hooks=[spy]) as server:
        result, _ = run_suite(pytester, "--replay", str(recorded), "--endpoint", server.url)
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert held and not any(held.values())


def test_record_and_replay_are_checked_before_running(pytester: pytest.Pytester) -> None:
    result, _ = run_suite(pytester, "--record", "a", "--replay", "b")
    assert result.ret == 4 and "one at a time" in result.stderr.str()
    result, _ = run_suite(pytester, "--record", "a", "-n", "2")
    assert result.ret == 4 and "run without -n" in result.stderr.str()
    (pytester.path / "empty").mkdir()
    result, _ = run_suite(pytester, "--replay", str(pytester.path / "empty"))
    assert result.ret == 4 and "no recording found" in result.stderr.str()
