"""From test outcomes to the run's results, the report files and the terminal summary.

Each conformance test's report carries what the run's results need as user properties
(its invariant, failures, differences and the counts since the last report), so results
from xdist workers arrive at the controller the same way as a serial run's; the
controller writes the report files at session end and prints the summary.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any

import pytest
from hypothesis.errors import Unsatisfiable

from .client import EndpointUnavailable
from .invariants import LEVELS, REGISTRY, InvariantFailure
from .parity import DifferenceLog
from .plugin_state import RESULTS, STATE


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    marker = item.get_closest_marker("conformance")
    if marker is None:
        return report
    invariant_id = marker.kwargs["id"]
    if STATE.recorder is not None and report.when == "setup":
        STATE.recorder.begin(invariant_id)
    elif STATE.recorder is not None and report.when == "call":
        STATE.recorder.end()
    if report.when == "setup" and report.passed:
        return report
    report.user_properties.append(("conformance_invariant", invariant_id))
    report.user_properties.append(("conformance_stats", _stats_since_last_report()))
    if STATE.other is not None:
        report.user_properties.append(("conformance_differences", STATE.differences.drain()))
    if call.excinfo is None or report.when != "call":
        return report
    if STATE.guarded and isinstance(call.excinfo.value, Unsatisfiable):
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
        STATE.examples += count_examples(stats)
        if outer is not None:
            outer(stats)

    with collector.with_value(note):
        return (yield)


def count_examples(stats: dict[str, Any]) -> int:
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
    if STATE.config is None:
        return
    results = STATE.config.stash[RESULTS]
    if "conformance_invariant" not in props:
        # a replay test's properties are set in its body: its call report carries them
        # (its teardown report repeats them, and must not be counted twice)
        if "conformance_replay" in props and results.replay is not None and report.when == "call":
            counts = props.get("conformance_replay_counts")
            results.replay.add(props["conformance_replay"], report.outcome, counts)
            results.add_differences(props.get("conformance_differences"))
            results.add_stats(props.get("conformance_stats"))
        return
    results.record(report, props["conformance_invariant"], props.get("conformance_failures"))
    results.add_differences(props.get("conformance_differences"))
    results.add_stats(props.get("conformance_stats"), props["conformance_invariant"])


def _stats_since_last_report() -> dict[str, int]:
    totals = {
        "requests": sum(c.stats.requests for c in STATE.clients),
        "examples": STATE.examples,
        "throttled_retries": sum(c.stats.throttled_retries for c in STATE.clients),
    }
    delta = {k: totals[k] - STATE.reported[k] for k in totals}
    STATE.reported.update(totals)
    return delta


def replay_properties(recording: str, counts: dict[str, int]) -> list[tuple[str, Any]]:
    """What a replay test hands the report (also from an xdist worker): the recording's
    name, its counts (``recording.Replayed``), its differences and the requests sent."""
    return [
        ("conformance_replay", recording),
        ("conformance_replay_counts", counts),
        ("conformance_differences", STATE.differences.drain()),
        ("conformance_stats", _stats_since_last_report()),
    ]


def replay_log() -> DifferenceLog:
    return STATE.differences


def pytest_collection_finish(session: pytest.Session) -> None:
    """What was collected and selected (after -k and -m) is what the report expects."""
    results = session.config.stash.get(RESULTS, None)
    if results is None:
        return
    for item in session.items:
        marker = item.get_closest_marker("conformance")
        if marker is not None:
            results.expect(marker.kwargs["id"])


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[RESULTS].started = time.time()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    results = session.config.stash.get(RESULTS, None)
    if results is None or not (results.invariants or results.replay):
        return
    results.finish(exitstatus)
    directory = session.config.getoption("conformance_report")
    if directory and not _is_xdist_worker(session.config):
        try:  # checked before the run (plugin_preflight), but the disk may fill up since
            results.path = results.write(directory)
        except OSError as e:
            results.write_error = f"--conformance-report {directory}: not written: {e}"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    results = config.stash.get(RESULTS, None)
    if results is None or not (results.invariants or results.replay):
        return
    for line in results.summary_lines():
        terminalreporter.write_line(line)
    if config.getoption("client_factory"):
        terminalreporter.write_line(
            f"  client: {config.getoption('client_factory')} (--client-factory)"
        )
    if STATE.left_behind:
        advice = (
            f"({STATE.ledger_file}); release them with: "
            f"python -m conformance cleanup --ledger {STATE.ledger_file}"
            if STATE.ledger_file
            else "(no ledger file was kept: give --conformance-ledger PATH to keep one)"
        )
        terminalreporter.write_line(
            f"  WARNING: {len(STATE.left_behind)} numbers could not be released {advice}",
            red=True,
        )


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")  # not the environment: subprocesses inherit it
