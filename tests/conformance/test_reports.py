"""The report files: report.json and its schema, report.html, badge.svg, the summary.

Unit tests build results from real ``InvariantFailure`` objects (so the report holds
what a run would write); the runs at the end are real ``pytest --pyargs conformance``
subprocesses, against the reference and against a hostile endpoint.
"""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest

from conformance import catalog
from conformance.command import suite_args
from conformance.endpoint.client import DUMMY_SECRET, Outcome
from conformance.endpoint.exchange import Exchange
from conformance.endpoint.json_forms import reportable
from conformance.endpoint.targets import Target
from conformance.invariants import evidence
from conformance.invariants.registry import LEVELS, InvariantFailure
from conformance.modes.parity import DifferenceLog, compare
from conformance.reference import RawRequest, RawResponse, ReferenceServer
from conformance.report.badge import colour_for, render_badge
from conformance.report.document import load_schema, minimality, validate_report
from conformance.report.files import REPORT_FILES, write_report_files
from conformance.report.html import render_html
from conformance.report.run import RunResults
from conformance.report.terminal import summary_lines

HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
SIGNATURE = "0123456789abcdef" * 4


def exchange(body: bytes = b'{"ok": true}', status: int = 400) -> Exchange:
    return Exchange.record(
        operation="RequestPhoneNumber",
        url="http://127.0.0.1:4566/",
        request_headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "PinpointSMSVoiceV2.RequestPhoneNumber",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE123/20260101/us-east-1/"
            f"sms-voice/aws4_request, SignedHeaders=host, Signature={SIGNATURE}",
        },
        request_body=b'{"IsoCountryCode": "US"}',
        status=status,
        response_headers={"Content-Type": "text/html", "X-Hostile": HOSTILE},
        response_body=body,
    )


def failure(invariant_id: str, message: str, params: Any, body: bytes = b"{}") -> dict[str, Any]:
    return InvariantFailure(invariant_id, message, params, exchange(body)).to_dict()


def call_report(failed: bool = True, skipped: bool = False, note: str = "") -> Any:
    return SimpleNamespace(
        when="call",
        failed=failed,
        skipped=skipped,
        longreprtext=note,
        longrepr=("suite.py", 1, note) if skipped else note,
    )


def results(target: Target | None = None) -> RunResults:
    """A run's results, its registry loaded as the plugin loads it for a run."""
    catalog.invariants()
    return RunResults(
        target=target or Target("http://127.0.0.1:4566", "url", "http://127.0.0.1:4566"),
        seed="1234",
        profile="quick",
        gate_level="strict",
        settle_timeout=10.0,
    )


def levels() -> dict[str, str]:
    return {i.id: i.level for i in catalog.invariants().values()}


def first_at(level: str) -> list[str]:
    return sorted(i for i, lv in levels().items() if lv == level)


# --- deduplication ------------------------------------------------------------------


def test_the_same_failure_on_many_inputs_is_one_failure_with_its_minimal_input_kept() -> None:
    run = results()
    big = {"IsoCountryCode": "US", "MessageType": "TRANSACTIONAL", "Tags": [{"Key": "a"}]}
    small = {"IsoCountryCode": "US"}
    invariant_id = first_at("must")[0]
    for params in (big, small, big):
        run.record(call_report(), invariant_id, [failure(invariant_id, "same message", params)])
    entry = next(e for e in run.to_dict()["invariants"] if e["id"] == invariant_id)
    assert len(entry["failures"]) == 1
    assert entry["failures"][0]["count"] == 3
    assert entry["failures"][0]["input"] == small


