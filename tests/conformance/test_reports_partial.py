"""A partial run says it is partial: ``-k`` leaves registered invariants out, and the
verdict, report.json, report.html and the badge all say which and how many ran."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from conformance import catalog
from conformance.command import suite_args
from conformance.report.badge import render_badge
from conformance.report.document import validate_report, verdict
from conformance.report.html import render_html

from .test_readme_samples import TESTS
from .test_reports import Page, call_report, results

SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def badge_texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(SVG_TEXT)]


def test_the_verdict_names_how_many_of_the_registered_invariants_ran() -> None:
    assert verdict({"passed": 4, "failed": 0, "skipped": 0}) == "CONFORMS"
    assert (
        verdict({"passed": 4, "failed": 0, "skipped": 0}, not_run=21)
        == "CONFORMS (partial: 4 of 25 invariants run)"
    )
    assert (
        verdict({"passed": 2, "failed": 1, "skipped": 1}, not_run=21)
        == "DOES NOT CONFORM (1 invariant failed; partial: 4 of 25 invariants run)"
    )
    assert verdict({"passed": 0, "failed": 0, "skipped": 1}, not_run=24).startswith(
        "NOTHING CHECKED (1 invariant skipped; partial: 1 of 25"
    )


def one_invariant_report() -> dict[str, Any]:
    run = results()
    chosen = sorted(catalog.invariants())[0]
    run.expect(chosen)
    run.record(call_report(failed=False), chosen, None)
    run.finish(0)
    return run.to_dict()


def test_results_of_a_selection_list_every_registered_invariant_not_run() -> None:
    report = one_invariant_report()
    validate_report(report)
    chosen = report["invariants"][0]["id"]
    assert report["partial"] is True
    assert report["not_run"] == sorted(set(catalog.invariants()) - {chosen})
    assert "1/1 passed (partial)" in badge_texts(render_badge(report))
    page = Page(render_html(report))
    assert page.find("p", id="verdict") == [
        f"CONFORMS (partial: 1 of {len(catalog.invariants())} invariants run)"
    ]
    assert page.find("section", id="not-run")
    listed = [row for row in page.elements if row[0] == "tr" and "data-not-run" in row[1]]
    assert [a["data-not-run"] for _, a, _ in listed] == report["not_run"]


def test_a_complete_run_is_not_partial() -> None:
    run = results()
    for invariant_id in catalog.invariants():
        run.record(call_report(failed=False), invariant_id, None)
    run.finish(0)
    report = run.to_dict()
    assert (report["partial"], report["not_run"]) == (False, [])
    n = len(catalog.invariants())
    assert f"{n}/{n} passed" in badge_texts(render_badge(report))
    page = Page(render_html(report))
    assert page.find("p", id="verdict") == ["CONFORMS"] and not page.find("section", id="not-run")


def test_the_schema_requires_not_run_to_be_invariant_ids() -> None:
    import jsonschema

    report = one_invariant_report()
    report["not_run"] = ["not an id"]
    with pytest.raises(jsonschema.ValidationError):
        validate_report(report)


def test_a_run_selected_with_k_is_partial_everywhere(pytester: pytest.Pytester) -> None:
    out = pytester.path / "report"
    result = pytester.runpytest_subprocess(
        *suite_args("-k", "same_token_same_parameters", profile="quick", report=out)
    )
    assert result.ret == 0, result.stdout.str()[-3000:]
    result.stdout.fnmatch_lines(
        [f"*verdict: CONFORMS (partial: 1 of {len(catalog.invariants())} invariants run)"]
    )
    report = json.loads((out / "report.json").read_text())
    validate_report(report)
    assert [e["id"] for e in report["invariants"]] == ["IDEMP-SAME"]
    assert report["partial"] is True
    assert report["not_run"] == sorted(set(catalog.invariants()) - {"IDEMP-SAME"})
    assert "1/1 passed (partial)" in badge_texts((out / "badge.svg").read_text())
    page = Page((out / "report.html").read_text())
    assert f"partial: 1 of {len(catalog.invariants())}" in page.find("p", id="verdict")[0]
    assert (
        len([e for e in page.elements if "data-not-run" in e[1]]) == len(catalog.invariants()) - 1
    )


def test_collect_only_gives_no_verdict_and_writes_no_report(pytester: pytest.Pytester) -> None:
    """Listing the suite's tests runs none: nothing to judge, nothing to report."""
    out = pytester.path / "report"
    result = pytester.runpytest_subprocess(*suite_args("--collect-only", "-q", report=out))
    assert result.ret == 0, result.stdout.str()[-3000:]
    result.stdout.fnmatch_lines([f"{TESTS} tests collected*"])
    assert "verdict" not in result.stdout.str() and not out.exists()
