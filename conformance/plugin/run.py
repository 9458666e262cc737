"""The plugin's hooks and fixtures for a run of the suite, registered by
``conformance.plugin`` only when a run asks for the suite (so an unrelated pytest run
never imports botocore, the model or Hypothesis' settings through it).

pytest only looks for hooks and fixtures on a registered module, so the ones of the
plugin's other modules are imported here, one concern a module:

- ``reading``: the options read into checked values;
- ``preflight``: the options naming things outside the suite (directories, a profile, a
  client factory), checked before anything is sent;
- ``fixtures``: the endpoint under test, its credentials, client and ledger;
- ``memory``: garbage collection during and between tests;
- ``reporting``: test outcomes into results, report files and the summary;
- ``state``: what those share within one process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conformance.endpoint.interrupts import checkpoint
from conformance.invariants.properties import RUN, take_over_the_seed
from conformance.modes.parity import DifferenceLog
from conformance.modes.recording import Recorder
from conformance.modes.replay_tally import ReplayTally
from conformance.plugin.fixtures import (
    conformance_endpoint,
    conformance_ledger,
    conformance_second_account,
    conformance_settle_timeout,
    conformance_target,
    conformance_write_guard,
    pytest_configure_node,
    pytest_unconfigure,
)
from conformance.plugin.memory import pytest_runtest_teardown
from conformance.plugin.options import suite_requested
from conformance.plugin.preflight import (
    check_client_factory,
    check_hypothesis_profile,
    check_replay_directory,
    check_report_directory,
)
from conformance.plugin.reading import (
    check_record_replay,
    choose_seed,
    read_max_real_numbers,
    read_operation_patterns,
    read_other_target,
    read_request_timeout,
    read_settle_timeout,
    read_shrink_budget,
    read_target,
    read_write_families,
)
from conformance.plugin.reporting import (
    pytest_collection_finish,
    pytest_runtest_call,
    pytest_runtest_logreport,
    pytest_runtest_makereport,
    pytest_sessionfinish,
    pytest_terminal_summary,
    replay_log,
    replay_properties,
)
from conformance.plugin.state import RESULTS, STATE
from conformance.report.run import RunResults
from conformance.service.operations import selected

__all__ = [
    "conformance_differences",
    "conformance_endpoint",
    "conformance_ledger",
    "conformance_replay_properties",
    "conformance_second_account",
    "conformance_settle_timeout",
    "conformance_target",
    "conformance_write_guard",
    "pytest_collection_finish",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_ignore_collect",
    "pytest_runtest_call",
    "pytest_runtest_logreport",
    "pytest_runtest_makereport",
    "pytest_runtest_setup",
    "pytest_runtest_teardown",
    "pytest_sessionfinish",
    "pytest_sessionstart",
    "pytest_terminal_summary",
    "pytest_unconfigure",
]

PACKAGE_DIR = Path(__file__).resolve().parents[1]


@pytest.hookimpl(tryfirst=True)  # before Hypothesis' own plugin reads the seed option
def pytest_configure(config: pytest.Config) -> None:
    """Check every option and set the run up before anything is sent: a bad value is a
    usage error (exit code 4), never a request."""
    check_hypothesis_profile(config)  # before Hypothesis' plugin loads it
    choose_seed(config)
    RUN.explain = bool(config.getoption("hypothesis_explain", default=False))
    target = read_target(config)
    STATE.other = read_other_target(config)
    STATE.write_families = read_write_families(config, target, STATE.other)
    settle_timeout = read_settle_timeout(config, target)
    read_request_timeout(config)
    read_max_real_numbers(config)
    read_shrink_budget(config)
    read_operation_patterns(config)
    check_record_replay(config)
    check_replay_directory(config)
    check_report_directory(config)
    check_client_factory(config)
    if config.getoption("record"):
        STATE.recorder = Recorder(config.getoption("record"))
    STATE.config = config
    config.stash[RESULTS] = RunResults(
        target=target,
        seed=config.getoption("hypothesis_seed", default=None),
        profile=config.getoption("hypothesis_profile", default=None),
        gate_level=config.getoption("conformance_level"),
        settle_timeout=settle_timeout,
        replay=ReplayTally(config.getoption("replay")) if config.getoption("replay") else None,
        compared_to=config.getoption("compare_to"),
        client_factory=config.getoption("client_factory"),
    )


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """The run starts (its clock); its seed goes to each property, keeping Hypothesis'
    example database on (invariants.properties; every plugin's pytest_configure, Hypothesis'
    too, has run by now). Only for runs of the suite, never for other test suites."""
    session.config.stash[RESULTS].started = time.time()
    if suite_requested(session.config):
        take_over_the_seed(session.config.getoption("hypothesis_seed", default=None))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    checkpoint()  # a Ctrl-C noted during the run ends it before the next test


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """``--replay`` collects the replay tests instead of the invariants' (never both)."""
    here = PACKAGE_DIR
    if collection_path == here / "replay":
        return not config.getoption("replay")
    if collection_path == here / "suite" and config.getoption("replay"):
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On real AWS (the target, or the endpoint every request is mirrored to), the tests
    marked ``spends_nothing`` run first: past the run's cap (``--max-real-numbers``) the
    spend guard refuses every request. ``--operations`` / ``--skip-operations``: the
    tier's checks of the operations left out are deselected (the coverage matrix lists
    them as not run)."""
    real_aws = config.stash[RESULTS].target.is_aws or (
        STATE.other is not None and STATE.other.is_aws
    )
    if real_aws:
        items.sort(key=lambda item: item.get_closest_marker("spends_nothing") is None)  # stable
    include, exclude = config.getoption("operations"), config.getoption("skip_operations")
    if include is None and exclude is None:
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        operation = callspec.params.get("operation") if callspec is not None else None
        left_out = isinstance(operation, str) and not selected(operation, include, exclude)
        (dropped if left_out else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def conformance_differences() -> DifferenceLog:
    """What parity and replay found different, drained into each test's report."""
    return replay_log()


@pytest.fixture(scope="session")
def conformance_replay_properties() -> Callable[[str, dict[str, int]], list[tuple[str, Any]]]:
    """What a replay test hands its report (``reporting.replay_properties``)."""
    return replay_properties
