"""Service limits stricter than the model: input the model allows, the service refuses.

The limits are documented facts (aws-behavior.md, "Service limits stricter than the
model"); the error codes are the reference's choices (service.py's docstring).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conformance.reference import model
from conformance.reference.limits import MAX_TAGS, repeated, tag_problems

from .helpers import SIMULATOR, error


def tags(count: int, prefix: str = "k") -> list[dict[str, str]]:
    return [{"Key": f"{prefix}{i}", "Value": ""} for i in range(count)]


def refused(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str, list[str]]:
    found = error(exc)
    return (
        found["Code"],
        found["Status"],
        found["Reason"],
        [f["Name"] for f in found.get("Fields", ())],
    )


TOO_MANY: tuple[str, int, str, list[str]] = (
    "ServiceQuotaExceededException",
    400,
    "TAGS_PER_RESOURCE",
    [],
)


def test_the_documented_limit_is_stricter_than_the_model() -> None:
    assert MAX_TAGS == 50
    assert model.list_max("TagList") > MAX_TAGS


# -- 50 tags per resource -----------------------------------------------------------------


def test_fifty_tags_on_request_phone_number_but_not_fifty_one(sms: Any) -> None:
    made = sms.request_phone_number(**SIMULATOR, Tags=tags(50))
    listed = sms.list_tags_for_resource(ResourceArn=made["PhoneNumberArn"])["Tags"]
    assert len(listed) == 50
    with pytest.raises(ClientError) as exc:
        sms.request_phone_number(**SIMULATOR, Tags=tags(51))
    assert refused(exc) == TOO_MANY
    assert [n["PhoneNumberId"] for n in sms.describe_phone_numbers()["PhoneNumbers"]] == [
        made["PhoneNumberId"]
    ]


def test_tag_resource_counts_the_tags_already_there(sms: Any) -> None:
    arn = sms.request_phone_number(**SIMULATOR, Tags=tags(30))["PhoneNumberArn"]
    sms.tag_resource(ResourceArn=arn, Tags=tags(20, "more"))
    sms.tag_resource(ResourceArn=arn, Tags=tags(30))  # overwriting adds nothing
    with pytest.raises(ClientError) as exc:
        sms.tag_resource(ResourceArn=arn, Tags=[{"Key": "one-more", "Value": "x"}])
    assert refused(exc) == TOO_MANY
    assert len(sms.list_tags_for_resource(ResourceArn=arn)["Tags"]) == 50


def test_every_create_refuses_fifty_one_tags(sms: Any) -> None:
    number_id = sms.request_phone_number(**SIMULATOR)["PhoneNumberId"]
    for create in (
        lambda t: sms.create_pool(
            OriginationIdentity=number_id, MessageType="TRANSACTIONAL", Tags=t
        ),
        lambda t: sms.create_opt_out_list(OptOutListName="tagged", Tags=t),
        lambda t: sms.create_registration(RegistrationType="T", Tags=t),
    ):
        with pytest.raises(ClientError) as exc:
            create(tags(51))
        assert refused(exc) == TOO_MANY
        create(tags(50))
    assert len(sms.describe_pools()["Pools"]) == 1
    assert len(sms.describe_opt_out_lists()["OptOutLists"]) == 2  # Default and tagged
    assert len(sms.describe_registrations()["Registrations"]) == 1


# -- reserved prefix and characters -------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "field"),
    [
        ({"Key": "aws:owner", "Value": "me"}, "Tags[1].Key"),
        ({"Key": "owner", "Value": "aws:me"}, "Tags[1].Value"),
        ({"Key": "a:b", "Value": ""}, "Tags[1].Key"),
        ({"Key": "at@sign", "Value": ""}, "Tags[1].Key"),
        ({"Key": "ok", "Value": "semi;colon"}, "Tags[1].Value"),
        ({"Key": "ok", "Value": "smile \N{GRINNING FACE}"}, "Tags[1].Value"),
        ({"Key": "quote'", "Value": ""}, "Tags[1].Key"),
    ],
)
def test_refused_tag_keys_and_values(sms: Any, tag: dict[str, str], field: str) -> None:
    given = [{"Key": "fine", "Value": "v"}, tag]
    with pytest.raises(ClientError) as exc:
        sms.request_phone_number(**SIMULATOR, Tags=given)
    assert refused(exc) == ("ValidationException", 400, "INVALID_PARAMETER", [field])
    assert sms.describe_phone_numbers()["PhoneNumbers"] == []
    arn = sms.request_phone_number(**SIMULATOR)["PhoneNumberArn"]
    with pytest.raises(ClientError) as exc:
        sms.tag_resource(ResourceArn=arn, Tags=given)
    assert refused(exc) == ("ValidationException", 400, "INVALID_PARAMETER", [field])
    assert sms.list_tags_for_resource(ResourceArn=arn)["Tags"] == []
    with pytest.raises(ClientError) as exc:
        sms.create_opt_out_list(OptOutListName="x", Tags=given)
    assert refused(exc)[2:] == ("INVALID_PARAMETER", [field])


def test_accepted_tag_characters(sms: Any) -> None:
    good = [
        {"Key": "a_b.c/d=e+f-g", "Value": "with spaces\tand tab"},
        {"Key": "caf\N{LATIN SMALL LETTER E WITH ACUTE}", "Value": "\u65e5\u672c\u8a9e"},
        {"Key": "digits \u0663\u0664", "Value": ""},
        {"Key": "aws", "Value": "awsome"},  # the prefix is "aws:", not "aws"
    ]
    made = sms.request_phone_number(**SIMULATOR, Tags=good)
    assert sms.list_tags_for_resource(ResourceArn=made["PhoneNumberArn"])["Tags"] == good


def test_tag_problems_name_each_offender() -> None:
    assert tag_problems([{"Key": "ok", "Value": "ok"}]) == []
    found = tag_problems([{"Key": "aws:x", "Value": "a:b"}, {"Key": "k", "Value": "aws:"}])
    assert [path for path, _ in found] == ["Tags[0].Key", "Tags[0].Value", "Tags[1].Value"]
    assert all(message for _, message in found)


# -- NumberCapabilities and Canadian toll-free MMS ----------------------------------------


@pytest.mark.parametrize("capabilities", [["SMS", "SMS"], ["SMS", "VOICE", "SMS", "VOICE"]])
def test_a_repeated_capability_is_refused(sms: Any, capabilities: list[str]) -> None:
    with pytest.raises(ClientError) as exc:
        sms.request_phone_number(**{**SIMULATOR, "NumberCapabilities": capabilities})
    assert refused(exc) == ("ValidationException", 400, "INVALID_PARAMETER", ["NumberCapabilities"])
    assert sms.describe_phone_numbers()["PhoneNumbers"] == []
    assert repeated(capabilities) == sorted(set(capabilities), key=capabilities.index)


def test_distinct_capabilities_are_accepted(sms: Any) -> None:
    made = sms.request_phone_number(**{**SIMULATOR, "NumberCapabilities": ["SMS", "VOICE"]})
    assert made["NumberCapabilities"] == ["SMS", "VOICE"]


def test_canadian_toll_free_numbers_have_no_mms(sms: Any) -> None:
    toll_free = {"MessageType": "TRANSACTIONAL", "NumberType": "TOLL_FREE"}
    with pytest.raises(ClientError) as exc:
        sms.request_phone_number(
            **toll_free, IsoCountryCode="CA", NumberCapabilities=["SMS", "MMS"]
        )
    found = error(exc)
    assert (found["Code"], found["Status"], found["ResourceType"]) == (
        "ResourceNotFoundException",
        400,
        "phone-number",
    )
    assert sms.describe_phone_numbers()["PhoneNumbers"] == []
    sms.request_phone_number(**toll_free, IsoCountryCode="CA", NumberCapabilities=["SMS"])
    sms.request_phone_number(**toll_free, IsoCountryCode="US", NumberCapabilities=["MMS"])
    long_code = {"MessageType": "PROMOTIONAL", "NumberType": "LONG_CODE"}
    sms.request_phone_number(**long_code, IsoCountryCode="CA", NumberCapabilities=["MMS"])
