"""Every bad option ends the run before anything is sent: exit code 4, one line naming
the option, no traceback, no connection to the endpoint and no report written.

Each case is a real ``pytest --pyargs conformance`` in a subprocess, run from pytester's
temporary directory (outside the repository), against a socket server that only counts
the connections it is offered.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.command import suite_args, suite_command

BOOM = """
def make(endpoint_url, region_name, session):
    raise RuntimeError("the factory\\nfailed")
"""


class ConnectionCounter:
    """A listening socket that accepts, counts and closes every connection."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def counter() -> Iterator[ConnectionCounter]:
    server = ConnectionCounter()
    yield server
    server.close()


PIPES: dict[str, object] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
CASES = [
    # (id, arguments ({tmp} is pytester's directory), the option the one line names)
    (
        "report-under-a-file",
        ["--conformance-report", "{tmp}/a_file/report"],
        "--conformance-report",
    ),
    ("report-is-a-file", ["--conformance-report", "{tmp}/a_file"], "--conformance-report"),
    ("timeout-zero", ["--request-timeout=0"], "--request-timeout"),
    ("timeout-negative", ["--request-timeout=-1"], "--request-timeout"),
    ("timeout-text", ["--request-timeout=soon"], "--request-timeout"),
    ("settle-zero", ["--settle-timeout=0"], "--settle-timeout"),
    ("shrink-negative", ["--shrink-budget=-1"], "--shrink-budget"),
    ("shrink-text", ["--shrink-budget=forever"], "--shrink-budget"),
    ("endpoint-not-a-url", ["--endpoint", "ftp://example.com"], "--endpoint"),
    ("compare-to-not-a-url", ["--compare-to", "ftp://example.com"], "--compare-to"),
    ("factory-no-module", ["--client-factory", "no_such_module_xyz:make"], "--client-factory"),
    ("factory-not-callable", ["--client-factory", "os:sep"], "--client-factory"),
    ("factory-wrong-object", ["--client-factory", "os:getcwd"], "--client-factory"),
    ("factory-raises", ["--client-factory", "{tmp}/boom.py:make"], "--client-factory"),
    ("replay-missing", ["--replay", "{tmp}/no_such_dir"], "--replay"),
    ("replay-empty", ["--replay", "{tmp}/empty"], "--replay"),
    ("profile-unknown", ["--hypothesis-profile=no_such_profile"], "--hypothesis-profile"),
    ("record-and-replay", ["--record", "{tmp}/r", "--replay", "{tmp}/empty"], "--record"),
    ("max-real-numbers-negative", ["--max-real-numbers=-1"], "--max-real-numbers"),
    ("write-family-unknown", ["--aws-write-families", "pools"], "--aws-write-families"),
    ("write-family-not-aws", ["--aws-write-families", "pool"], "--aws-write-families"),
]


def test_every_bad_option_is_a_usage_error_before_any_request(
    tmp_path: Path, counter: ConnectionCounter
) -> None:
    """All cases at once, each in its own directory (a subprocess costs seconds)."""
    runs = {}
    for name, args, option in CASES:
        tmp = tmp_path / name
        tmp.mkdir()
        (tmp / "a_file").write_text("not a directory")
        (tmp / "boom.py").write_text(BOOM)
        (tmp / "empty").mkdir()
        given = [a.format(tmp=tmp) for a in args]
        if "--conformance-report" not in given:
            given += ["--conformance-report", str(tmp / "report")]
        command = suite_command("-k", "content_type", *given, endpoint=counter.url)
        runs[name] = (tmp, option, subprocess.Popen(command, cwd=tmp, **PIPES))
    for name, (tmp, option, process) in runs.items():
        stdout, stderr = process.communicate(timeout=120)
        output = stdout + stderr
        assert process.returncode == pytest.ExitCode.USAGE_ERROR, (name, output[-2000:])
        errors = [line for line in stderr.splitlines() if line.strip()]
        assert len(errors) == 1, (name, errors)
        line = errors[0]
        assert line.startswith(f"ERROR: {option} "), (name, line)
        assert line.count(option) == 1, (name, line)  # named once, not doubled
        assert "Traceback" not in output and "INTERNALERROR" not in output, name
        assert "verdict" not in output and "collected" not in output, name
        assert not (tmp / "report").exists() and not (tmp / "r").exists(), name
    assert counter.connections == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_report_directory_is_a_usage_error(
    pytester: pytest.Pytester, counter: ConnectionCounter
) -> None:
    locked = pytester.path / "locked"
    locked.mkdir(mode=0o500)
    try:
        result = pytester.runpytest_subprocess(
            *suite_args("-k", "content_type", endpoint=counter.url, report=locked / "out")
        )
    finally:
        locked.chmod(0o700)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0].startswith("ERROR: --conformance-report")
    assert "not writable" in result.stderr.str()


def test_a_report_directory_that_can_be_made_is_accepted(pytester: pytest.Pytester) -> None:
    """The check refuses only what cannot work: a new directory, nested, is made."""
    out = Path(pytester.path) / "new" / "nested"
    result = pytester.runpytest_subprocess(
        *suite_args("-k", "content_type", profile="quick", report=out)
    )
    assert result.ret == 0, result.stdout.str()[-2000:]
    assert (out / "report.json").is_file()
