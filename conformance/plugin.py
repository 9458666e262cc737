"""The pytest plugin (entry point ``pytest11``): options, the target, results, report.

Installed with the package, so ``pytest --pyargs conformance [--endpoint URL]`` works in
any project. Nothing happens unless a conformance test asks for the endpoint: the
plugin is inert for other test suites.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import gc
import random
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.credentials import Credentials
from hypothesis import HealthCheck, settings
from hypothesis.errors import Unsatisfiable

from .client import EndpointClient, EndpointUnavailable, dummy_credentials
from .interrupts import checkpoint, deferring_interrupts
from .invariants import LEVELS, REGISTRY, InvariantFailure
from .ledger import Ledger, SpendGuard
from .parity import DifferenceLog, Mirror, merge
from .recording import Recorder
from .results import RunResults
from .targets import Target, TargetError, describe, running
from .transport import TransportError

settings.register_profile("quick", max_examples=20)
settings.register_profile("thorough", max_examples=500)


@dataclass
class _PluginState:
    """What the plugin's hooks share within one process (an xdist worker has its own)."""

    config: pytest.Config | None = None  # pytest_runtest_logreport gets no config
    clients: list[EndpointClient] = field(default_factory=list)
    reported: dict[str, int] = field(
        default_factory=lambda: {"requests": 0, "examples": 0, "throttled_retries": 0}
    )
    examples: int = 0  # Hypothesis test cases run to an outcome (see _count_examples)
    guarded: bool = False  # on real AWS the spend guard drops most generated requests
    left_behind: list[str] = field(default_factory=list)
    ledger_file: str | None = None
    other: Target | None = None  # --compare-to: the endpoint every request is mirrored to
    differences: DifferenceLog = field(default_factory=DifferenceLog)
    recorder: Recorder | None = None  # --record
    shared: contextlib.ExitStack | None = None  # xdist controller: the workers' reference
    shared_url: str | None = None


_STATE = _PluginState()


def network_settings() -> settings:
    """What every conformance property needs on top of the profile in force (so call it
    at test time, not import time): a network round-trip per example is slower than
    Hypothesis assumes, and on real AWS the spend guard filters most requests out."""
    checks = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
    if _STATE.guarded:
        checks.append(HealthCheck.filter_too_much)
    return settings(settings.default, deadline=None, suppress_health_check=checks)


_RESULTS = pytest.StashKey[RunResults]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "PinpointSMSVoiceV2 conformance suite")
    group.addoption(
        "--endpoint",
        default="reference",
        help="URL of the endpoint under test, or a named target: reference (default) or "
        "moto (embedded, started for the run), or aws (needs --allow-real-aws)",
    )
    group.addoption("--region", default="us-east-1", help="region to sign for (us-east-1)")
    group.addoption(
        "--conformance-report",
        metavar="DIR",
        default=None,
        help="write report.json of the run to DIR (also for failed or interrupted runs)",
    )
    group.addoption(
        "--conformance-level",
        choices=LEVELS,
        default="strict",
        help="the strictest invariant level whose failures fail the run: "
        "must < should < compat < strict (default: strict, all levels gate)",
    )
    group.addoption(
        "--allow-real-aws",
        action="store_true",
        default=False,
        help="allow requests to a real AWS endpoint (refused otherwise)",
    )
    group.addoption(
        "--max-real-numbers",
        type=int,
        default=5,
        help="on real AWS, the most SIMULATOR numbers a run may request (default 5)",
    )
    group.addoption(
        "--conformance-ledger",
        metavar="PATH",
        default=None,
        help="file listing the numbers a run holds until it releases them (default on real "
        "AWS: conformance-ledger.json); a later run releases what it still lists",
    )
    group.addoption(
        "--conformance-assume-aws",
        action="store_true",
        default=False,
        help=argparse.SUPPRESS,  # tests of the suite itself: treat a local URL as real AWS
    )
    group.addoption(
        "--use-env-credentials",
        action="store_true",
        default=False,
        help="sign with the environment's AWS credentials instead of dummy ones "
        "(never needed for local endpoints)",
    )
    group.addoption(
        "--compare-to",
        metavar="URL|reference|moto|aws",
        default=None,
        help="parity mode: send every request also to this endpoint and report each "
        "difference in the answers (aws needs --allow-real-aws)",
    )
    group.addoption(
        "--record",
        metavar="DIR",
        default=None,
        help="write every call of the run and its answer to DIR/<INVARIANT>.json "
        "(plain JSON, no secrets) for --replay",
    )
    group.addoption(
        "--replay",
        metavar="DIR",
        default=None,
        help="send the calls recorded in DIR again to --endpoint and report every answer "
        "that differs from the recorded one (instead of running the invariants)",
    )
    group.addoption(
        "--client-factory",
        metavar="MODULE:CALLABLE",
        default=None,
        help="drive your SDK wrapper: CALLABLE(endpoint_url=, region_name=, session=) "
        "returns an object with boto3-style methods (see conformance/wrappers.py)",
    )
    group.addoption(
        "--request-timeout",
        type=float,
        default=10.0,
        help="seconds to wait for each answer (default 10)",
    )