def test_distinct_failures_are_listed_the_most_minimal_first() -> None:
    run = results()
    invariant_id = first_at("must")[0]
    inputs = [{"IsoCountryCode": "US", "NumberType": "LONG_CODE"}, None, {"A": 1}]
    for n, params in enumerate(inputs):
        for _ in range(3 - n):  # the largest input is also the most frequent
            run.record(call_report(), invariant_id, [failure(invariant_id, f"kind {n}", params)])
    listed = next(e for e in run.to_dict()["invariants"] if e["id"] == invariant_id)["failures"]
    assert [f["input"] for f in listed] == [None, {"A": 1}, inputs[0]]
    assert [f["count"] for f in listed] == [2, 1, 3]


def test_minimality_is_shortlex_on_canonical_json() -> None:
    assert minimality({"input": None}) < minimality({"input": {}})
    assert minimality({"input": {"b": 1, "a": 2}}) == minimality({"input": {"a": 2, "b": 1}})
    assert minimality({"input": {"a": "x"}}) < minimality({"input": {"a": "xx"}})
    assert minimality({"input": {"a": "b"}}) < minimality({"input": {"a": "c"}})


# --- the terminal summary -------------------------------------------------------------


def test_summary_lists_the_worst_failures_first_and_the_files_written(tmp_path: Path) -> None:
    run = results()
    must_a, must_b = first_at("must")[:2]
    should = first_at("should")[0]
    passed = first_at("compat")[0]
    for invariant_id, times in ((should, 5), (must_a, 1), (must_b, 3)):
        for n in range(times):
            run.record(call_report(), invariant_id, [failure(invariant_id, "m", {"n": n})])
    run.record(call_report(failed=False), passed, None)
    run.finish(1)
    run.path = run.write(tmp_path / "out")
    lines = summary_lines(run)
    failed_lines = [line for line in lines if "FAILED" in line]
    assert [line.split()[1] for line in failed_lines] == [must_b, must_a, should]
    text = "\n".join(lines)
    assert (
        "DOES NOT CONFORM (3 invariants failed; "
        f"partial: 4 of {len(catalog.invariants())} invariants run)" in text
    )
    for name in REPORT_FILES:
        assert str(tmp_path / "out" / name) in text
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert "report: " + str(tmp_path / "out" / "report.json") in text


# --- report.json and its schema -----------------------------------------------------


def full_report() -> dict[str, Any]:
    """A report with every kind of entry: passed, failed, skipped, differences."""
    run = results()
    ids = sorted(levels())
    run.record(call_report(), ids[0], [failure(ids[0], HOSTILE, {HOSTILE: HOSTILE}, b"x")])
    run.record(call_report(failed=False, skipped=True, note="never saw a success"), ids[1], None)
    run.record(call_report(failed=False), ids[2], None)
    run.add_stats({"requests": 7, "examples": 5, "throttled_retries": 1}, ids[2])
    run.differences.append(
        {
            "operation": "RequestPhoneNumber",
            "kind": "status",
            "detail": f"400 here, 200 there {HOSTILE}",
            "input": {"IsoCountryCode": "US"},
            "exchanges": {
                "target": exchange(HOSTILE.encode()).to_dict(),
                "other": exchange(status=200).to_dict(),
            },
        }
    )
    run.finish(1)
    return run.to_dict()


def test_a_full_report_follows_the_shipped_schema() -> None:
    report = full_report()
    validate_report(report)
    assert report["stats"] == {"requests": 7, "examples": 5, "throttled_retries": 1}
    assert [e["examples"] for e in report["invariants"]] == [0, 0, 5]
    assert report["differences"][0]["kind"] == "status"
    jsonschema.Draft202012Validator.check_schema(load_schema())


