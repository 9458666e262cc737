"""Client tokens: one token, one resource; bounded memory; safe under concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conformance.reference import Quotas, ReferenceServer, ReferenceService, RequestContext, model

from .helpers import SIMULATOR, FakeClock, error, make_client, new_token


def without_metadata(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k != "ResponseMetadata"}


def test_idempotent_operations_come_from_the_model() -> None:
    service = ReferenceService()
    marked = {op for op in service.operations if model.idempotency_member(op)}
    assert marked == {"RequestPhoneNumber", "CreatePool", "CreateOptOutList", "CreateRegistration"}


def test_same_token_same_parameters_replays(sms: Any) -> None:
    token = new_token()
    first = without_metadata(sms.request_phone_number(**SIMULATOR, ClientToken=token))
    second = without_metadata(sms.request_phone_number(**SIMULATOR, ClientToken=token))
    assert first == second
    assert len(sms.describe_phone_numbers()["PhoneNumbers"]) == 1


def test_replay_survives_release(sms: Any) -> None:
    token = new_token()
    first = without_metadata(sms.request_phone_number(**SIMULATOR, ClientToken=token))
    sms.release_phone_number(PhoneNumberId=first["PhoneNumberId"])
    assert without_metadata(sms.request_phone_number(**SIMULATOR, ClientToken=token)) == first
    listed = sms.describe_phone_numbers()["PhoneNumbers"]  # only the released one, if any
    assert [n["PhoneNumberId"] for n in listed] in ([], [first["PhoneNumberId"]])
    assert all(n["Status"] == "DISASSOCIATING" for n in listed)


def test_same_token_different_parameters_conflicts(sms: Any) -> None:
    token = new_token()
    sms.request_phone_number(**SIMULATOR, ClientToken=token)
    for change in (
        {"NumberCapabilities": ["VOICE"]},
        {"DeletionProtectionEnabled": True},
        {"Tags": [{"Key": "k", "Value": "v"}]},
    ):
        with pytest.raises(ClientError) as exc:
            sms.request_phone_number(**{**SIMULATOR, **change}, ClientToken=token)
        assert error(exc)["Code"] == "ConflictException"
    assert len(sms.describe_phone_numbers()["PhoneNumbers"]) == 1


def test_tokens_are_scoped_to_account_and_operation(server: ReferenceServer) -> None:
    token = new_token()
    alice = make_client(server.url, key="111111111111")
    bob = make_client(server.url, key="222222222222")
    a = alice.request_phone_number(**SIMULATOR, ClientToken=token)
    b = bob.request_phone_number(**SIMULATOR, ClientToken=token)
    assert a["PhoneNumberId"] != b["PhoneNumberId"]
    alice.create_opt_out_list(OptOutListName="same-token", ClientToken=token)


def test_a_failed_request_does_not_consume_the_token(sms: Any) -> None:
    token = new_token()
    with pytest.raises(sms.exceptions.ResourceNotFoundException):
        sms.request_phone_number(**SIMULATOR, OptOutListName="later", ClientToken=token)
    sms.create_opt_out_list(OptOutListName="later")
    made = sms.request_phone_number(**SIMULATOR, OptOutListName="later", ClientToken=token)
    assert made["OptOutListName"] == "later"


def test_create_operations_are_idempotent(sms: Any) -> None:
    token = new_token()
    first = without_metadata(sms.create_opt_out_list(OptOutListName="once", ClientToken=token))
    assert (
        without_metadata(sms.create_opt_out_list(OptOutListName="once", ClientToken=token)) == first
    )
    with pytest.raises(ClientError) as exc:  # without the token it is a second create
        sms.create_opt_out_list(OptOutListName="once")
    assert error(exc)["Reason"] == "RESOURCE_ALREADY_EXISTS"
    registration = without_metadata(
        sms.create_registration(RegistrationType="T", ClientToken=token)
    )
    again = without_metadata(sms.create_registration(RegistrationType="T", ClientToken=token))
    assert registration == again
    assert len(sms.describe_registrations()["Registrations"]) == 1


def test_concurrent_requests_with_one_token_create_one_number(server: ReferenceServer) -> None:
    token = new_token()
    clients = [make_client(server.url) for _ in range(8)]
    barrier = threading.Barrier(len(clients))

    def request(client: Any) -> dict[str, Any]:
        barrier.wait()
        return without_metadata(client.request_phone_number(**SIMULATOR, ClientToken=token))

    with ThreadPoolExecutor(len(clients)) as pool:
        answers = list(pool.map(request, clients))
    assert all(a == answers[0] for a in answers)
    assert len(clients[0].describe_phone_numbers()["PhoneNumbers"]) == 1


def test_concurrent_requests_respect_the_quota() -> None:
    with ReferenceServer(service=ReferenceService(quotas=Quotas(phone_numbers=5))) as server:
        clients = [make_client(server.url) for _ in range(8)]

        def request(client: Any) -> list[str]:
            codes = []
            for _ in range(3):
                try:
                    client.request_phone_number(**SIMULATOR)
                    codes.append("ok")
                except ClientError as exc:
                    codes.append(exc.response["Error"]["Code"])
            return codes

        with ThreadPoolExecutor(len(clients)) as pool:
            codes = [c for batch in pool.map(request, clients) for c in batch]
        assert codes.count("ok") == 5
        assert set(codes) == {"ok", "ServiceQuotaExceededException"}
        listed = clients[0].describe_phone_numbers()["PhoneNumbers"]
        assert len({n["PhoneNumber"] for n in listed}) == 5


def test_token_cache_is_bounded_and_memory_stays_flat() -> None:
    clock = FakeClock()
    service = ReferenceService(token_cache_size=1000, clock=clock)
    ctx = RequestContext("123456789012", "us-east-1", "r")
    first = service.handle("RequestPhoneNumber", {**SIMULATOR, "ClientToken": "t-0"}, ctx)
    for i in range(50_000):  # 100,000 requests; each released number lingers, then goes
        made = service.handle("RequestPhoneNumber", {**SIMULATOR, "ClientToken": f"t-{i + 1}"}, ctx)
        service.handle("ReleasePhoneNumber", {"PhoneNumberId": made["PhoneNumberId"]}, ctx)
        clock.advance(service.settle)
    service.handle("DescribePhoneNumbers", {}, ctx)  # lets the last release settle
    assert len(service.store.tokens) == 1000
    state = service.store.state("123456789012", "us-east-1")
    assert state.count("phone-number") == 1  # only the first one is still held
    assert len(state.all("phone-number")) == 1  # nothing lingers past its settle time
    assert len(service.numbers) <= 1 + 64  # held numbers plus one batch of stock
    # the oldest token was evicted: reusing it now creates a new number (documented)
    again = service.handle("RequestPhoneNumber", {**SIMULATOR, "ClientToken": "t-0"}, ctx)
    assert again["PhoneNumberId"] != first["PhoneNumberId"]


def test_reads_of_unknown_accounts_leave_nothing_behind() -> None:
    service = ReferenceService()
    for i in range(200):
        ctx = RequestContext(f"{i:012d}", "us-east-1", "r")
        service.handle("DescribeOptOutLists", {}, ctx)
        service.handle("DescribePhoneNumbers", {}, ctx)
    assert service.store._states == {}
