"""Prints the seeded catalog's scoreboard (kill rate, false positives) after the run.

Results come from the ``seeded`` property each variant test records, which travels with
its test report, so the table is also complete under pytest-xdist. A plugin that
tests/conftest.py loads, not tests/seeded/conftest.py: the xdist controller collects
nothing, so it never loads a conftest below tests/, and it is the controller that
receives every worker's reports and writes the terminal summary.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

_RESULTS: dict[str, dict[str, Any]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == "seeded":
            entry = json.loads(str(value))
            entry["outcome"] = report.outcome
            _RESULTS[entry["name"]] = entry


def scoreboard(results: list[dict[str, Any]]) -> list[str]:
    broken = [r for r in results if not r["legal"]]
    legal = [r for r in results if r["legal"]]
    killed = [r for r in broken if r["outcome"] == "passed"]
    false_positives = [r for r in legal if r["outcome"] != "passed"]
    lines = [f"{'variant':<38} {'family':<12} {'verdict':<9} {'s':>5}  failed invariants"]
    for r in sorted(results, key=lambda r: (r["legal"], r["family"], r["name"])):
        if r["legal"]:
            verdict = "accepted" if r["outcome"] == "passed" else "FALSE+"
        else:
            verdict = "killed" if r["outcome"] == "passed" else "SURVIVED"
        failed = ", ".join(r["failed"]) or "-"
        lines.append(f"{r['name']:<38} {r['family']:<12} {verdict:<9} {r['seconds']:>5}  {failed}")
    rate = 100.0 * len(killed) / len(broken) if broken else 0.0
    total = sum(r["seconds"] for r in results)
    lines.append(
        f"kill rate: {len(killed)}/{len(broken)} broken variants killed ({rate:.0f}%); "
        f"false positives: {len(false_positives)}/{len(legal)} legal variants; "
        f"suite time {total:.0f} s"
    )
    return lines


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _RESULTS:
        return
    terminalreporter.section("seeded catalog")
    for line in scoreboard(list(_RESULTS.values())):
        terminalreporter.write_line(line)
