"""``report.html``: the report as one self-contained page a person can read.

Rendered from the report.json dictionary alone (so a published report.json can be
re-rendered), with the standard library: inline CSS, no script, no external resource,
so nothing is fetched at view time. Failures are ``<details>`` elements that expand to
the message, the minimal input, the reproducers and the raw exchange. Beside each
invariant, a ``<details>`` lists the claims it rests on with their sources as links.
When the model-level tier ran, its coverage matrix (report.json's ``coverage``) follows
the invariants' results: every operation of the model, by resource family.

Everything that comes from the report is escaped, for text and attributes alike: the
endpoint under test controls response bodies, headers and error messages, and a page
that ran what an endpoint sent would turn a conformance report into an attack vector.
Control characters are shown as ``\\xNN``; bytes that are not UTF-8 as their base64
(``report.document.bytes_form``). The only links out of the page are evidence sources, and
only ``http``/``https`` ones: following one is the reader's choice, nothing is fetched.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

from conformance.endpoint.json_forms import BYTES_KEY, is_bytes_form, reportable
from conformance.invariants.registry import LEVEL_MEANING, LEVELS, REGISTRY
from conformance.report.coverage import CONFORMS, FAILS, NOT_RUN, UNIMPLEMENTED, headline
from conformance.report.document import (
    how_found,
    minimality,
    repeat_command,
    report_verdict,
)
from conformance.service.operations import OTHER_FAMILY

STATUSES = ("passed", "failed", "unimplemented", "not_applicable", "skipped")
MAX_BODY = 20_000  # characters of one body shown; the rest is in report.json
# The coverage matrix's statuses: the class of the invariant status they show as, and
# their words on the page.
OPERATION_STATUSES = {
    CONFORMS: ("passed", "conforms"),
    FAILS: ("failed", "fails"),
    UNIMPLEMENTED: ("unimplemented", "not implemented"),
    NOT_RUN: ("skipped", "not run"),
}

CSS = """
:root { --pass: #1a7f37; --fail: #cf222e; --skip: #9a6700; --line: #d0d7de;
  --soft: #f6f8fa; --text: #1f2328; --muted: #59636e; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line);
  padding-bottom: .25rem; }
code, pre { font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
  padding: .6rem .8rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all;
  margin: .25rem 0 .75rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .35rem .55rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--soft); }