def _suite_requested(config: pytest.Config) -> bool:
    """Did this run ask for the conformance suite (not just have the plugin installed)?"""
    args = [str(a) for a in config.args]
    return bool(
        config.getoption("conformance_report")
        or config.getoption("endpoint") != "reference"
        or any(a == "conformance" or a.startswith("conformance/") or "suite" in a for a in args)
    )


@pytest.hookimpl(tryfirst=True)  # before Hypothesis' own plugin reads the seed option
def pytest_configure(config: pytest.Config) -> None:
    from_controller = getattr(config, "workerinput", {}).get("conformance_seed")
    if from_controller is not None:  # an xdist worker runs with the controller's seed
        config.option.hypothesis_seed = from_controller
    elif _suite_requested(config) and config.getoption("hypothesis_seed", default=None) is None:
        # A certificate must be repeatable: pick the seed here so the report can name it.
        config.option.hypothesis_seed = str(random.randrange(2**32))
    config.addinivalue_line(
        "markers", "conformance(id, level): the invariant a conformance test checks"
    )
    try:
        target = describe(config.getoption("endpoint"), config.getoption("region"))
    except TargetError as e:
        raise pytest.UsageError(str(e)) from e
    if config.getoption("conformance_assume_aws"):
        target = Target(target.url, "aws", target.name)
    if target.is_aws and not config.getoption("allow_real_aws"):
        raise pytest.UsageError(
            f"{target.url or target.name} is real AWS: refused before sending anything. Real "
            "numbers cost money; pass --allow-real-aws to certify AWS itself (only SIMULATOR "
            "numbers are then requested, at most --max-real-numbers, all released)."
        )
    _STATE.other = _other_target(config)
    if config.getoption("record") and config.getoption("replay"):
        raise pytest.UsageError("--record and --replay: one at a time")
    workers = getattr(config.option, "numprocesses", None)
    if (config.getoption("record") or config.getoption("replay")) and workers not in (None, 0):
        raise pytest.UsageError(
            "--record/--replay keep the order of the calls in one account: run without -n"
        )
    if config.getoption("record"):
        _STATE.recorder = Recorder(config.getoption("record"))
    _STATE.config = config
    config.stash[_RESULTS] = RunResults(
        target=target,
        seed=config.getoption("hypothesis_seed", default=None),
        profile=config.getoption("hypothesis_profile", default=None),
        gate_level=config.getoption("conformance_level"),
    )


def _other_ledger_file(config: pytest.Config) -> Path:
    """Where the numbers a real-AWS --compare-to endpoint holds are listed (per worker)."""
    worker = getattr(config, "workerinput", {}).get("workerid")
    return Path(f"conformance-ledger.other{'.' + worker if worker else ''}.json")


def _other_target(config: pytest.Config) -> Target | None:
    """``--compare-to``, classified and checked like ``--endpoint`` (real AWS refused)."""
    endpoint = config.getoption("compare_to")
    if endpoint is None:
        return None
    try:
        other = describe(endpoint, config.getoption("region"))
    except TargetError as e:
        raise pytest.UsageError(str(e).replace("--endpoint", "--compare-to")) from e
    if config.getoption("conformance_assume_aws"):  # tests of the suite itself
        other = Target(other.url, "aws", other.name)
    if other.is_aws and not config.getoption("allow_real_aws"):
        raise pytest.UsageError(
            f"--compare-to {endpoint} is real AWS: refused before sending anything; pass "
            "--allow-real-aws (only SIMULATOR numbers are then requested, all released)."
        )
    return other


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: hand the run's seed to every worker, and the URL of one embedded
    reference that the controller runs for all of them (each worker is an account of
    its own there): a reference per worker cost a process start and a core's share."""
    node.workerinput["conformance_seed"] = node.config.getoption("hypothesis_seed", default=None)
    target = node.config.stash[_RESULTS].target
    if target.kind == "reference" and _STATE.shared is None:
        stack = contextlib.ExitStack()
        try:
            _STATE.shared_url = stack.enter_context(running(target, _seed(node.config))).url
        except TargetError:  # each worker then starts its own, and reports why it cannot
            stack.close()
            return
        _STATE.shared = stack
    if _STATE.shared_url is not None:
        node.workerinput["conformance_shared_url"] = _STATE.shared_url


