"""``python -m conformance.reference``: URL first, serves, stops cleanly on signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import SIMULATOR, make_client

ROOT = Path(__file__).resolve().parents[2]


def start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-m", "conformance.reference", "--host", "127.0.0.1", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serves_then_exits_cleanly(signum: int) -> None:
    process = start("--port", "0", "--quota", "1")
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and int(url.rsplit(":", 1)[1]) > 0
        sms = make_client(url)
        made = sms.request_phone_number(**SIMULATOR)
        with pytest.raises(sms.exceptions.ServiceQuotaExceededException):  # --quota took effect
            sms.request_phone_number(**SIMULATOR)
        released = sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"])
        assert released["Status"] == "DISASSOCIATING"  # the default --settle is not 0
        process.send_signal(signum)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "Traceback" not in err, err
    assert out == ""


def test_throttle_flag() -> None:
    process = start("--port", "0", "--throttle-rate", "1", "--seed", "1")
    try:
        assert process.stdout is not None
        sms = make_client(process.stdout.readline().strip())
        with pytest.raises(sms.exceptions.ThrottlingException):
            sms.describe_pools()
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert process.returncode == 0


def test_settle_simulator_status_and_rate_flags() -> None:
    process = start(
        "--port",
        "0",
        "--settle",
        "0",
        "--simulator-status",
        "PENDING",
        "--create-delete-rate",
        "0.001",
        "--create-delete-burst",
        "2",
    )
    try:
        assert process.stdout is not None
        sms = make_client(process.stdout.readline().strip())
        made = sms.request_phone_number(**SIMULATOR)
        assert made["Status"] == "PENDING"  # --simulator-status
        released = sms.release_phone_number(PhoneNumberId=made["PhoneNumberId"])
        assert released["Status"] == "DELETED"  # --settle 0
        with pytest.raises(sms.exceptions.ThrottlingException):  # a burst of 2, then 0.001/s
            sms.create_registration(RegistrationType="T")
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert process.returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ("--throttle-rate", "2"),
        ("--registration-status", "NOPE"),
        ("--port", "-5"),
        ("--settle", "-1"),
        ("--settle", "soon"),
        ("--simulator-status", "DELETED"),
        ("--create-delete-rate", "0"),
        ("--create-delete-burst", "0"),
        ("--create-delete-burst", "1.5"),
    ],
)
def test_bad_flags_fail_in_one_line(args: tuple[str, str]) -> None:
    process = start(*args)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
