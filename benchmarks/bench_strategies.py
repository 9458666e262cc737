"""How fast ``strategies.valid_inputs("RequestPhoneNumber")`` generates examples.

    python -m benchmarks.bench_strategies [--examples 400] [--rounds 5] [--no-check]
                                          [--json PATH]

Three strategies for the same input shape are measured in the same run, in interleaved
rounds (each takes each place in the order in turn; the median round counts), each the
same way: a no-op ``@given(strategy)`` test with ``settings(max_examples=N,
phases=[Phase.generate], database=None, deadline=None)``, timed wall-clock after one
warm-up run, gives N examples / seconds. The timed runs suppress health checks
(hypothesis-jsonschema fails ``filter_too_much`` now and then); one more run of each
with the default health checks records what they say.

- ours: ``strategies.valid_inputs("RequestPhoneNumber")``;
- hypothesis-jsonschema: ``from_schema(strategies.input_schema("RequestPhoneNumber"))``.
  Its last release (0.23.1) fails on current Hypothesis (6.170.10 dropped an internal it
  calls), so it runs in its own virtual environment, ``benchmarks/.venv-hjs/`` (made once,
  remade when the pins below change), with the newest Hypothesis it still works with, as
  a worker subprocess that answers one JSON line per request;
- hand-written: ``st.fixed_dictionaries`` written for this one shape, the practical
  ceiling (see ``hand_written``).

Targets: ours >= 20x hypothesis-jsonschema, ours >= 1.0x hand-written, and no health
check failure for ours. Exit status 1 if one is missed (``--no-check``: report only).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import statistics
import string
import subprocess
import sys
import tempfile
import time
import venv
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import FailedHealthCheck

import strategies

OPERATION = "RequestPhoneNumber"
TARGET_VS_HJS = 20.0
TARGET_VS_HAND = 1.0
HJS_VENV = Path(__file__).resolve().parent / ".venv-hjs"
HJS_PINS = (
    "hypothesis-jsonschema==0.23.1",
    "hypothesis==6.170.9",  # the newest it runs on: 6.170.10 removed many.more()
    "jsonschema==4.26.0",
)

# The worker run in the hypothesis-jsonschema venv: one JSON line per command read.
WORKER = r"""
import gc, json, sys, time, warnings
import hypothesis, hypothesis_jsonschema
from importlib.metadata import version
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import FailedHealthCheck
from hypothesis_jsonschema import from_schema

with open(sys.argv[1], encoding="utf-8") as f:
    strategy = from_schema(json.load(f))

def rate(n, suppress=True):
    @settings(max_examples=n, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck) if suppress else ())
    @given(strategy)
    def test(value):
        pass
    gc.collect()
    start = time.perf_counter()
    test()
    return n / (time.perf_counter() - start)

def health(n):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            rate(n, suppress=False)
            failure = None
        except FailedHealthCheck as e:
            failure = f"{type(e).__name__}: {str(e).splitlines()[0]}"
    return {"failure": failure, "warnings": [f"{w.category.__name__}: {w.message}" for w in caught]}

answers, sys.stdout = sys.stdout, sys.stderr  # only answers go to stdout

def say(answer):
    print(json.dumps(answer), file=answers, flush=True)

say({"hypothesis": hypothesis.__version__,
     "hypothesis_jsonschema": version("hypothesis-jsonschema"),
     "jsonschema": version("jsonschema")})
for line in sys.stdin:
    command, n = line.split()
    if command == "rate":
        say({"rate": rate(int(n))})
    elif command == "health":
        say(health(int(n)))