def pytest_unconfigure(config: pytest.Config) -> None:
    if _STATE.shared is not None:
        _STATE.shared.close()
        _STATE.shared, _STATE.shared_url = None, None


def _seed(config: pytest.Config) -> str | None:
    seed = config.getoption("hypothesis_seed", default=None)
    return None if seed is None else str(seed)


@pytest.fixture(scope="session")
def conformance_target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """The endpoint under test, reachable; an embedded one runs for the session."""
    config = request.config
    target: Target = config.stash[_RESULTS].target
    shared = getattr(config, "workerinput", {}).get("conformance_shared_url")
    if shared is not None:  # the xdist controller runs the embedded target
        target = Target(shared, "url", target.name)
    try:  # for the run, Ctrl-C stops it at the next request or test (interrupts.py)
        with running(target, _seed(config)) as reachable, deferring_interrupts():
            yield reachable
    except TargetError as e:
        pytest.exit(f"conformance: {e}", returncode=3)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    checkpoint()  # a Ctrl-C noted during the run ends it before the next test


@pytest.fixture(scope="session")
def conformance_endpoint(
    request: pytest.FixtureRequest, conformance_target: Target
) -> Iterator[EndpointClient]:
    """A client of the endpoint under test, as a fresh account of its own."""
    config = request.config
    credentials = _credentials(config, conformance_target)
    client = _endpoint_client(config, conformance_target.url, credentials)
    _STATE.clients.append(client)
    client.observers.append(_GARBAGE.observe)
    if _STATE.recorder is not None:
        client.observers.append(_STATE.recorder.observe)
    if _STATE.other is None:
        yield client
        client.close()
        return
    try:  # parity mode: the other endpoint runs (or is checked) for the session too
        with running(_STATE.other) as other:
            mirror = Mirror(
                EndpointClient(
                    other.url,
                    config.getoption("region"),
                    _credentials(config, other),
                    timeout=config.getoption("request_timeout"),
                ),
                _STATE.differences,
                SpendGuard(config.getoption("max_real_numbers")) if other.is_aws else None,
                _other_ledger_file(config) if other.is_aws else None,
            )
            client.observers.append(mirror.observe)
            yield client
            _STATE.left_behind.extend(mirror.close())  # after the ledger's mirrored releases
    except (TargetError, TransportError) as e:
        pytest.exit(f"conformance: --compare-to: {e}", returncode=3)
    client.close()


@pytest.fixture(scope="session")
def conformance_ledger(
    request: pytest.FixtureRequest, conformance_target: Target, conformance_endpoint: EndpointClient
) -> Iterator[Ledger]:
    """The numbers this run holds; leftovers of an earlier run are released first."""
    config = request.config
    path = config.getoption("conformance_ledger")
    if path is None and conformance_target.is_aws:
        path = "conformance-ledger.json"
    worker = getattr(config, "workerinput", {}).get("workerid")
    if path is not None and worker:
        path = str(Path(path).with_suffix(f".{worker}{Path(path).suffix}"))
    guard = None
    if conformance_target.is_aws or (_STATE.other is not None and _STATE.other.is_aws):
        guard = SpendGuard(config.getoption("max_real_numbers"))
        _STATE.guarded = True
    book = Ledger(conformance_endpoint, Path(path) if path else None, guard)
    book.adopt_leftovers()
    book.release_all()
    yield book
    left = book.release_all()
    if left:
        _STATE.left_behind.extend(left)
        _STATE.ledger_file = str(path) if path else None


def _endpoint_client(config: pytest.Config, url: str, credentials: Credentials) -> EndpointClient:
    """botocore's own client, or the user's wrapper (``--client-factory``) around it."""
    region, timeout = config.getoption("region"), config.getoption("request_timeout")
    spec = config.getoption("client_factory")
    if spec is None:
        try:
            return EndpointClient(url, region, credentials, timeout=timeout)
        except TransportError as e:  # a proxy setting it cannot use
            pytest.exit(f"conformance: {e}", returncode=3)
    from .wrappers import WrapperClient, WrapperError, load_factory

    try:
        return WrapperClient(url, region, credentials, load_factory(spec), timeout=timeout)
    except TransportError as e:
        pytest.exit(f"conformance: {e}", returncode=3)
    except (ValueError, ImportError, WrapperError) as e:
        pytest.exit(f"conformance: --client-factory {spec}: {e}", returncode=4)


