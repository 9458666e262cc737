"""Memory stays flat: a long certification run, and a reference that releases numbers.

    python -m benchmarks.bench_memory [--requests 100000]

Two measurements, each against a baseline taken in the same run:

- suite: resident memory of ``python -m pytest --pyargs conformance`` against the
  reference, for a run of about ``--requests`` requests (a Hypothesis profile with as
  many examples as that needs, estimated from a short run), sampled from /proc until
  it exits: its last sample minus the last sample of a short run (``quick``).
  Target: < 50 MB.
- reference: resident memory of ``python -m conformance.reference`` after
  ``--requests`` requests (request then release a number, one boto3 client), minus its
  memory half-way, once its bounded idempotency-token cache is full. Target: < 5 MB
  (it keeps nothing of a released number).

Exit 1 if a target is missed.
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
import textwrap
import time
from pathlib import Path

from .bench_reference import REQUEST, client
from .bench_suite import reference_process, suite_command

SUITE_LIMIT_MB = 50.0
REFERENCE_LIMIT_MB = 5.0
_PROFILE_PLUGIN = """
from hypothesis import settings
settings.register_profile("bench_memory", max_examples={examples})
"""


def rss_mb(pid: int) -> float:
    """Resident set size of a running process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def suite_memory(url: str, profile: str, examples: int = 0) -> tuple[float, float, int]:
    """(last and peak resident MB, requests) of one suite run; its memory is
    sampled from /proc every 0.2 s, the last sample taken just before it exits."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        command = suite_command("" if examples else profile, tmp, url)
        if examples:
            Path(tmp, "bench_memory_profile.py").write_text(
                textwrap.dedent(_PROFILE_PLUGIN.format(examples=examples))
            )
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [tmp, env.get("PYTHONPATH")]))
            command += ["-p", "bench_memory_profile", "--hypothesis-profile=bench_memory"]
        with tempfile.TemporaryFile("w+") as out:
            process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, cwd=tmp, env=env
            )
            samples: list[float] = []
            while process.poll() is None:
                with contextlib.suppress(OSError, RuntimeError):  # exiting
                    samples.append(rss_mb(process.pid))
                time.sleep(0.2)
            out.seek(0)
            if process.returncode != 0:
                raise SystemExit(f"suite run failed ({process.returncode}):\n{out.read()[-3000:]}")
        report = json.loads(Path(tmp, "report.json").read_text())
    stats = report["stats"]
    return samples[-1], max(samples), int(stats["requests"])


def reference_growth(requests: int) -> tuple[float, float]:
    """(RSS after half of ``requests``, RSS at the end) of a reference serving them; by
    half-way its bounded token cache is full (boto3 sends a token with every request)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance.reference", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        sms = client("pinpoint-sms-voice-v2", process.stdout.readline().strip())
        cycles = requests // 2
        early = 0.0
        for i in range(cycles):
            number_id = sms.request_phone_number(**REQUEST)["PhoneNumberId"]
            sms.release_phone_number(PhoneNumberId=number_id)
            if i + 1 == cycles // 2:
                early = rss_mb(process.pid)
        return early, rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_memory")
    parser.add_argument("--requests", type=int, default=100_000)
    args = parser.parse_args(argv)

    with reference_process() as url:
        short_last, short_peak, short_requests = suite_memory(url, "quick")
        print(
            f"suite quick: {short_last:.1f} MB at the end (peak {short_peak:.1f}), "
            f"{short_requests} requests",
            flush=True,
        )
        # a run's requests scale with max_examples (quick: 20)
        examples = max(20, round(20 * args.requests / short_requests))
        long_last, long_peak, long_requests = suite_memory(url, "", examples)
        print(
            f"suite long:  {long_last:.1f} MB at the end (peak {long_peak:.1f}), "
            f"{long_requests} requests (max_examples={examples})",
            flush=True,
        )
    early, late = reference_growth(args.requests)
    half = args.requests // 2
    print(f"reference: {early:.1f} MB after {half} requests, {late:.1f} MB after {args.requests}")

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"\n{platform.machine()}, {cores} cores, Python {platform.python_version()}")
    suite_growth = long_last - short_last
    reference_grew = late - early
    suite_ok = suite_growth < SUITE_LIMIT_MB
    reference_ok = reference_grew < REFERENCE_LIMIT_MB
    print(
        f"suite: {long_requests} requests end {suite_growth:+.1f} MB above a "
        f"{short_requests}-request run (target < {SUITE_LIMIT_MB:.0f} MB: "
        f"{'met' if suite_ok else 'MISSED'})"
    )
    print(
        f"reference: {reference_grew:+.1f} MB from {half} to {args.requests} "
        f"requests (target < {REFERENCE_LIMIT_MB:.0f} MB: {'met' if reference_ok else 'MISSED'})"
    )
    return 0 if suite_ok and reference_ok else 1


if __name__ == "__main__":
    sys.exit(main())
