"""One test per recorded file: the recorded calls sent again, the answers compared."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.client import EndpointClient
from conformance.ledger import Ledger
from conformance.plugin import replay_log, replay_properties
from conformance.recording import recordings, replay


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    directory = metafunc.config.getoption("replay")
    found = recordings(directory) if directory else []
    if directory and not found:
        raise pytest.UsageError(f"--replay {directory}: no recording found there")
    metafunc.parametrize("recording", found, ids=[p.stem for p in found])


def test_replay(
    recording: Path,
    conformance_endpoint: EndpointClient,
    conformance_ledger: Ledger,
    request: pytest.FixtureRequest,
) -> None:
    log = replay_log()
    calls, differences = replay(recording, conformance_endpoint, log, conformance_ledger)
    request.node.user_properties.extend(replay_properties(recording.name))
    conformance_ledger.release_all()
    if calls == 0:
        pytest.skip(f"nothing of {recording.name} could be replayed here")
    assert differences == 0, (
        f"{differences} differences in {calls} replayed calls of {recording.name} "
        "(report.json: differences)"
    )
