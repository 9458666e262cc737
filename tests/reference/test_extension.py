"""Error answers, fault injection, and the seams that seeded-bug variants wrap."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conformance.reference import (
    FaultInjector,
    RawRequest,
    RawResponse,
    ReferenceServer,
    ReferenceService,
    Reply,
    RequestContext,
    ServiceError,
    ServiceWrapper,
    WireApp,
    model,
)
from conformance.reference import faults as faults_module

from .helpers import SIMULATOR, call, error, make_client


class Broken(ServiceWrapper):
    """A handler bug: an exception that is not a ServiceError."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> dict[str, Any]:
        if operation == "RequestPhoneNumber":
            raise KeyError("bug")
        return super().handle(operation, params, ctx)


def test_handler_bug_is_an_internal_server_error(caplog: pytest.LogCaptureFixture) -> None:
    with ReferenceServer(service=Broken(ReferenceService())) as server:
        with caplog.at_level(logging.ERROR, logger="conformance.reference"):
            answer = call(server.url, "RequestPhoneNumber", SIMULATOR)
        assert answer.status == 500
        assert answer.body["__type"] == "InternalServerException"
        assert answer.body["RequestId"] == answer.headers["x-amzn-RequestId"]
        assert any("KeyError" in r.getMessage() or r.exc_info for r in caplog.records)
        assert call(server.url, "DescribePools", {}).status == 200  # still serving


def test_an_app_that_raises_or_returns_junk_is_a_500() -> None:
    def raising(request: RawRequest) -> RawResponse:
        raise RuntimeError("app bug")

    def junk(request: RawRequest) -> RawResponse:
        return "not a response"  # type: ignore[return-value]

    for app in (raising, junk):
        with ReferenceServer(app=app) as server:
            answer = call(server.url, "DescribePools", {})
            assert (answer.status, answer.body["__type"]) == (500, "InternalServerException")


def test_status_codes_follow_the_model() -> None:
    for shape in model.service_model().error_shapes:
        fault = getattr(shape, "_shape_model", {}).get("fault")
        assert ServiceError(shape.name, "m").status == (500 if fault else 400)
    assert ServiceError("InternalServerException", "m").status == 500
    assert ServiceError("ThrottlingException", "m").status == 400
    assert ServiceError("SerializationException", "m").status == 400


def test_error_body_carries_modelled_members(sms: Any) -> None:
    with pytest.raises(ClientError) as exc:
        sms.delete_pool(PoolId="pool-missing")
    found = error(exc)
    assert found == {
        "Code": "ResourceNotFoundException",
        "Status": 400,
        "Message": found["Message"],
        "ResourceType": "pool",
        "ResourceId": "pool-missing",
    }


def test_throttling_everything() -> None:
    with ReferenceServer(throttle_rate=1.0) as server:
        sms = make_client(server.url)
        with pytest.raises(ClientError) as exc:
            sms.request_phone_number(**SIMULATOR)
        assert (error(exc)["Code"], error(exc)["Status"]) == ("ThrottlingException", 400)


def test_throttling_is_seeded_and_proportional() -> None:
    def run(seed: int) -> list[int]:
        with ReferenceServer(throttle_rate=0.3, seed=seed) as server:
            return [call(server.url, "DescribePools", {}).status for _ in range(200)]

    first, again = run(7), run(7)
    assert first == again
    assert 30 <= first.count(400) <= 90
    assert set(first) == {200, 400}
    assert run(8) != first


def test_faults_are_off_by_default() -> None:
    server = ReferenceServer()
    assert isinstance(server.app, WireApp)
    server.stop()


def test_latency_sleeps_before_each_request(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(faults_module.time, "sleep", slept.append)
    inner = WireApp()
    app = FaultInjector(inner, latency=0.25)
    app(RawRequest("POST", "/", {"x-amz-target": "PinpointSMSVoiceV2.DescribePools"}, b""))
    assert slept == [0.25]
    with pytest.raises(ValueError):
        FaultInjector(inner, throttle_rate=1.5)


def test_reply_hooks_post_process_decoded_answers() -> None:
    def drop_id(reply: Reply) -> Reply:
        if reply.operation == "RequestPhoneNumber" and reply.status == 200:
            reply.body.pop("PhoneNumberId")
            reply.body["Status"] = "BOGUS"
            reply.headers["x-seeded-bug"] = "drop-id"
        return reply

    with ReferenceServer(hooks=[drop_id]) as server:
        answer = call(server.url, "RequestPhoneNumber", SIMULATOR, check=False)
        assert answer.status == 200 and answer.headers["x-seeded-bug"] == "drop-id"
        assert "PhoneNumberId" not in answer.body and answer.body["Status"] == "BOGUS"
        with pytest.raises(AssertionError):  # the checking client notices the broken shape
            make_client(server.url).request_phone_number(**SIMULATOR)
        assert call(server.url, "DescribePools", {}).status == 200


def test_hooks_see_a_copy_safe_answer_for_replays() -> None:
    seen: list[dict[str, Any]] = []

    def mutate(reply: Reply) -> Reply:
        seen.append(dict(reply.body))
        reply.body.clear()
        return reply

    service = ReferenceService()
    app = WireApp(service, hooks=[mutate])
    body = (
        b'{"IsoCountryCode":"US","MessageType":"TRANSACTIONAL","NumberCapabilities":["SMS"],'
        b'"NumberType":"SIMULATOR","ClientToken":"tok"}'
    )
    request = RawRequest(
        "POST", "/", {"x-amz-target": "PinpointSMSVoiceV2.RequestPhoneNumber"}, body
    )
    app(request)
    app(request)
    assert seen[0] == seen[1] and seen[0]["PhoneNumberId"].startswith("phone-")


def test_a_wrapped_service_seeds_a_bug() -> None:
    class NoPlusSign(ServiceWrapper):
        """Seeded bug: numbers lose the E.164 '+'."""

        def handle(
            self, operation: str, params: dict[str, Any], ctx: RequestContext
        ) -> dict[str, Any]:
            answer = self.inner.handle(operation, params, ctx)
            if "PhoneNumber" in answer:
                answer["PhoneNumber"] = answer["PhoneNumber"].lstrip("+")
            return answer

    with ReferenceServer(service=NoPlusSign(ReferenceService())) as server:
        made = make_client(server.url).request_phone_number(**SIMULATOR)
        assert made["PhoneNumber"][0].isdigit()
        assert "RequestPhoneNumber" in server.service.operations  # type: ignore[union-attr]


def test_a_configured_validator_accepts_what_the_model_forbids() -> None:
    from conformance.reference.validation import check_operation_input

    def lenient(operation: str, params: dict[str, Any]) -> Any:
        clean, problems = check_operation_input(operation, params)
        return clean, [p for p in problems if p[0] != "Tags[0].Key"]

    service = ReferenceService(validate=lenient)
    ctx = RequestContext("123456789012", "us-east-1", "r")
    made = service.handle(
        "RequestPhoneNumber", {**SIMULATOR, "Tags": [{"Key": "", "Value": "v"}]}, ctx
    )
    assert made["Tags"] == [{"Key": "", "Value": "v"}]
    with pytest.raises(ServiceError):
        ReferenceService().handle(
            "RequestPhoneNumber", {**SIMULATOR, "Tags": [{"Key": "", "Value": "v"}]}, ctx
        )
