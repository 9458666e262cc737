"""What the plugin's modules share within one process (an xdist worker has its own).

The hooks live in several modules (options, fixtures, memory, reporting) but act on one
run: the run's results are kept in the pytest config's stash under ``RESULTS``, and
what has no config to hang on (``pytest_runtest_logreport`` gets none) in ``STATE``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import pytest

from conformance.endpoint.client import EndpointClient
from conformance.endpoint.targets import Target
from conformance.guards.spend_guard import SpendGuard
from conformance.modes.parity import DifferenceLog
from conformance.modes.recording import Recorder
from conformance.report.run import RunResults


@dataclass
class PluginState:
    """The process's share of the run that the hooks hand each other."""

    config: pytest.Config | None = None  # pytest_runtest_logreport gets no config
    clients: list[EndpointClient] = field(default_factory=list)
    reported: dict[str, int] = field(
        default_factory=lambda: {
            "requests": 0,
            "examples": 0,
            "throttled_retries": 0,
            "through_client": 0,
        }
    )
    examples: int = 0  # Hypothesis test cases run to an outcome (see count_examples)
    spend_guard: SpendGuard | None = None  # the run's (this process's), on real AWS
    left_behind: list[str] = field(default_factory=list)
    ledger_file: str | None = None
    other: Target | None = None  # --compare-to: the endpoint every request is mirrored to
    write_families: frozenset[str] = frozenset()  # --aws-write-families
    differences: DifferenceLog = field(default_factory=DifferenceLog)
    recorder: Recorder | None = None  # --record
    shared: contextlib.ExitStack | None = None  # xdist controller: the workers' reference
    shared_url: str | None = None
    runs: Any = None  # plugin.reporting.PropertyRuns of the conformance test running now


STATE = PluginState()
RESULTS = pytest.StashKey[RunResults]()
