"""In-process mocks (``--client-factory`` whose client sends nothing on a wire) get a
certificate of their own: every invariant judged through the client, the wire's own
invariants not applicable, nothing judged on the endpoint the run started in its place.

Run as users run them: from a directory outside the clone, with a report, under xdist.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conformance import catalog
from conformance.report.badge import render_badge
from conformance.report.document import verdict

from .test_suite_end_to_end import run_suite, statuses

ROOT = Path(__file__).resolve().parents[2]
MOCKMESH = "conformance.examples.in_process:mockmesh_client"
MOTO = "conformance.examples.in_process:moto_client"
# The reference implements none of these writes; an in-process mock that answers them is
# "implemented" in its own matrix, which proves the matrix is the mock's.
OPERATIONS = "^(RequestPhoneNumber|DescribePhoneNumbers|SendTextMessage|CreateRcsAgent)$"


def _run(pytester: pytest.Pytester, factory: str, *args: str) -> tuple[Any, dict[str, Any]]:
    pytester._monkeypatch.delenv("PYTHONPATH", raising=False)
    assert not pytester.path.is_relative_to(ROOT)
    return run_suite(pytester, "--client-factory", factory, *args)


def _wire_invariants() -> set[str]:
    return {i for i, inv in catalog.invariants().items() if inv.wire}


def test_mockmesh_is_judged_on_the_mock_itself(pytester: pytest.Pytester) -> None:
    result, report = _run(pytester, MOCKMESH, "--operations", OPERATIONS, "-n", "2")
    assert result.ret == 1, result.stdout.str()[-3000:]
    assert "Traceback" not in result.stdout.str()
    assert report["target"] == {
        "endpoint": MOCKMESH,
        "kind": "in-process",
        "client_factory": MOCKMESH,
    }
    found = statuses(report)
    # what the mock really breaks: it accepts anything, answers one generated id for every
    # token, makes ids and ARNs up, and keeps nothing it "created"
    for broken in ("ERR-INVALID-REJECTED", "IDEMP-DISTINCT", "RPN-FORMATS", "LIFECYCLE"):
        assert found[broken] == "failed", (broken, found[broken])
    wire = _wire_invariants()
    assert wire and {found[i] for i in wire} == {"not_applicable"}
    assert report["summary"]["not_applicable"] == len(wire)
    entries = report["invariants"]
    assert all(e["judged"]["endpoint"] == 0 for e in entries)  # nothing sent elsewhere
    assert all(e["judged"]["client"] > 0 for e in entries if e["status"] == "failed")
    rows = report["coverage"]["operations"]
    assert rows["SendTextMessage"]["status"] == "fails"  # the mock's matrix, not the reference's
    assert rows["CreateRcsAgent"]["status"] == "fails"
    badge = (pytester.path / "report" / "badge.svg").read_text()
    judged = len(entries) - len(wire)
    assert f"{found_passed(found)}/{judged} passed" in badge
    page = (pytester.path / "report" / "report.html").read_text()
    assert "not applicable" in page and MOCKMESH in page
    out = result.stdout.str()
    assert f"conformance: in-process client {MOCKMESH}" in out
    assert "NOT APPLICABLE (no wire): " in out
    reproducer = next(e for e in entries if e["id"] == "IDEMP-DISTINCT")["failures"][0]
    assert f"load_factory({MOCKMESH!r})" in reproducer["reproducer"]["boto3"]
    assert not re.search(r"http://127\.0\.0\.1:\d+", reproducer["reproducer"]["http"])


def found_passed(found: dict[str, str]) -> int:
    return sum(1 for status in found.values() if status == "passed")


def test_moto_in_process_is_not_implemented(pytester: pytest.Pytester) -> None:
    result, report = _run(pytester, MOTO)
    assert result.ret == 1, result.stdout.str()[-3000:]
    assert "Traceback" not in result.stdout.str()
    assert report["target"]["kind"] == "in-process"
    wire = _wire_invariants()
    expected = {
        i: ("not_applicable" if i in wire else "unimplemented") for i in catalog.invariants()
    }
    assert statuses(report) == expected
    totals = report["coverage"]["totals"]
    assert totals["unimplemented"] == totals["operations"] and totals["conforms"] == 0
    result.stdout.fnmatch_lines(["*NOT IMPLEMENTED*", "*verdict: DOES NOT CONFORM*"])


def test_not_applicable_is_neither_passed_nor_in_the_badge_share() -> None:
    summary = {"passed": 3, "failed": 0, "skipped": 0, "not_applicable": 2}
    assert verdict(summary) == "CONFORMS (2 invariants not applicable (no wire))"
    invariants = [
        *({"id": f"A{n}", "status": "passed"} for n in range(3)),
        *({"id": f"B{n}", "status": "not_applicable"} for n in range(2)),
    ]
    assert "3/3 passed" in render_badge({"invariants": invariants})


def test_the_badge_names_what_it_certifies() -> None:
    invariants = [{"id": "A", "status": "passed"}]
    in_process = {"endpoint": MOCKMESH, "kind": "in-process", "client_factory": MOCKMESH}
    wrapper = {"endpoint": "http://127.0.0.1:9", "kind": "wrapper", "client_factory": MOTO}
    assert f"<title>conformance: 1/1 passed (in-process client {MOCKMESH})</title>" in (
        render_badge({"invariants": invariants, "target": in_process})
    )
    assert f"(http://127.0.0.1:9 through the client {MOTO})</title>" in render_badge(
        {"invariants": invariants, "target": wrapper}
    )