def test_differences_appear_only_when_there_are_some() -> None:
    run = results()
    run.record(call_report(failed=False), sorted(levels())[0], None)
    run.finish(0)
    assert "differences" not in run.to_dict()
    validate_report(run.to_dict())


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda r: r["stats"].pop("examples"),
        lambda r: r["invariants"][0].update(status="ok"),
        lambda r: r["invariants"][0].pop("failures"),  # failed without failures
        lambda r: r["invariants"][1].update(failures=[]),  # skipped with failures
        lambda r: r["invariants"][0]["failures"][0].update(count=0),
        lambda r: r["invariants"][0]["failures"][0]["exchange"]["response"].pop("status"),
        lambda r: r["invariants"][0].update(level="maybe"),
        lambda r: r["differences"][0].pop("exchanges"),
        lambda r: r.pop("seed"),
        lambda r: r.update(started="yesterday"),
    ],
)
def test_the_schema_rejects_broken_reports(corrupt: Any) -> None:
    report = full_report()
    corrupt(report)
    with pytest.raises(jsonschema.ValidationError):
        validate_report(report)


@pytest.mark.filterwarnings("ignore::UserWarning:setuptools.config.pyprojecttoml")
def test_the_schema_is_shipped_as_package_data() -> None:
    import fnmatch

    from setuptools.config.pyprojecttoml import read_configuration

    import conformance.invariants.evidence
    import conformance.report.document

    config = read_configuration(Path(__file__).parents[2] / "pyproject.toml")
    data = config["tool"]["setuptools"]["package-data"]
    for package, module, name in (
        ("conformance.report", conformance.report.document, "report.schema.json"),
        ("conformance.invariants", conformance.invariants.evidence, "evidence.json"),
    ):
        shipped = Path(module.__file__ or "").with_name(name)
        assert shipped.is_file()
        assert any(fnmatch.fnmatch(name, pattern) for pattern in data[package]), package


def test_every_invariant_carries_its_evidence_and_the_run_its_settle_timeout() -> None:
    report = full_report()
    validate_report(report)
    assert report["settle_timeout"] == 10.0
    registry = catalog.invariants()
    for entry in report["invariants"]:
        expected = [claim.to_dict() for claim in registry[entry["id"]].evidence]
        assert entry["evidence"] == expected
        assert expected, f"{entry['id']} names no evidence"
        for claim in entry["evidence"]:
            assert claim["claim"] and claim["sources"]
            assert all(source["kind"] in evidence.KINDS for source in claim["sources"])


def test_the_schema_knows_the_evidence_kinds_of_the_evidence_module() -> None:
    source = load_schema()["$defs"]["source"]["properties"]["kind"]
    assert source["enum"] == list(evidence.KINDS)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda r: r["invariants"][0].pop("evidence"),
        lambda r: r["invariants"][0]["evidence"][0]["sources"][0].update(kind="rumour"),
        lambda r: r["invariants"][0]["evidence"][0]["sources"][0].pop("url"),
        lambda r: r["invariants"][0]["evidence"][0].update(sources=[]),
        lambda r: r.update(settle_timeout=0),
        lambda r: r.update(settle_timeout="10"),
        lambda r: r.pop("settle_timeout"),
    ],
)
def test_the_schema_rejects_broken_evidence_and_settle_timeouts(corrupt: Any) -> None:
    report = full_report()
    corrupt(report)
    with pytest.raises(jsonschema.ValidationError):
        validate_report(report)


# --- bytes in reports -----------------------------------------------------------------

RAW = b"\x00\xff"  # a malformed body: not JSON, not even UTF-8


def raw_outcome(status: int, body: bytes) -> Outcome:
    sent = Exchange.record(
        operation="RequestPhoneNumber",
        url="http://127.0.0.1:4566/",
        request_headers={"Content-Type": "application/x-amz-json-1.0"},
        request_body=RAW,
        status=status,
        response_headers={"Content-Type": "text/html"},
        response_body=body,
    )
    return Outcome(sent, json_error="not JSON")


