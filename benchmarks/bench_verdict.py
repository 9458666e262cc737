"""Time to verdict: how long a failing run takes next to a passing one (issue #16).

    python -m benchmarks.bench_verdict [--profiles quick,default] [--variants a,b]
                                       [--rounds 1] [--json PATH]

Every run is the user's command, ``python -m pytest --pyargs conformance --endpoint URL``
with the whole suite (every invariant, no ``-k``), the Hypothesis profile given (the
suite's own ``quick`` or ``default``: shrinking and explaining included, not the seeded
catalog's ``seeded`` profile, which leaves them out), a fixed ``--hypothesis-seed``, a
fresh temporary working directory (an empty Hypothesis example database) and
``--conformance-report DIR``; wall time from process start to exit. The repository's
root goes first on ``PYTHONPATH`` (as in tests/seeded/runner.py), so the run is of this
checkout whether or not it is the one installed. One flag is added for the notes,
``--durations=0``: pytest times every test anyway, the flag only prints the times.

- passing: the catalog's base server, ``ReferenceServer(service=variants.service())``,
  the reference exactly as every seeded variant wraps it (same quotas, same settle time)
  with nothing wrapped, in this process's threads. It must exit 0.
- failing: each broken variant of ``VARIANTS`` from the seeded catalog
  (``tests/seeded/variants.py``), built the same way, in this process's threads. Each
  must exit 1.

Both are routed the same way on purpose: the same server code in the same place (a
thread of this process, reached over loopback by ``--endpoint URL``), built the same
way, so the only difference between the two runs is the bug and what the suite does
about it (shrinking and explaining the failures, reporting them). The embedded
reference (``--endpoint reference``, a process of its own, seeded ids, the default quota)
would add a start-up and a different server to one side of the comparison.

The variants (``VARIANTS``) are bugs of three families that each make several
invariants fail in a full run (err-no-type fails seven, LIFECYCLE among them;
err-errors-are-200 ten; idemp-token-ignored the three idempotency invariants), and one of
the lifecycle family, life-release-twice, which fails LIFECYCLE alone (in a full run, none of the
seven life-* variants tried fails anything else): LIFECYCLE is a state machine, the property whose
failures cost most to shrink. Runs are interleaved across rounds (per profile: passing,
then each variant); the best round of each counts, and a ratio is a failing run's best
over the passing run's best of the same profile.

Target: every failing run <= 2x the passing run, for each profile. Exit 1 if missed;
exit 2 if a passing run did not exit 0 or a failing run did not exit 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from conformance import catalog, command
from conformance.reference import ReferenceServer

from .bench_suite import SEED

TARGET_RATIO = 2.0
PROFILES = ("quick", "default")
# Each fails several invariants in a full run of the suite (the seeded catalog's own
# runs select only the invariants a variant is meant to break), except life-release-twice:
# none of the seven life-* variants tried fails anything but LIFECYCLE in a full run, and
# one is here because the LIFECYCLE state machine's failures cost most to shrink.
VARIANTS = (
    "err-no-type",  # 7 invariants, LIFECYCLE among them
    "err-errors-are-200",  # 10 invariants
    "idemp-token-ignored",  # 3: IDEMP-SAME, IDEMP-MISMATCH, IDEMP-CONCURRENT
    "life-release-twice",  # LIFECYCLE
)
PASSING = "reference"  # the label of the passing run in tables and --json
RUN_TIMEOUT_S = 3600
TOP = 3  # slowest invariants shown per failing run


class BenchError(Exception):
    """A run that did not end as it must (exit status, report): the figures are void."""


@dataclass
class Run:
    server: str
    profile: str
    seconds: float
    exit_status: int
    failed: list[str]
    requests: int
    examples: int
    session_seconds: float
    # invariant id -> seconds: report.json's invariants[].seconds when it has them,
    # else pytest's --durations (setup, call and teardown of the invariant's test)
    timing: dict[str, float] = field(default_factory=dict)
    timing_source: str = ""


ROOT = str(Path(__file__).resolve().parents[1])


def _catalog() -> Any:
    """tests/seeded/variants.py (importable from the repository's root)."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from tests.seeded import variants

    return variants


def servers(names: list[str]) -> dict[str, Callable[[], Any]]:
    """The passing server and the named broken variants, each a server factory."""
    variants = _catalog()
    by_name = {v.name: v for v in variants.BROKEN}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SystemExit(f"no broken variant named {', '.join(unknown)}")
    built: dict[str, Callable[[], Any]] = {
        PASSING: lambda: ReferenceServer(service=variants.service())
    }
    built.update({name: by_name[name].build for name in names})
    return built


@contextlib.contextmanager
def serving(build: Callable[[], Any]) -> Iterator[str]:
    with build() as server:
        yield str(server.url)


def _test_invariants() -> dict[str, str]:
    """Suite test function name -> the invariant it checks."""
    catalog.invariants()
    found: dict[str, str] = {}
    for name, module in sorted(sys.modules.items()):
        if not name.startswith("conformance.suite.test_"):
            continue
        for attribute, function in vars(module).items():
            for mark in getattr(function, "pytestmark", []):
                if attribute.startswith("test_") and mark.name == "conformance":
                    found[attribute] = str(mark.kwargs.get("id"))
    return found


_DURATION = re.compile(r"^\s*([0-9.]+)s (?:setup|call|teardown)\s+\S*::(test_\w+)")


def durations(output: str) -> dict[str, float]:
    """Seconds per invariant from pytest's ``--durations=0`` lines (phases added up)."""
    names = _test_invariants()
    seconds: dict[str, float] = {}
    for line in output.splitlines():
        match = _DURATION.match(line)
        if match and match.group(2) in names:
            invariant_id = names[match.group(2)]
            seconds[invariant_id] = seconds.get(invariant_id, 0.0) + float(match.group(1))
    return seconds


def run(server: str, build: Callable[[], Any], profile: str) -> Run:
    """One run of the whole suite against a fresh server (started before the clock)."""
    env = command.checkout_env(ROOT)
    with serving(build) as url, tempfile.TemporaryDirectory() as tmp:
        report_dir = Path(tmp) / "report"
        argv = command.suite_command(
            "-q", "--durations=0", profile=profile, seed=SEED, report=report_dir, endpoint=url
        )
        start = time.perf_counter()
        try:
            done = subprocess.run(
                argv,
                cwd=tmp,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=RUN_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as timeout:
            raise BenchError(f"{server} ({profile}) ran over {RUN_TIMEOUT_S} s") from timeout
        wall = time.perf_counter() - start
        report_file = report_dir / "report.json"
        report = json.loads(report_file.read_text()) if report_file.exists() else None
    expected = 0 if server == PASSING else 1
    if done.returncode != expected or report is None:
        said = "no report.json" if report is None else f"exit status {done.returncode}"
        raise BenchError(
            f"{server} ({profile}): {said}, expected exit status {expected}\n{done.stdout[-3000:]}"
        )
    invariants = report.get("invariants", [])
    timed = {e["id"]: float(e["seconds"]) for e in invariants if "seconds" in e}
    source = "report.json"
    if not timed:
        timed, source = durations(done.stdout), "pytest --durations"
    stats = report.get("stats", {})
    return Run(
        server=server,
        profile=profile,
        seconds=wall,
        exit_status=done.returncode,
        failed=sorted(e["id"] for e in invariants if e.get("status") == "failed"),
        requests=int(stats.get("requests", 0)),
        examples=int(stats.get("examples", 0)),
        session_seconds=float(report.get("duration_s", 0.0)),
        timing=timed,
        timing_source=source if timed else "",
    )


def slowest(timing: dict[str, float], n: int = TOP) -> str:
    if not timing:
        return "no per-invariant timing (neither report.json seconds nor --durations)"
    ranked = sorted(timing.items(), key=lambda item: -item[1])[:n]
    return ", ".join(f"{invariant_id} {seconds:.1f} s" for invariant_id, seconds in ranked)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_verdict")
    parser.add_argument("--profiles", default=",".join(PROFILES), help="comma-separated")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="broken variants")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds; best counts")
    parser.add_argument("--json", metavar="PATH", help="save the figures as JSON")
    args = parser.parse_args(argv)
    profiles = [p for p in args.profiles.split(",") if p]
    names = [n for n in args.variants.split(",") if n]
    factories = servers(names)

    best: dict[tuple[str, str], Run] = {}
    rounds: list[dict[str, Any]] = []
    try:
        for round_ in range(1, args.rounds + 1):
            for profile in profiles:
                for server, build in factories.items():
                    this = run(server, build, profile)
                    rounds.append({"round": round_, **asdict(this)})
                    key = (profile, server)
                    if key not in best or this.seconds < best[key].seconds:
                        best[key] = this
                    print(
                        f"round {round_}: {profile:<8} {server:<28} {this.seconds:7.1f} s  "
                        f"exit {this.exit_status}  {len(this.failed)} failed",
                        flush=True,
                    )
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"\n{platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print(f"best of {args.rounds} round(s), seed {SEED}; target: failing <= {TARGET_RATIO}x")
    met = True
    figures: dict[str, Any] = {"seed": SEED, "rounds": args.rounds, "profiles": {}}
    for profile in profiles:
        passing = best[(profile, PASSING)]
        print(
            f"\n{profile}: passing run {passing.seconds:.1f} s "
            f"({passing.requests} requests, {passing.examples} examples)"
        )
        print(
            f"  {'variant':<28} {'wall':>7} {'ratio':>6} {'exit':>4} {'requests':>8} "
            f"{'examples':>8}  failed invariants"
        )
        worst = 0.0
        rows = []
        for name in names:
            failing = best[(profile, name)]
            ratio = failing.seconds / passing.seconds
            worst = max(worst, ratio)
            rows.append({**asdict(failing), "ratio": ratio})
            print(
                f"  {name:<28} {failing.seconds:6.1f}s {ratio:5.2f}x {failing.exit_status:>4} "
                f"{failing.requests:>8} {failing.examples:>8}  {' '.join(failing.failed)}"
            )
        for name in names:
            failing = best[(profile, name)]
            print(f"  slowest in {name}: {slowest(failing.timing)}")
        ok = worst <= TARGET_RATIO
        met &= ok
        print(
            f"  worst ratio {worst:.2f}x (target <= {TARGET_RATIO}x: {'met' if ok else 'MISSED'})"
        )
        figures["profiles"][profile] = {
            "passing": asdict(passing),
            "failing": rows,
            "worst_ratio": worst,
            "met": ok,
        }
    if args.json:
        figures["runs"] = rounds
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
