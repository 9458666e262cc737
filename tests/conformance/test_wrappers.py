"""``--client-factory``: the suite drives an SDK wrapper (sync or async) instead of botocore.

The example wrappers in conformance/examples/ (installed with the package) are the
subjects: the worked one passes against the reference, the ones with planted bugs are
flagged by the invariant that names the bug.
"""

from __future__ import annotations

import asyncio
import fnmatch
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from conformance.endpoint.client import dummy_credentials
from conformance.endpoint.wrappers import (
    NOTE_HEADER,
    REQUIRED_METHODS,
    WrapperClient,
    WrapperError,
    load_factory,
)
from conformance.examples import buggy_wrappers, sms_wrapper
from conformance.reference import ReferenceServer

from .test_suite_end_to_end import run_suite, statuses

ROOT = Path(__file__).parents[2]
SIMULATOR = {
    "IsoCountryCode": "US",
    "MessageType": "TRANSACTIONAL",
    "NumberType": "SIMULATOR",
    "NumberCapabilities": ["SMS"],
}


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer() as running:
        yield running


def _client(server: ReferenceServer, factory: Any) -> WrapperClient:
    return WrapperClient(server.url, "us-east-1", dummy_credentials(), factory)


def _run(pytester: pytest.Pytester, factory: str, *args: str) -> tuple[Any, dict[str, Any]]:
    # as a user runs it: from a directory outside the clone, only the installed package
    pytester._monkeypatch.delenv("PYTHONPATH", raising=False)
    assert not pytester.path.is_relative_to(ROOT)
    return run_suite(pytester, "--client-factory", factory, *args)


# -- the adapter, in process ---------------------------------------------------------------
def test_a_call_through_the_wrapper_keeps_the_raw_exchange(server: ReferenceServer) -> None:
    client = _client(server, sms_wrapper.make_client)
    outcome = client.call("RequestPhoneNumber", {**SIMULATOR, "Tags": [{"Key": "k", "Value": "v"}]})
    client.close()
    assert outcome.ok and outcome.body["PhoneNumberId"].startswith("phone-")
    assert isinstance(outcome.body["CreatedTimestamp"], float)  # back in wire form
    assert "ResponseMetadata" not in outcome.body
    exchange = outcome.exchange
    assert exchange.url.startswith(server.url)
    assert exchange.header("x-amzn-RequestId")  # the wire's headers
    assert "Signature=<redacted>" in exchange.request_headers["Authorization"]
    assert json.loads(exchange.request_body)["Tags"] == [{"Key": "k", "Value": "v"}]
    assert exchange.header(NOTE_HEADER) is None


def test_errors_raised_by_the_wrapper_are_read_like_the_wire(server: ReferenceServer) -> None:
    client = _client(server, sms_wrapper.make_client)
    outcome = client.call("RequestPhoneNumber", {**SIMULATOR, "PoolId": "pool-missing"})
    client.close()
    assert outcome.status == 400
    assert outcome.error_code == outcome.sdk_error_code == "ResourceNotFoundException"
    assert outcome.body["ResourceType"] == "pool"


def test_a_swallowed_error_is_the_wrappers_broken_contract(server: ReferenceServer) -> None:
    client = _client(server, buggy_wrappers.error_swallowing)
    with pytest.raises(WrapperError) as raised:
        client.call("RequestPhoneNumber", {**SIMULATOR, "PoolId": "pool-missing"})
    client.close()
    assert str(raised.value) == (
        "the wrapper's request_phone_number returned None, not a response dict "
        "(the endpoint answered HTTP 400 ResourceNotFoundException)"
    )


class _Returns(sms_wrapper.SmsNumbers):
    """A wrapper whose every operation returns ``RETURNED`` after calling the service."""

    RETURNED: Any = None

    def __getattribute__(self, name: str) -> Any:
        if name in REQUIRED_METHODS:
            method = getattr(self._client, name)
            returned = type(self).RETURNED
            return lambda **kwargs: (method(**kwargs), returned)[1]
        return super().__getattribute__(name)