.muted, small { color: var(--muted); }
.verdict { display: inline-block; font-size: 1.2rem; font-weight: 700; padding: .4rem .9rem;
  border-radius: 6px; color: #fff; margin: .5rem 0; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); }
.verdict.partial { background: var(--skip); } .verdict.none { background: var(--muted); }
.status { font-weight: 600; }
.status.passed { color: var(--pass); } .status.failed, .status.unimplemented { color: var(--fail); }
.status.skipped { color: var(--skip); }
.matrix td { width: 21%; }
.matrix td.failed.some, .matrix td.unimplemented.some { background: #ffebe9; }
.matrix td.passed.some { background: #dafbe1; }
.matrix td.skipped.some { background: #fff8c5; }
.matrix .n { font-size: 1.2rem; font-weight: 700; margin-right: .4rem; }
.matrix a { margin-right: .35rem; white-space: nowrap; }
details.failure { border: 1px solid var(--line); border-left: 4px solid var(--fail);
  border-radius: 6px; margin: .5rem 0; padding: .3rem .8rem; }
details.difference { border-left-color: var(--skip); }
details > summary { cursor: pointer; font-weight: 600; padding: .2rem 0; }
details[open] > summary { margin-bottom: .4rem; }
details > summary .first { font-weight: 400; }
.case { border-top: 1px dashed var(--line); padding-top: .4rem; margin-top: .4rem; }
.case h4 { margin: .2rem 0; font-size: .95rem; }
.label { font-weight: 600; margin: .5rem 0 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
#settings span + span::before { content: " · "; }
details.evidence { margin-top: .2rem; font-size: .9rem; }
details.evidence > summary { font-weight: 400; color: var(--muted); padding: 0; }
details.evidence ul { margin: .2rem 0 .2rem 1.1rem; padding: 0; }
details.evidence li { margin: .15rem 0; }
details.evidence .sources > * { display: block; margin: .1rem 0 0 .2rem; }
.kind { display: inline-block; font-size: .72rem; line-height: 1.3; padding: 0 .3rem;
  margin-right: .25rem; border-radius: 3px; border: 1px solid var(--line);
  background: var(--soft); color: var(--muted); text-transform: lowercase; }
.kind.model, .kind.protocol { border-color: #8fd3a0; }
.kind.documentation, .kind.live { border-color: #9ec5f8; }
.kind.sdk { border-color: #e6c46b; } .kind.none { border-color: #f0a5a0; }
table.operations tr.family th { background: var(--soft); }
table.operations tr.family small { font-weight: 400; margin-left: .4rem; }
table.operations td.failed-checks a { margin-right: .35rem; white-space: nowrap; }
table.operations td.status, table.operations thead th { white-space: nowrap; }
.headline { font-weight: 600; }
"""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def esc(value: Any) -> str:
    """Text of any value, safe in element content and in quoted attribute values;
    control characters (a NUL in a body) are shown as ``\\xNN``, not passed on."""
    text = html.escape(value if isinstance(value, str) else str(value), quote=True)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def anchor(prefix: str, invariant_id: Any) -> str:
    return prefix + re.sub(r"[^A-Za-z0-9_-]", "-", str(invariant_id))


def _json(value: Any) -> str:
    return json.dumps(reportable(value), indent=2, ensure_ascii=False, sort_keys=True)


def _body(value: Any) -> str:
    """A body or header value as shown: its text, or what its bytes form stands for."""
    value = reportable(value)
    if isinstance(value, str):
        return value
    if is_bytes_form(value):
        return f"<bytes, not UTF-8; base64: {value[BYTES_KEY]}>"
    return _json(value)


def _clip(text: str) -> str:
    if len(text) <= MAX_BODY:
        return text
    return f"{text[:MAX_BODY]}\n… ({len(text)} characters; the whole body is in report.json)"


def exchange_text(exchange: Any) -> str:
    """An exchange dictionary as HTTP text: the request, then the response."""
    if not isinstance(exchange, dict) or not isinstance(exchange.get("request"), dict):
        return _clip(_json(exchange))
    request = exchange["request"]
    lines = [f"{request.get('method', 'POST')} {request.get('url', '')}"]
    lines += [f"{k}: {_body(v)}" for k, v in (request.get("headers") or {}).items()]
    lines += ["", _clip(_body(request.get("body", ""))), ""]
    response = exchange.get("response")
    if not isinstance(response, dict):
        lines.append(f"<no response: {exchange.get('error')}>")
    else:
        lines.append(f"HTTP {response.get('status')}")
        lines += [f"{k}: {_body(v)}" for k, v in (response.get("headers") or {}).items()]
        lines += ["", _clip(_body(response.get("body", "")))]
    return "\n".join(lines)


def _verdict_class(report: dict[str, Any]) -> str:
    summary = report.get("summary") or {}
    replay = report.get("replay")
    if isinstance(replay, dict):
        return (
            "none"
            if not replay.get("calls")
            else "fail"
            if replay.get("differing_calls")
            else "pass"
        )
    if summary.get("failed") or summary.get("unimplemented"):
        return "fail"
    if not summary.get("passed"):
        return "none"
    return (
        "partial"
        if summary.get("skipped") or report.get("partial") or report.get("not_run")
        else "pass"
    )


def _level_rank(entry: dict[str, Any]) -> int:
    level = entry.get("level")
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def _occurrences(entry: dict[str, Any]) -> int:
    return sum(int(f.get("count", 1)) for f in entry.get("failures") or [])


def _seconds(value: Any) -> str | None:
    return f"{value:g} s" if isinstance(value, int | float) else None


def _header(report: dict[str, Any], summary: dict[str, int]) -> list[str]:
    target = report.get("target") or {}
    total = sum(summary.get(s, 0) for s in STATUSES)
    settings = [
        ("seed", report.get("seed")),
        ("profile", report.get("profile") or "default"),
        ("gate level", report.get("gate_level")),
        ("settle timeout", _seconds(report.get("settle_timeout"))),
        ("started", report.get("started", "")),
    ]
    return [
        "<header>",
        "<h1>PinpointSMSVoiceV2 conformance report</h1>",
        f'<p id="target">Target: <code>{esc(target.get("endpoint", ""))}</code> '
        f'<span class="muted">({esc(target.get("kind", ""))})</span>'
        + _client_clause(target)
        + "</p>",
        f'<p id="verdict" class="verdict {_verdict_class(report)}">{esc(report_verdict(report))}'
        "</p>",
        f'<p id="counts">{summary.get("passed", 0)} passed, {summary.get("failed", 0)} failed, '
        + (f"{summary['unimplemented']} not implemented, " if summary.get("unimplemented") else "")
        + (
            f"{summary['not_applicable']} not applicable (no wire), "
            if summary.get("not_applicable")
            else ""
        )
        + f"{summary.get('skipped', 0)} skipped of {total} "
        + ("recordings" if "replay" in report else "invariants")
        + (f"; {len(report['not_run'])} not run (see below)" if report.get("not_run") else "")
        + "</p>",
        *_coverage_line(report.get("coverage")),
        '<p id="settings" class="muted">'
        + "".join(
            f'<span data-setting="{esc(name)}">{esc(name)} <code>{esc(value)}</code></span>'
            for name, value in settings
            if value is not None
        )
        + "</p>",
        "</header>",
    ]


def _client_clause(target: dict[str, Any]) -> str:
    """With --client-factory: which client was judged, and where raw requests went."""
    factory = target.get("client_factory")
    if not factory:
        return ""
    if target.get("kind") == "in-process":
        return (
            " judged through the client, in process: invariants of the wire itself are "
            "not applicable"
        )
    return (
        f" through the client <code>{esc(factory)}</code>; raw requests (invalid, "
        "malformed, protocol) went to the endpoint directly: the verdict covers both"
    )


def _coverage_headline(coverage: Any) -> str | None:
    """The coverage matrix in one line (``coverage.headline``); None without one."""
    if not isinstance(coverage, dict):
        return None
    totals = coverage.get("totals")
    return headline(totals if isinstance(totals, dict) else {})


def _coverage_line(coverage: Any) -> list[str]:
    """The header's line of the coverage matrix, linked to its section."""
    said = _coverage_headline(coverage)
    if said is None:
        return []
    return [f'<p id="operations-headline"><a href="#operations">Operations</a>: {esc(said)}</p>']


def _matrix(invariants: list[dict[str, Any]]) -> list[str]:
    out = [
        '<section id="matrix"><h2>Invariants by level and status</h2>',
        '<table class="matrix"><thead><tr><th>level</th>',
        *(f"<th>{status}</th>" for status in STATUSES),
        "</tr></thead><tbody>",
    ]
    levels = [*LEVELS, *sorted({str(e.get("level")) for e in invariants} - set(LEVELS))]
    for level in levels:
        at_level = [e for e in invariants if e.get("level") == level]
        if not at_level:
            continue
        out.append(
            f'<tr><th scope="row">{esc(level)}<br><small>{esc(LEVEL_MEANING.get(level, ""))}'
            "</small></th>"
        )
        for status in STATUSES:
            ids = [e.get("id", "") for e in at_level if e.get("status") == status]
            links = " ".join(
                f'<a href="#{anchor("inv-", e.get("id", ""))}" title="{esc(_cost(e))}">'
                f"{esc(e.get('id', ''))}</a>"
                for e in at_level
                if e.get("status") == status
            )
            some = " some" if ids else ""
            out.append(
                f'<td class="{status}{some}" data-level="{esc(level)}" data-status="{status}">'
                f'<span class="n">{len(ids)}</span> {links}</td>'
            )
        out.append("</tr>")
    out.append("</tbody></table></section>")
    return out


def _cost(entry: dict[str, Any]) -> str:
    """An invariant's wall time and requests, as the matrix shows them on hover."""
    if "seconds" not in entry:
        return ""
    judged = entry.get("judged") or {}
    via = f" ({judged['client']} through the client)" if judged.get("client") else ""
    return f"{entry['seconds']:g} s, {entry.get('requests', 0)} requests{via}"


def _replay(replay: Any) -> list[str]:
    """A replay's recordings: each with its calls sent again and those that differed."""
    if not isinstance(replay, dict):
        return []
    out = [
        '<section id="replay"><h2>Replay</h2>',
        f'<p class="muted">The calls recorded in <code>{esc(replay.get("directory"))}</code>, '
        f"sent again in order: {esc(replay.get('calls'))} calls, "
        f"{esc(replay.get('differing_calls'))} answered otherwise than recorded"
        + (
            f"; {esc(replay.get('withheld'))} not sent to real AWS (writes, paid or "
            "message-sending calls)"
            if replay.get("withheld")
            else ""
        )
        + ".</p>",
        "<table><thead><tr><th>recording</th><th>status</th><th>calls replayed</th>"
        "<th>calls that differed</th></tr></thead><tbody>",
    ]
    for entry in replay.get("recordings") or []:
        if not isinstance(entry, dict):
            continue
        status = str(entry.get("status", ""))
        out.append(
            f'<tr data-recording="{esc(entry.get("name"))}"><td><code>{esc(entry.get("name"))}'
            f'</code></td><td class="status {esc(status)}">{esc(status)}</td>'
            f"<td>{esc(entry.get('calls'))}</td><td>{esc(entry.get('differing_calls'))}</td></tr>"
        )
    out.append("</tbody></table></section>")
    return out


def _not_run(not_run: Iterable[Any]) -> list[str]:
    """The registered invariants the run did not select: what a partial verdict omits."""
    ids = [str(i) for i in not_run]
    if not ids:
        return []
    registry = REGISTRY  # titles of what was left out, as the run registered them
    out = [
        '<section id="not-run"><h2>Not run</h2>',
        f'<p class="muted">A partial run: {len(ids)} registered invariant'
        f"{'' if len(ids) == 1 else 's'} not selected (<code>-k</code>, <code>-m</code>), "
        "so not part of the verdict.</p>",
        "<table><thead><tr><th>id</th><th>level</th><th>what it asserts</th></tr></thead><tbody>",
    ]
    for ident in ids:
        meta = registry.get(ident)
        level, title = (meta.level, meta.title) if meta else ("", "")
        out.append(
            f'<tr data-not-run="{esc(ident)}"><td><code>{esc(ident)}</code></td>'
            f"<td>{esc(level)}</td><td>{esc(title)}</td></tr>"
        )
    out.append("</tbody></table></section>")
    return out


def _invariant_table(invariants: list[dict[str, Any]]) -> list[str]:
    out = [
        '<section id="invariants"><h2>All invariants</h2><table><thead><tr>'
        "<th>id</th><th>level</th><th>what it asserts, and why</th><th>status</th>"
        "<th>examples</th><th>requests</th><th>seconds</th><th>note</th></tr></thead><tbody>"
    ]
    for entry in sorted(invariants, key=lambda e: (_level_rank(e), str(e.get("id")))):
        status = str(entry.get("status", ""))
        ident = entry.get("id", "")
        shown = esc(ident)
        if status == "failed":
            shown = f'<a href="#{anchor("fail-", ident)}">{shown}</a>'
        out.append(
            f'<tr id="{anchor("inv-", ident)}"><td><code>{shown}</code></td>'
            f"<td>{esc(entry.get('level', ''))}</td><td>{esc(entry.get('title', ''))}"
            f"{_evidence(entry.get('evidence'), ident)}</td>"
            f'<td class="status {esc(status)}">{esc(status)}</td>'
            f"<td>{esc(entry.get('examples', ''))}</td><td>{esc(entry.get('requests', ''))}</td>"
            f'<td title="{esc(_phases(entry))}">{esc(entry.get("seconds", ""))}</td>'
            f"<td>{esc(entry.get('note', ''))}</td></tr>"
        )
    out.append("</tbody></table></section>")
    return out


def _evidence(claims: Any, invariant_id: Any) -> str:
    """The claims an invariant rests on, folded: each with its sources as links."""
    items = [c for c in claims or [] if isinstance(c, dict)]
    if not items:
        return ""
    listed = "".join(
        f"<li>{esc(claim.get('claim', ''))}"
        f'<span class="sources">{"".join(_source(s) for s in claim.get("sources") or [])}'
        "</span></li>"
        for claim in items
    )
    said = f"{len(items)} claim{'' if len(items) == 1 else 's'}"
    return (
        f'<details class="evidence" id="{anchor("evidence-", invariant_id)}">'
        f"<summary>evidence: {said}</summary><ul>{listed}</ul></details>"
    )


def _source(source: Any) -> str:
    """One source: its kind as a label, its title linked to its URL (http/https only)."""
    if not isinstance(source, dict):
        return ""
    kind = str(source.get("kind", ""))
    label = f'<span class="kind {esc(re.sub(r"[^a-z]", "", kind))}">{esc(kind)}</span>'
    title = esc(source.get("title") or source.get("key") or "")
    url = str(source.get("url", ""))
    if re.match(r"https?://", url, re.I):
        return (
            f'<a class="source" href="{esc(url)}" rel="noreferrer" '
            f'data-key="{esc(source.get("key", ""))}">{label}{title}</a>'
        )
    return f'<span class="unlinked" data-key="{esc(source.get("key", ""))}">{label}{title}</span>'


def _phases(entry: dict[str, Any]) -> str:
    """Where an invariant's time went, by Hypothesis phase (a tooltip)."""
    phases = entry.get("phases") or {}
    return ", ".join(f"{name} {seconds:g} s" for name, seconds in phases.items())


def _failure_case(failure: dict[str, Any], n: int, of: int) -> list[str]:
    count = int(failure.get("count", 1))
    seen = f" <small>(seen {count} times)</small>" if count > 1 else ""
    out = [
        '<div class="case">',
        f"<h4>Failure {n} of {of}{seen}</h4>",
        f'<p class="message">{esc(failure.get("message", ""))}</p>',
        '<p class="label">Minimal input</p>',
        f'<pre class="input">{esc(_json(failure.get("input")))}</pre>',
    ]
    reproducer = failure.get("reproducer") or {}
    if reproducer.get("boto3"):
        out += [
            '<p class="label">Reproduce with boto3</p>',
            f'<pre class="boto3">{esc(reproducer["boto3"])}</pre>',
        ]
    if reproducer.get("http"):
        out += [
            '<p class="label">Reproduce with curl</p>',
            f'<pre class="http">{esc(reproducer["http"])}</pre>',
        ]
    if failure.get("exchange") is not None:
        out += [
            '<p class="label">Raw exchange <small>(signatures redacted)</small></p>',
            f'<pre class="exchange">{esc(exchange_text(failure["exchange"]))}</pre>',
        ]
    for k, extra in enumerate(failure.get("related_exchanges") or [], start=1):
        out += [
            f'<p class="label">Related exchange {k}</p>',
            f'<pre class="exchange related">{esc(exchange_text(extra))}</pre>',
        ]
    out.append("</div>")
    return out


def _failures(invariants: list[dict[str, Any]]) -> list[str]:
    failed = [e for e in invariants if e.get("status") == "failed"]
    if not failed:
        return []
    failed.sort(key=lambda e: (_level_rank(e), -_occurrences(e), str(e.get("id"))))
    out = ['<section id="failures"><h2>Failures</h2>']
    out.append(
        '<p class="muted">The worst first: by level, then how often seen. Each invariant '
        "lists its distinct failures, the most minimal input first.</p>"
    )
    for entry in failed:
        failures = sorted(entry.get("failures") or [], key=minimality)
        first = failures[0].get("message", "") if failures else entry.get("note", "")
        times = _occurrences(entry)
        out += [
            f'<details class="failure" id="{anchor("fail-", entry.get("id", ""))}">',
            f"<summary><code>{esc(entry.get('id', ''))}</code> [{esc(entry.get('level', ''))}] "
            f'{esc(entry.get("title", ""))}: <span class="first">{esc(first)}</span>'
            + (f" <small>(seen {times} times)</small>" if times > 1 else "")
            + "</summary>",
        ]
        if entry.get("note"):
            out.append(f'<p class="note">{esc(entry["note"])}</p>')
        out += [f'<p class="note how-found">{esc(said)}</p>' for said in how_found(entry)]
        for n, failure in enumerate(failures, start=1):
            out += _failure_case(failure, n, len(failures))
        out.append("</details>")
    out.append("</section>")
    return out


def _unimplemented(invariants: list[dict[str, Any]]) -> list[str]:
    """Invariants not run because the endpoint does not serve their operation: what it
    was concluded from, once for each answer that showed it."""
    unserved = [e for e in invariants if e.get("status") == "unimplemented"]
    if not unserved:
        return []
    out = ['<section id="unimplemented"><h2>Not implemented</h2>']
    by_note: dict[str, list[dict[str, Any]]] = {}
    for entry in unserved:
        by_note.setdefault(str(entry.get("note", "")), []).append(entry)
    for note, entries in by_note.items():
        ids = ", ".join(str(e.get("id", "")) for e in entries)
        out.append(f'<p class="note">{esc(note)}. Not run: {esc(ids)}.</p>')
        if entries[0].get("exchange") is not None:
            out += [
                '<p class="label">The answer that showed it</p>',
                f'<pre class="exchange">{esc(exchange_text(entries[0]["exchange"]))}</pre>',
            ]
    out.append("</section>")
    return out


def _operations(coverage: Any, invariant_ids: set[str]) -> list[str]:
    """The coverage matrix: every operation of the model, grouped by resource family,
    with its status, the checks it failed (linked to their rows on the page) and why it
    was not implemented or not run. Families with a failing operation first, and within
    a family the failing operations first; ``other`` last."""
    said = _coverage_headline(coverage)
    if said is None:
        return []
    found = coverage.get("operations")
    listed = found if isinstance(found, dict) else {}
    families: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, row in listed.items():
        if isinstance(row, dict):
            families.setdefault(str(row.get("family", OTHER_FAMILY)), []).append((str(name), row))

    def fails(row: dict[str, Any]) -> bool:
        return row.get("status") == FAILS

    order = sorted(
        families,
        key=lambda f: (not any(fails(r) for _, r in families[f]), f == OTHER_FAMILY, f),
    )
    out = [
        '<section id="operations"><h2>Operations</h2>',
        f'<p class="headline">{esc(said)}</p>',
        '<p class="muted">Every operation of the service model against the model-level '
        "checks (<code>OPS-*</code>), by resource family, the failing first. An operation "
        "conforms when every check that ran on it passed; not implemented is neither passed "
        "nor failed; not run: not selected (<code>--operations</code>), or a write not sent "
        "to real AWS.</p>",
        '<table class="operations"><thead><tr><th>operation</th><th>read-only</th>'
        "<th>status</th><th>checks failed</th><th>note</th></tr></thead>",
    ]
    for family in order:
        rows = sorted(families[family], key=lambda item: (not fails(item[1]), item[0]))
        failing = sum(fails(row) for _, row in rows)
        counted = f"{len(rows)} operation{'' if len(rows) == 1 else 's'}" + (
            f", {failing} fail" if failing else ""
        )
        out.append(
            f'<tbody data-family="{esc(family)}"><tr class="family">'
            f'<th colspan="5" scope="rowgroup">{esc(family)}<small>{counted}</small></th></tr>'
        )
        for name, row in rows:
            status = str(row.get("status", ""))
            css, shown = OPERATION_STATUSES.get(status, ("", status))
            checks = " ".join(_invariant_link(i, invariant_ids) for i in row.get("failed") or [])
            out.append(
                f'<tr data-operation="{esc(name)}" data-status="{esc(status)}">'
                f"<td><code>{esc(name)}</code></td>"
                f"<td>{'yes' if row.get('read_only') is True else 'no'}</td>"
                f'<td class="status {css}">{esc(shown)}</td>'
                f'<td class="failed-checks">{checks}</td>'
                f'<td class="note">{esc(row.get("note", ""))}</td></tr>'
            )
        out.append("</tbody>")
    out.append("</table></section>")
    return out


def _invariant_link(invariant_id: Any, on_page: set[str]) -> str:
    """An invariant's id, linked to its row of the page's table when it has one."""
    shown = f"<code>{esc(invariant_id)}</code>"
    if str(invariant_id) not in on_page:
        return shown
    return f'<a href="#{anchor("inv-", invariant_id)}">{shown}</a>'


def _differences(differences: Iterable[Any], replay: bool = False) -> list[str]:
    """Each distinct difference (operation, kind, detail) as a row of one table, then
    folded out with its input and both exchanges."""
    items = [d for d in differences if isinstance(d, dict)]
    if not items:
        return []
    other = "the recording" if replay else "the endpoint it was compared to"
    heading = "Differences from the recording" if replay else "Differences from the other endpoint"
    out = [
        f'<section id="differences"><h2>{heading}</h2>',
        f'<p class="muted">{len(items)} distinct differences between the target\'s answers and '
        f"{other}'s, each listed once.</p>",
        '<table class="differences"><thead><tr><th>#</th><th>operation</th><th>kind</th>'
        "<th>detail</th></tr></thead><tbody>",
        *(
            f'<tr data-difference="{n}"><td><a href="#diff-{n}">{n}</a></td>'
            f"<td><code>{esc(d.get('operation', ''))}</code></td><td>{esc(d.get('kind', ''))}</td>"
            f"<td>{esc(d.get('detail', ''))}</td></tr>"
            for n, d in enumerate(items, start=1)
        ),
        "</tbody></table>",
    ]
    for n, diff in enumerate(items, start=1):
        found = diff.get("exchanges")
        exchanges: dict[str, Any] = found if isinstance(found, dict) else {}
        out += [
            f'<details class="failure difference" id="diff-{n}">',
            f"<summary>{esc(diff.get('operation', ''))}: {esc(diff.get('kind', ''))}: "
            f"{esc(diff.get('detail', ''))}</summary>",
            '<p class="label">Input</p>',
            f'<pre class="input">{esc(_json(diff.get("input")))}</pre>',
        ]
        for side in ("target", "other"):
            if side in exchanges:
                out += [
                    f'<p class="label">Exchange with the {side}</p>',
                    f'<pre class="exchange">{esc(exchange_text(exchanges[side]))}</pre>',
                ]
        out.append("</details>")
    out.append("</section>")
    return out


def _run_details(report: dict[str, Any]) -> list[str]:
    stats = report.get("stats") or {}
    rows = [
        ("seed", report.get("seed")),
        ("repeat", repeat_command(report)),
        ("profile", report.get("profile") or "default"),
        ("gate level", report.get("gate_level")),
        ("settle timeout", _seconds(report.get("settle_timeout"))),
        ("started", report.get("started")),
        ("duration", f"{report.get('duration_s')} s"),
        ("exit status", report.get("exit_status")),
        ("requests sent", stats.get("requests")),
        ("examples run", stats.get("examples")),
        ("throttled retries", stats.get("throttled_retries")),
    ]
    rows += [(f"version of {k}", v) for k, v in (report.get("versions") or {}).items()]
    out = ['<section id="run"><h2>The run</h2><dl class="meta">']
    out += [f"<dt>{esc(k)}</dt><dd><code>{esc(v)}</code></dd>" for k, v in rows]
    out.append("</dl></section>")
    return out


def render_html(report: dict[str, Any]) -> str:
    """The whole page for a report.json dictionary."""
    summary = report.get("summary") or {}
    invariants = [e for e in report.get("invariants") or [] if isinstance(e, dict)]
    endpoint = (report.get("target") or {}).get("endpoint", "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Conformance of {esc(endpoint)}: {esc(report_verdict(report))}</title>",
        f"<style>{CSS}</style>",
        "</head><body>",
        *_header(report, summary),
        *(_replay(report["replay"]) if "replay" in report else _matrix(invariants)),
        *_failures(invariants),
        *_unimplemented(invariants),
        *_operations(report.get("coverage"), {str(e.get("id", "")) for e in invariants}),
        *_differences(report.get("differences") or [], replay="replay" in report),
        *_invariant_table(invariants),
        *_not_run(report.get("not_run") or []),
        *_run_details(report),
        '<footer class="muted"><p>Written by pinpoint-sms-conformance '
        f"{esc((report.get('versions') or {}).get('suite', ''))}; the same data is in "
        "report.json beside this page.</p></footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