def test_bytes_appear_as_text_or_in_the_marked_base64_form() -> None:
    assert reportable(b"plain \xc3\xa9") == "plain \u00e9"
    assert reportable(RAW) == {"base64": "AP8="}
    assert base64.b64decode(reportable(RAW)["base64"]) == RAW
    nested = {"input": (b"\x00", {b"k": bytearray(b"\xfe")}), "n": float("nan")}
    assert reportable(nested) == {"input": ["\x00", {"k": {"base64": "/g=="}}], "n": "nan"}
    assert reportable(reportable(nested)) == reportable(nested)  # converting twice is harmless
    assert reportable("lone \ud800") == "lone \\ud800"  # writable as UTF-8
    json.dumps(reportable(nested), allow_nan=False)


def test_a_raw_bytes_input_goes_through_every_report_file(tmp_path: Path) -> None:
    """The crash of #15: a difference (and a failure) whose input is a malformed body."""
    log = DifferenceLog()
    target, other = raw_outcome(400, b"{}"), raw_outcome(500, b"<h1>\x00oops</h1>")
    log.add("RequestPhoneNumber", RAW, target, other, compare(RAW, target, other))
    run = results()
    invariant_id = first_at("must")[0]
    failed = InvariantFailure(invariant_id, "answered 400 to \x00", None, target.exchange)
    run.record(call_report(), invariant_id, [{**failed.to_dict(), "input": RAW}])
    run.add_differences(log.drain())
    run.finish(1)
    written = run.write(tmp_path)

    report = json.loads(written.read_text(encoding="utf-8"))
    validate_report(report)
    entry = next(e for e in report["invariants"] if e["id"] == invariant_id)
    assert entry["failures"][0]["input"] == {"base64": "AP8="}
    assert report["differences"][0]["input"] == {"base64": "AP8="}
    assert report["differences"][0]["exchanges"]["other"]["response"]["body"] == (
        "<h1>\x00oops</h1>"
    )

    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "\x00" not in page and "\xff" not in page  # no control character passed on
    assert "&lt;h1&gt;\\x00oops" in page  # escaped markup, the NUL made visible
    parsed = Page(page)
    inputs = parsed.find("pre", **{"class": "input"})
    assert len(inputs) == 2 and all(json.loads(text) == {"base64": "AP8="} for text in inputs)
    other_side = parsed.find("details", id="diff-1")[0]
    assert "<h1>\\x00oops</h1>" in other_side  # shown as text, the NUL made visible
    assert "answered 400 to \\x00" in "".join(parsed.find("p", **{"class": "message"}))


def test_report_json_is_written_from_any_report_dictionary(tmp_path: Path) -> None:
    report = full_report()
    report["differences"][0]["input"] = RAW  # say, a caller of write_report_files
    write_report_files(report, tmp_path)
    written = json.loads((tmp_path / "report.json").read_text())
    validate_report(written)
    assert written["differences"][0]["input"] == {"base64": "AP8="}


# --- report.html ----------------------------------------------------------------------


