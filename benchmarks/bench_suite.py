"""What a certification run costs per request, next to a bare boto3 loop.

    python -m benchmarks.bench_suite [--profile default] [--rounds 2] [--seconds 3]

One reference endpoint (``python -m conformance.reference``, as the suite starts it) serves
both, in interleaved rounds (best round of each counts):

- bare: one boto3 client calling ``request_phone_number`` (US SIMULATOR) back to back;
- client: the same request back to back through the suite's own client
  (``EndpointClient.call``: botocore's serializer, signer and parser on a keep-alive
  connection), shown for context: suite / client is the suite's own work per request
  (generation, checks, bookkeeping) on top of sending it;
- suite: ``python -m pytest --pyargs conformance --endpoint URL`` with the given Hypothesis
  profile and a fixed seed, as a user runs it; its requests are counted by the suite
  itself (report.json ``stats.requests``). Its cost per request is the run's wall time
  (process start, imports and collection included) divided by that count.

Target: suite / bare <= 1.3 per request. Exit status 1 if missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from conformance import command
from conformance.endpoint.client import EndpointClient, dummy_credentials

from .bench_reference import REQUEST, client, rate

TARGET_RATIO = 1.3
SEED = 20261127


@contextlib.contextmanager
def reference_process() -> Iterator[str]:
    """The reference as the suite runs it (its own process), with room for any number."""
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance.reference", "--port", "0", "--quota", "1000000000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


def bare_seconds_per_request(url: str, seconds: float) -> float:
    sms = client("pinpoint-sms-voice-v2", url)
    return 1.0 / rate(lambda: sms.request_phone_number(**REQUEST), seconds)


def client_seconds_per_request(url: str, seconds: float) -> float:
    ours = EndpointClient(url, "us-east-1", dummy_credentials())
    try:
        return 1.0 / rate(lambda: ours.call("RequestPhoneNumber", REQUEST), seconds)
    finally:
        ours.close()


def suite_command(
    profile: str, report_dir: str, endpoint: str | None = None, workers: int = 0
) -> list[str]:
    """The user's command: the suite, fixed seed, report in ``report_dir``."""
    extra = ["-q", *(["-n", str(workers)] if workers else [])]
    return command.suite_command(
        *extra, profile=profile or None, seed=SEED, report=report_dir, endpoint=endpoint
    )


def suite_run(url: str, profile: str) -> tuple[float, int, float]:
    """(wall seconds, requests, session seconds) of one run of the suite."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        done = subprocess.run(
            suite_command(profile, tmp, url), capture_output=True, text=True, cwd=tmp
        )
        wall = time.perf_counter() - start
        report_file = Path(tmp) / "report.json"
        if done.returncode != 0 or not report_file.exists():
            raise SystemExit(f"the suite run failed ({done.returncode}):\n{done.stdout[-3000:]}")
        report = json.loads(report_file.read_text())
    return wall, int(report["stats"]["requests"]), float(report["duration_s"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_suite")
    parser.add_argument("--profile", default="default", help="Hypothesis profile of the run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds; best counts")
    parser.add_argument("--seconds", type=float, default=3.0, help="per bare measurement")
    args = parser.parse_args(argv)

    bare, ours, suite = float("inf"), float("inf"), float("inf")
    requests, session = 0, 0.0
    with reference_process() as url:
        for round_ in range(1, args.rounds + 1):
            per_request = bare_seconds_per_request(url, args.seconds)
            bare = min(bare, per_request)
            print(f"round {round_}: bare   {per_request * 1e3:6.3f} ms/request", flush=True)
            per_request = client_seconds_per_request(url, args.seconds)
            ours = min(ours, per_request)
            print(f"round {round_}: client {per_request * 1e3:6.3f} ms/request", flush=True)
            wall, count, duration = suite_run(url, args.profile)
            if wall / count < suite:
                suite, requests, session = wall / count, count, duration
            print(
                f"round {round_}: suite  {wall / count * 1e3:6.3f} ms/request "
                f"({count} requests in {wall:.1f} s)",
                flush=True,
            )

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"\n{platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print(f"bare loop  {bare * 1e3:6.3f} ms/request (best of {args.rounds})")
    print(f"client     {ours * 1e3:6.3f} ms/request (best of {args.rounds}; the suite's sending)")
    print(
        f"suite run  {suite * 1e3:6.3f} ms/request (best of {args.rounds}; profile "
        f"{args.profile}, {requests} requests, session {session:.1f} s of the wall time)"
    )
    ratio = suite / bare
    met = ratio <= TARGET_RATIO
    print(f"suite / client = {suite / ours:.2f} (the suite's own work per request, for context)")
    print(f"suite / bare = {ratio:.2f} (target <= {TARGET_RATIO}: {'met' if met else 'MISSED'})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
