"""The model-level tier: every operation of the model, its coverage matrix, its selection
and its safety on real AWS, run as users run it."""

from __future__ import annotations

import re
from typing import Any

import pytest

import strategies
from conformance.reference import ReferenceServer, Reply
from conformance.report.coverage import Coverage, OperationResult
from conformance.report.document import verdict
from conformance.service.operations import OTHER_FAMILY, READ_VERBS, catalogue, family, selected

from .test_suite_end_to_end import run_suite

MODEL = strategies.service_model()


def test_the_catalogue_is_every_operation_of_the_model_with_a_family_from_the_model() -> None:
    ops = catalogue()
    assert set(ops) == set(MODEL.operation_names)
    kinds = set(strategies.enum_values(MODEL.shape_for("ResourceType")))
    assert {op.family for op in ops.values()} <= kinds | {OTHER_FAMILY}
    for name, op in ops.items():
        assert op.read_only == name.startswith(READ_VERBS), name
    # most operations belong to a resource family; "other" is the exception
    assert sum(op.family == OTHER_FAMILY for op in ops.values()) < len(ops) / 5


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DescribeOptOutLists", "opt-out-list"),
        ("DeleteOptedOutNumber", "opted-out-number"),  # not opt-out-list: the longest match
        ("CreateRegistrationAttachment", "registration-attachment"),
        ("DescribeRegistrationVersions", "registration"),
        ("SetDefaultSenderId", "sender-id"),  # named inside the noun
        ("TagResource", OTHER_FAMILY),
    ],
)
def test_an_operation_family_is_the_resource_type_its_noun_names(name: str, expected: str) -> None:
    assert family(name) == expected


def test_selection_is_a_search_for_each_pattern() -> None:
    assert selected("DescribePools", "^Describe", None)
    assert not selected("CreatePool", "^Describe", None)
    assert not selected("DescribePools", "^Describe", "Pool")
    assert selected("CreatePool", None, "^Describe")


def test_an_operation_conforms_only_when_a_check_passed_on_it() -> None:
    assert OperationResult({"A": "passed", "B": "skipped"}).status == "conforms"
    assert OperationResult({"A": "passed", "B": "failed"}).status == "fails"
    assert OperationResult({"A": "unimplemented"}).status == "unimplemented"
    assert OperationResult({"A": "skipped"}).status == "not_run"  # nothing was judged
    assert OperationResult({"A": "not_run"}).status == "not_run"


def test_the_matrix_counts_every_operation_and_a_partial_run_says_so() -> None:
    coverage = Coverage()
    names = list(catalogue())
    coverage.add(names[0], "OPS-OUTPUT", "passed", None)
    coverage.add(names[1], "OPS-OUTPUT", "failed", None)
    coverage.add(names[2], "OPS-OUTPUT", "unimplemented", "HTTP 400 UnknownOperationException")
    totals = coverage.totals()
    assert totals["operations"] == len(names)
    assert (totals["conforms"], totals["fails"], totals["unimplemented"]) == (1, 1, 1)
    assert totals["not_run"] == len(names) - 3
    assert coverage.rows()[names[1]]["failed"] == ["OPS-OUTPUT"]
    said = verdict({"passed": 1, "failed": 0, "skipped": 0}, 0, coverage.to_dict())
    assert said == f"CONFORMS (partial: 3 of {len(names)} operations run)"
    said = verdict({"passed": 1, "failed": 1, "skipped": 0}, 2, coverage.to_dict())
    assert said == (
        f"DOES NOT CONFORM (1 invariant failed; partial: 2 of 4 invariants run; "
        f"3 of {len(names)} operations run)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--operations", "Describe("), "is not a regular expression"),
        (("--operations", "^NoSuchOperation$"), "select none of the"),
        (("--skip-operations", "."), "select none of the"),
    ],
)
def test_a_bad_selection_is_a_usage_error(
    pytester: pytest.Pytester, args: tuple[str, ...], message: str
) -> None:
    result, report = run_suite(pytester, *args)
    assert result.ret == 4
    assert message in result.stderr.str()
    assert not report


def test_the_reference_conforms_on_what_it_implements_and_the_rest_is_not_implemented(
    pytester: pytest.Pytester,
) -> None:
    chosen = (
        "DescribePools",
        "DescribeAccountAttributes",
        "ListTagsForResource",
        "SendTextMessage",
    )
    pattern = "^(" + "|".join(chosen) + ")$"
    result, report = run_suite(pytester, "-k", "test_ops_", "--operations", pattern)
    out = result.stdout.str()
    assert result.ret == 0, out[-3000:]
    rows = report["coverage"]["operations"]
    assert {name for name, row in rows.items() if row["status"] != "not_run"} == set(chosen)
    assert [rows[n]["status"] for n in chosen] == ["conforms"] * 3 + ["unimplemented"]
    assert "UnknownOperationException" in rows["SendTextMessage"]["note"]
    total = len(catalogue())
    assert report["coverage"]["totals"] == {
        "operations": total,
        "conforms": 3,
        "fails": 0,
        "unimplemented": 1,
        "not_run": total - 4,
    }
    assert report["partial"] is True
    assert f"3 of {total} operations implemented, 3 conform, 0 fail" in out
    assert re.search(rf"verdict: CONFORMS \(partial: \d+ of \d+ invariants run; 4 of {total}", out)
    ops_checks = {e["id"]: e["status"] for e in report["invariants"] if e["id"].startswith("OPS-")}
    assert ops_checks and set(ops_checks.values()) == {"passed"}, ops_checks


def test_on_real_aws_only_reads_are_sent_and_the_rest_is_not_run(pytester: pytest.Pytester) -> None:
    reached: set[str] = set()

    def spy(reply: Reply) -> Reply:
        reached.add(reply.operation)
        return reply

    chosen = ("DescribePools", "CreatePool", "SendTextMessage", "PutKeyword")
    pattern = "^(" + "|".join(chosen) + ")$"
    with ReferenceServer(hooks=[spy]) as server:
        result, report = run_suite(
            pytester,
            "--endpoint",
            server.url,
            "--conformance-assume-aws",
            "--allow-real-aws",
            "-k",
            "test_ops_",
            "--operations",
            pattern,
        )
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert reached == {"DescribePools"}, "an operation that writes or sends reached real AWS"
    rows: dict[str, Any] = report["coverage"]["operations"]
    assert rows["DescribePools"]["status"] == "conforms"
    for name in chosen[1:]:
        assert rows[name]["status"] == "not_run"
        assert "sent to real AWS" in rows[name]["note"]