class Page(HTMLParser):
    """Elements of a page with their attributes and the text inside each."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.stack: list[list[str]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text: list[str] = []
        self.elements.append((tag, dict(attrs), text))
        if tag not in ("meta", "br", "img", "link", "input"):
            self.stack.append(text)

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for text in self.stack:
            text.append(data)

    def find(self, tag: str, **attrs: str) -> list[str]:
        return [
            "".join(text)
            for t, a, text in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


def test_hostile_strings_are_shown_as_text_never_as_markup() -> None:
    report = full_report()
    report["target"]["endpoint"] = HOSTILE
    report["invariants"][1]["note"] = HOSTILE
    page = render_html(report)
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    parsed = Page(page)
    assert {tag for tag, _, _ in parsed.elements}.isdisjoint({"script", "img", "iframe"})
    assert not [name for _, attrs, _ in parsed.elements for name in attrs if name.startswith("on")]
    tag, _, text = parsed.elements[0]
    assert tag == "html"
    # shown as text: target, note, message, input, response header and body, difference
    assert "".join(text).count(HOSTILE) >= 7


def test_the_page_is_self_contained() -> None:
    page = render_html(full_report())
    parsed = Page(page)
    outside = []
    for tag, attrs, _ in parsed.elements:
        assert "src" not in attrs
        href = attrs.get("href") or "#"
        if not href.startswith("#"):  # only evidence sources link out, never fetched
            assert tag == "a" and attrs.get("class") == "source", (tag, attrs)
            assert href.startswith(("https://", "http://"))
            outside.append(href)
    assert outside, "the evidence sources are links"
    targets = {attrs.get("id") for _, attrs, _ in parsed.elements}
    hrefs = [a.get("href") or "" for _, a, _ in parsed.elements]
    links = {href[1:] for href in hrefs if href.startswith("#")}
    assert links <= targets, "every link into the page has its target"
    assert not re.search(r"@import|url\(|<link", page)


def test_the_page_shows_verdict_matrix_failures_and_differences() -> None:
    report = full_report()
    page = Page(render_html(report))
    assert page.find("p", id="verdict") == [
        "DOES NOT CONFORM (1 invariant failed; "
        f"partial: 3 of {len(catalog.invariants())} invariants run)"
    ]
    for entry in report["invariants"]:
        cells = page.find("td", **{"data-level": entry["level"], "data-status": entry["status"]})
        assert len(cells) == 1 and entry["id"] in cells[0]
    failed = report["invariants"][0]
    details = page.find("details", id=f"fail-{failed['id']}")
    assert len(details) == 1
    assert "boto3.client(" in details[0] and "curl " in details[0]
    assert "HTTP 400" in details[0]  # the raw exchange's response
    assert "Signature=<redacted>" in details[0] and SIGNATURE not in details[0]
    diffs = page.find("details", id="diff-1")
    assert len(diffs) == 1 and "400 here, 200 there" in diffs[0]
    assert "Exchange with the other" in diffs[0]
    run = "".join(page.find("section", id="run"))
    assert report["seed"] in run and report["versions"]["botocore"] in run
    assert f"--hypothesis-seed={report['seed']}" in run


def test_each_invariant_row_lists_its_claims_with_their_sources_as_links() -> None:
    report = full_report()
    page = Page(render_html(report))
    for entry in report["invariants"]:
        row = page.find("tr", id=f"inv-{entry['id']}")
        folded = page.find("details", id=f"evidence-{entry['id']}")
        assert len(row) == 1 and len(folded) == 1 and folded[0] in row[0]
        for claim in entry["evidence"]:
            assert claim["claim"] in folded[0]
            for source in claim["sources"]:
                assert source["kind"] in folded[0]
                if not source["url"]:  # kind none: nothing to link to, the title is shown
                    unlinked = page.find("span", **{"class": "unlinked", "data-key": source["key"]})
                    assert unlinked and source["title"] in unlinked[0]
                    continue
                links = page.find("a", href=source["url"], **{"class": "source"})
                assert links and any(source["title"] in link for link in links)
    kinds = page.find("span", **{"class": "kind model"})
    assert kinds and set(kinds) == {"model"}  # the kind is a small label of its own


def test_a_source_that_is_no_web_address_is_not_a_link() -> None:
    report = full_report()
    claim = report["invariants"][0]["evidence"][0]
    claim["sources"][0].update(url="javascript:alert(1)", title="sneaky")
    parsed = Page(render_html(report))
    assert not [a for t, a, _ in parsed.elements if "javascript" in (a.get("href") or "")]
    assert any("sneaky" in text for text in parsed.find("span", **{"class": "unlinked"}))


def test_the_header_shows_the_run_settings_with_the_settle_timeout() -> None:
    report = full_report()
    report["settle_timeout"] = 120.0
    page = Page(render_html(report))
    settings = page.find("p", id="settings")
    assert len(settings) == 1
    assert page.find("span", **{"data-setting": "settle timeout"}) == ["settle timeout 120 s"]
    assert page.find("span", **{"data-setting": "seed"}) == ["seed 1234"]
    assert "settle timeout" in "".join(page.find("section", id="run"))


def test_a_page_without_differences_has_no_such_section() -> None:
    report = full_report()
    del report["differences"]
    assert not Page(render_html(report)).find("section", id="differences")


# --- badge.svg ------------------------------------------------------------------------


@pytest.mark.parametrize(("passed", "total"), [(3, 4), (0, 5), (23, 23)])
def test_the_badge_is_valid_svg_with_the_share_passed(passed: int, total: int) -> None:
    statuses = ["passed"] * passed + ["failed"] * (total - passed)
    svg = render_badge({"invariants": [{"status": s} for s in statuses]})
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "conformance" in texts and f"{passed}/{total} passed" in texts
    fills = {r.get("fill") for r in root.iter("{http://www.w3.org/2000/svg}rect")}
    assert colour_for(passed, total) in fills


def test_the_badge_colour_moves_with_the_share() -> None:
    colours = [colour_for(n, 10) for n in (10, 9, 8, 5, 3, 0)]
    assert len(set(colours)) == len(colours)
    assert colour_for(0, 0) not in colours  # nothing reported is not a score


# --- real runs ------------------------------------------------------------------------


def run_suite(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, Path]:
    out = pytester.path / "report"
    result = pytester.runpytest_subprocess(*suite_args(*args, profile="quick", report=out))
    return result, out


def check_files(out: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    validate_report(report)
    ET.parse(out / "badge.svg")
    page = (out / "report.html").read_text()
    assert Page(page).find("p", id="verdict")
    for name in REPORT_FILES:
        assert DUMMY_SECRET not in (out / name).read_text()
    return report


def test_a_run_counts_examples_like_hypothesis_and_writes_all_three_files(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hypothesis' observability log (one line per test case run) is the independent count
    monkeypatch.setenv("HYPOTHESIS_EXPERIMENTAL_OBSERVABILITY_NOCOVER", "1")
    result, out = run_suite(pytester, "-k", "content_type or FORMATS or malformed")
    assert result.ret == 0, result.stdout.str()[-3000:]
    report = check_files(out)
    observed = [
        json.loads(line)
        for log in (pytester.path / ".hypothesis" / "observed").glob("*testcases.jsonl")
        for line in log.read_text().splitlines()
    ]
    ran = [o for o in observed if o["type"] == "test_case" and o["status"] != "gave_up"]
    assert ran, "Hypothesis logged no test case"
    assert report["stats"]["examples"] == len(ran)
    assert report["stats"]["examples"] == sum(e["examples"] for e in report["invariants"])
    assert all(e["examples"] > 0 for e in report["invariants"])
    result.stdout.fnmatch_lines([f"*report: {out / 'report.json'}", f"*{out / 'badge.svg'}"])


def test_examples_are_counted_across_xdist_workers(pytester: pytest.Pytester) -> None:
    serial, out = run_suite(pytester, "-k", "FORMATS or ECHO", "--hypothesis-seed=7")
    assert serial.ret == 0, serial.stdout.str()[-3000:]
    counted = check_files(out)["stats"]["examples"]
    parallel, out = run_suite(pytester, "-k", "FORMATS or ECHO", "--hypothesis-seed=7", "-n", "2")
    assert parallel.ret == 0, parallel.stdout.str()[-3000:]
    assert counted > 0 and check_files(out)["stats"]["examples"] == counted


def test_a_hostile_endpoint_gets_a_failing_report_in_all_three_files(
    pytester: pytest.Pytester,
) -> None:
    def hostile(request: RawRequest) -> RawResponse:
        return RawResponse(
            500, {"Content-Type": "text/html", "X-Note": "<b>x</b>"}, HOSTILE.encode()
        )

    with ReferenceServer(app=hostile) as server:
        result, out = run_suite(
            pytester,
            "--endpoint",
            server.url,
            "-k",
            "test_content_type or status_class or unknown_target",
        )
    assert result.ret == 1
    report = check_files(out)
    # an HTML page for every request: not implemented, the page shown as what was answered
    assert report["summary"]["unimplemented"] == 3 and report["summary"]["passed"] == 0
    page = (out / "report.html").read_text()
    assert "<script" not in page.lower() and html_escaped(HOSTILE) in page
    badge = ET.parse(out / "badge.svg").getroot()
    assert "not implemented" in "".join(badge.itertext())


def html_escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_an_interrupted_run_still_writes_all_three_files(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        interrupter="""
        import pytest

        def pytest_runtest_logreport(report):
            if report.when == "teardown" and "test_content_type" in report.nodeid:
                raise KeyboardInterrupt
        """
    )
    result, out = run_suite(pytester, "-p", "interrupter")
    assert result.ret == 2, result.stdout.str()[-3000:]
    report = check_files(out)
    statuses = {e["id"]: e["status"] for e in report["invariants"]}
    assert statuses["PROTO-CONTENT-TYPE"] == "passed"
    assert "skipped" in statuses.values()  # what never ran is not reported as passed
    assert report["exit_status"] == 2


SENDS_A_RAW_BODY = """
import pytest

