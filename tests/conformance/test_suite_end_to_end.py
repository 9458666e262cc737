"""The conformance suite run as users run it, against the reference and broken variants.

Each run is a real ``pytest --pyargs conformance`` in a subprocess; the variants are the
reference endpoint with one reply hook corrupting its answers (tests may use the
reference's internals; the suite itself may not).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import hypothesis._settings
import pytest

from conformance import catalog
from conformance.command import suite_args, suite_command
from conformance.reference import (
    RawRequest,
    RawResponse,
    ReferenceServer,
    ReferenceService,
    Reply,
    RequestContext,
    ServiceError,
    ServiceWrapper,
)
from conformance.report.document import validate_report
from conformance.service.operations import catalogue

from ..seeded.runner import selecting

Hook = Callable[[Reply], Reply]
ROOT = Path(__file__).parents[2]


def run_suite(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    report_dir = pytester.path / "report"
    result = pytester.runpytest_subprocess(*suite_args(*args, profile="quick", report=report_dir))
    report_file = report_dir / "report.json"
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    if report:  # every report written follows the shipped schema, beside its page and badge
        validate_report(report)
        assert (report_dir / "report.html").is_file() and (report_dir / "badge.svg").is_file()
    return result, report


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {entry["id"]: entry["status"] for entry in report["invariants"]}


def _wrong_message_type(reply: Reply) -> Reply:
    if reply.operation == "RequestPhoneNumber" and reply.status == 200:
        reply.body["MessageType"] = "PROMOTIONAL"
    return reply


def _conflict_status(reply: Reply) -> Reply:
    if reply.status == 400:
        reply.status = 409
    return reply


def _no_request_id(reply: Reply) -> Reply:
    reply.headers["x-amzn-RequestId"] = ""
    return reply


def _release_always_succeeds(reply: Reply) -> Reply:
    if reply.operation == "ReleasePhoneNumber" and reply.status != 200:
        number_id = (reply.params or {}).get("PhoneNumberId")
        reply.status, reply.body = 200, {"PhoneNumberId": number_id, "Status": "DELETED"}
    return reply


def _swallow_missing_pool(reply: Reply) -> Reply:
    if reply.body.get("ResourceType") == "pool":
        reply.body["ResourceType"] = "phone-number"
    return reply


class _RetryMakesASecondNumber(ServiceWrapper):
    """Answers a retried token with the first number but quietly creates another."""

    def __init__(self) -> None:
        super().__init__(ReferenceService())
        self.first: dict[str, dict[str, Any]] = {}

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> dict[str, Any]:
        token = params.get("ClientToken")
        if operation != "RequestPhoneNumber" or not token:
            return super().handle(operation, params, ctx)
        created = super().handle(operation, {**params, "ClientToken": str(uuid.uuid4())}, ctx)
        return self.first.setdefault(token, created)


def test_a_retry_that_creates_a_hidden_number_is_caught(pytester: pytest.Pytester) -> None:
    with ReferenceServer(service=_RetryMakesASecondNumber()) as server:
        result, report = run_suite(pytester, "--endpoint", server.url, "-k", "SAME")
    assert result.ret == 1
    assert statuses(report)["IDEMP-SAME"] == "failed"


@pytest.mark.parametrize(
    ("hook", "caught_by"),
    [
        (_wrong_message_type, "RPN-ECHO"),
        (_release_always_succeeds, "LIFECYCLE"),
        (_swallow_missing_pool, "RES-NOT-FOUND"),
        (_conflict_status, "ERR-STATUS-400"),
        (_no_request_id, "PROTO-REQUEST-ID"),
    ],
)
def test_a_broken_variant_fails_its_invariant(
    pytester: pytest.Pytester, hook: Hook, caught_by: str
) -> None:
    """The invariant's own test and one other (the whole catalog: tests/seeded)."""
    selected = selecting([caught_by, "PROTO-CONTENT-TYPE"])
    with ReferenceServer(hooks=[hook]) as server:
        result, report = run_suite(pytester, "--endpoint", server.url, *selected)
    assert result.ret == 1
    assert statuses(report) == {caught_by: "failed", "PROTO-CONTENT-TYPE": "passed"}
    entry = next(e for e in report["invariants"] if e["id"] == caught_by)
    failure = entry["failures"][0]
    assert failure["exchange"]["request"]["url"].startswith(server.url)
    assert "boto3.client(" in failure["reproducer"]["boto3"]
    assert failure["reproducer"]["http"].startswith("curl ")
    result.stdout.fnmatch_lines([f"*FAILED {caught_by}*", "*DOES NOT CONFORM*"])


