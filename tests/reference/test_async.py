"""Asynchronous states: PENDING numbers, DISASSOCIATING releases, DELETING pools.

The real service changes these states some time after the request (see aws-behavior.md,
"The service is asynchronous"); the reference does so after ``settle`` seconds of its
clock, here a :class:`FakeClock` the tests move by hand.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conformance.reference import Quotas, ReferenceService, RequestContext

from .helpers import SETTLE, SIMULATOR, FakeClock, error, make_client, serve

TOLL_FREE = {**SIMULATOR, "NumberType": "TOLL_FREE"}
CTX = RequestContext("123456789012", "us-east-1", "r")


def status(sms: Any, number_id: str) -> str:
    [info] = sms.describe_phone_numbers(PhoneNumberIds=[number_id])["PhoneNumbers"]
    value: str = info["Status"]
    return value


def listed(sms: Any) -> dict[str, str]:
    return {n["PhoneNumberId"]: n["Status"] for n in sms.describe_phone_numbers()["PhoneNumbers"]}


def not_active(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, str, str]:
    found = error(exc)
    return (found["Code"], found["Reason"], found["ResourceType"], found["ResourceId"])


# -- RequestPhoneNumber: PENDING, then ACTIVE ---------------------------------------------


@pytest.mark.parametrize(
    "request_",
    [TOLL_FREE, {**SIMULATOR, "NumberType": "LONG_CODE", "MessageType": "PROMOTIONAL"}],
)
def test_a_new_number_is_pending_until_it_settles(
    timed: Any, clock: FakeClock, request_: dict[str, Any]
) -> None:
    made = timed.request_phone_number(**request_)
    assert made["Status"] == "PENDING"
    assert status(timed, made["PhoneNumberId"]) == "PENDING"
    clock.advance(SETTLE / 2)
    assert listed(timed) == {made["PhoneNumberId"]: "PENDING"}
    clock.advance(SETTLE / 2)
    assert status(timed, made["PhoneNumberId"]) == "ACTIVE"
    assert listed(timed) == {made["PhoneNumberId"]: "ACTIVE"}


def test_a_simulator_number_is_active_at_once_by_default(timed: Any) -> None:
    made = timed.request_phone_number(**SIMULATOR)
    assert made["Status"] == "ACTIVE"
    assert status(timed, made["PhoneNumberId"]) == "ACTIVE"


def test_simulator_numbers_can_be_pending_too(clock: FakeClock) -> None:
    with serve(clock=clock, simulator_status="PENDING") as server:
        sms = make_client(server.url)
        made = sms.request_phone_number(**SIMULATOR)
        assert made["Status"] == "PENDING"
        assert status(sms, made["PhoneNumberId"]) == "PENDING"
        clock.advance(SETTLE)
        assert status(sms, made["PhoneNumberId"]) == "ACTIVE"


def test_a_pending_number_may_be_updated(timed: Any) -> None:  # a choice: not known
    made = timed.request_phone_number(**TOLL_FREE)
    updated = timed.update_phone_number(PhoneNumberId=made["PhoneNumberId"], TwoWayEnabled=True)
    assert (updated["Status"], updated["TwoWayEnabled"]) == ("PENDING", True)


def test_a_number_released_while_pending_does_not_become_active(
    timed: Any, clock: FakeClock
) -> None:
    made = timed.request_phone_number(**TOLL_FREE)
    clock.advance(SETTLE / 2)
    assert timed.release_phone_number(PhoneNumberId=made["PhoneNumberId"])["Status"] == (
        "DISASSOCIATING"
    )
    clock.advance(SETTLE / 2)  # its provisioning would settle now
    assert status(timed, made["PhoneNumberId"]) == "DISASSOCIATING"
    clock.advance(SETTLE / 2)
    assert listed(timed) == {}


# -- ReleasePhoneNumber: DISASSOCIATING, then gone ----------------------------------------


def test_a_released_number_lingers_disassociating_then_is_gone(
    timed: Any, clock: FakeClock
) -> None:
    made = timed.request_phone_number(**SIMULATOR, Tags=[{"Key": "k", "Value": "v"}])
    number_id, arn = made["PhoneNumberId"], made["PhoneNumberArn"]
    released = timed.release_phone_number(PhoneNumberId=number_id)
    assert (released["PhoneNumberId"], released["Status"]) == (number_id, "DISASSOCIATING")
    assert status(timed, number_id) == "DISASSOCIATING"
    assert status(timed, arn) == "DISASSOCIATING"
    assert listed(timed) == {number_id: "DISASSOCIATING"}
    only = timed.describe_phone_numbers(Filters=[{"Name": "status", "Values": ["DISASSOCIATING"]}])
    assert [n["PhoneNumberId"] for n in only["PhoneNumbers"]] == [number_id]
    assert timed.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]

    clock.advance(SETTLE - SETTLE / 10)
    assert status(timed, number_id) == "DISASSOCIATING"
    clock.advance(SETTLE / 10)
    assert listed(timed) == {}
    for gone, ref in (
        (lambda: timed.describe_phone_numbers(PhoneNumberIds=[number_id]), number_id),
        (lambda: timed.release_phone_number(PhoneNumberId=number_id), number_id),
        (lambda: timed.update_phone_number(PhoneNumberId=number_id, TwoWayEnabled=True), number_id),
        (lambda: timed.list_tags_for_resource(ResourceArn=arn), arn),
    ):
        with pytest.raises(ClientError) as exc:
            gone()
        assert (error(exc)["Code"], error(exc)["ResourceId"]) == ("ResourceNotFoundException", ref)


def test_writes_to_a_disassociating_number_conflict(timed: Any) -> None:
    made = timed.request_phone_number(**SIMULATOR)
    number_id, arn = made["PhoneNumberId"], made["PhoneNumberArn"]
    timed.release_phone_number(PhoneNumberId=number_id)
    for write in (
        lambda: timed.release_phone_number(PhoneNumberId=number_id),
        lambda: timed.update_phone_number(PhoneNumberId=number_id, TwoWayEnabled=True),
        lambda: timed.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "b"}]),
        lambda: timed.untag_resource(ResourceArn=arn, TagKeys=["a"]),
        lambda: timed.create_pool(OriginationIdentity=number_id, MessageType="TRANSACTIONAL"),
    ):
        with pytest.raises(ClientError) as exc:
            write()
        assert not_active(exc) == (
            "ConflictException",
            "RESOURCE_NOT_ACTIVE",
            "phone-number",
            number_id,
        )
        assert error(exc)["Status"] == 400
    assert timed.list_tags_for_resource(ResourceArn=arn)["Tags"] == []  # nothing changed
    assert timed.describe_pools()["Pools"] == []


def test_a_disassociating_number_does_not_count_towards_the_quota(clock: FakeClock) -> None:
    with serve(clock=clock, quotas=Quotas(phone_numbers=1)) as server:
        sms = make_client(server.url)
        first = sms.request_phone_number(**SIMULATOR)
        with pytest.raises(sms.exceptions.ServiceQuotaExceededException):
            sms.request_phone_number(**SIMULATOR)
        sms.release_phone_number(PhoneNumberId=first["PhoneNumberId"])
        second = sms.request_phone_number(**SIMULATOR)
        assert listed(sms) == {
            first["PhoneNumberId"]: "DISASSOCIATING",
            second["PhoneNumberId"]: "ACTIVE",
        }


def test_a_disassociating_number_does_not_hold_its_opt_out_list(timed: Any) -> None:
    timed.create_opt_out_list(OptOutListName="used")
    made = timed.request_phone_number(**SIMULATOR, OptOutListName="used")
    timed.release_phone_number(PhoneNumberId=made["PhoneNumberId"])
    assert status(timed, made["PhoneNumberId"]) == "DISASSOCIATING"
    assert timed.delete_opt_out_list(OptOutListName="used")["OptOutListName"] == "used"


def test_the_phone_number_is_held_until_the_release_settles() -> None:
    clock = FakeClock()
    service = ReferenceService(clock=clock)
    made = service.handle("RequestPhoneNumber", dict(SIMULATOR), CTX)
    held = len(service.numbers)
    service.handle("ReleasePhoneNumber", {"PhoneNumberId": made["PhoneNumberId"]}, CTX)
    assert len(service.numbers) == held  # not handed out while DISASSOCIATING
    clock.advance(SETTLE)
    service.handle("DescribePhoneNumbers", {}, CTX)
    assert len(service.numbers) == held - 1  # free to be handed out again


# -- DeletePool: DELETING, then gone ------------------------------------------------------


def test_a_deleted_pool_lingers_and_keeps_its_numbers(timed: Any, clock: FakeClock) -> None:
    number = timed.request_phone_number(**SIMULATOR)
    number_id = number["PhoneNumberId"]
    pool = timed.create_pool(OriginationIdentity=number_id, MessageType="TRANSACTIONAL")
    pool_id = pool["PoolId"]
    deleted = timed.delete_pool(PoolId=pool_id)
    assert (deleted["PoolId"], deleted["Status"]) == (pool_id, "DELETING")
    [info] = timed.describe_pools(PoolIds=[pool_id])["Pools"]
    assert info["Status"] == "DELETING"
    [described] = timed.describe_phone_numbers(PhoneNumberIds=[number_id])["PhoneNumbers"]
    assert described["PoolId"] == pool_id

    with pytest.raises(ClientError) as exc:  # what Terraform retries on
        timed.release_phone_number(PhoneNumberId=number_id)
    assert (error(exc)["Code"], error(exc)["Reason"]) == (
        "ConflictException",
        "PHONE_NUMBER_ASSOCIATED_TO_POOL",
    )
    for write in (
        lambda: timed.delete_pool(PoolId=pool_id),
        lambda: timed.tag_resource(ResourceArn=pool["PoolArn"], Tags=[{"Key": "a", "Value": "b"}]),
        lambda: timed.request_phone_number(**SIMULATOR, PoolId=pool_id),
    ):
        with pytest.raises(ClientError) as exc:
            write()
        assert not_active(exc) == ("ConflictException", "RESOURCE_NOT_ACTIVE", "pool", pool_id)
    assert list(listed(timed)) == [number_id]  # the refused request created nothing

    clock.advance(SETTLE)
    assert timed.describe_pools()["Pools"] == []
    with pytest.raises(timed.exceptions.ResourceNotFoundException):
        timed.describe_pools(PoolIds=[pool_id])
    [described] = timed.describe_phone_numbers(PhoneNumberIds=[number_id])["PhoneNumbers"]
    assert "PoolId" not in described
    assert timed.release_phone_number(PhoneNumberId=number_id)["Status"] == "DISASSOCIATING"


# -- settle=0: instant ------------------------------------------------------------------


def test_settle_zero_is_instant() -> None:
    with serve(settle=0, clock=FakeClock()) as server:
        sms = make_client(server.url)
        made = sms.request_phone_number(**TOLL_FREE)
        assert made["Status"] == "PENDING"  # the documented answer is kept
        assert status(sms, made["PhoneNumberId"]) == "ACTIVE"
        released = sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"])
        assert released["Status"] == "DELETED"
        assert listed(sms) == {}
        with pytest.raises(sms.exceptions.ResourceNotFoundException):
            sms.describe_phone_numbers(PhoneNumberIds=[made["PhoneNumberId"]])

        number_id = sms.request_phone_number(**SIMULATOR)["PhoneNumberId"]
        pool = sms.create_pool(OriginationIdentity=number_id, MessageType="TRANSACTIONAL")
        assert sms.delete_pool(PoolId=pool["PoolId"])["Status"] == "DELETING"
        assert sms.describe_pools()["Pools"] == []
        assert sms.release_phone_number(PhoneNumberId=number_id)["Status"] == "DELETED"


def test_settle_zero_with_pending_simulators() -> None:
    with serve(settle=0, simulator_status="PENDING") as server:
        sms = make_client(server.url)
        made = sms.request_phone_number(**SIMULATOR)
        assert made["Status"] == "PENDING"
        assert status(sms, made["PhoneNumberId"]) == "ACTIVE"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"settle": -1},
        {"settle": float("nan")},
        {"settle": float("inf")},
        {"simulator_status": "DELETED"},
        {"simulator_status": "active"},
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ReferenceService(**kwargs)