class _GarbageCollector:
    """A full garbage collection every ``every`` calls to the endpoint.

    Each Hypothesis example leaves cyclic garbage (its choice data and the values drawn,
    up to a few hundred kB with a 200-tag body) that only a full collection frees, and
    CPython defers those while the heap is large: a long run's memory then grew with its
    length (about 120 MB over 80,000 requests).

    After the first test, what is alive (modules, models, compiled strategies and
    schemas: most of the heap, and none of it garbage) is moved out of the collector's
    sight with ``gc.freeze()``: a full collection scanned it all every time, about 55 ms,
    some 6 % of a run."""

    def __init__(self, every: int = 500):
        self.every = every
        self.calls = 0
        self.lock = threading.Lock()
        self.settled = False

    def settle(self) -> None:
        """Between two tests: collect what the last property left, and give the pages
        it freed back to the system (glibc keeps them otherwise, so a run's resident
        memory stayed at its largest property's peak). After the first test, freeze
        what survives."""
        gc.collect()
        if _MALLOC_TRIM is not None:
            _MALLOC_TRIM(0)
        if not self.settled:
            self.settled = True
            gc.freeze()

    def observe(self, *_: Any) -> None:
        with self.lock:
            self.calls += 1
            due = self.calls % self.every == 0
        if due:
            gc.collect()


def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None elsewhere (macOS, musl, Windows)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _malloc_trim()
_GARBAGE = _GarbageCollector()


def _credentials(config: pytest.Config, target: Target) -> Credentials:
    real_aws = target.is_aws and not config.getoption("conformance_assume_aws")
    if not config.getoption("use_env_credentials") and not real_aws:
        return dummy_credentials()
    import botocore.session

    found = botocore.session.get_session().get_credentials()
    if found is None:
        raise pytest.UsageError("--use-env-credentials: no AWS credentials in the environment")
    frozen = found.get_frozen_credentials()
    return Credentials(str(frozen.access_key), str(frozen.secret_key), frozen.token)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    marker = item.get_closest_marker("conformance")
    if marker is None:
        return report
    invariant_id = marker.kwargs["id"]
    if _STATE.recorder is not None and report.when == "setup":
        _STATE.recorder.begin(invariant_id)
    elif _STATE.recorder is not None and report.when == "call":
        _STATE.recorder.end()
    if report.when == "setup" and report.passed:
        return report
    report.user_properties.append(("conformance_invariant", invariant_id))
    report.user_properties.append(("conformance_stats", _stats_since_last_report()))
    if _STATE.other is not None:
        report.user_properties.append(("conformance_differences", _STATE.differences.drain()))
    if call.excinfo is None or report.when != "call":
        return report
    if _STATE.guarded and isinstance(call.excinfo.value, Unsatisfiable):
        report.outcome = "skipped"
        report.longrepr = (
            str(item.path),
            item.location[1] or 0,
            "Skipped: on real AWS the spend guard (SIMULATOR only, at most "
            "--max-real-numbers) left no example of this property to send",
        )
        return report
    if isinstance(call.excinfo.value, EndpointUnavailable):
        message = f"conformance: {call.excinfo.value}"
        item.session.shouldstop = message
        report.longrepr = message
        return report
    failures = [f.to_dict() for f in _invariant_failures(call.excinfo.value)]
    report.user_properties.append(("conformance_failures", failures))
    gate = item.config.getoption("conformance_level")
    level = REGISTRY[invariant_id].level
    if report.failed and LEVELS.index(level) > LEVELS.index(gate):
        report.outcome = "skipped"
        report.wasxfail = f"{invariant_id} failed at level {level}, which does not gate ({gate})"
    return report


