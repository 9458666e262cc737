"""The suite is not flaky: the reference passes under many seeds, and a failure found
once is found again with its seed, shrunk to the same minimal input.

The suite runs with the ``quick`` profile as users run it (shrinking on), each run in
a directory of its own, so no Hypothesis example database carries a failure over.
"""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import pytest

from conformance import catalog
from conformance.reference import ReferenceServer

from .runner import SuiteRun, run_suite, selecting
from .test_catalog import LEGAL_OPERATIONS
from .variants import BROKEN, Variant

# The reference under seeds of its own (the 21 legal variants of the catalog add a seed
# each, every plain run in tests/conformance one more).
SEEDS = ("1", "22", "333")


def test_the_reference_passes_under_many_seeds(tmp_path: Path) -> None:
    with ReferenceServer() as server, concurrent.futures.ThreadPoolExecutor(2) as pool:
        runs = pool.map(
            lambda seed: run_suite(
                tmp_path / seed,
                server.url,
                f"--hypothesis-seed={seed}",
                "--operations",
                LEGAL_OPERATIONS,  # the whole tier runs in tests/conformance/test_modes.py
            ),
            SEEDS,
        )
        for seed, run in zip(SEEDS, runs, strict=True):
            assert run.exit_status == 0, f"seed {seed}:\n{run.tail()}"
            assert run.statuses == dict.fromkeys(catalog.invariants(), "passed"), seed
            assert run.report["seed"] == seed


def _variant(name: str) -> Variant:
    return next(v for v in BROKEN if v.name == name)


# Shrinking is bounded in seconds (--shrink-budget), so only a shrink that ran to its end
# is fixed by the seed; one cut short under load stops wherever the clock says. These
# runs give it room, and check that it was not cut short.
ROOM = "--shrink-budget=120"


def _run(variant: Variant, workdir: Path, seed: str) -> SuiteRun:
    with variant.build() as server:
        return run_suite(
            workdir, server.url, *selecting(variant.caught_by), f"--hypothesis-seed={seed}", ROOM
        )


@pytest.mark.parametrize(
    ("name", "minimal"),
    [
        # Shrinking drops every optional member and settles on the smallest input that
        # still succeeds (US, SIMULATOR: the only number type requestable in the US
        # without a registration, found first among the model's enum values).
        ("echo-two-way-on", {"IsoCountryCode", "MessageType", "NumberCapabilities", "NumberType"}),
        # Any invalid input shows the bug; the shrunk one breaks a single member.
        ("err-validation-crashes", None),
    ],
)
def test_a_failure_repeats_with_its_seed_and_shrinks_alike(
    tmp_path: Path, name: str, minimal: set[str] | None
) -> None:
    variant = _variant(name)
    first = _run(variant, tmp_path / "first", "2024")
    again = _run(variant, tmp_path / "again", "2024")
    for run in (first, again):
        assert run.exit_status == 1, run.tail()
        assert run.with_status("failed") == set(variant.caught_by)
    for invariant_id in variant.caught_by:
        for run in (first, again):
            assert not run.entry(invariant_id)["shrinking"]["cut_short"]
        found, repeated = first.first_failure(invariant_id), again.first_failure(invariant_id)
        assert repeated["input"] == found["input"]
        assert repeated["message"] == found["message"]
        assert repeated["fingerprint"] == found["fingerprint"]
        if minimal is not None:
            assert set(found["input"]) == minimal, found["input"]
    other = _run(variant, tmp_path / "other", "7")  # not an accident of one seed
    assert other.with_status("failed") == set(variant.caught_by)
