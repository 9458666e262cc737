"""Parity mode (``--compare-to``): the normaliser, and runs against seeded-bug variants."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conformance.endpoint.client import Outcome
from conformance.endpoint.exchange import Exchange
from conformance.modes.parity import IdMap, compare, normalise
from conformance.reference import ReferenceServer, Reply
from conformance.report.document import validate_report

from .test_suite_end_to_end import run_suite

ARN = "arn:aws:sms-voice:us-east-1:{account}:phone-number/{id}"


def _outcome(status: int, body: Any, code: str | None = None) -> Outcome:
    exchange = Exchange.record(
        operation="RequestPhoneNumber",
        url="http://127.0.0.1:1/",
        request_headers={},
        request_body=b"{}",
        status=status,
        response_headers={"Content-Type": "application/x-amz-json-1.0"},
        response_body=json.dumps(body).encode(),
    )
    return Outcome(exchange, body=body, error_code=code)


def _created(number_id: str, account: str, number: str, **extra: Any) -> dict[str, Any]:
    return {
        "PhoneNumberId": number_id,
        "PhoneNumberArn": ARN.format(account=account, id=number_id),
        "PhoneNumber": number,
        "CreatedTimestamp": 1645568542.0,
        "Status": "PENDING",
        "OptOutListName": "Default",
        **extra,
    }


SENT = {"IsoCountryCode": "US", "MessageType": "TRANSACTIONAL", "NumberType": "SIMULATOR"}


def test_generated_values_are_normalised_and_echoes_kept() -> None:
    body = _created("phone-" + "a" * 32, "111122223333", "+12065550100", PoolId="pool-1")
    assert normalise(body, {"pool-1"}) == {
        "PhoneNumberId": "<id>",
        "PhoneNumberArn": "arn:aws:sms-voice:us-east-1:<account>:phone-number/<id>",
        "PhoneNumber": "<+1 number>",
        "CreatedTimestamp": "<timestamp: float>",
        "Status": "ACTIVE",  # PENDING settles to ACTIVE: two endpoints need not keep pace
        "OptOutListName": "Default",
        "PoolId": "<sent>",
    }
    assert normalise({"__type": "X", "Message": "m", "Reason": "R"}, set()) == {"Reason": "R"}


def test_two_faithful_answers_do_not_differ() -> None:
    mine = _outcome(200, _created("phone-1", "000000000001", "+12065550100"))
    theirs = _outcome(200, _created("phone-2", "123456789012", "+13125550199"))
    assert compare(SENT, mine, theirs) == []


def test_outcome_error_code_status_and_members_differences() -> None:
    ok = _outcome(200, _created("phone-1", "1", "+12065550100"))
    missing = _outcome(400, {"__type": "ResourceNotFoundException"}, "ResourceNotFoundException")
    invalid = _outcome(400, {"__type": "ValidationException"}, "ValidationException")
    missing_404 = _outcome(
        404, {"__type": "ResourceNotFoundException"}, "ResourceNotFoundException"
    )
    other_status = _outcome(200, _created("phone-2", "1", "+12065550100", Status="DELETED"))
    gb_number = _outcome(200, _created("phone-2", "1", "+447700900123"))

    def kinds(a: Outcome, b: Outcome) -> list[tuple[str, str]]:
        return [(d.kind, d.detail) for d in compare(SENT, a, b)]

    assert kinds(ok, missing) == [("outcome", "success vs ResourceNotFoundException")]
    assert kinds(missing, invalid) == [
        ("error-code", "ResourceNotFoundException vs ValidationException")
    ]
    assert kinds(missing, missing_404) == [("status", "ResourceNotFoundException: HTTP 400 vs 404")]
    assert kinds(ok, other_status) == [("member", "Status: 'ACTIVE' vs 'DELETED'")]
    assert kinds(ok, gb_number) == [("member", "PhoneNumber: '<+1 number>' vs '<+44 number>'")]


def test_a_listing_of_the_whole_account_is_compared_by_outcome_only() -> None:
    one = _outcome(200, {"PhoneNumbers": [_created("phone-1", "1", "+12065550100")]})
    two = _outcome(200, {"PhoneNumbers": [_created("phone-1", "1", "+12065550100")] * 2})
    missing = _outcome(400, {"__type": "ResourceNotFoundException"}, "ResourceNotFoundException")
    listing = "DescribePhoneNumbers"
    assert compare({}, one, two, operation=listing) == []  # numbers still settling
    assert [d.kind for d in compare({}, one, missing, operation=listing)] == ["outcome"]
    by_id = {"PhoneNumberIds": ["phone-1"]}
    assert [d.kind for d in compare(by_id, one, two, operation=listing)] == ["member"]
    assert [d.kind for d in compare({}, one, two, operation="RequestPhoneNumber")] == ["member"]


def test_statuses_still_settling_match_the_status_they_settle_to() -> None:
    pending = _outcome(200, _created("phone-1", "1", "+12065550100", Status="PENDING"))
    active = _outcome(200, _created("phone-2", "1", "+12065550100", Status="ACTIVE"))
    deleted = _outcome(200, _created("phone-2", "1", "+12065550100", Status="DELETED"))
    leaving = {"PhoneNumbers": [_created("phone-1", "1", "+12065550100", Status="DISASSOCIATING")]}
    missing = _outcome(400, {"__type": "ResourceNotFoundException"}, "ResourceNotFoundException")
    assert compare(SENT, pending, active) == []
    assert [d.kind for d in compare(SENT, pending, deleted)] == ["member"]
    by_id = {"PhoneNumberIds": ["phone-1"]}
    assert compare(by_id, _outcome(200, leaving), missing, operation="DescribePhoneNumbers") == []
    listed_active = {"PhoneNumbers": [_created("phone-1", "1", "+12065550100", Status="ACTIVE")]}
    assert [d.kind for d in compare(by_id, _outcome(200, listed_active), missing)] == ["outcome"]
    # a write to a number still leaving is refused as not active; once gone, not found
    not_active = {"__type": "ConflictException", "Reason": "RESOURCE_NOT_ACTIVE"}
    refused = _outcome(400, not_active, "ConflictException")
    release = {"PhoneNumberId": "phone-1"}
    assert compare(release, refused, missing, operation="ReleasePhoneNumber") == []
    protected = {"__type": "ConflictException", "Reason": "DELETION_PROTECTION_ENABLED"}
    kinds = compare(release, _outcome(400, protected, "ConflictException"), missing)
    assert [d.kind for d in kinds] == ["error-code"]


def test_learnt_ids_translate_later_requests() -> None:
    ids = IdMap()
    ids.learn(_created("phone-1", "1", "+1206"), _created("phone-2", "2", "+1312"))
    assert ids.translate({"PhoneNumberIds": ["phone-1", "phone-9"]}) == {
        "PhoneNumberIds": ["phone-2", "phone-9"]
    }
    assert ids.translate({"ResourceArn": ARN.format(account="1", id="phone-1")}) == {
        "ResourceArn": ARN.format(account="2", id="phone-2")
    }


# -- runs ----------------------------------------------------------------------------------
def test_the_reference_against_itself_has_no_difference(pytester: pytest.Pytester) -> None:
    result, report = run_suite(pytester, "--compare-to", "reference")
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert "differences" not in report
    result.stdout.fnmatch_lines(["*parity with reference: 0 differences*"])


def _not_found_is_validation(reply: Reply) -> Reply:
    if reply.body.get("__type", "").endswith("ResourceNotFoundException"):
        reply.body["__type"] = "ValidationException"
    return reply


def test_a_variant_with_a_wrong_error_code_differs_by_it(pytester: pytest.Pytester) -> None:
    with ReferenceServer(hooks=[_not_found_is_validation]) as variant:
        result, report = run_suite(pytester, "--compare-to", variant.url, "-k", "missing")
    differences = report["differences"]
    assert differences, result.stdout.str()[-3000:]
    assert {(d["kind"], d["detail"]) for d in differences} == {
        ("error-code", "ResourceNotFoundException vs ValidationException")
    }
    first = differences[0]
    assert first["operation"] == "RequestPhoneNumber"
    assert first["input"]["PoolId"].startswith("conformance-missing-")
    assert first["exchanges"]["other"]["request"]["url"].startswith(variant.url)
    assert not first["exchanges"]["target"]["request"]["url"].startswith(variant.url)
    assert "Signature=<redacted>" in json.dumps(first)
    validate_report(report)
    result.stdout.fnmatch_lines([f"*parity with {variant.url}: 1 difference *"])


def test_numbers_the_other_endpoint_created_are_released(pytester: pytest.Pytester) -> None:
    created: list[str] = []
    released: list[str] = []

    def spy(reply: Reply) -> Reply:
        if reply.status == 200 and reply.operation == "RequestPhoneNumber":
            created.append(reply.body["PhoneNumberId"])
        if reply.status == 200 and reply.operation == "ReleasePhoneNumber":
            released.append(reply.body["PhoneNumberId"])
        return reply

    with ReferenceServer(hooks=[spy]) as other:
        result, _ = run_suite(pytester, "--compare-to", other.url, "-k", "lifecycle or FORMATS")
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert created and set(created) == set(released)


@pytest.mark.parametrize("other", ["aws", "https://sms-voice.us-west-2.amazonaws.com"])
def test_comparing_to_real_aws_is_refused(pytester: pytest.Pytester, other: str) -> None:
    result, report = run_suite(pytester, "--compare-to", other)
    assert result.ret == 4
    assert "--allow-real-aws" in result.stderr.str()
    assert report == {}


def test_a_real_aws_other_gets_only_capped_simulator_requests_all_released(
    pytester: pytest.Pytester,
) -> None:
    reached: list[str] = []
    held: dict[str, bool] = {}

    def spy(reply: Reply) -> Reply:
        if reply.operation == "RequestPhoneNumber" and isinstance(reply.params, dict):
            reached.append(str(reply.params.get("NumberType")))
            if reply.status == 200:
                held[reply.body["PhoneNumberId"]] = True
        if reply.operation == "ReleasePhoneNumber" and reply.status == 200:
            held[reply.body["PhoneNumberId"]] = False
        return reply

    with ReferenceServer() as target, ReferenceServer(hooks=[spy]) as other:
        result, report = run_suite(
            pytester,
            "--endpoint",
            target.url,
            "--compare-to",
            other.url,
            "--conformance-assume-aws",  # both treated as real AWS, with dummy credentials
            "--allow-real-aws",
            "--max-real-numbers",
            "3",
            "--conformance-ledger",
            str(pytester.path / "ledger.json"),
            "-k",  # the checks that request numbers, not the whole suite (minutes of rejects)
            "simulator_number or echo or lifecycle or idempot",
        )
    assert report["invariants"], result.stdout.str()[-3000:]
    assert set(reached) == {"SIMULATOR"}
    assert 1 <= len(held) <= 3 and not any(held.values())
    record = json.loads((pytester.path / "conformance-ledger.other.json").read_text())
    assert record["endpoint"] == other.url and record["numbers"] == []


def test_an_arn_is_compared_without_its_account_whatever_its_resource_holds() -> None:
    """A generated name may hold a newline; the ARN built from it still loses its
    account before comparison (two accounts, one resource: no difference)."""
    name = "\u2004\nl\u2003"
    mine = normalise(f"arn:aws:sms-voice:us-east-1:111111111111:opt-out-list/{name}", set())
    theirs = normalise(f"arn:aws:sms-voice:us-east-1:222222222222:opt-out-list/{name}", set())
    assert mine == theirs
