"""Input validation: every model trait, read from the model, named by member path."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.model import ListShape, StringShape, StructureShape

from conformance.reference import model
from conformance.reference.validation import MAX_REPORTED, check_operation_input, violations

from .helpers import SIMULATOR, call, error

REQUEST = model.operation("RequestPhoneNumber").input_shape
assert isinstance(REQUEST, StructureShape)
REASONS = model.enum(model.shape("ValidationExceptionReason"))


def paths(operation: str, params: dict[str, Any]) -> list[str]:
    return [path for path, _ in check_operation_input(operation, params)[1]]


def test_required_members_come_from_the_model() -> None:
    assert set(paths("RequestPhoneNumber", {})) == set(REQUEST.required_members)
    assert len(REQUEST.required_members) >= 4


def test_valid_input_is_normalised() -> None:
    params = {**SIMULATOR, "PoolId": None, "Unknown": {"deep": [1, 2]}, "Tags": []}
    clean, problems = check_operation_input("RequestPhoneNumber", params)
    assert problems == []
    assert clean == {**SIMULATOR, "Tags": []}  # null = absent; unknown members dropped


@pytest.mark.parametrize(
    "name", [n for n, s in REQUEST.members.items() if isinstance(s, StringShape) and s.enum]
)
def test_enum_members_refuse_other_values(name: str) -> None:
    member = REQUEST.members[name]
    assert paths("RequestPhoneNumber", {**SIMULATOR, name: member.enum[0]}) == []
    assert paths("RequestPhoneNumber", {**SIMULATOR, name: member.enum[0].lower()}) == [name]


@pytest.mark.parametrize(
    "name",
    [n for n, s in REQUEST.members.items() if s.type_name == "string" and "max" in s.metadata],
)
def test_string_length_bounds(name: str) -> None:
    shape = REQUEST.members[name]
    top = shape.metadata["max"]
    ok = "A" * top
    assert paths("RequestPhoneNumber", {**SIMULATOR, name: ok}) == [] or shape.enum
    too_long = paths("RequestPhoneNumber", {**SIMULATOR, name: "A" * (top + 1)})
    assert name in too_long


def test_min_length_and_pattern_are_both_reported() -> None:
    problems = check_operation_input("RequestPhoneNumber", {**SIMULATOR, "OptOutListName": ""})[1]
    messages = [m for p, m in problems if p == "OptOutListName"]
    assert len(messages) == 2  # min length and pattern
    assert any("length" in m for m in messages) and any("pattern" in m for m in messages)


def test_patterns_are_unanchored() -> None:
    # "+1 (206) 555" contains a match of [A-Za-z0-9_:/-]+, so it satisfies the pattern
    assert paths("RequestPhoneNumber", {**SIMULATOR, "PoolId": "+1 (206) 555"}) == []
    assert paths("RequestPhoneNumber", {**SIMULATOR, "OptOutListName": "!!!"}) == ["OptOutListName"]
    assert paths("RequestPhoneNumber", {**SIMULATOR, "IsoCountryCode": "us"}) == ["IsoCountryCode"]


def test_list_bounds_and_nested_paths() -> None:
    tags = REQUEST.members["Tags"]
    assert isinstance(tags, ListShape)
    caps = REQUEST.members["NumberCapabilities"]
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(tags.metadata["max"] + 1)]
    assert paths("RequestPhoneNumber", {**SIMULATOR, "Tags": too_many}) == ["Tags"]
    assert paths("RequestPhoneNumber", {**SIMULATOR, "NumberCapabilities": []}) == [
        "NumberCapabilities"
    ]
    over = ["SMS"] * (caps.metadata["max"] + 1)
    assert paths("RequestPhoneNumber", {**SIMULATOR, "NumberCapabilities": over}) == [
        "NumberCapabilities"
    ]
    bad_items = [{"Key": "ok", "Value": "v"}, {"Key": "", "Value": 3}, {"Value": "x"}]
    assert sorted(set(paths("RequestPhoneNumber", {**SIMULATOR, "Tags": bad_items}))) == [
        "Tags[1].Key",
        "Tags[1].Value",
        "Tags[2].Key",
    ]
    assert paths("RequestPhoneNumber", {**SIMULATOR, "NumberCapabilities": ["SMS", "FAX"]}) == [
        "NumberCapabilities[1]"
    ]


WRONG_TYPES: list[Any] = [None, True, 1, 1.5, "text", [], {}, ["SMS"], {"Key": "k"}]


@pytest.mark.parametrize("name", list(REQUEST.members))
def test_wrong_types_in_every_member(name: str) -> None:
    member = REQUEST.members[name]
    expected_type = {
        "string": str,
        "boolean": bool,
        "list": list,
        "structure": dict,
        "map": dict,
    }[member.type_name]
    for value in WRONG_TYPES:
        if value is None or type(value) is expected_type:
            continue
        found = paths("RequestPhoneNumber", {**SIMULATOR, name: value})
        assert found == [name], (name, value, found)


def test_integers_must_be_integers_within_bounds() -> None:
    limit = model.shape("MaxResults").metadata["max"]
    for bad in (True, 1.0, "5", 0, limit + 1, 2**70):
        assert set(paths("DescribePhoneNumbers", {"MaxResults": bad})) == {"MaxResults"}, bad
    assert paths("DescribePhoneNumbers", {"MaxResults": limit}) == []


def test_id_list_bound_comes_from_the_model() -> None:
    limit = model.shape("PhoneNumberIdList").metadata["max"]
    ids = [f"phone-{i:032x}" for i in range(limit + 1)]
    assert paths("DescribePhoneNumbers", {"PhoneNumberIds": ids[:limit]}) == []
    assert paths("DescribePhoneNumbers", {"PhoneNumberIds": ids}) == ["PhoneNumberIds"]


def test_reports_are_capped() -> None:
    tags = [{"Key": "", "Value": 1}] * 1000
    problems = check_operation_input("RequestPhoneNumber", {**SIMULATOR, "Tags": tags})[1]
    assert MAX_REPORTED <= len(problems) <= MAX_REPORTED + 3


def test_blob_and_map_shapes() -> None:
    blob = model.shape("AttachmentBody")
    assert violations(blob, "aGVsbG8=") == []
    assert [p for p, _ in violations(blob, "not base64!", "Body")] == ["Body"]
    assert [p for p, _ in violations(blob, "", "Body")] == ["Body"]  # min 1 byte
    string_map = model.shape("StringMap")
    assert violations(string_map, {"a": "b"}) == []
    assert [p for p, _ in violations(string_map, {"a": 1}, "M")] == ["M.a"]


def test_validation_exception_on_the_wire(loose: Any) -> None:
    with pytest.raises(ClientError) as exc:
        loose.request_phone_number(
            IsoCountryCode="usa",
            MessageType="LOUD",
            NumberCapabilities=[],
            NumberType="SIMULATOR",
            Tags=[{"Key": "", "Value": "v"}],
        )
    found = error(exc)
    assert found["Code"] == "ValidationException" and found["Status"] == 400
    assert found["Reason"] in REASONS
    names = {f["Name"] for f in found["Fields"]}
    assert names == {"IsoCountryCode", "MessageType", "NumberCapabilities", "Tags[0].Key"}
    assert all(f["Message"] for f in found["Fields"])


def test_validation_happens_before_anything_is_created(loose: Any, sms: Any) -> None:
    with pytest.raises(ClientError):
        loose.request_phone_number(**{**SIMULATOR, "DeletionProtectionEnabled": "yes"})
    assert sms.describe_phone_numbers()["PhoneNumbers"] == []


@pytest.mark.parametrize(
    ("operation", "params", "path"),
    [
        ("ReleasePhoneNumber", {}, "PhoneNumberId"),
        (
            "UpdatePhoneNumber",
            {"PhoneNumberId": "phone-1", "TwoWayChannelArn": "short"},
            "TwoWayChannelArn",
        ),
        ("CreatePool", {"OriginationIdentity": "phone-1", "MessageType": "X"}, "MessageType"),
        ("DeletePool", {"PoolId": 7}, "PoolId"),
        ("CreateOptOutList", {"OptOutListName": "has space only "}, None),
        ("CreateOptOutList", {"OptOutListName": "x" * 65}, "OptOutListName"),
        ("TagResource", {"ResourceArn": "arn:aws:sms-voice:x", "Tags": []}, "Tags"),
        (
            "UntagResource",
            {"ResourceArn": "not-an-arn-at-all-here", "TagKeys": ["k"]},
            "ResourceArn",
        ),
        ("ListTagsForResource", {"ResourceArn": "short"}, "ResourceArn"),
        ("CreateRegistration", {"RegistrationType": "!!"}, "RegistrationType"),
        (
            "DescribeRegistrations",
            {"Filters": [{"Name": "nope", "Values": ["a"]}]},
            "Filters[0].Name",
        ),
        ("DescribePools", {"Filters": [{"Name": "status", "Values": []}]}, "Filters[0].Values"),
        ("DescribeOptOutLists", {"Owner": "ME"}, "Owner"),
    ],
)
def test_every_operation_validates(
    server: Any, operation: str, params: dict[str, Any], path: str | None
) -> None:
    answer = call(server.url, operation, params)
    if path is None:  # "has space only " matches [A-Za-z0-9_-]+ unanchored: valid
        assert answer.status == 200
        return
    assert answer.status == 400
    assert answer.body["__type"] == "ValidationException"
    assert path in {f["Name"] for f in answer.body["Fields"]}


def test_checks_are_compiled_once_per_shape(server: Any) -> None:
    from conformance.reference import validation

    assert "RequestPhoneNumberRequest" in validation._compiled  # built with the service
    assert "TagList" in validation._compiled
    call(server.url, "RequestPhoneNumber", SIMULATOR)  # the answer check compiles outputs
    compiled = dict(validation._compiled)
    for _ in range(20):
        call(server.url, "RequestPhoneNumber", {**SIMULATOR, "Tags": [{"Key": "k", "Value": "v"}]})
    assert validation._compiled == compiled  # same closures, nothing rebuilt per request


def test_names_used_by_domain_rules_are_checked_against_the_model() -> None:
    assert model.enum_value("ConflictExceptionReason", "DELETION_PROTECTION_ENABLED")
    with pytest.raises(ValueError):
        model.enum_value("ConflictExceptionReason", "NOT_IN_THE_MODEL")
    with pytest.raises(ValueError):
        model.member_enum("ValidationException", "Reason", "NOT_IN_THE_MODEL")
