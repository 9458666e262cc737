"""The coverage matrix on report.html: every operation of the model, by resource family,
with its status, the checks it failed and why it was not implemented or not run."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conformance.report.coverage import Coverage, headline
from conformance.report.document import validate_report
from conformance.report.html import render_html
from conformance.report.run import RunResults
from conformance.service.operations import catalogue

from .test_reports import HOSTILE, Page, call_report, failure, results

CHECKS = ("OPS-OUTPUT", "OPS-ERRORS", "OPS-REQUEST-ID")
NOT_SERVED = f"{HOSTILE} answered UnknownOperationException"


def matrix_run() -> RunResults:
    """A run of three checks of the tier: two operations fail (one of them two checks),
    some conform, some are not implemented (with a hostile note), some not run."""
    run = results()
    names = list(catalogue())
    failing, conforming, unserved = names[:2], names[2:12], names[12:20]
    for name in conforming:
        for check in CHECKS:
            run.coverage.add(name, check, "passed", None)
    run.coverage.add(failing[0], "OPS-OUTPUT", "failed", None)
    run.coverage.add(failing[0], "OPS-ERRORS", "failed", None)
    run.coverage.add(failing[0], "OPS-REQUEST-ID", "passed", None)
    run.coverage.add(failing[1], "OPS-ERRORS", "failed", None)
    for name in unserved:
        run.coverage.add(name, "OPS-OUTPUT", "unimplemented", NOT_SERVED)
    run.coverage.add(names[20], "OPS-OUTPUT", "not_run", "a write, not sent to real AWS")
    for check in ("OPS-OUTPUT", "OPS-ERRORS"):
        run.record(call_report(), check, [failure(check, f"{failing[0]}: wrong", {"A": 1})])
    run.record(call_report(failed=False), "OPS-REQUEST-ID", None)
    run.finish(1)
    return run


@pytest.fixture(scope="module")
def run() -> RunResults:
    return matrix_run()


@pytest.fixture(scope="module")
def report(run: RunResults) -> dict[str, Any]:
    return run.to_dict()


@pytest.fixture(scope="module")
def page(report: dict[str, Any]) -> str:
    return render_html(report)


def operation_rows(page: str) -> dict[str, str]:
    """Each operation's row of the page, as HTML, by the operation's name."""
    rows = re.findall(r'<tr data-operation="([^"]*)"[^>]*>(.*?)</tr>', page, re.S)
    return dict(rows)


def test_the_report_with_its_matrix_follows_the_schema(report: dict[str, Any]) -> None:
    validate_report(report)
    assert set(report["coverage"]["operations"]) == set(catalogue())
    totals = report["coverage"]["totals"]
    assert totals == {
        "operations": len(catalogue()),
        "conforms": 10,
        "fails": 2,
        "unimplemented": 8,
        "not_run": len(catalogue()) - 20,
    }


def test_the_headline_is_said_alike_from_the_matrix_and_from_the_report(
    run: RunResults, report: dict[str, Any]
) -> None:
    said = headline(report["coverage"]["totals"])
    assert said == run.coverage.headline()
    total = len(catalogue())
    assert said == (
        f"12 of {total} operations implemented, 10 conform, 2 fail, {total - 20} not run"
    )
    assert headline({"operations": 3, "conforms": 3}) == (
        "3 of 3 operations implemented, 3 conform, 0 fail"
    )


def test_the_page_has_the_section_with_the_headline_in_it_and_in_the_summary(
    report: dict[str, Any], page: str
) -> None:
    parsed = Page(page)
    said = headline(report["coverage"]["totals"])
    section = parsed.find("section", id="operations")
    assert len(section) == 1
    assert parsed.find("p", **{"class": "headline"}) == [said]
    assert parsed.find("p", id="operations-headline") == [f"Operations: {said}"]
    header = "".join(parsed.find("header"))
    assert said in header
    # after the invariants' results, before the table of every invariant
    assert page.index('id="matrix"') < page.index('id="operations"')
    assert page.index('id="failures"') < page.index('id="operations"')
    assert page.index('id="operations"') < page.index('id="invariants"')


def test_one_row_per_operation_of_the_model_grouped_by_family(page: str) -> None:
    parsed = Page(page)
    shown = [
        a["data-operation"] for t, a, _ in parsed.elements if t == "tr" and a.get("data-operation")
    ]
    assert len(shown) == len(catalogue())
    assert set(shown) == set(catalogue())
    families = {op.family for op in catalogue().values()}
    groups = [
        a["data-family"] for t, a, _ in parsed.elements if t == "tbody" and a.get("data-family")
    ]
    assert sorted(groups) == sorted(families)
    for family in families:
        (group,) = parsed.find("tbody", **{"data-family": family})
        members = {name for name, op in catalogue().items() if op.family == family}
        assert family in group
        assert all(name in group for name in members)


def test_each_row_shows_read_only_status_failed_checks_and_note(
    report: dict[str, Any], page: str
) -> None:
    rows = operation_rows(page)
    css = {"conforms": "passed", "fails": "failed", "unimplemented": "unimplemented"}
    css["not_run"] = "skipped"
    for name, entry in report["coverage"]["operations"].items():
        row = rows[name]
        assert f"<code>{name}</code>" in row
        assert f'<td class="status {css[entry["status"]]}">' in row
        assert ("<td>yes</td>" if entry["read_only"] else "<td>no</td>") in row
        for check in entry.get("failed", []):
            assert f'<a href="#inv-{check}"><code>{check}</code></a>' in row
        if "failed" not in entry:
            assert '<td class="failed-checks"></td>' in row
    failing = [n for n, e in report["coverage"]["operations"].items() if e["status"] == "fails"]
    assert len(failing) == 2
    assert "OPS-OUTPUT" in rows[failing[0]] and "OPS-ERRORS" in rows[failing[0]]
    assert "OPS-REQUEST-ID" not in rows[failing[0]]
    # the families with a failing operation first, and in each the failing one first
    families = re.findall(r'<tbody data-family="([^"]*)"', page)
    failing_families = {report["coverage"]["operations"][n]["family"] for n in failing}
    assert set(families[: len(failing_families)]) == failing_families
    for family in failing_families:
        group = page.split(f'<tbody data-family="{family}">', 1)[1].split("</tbody>", 1)[0]
        assert next(iter(operation_rows(group))) in failing
    # every link into the page has its target
    parsed = Page(page)
    targets = {a.get("id") for _, a, _ in parsed.elements}
    hrefs = [a.get("href") or "" for _, a, _ in parsed.elements]
    links = {href[1:] for href in hrefs if href.startswith("#")}
    assert {"inv-OPS-OUTPUT", "inv-OPS-ERRORS", "operations"} <= links <= targets


def test_a_hostile_note_is_text_never_markup(report: dict[str, Any], page: str) -> None:
    assert "<script" not in page.lower() and "<img" not in page.lower()
    parsed = Page(page)
    unserved = [
        n for n, e in report["coverage"]["operations"].items() if e["status"] == "unimplemented"
    ]
    notes = parsed.find("td", **{"class": "note"})
    assert notes.count(NOT_SERVED) == len(unserved) == 8


def test_hostile_names_of_a_published_report_are_escaped_too(report: dict[str, Any]) -> None:
    published = {**report, "coverage": {**report["coverage"]}}
    published["coverage"]["operations"] = {
        **report["coverage"]["operations"],
        HOSTILE: {"family": HOSTILE, "read_only": False, "status": "fails", "failed": [HOSTILE]},
    }
    page = render_html(published)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    parsed = Page(page)
    assert not [name for _, attrs, _ in parsed.elements for name in attrs if name.startswith("on")]
    assert parsed.find("tbody", **{"data-family": HOSTILE})
    (row,) = [
        text for t, a, text in parsed.elements if t == "tr" and a.get("data-operation") == HOSTILE
    ]
    assert "".join(row).count(HOSTILE) == 2  # the name and the check, not linked


def test_a_report_without_coverage_has_no_such_section() -> None:
    run = results()
    run.record(call_report(failed=False), "OPS-OUTPUT", None)
    run.finish(0)
    report = run.to_dict()
    assert "coverage" not in report and not Coverage()
    validate_report(report)
    page = Page(render_html(report))
    assert not page.find("section", id="operations")
    assert not page.find("p", id="operations-headline")
    assert "data-operation" not in render_html(report)