"""


def hand_written() -> st.SearchStrategy[dict[str, Any]]:
    """RequestPhoneNumber's input written by hand, as a competent user would.

    A baseline, not product code: the enums and limits are copied from the model by hand
    (the product derives them at run time). Strings are plain text over the pattern's
    alphabet within the length bounds, which is valid since every pattern here is one
    repeated class.
    """
    names = string.ascii_letters + string.digits + "_:/-"  # [A-Za-z0-9_:/-]
    one_line = st.characters(codec="utf-8", exclude_characters="\n\r\u2028\u2029")  # ECMA .
    tag = st.fixed_dictionaries(
        {
            "Key": st.text(one_line, min_size=1, max_size=128),
            "Value": st.text(one_line, max_size=256),
        }
    )
    return st.fixed_dictionaries(
        {
            "IsoCountryCode": st.text(string.ascii_uppercase, min_size=2, max_size=2),
            "MessageType": st.sampled_from(["TRANSACTIONAL", "PROMOTIONAL"]),
            "NumberCapabilities": st.lists(
                st.sampled_from(["SMS", "VOICE", "MMS", "RCS"]), min_size=1, max_size=4
            ),
            "NumberType": st.sampled_from(["LONG_CODE", "TOLL_FREE", "TEN_DLC", "SIMULATOR"]),
        },
        optional={
            "OptOutListName": st.text(names, min_size=1, max_size=256),
            "PoolId": st.text(names, max_size=256),
            "RegistrationId": st.text(names, min_size=1, max_size=256),
            "InternationalSendingEnabled": st.booleans(),
            "DeletionProtectionEnabled": st.booleans(),
            "Tags": st.lists(tag, max_size=200),
            "ClientToken": st.text(
                st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=64
            ),
        },
    )


def rate(strategy: st.SearchStrategy[Any], n: int, *, suppress: bool = True) -> float:
    """Examples per second of a no-op ``@given(strategy)`` test of ``n`` examples."""

    @settings(
        max_examples=n,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck) if suppress else (),
    )
    @given(strategy)
    def test(value: Any) -> None:
        pass

    gc.collect()  # no run pays for the garbage of the one before
    start = time.perf_counter()
    test()
    return n / (time.perf_counter() - start)


def health(strategy: st.SearchStrategy[Any], n: int) -> dict[str, Any]:
    """What Hypothesis' default health checks say about ``strategy``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            rate(strategy, n, suppress=False)
            failure = None
        except FailedHealthCheck as e:
            failure = f"{type(e).__name__}: {str(e).splitlines()[0]}"
    return {
        "failure": failure,
        "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
    }


def check_valid(strategy: st.SearchStrategy[Any], n: int = 200) -> None:
    """Every example of ``strategy`` satisfies the model (a baseline must be valid)."""

    @settings(max_examples=n, phases=[Phase.generate], database=None, deadline=None)
    @given(strategy)
    def test(value: dict[str, Any]) -> None:
        assert strategies.violations(OPERATION, value) == [], value

    test()


def hjs_python() -> Path:
    """The venv's interpreter, made (or remade, if its pins changed) on first use."""
    python = HJS_VENV / "bin" / "python"
    stamp = HJS_VENV / "pins.txt"
    wanted = "\n".join(HJS_PINS) + "\n"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    print(f"creating {HJS_VENV} with {', '.join(HJS_PINS)} ...", flush=True)
    venv.EnvBuilder(clear=True, with_pip=True).create(HJS_VENV)
    pip = [str(python), "-m", "pip", "install", "-qq", "--disable-pip-version-check"]
    if subprocess.run([*pip, *HJS_PINS], check=False).returncode != 0:
        raise SystemExit(f"could not install {', '.join(HJS_PINS)} into {HJS_VENV} (see above)")
    stamp.write_text(wanted)  # only a complete venv is reused
    return python


class Worker:
    """hypothesis-jsonschema in its venv, answering one JSON line per command."""

    def __init__(self, schema_path: Path) -> None:
        script = schema_path.parent / "hjs_worker.py"
        script.write_text(WORKER, encoding="utf-8")
        # Hypothesis' own notes (seeds of failed health checks) go to a log, not the table.
        self.log = (schema_path.parent / "hjs_worker.log").open("w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [str(hjs_python()), str(script), str(schema_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        self.versions = self._answer()

    def _answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.log.seek(0)
            raise RuntimeError(
                f"the hypothesis-jsonschema worker died (exit status {self.process.wait()}):\n"
                + self.log.read()
            )
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, command: str, n: int) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{command} {n}\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        elif self.process.stdin is not None:
            self.process.stdin.close()  # the worker ends at the end of its input
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@contextlib.contextmanager
def hjs_worker() -> Iterator[Worker]:
    with tempfile.TemporaryDirectory(prefix="bench-hjs-") as tmp:
        schema_path = Path(tmp) / "schema.json"
        schema_path.write_text(json.dumps(strategies.input_schema(OPERATION)), encoding="utf-8")
        worker = Worker(schema_path)
        try:
            yield worker
        except BaseException:
            worker.close(kill=True)
            raise
        worker.close()


def cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))  # what nproc reports
    return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_strategies")
    parser.add_argument("--examples", type=int, default=400, help="N, max_examples per run")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; median counts")
    parser.add_argument("--no-check", action="store_true", help="report only, exit 0")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the results here")
    args = parser.parse_args(argv)
    n, warmup = args.examples, max(20, args.examples // 10)

    ours = strategies.valid_inputs(OPERATION)
    hand = hand_written()
    check_valid(hand)  # the ceiling must be a fair one: valid inputs only
    with hjs_worker() as worker:
        local: dict[str, Callable[[int], float]] = {
            "ours": lambda k: rate(ours, k),
            "hand-written": lambda k: rate(hand, k),
        }
        measure = {**local, "hypothesis-jsonschema": lambda k: worker.ask("rate", k)["rate"]}
        for run in measure.values():  # warm-up
            run(warmup)
        runs: dict[str, list[float]] = {name: [] for name in measure}
        names = list(measure)
        for round_ in range(1, args.rounds + 1):
            shift = (round_ - 1) % len(names)  # each strategy takes each place in turn
            for name in names[shift:] + names[:shift]:
                runs[name].append(measure[name](n))
                print(f"round {round_}: {name:<22} {runs[name][-1]:8.1f} examples/s", flush=True)
        checks = {
            "ours": health(ours, n),
            "hand-written": health(hand, n),
            "hypothesis-jsonschema": worker.ask("health", n),
        }
        hjs_versions = worker.versions

    median = {name: statistics.median(values) for name, values in runs.items()}
    vs_hjs = median["ours"] / median["hypothesis-jsonschema"]
    vs_hand = median["ours"] / median["hand-written"]
    met = {
        "ours_vs_hypothesis_jsonschema": vs_hjs >= TARGET_VS_HJS,
        "ours_vs_hand_written": vs_hand >= TARGET_VS_HAND,
        "ours_passes_health_checks": checks["ours"]["failure"] is None,
    }
    machine = {
        "nproc": cores(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }

    print(
        f"\n{machine['machine']}, {machine['nproc']} cores, Python {machine['python']}; "
        f"N = {n} examples per run, median of {args.rounds} rounds"
    )
    hypothesis_of = {
        "ours": hypothesis.__version__,
        "hand-written": hypothesis.__version__,
        "hypothesis-jsonschema": f"{hjs_versions['hypothesis']} "
        f"(+ hypothesis-jsonschema {hjs_versions['hypothesis_jsonschema']})",
    }
    print(f"{'strategy':<22} {'examples/s':>10}  {'health checks':<14} hypothesis")
    for name, value in median.items():
        said = (
            "failed" if checks[name]["failure"] else "warned" if checks[name]["warnings"] else "ok"
        )
        print(f"{name:<22} {value:10.1f}  {said:<14} {hypothesis_of[name]}")
    for name, check in checks.items():
        for line in filter(None, [check["failure"], *check["warnings"]]):
            print(f"  {name}: {line}")
    print(
        f"ours / hypothesis-jsonschema = {vs_hjs:6.1f}x (target >= {TARGET_VS_HJS:.0f}x: "
        f"{'met' if met['ours_vs_hypothesis_jsonschema'] else 'MISSED'})"
    )
    print(
        f"ours / hand-written          = {vs_hand:6.2f}x (target >= {TARGET_VS_HAND:.1f}x: "
        f"{'met' if met['ours_vs_hand_written'] else 'MISSED'})"
    )

    if args.json is not None:
        results = {
            "operation": OPERATION,
            "examples_per_run": n,
            "warmup_examples": warmup,
            "rounds": args.rounds,
            "machine": machine,
            "versions": {
                "main_env": {"hypothesis": hypothesis.__version__, **strategies.versions()},
                "hjs_env": hjs_versions,
            },
            "examples_per_second": {
                name: {"median": median[name], "runs": runs[name]} for name in runs
            },
            "ratios": {"ours_vs_hypothesis_jsonschema": vs_hjs, "ours_vs_hand_written": vs_hand},
            "targets": {
                "ours_vs_hypothesis_jsonschema": TARGET_VS_HJS,
                "ours_vs_hand_written": TARGET_VS_HAND,
            },
            "targets_met": met,
            "health_checks": checks,
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"results written to {args.json}")

    if args.no_check or all(met.values()):
        return 0
    missed = ", ".join(name for name, ok in met.items() if not ok)
    print(f"FAILED: target missed: {missed}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
