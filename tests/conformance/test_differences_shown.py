"""Parity and replay differences are visible where the run is read: the terminal lists
each distinct one (operation, kind, detail; at most ten lines, then how many more) and
report.html has them in a table, whether or not a report was asked for."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conformance.command import suite_args
from conformance.report.document import validate_report
from conformance.report.html import render_html
from conformance.report.terminal import MAX_DIFFERENCES_SHOWN, summary_lines

from .test_reports import Page, call_report, results


def difference(n: int) -> dict[str, Any]:
    return {
        "operation": f"Operation{n:02d}",
        "kind": "member",
        "detail": f"Member{n}: 1 vs 2",
        "input": {"n": n},
        "exchanges": {"target": None, "other": None},
    }


def parity_run(count: int) -> Any:
    run = results()
    run.compared_to = "moto"
    run.record(call_report(failed=False), "RPN-SIMULATOR", None)
    run.add_differences([difference(n) for n in range(count)])
    run.finish(0)
    return run


def test_the_summary_lists_each_distinct_difference_up_to_ten() -> None:
    assert MAX_DIFFERENCES_SHOWN == 10
    lines = summary_lines(parity_run(13))
    start = lines.index("  parity with moto: 13 differences (each listed once):")
    listed = lines[start + 1 : start + 12]
    assert listed[:10] == [f"    Operation{n:02d}: member: Member{n}: 1 vs 2" for n in range(10)]
    assert listed[10] == "    ... and 3 more"  # no report written: none is named
    assert not any("report.json" in line for line in lines)


def test_a_few_differences_are_all_listed_and_none_is_no_list() -> None:
    lines = summary_lines(parity_run(2))
    assert "    Operation01: member: Member1: 1 vs 2" in lines
    assert not any("more" in line for line in lines)
    lines = summary_lines(parity_run(0))
    assert "  parity with moto: 0 differences" in lines
    assert not any(line.startswith("    Operation") for line in lines)


def test_the_page_has_a_table_of_the_differences() -> None:
    report = parity_run(13).to_dict()
    validate_report(report)
    page = Page(render_html(report))
    rows = [
        text for tag, attrs, text in page.elements if tag == "tr" and "data-difference" in attrs
    ]
    assert len(rows) == 13
    assert rows[4] == ["5", "Operation04", "member", "Member4: 1 vs 2"]  # the row's cells


def test_parity_with_moto_shows_its_differences_in_the_terminal_and_the_page(
    pytester: pytest.Pytester,
) -> None:
    out = pytester.path / "report"
    result = pytester.runpytest_subprocess(
        *suite_args(
            "--compare-to", "moto", "-k", "simulator_number_succeeds", profile="quick", report=out
        )
    )
    assert result.ret == 0, result.stdout.str()[-3000:]
    report = json.loads((out / "report.json").read_text())
    validate_report(report)
    differences = report["differences"]
    assert differences, "moto answers some of this invariant's requests differently"
    # moto does not implement the service: its answers say so, and the terminal groups
    # those differences into one line naming the operations, not one line each
    unserved = sorted({d["operation"] for d in differences if d.get("unserved") == "other"})
    assert "RequestPhoneNumber" in unserved
    rest = sorted(
        {(d["operation"], d["kind"], d["detail"]) for d in differences if "unserved" not in d}
    )
    lines = result.stdout.lines
    start = lines.index(f"  parity with moto: {len(differences)} differences (each listed once):")
    grouped = f"    moto does not implement {len(unserved)} operation"
    assert lines[start + 1].startswith(grouped), lines[start + 1]
    assert lines[start + 1].endswith(": " + ", ".join(unserved))
    shown = rest[:MAX_DIFFERENCES_SHOWN]
    assert lines[start + 2 : start + 2 + len(shown)] == [
        f"    {op}: {kind}: {detail}" for op, kind, detail in shown
    ]
    page = Page((out / "report.html").read_text())
    rows = [a for t, a, _ in page.elements if t == "tr" and "data-difference" in a]
    assert len(rows) == len(report["differences"])


def test_what_the_other_does_not_implement_is_one_line_and_the_deep_tier_comes_first() -> None:
    run = results()
    run.compared_to = "moto"
    run.record(call_report(failed=False), "RPN-SIMULATOR", None)
    entries = [
        {**difference(0), "operation": "CreatePool"},
        {**difference(1), "operation": "UpdatePhoneNumber"},
        *(
            {**difference(n), "operation": op, "unserved": "other"}
            for n, op in enumerate(("SendTextMessage", "DeletePool", "SendTextMessage"), 2)
        ),
    ]
    run.add_differences(entries)
    run.finish(0)
    lines = summary_lines(run)
    start = lines.index("  parity with moto: 5 differences (each listed once):")
    assert lines[start + 1 : start + 4] == [
        "    moto does not implement 2 operations: DeletePool, SendTextMessage",
        "    UpdatePhoneNumber: member: Member1: 1 vs 2",  # RequestPhoneNumber's family first
        "    CreatePool: member: Member0: 1 vs 2",
    ]