@pytest.mark.parametrize(
    ("returned", "shown"), [(None, "None"), ("ok", "'ok' (a str)"), ([1], "[1] (a list)")]
)
def test_a_wrapper_returning_no_response_dict_is_one_clear_error(
    server: ReferenceServer, returned: Any, shown: str
) -> None:
    class Returns(_Returns):
        RETURNED = returned

    def factory(*, endpoint_url: str, session: boto3.Session) -> Returns:
        return Returns(session.client(sms_wrapper.SERVICE, endpoint_url=endpoint_url))

    client = _client(server, factory)
    with pytest.raises(WrapperError) as raised:
        client.call("RequestPhoneNumber", SIMULATOR)
    client.close()
    assert str(raised.value) == (
        f"the wrapper's request_phone_number returned {shown}, not a response dict "
        "(the endpoint answered HTTP 200)"
    )


NONE_RETURNING = """
from typing import Any

import boto3

SERVICE = "pinpoint-sms-voice-v2"
NAMES = ("request_phone_number", "describe_phone_numbers", "list_tags_for_resource",
         "update_phone_number", "release_phone_number")


class ReturnsNone:
    def __init__(self, client: Any) -> None:
        for name in NAMES:
            method = getattr(client, name)
            setattr(self, name, lambda _m=method, **kwargs: (_m(**kwargs), None)[1])


def make_client(*, endpoint_url: str, session: boto3.Session) -> ReturnsNone:
    return ReturnsNone(session.client(SERVICE, endpoint_url=endpoint_url))
"""


def test_a_wrapper_returning_none_fails_the_invariants_in_one_line(
    pytester: pytest.Pytester,
) -> None:
    factory = pytester.makepyfile(none_returning=NONE_RETURNING)
    result, report = _run(
        pytester,
        f"{factory}:make_client",
        "-k",
        "echoed or test_formats or same_token_same_parameters",
    )
    assert result.ret == 1
    caught = ("RPN-ECHO", "RPN-FORMATS", "IDEMP-SAME")
    assert statuses(report) == dict.fromkeys(caught, "failed")
    expected = (
        "the wrapper's request_phone_number returned None, not a response dict "
        "(the endpoint answered HTTP 200)"
    )
    for entry in report["invariants"]:
        assert {f["message"] for f in entry["failures"]} == {expected}, entry
        assert entry["failures"][0]["exchange"]["response"]["status"] == 200
    out = result.stdout.str() + result.stderr.str()
    assert "AttributeError" not in out and "Traceback" not in out
    summary = [line.strip() for line in result.stdout.lines if line.strip().startswith("FAILED ")]
    for caught_id in caught:  # the summary's line for each: the message, no code
        line = next(line for line in summary if line.startswith(f"FAILED {caught_id} "))
        assert line.endswith(f": {expected}"), line


def test_a_wrapper_ignoring_the_session_is_judged_without_raw_exchanges(
    server: ReferenceServer,
) -> None:
    client = _client(server, buggy_wrappers.session_ignoring)
    missing = client.call("RequestPhoneNumber", {**SIMULATOR, "PoolId": "pool-missing"})
    created = client.call("RequestPhoneNumber", SIMULATOR)
    client.close()
    assert missing.status == 400 and missing.error_code == "ResourceNotFoundException"
    assert missing.body["ResourceId"] == "pool-missing"  # modelled members kept
    assert created.ok and created.body["PhoneNumber"].startswith("+1")
    assert created.exchange.header("x-amzn-RequestId")  # from ResponseMetadata
    for outcome in (missing, created):
        assert "did not use the given session" in (outcome.exchange.header(NOTE_HEADER) or "")
        assert "Authorization" not in outcome.exchange.request_headers


