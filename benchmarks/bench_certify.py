"""How long it takes to certify the embedded reference, with one worker and with two.

    python -m benchmarks.bench_certify [--rounds 2]

Each run is the user's command, ``python -m pytest --pyargs conformance`` with the
embedded reference (started by the run itself), a fixed seed, in a fresh directory;
wall time from process start to exit. Runs are interleaved across rounds; the best
round of each configuration counts.

Targets: ``default`` profile under 60 s, ``quick`` under 20 s, and ``-n 2``
(pytest-xdist) faster than one worker for the ``default`` profile. Exit 1 if missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time

from .bench_suite import suite_command

LIMITS = {"quick": 20.0, "default": 60.0}


def certify(profile: str, workers: int) -> float:
    """Wall seconds of one certification run (it must pass)."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        command = suite_command(profile, tmp, workers=workers)
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp)
        wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"certification run failed ({done.returncode}):\n{done.stdout[-3000:]}")
    return wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_certify")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds; best counts")
    args = parser.parse_args(argv)

    configurations = [("quick", 0), ("default", 0), ("default", 2)]
    best = dict.fromkeys(configurations, float("inf"))
    for round_ in range(1, args.rounds + 1):
        for profile, workers in configurations:
            wall = certify(profile, workers)
            best[(profile, workers)] = min(best[(profile, workers)], wall)
            print(f"round {round_}: {profile:<8} -n {workers}  {wall:6.1f} s", flush=True)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"\n{platform.machine()}, {cores} cores, Python {platform.python_version()}")
    met = True
    for profile, limit in LIMITS.items():
        wall = best[(profile, 0)]
        ok = wall < limit
        met &= ok
        print(
            f"{profile:<8} one worker  {wall:6.1f} s (target < {limit:.0f} s: "
            f"{'met' if ok else 'MISSED'})"
        )
    one, two = best[("default", 0)], best[("default", 2)]
    faster = two < one
    met &= faster
    print(
        f"default  -n 2        {two:6.1f} s = {one / two:.2f}x one worker "
        f"(target: faster than one worker: {'met' if faster else 'MISSED'})"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