@pytest.mark.conformance(id="PROTO-MALFORMED", level="must")
def test_a_raw_body(conformance_endpoint):
    assert conformance_endpoint.call_raw("RequestPhoneNumber", b"\\x00\\xff").status == 400
"""


def test_a_parity_difference_on_raw_bytes_is_reported_not_a_crash(
    pytester: pytest.Pytester,
) -> None:
    """#15: ``--compare-to ... --conformance-report`` ended in ``TypeError: Object of type
    bytes is not JSON serializable`` when a differing request was a malformed body."""

    def no_service(request: RawRequest) -> RawResponse:
        return RawResponse(500, {"Content-Type": "text/html"}, b"<h1>\x00no such service</h1>")

    pytester.makepyfile(test_raw=SENDS_A_RAW_BODY)
    out = pytester.path / "report"
    with ReferenceServer() as target, ReferenceServer(app=no_service) as other:
        result = pytester.runpytest_subprocess(
            "-p", "no:cacheprovider", "--endpoint", target.url, "--compare-to", other.url,
            "--conformance-report", str(out),
        )  # fmt: skip
    output = result.stdout.str() + result.stderr.str()
    assert result.ret == 0, output[-3000:]
    assert "Traceback" not in output and "TypeError" not in output
    report = check_files(out)
    (difference,) = report["differences"]
    assert difference["input"] == {"base64": "AP8="}
    assert base64.b64decode(difference["input"]["base64"]) == b"\x00\xff"
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "\x00" not in page and "&lt;h1&gt;\\x00no such service" in page
    assert json.loads(Page(page).find("pre", **{"class": "input"})[0]) == {"base64": "AP8="}


def test_levels_are_the_matrix_rows() -> None:
    page = Page(render_html(full_report()))
    rows = page.find("th", scope="row")
    expected = [lv for lv in LEVELS if lv in {e["level"] for e in full_report()["invariants"]}]
    assert len(rows) == len(expected)
    assert all(row.startswith(level) for row, level in zip(rows, expected, strict=True))


def test_report_json_is_written_even_if_the_page_cannot_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import conformance.report.html

    def broken(report: dict[str, Any]) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(conformance.report.html, "render_html", broken)
    with pytest.raises(RuntimeError):
        write_report_files(full_report(), tmp_path)
    validate_report(json.loads((tmp_path / "report.json").read_text()))


def test_a_run_that_checked_nothing_does_not_conform_by_default() -> None:
    from conformance.report.document import verdict

    assert not verdict({"passed": 0, "failed": 0, "skipped": 4}).startswith("CONFORMS")
    assert verdict({"passed": 3, "failed": 0, "skipped": 1}).startswith("CONFORMS on what")
    assert verdict({"passed": 3, "failed": 1, "skipped": 1}).startswith("DOES NOT CONFORM")


# --- published reports ----------------------------------------------------------------


def test_publish_writes_every_file_and_repeats_itself(tmp_path: Path) -> None:
    import subprocess
    import sys

    def publish(out: Path) -> dict[str, Any]:
        command = ["publish", "--out", str(out), "--target", "reference", "--seed", "99"]
        done = subprocess.run(
            [sys.executable, "-m", "conformance", *command, "--profile", "quick"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "verdict: CONFORMS" in done.stdout
        return check_files(out / "reference")

    first, again = publish(tmp_path / "a"), publish(tmp_path / "b")
    # timestamps and durations; and the request counts, since a wait for a number to
    # settle (the reference settles in 50 ms) looks as often as the machine's speed allows
    volatile = ("started", "duration_s", "seconds", "phases", "requests", "judged")

    def steady(report: dict[str, Any]) -> dict[str, Any]:
        kept = {k: v for k, v in report.items() if k not in volatile}
        kept["stats"] = {k: v for k, v in report["stats"].items() if k not in volatile}
        kept["invariants"] = [
            {k: v for k, v in e.items() if k not in volatile} for e in report["invariants"]
        ]
        return kept

    assert steady(first) == steady(again)
    assert first["stats"]["examples"] == again["stats"]["examples"]  # the same inputs drawn
    assert first["seed"] == "99" and first["profile"] == "quick"
    matrix = (tmp_path / "a" / "README.md").read_text()
    for entry in first["invariants"]:
        assert re.search(
            rf"^\| {entry['id']} \| {entry['level']} \| .* \| {entry['status']} \|$", matrix, re.M
        )
    assert "(reference/badge.svg)" in matrix and "moto" not in matrix.split("## ")[1]


def test_the_matrix_has_a_column_per_target() -> None:
    from conformance.publish import Published, matrix_markdown

    ids = sorted(levels())[:3]

    def report(statuses: list[str]) -> dict[str, Any]:
        run = results()
        for invariant_id, status in zip(ids, statuses, strict=True):
            fails = [failure(invariant_id, "m", {})] if status == "failed" else None
            run.record(call_report(status == "failed", status == "skipped"), invariant_id, fails)
        run.finish(1)
        return run.to_dict()

    text = matrix_markdown(
        [
            Published("one", "first", report(["passed", "passed", "skipped"])),
            Published("two", "second", report(["failed", "skipped", "passed"])),
        ],
        seed=5,
        profile=None,
    )
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] in ids:
            rows[cells[0]] = cells[-2:]
    assert rows[ids[0]][0] == "passed" and "FAILED" in rows[ids[0]][1]
    assert rows[ids[1]] == ["passed", "skipped"]
    assert rows[ids[2]] == ["skipped", "passed"]
    assert "--hypothesis-seed=5" in text


def test_publish_starts_moto_on_a_free_port_and_stops_it() -> None:
    import socket
    import urllib.request

    from conformance.publish import moto_server

    with moto_server() as url:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=10) as answer:
            assert answer.status == 200
        port = int(url.rsplit(":", 1)[1])
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_publish_says_why_moto_did_not_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import contextlib
    from collections.abc import Iterator

    from conformance import publish
    from conformance.endpoint.targets import TargetError

    @contextlib.contextmanager
    def moto_that_fails(name: str, extra_args: tuple[str, ...] = ()) -> Iterator[str]:
        raise TargetError(f"the embedded {name} endpoint did not start: Address already in use")
        yield ""

    monkeypatch.setattr(publish, "embedded", moto_that_fails)
    assert publish.publish(tmp_path, ["moto"], seed=1, profile=None) == 1
    assert capsys.readouterr().err == (
        "moto: the embedded moto endpoint did not start: Address already in use\n"
    )
    assert not (tmp_path / "moto").exists()
