"""The optional create/delete rate limit: a token bucket per account and region."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conformance.reference import ReferenceService, RequestContext, ServiceError
from conformance.reference.ratelimit import RateLimiter
from conformance.reference.service import RATE_LIMITED

from .helpers import SIMULATOR, FakeClock, error, make_client, new_token, serve

CTX = RequestContext("123456789012", "us-east-1", "r")


def throttled(exc: pytest.ExceptionInfo[ClientError]) -> bool:
    return (error(exc)["Code"], error(exc)["Status"]) == ("ThrottlingException", 400)


def test_off_by_default() -> None:
    service = ReferenceService(clock=FakeClock())
    for _ in range(20):
        service.handle("CreateRegistration", {"RegistrationType": "T"}, CTX)


def test_one_per_second_with_a_burst_of_one(clock: FakeClock) -> None:
    with serve(clock=clock, create_delete_rate=1, create_delete_burst=1) as server:
        sms = make_client(server.url)
        made = sms.request_phone_number(**SIMULATOR)
        with pytest.raises(ClientError) as exc:
            sms.request_phone_number(**SIMULATOR)
        assert throttled(exc)
        clock.advance(0.5)
        with pytest.raises(ClientError) as exc:
            sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"])
        assert throttled(exc)
        for _ in range(5):  # reads and other writes are not limited
            sms.describe_phone_numbers()
            sms.update_phone_number(PhoneNumberId=made["PhoneNumberId"], TwoWayEnabled=False)
            sms.tag_resource(ResourceArn=made["PhoneNumberArn"], Tags=[{"Key": "k", "Value": ""}])
        assert len(sms.describe_phone_numbers()["PhoneNumbers"]) == 1  # throttled: no change
        clock.advance(0.5)
        assert sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"])["Status"] == (
            "DISASSOCIATING"
        )
        with pytest.raises(ClientError) as exc:
            sms.create_opt_out_list(OptOutListName="later")
        assert throttled(exc)


def test_a_burst_lets_that_many_through(clock: FakeClock) -> None:
    with serve(clock=clock, create_delete_rate=2, create_delete_burst=3) as server:
        sms = make_client(server.url)
        for i in range(3):
            sms.create_opt_out_list(OptOutListName=f"list-{i}")
        with pytest.raises(ClientError) as exc:
            sms.create_opt_out_list(OptOutListName="list-3")
        assert throttled(exc)
        clock.advance(0.5)  # one token back at 2 per second
        sms.create_opt_out_list(OptOutListName="list-3")
        with pytest.raises(ClientError) as exc:
            sms.delete_opt_out_list(OptOutListName="list-0")
        assert throttled(exc)
        clock.advance(10)  # refills up to the burst, no further
        for i in range(3):
            sms.delete_opt_out_list(OptOutListName=f"list-{i}")
        with pytest.raises(ClientError) as exc:
            sms.delete_opt_out_list(OptOutListName="list-3")
        assert throttled(exc)


def test_a_throttled_request_does_not_consume_its_token(clock: FakeClock) -> None:
    with serve(clock=clock, create_delete_rate=1) as server:
        sms = make_client(server.url)
        sms.request_phone_number(**SIMULATOR)
        token = new_token()
        with pytest.raises(ClientError) as exc:
            sms.request_phone_number(**SIMULATOR, ClientToken=token)
        assert throttled(exc)
        assert len(sms.describe_phone_numbers()["PhoneNumbers"]) == 1
        clock.advance(1)
        made = sms.request_phone_number(**SIMULATOR, ClientToken=token)
        assert len(sms.describe_phone_numbers()["PhoneNumbers"]) == 2
        clock.advance(1)
        again = sms.request_phone_number(**SIMULATOR, ClientToken=token)
        assert again["PhoneNumberId"] == made["PhoneNumberId"]  # a replay, nothing new
        assert len(sms.describe_phone_numbers()["PhoneNumbers"]) == 2


def test_buckets_are_per_account_and_region(clock: FakeClock) -> None:
    with serve(clock=clock, create_delete_rate=1) as server:
        for key, region in (("111111111111", "us-east-1"), ("222222222222", "us-east-1")):
            make_client(server.url, key=key, region=region).create_registration(
                RegistrationType="T"
            )
        make_client(server.url, key="111111111111", region="eu-west-1").create_registration(
            RegistrationType="T"
        )
        with pytest.raises(ClientError) as exc:
            make_client(server.url, key="111111111111").create_registration(RegistrationType="T")
        assert throttled(exc)


@pytest.mark.parametrize("operation", sorted(RATE_LIMITED))
def test_every_limited_operation_is_throttled(operation: str) -> None:
    service = ReferenceService(clock=FakeClock(), create_delete_rate=1)
    with pytest.raises(ServiceError) as first:  # empty input: refused, but it took a token
        service.handle(operation, {}, CTX)
    assert first.value.code == "ValidationException"
    with pytest.raises(ServiceError) as second:
        service.handle(operation, {}, CTX)
    assert (second.value.code, second.value.status) == ("ThrottlingException", 400)


def test_the_bucket_refills_and_forgets_full_buckets() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1, 2, clock)
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
    clock.advance(0.999)
    assert not limiter.allow("a")
    clock.advance(0.001)
    assert limiter.allow("a") and not limiter.allow("a")
    for i in range(10_000):
        assert limiter.allow(i)
        clock.advance(2)  # every earlier bucket is full again
    assert len(limiter._buckets) < 5_000


@pytest.mark.parametrize(
    "kwargs",
    [
        {"create_delete_rate": 0},
        {"create_delete_rate": -1},
        {"create_delete_rate": float("nan")},
        {"create_delete_rate": float("inf")},
        {"create_delete_burst": 0},
        {"create_delete_rate": 1, "create_delete_burst": 1.5},
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ReferenceService(**kwargs)
