"""The domain rules again, over raw SigV4-signed HTTP (botocore's signer + http.client).

boto3 parses and may mask details of the wire (status codes, ``__type``, members it does
not know); these tests read the bytes the server sent.
"""

from __future__ import annotations

from typing import Any

from conformance.reference import Quotas, ReferenceServer, ReferenceService, model

from .helpers import SETTLE, SIMULATOR, FakeClock, call, serve


def expect(answer: Any, code: str, **members: Any) -> dict[str, Any]:
    assert answer.status == 400, (answer.status, answer.body)
    body: dict[str, Any] = answer.body
    assert body["__type"] == code, body
    for name, value in members.items():
        assert body[name] == value, (name, body)
    return body


def test_availability_rules(server: ReferenceServer) -> None:
    for params in (
        {**SIMULATOR, "MessageType": "PROMOTIONAL"},
        {**SIMULATOR, "IsoCountryCode": "FR"},
        {**SIMULATOR, "NumberType": "TOLL_FREE", "IsoCountryCode": "GB"},
        {
            **SIMULATOR,
            "NumberType": "LONG_CODE",
            "IsoCountryCode": "DE",
            "NumberCapabilities": ["MMS"],
        },
    ):
        expect(
            call(server.url, "RequestPhoneNumber", params),
            "ResourceNotFoundException",
            ResourceType="phone-number",
        )
    ten_dlc = call(server.url, "RequestPhoneNumber", {**SIMULATOR, "NumberType": "TEN_DLC"})
    body = expect(ten_dlc, "ValidationException")
    assert body["Reason"] in model.enum(model.shape("ValidationExceptionReason"))
    assert body["Fields"][0]["Name"] == "RegistrationId"


def test_references_and_conflicts() -> None:
    clock = FakeClock()
    with serve(clock=clock) as server:
        _references_and_conflicts(server.url, clock)


def _references_and_conflicts(url: str, clock: FakeClock) -> None:
    expect(
        call(url, "RequestPhoneNumber", {**SIMULATOR, "PoolId": "pool-nope"}),
        "ResourceNotFoundException",
        ResourceType="pool",
        ResourceId="pool-nope",
    )
    protected = call(url, "RequestPhoneNumber", {**SIMULATOR, "DeletionProtectionEnabled": True})
    number_id = protected.body["PhoneNumberId"]
    expect(
        call(url, "ReleasePhoneNumber", {"PhoneNumberId": number_id}),
        "ConflictException",
        Reason="DELETION_PROTECTION_ENABLED",
        ResourceType="phone-number",
        ResourceId=number_id,
    )
    call(url, "UpdatePhoneNumber", {"PhoneNumberId": number_id, "DeletionProtectionEnabled": False})
    pool = call(
        url, "CreatePool", {"OriginationIdentity": number_id, "MessageType": "TRANSACTIONAL"}
    )
    assert pool.status == 200
    expect(
        call(url, "ReleasePhoneNumber", {"PhoneNumberId": number_id}),
        "ConflictException",
        Reason="PHONE_NUMBER_ASSOCIATED_TO_POOL",
    )
    deleting = call(url, "DeletePool", {"PoolId": pool.body["PoolArn"]})
    assert (deleting.status, deleting.body["Status"]) == (200, "DELETING")
    expect(  # the pool's numbers stay in it until it is gone
        call(url, "ReleasePhoneNumber", {"PhoneNumberId": number_id}),
        "ConflictException",
        Reason="PHONE_NUMBER_ASSOCIATED_TO_POOL",
    )
    clock.advance(SETTLE)
    released = call(url, "ReleasePhoneNumber", {"PhoneNumberId": protected.body["PhoneNumberArn"]})
    assert released.body["Status"] == "DISASSOCIATING"
    expect(
        call(url, "ReleasePhoneNumber", {"PhoneNumberId": number_id}),
        "ConflictException",
        Reason="RESOURCE_NOT_ACTIVE",
        ResourceType="phone-number",
        ResourceId=number_id,
    )
    clock.advance(SETTLE)
    expect(
        call(url, "ReleasePhoneNumber", {"PhoneNumberId": number_id}), "ResourceNotFoundException"
    )


def test_idempotency_over_the_wire(server: ReferenceServer) -> None:
    first = call(server.url, "RequestPhoneNumber", {**SIMULATOR, "ClientToken": "wire-token"})
    again = call(server.url, "RequestPhoneNumber", {**SIMULATOR, "ClientToken": "wire-token"})
    assert first.raw == again.raw  # byte-identical answer
    assert first.headers["x-amzn-RequestId"] != again.headers["x-amzn-RequestId"]
    changed = {**SIMULATOR, "NumberCapabilities": ["VOICE"], "ClientToken": "wire-token"}
    expect(call(server.url, "RequestPhoneNumber", changed), "ConflictException")
    listed = call(server.url, "DescribePhoneNumbers", {})
    assert [n["PhoneNumberId"] for n in listed.body["PhoneNumbers"]] == [
        first.body["PhoneNumberId"]
    ]


def test_quota_and_list_limits_over_the_wire() -> None:
    with ReferenceServer(service=ReferenceService(quotas=Quotas(phone_numbers=1))) as server:
        assert call(server.url, "RequestPhoneNumber", SIMULATOR).status == 200
        expect(
            call(server.url, "RequestPhoneNumber", SIMULATOR),
            "ServiceQuotaExceededException",
            Reason="PHONE_NUMBERS_PER_ACCOUNT",
        )
        too_many = [f"phone-{i:032x}" for i in range(model.list_max("PhoneNumberIdList") + 1)]
        body = expect(
            call(server.url, "DescribePhoneNumbers", {"PhoneNumberIds": too_many}),
            "ValidationException",
        )
        assert [f["Name"] for f in body["Fields"]] == ["PhoneNumberIds"]
