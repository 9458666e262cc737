"""From test outcomes to the run's results, the report files and the terminal summary.

Each conformance test's report carries what the run's results need as user properties
(its invariant, failures, differences and the counts since the last report), so results
from xdist workers arrive at the controller the same way as a serial run's; the
controller writes the report files at session end and prints the summary.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis.errors import Unsatisfiable

from conformance.endpoint.client import EndpointUnavailable
from conformance.endpoint.served import NoWire, OperationNotServed, OperationWithheld
from conformance.endpoint.wrappers import WrapperError
from conformance.invariants import shrink_budget
from conformance.invariants.properties import RUN
from conformance.invariants.registry import LEVELS, REGISTRY, InvariantFailure, load_registry
from conformance.modes.parity import DifferenceLog
from conformance.plugin.options import SUITE
from conformance.plugin.state import RESULTS, STATE
from conformance.report.terminal import summary_lines


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    marker = item.get_closest_marker("conformance")
    if marker is None:
        return report
    invariant_id = marker.kwargs["id"]
    operation = _tier_operation(item)
    if STATE.recorder is not None and report.when == "setup":
        # a check of the model-level tier: one recording per operation it ran on
        STATE.recorder.begin(invariant_id if operation is None else f"{invariant_id}.{operation}")
    elif STATE.recorder is not None and report.when == "call":
        STATE.recorder.end()
    if report.when == "setup" and report.passed:
        return report
    report.user_properties.append(("conformance_invariant", invariant_id))
    report.user_properties.append(("conformance_stats", _stats_since_last_report()))
    if STATE.clients:  # how this process's client reaches what answers
        client = STATE.clients[0]
        report.user_properties.append(("conformance_route", _route(client)))
    if STATE.other is not None:
        report.user_properties.append(("conformance_differences", STATE.differences.drain()))
    if operation is not None:
        report.user_properties.append(("conformance_operation", operation))
    if call.excinfo is not None and isinstance(call.excinfo.value, OperationNotServed):
        unserved = call.excinfo.value
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, _skip_line(unserved, operation))
        report.user_properties.append(("conformance_not_served", unserved.to_dict()))
        return report
    if call.excinfo is not None and isinstance(call.excinfo.value, NoWire):
        report.outcome = "skipped"
        line = str(call.excinfo.value)
        report.longrepr = (str(item.path), item.location[1] or 0, line)
        report.user_properties.append(("conformance_not_applicable", line))
        return report
    if call.excinfo is not None and isinstance(call.excinfo.value, OperationWithheld):
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, f"{call.excinfo.value}")
        report.user_properties.append(("conformance_withheld", str(call.excinfo.value)))
        return report
    if report.when == "call" and STATE.runs is not None:
        report.user_properties += STATE.runs.properties()
        STATE.runs = None
    if call.excinfo is None or report.when != "call":
        return report
    if RUN.guarded and isinstance(call.excinfo.value, Unsatisfiable):
        report.outcome = "skipped"
        guard = STATE.spend_guard
        why = (
            guard.spent_reason()
            if guard is not None and guard.spent
            else "on real AWS the spend guard (SIMULATOR only, at most --max-real-numbers) "
            "left no example of this property to send"
        )
        report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {why}")
        return report
    if isinstance(call.excinfo.value, EndpointUnavailable):
        message = f"conformance: {call.excinfo.value}"
        item.session.shouldstop = message
        report.longrepr = message
        return report
    failures = [f.to_dict() for f in _invariant_failures(call.excinfo.value, invariant_id)]
    report.user_properties.append(("conformance_failures", failures))
    gate = item.config.getoption("conformance_level")
    level = REGISTRY[invariant_id].level
    if report.failed and LEVELS.index(level) > LEVELS.index(gate):
        report.outcome = "skipped"
        report.wasxfail = f"{invariant_id} failed at level {level}, which does not gate ({gate})"
    return report


@pytest.hookimpl(wrapper=True, trylast=True)  # inside Hypothesis' own wrapper
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Around each conformance test: its shrink budget (``shrink_budget``), and what its
    @given runs did, from the statistics Hypothesis hands its collector (then passed on
    to Hypothesis' plugin): the examples run, the seconds of each phase, and whether a
    failure was found again among the examples the database kept (the reuse phase)."""
    if item.get_closest_marker("conformance") is None:
        return (yield)
    from hypothesis import statistics

    collector: Any = statistics.collector  # typed for its default (None) only
    outer = collector.value
    runs = STATE.runs = PropertyRuns()

    def note(stats: Any) -> None:
        STATE.examples += count_examples(stats)
        runs.add(stats)
        if outer is not None:
            outer(stats)

    runs.budget = item.config.getoption("shrink_budget")
    with shrink_budget.limited(runs.budget), collector.with_value(note):
        return (yield)


