"""One test per recorded file: the recorded calls sent again, the answers compared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance.endpoint.client import EndpointClient
from conformance.endpoint.settle import Settler
from conformance.guards.ledger import Ledger
from conformance.guards.write_guard import WriteGuard
from conformance.modes.parity import DifferenceLog
from conformance.modes.recording import recordings, replay


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    directory = metafunc.config.getoption("replay")
    found = recordings(directory) if directory else []  # checked before: plugin_preflight
    metafunc.parametrize("recording", found, ids=[p.stem for p in found])


def test_replay(
    recording: Path,
    conformance_endpoint: EndpointClient,
    conformance_ledger: Ledger,
    conformance_settle_timeout: float,
    conformance_write_guard: WriteGuard,
    conformance_differences: DifferenceLog,
    conformance_replay_properties: Any,
    request: pytest.FixtureRequest,
) -> None:
    log = conformance_differences
    settler = Settler(conformance_settle_timeout)
    done = replay(
        recording, conformance_endpoint, log, conformance_ledger, settler, conformance_write_guard
    )
    request.node.user_properties.extend(
        conformance_replay_properties(recording.stem, done._asdict())
    )
    conformance_ledger.release_all()
    if done.calls == 0:
        pytest.skip(
            f"nothing of {recording.name} could be replayed here"
            + (f" ({done.withheld} calls withheld from real AWS)" if done.withheld else "")
        )
    assert done.differing_calls == 0, (
        f"{done.differing_calls} of {done.calls} replayed calls of {recording.name} answered "
        f"otherwise than recorded ({done.differences} differences)"
    )
