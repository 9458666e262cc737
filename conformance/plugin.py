"""The pytest plugin (entry point ``pytest11``): the run configured from its options.

Installed with the package, so ``pytest --pyargs conformance [--endpoint URL]`` works in
any project. Nothing happens unless a conformance test asks for the endpoint: the
plugin is inert for other test suites.

pytest only looks for hooks and fixtures on this registered module, so the ones of the
other ``plugin_*`` modules are imported here, one concern a module:

- ``plugin_options``: the command-line options and reading them into checked values;
- ``plugin_preflight``: the options naming things outside the suite (directories, a
  profile, a client factory), checked before anything is sent;
- ``plugin_fixtures``: the endpoint under test, its credentials, client and ledger;
- ``plugin_memory``: garbage collection during and between tests;
- ``plugin_reporting``: test outcomes into results, report files and the summary;
- ``plugin_state``: what those share within one process;
- ``hypothesis_settings``: the profiles and ``network_settings`` the suite imports.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .hypothesis_settings import (
    network_property,
    network_settings,
    repeatable,
    take_over_the_seed,
    until_spent,
)
from .interrupts import checkpoint
from .plugin_fixtures import (
    conformance_endpoint,
    conformance_ledger,
    conformance_settle_timeout,
    conformance_target,
    conformance_write_guard,
    pytest_configure_node,
    pytest_unconfigure,
)
from .plugin_memory import pytest_runtest_teardown
from .plugin_options import (
    check_record_replay,
    choose_seed,
    pytest_addoption,
    read_max_real_numbers,
    read_operation_patterns,
    read_other_target,
    read_request_timeout,
    read_settle_timeout,
    read_shrink_budget,
    read_target,
    read_write_families,
    suite_requested,
)
from .plugin_preflight import (
    check_client_factory,
    check_hypothesis_profile,
    check_replay_directory,
    check_report_directory,
)
from .plugin_reporting import (
    pytest_collection_finish,
    pytest_runtest_call,
    pytest_runtest_logreport,
    pytest_runtest_makereport,
    pytest_sessionfinish,
    pytest_terminal_summary,
    replay_log,
    replay_properties,
)
from .plugin_state import RESULTS, STATE
from .recording import Recorder
from .replay_tally import ReplayTally
from .results import RunResults

__all__ = [
    "conformance_endpoint",
    "conformance_ledger",
    "conformance_settle_timeout",
    "conformance_target",
    "conformance_write_guard",
    "network_property",
    "network_settings",
    "pytest_addoption",
    "pytest_collection_finish",
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
    "repeatable",
    "replay_log",
    "replay_properties",
    "until_spent",
]


@pytest.hookimpl(tryfirst=True)  # before Hypothesis' own plugin reads the seed option
def pytest_configure(config: pytest.Config) -> None:
    """Check every option and set the run up before anything is sent: a bad value is a
    usage error (exit code 4), never a request."""
    check_hypothesis_profile(config)  # before Hypothesis' plugin loads it
    choose_seed(config)
    config.addinivalue_line(
        "markers", "conformance(id, level): the invariant a conformance test checks"
    )
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
    example database on (hypothesis_settings; every plugin's pytest_configure, Hypothesis'
    too, has run by now). Only for runs of the suite, never for other test suites."""
    session.config.stash[RESULTS].started = time.time()
    if suite_requested(session.config):
        take_over_the_seed(session.config.getoption("hypothesis_seed", default=None))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    checkpoint()  # a Ctrl-C noted during the run ends it before the next test


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """``--replay`` collects the replay tests instead of the invariants' (never both)."""
    here = Path(__file__).parent
    if collection_path == here / "replay":
        return not config.getoption("replay")
    if collection_path == here / "suite" and config.getoption("replay"):
        return True
    return None