@dataclass
class PropertyRuns:
    """What the @given runs of one conformance test did, for its report."""

    budget: float = 0.0  # --shrink-budget in force
    phases: dict[str, float] = field(default_factory=dict)  # seconds by phase
    from_database: bool = False  # a failure the example database kept was found again
    shrinking: dict[str, Any] | None = None  # shrink_budget.shrinking() of the run that shrank

    def add(self, stats: dict[str, Any]) -> None:
        for key, phase in stats.items():
            if key.endswith("-phase") and isinstance(phase, dict):
                name = key.removesuffix("-phase")
                seconds = float(phase.get("duration-seconds") or 0.0)
                self.phases[name] = round(self.phases.get(name, 0.0) + seconds, 3)
        reused = stats.get("reuse-phase") or {}
        if any(c.get("status") == "interesting" for c in reused.get("test-cases", [])):
            self.from_database = True
        self.shrinking = shrink_budget.shrinking(stats, self.budget) or self.shrinking

    def properties(self) -> list[tuple[str, Any]]:
        return [
            ("conformance_phases", self.phases),
            ("conformance_from_database", self.from_database),
            ("conformance_shrinking", self.shrinking),
        ]


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


def _skip_line(unserved: OperationNotServed, operation: str | None) -> str:
    """pytest's line for a check not run because its operation is not served. The tier's
    leaves the operation out, so that ``-rs`` folds the hundreds of them into one line a
    check (the coverage matrix names the operations)."""
    if operation is None:
        return str(unserved)
    return f"operations the endpoint does not implement ({unserved.reason}): see the matrix"


def _tier_operation(item: pytest.Item) -> str | None:
    """The operation a check of the model-level tier runs on (its ``operation`` param)."""
    callspec = getattr(item, "callspec", None)
    operation = callspec.params.get("operation") if callspec is not None else None
    return operation if isinstance(operation, str) else None


def _invariant_failures(error: BaseException, invariant_id: str) -> list[InvariantFailure]:
    """The invariant failures an exception holds; a wrapper's broken contract is a failure
    of the invariant its test checks (``invariant_id``)."""
    if isinstance(error, InvariantFailure):
        return [error]
    if isinstance(error, WrapperError):
        return [InvariantFailure(invariant_id, error.message, error.params, error.exchange)]
    if isinstance(error, BaseExceptionGroup):
        return [f for sub in error.exceptions for f in _invariant_failures(sub, invariant_id)]
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
    invariant_id = props["conformance_invariant"]
    if "conformance_operation" in props:
        results.record_operation(
            report,
            invariant_id,
            props["conformance_operation"],
            props.get("conformance_failures"),
            _unplayed(props),
        )
    elif "conformance_not_served" in props:
        results.not_implemented(invariant_id, props["conformance_not_served"])
    elif "conformance_not_applicable" in props:
        results.not_applicable(invariant_id, str(props["conformance_not_applicable"]))
    else:
        results.record(report, invariant_id, props.get("conformance_failures"))
    results.add_differences(props.get("conformance_differences"))
    results.add_stats(props.get("conformance_stats"), invariant_id)
    results.add_timing(invariant_id, report.duration, props)
    if props.get("conformance_route"):
        results.route = props["conformance_route"]


def _unplayed(props: dict[str, Any]) -> tuple[str, str] | None:
    """Why a tier check did not judge its operation: not implemented, or not sent."""
    if "conformance_not_served" in props:
        return "unimplemented", str(props["conformance_not_served"]["note"])
    if "conformance_withheld" in props:
        return "not_run", str(props["conformance_withheld"])
    if "conformance_not_applicable" in props:
        return "not_applicable", str(props["conformance_not_applicable"])
    return None


def _route(client: Any) -> dict[str, Any]:
    """How the client under test reaches what answers (the report's target block)."""
    factory = getattr(client, "name", None) if hasattr(client, "wrapper") else None
    return {"client_factory": factory, "wire": client.wire, "endpoint": client.url}


def _stats_since_last_report() -> dict[str, int]:
    totals = {
        "requests": sum(c.stats.requests for c in STATE.clients),
        "examples": STATE.examples + RUN.stopped_examples,
        "throttled_retries": sum(c.stats.throttled_retries for c in STATE.clients),
        "through_client": sum(c.stats.through_client for c in STATE.clients),
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


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    results = session.config.stash.get(RESULTS, None)
    if results is None or not (results.invariants or results.replay):
        return
    if session.config.option.collectonly:  # nothing ran: no verdict, no report
        results.invariants.clear()
        results.replay = None
        return
    # every invariant, also those a -k left out (the report's "not run"); not at
    # configure time, when Hypothesis warns of strategies the suite's modules build
    load_registry(SUITE)
    if results.summary().get("unimplemented") and exitstatus == pytest.ExitCode.OK:
        exitstatus = session.exitstatus = pytest.ExitCode.TESTS_FAILED  # does not conform
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
    for line in summary_lines(results):
        terminalreporter.write_line(line)
    if STATE.left_behind:
        advice = (
            f"({STATE.ledger_file}); release them with: "
            f"python -m conformance cleanup --ledger {STATE.ledger_file}"
            if STATE.ledger_file
            else "(no ledger file was kept: give --conformance-ledger PATH to keep one)"
        )
        terminalreporter.write_line(
            f"  WARNING: {len(STATE.left_behind)} numbers or other resources the run created "
            f"could not be released {advice}",
            red=True,
        )


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")  # not the environment: subprocesses inherit it