def test_a_wrapper_lacking_an_operation_is_refused(server: ReferenceServer) -> None:
    class OnlyRequests:
        def request_phone_number(self, **kwargs: Any) -> Any:
            return {}

    def factory(*, endpoint_url: str) -> OnlyRequests:
        return OnlyRequests()

    with pytest.raises(WrapperError, match="lacks describe_phone_numbers"):
        _client(server, factory)


def test_a_wrapper_raising_something_else_is_reported(server: ReferenceServer) -> None:
    class Raises(sms_wrapper.SmsNumbers):
        def request_phone_number(self, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

    def factory(*, endpoint_url: str, region_name: str, session: boto3.Session) -> Raises:
        return Raises(session.client(sms_wrapper.SERVICE, endpoint_url=endpoint_url))

    client = _client(server, factory)
    with pytest.raises(WrapperError, match="raised RuntimeError: boom"):
        client.call("RequestPhoneNumber", SIMULATOR)
    client.close()


def test_the_factory_spec_is_module_or_file() -> None:
    spec = "conformance.examples.sms_wrapper:make_client"
    assert load_factory(spec) is sms_wrapper.make_client
    by_path = load_factory(f"{Path(sms_wrapper.__file__)}:make_client")
    assert by_path.__name__ == "make_client"
    with pytest.raises(ValueError, match="module:callable"):
        load_factory("conformance.examples.sms_wrapper")
    with pytest.raises(ValueError, match="not a callable"):
        load_factory("conformance.examples.sms_wrapper:SERVICE")


def test_the_old_examples_path_still_works_inside_the_clone() -> None:
    from examples import sms_wrapper as old

    assert old.make_client is sms_wrapper.make_client


# -- async ---------------------------------------------------------------------------------
class _FakeAsync:
    """An async wrapper over a sync boto3 client (coroutines that yield to the loop)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)

        async def call(**kwargs: Any) -> Any:
            await asyncio.sleep(0)
            return method(**kwargs)

        return call

    async def close(self) -> None:
        self._client.close()


async def _fake_async_factory(*, endpoint_url: str, session: boto3.Session) -> _FakeAsync:
    await asyncio.sleep(0)
    return _FakeAsync(session.client(sms_wrapper.SERVICE, endpoint_url=endpoint_url))


def test_async_wrappers_run_on_a_private_loop(server: ReferenceServer) -> None:
    client = _client(server, _fake_async_factory)
    created = client.call("RequestPhoneNumber", SIMULATOR)
    missing = client.call("RequestPhoneNumber", {**SIMULATOR, "PoolId": "pool-missing"})
    client.close()
    assert created.ok and created.exchange.url.startswith(server.url)
    assert missing.error_code == missing.sdk_error_code == "ResourceNotFoundException"


# aiobotocore is not in the test extra (its botocore pin would hold back the model the
# other tests run against): these run in `tox -e async` and in .ci/run's async step.
needs_aiobotocore = pytest.mark.skipif(
    importlib.util.find_spec("aiobotocore") is None, reason="needs the async extra (tox -e async)"
)


@needs_aiobotocore
def test_concurrent_calls_through_aiobotocore_keep_their_own_exchanges(
    server: ReferenceServer,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from conformance.examples import async_sms_wrapper

    client = _client(server, async_sms_wrapper.make_client)
    tokens = [f"token-{i}" for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(
            pool.map(
                lambda t: client.call("RequestPhoneNumber", {**SIMULATOR, "ClientToken": t}),
                tokens,
            )
        )
    client.close()
    assert all(o.ok for o in outcomes)
    sent = [json.loads(o.exchange.request_body)["ClientToken"] for o in outcomes]
    assert sent == tokens  # each outcome carries the exchange of its own call
    assert len({o.body["PhoneNumberId"] for o in outcomes}) == 8


# -- the suite, end to end -------------------------------------------------------------------
def test_the_worked_wrapper_passes_against_the_reference(pytester: pytest.Pytester) -> None:
    spec = "conformance.examples.sms_wrapper:make_client"
    result, report = _run(pytester, spec)
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert set(statuses(report).values()) == {"passed"}
    # a wrapper over the endpoint: both named, and which invariants went where
    assert report["target"]["kind"] == "wrapper"
    assert report["target"]["client_factory"] == spec
    assert report["target"]["endpoint"].startswith("http://127.0.0.1:")
    judged = {e["id"]: e["judged"] for e in report["invariants"]}
    assert judged["LIFECYCLE"]["client"] > 0 and judged["LIFECYCLE"]["endpoint"] == 0
    assert judged["PROTO-MALFORMED"] == {
        "client": 0,
        "endpoint": judged["PROTO-MALFORMED"]["endpoint"],
    }
    assert judged["PROTO-MALFORMED"]["endpoint"] > 0
    result.stdout.fnmatch_lines(
        [
            f"*conformance: http://127.0.0.1:* through the client {spec}",
            f"*judged: through the client {spec}, and for raw requests * directly*",
            "*sent directly: *PROTO-MALFORMED*",
        ]
    )


@needs_aiobotocore
def test_the_aiobotocore_wrapper_passes_against_the_reference(pytester: pytest.Pytester) -> None:
    result, report = _run(
        pytester,
        "conformance.examples.async_sms_wrapper:make_client",
        "-k",
        "lifecycle or missing or SCHEMA or concurrent or boto3",
    )
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert statuses(report) == dict.fromkeys(
        (
            "LIFECYCLE",
            "RES-NOT-FOUND",
            "RPN-SCHEMA",
            "ERR-BODY",
            "IDEMP-CONCURRENT",
            "ERR-SDK-READABLE",
        ),
        "passed",
    )


@pytest.mark.parametrize(
    ("factory", "selected", "caught_by", "message"),
    [
        ("tag_dropping", "number_lifecycle", "LIFECYCLE", "*0 tags*requested"),
        (
            "error_swallowing",
            "missing",
            "RES-NOT-FOUND",
            "the wrapper's request_phone_number returned None, not a response dict "
            "(the endpoint answered HTTP 400 ResourceNotFoundException)",
        ),
    ],
)
def test_a_planted_bug_is_flagged_by_its_invariant(
    pytester: pytest.Pytester, factory: str, selected: str, caught_by: str, message: str
) -> None:
    spec = f"conformance.examples.buggy_wrappers:{factory}"
    result, report = _run(pytester, spec, "-k", selected)
    assert result.ret == 1, result.stdout.str()[-3000:]
    assert statuses(report) == {caught_by: "failed"}
    failure = next(e for e in report["invariants"] if e["id"] == caught_by)["failures"][0]
    assert fnmatch.fnmatchcase(failure["message"], message), failure["message"]
    assert failure["exchange"]["request"]["url"].startswith("http://127.0.0.1:")
    result.stdout.fnmatch_lines([f"*FAILED {caught_by}*", "*DOES NOT CONFORM*"])


def test_a_wrapper_building_its_own_client_is_judged_as_in_process(
    pytester: pytest.Pytester,
) -> None:
    """Its wire is out of the suite's sight: judged through it alone, never credited
    with what the endpoint answered to raw bytes sent in its place."""
    spec = "conformance.examples.buggy_wrappers:session_ignoring"
    result, report = _run(pytester, spec, "-k", "missing or echoed or malformed_body")
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert statuses(report) == {
        "RES-NOT-FOUND": "passed",
        "RPN-ECHO": "passed",
        "PROTO-MALFORMED": "not_applicable",
    }
    assert report["target"]["kind"] == "in-process"
    assert all(e["judged"]["endpoint"] == 0 for e in report["invariants"])


def test_a_bad_factory_is_one_clear_error(pytester: pytest.Pytester) -> None:
    result, _ = _run(pytester, "conformance.examples.sms_wrapper:no_such_factory", "-k", "echoed")
    assert result.ret == 4
    out = result.stdout.str() + result.stderr.str()
    assert "conformance.examples.sms_wrapper:no_such_factory" in out
    assert "Traceback" not in out
