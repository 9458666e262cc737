"""The suite against every seeded variant: broken ones must fail their named invariants,
legal ones must pass. Each variant's server runs in this process; the suite runs in a
subprocess. The kill rate and the false positives are printed in the terminal summary
(see conftest.py), from the results these tests record: the catalog runs once.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import zlib
from pathlib import Path

import pytest

from conformance import catalog
from conformance.invariants.registry import LEVELS
from conformance.service.operations import catalogue, selected

from .runner import SuiteRun, run_suite, selecting
from .variants import BROKEN, CATALOG, LEGAL, Variant


def test_the_catalog_covers_every_family_and_names_real_invariants() -> None:
    registry = catalog.invariants()
    assert len(BROKEN) >= 30 and len(LEGAL) >= 8
    families = {v.family for v in BROKEN}
    expected = {"schema", "enum", "echo", "formats", "idempotency", "errors", "protocol", "reads"}
    assert expected | {"lifecycle", "operations"} <= families
    named = {i for v in BROKEN for i in v.caught_by} | {i for v in LEGAL for i in v.tolerated}
    assert named <= set(registry), named - set(registry)
    for variant in LEGAL:
        assert variant.gate in LEVELS
        for tolerated in variant.tolerated:  # only what a non-gating level may flag
            assert LEVELS.index(registry[tolerated].level) > LEVELS.index(variant.gate)
            assert variant.why


def test_operation_patterns_select_operations_of_the_model() -> None:
    """Each variant's ``operations`` (and the legal default) selects some operation of
    the model; a broken variant the model-level tier must catch has one (the tier over
    every operation would take a minute a variant)."""
    patterns = {v.name: v.operations for v in CATALOG if v.operations is not None}
    patterns["legal default"] = LEGAL_OPERATIONS
    for name, pattern in patterns.items():
        assert any(selected(op, pattern, None) for op in catalogue()), name
    assert {op for op in catalogue() if selected(op, LEGAL_OPERATIONS, None)} == {
        "RequestPhoneNumber",
        "DescribePhoneNumbers",
        "ReleasePhoneNumber",
        "UpdatePhoneNumber",
    }
    for variant in BROKEN:
        if any(i.startswith(TIER_PREFIX) for i in variant.caught_by):
            assert variant.operations, f"{variant.name}: the tier would run on every operation"


def test_every_invariant_catches_some_broken_variant() -> None:
    caught = {i for v in BROKEN for i in v.caught_by}
    untested = set(catalog.invariants()) - caught
    assert not untested, f"no seeded bug is meant to be caught by {sorted(untested)}"


JOBS = max(1, min(4, int(os.environ.get("SEEDED_JOBS", os.cpu_count() or 1))))
# Each variant runs under a seed of its own, fixed so that CI is repeatable;
# SEEDED_SEED=random lets the suite pick one per run (to measure how robust a kill is),
# any other value is used for every variant.
SEED = os.environ.get("SEEDED_SEED", "")
# The model-level tier of a legal variant runs on RequestPhoneNumber's family only. A
# legal variant varies the wire or that family (what the deep tier judges); the tier
# over all 110 operations would add some 45 s to each of them and judge nothing more of
# the variation, while the reference's other operations are the broken "operations"
# variants' business. Every OPS-* invariant still gets a status (these four are served).
LEGAL_OPERATIONS = (
    "^(RequestPhoneNumber|DescribePhoneNumbers|ReleasePhoneNumber|UpdatePhoneNumber)$"
)
TIER_PREFIX = "OPS-"  # the ids of the model-level tier's invariants


def seed_for(variant: Variant) -> tuple[str, ...]:
    if SEED == "random":
        return ()
    return (f"--hypothesis-seed={SEED or zlib.crc32(variant.name.encode())}",)


def run_variant(variant: Variant, workdir: Path) -> SuiteRun:
    """A broken variant: the suite's tests of the invariants it names (they must fail),
    the model-level tier on the variant's ``operations`` only. A legal one: the whole
    suite at the variant's gate (everything must pass), the tier on the variant's
    ``operations``, else on :data:`LEGAL_OPERATIONS`."""
    if variant.legal:
        args: tuple[str, ...] = ("--conformance-level", variant.gate)
        args += selecting(variant.select) if variant.select else ()
        operations = variant.operations or LEGAL_OPERATIONS
    else:
        args = selecting(variant.caught_by)
        operations = variant.operations
    if operations is not None:
        args += ("--operations", operations)
    with variant.build() as server:
        return run_suite(workdir, server.url, *args, *seed_for(variant), profile=variant.profile)


@pytest.fixture(scope="session")
def catalog_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, SuiteRun]:
    """Every selected variant's run, JOBS at a time (servers in threads here, the suite
    in subprocesses). Under xdist each worker runs its own variants one by one."""
    if hasattr(request.config, "workerinput"):
        return {}
    selected = [
        item.callspec.params["variant"]
        for item in request.session.items
        if getattr(item, "callspec", None) and "variant" in item.callspec.params
    ]
    base = tmp_path_factory.mktemp("catalog")
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        runs = pool.map(lambda v: (v.name, run_variant(v, base / v.name)), selected)
        return dict(runs)


@pytest.mark.parametrize("variant", CATALOG, ids=[v.name for v in CATALOG])
def test_variant(
    variant: Variant,
    catalog_runs: dict[str, SuiteRun],
    tmp_path: Path,
    record_property: pytest.RecordProperty,
) -> None:
    run = catalog_runs.get(variant.name) or run_variant(variant, tmp_path)
    failed = sorted(run.with_status("failed"))
    record_property(
        "seeded",
        json.dumps(
            {
                "name": variant.name,
                "family": variant.family,
                "legal": variant.legal,
                "expected": list(variant.caught_by),
                "failed": failed,
                "exit_status": run.exit_status,
                "seconds": round(run.seconds, 1),
                "seed": run.report.get("seed"),
            }
        ),
    )
    assert run.statuses, f"no report.json:\n{run.tail()}"
    if variant.legal:
        assert set(run.statuses) == set(variant.select or catalog.invariants())
        unexpected = {i: s for i, s in run.statuses.items() if s != "passed"}
        for tolerated in variant.tolerated:
            unexpected.pop(tolerated, None)
        assert not unexpected, f"false positive on a legal variant: {unexpected}\n{run.tail()}"
        assert run.exit_status == 0, run.tail()
    else:
        assert set(run.statuses) == set(variant.caught_by)
        missed = {i: s for i, s in run.statuses.items() if s != "failed"}
        assert not missed, f"survived: {missed}\n{run.tail()}"
        assert run.exit_status == 1, run.tail()
        for invariant_id in variant.caught_by:  # each failure is reproducible from the report
            failure = run.first_failure(invariant_id)
            assert failure["invariant"] == invariant_id and failure["message"]
            # a curl command, after a printf that writes a malformed body's exact bytes
            assert any(
                line.startswith("curl ") for line in failure["reproducer"]["http"].splitlines()
            )
