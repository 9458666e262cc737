"""Named embedded targets: ``--endpoint moto`` runs moto's own server for the run."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

import pytest

from conformance.endpoint.targets import TargetError, check_reachable, describe, embedded
from conformance.service.operations import catalogue

from .test_suite_end_to_end import run_suite, statuses


def test_reachable_means_the_proxy_the_requests_go_through_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Behind a proxy the suite connects to the proxy, never to the endpoint itself: a
    network that refuses direct connections is no reason to call the endpoint down."""
    with socket.create_server(("127.0.0.1", 0)) as closed:
        endpoint = f"http://127.0.0.1:{closed.getsockname()[1]}/"  # nothing listens here
    proxy = socket.create_server(("127.0.0.1", 0))
    setting = f"http://user:secret@127.0.0.1:{proxy.getsockname()[1]}"
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, setting)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    check_reachable(endpoint, timeout=1)  # the proxy listens
    proxy.close()
    with pytest.raises(
        TargetError, match=re.escape("cannot reach the proxy http://127.0.0.1:")
    ) as error:
        check_reachable(endpoint, timeout=1)
    assert "secret" not in str(error.value) and endpoint in str(error.value)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # excluded: the endpoint itself is asked
    with pytest.raises(TargetError, match=re.escape(f"cannot reach {endpoint}")):
        check_reachable(endpoint, timeout=1)


def test_moto_is_a_named_target() -> None:
    target = describe("moto", "us-east-1")
    assert (target.kind, target.name, target.url) == ("moto", "moto", "")
    assert not target.is_aws


def test_an_unknown_embedded_target_is_refused() -> None:
    with (
        pytest.raises(TargetError, match="no embedded target named 'localstack'"),
        embedded("localstack"),
    ):
        pass


def test_embedded_moto_answers_and_is_stopped_afterwards() -> None:
    with embedded("moto") as url:
        assert url.startswith("http://127.0.0.1:")
        check_reachable(url)
    with pytest.raises(TargetError, match="cannot reach"):
        check_reachable(url, timeout=1)


_HOLDS_A_TARGET = """
import sys, time
from conformance.endpoint.targets import embedded
with embedded(sys.argv[1]) as url:
    print(url, flush=True)
    time.sleep(600)
"""


@pytest.mark.parametrize("name", ["reference", "moto"])
def test_an_embedded_target_stops_when_the_run_is_killed(name: str) -> None:
    """Its own process group keeps a terminal's Ctrl-C from it; a run killed outright (or
    hung up) must still not leave it serving."""
    run = subprocess.Popen(
        [sys.executable, "-c", _HOLDS_A_TARGET, name], stdout=subprocess.PIPE, text=True
    )
    assert run.stdout is not None
    url = run.stdout.readline().strip()
    check_reachable(url)
    run.kill()
    run.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            check_reachable(url, timeout=1)
        except TargetError:
            return
        time.sleep(0.2)
    pytest.fail(f"the embedded {name} still serves {url} after the run was killed")


def test_the_moto_verdict_is_one_command_away(pytester: pytest.Pytester) -> None:
    """moto does not implement this service: the run ends at once with a verdict of
    "not implemented", not a crash and not a failure per example."""
    result, report = run_suite(
        pytester, "--endpoint", "moto", "-k", "content_type or simulator_number or boto3"
    )
    out = result.stdout.str()
    assert result.ret == 1, out[-3000:]
    assert report["target"] == {"endpoint": "moto", "kind": "moto"}
    assert statuses(report) == dict.fromkeys(
        ["PROTO-CONTENT-TYPE", "RPN-SIMULATOR", "ERR-SDK-READABLE", "OPS-CONTENT-TYPE"],
        "unimplemented",
    )
    # two answers for RequestPhoneNumber, then one for each operation of the model
    assert report["stats"]["requests"] == 2 + len(catalogue())
    assert report["stats"]["examples"] == 0
    assert report["coverage"]["totals"]["unimplemented"] == len(catalogue())
    assert "Traceback" not in out
    result.stdout.fnmatch_lines(
        [
            "*conformance: moto*",
            "*NOT IMPLEMENTED: the endpoint does not implement RequestPhoneNumber: HTTP 500*",
            "*DOES NOT CONFORM*",
        ]
    )
    # moto's server, started for the run, is gone with it
    moto_url = report["invariants"][0]["exchange"]["request"]["url"]
    with pytest.raises(TargetError):
        check_reachable(moto_url, timeout=1)


def test_parity_with_moto_lists_what_it_answers_differently(pytester: pytest.Pytester) -> None:
    """``--compare-to moto`` starts moto too; the verdict stays the reference's."""
    result, report = run_suite(pytester, "--compare-to", "moto", "-k", "simulator_number")
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert statuses(report) == {"RPN-SIMULATOR": "passed"}
    found = {(d["operation"], d["kind"], d["detail"]) for d in report["differences"]}
    assert ("RequestPhoneNumber", "outcome", "success vs HTTP 500 (untyped)") in found
    result.stdout.fnmatch_lines(["*verdict: CONFORMS*", "*parity with moto: * differences*"])