@pytest.hookimpl(wrapper=True, trylast=True)  # inside Hypothesis' own wrapper
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Count the examples every @given run of a conformance test executes, from the
    statistics Hypothesis hands its collector (then passed on to Hypothesis' plugin)."""
    if item.get_closest_marker("conformance") is None:
        return (yield)
    from hypothesis import statistics

    collector: Any = statistics.collector  # typed for its default (None) only
    outer = collector.value

    def note(stats: Any) -> None:
        _STATE.examples += _count_examples(stats)
        if outer is not None:
            outer(stats)

    with collector.with_value(note):
        return (yield)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    if item.get_closest_marker("conformance") is not None:
        _GARBAGE.settle()


def _count_examples(stats: dict[str, Any]) -> int:
    """Test cases that ran to an outcome (valid or failing) in every phase, shrinking
    included; those rejected by assume/filters or overrunning their data are not."""
    return sum(
        1
        for key, phase in stats.items()
        if key.endswith("-phase") and isinstance(phase, dict)
        for case in phase.get("test-cases", [])
        if case.get("status") in ("valid", "interesting")
    )


def _invariant_failures(error: BaseException) -> list[InvariantFailure]:
    if isinstance(error, InvariantFailure):
        return [error]
    if isinstance(error, BaseExceptionGroup):
        return [f for sub in error.exceptions for f in _invariant_failures(sub)]
    return []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    props: dict[str, Any] = dict(report.user_properties)
    if "conformance_invariant" not in props:
        if "conformance_replay" in props and _STATE.config is not None:
            results = _STATE.config.stash[_RESULTS]
            merge(results.differences, props.get("conformance_differences"))
            results.add_stats(props.get("conformance_stats"))
        return
    if _STATE.config is not None:
        results = _STATE.config.stash[_RESULTS]
        results.record(report, props["conformance_invariant"], props.get("conformance_failures"))
        merge(results.differences, props.get("conformance_differences"))
        results.add_stats(props.get("conformance_stats"), props["conformance_invariant"])


def _stats_since_last_report() -> dict[str, int]:
    totals = {
        "requests": sum(c.stats.requests for c in _STATE.clients),
        "examples": _STATE.examples,
        "throttled_retries": sum(c.stats.throttled_retries for c in _STATE.clients),
    }
    delta = {k: totals[k] - _STATE.reported[k] for k in totals}
    _STATE.reported.update(totals)
    return delta


def pytest_collection_finish(session: pytest.Session) -> None:
    """What was collected and selected (after -k and -m) is what the report expects."""
    results = session.config.stash.get(_RESULTS, None)
    if results is None:
        return
    for item in session.items:
        marker = item.get_closest_marker("conformance")
        if marker is not None:
            results.expect(marker.kwargs["id"])


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_RESULTS].started = time.time()


def replay_properties(recording: str) -> list[tuple[str, Any]]:
    """What a replay test hands the report (also from an xdist worker)."""
    return [
        ("conformance_replay", recording),
        ("conformance_differences", _STATE.differences.drain()),
        ("conformance_stats", _stats_since_last_report()),
    ]


def replay_log() -> DifferenceLog:
    return _STATE.differences


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """``--replay`` collects the replay tests instead of the invariants' (never both)."""
    here = Path(__file__).parent
    if collection_path == here / "replay":
        return not config.getoption("replay")
    if collection_path == here / "suite" and config.getoption("replay"):
        return True
    return None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    results = session.config.stash.get(_RESULTS, None)
    replaying = session.config.getoption("replay")
    if results is None or not (results.invariants or (replaying and results.requests)):
        return
    results.finish(exitstatus)
    directory = session.config.getoption("conformance_report")
    if directory and not _is_xdist_worker(session.config):
        results.path = results.write(directory)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    results = config.stash.get(_RESULTS, None)
    if results is not None and config.getoption("replay") and results.requests:
        count = len(results.differences)
        where = results.target.url or results.target.name
        terminalreporter.write_line("")
        terminalreporter.write_line(
            f"PinpointSMSVoiceV2 replay of {config.getoption('replay')} against {where}: "
            f"{results.requests} requests, {count} difference{'' if count == 1 else 's'}",
            red=bool(count),
        )
        for path in [results.path, *results.written[1:]] if results.path else []:
            terminalreporter.write_line(f"  report: {path}")
        return
    if results is None or not results.invariants:
        return
    for line in results.summary_lines():
        terminalreporter.write_line(line)
    if config.getoption("compare_to"):
        count = len(results.differences)
        terminalreporter.write_line(
            f"  parity with {config.getoption('compare_to')}: {count} difference"
            f"{'' if count == 1 else 's'}" + (" (report.json: differences)" if count else ""),
            red=bool(count),
        )
    if config.getoption("client_factory"):
        terminalreporter.write_line(
            f"  client: {config.getoption('client_factory')} (--client-factory)"
        )
    if _STATE.left_behind:
        advice = (
            f"({_STATE.ledger_file}); release them with: "
            f"python -m conformance cleanup --ledger {_STATE.ledger_file}"
            if _STATE.ledger_file
            else "(no ledger file was kept: give --conformance-ledger PATH to keep one)"
        )
        terminalreporter.write_line(
            f"  WARNING: {len(_STATE.left_behind)} numbers could not be released {advice}",
            red=True,
        )


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")  # not the environment: subprocesses inherit it
