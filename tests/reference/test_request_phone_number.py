"""RequestPhoneNumber: the shape of a fresh number and the documented domain rules."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
import pytest
from botocore.exceptions import ClientError

from conformance.reference import ReferenceServer, ReferenceService, model

from .helpers import SIMULATOR, call, error, make_client

PHONE_ID = re.compile(r"^phone-[0-9a-f]{32}$")
PRICE = re.compile(r"^\d+\.\d{2}$")
NUMBER_TYPES = phonenumbers.PhoneNumberType


def test_fresh_simulator_number(sms: Any) -> None:
    made = sms.request_phone_number(**SIMULATOR)
    assert PHONE_ID.match(made["PhoneNumberId"])
    account = made["PhoneNumberArn"].split(":")[4]
    assert made["PhoneNumberArn"] == (
        f"arn:aws:sms-voice:us-east-1:{account}:phone-number/{made['PhoneNumberId']}"
    )
    parsed = phonenumbers.parse(made["PhoneNumber"])
    assert (
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        == made["PhoneNumber"]
    )
    assert phonenumbers.is_valid_number(parsed)
    assert phonenumbers.region_code_for_number(parsed) == "US"
    assert made["Status"] in ("PENDING", "ACTIVE")
    assert PRICE.match(made["MonthlyLeasingPrice"])
    assert made["OptOutListName"] == "Default"
    for flag in (
        "TwoWayEnabled",
        "SelfManagedOptOutsEnabled",
        "DeletionProtectionEnabled",
        "InternationalSendingEnabled",
    ):
        assert made[flag] is False, flag
    for absent in ("PoolId", "RegistrationId", "Tags", "TwoWayChannelArn", "TwoWayChannelRole"):
        assert absent not in made, absent
    assert (made["IsoCountryCode"], made["MessageType"], made["NumberType"]) == (
        "US",
        "TRANSACTIONAL",
        "SIMULATOR",
    )
    assert made["NumberCapabilities"] == ["SMS"]


def test_given_members_are_echoed(sms: Any) -> None:
    sms.create_opt_out_list(OptOutListName="mine")
    made = sms.request_phone_number(
        **{**SIMULATOR, "NumberCapabilities": ["SMS", "VOICE"]},
        OptOutListName="mine",
        DeletionProtectionEnabled=True,
        InternationalSendingEnabled=True,
        Tags=[{"Key": "team", "Value": "qa"}, {"Key": "empty", "Value": ""}],
    )
    assert made["OptOutListName"] == "mine"
    assert made["DeletionProtectionEnabled"] is True and made["InternationalSendingEnabled"] is True
    assert made["Tags"] == [{"Key": "team", "Value": "qa"}, {"Key": "empty", "Value": ""}]
    assert made["NumberCapabilities"] == ["SMS", "VOICE"]


def test_numbers_are_unique(sms: Any) -> None:
    numbers = {sms.request_phone_number(**SIMULATOR)["PhoneNumber"] for _ in range(30)}
    assert len(numbers) == 30


@pytest.mark.parametrize(("iso", "capabilities"), [("US", ["SMS", "MMS"]), ("CA", ["SMS"])])
def test_toll_free_in_us_and_canada(sms: Any, iso: str, capabilities: list[str]) -> None:
    made = sms.request_phone_number(
        IsoCountryCode=iso,
        MessageType="TRANSACTIONAL",
        NumberCapabilities=capabilities,
        NumberType="TOLL_FREE",
    )
    parsed = phonenumbers.parse(made["PhoneNumber"])
    assert phonenumbers.number_type(parsed) == NUMBER_TYPES.TOLL_FREE
    assert phonenumbers.is_valid_number_for_region(parsed, iso)
    assert made["Status"] == "PENDING"


@pytest.mark.parametrize(
    "iso", ["US", "CA", "GB", "DE", "FR", "IT", "JP", "IN", "BR", "AU", "PR", "AI"]
)
def test_long_codes_belong_to_the_requested_country(sms: Any, iso: str) -> None:
    made = sms.request_phone_number(
        IsoCountryCode=iso,
        MessageType="PROMOTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="LONG_CODE",
    )
    parsed = phonenumbers.parse(made["PhoneNumber"])
    assert phonenumbers.is_valid_number(parsed)
    assert phonenumbers.region_code_for_number(parsed) == iso
    assert made["IsoCountryCode"] == iso


@pytest.mark.parametrize(
    "request_",
    [
        {**SIMULATOR, "MessageType": "PROMOTIONAL"},  # documented (Terraform live test)
        {**SIMULATOR, "IsoCountryCode": "CA"},
        {**SIMULATOR, "IsoCountryCode": "GB"},
        {**SIMULATOR, "NumberType": "TOLL_FREE", "IsoCountryCode": "GB"},
        {
            **SIMULATOR,
            "NumberType": "LONG_CODE",
            "IsoCountryCode": "GB",
            "NumberCapabilities": ["MMS"],
        },
        {**SIMULATOR, "NumberType": "LONG_CODE", "IsoCountryCode": "AQ"},  # no numbering plan
    ],
)
def test_unavailable_numbers_are_not_found(sms: Any, request_: dict[str, Any]) -> None:
    with pytest.raises(ClientError) as exc:
        sms.request_phone_number(**request_)
    found = error(exc)
    assert (found["Code"], found["Status"], found["ResourceType"]) == (
        "ResourceNotFoundException",
        400,
        "phone-number",
    )
    assert sms.describe_phone_numbers()["PhoneNumbers"] == []


def test_mms_is_available_in_the_us(sms: Any) -> None:
    made = sms.request_phone_number(**{**SIMULATOR, "NumberCapabilities": ["SMS", "MMS", "VOICE"]})
    assert "MMS" in made["NumberCapabilities"]


def test_country_must_be_iso(sms: Any) -> None:
    with pytest.raises(ClientError) as exc:
        sms.request_phone_number(**{**SIMULATOR, "IsoCountryCode": "ZZ"})
    found = error(exc)
    assert found["Code"] == "ValidationException"
    assert [f["Name"] for f in found["Fields"]] == ["IsoCountryCode"]


@pytest.mark.parametrize(
    ("member", "resource_type"),
    [("PoolId", "pool"), ("OptOutListName", "opt-out-list"), ("RegistrationId", "registration")],
)
def test_unknown_references_are_not_found(sms: Any, member: str, resource_type: str) -> None:
    for ref in ("nope", "arn:aws:sms-voice:us-east-1:123456789012:pool/pool-0"):
        with pytest.raises(ClientError) as exc:
            sms.request_phone_number(**SIMULATOR, **{member: ref})
        found = error(exc)
        assert found["Code"] == "ResourceNotFoundException"
        assert (found["ResourceType"], found["ResourceId"]) == (resource_type, ref)
    assert resource_type in model.enum(model.shape("ResourceType"))


def test_references_accept_names_and_arns(sms: Any) -> None:
    listing = sms.create_opt_out_list(OptOutListName="by-arn")
    made = sms.request_phone_number(**SIMULATOR, OptOutListName=listing["OptOutListArn"])
    assert made["OptOutListName"] == "by-arn"
    default_arn = listing["OptOutListArn"].replace("/by-arn", "/Default")
    assert (
        sms.request_phone_number(**SIMULATOR, OptOutListName=default_arn)["OptOutListName"]
        == "Default"
    )
    first = sms.request_phone_number(**SIMULATOR)
    pool = sms.create_pool(OriginationIdentity=first["PhoneNumberId"], MessageType="TRANSACTIONAL")
    for ref in (pool["PoolId"], pool["PoolArn"]):
        pooled = sms.request_phone_number(**SIMULATOR, PoolId=ref)
        assert pooled["PoolId"] == pool["PoolId"]


def test_arns_of_another_account_or_region_are_not_found(server: ReferenceServer) -> None:
    mine = make_client(server.url, key="111111111111")
    theirs = make_client(server.url, key="222222222222")
    other_region = make_client(server.url, key="111111111111", region="eu-west-1")
    listing = mine.create_opt_out_list(OptOutListName="private")
    for client in (theirs, other_region):
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.request_phone_number(**SIMULATOR, OptOutListName=listing["OptOutListArn"])


def test_ten_dlc_needs_a_registration(sms: Any) -> None:
    ten_dlc = {**SIMULATOR, "NumberType": "TEN_DLC", "MessageType": "PROMOTIONAL"}
    with pytest.raises(ClientError) as exc:
        sms.request_phone_number(**ten_dlc)
    found = error(exc)
    assert found["Code"] == "ValidationException" and found["Fields"][0]["Name"] == "RegistrationId"
    registration = sms.create_registration(RegistrationType="US_TEN_DLC_CAMPAIGN_REGISTRATION")
    assert registration["RegistrationStatus"] == "CREATED"
    with pytest.raises(ClientError) as exc:
        sms.request_phone_number(**ten_dlc, RegistrationId=registration["RegistrationId"])
    found = error(exc)
    assert (found["Code"], found["Reason"], found["ResourceType"]) == (
        "ConflictException",
        "REGISTRATION_NOT_COMPLETE",
        "registration",
    )
    assert found["Reason"] in model.enum(model.shape("ConflictExceptionReason"))


def test_ten_dlc_with_a_complete_registration() -> None:
    with ReferenceServer(service=ReferenceService(registration_status="COMPLETE")) as server:
        sms = make_client(server.url)
        registration = sms.create_registration(RegistrationType="US_TEN_DLC_CAMPAIGN_REGISTRATION")
        made = sms.request_phone_number(
            IsoCountryCode="US",
            MessageType="PROMOTIONAL",
            NumberCapabilities=["SMS"],
            NumberType="TEN_DLC",
            RegistrationId=registration["RegistrationArn"],
        )
        assert made["RegistrationId"] == registration["RegistrationId"]
        assert made["NumberType"] == "TEN_DLC"
        with pytest.raises(sms.exceptions.ResourceNotFoundException):  # US only
            sms.request_phone_number(
                IsoCountryCode="CA",
                MessageType="PROMOTIONAL",
                NumberCapabilities=["SMS"],
                NumberType="TEN_DLC",
                RegistrationId=registration["RegistrationId"],
            )


def test_registration_can_be_attached_to_other_numbers(sms: Any) -> None:
    registration = sms.create_registration(RegistrationType="US_TOLL_FREE_REGISTRATION")
    made = sms.request_phone_number(**SIMULATOR, RegistrationId=registration["RegistrationId"])
    assert made["RegistrationId"] == registration["RegistrationId"]


def test_quota_counts_live_numbers_only() -> None:
    from conformance.reference import Quotas

    with ReferenceServer(service=ReferenceService(quotas=Quotas(phone_numbers=3))) as server:
        sms = make_client(server.url)
        made = [sms.request_phone_number(**SIMULATOR) for _ in range(3)]
        with pytest.raises(ClientError) as exc:
            sms.request_phone_number(**SIMULATOR)
        found = error(exc)
        assert (found["Code"], found["Status"], found["Reason"]) == (
            "ServiceQuotaExceededException",
            400,
            "PHONE_NUMBERS_PER_ACCOUNT",
        )
        assert len(sms.describe_phone_numbers()["PhoneNumbers"]) == 3
        sms.release_phone_number(PhoneNumberId=made[0]["PhoneNumberId"])
        sms.request_phone_number(**SIMULATOR)
        other = make_client(server.url, key="999999999999")  # quotas are per account
        other.request_phone_number(**SIMULATOR)


def test_default_quota_is_enforced(sms: Any) -> None:
    from conformance.reference import Quotas

    for _ in range(Quotas().phone_numbers):
        sms.request_phone_number(**SIMULATOR)
    with pytest.raises(sms.exceptions.ServiceQuotaExceededException):
        sms.request_phone_number(**SIMULATOR)


def test_raw_signed_request(server: ReferenceServer) -> None:
    answer = call(server.url, "RequestPhoneNumber", {**SIMULATOR, "ClientToken": "raw-1"})
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/x-amz-json-1.0"
    assert PHONE_ID.match(answer.body["PhoneNumberId"])
    assert "Tags" not in answer.body and "PoolId" not in answer.body