def test_a_second_run_finds_the_known_failure_first_and_says_so(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hypothesis' example database (``.hypothesis/`` of the working directory) keeps the
    failing example; the next run tries it first, and the report says so. (On a CI
    machine Hypothesis' own ``ci`` profile turns the database off: runs as a user's.)"""
    for variable in getattr(hypothesis._settings, "_CI_VARS", {"CI": None}):
        monkeypatch.delenv(variable, raising=False)
    with ReferenceServer(hooks=[_conflict_status]) as server:
        first, before = run_suite(pytester, "--endpoint", server.url, "-k", "status_exact")
        again, after = run_suite(pytester, "--endpoint", server.url, "-k", "status_exact")
    assert first.ret == again.ret == 1
    [entry_before], [entry_after] = before["invariants"], after["invariants"]
    assert entry_before["from_database"] is False and entry_after["from_database"] is True
    assert "known failure" not in first.stdout.str()
    again.stdout.fnmatch_lines(["*FAILED ERR-STATUS-400*", "*a known failure: found again first*"])


def test_levels_above_the_gate_do_not_fail_the_run(pytester: pytest.Pytester) -> None:
    with ReferenceServer(hooks=[_no_request_id]) as server:
        result, report = run_suite(
            pytester,
            "--endpoint",
            server.url,
            "--conformance-level",
            "should",
            "-k",
            "request_id or content_type",
        )
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert statuses(report)["PROTO-REQUEST-ID"] == "failed"  # compat: above the gate
    assert statuses(report)["PROTO-CONTENT-TYPE"] == "passed"


def test_no_signature_or_secret_reaches_output_or_report(pytester: pytest.Pytester) -> None:
    with ReferenceServer(hooks=[_no_request_id]) as server:  # a failure, with reproducers
        selected = ("-k", "request_id or content_type or status_exact or simulator_number")
        result, report = run_suite(pytester, "--endpoint", server.url, *selected)
    assert statuses(report)["PROTO-REQUEST-ID"] == "failed"
    text = result.stdout.str() + json.dumps(report)
    text += (pytester.path / "report" / "report.html").read_text()
    assert "Signature=<redacted>" in text
    assert not re.search(r"Signature=[0-9a-f]{16}", text)
    assert "conformance-dummy" not in text  # the dummy secret key


def test_an_unreachable_endpoint_is_one_clear_error(pytester: pytest.Pytester) -> None:
    started = time.monotonic()
    result, _ = run_suite(pytester, "--endpoint", "http://127.0.0.1:9")
    assert time.monotonic() - started < 30
    assert result.ret == 3
    out = result.stdout.str() + result.stderr.str()
    assert "cannot reach http://127.0.0.1:9" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("endpoint", ["aws", "https://sms-voice.eu-west-1.amazonaws.com"])
def test_real_aws_is_refused_before_any_request(pytester: pytest.Pytester, endpoint: str) -> None:
    result, report = run_suite(pytester, "--endpoint", endpoint)
    assert result.ret == 4  # usage error: nothing collected, nothing sent
    assert "--allow-real-aws" in result.stderr.str()
    assert report == {}


def test_a_bad_endpoint_value_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result, _ = run_suite(pytester, "--endpoint", "not-a-url")
    assert result.ret == 4
    assert "neither a URL" in result.stderr.str()


def test_the_report_path_is_printed(pytester: pytest.Pytester) -> None:
    result, _ = run_suite(pytester, "-k", "test_content_type")
    result.stdout.fnmatch_lines([f"*report: {Path(pytester.path, 'report', 'report.json')}*"])


def test_the_readme_lists_every_invariant_with_its_level() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    rows = dict(re.findall(r"^\| ([A-Z0-9-]+) \| (\w+) \|", readme, flags=re.M))
    assert rows == {i.id: i.level for i in catalog.invariants().values()}


def test_xdist_and_junitxml_work_and_the_seed_repeats(pytester: pytest.Pytester) -> None:
    junit = pytester.path / "junit.xml"
    result, report = run_suite(pytester, "-n", "2", "--junitxml", str(junit))
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert set(statuses(report).values()) == {"passed"}
    assert report["stats"]["requests"] > 100  # counted on the workers, summed here
    assert "conformance" in junit.read_text()
    seed = report["seed"]
    assert isinstance(seed, str) and seed.isdigit()
    again, report_again = run_suite(pytester, "-k", "FORMATS", f"--hypothesis-seed={seed}")
    assert again.ret == 0 and report_again["seed"] == seed


def test_a_hanging_endpoint_ends_the_run_with_one_message(pytester: pytest.Pytester) -> None:
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept_and_say_nothing() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_say_nothing, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        started = time.monotonic()
        result, report = run_suite(pytester, "--endpoint", url, "--request-timeout", "0.5")
        assert time.monotonic() - started < 60
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()
    assert result.ret != 0
    out = result.stdout.str()
    assert out.count("stopped answering") >= 1
    assert "Traceback" not in out
    assert report["summary"]["failed"] >= 1  # the report of what did run is written


def test_throttling_is_retried_and_counted_not_failed(pytester: pytest.Pytester) -> None:
    with ReferenceServer(throttle_rate=0.1, seed=7) as server:
        result, report = run_suite(pytester, "--endpoint", server.url, "-k", "SCHEMA or ECHO")
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert report["stats"]["throttled_retries"] > 0


def _reference_children(parent: int) -> set[int]:
    """Embedded reference processes started by ``parent`` (found through /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == parent and b"-m conformance.reference" in cmdline:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class _Output:
    """What a subprocess writes, read line by line as it comes (its pipe never fills)."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self.ended = False
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def wait_for(self, pattern: str, timeout: float) -> str | None:
        """The first line matching ``pattern``; None if the output ends first (the
        process exited) or after ``timeout`` seconds (a guard against a hung run)."""
        deadline = time.monotonic() + timeout
        checked = 0
        with self.changed:
            while True:
                for line in self.lines[checked:]:
                    if re.search(pattern, line):
                        return line
                checked = len(self.lines)
                remaining = deadline - time.monotonic()
                if self.ended or remaining <= 0:
                    return None
                self.changed.wait(remaining)

    def text(self) -> str:
        self.reader.join(timeout=10)
        return "".join(self.lines)


# pytest -v ends each test's line with its outcome and the progress of the run
_A_TEST_ENDED = r"\b(PASSED|FAILED|SKIPPED|XFAIL|XPASS|ERROR)\b +\[ *\d+%\]"


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc to find processes")
def test_ctrl_c_writes_the_report_and_stops_the_reference(tmp_path: Path) -> None:
    import signal
    import subprocess

    report_dir = tmp_path / "report"
    run = subprocess.Popen(
        suite_command("-v", report=report_dir),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a terminal of its own: Ctrl-C goes to its whole group
    )
    assert run.stdout is not None
    output = _Output(run.stdout)
    try:
        # Ctrl-C once the first invariant is done: the embedded reference serves the run
        ended = output.wait_for(_A_TEST_ENDED, timeout=600)
        assert ended, f"no test ended (exit status {run.poll()}):\n{output.text()[-3000:]}"
        children = _reference_children(run.pid)
        assert children, "the embedded reference is not running"
        # as a terminal sends it: to the foreground process group, not to one process
        assert all(os.getpgid(pid) != run.pid for pid in children), (
            "the embedded reference shares the run's process group: Ctrl-C would stop it "
            "before the run releases its numbers"
        )
        os.killpg(run.pid, signal.SIGINT)
        run.wait(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    out = output.text()
    assert run.returncode == 2, out[-3000:]
    assert "KeyboardInterrupt" in out
    assert "could not be released" not in out
    report = json.loads((report_dir / "report.json").read_text())
    assert report["exit_status"] == 2
    done = set(statuses(report).values())
    assert "passed" in done, "the invariant that ran is reported as it ended"
    assert "skipped" in done, "the invariants that never ran are reported as skipped"
    assert not [pid for pid in children if _alive(pid)], "the embedded reference was left running"


def test_a_ctrl_c_that_cpython_would_lose_still_ends_the_run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C pressed while the garbage collector runs a callback (Hypothesis registers
    one), where a KeyboardInterrupt cannot propagate: the run stops at its next request
    all the same, instead of running on to the end."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # for -p tests.conformance.ctrl_c_in_gc
    result, report = run_suite(pytester, "-p", "tests.conformance.ctrl_c_in_gc")
    assert result.ret == 2, result.stdout.str()[-3000:] + result.stderr.str()[-3000:]
    assert "KeyboardInterrupt" in result.stdout.str()
    assert report["exit_status"] == 2
    assert set(statuses(report).values()) == {"passed", "skipped"}


def test_real_aws_mode_requests_only_capped_simulator_numbers_and_releases_them(
    pytester: pytest.Pytester,
) -> None:
    reached: list[str] = []
    created: list[str] = []

    def spy(reply: Reply) -> Reply:
        if reply.operation == "RequestPhoneNumber" and isinstance(reply.params, dict):
            reached.append(str(reply.params.get("NumberType")))
            if reply.status == 200:
                created.append(reply.body["PhoneNumberId"])
        return reply

    ledger = pytester.path / "ledger.json"
    with ReferenceServer(hooks=[spy]) as server:
        result, report = run_suite(
            pytester,
            "--endpoint",
            server.url,
            "--conformance-assume-aws",
            "--allow-real-aws",
            "--max-real-numbers",
            "3",
            "--conformance-ledger",
            str(ledger),
        )
        assert report["invariants"], result.stdout.str()[-3000:]
        assert set(reached) == {"SIMULATOR"}, "a request that could lease a paid number was sent"
        assert 1 <= len(set(created)) <= 3  # a retried token answers its number again
        # the checks of refusals spend nothing and run first: all judged, whatever the cap
        entries = {e["id"]: e for e in report["invariants"] if not e["id"].startswith("OPS-")}
        spend_nothing = [i for i in entries if i.startswith(("ERR-", "PROTO-"))]
        spend_nothing += ["RPN-UNAVAILABLE", "RPN-SIMULATOR-PROMOTIONAL"]
        for invariant_id in spend_nothing:
            assert entries[invariant_id]["status"] == "passed", entries[invariant_id]
            assert entries[invariant_id]["examples"] > 0, invariant_id
        # the numbers go to the first invariants that need one (two each), which stand on
        # what they sent; the rest say why they were not judged
        judged = [e for e in entries.values() if e["id"] not in spend_nothing]
        assert any(e["status"] == "passed" and e["examples"] > 0 for e in judged)
        skipped = [e for e in judged if e["status"] == "skipped"]
        notes = {e["id"]: e["note"] for e in skipped}
        assert notes and all("were spent before" in note for note in notes.values()), notes
        record = json.loads(ledger.read_text())
        assert record["numbers"] == []
        for number_id in created:
            assert _describe_status(server.url, record["dummy_access_key"], number_id) != "ACTIVE"


class _ReleaseFails(ServiceWrapper):
    """ReleasePhoneNumber fails with InternalServerException and releases nothing (a
    failure answered after the number was released would be seen through, rightly:
    the ledger asks whether the number is on its way out)."""

    def __init__(self) -> None:
        super().__init__(ReferenceService())

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        if operation == "ReleasePhoneNumber":
            raise ServiceError("InternalServerException", "down")
        return super().handle(operation, params, ctx)


@pytest.mark.parametrize("kept", [False, True], ids=["no ledger file", "ledger file"])
def test_numbers_left_behind_are_reported_with_what_releases_them(
    pytester: pytest.Pytester, kept: bool
) -> None:
    ledger = pytester.path / "kept.json"
    options = ["--conformance-ledger", str(ledger)] if kept else []
    with ReferenceServer(service=_ReleaseFails()) as server:
        result, _ = run_suite(
            pytester, "--endpoint", server.url, "-k", "test_boto3_reads_error_code", *options
        )
    out = result.stdout.str()
    (warning,) = [line for line in out.splitlines() if "could not be released" in line]
    if kept:
        assert f"python -m conformance cleanup --ledger {ledger}" in warning
        assert json.loads(ledger.read_text())["numbers"], "the ledger lists what is left"
    else:
        assert "cleanup" not in warning, "no command to run on a ledger that does not exist"
        assert "--conformance-ledger" in warning


def _describe_status(url: str, access_key: str, number_id: str) -> str | None:
    from conformance.endpoint.client import EndpointClient, dummy_credentials

    client = EndpointClient(url, "us-east-1", dummy_credentials(access_key))
    outcome = client.call("DescribePhoneNumbers", {"PhoneNumberIds": [number_id]})
    client.close()
    if not outcome.ok:
        return None
    return outcome.body["PhoneNumbers"][0]["Status"]


def test_cleanup_releases_what_a_ledger_lists(tmp_path: Path) -> None:
    import subprocess
    import sys

    from conformance.endpoint.client import EndpointClient, dummy_credentials

    with ReferenceServer() as server:
        credentials = dummy_credentials()
        client = EndpointClient(server.url, "us-east-1", credentials)
        outcome = client.call(
            "RequestPhoneNumber",
            {
                "IsoCountryCode": "US",
                "MessageType": "TRANSACTIONAL",
                "NumberType": "SIMULATOR",
                "NumberCapabilities": ["SMS"],
                "DeletionProtectionEnabled": True,
            },
        )
        client.close()
        number_id = outcome.body["PhoneNumberId"]
        ledger = tmp_path / "ledger.json"
        ledger.write_text(
            json.dumps(
                {
                    "endpoint": server.url,
                    "region": "us-east-1",
                    "numbers": [number_id],
                    "dummy_access_key": credentials.access_key,
                }
            )
        )
        done = subprocess.run(
            [sys.executable, "-m", "conformance", "cleanup", "--ledger", str(ledger)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "released 1 of 1" in done.stdout
        assert json.loads(ledger.read_text())["numbers"] == []
        assert _describe_status(server.url, credentials.access_key, number_id) != "ACTIVE"


def _html_500(request: RawRequest) -> RawResponse:
    return RawResponse(500, {"Content-Type": "text/html"}, b"<h1>Internal Server Error</h1>")


def _unknown_operation(request: RawRequest) -> RawResponse:
    body = b'{"__type": "UnknownOperationException"}'
    return RawResponse(400, {"Content-Type": "application/x-amz-json-1.0"}, body)


@pytest.mark.parametrize("app", [_html_500, _unknown_operation], ids=["html-500", "unknown-op"])
def test_an_endpoint_without_the_service_is_not_implemented_at_once(
    pytester: pytest.Pytester, app: Callable[[RawRequest], RawResponse]
) -> None:
    """Like moto, which crashes with an HTML page on this service: two answers decide
    "not implemented" for every invariant (none passes vacuously, none is run example
    by example), and the run does not conform."""
    received: list[RawRequest] = []

    def counting(request: RawRequest) -> RawResponse:
        received.append(request)
        return app(request)

    with ReferenceServer(app=counting) as server:
        result, report = run_suite(pytester, "--endpoint", server.url)
    assert result.ret == 1
    assert set(statuses(report).values()) == {"unimplemented"}
    assert report["summary"]["unimplemented"] == len(catalog.invariants())
    # an empty request, then the simulator request; then each operation once (the tier)
    assert len(received) == 2 + len(catalogue())
    result.stdout.fnmatch_lines(
        [
            "*NOT IMPLEMENTED: the endpoint does not implement RequestPhoneNumber: HTTP *",
            f"*verdict: DOES NOT CONFORM ({len(catalog.invariants())} invariants not implemented)*",
        ]
    )


def test_an_endpoint_that_only_validates_is_judged_not_excused(pytester: pytest.Pytester) -> None:
    """An endpoint that answers the empty request as the protocol says (a
    ValidationException) serves the operation, even if it crashes on everything else:
    its checks run and fail."""

    def validates_then_crashes(request: RawRequest) -> RawResponse:
        if request.body.strip() == b"{}":
            body = b'{"__type": "ValidationException", "Message": "missing members"}'
            return RawResponse(400, {"Content-Type": "application/x-amz-json-1.0"}, body)
        return _html_500(request)

    with ReferenceServer(app=validates_then_crashes) as server:
        result, report = run_suite(pytester, "--endpoint", server.url, "-k", "simulator_number")
    assert result.ret == 1
    assert statuses(report) == {"RPN-SIMULATOR": "failed"}
