"""The plugin's entry point and its options: every hook reachable, --settle-timeout read.

The plugin is split by concern (``plugin.fixtures``, ``plugin.memory``,
``plugin.reporting``, ...), but pytest only sees what the registered
module ``conformance.plugin.run`` holds: a hook left behind in a split module would be
silently dead. The runs here are real pytest subprocesses with the plugin installed.
"""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import conformance.plugin
from conformance.endpoint.targets import describe
from conformance.plugin import run as run_plugin
from conformance.plugin.options import SETTLE_TIMEOUT_AWS_S, SETTLE_TIMEOUT_LOCAL_S
from conformance.plugin.reading import read_settle_timeout
from conformance.reference import RawRequest, RawResponse, ReferenceServer
from conformance.report.document import validate_report

SPLIT = ("plugin.fixtures", "plugin.memory", "plugin.reporting")


HOOKS = {
    "pytest_configure",
    "pytest_collection_modifyitems",
    "pytest_configure_node",
    "pytest_unconfigure",
    "pytest_ignore_collect",
    "pytest_collection_finish",
    "pytest_sessionstart",
    "pytest_runtest_setup",
    "pytest_runtest_call",
    "pytest_runtest_makereport",
    "pytest_runtest_logreport",
    "pytest_runtest_teardown",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
}
FIXTURES = {
    "conformance_target",
    "conformance_endpoint",
    "conformance_ledger",
    "conformance_settle_timeout",
    "conformance_write_guard",
    "conformance_second_account",
    "conformance_differences",
    "conformance_replay_properties",
}


def test_every_hook_and_fixture_of_the_split_modules_is_on_the_registered_run() -> None:
    """pytest sees hooks and fixtures on a registered module only: those of the split
    modules are on ``conformance.plugin.run``, which the light entry point registers."""
    split = set()
    for name in SPLIT:
        module = importlib.import_module(f"conformance.{name}")
        for attr, value in vars(module).items():
            if attr.startswith(("pytest_", "conformance_")) and not inspect.ismodule(value):
                assert getattr(run_plugin, attr, None) is value, f"{name}.{attr}"
                split.add(attr)
    on_run = {a for a in vars(run_plugin) if a.startswith(("pytest_", "conformance_"))}
    assert on_run == HOOKS | FIXTURES
    assert split == on_run - {
        "pytest_configure",
        "pytest_sessionstart",
        "pytest_runtest_setup",
        "pytest_ignore_collect",
        "pytest_collection_modifyitems",
        "conformance_differences",
        "conformance_replay_properties",
    }
    entry = {a for a in vars(conformance.plugin) if a.startswith("pytest_")}
    assert entry == {"pytest_addoption", "pytest_configure"}


def options(**given: Any) -> Any:
    return SimpleNamespace(getoption=lambda name: given.get(name))


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("aws", SETTLE_TIMEOUT_AWS_S),
        ("https://sms-voice.eu-west-1.amazonaws.com", SETTLE_TIMEOUT_AWS_S),
        ("reference", SETTLE_TIMEOUT_LOCAL_S),
        ("moto", SETTLE_TIMEOUT_LOCAL_S),
        ("http://127.0.0.1:4566", SETTLE_TIMEOUT_LOCAL_S),
    ],
)
def test_the_settle_timeout_defaults_by_target(endpoint: str, expected: float) -> None:
    assert (SETTLE_TIMEOUT_AWS_S, SETTLE_TIMEOUT_LOCAL_S) == (120.0, 10.0)
    assert read_settle_timeout(options(), describe(endpoint, "us-east-1")) == expected


@pytest.mark.parametrize(("given", "expected"), [("2.5", 2.5), ("300", 300.0), ("1e-3", 0.001)])
def test_a_given_settle_timeout_is_taken_for_any_target(given: str, expected: float) -> None:
    for endpoint in ("aws", "reference"):
        target = describe(endpoint, "us-east-1")
        assert read_settle_timeout(options(settle_timeout=given), target) == expected


@pytest.mark.parametrize("given", ["0", "-1", "abc", "", "nan", "inf", "10s"])
def test_a_settle_timeout_that_is_not_a_positive_number_is_a_usage_error(given: str) -> None:
    with pytest.raises(pytest.UsageError) as raised:
        read_settle_timeout(options(settle_timeout=given), describe("reference", "us-east-1"))
    message = str(raised.value)
    assert message.startswith(f"--settle-timeout {given!r}:") and "\n" not in message


# --- real runs ------------------------------------------------------------------------

SHOWS_THE_TIMEOUT = """
import pytest

@pytest.mark.conformance(id="PROTO-CONTENT-TYPE", level="must")
def test_shows_the_settle_timeout(conformance_settle_timeout):
    print(f"SETTLE={conformance_settle_timeout!r}")
"""


def run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, Path]:
    pytester.makepyfile(test_settle=SHOWS_THE_TIMEOUT)
    out = pytester.path / "report"
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-s", "--conformance-report", str(out), *args
    )
    return result, out


@pytest.mark.parametrize("given", ["0", "-5", "soon"])
def test_a_bad_settle_timeout_ends_the_run_before_any_request(
    pytester: pytest.Pytester, given: str
) -> None:
    received: list[RawRequest] = []

    def counting(request: RawRequest) -> RawResponse:
        received.append(request)
        return RawResponse(200, {"Content-Type": "application/x-amz-json-1.0"}, b"{}")

    with ReferenceServer(app=counting) as server:
        result, out = run(pytester, "--endpoint", server.url, f"--settle-timeout={given}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.strip()]
    assert errors == [f"ERROR: --settle-timeout {given!r}: give the seconds as a number above 0"]
    assert received == [] and not out.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), 10.0),
        (("--settle-timeout", "2.5"), 2.5),
        (("--conformance-assume-aws", "--allow-real-aws"), 120.0),  # Target.is_aws
        (("--conformance-assume-aws", "--allow-real-aws", "--settle-timeout=30"), 30.0),
    ],
)
def test_the_fixture_and_report_json_hold_the_settle_timeout_in_force(
    pytester: pytest.Pytester, args: tuple[str, ...], expected: float
) -> None:
    # the test asks for no endpoint: nothing is started, and nothing is sent
    result, out = run(pytester, "--endpoint", "http://127.0.0.1:9", *args)
    assert result.ret == 0, result.stdout.str()[-3000:]
    result.stdout.fnmatch_lines([f"*SETTLE={expected!r}*"])
    report = json.loads((out / "report.json").read_text())
    validate_report(report)
    assert report["settle_timeout"] == expected
    page = (out / "report.html").read_text()
    assert f"settle timeout <code>{expected:g} s</code>" in page
