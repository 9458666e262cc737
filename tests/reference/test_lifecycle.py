"""Describe, update, release; pools, opt-out lists, tags and registrations."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conformance.reference import ReferenceServer, model

from .helpers import SETTLE, SIMULATOR, FakeClock, call, error, make_client


def ids(
    answer: dict[str, Any], member: str = "PhoneNumbers", key: str = "PhoneNumberId"
) -> list[str]:
    return [item[key] for item in answer[member]]


# -- DescribePhoneNumbers --------------------------------------------------------------


def test_describe_by_id_and_arn(sms: Any) -> None:
    made = [sms.request_phone_number(**SIMULATOR) for _ in range(3)]
    by_id = sms.describe_phone_numbers(
        PhoneNumberIds=[made[2]["PhoneNumberId"], made[0]["PhoneNumberId"]]
    )
    assert sorted(ids(by_id)) == sorted([made[0]["PhoneNumberId"], made[2]["PhoneNumberId"]])
    by_arn = sms.describe_phone_numbers(PhoneNumberIds=[made[1]["PhoneNumberArn"]])
    [info] = by_arn["PhoneNumbers"]
    assert info["Status"] == "ACTIVE"
    assert info["PhoneNumber"] == made[1]["PhoneNumber"]
    assert info["CreatedTimestamp"] == made[1]["CreatedTimestamp"]


def test_describe_at_most_the_model_limit_of_ids(loose: Any) -> None:
    limit = model.shape("PhoneNumberIdList").metadata["max"]
    made = [loose.request_phone_number(**SIMULATOR)["PhoneNumberId"] for _ in range(limit + 1)]
    assert len(loose.describe_phone_numbers(PhoneNumberIds=made[:limit])["PhoneNumbers"]) == limit
    with pytest.raises(ClientError) as exc:
        loose.describe_phone_numbers(PhoneNumberIds=made)
    found = error(exc)
    assert found["Code"] == "ValidationException" and found["Fields"][0]["Name"] == "PhoneNumberIds"


def test_describe_unknown_id_is_not_found(sms: Any) -> None:
    sms.request_phone_number(**SIMULATOR)
    with pytest.raises(ClientError) as exc:
        sms.describe_phone_numbers(PhoneNumberIds=["phone-" + "0" * 32])
    found = error(exc)
    assert (found["Code"], found["ResourceType"], found["ResourceId"]) == (
        "ResourceNotFoundException",
        "phone-number",
        "phone-" + "0" * 32,
    )


def test_paging_visits_every_number_once(sms: Any) -> None:
    made = {sms.request_phone_number(**SIMULATOR)["PhoneNumberId"] for _ in range(7)}
    seen: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": 3}
    pages = 0
    while True:
        page = sms.describe_phone_numbers(**kwargs)
        pages += 1
        assert len(page["PhoneNumbers"]) <= 3
        seen += ids(page)
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert pages == 3 and sorted(seen) == sorted(made)
    paginated = sms.get_paginator("describe_phone_numbers").paginate(
        PaginationConfig={"PageSize": 2}
    )
    assert sorted(i for page in paginated for i in ids(page)) == sorted(made)


def test_bad_next_token(sms: Any) -> None:
    sms.request_phone_number(**SIMULATOR)
    sms.request_phone_number(**SIMULATOR)
    token = sms.describe_phone_numbers(MaxResults=1)["NextToken"]
    for bad in (
        "garbage",
        token + "x",
        sms.describe_pools(MaxResults=1).get("NextToken") or "QQ==",
    ):
        with pytest.raises(ClientError) as exc:
            sms.describe_phone_numbers(NextToken=bad)
        found = error(exc)
        assert (found["Code"], found["Reason"]) == ("ValidationException", "INVALID_NEXT_TOKEN")
    with pytest.raises(ClientError):  # a token of another operation
        sms.describe_opt_out_lists(NextToken=token)


def test_filters(timed: Any) -> None:
    sms = timed
    protected = sms.request_phone_number(**SIMULATOR, DeletionProtectionEnabled=True)
    voice = sms.request_phone_number(**{**SIMULATOR, "NumberCapabilities": ["VOICE"]})
    toll_free = sms.request_phone_number(
        IsoCountryCode="CA",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )

    def matching(*filters: tuple[str, list[str]]) -> set[str]:
        answer = sms.describe_phone_numbers(Filters=[{"Name": n, "Values": v} for n, v in filters])
        return set(ids(answer))

    assert matching(("deletion-protection-enabled", ["true"])) == {protected["PhoneNumberId"]}
    assert matching(("number-capability", ["VOICE"])) == {voice["PhoneNumberId"]}
    assert matching(("number-type", ["TOLL_FREE", "TEN_DLC"])) == {toll_free["PhoneNumberId"]}
    assert matching(("iso-country-code", ["US"]), ("number-capability", ["SMS"])) == {
        protected["PhoneNumberId"]
    }
    assert matching(("status", ["ACTIVE"]), ("opt-out-list-name", ["Default"])) == {
        protected["PhoneNumberId"],
        voice["PhoneNumberId"],
    }
    assert matching(("status", ["PENDING"])) == {toll_free["PhoneNumberId"]}  # not settled
    assert matching(("two-way-enabled", ["true"])) == set()


def test_every_filter_name_in_the_model_is_served(sms: Any) -> None:
    sms.request_phone_number(**SIMULATOR)
    for operation, shape in (
        ("describe_phone_numbers", "PhoneNumberFilterName"),
        ("describe_pools", "PoolFilterName"),
        ("describe_registrations", "RegistrationFilterName"),
    ):
        for name in model.enum(model.shape(shape)):
            getattr(sms, operation)(Filters=[{"Name": name, "Values": ["x"]}])


def test_owner(sms: Any) -> None:
    made = sms.request_phone_number(**SIMULATOR)
    assert sms.describe_phone_numbers(Owner="SHARED")["PhoneNumbers"] == []
    assert ids(sms.describe_phone_numbers(Owner="SELF")) == [made["PhoneNumberId"]]
    with pytest.raises(ClientError) as exc:
        sms.describe_phone_numbers(Owner="SELF", PhoneNumberIds=[made["PhoneNumberId"]])
    assert error(exc)["Reason"] == "PARAMETERS_CANNOT_BE_USED_TOGETHER"


# -- ReleasePhoneNumber / UpdatePhoneNumber ----------------------------------------------


def test_release_then_gone(timed: Any, clock: FakeClock) -> None:
    sms = timed
    made = sms.request_phone_number(**SIMULATOR)
    released = sms.release_phone_number(PhoneNumberId=made["PhoneNumberArn"])
    assert released["Status"] == "DISASSOCIATING"
    assert released["PhoneNumberId"] == made["PhoneNumberId"]
    [lingering] = sms.describe_phone_numbers()["PhoneNumbers"]
    assert (lingering["PhoneNumberId"], lingering["Status"]) == (
        made["PhoneNumberId"],
        "DISASSOCIATING",
    )
    clock.advance(SETTLE)
    assert sms.describe_phone_numbers()["PhoneNumbers"] == []
    for again in (
        lambda: sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"]),
        lambda: sms.describe_phone_numbers(PhoneNumberIds=[made["PhoneNumberId"]]),
        lambda: sms.update_phone_number(PhoneNumberId=made["PhoneNumberId"], TwoWayEnabled=True),
        lambda: sms.list_tags_for_resource(ResourceArn=made["PhoneNumberArn"]),
    ):
        with pytest.raises(sms.exceptions.ResourceNotFoundException):
            again()


def test_deletion_protection(sms: Any) -> None:
    made = sms.request_phone_number(**SIMULATOR, DeletionProtectionEnabled=True)
    with pytest.raises(ClientError) as exc:
        sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"])
    found = error(exc)
    assert (found["Code"], found["Reason"], found["ResourceType"], found["ResourceId"]) == (
        "ConflictException",
        "DELETION_PROTECTION_ENABLED",
        "phone-number",
        made["PhoneNumberId"],
    )
    updated = sms.update_phone_number(
        PhoneNumberId=made["PhoneNumberId"], DeletionProtectionEnabled=False
    )
    assert updated["DeletionProtectionEnabled"] is False
    sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"])


def test_update(sms: Any) -> None:
    made = sms.request_phone_number(**SIMULATOR)
    sms.create_opt_out_list(OptOutListName="other")
    channel = "arn:aws:sns:us-east-1:123456789012:inbound"
    updated = sms.update_phone_number(
        PhoneNumberId=made["PhoneNumberId"],
        TwoWayEnabled=True,
        TwoWayChannelArn=channel,
        SelfManagedOptOutsEnabled=True,
        OptOutListName="other",
        InternationalSendingEnabled=True,
    )
    assert (updated["TwoWayEnabled"], updated["TwoWayChannelArn"], updated["OptOutListName"]) == (
        True,
        channel,
        "other",
    )
    [info] = sms.describe_phone_numbers(PhoneNumberIds=[made["PhoneNumberId"]])["PhoneNumbers"]
    assert info["SelfManagedOptOutsEnabled"] is True and info["InternationalSendingEnabled"] is True
    with pytest.raises(ClientError) as exc:
        sms.update_phone_number(PhoneNumberId=made["PhoneNumberId"], OptOutListName="missing")
    assert error(exc)["ResourceType"] == "opt-out-list"


# -- pools ----------------------------------------------------------------------------


def test_pool_lifecycle(timed: Any, clock: FakeClock) -> None:
    sms = timed
    sms.create_opt_out_list(OptOutListName="pooled")
    made = sms.request_phone_number(**SIMULATOR, OptOutListName="pooled")
    pool = sms.create_pool(
        OriginationIdentity=made["PhoneNumberArn"],
        MessageType="TRANSACTIONAL",
        Tags=[{"Key": "k", "Value": "v"}],
    )
    assert pool["PoolId"].startswith("pool-") and pool["Status"] in ("CREATING", "ACTIVE")
    assert pool["OptOutListName"] == "pooled"  # inherited from the number
    assert pool["DeletionProtectionEnabled"] is False and pool["Tags"] == [
        {"Key": "k", "Value": "v"}
    ]
    [info] = sms.describe_phone_numbers()["PhoneNumbers"]
    assert info["PoolId"] == pool["PoolId"]
    assert ids(sms.describe_pools(PoolIds=[pool["PoolArn"]]), "Pools", "PoolId") == [pool["PoolId"]]

    for attempt in (
        lambda: sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"]),
        lambda: sms.update_phone_number(PhoneNumberId=made["PhoneNumberId"], TwoWayEnabled=True),
        lambda: sms.create_pool(
            OriginationIdentity=made["PhoneNumberId"], MessageType="PROMOTIONAL"
        ),
    ):
        with pytest.raises(ClientError) as exc:
            attempt()
        assert error(exc)["Reason"] == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    with pytest.raises(ClientError) as exc:
        sms.delete_opt_out_list(OptOutListName="pooled")
    assert error(exc)["Code"] == "ConflictException"

    deleted = sms.delete_pool(PoolId=pool["PoolId"])
    assert (deleted["PoolId"], deleted["Status"]) == (pool["PoolId"], "DELETING")
    assert [p["Status"] for p in sms.describe_pools()["Pools"]] == ["DELETING"]
    clock.advance(SETTLE)
    assert sms.describe_pools()["Pools"] == []
    assert "PoolId" not in sms.describe_phone_numbers()["PhoneNumbers"][0]
    sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"])
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.delete_pool(PoolId=pool["PoolId"])


def test_pool_needs_a_known_origination_identity(sms: Any) -> None:
    for identity, resource_type in (
        ("phone-" + "1" * 32, "phone-number"),
        ("arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1", "phone-number"),
        ("MySenderId", "sender-id"),
    ):
        with pytest.raises(ClientError) as exc:
            sms.create_pool(OriginationIdentity=identity, MessageType="TRANSACTIONAL")
        found = error(exc)
        assert (found["Code"], found["ResourceType"]) == (
            "ResourceNotFoundException",
            resource_type,
        )
    assert sms.describe_pools()["Pools"] == []


def test_pool_deletion_protection(sms: Any) -> None:
    made = sms.request_phone_number(**SIMULATOR)
    pool = sms.create_pool(
        OriginationIdentity=made["PhoneNumberId"],
        MessageType="TRANSACTIONAL",
        DeletionProtectionEnabled=True,
    )
    with pytest.raises(ClientError) as exc:
        sms.delete_pool(PoolId=pool["PoolArn"])
    found = error(exc)
    assert (found["Reason"], found["ResourceType"]) == ("DELETION_PROTECTION_ENABLED", "pool")


# -- opt-out lists ----------------------------------------------------------------------


def test_opt_out_lists(sms: Any) -> None:
    assert [o["OptOutListName"] for o in sms.describe_opt_out_lists()["OptOutLists"]] == ["Default"]
    made = sms.create_opt_out_list(OptOutListName="mine", Tags=[{"Key": "a", "Value": "b"}])
    assert made["OptOutListArn"].endswith(":opt-out-list/mine") and made["Tags"]
    by_arn = sms.describe_opt_out_lists(OptOutListNames=[made["OptOutListArn"], "Default"])
    assert {o["OptOutListName"] for o in by_arn["OptOutLists"]} == {"mine", "Default"}
    with pytest.raises(ClientError) as exc:
        sms.create_opt_out_list(OptOutListName="mine")
    assert error(exc)["Reason"] == "RESOURCE_ALREADY_EXISTS"
    with pytest.raises(ClientError) as exc:
        sms.delete_opt_out_list(OptOutListName="Default")
    assert error(exc)["Code"] == "ConflictException"
    assert sms.delete_opt_out_list(OptOutListName=made["OptOutListArn"])["OptOutListName"] == "mine"
    with pytest.raises(ClientError) as exc:
        sms.describe_opt_out_lists(OptOutListNames=["mine"])
    assert (error(exc)["ResourceType"], error(exc)["ResourceId"]) == ("opt-out-list", "mine")


def test_opt_out_list_in_use_cannot_be_deleted(sms: Any) -> None:
    sms.create_opt_out_list(OptOutListName="used")
    made = sms.request_phone_number(**SIMULATOR, OptOutListName="used")
    with pytest.raises(ClientError) as exc:
        sms.delete_opt_out_list(OptOutListName="used")
    assert error(exc)["Code"] == "ConflictException"
    sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"])
    sms.delete_opt_out_list(OptOutListName="used")


# -- tags -----------------------------------------------------------------------------


def test_tags_on_every_resource_type(sms: Any) -> None:
    number = sms.request_phone_number(**SIMULATOR)
    pool_number = sms.request_phone_number(**SIMULATOR)
    arns = [
        number["PhoneNumberArn"],
        sms.create_pool(
            OriginationIdentity=pool_number["PhoneNumberId"], MessageType="TRANSACTIONAL"
        )["PoolArn"],
        sms.create_opt_out_list(OptOutListName="tagged")["OptOutListArn"],
        sms.create_registration(RegistrationType="T")["RegistrationArn"],
    ]
    for arn in arns:
        assert sms.list_tags_for_resource(ResourceArn=arn)["Tags"] == []
        sms.tag_resource(
            ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
        )
        sms.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "3"}])
        listed = sms.list_tags_for_resource(ResourceArn=arn)
        assert listed["ResourceArn"] == arn
        assert {t["Key"]: t["Value"] for t in listed["Tags"]} == {"a": "3", "b": "2"}
        sms.untag_resource(ResourceArn=arn, TagKeys=["a", "never-set"])
        assert sms.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]


def test_tag_errors(server: ReferenceServer) -> None:
    sms = make_client(server.url, key="111111111111")
    made = sms.request_phone_number(**SIMULATOR)
    with pytest.raises(ClientError) as exc:
        sms.tag_resource(
            ResourceArn="arn:aws:sns:us-east-1:1:topic", Tags=[{"Key": "a", "Value": "b"}]
        )
    assert (error(exc)["Code"], error(exc)["Reason"]) == ("ValidationException", "INVALID_ARN")
    foreign = made["PhoneNumberArn"].replace("111111111111", "222222222222")
    with pytest.raises(ClientError) as exc:
        sms.list_tags_for_resource(ResourceArn=foreign)
    assert (error(exc)["Code"], error(exc)["ResourceId"]) == ("ResourceNotFoundException", foreign)
    limit = 50  # the service's limit (TagResource API reference), stricter than the model's
    assert model.shape("TagList").metadata["max"] > limit
    sms.tag_resource(
        ResourceArn=made["PhoneNumberArn"],
        Tags=[{"Key": f"k{i}", "Value": ""} for i in range(limit)],
    )
    with pytest.raises(ClientError) as exc:
        sms.tag_resource(
            ResourceArn=made["PhoneNumberArn"], Tags=[{"Key": "one-more", "Value": ""}]
        )
    assert (error(exc)["Code"], error(exc)["Reason"]) == (
        "ServiceQuotaExceededException",
        "TAGS_PER_RESOURCE",
    )


# -- registrations ----------------------------------------------------------------------


def test_registrations(sms: Any) -> None:
    first = sms.create_registration(
        RegistrationType="US_TEN_DLC_BRAND_REGISTRATION", Tags=[{"Key": "k", "Value": "v"}]
    )
    second = sms.create_registration(RegistrationType="US_TOLL_FREE_REGISTRATION")
    assert first["RegistrationId"].startswith("registration-")
    assert first["RegistrationArn"].endswith(":registration/" + first["RegistrationId"])
    assert (first["RegistrationStatus"], first["CurrentVersionNumber"]) == ("CREATED", 1)
    both = sms.describe_registrations()["Registrations"]
    assert [r["RegistrationId"] for r in both] == [
        first["RegistrationId"],
        second["RegistrationId"],
    ]
    by_type = sms.describe_registrations(
        Filters=[{"Name": "registration-type", "Values": ["US_TOLL_FREE_REGISTRATION"]}]
    )
    assert [r["RegistrationId"] for r in by_type["Registrations"]] == [second["RegistrationId"]]
    by_arn = sms.describe_registrations(RegistrationIds=[first["RegistrationArn"]])
    assert [r["RegistrationId"] for r in by_arn["Registrations"]] == [first["RegistrationId"]]
    with pytest.raises(ClientError) as exc:
        sms.describe_registrations(RegistrationIds=["registration-missing"])
    assert error(exc)["ResourceType"] == "registration"


def test_raw_describe_answers_validate(server: ReferenceServer) -> None:
    call(server.url, "RequestPhoneNumber", {**SIMULATOR, "Tags": [{"Key": "a", "Value": "b"}]})
    for operation in (
        "DescribePhoneNumbers",
        "DescribePools",
        "DescribeOptOutLists",
        "DescribeRegistrations",
    ):
        assert call(server.url, operation, {}).status == 200  # call() checks the output shape
