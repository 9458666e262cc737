"""report.json as a document: its schema, how values appear in it, what it implies.

Everything here reads or shapes a report dictionary and nothing else, so the model of
a run (``run``) and the writers of the files (``report.html``, ``badge``,
``report.files``) all depend on this module and never on each other backwards.

Values the run saw reach it through ``endpoint.json_forms.reportable``, so whatever
reaches report.json is JSON by construction.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.endpoint.json_forms import canonical_json, reportable

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")


def report_text(report: dict[str, Any]) -> str:
    """report.json's text (``reportable`` first, so it cannot fail on a value's type)."""
    return json.dumps(reportable(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def minimality(failure: dict[str, Any]) -> tuple[int, str]:
    """How small a failure's input is; the smaller key is the more minimal example.

    'Minimal' means the shortest input in canonical JSON (keys sorted, no spaces), ties
    broken by that text: the shortlex order Hypothesis shrinks by, applied to what the
    report shows. An input of ``None`` (no request body) is the smallest of all.
    """
    if failure.get("input") is None:
        return (0, "")
    text = canonical_json(failure["input"])
    return (len(text), text)


def verdict(
    summary: dict[str, int], not_run: int = 0, coverage: dict[str, Any] | None = None
) -> str:
    """The one-line verdict of a run from its ``summary`` counts; ``not_run`` registered
    invariants that the run did not select (``-k``, ``-m``) make it a partial verdict, as
    do operations of the coverage matrix (``coverage.Coverage.to_dict``) not run."""
    unimplemented = summary.get("unimplemented", 0)
    inapplicable = summary.get("not_applicable", 0)
    na = f"{_invariants(inapplicable)} not applicable (no wire)" if inapplicable else ""
    if summary.get("failed") or unimplemented:
        counted = [
            f"{_invariants(summary['failed'])} failed" if summary.get("failed") else "",
            f"{_invariants(unimplemented)} not implemented" if unimplemented else "",
            na,
        ]
        said = f"DOES NOT CONFORM ({', '.join(filter(None, counted))})"
    elif not summary.get("passed"):
        said = f"NOTHING CHECKED ({_invariants(summary.get('skipped', 0))} skipped)"
    elif summary.get("skipped"):
        said = f"CONFORMS on what was checked; {_invariants(summary['skipped'])} skipped"
        said += f"; {na}" if na else ""
    else:
        said = f"CONFORMS ({na})" if na else "CONFORMS"
    totals = (coverage or {}).get("totals") or {}
    operations_left = int(totals.get("not_run", 0))
    if not not_run and not operations_left:
        return said
    run = sum(summary.values())
    parts = [f"{run} of {_invariants(run + not_run)} run"] if not_run else []
    if operations_left:
        ran = int(totals.get("operations", 0)) - operations_left
        parts.append(f"{ran} of {totals.get('operations')} operations run")
    partial = "partial: " + "; ".join(parts)
    return f"{said[:-1]}; {partial})" if said.endswith(")") else f"{said} ({partial})"


def report_verdict(report: dict[str, Any]) -> str:
    """The verdict of a report.json dictionary (a replay's own, see ``replay_verdict``)."""
    if isinstance(report.get("replay"), dict):
        return replay_verdict(report["replay"])
    return verdict(
        report.get("summary") or {}, len(report.get("not_run") or []), report.get("coverage")
    )


def replay_verdict(replay: dict[str, Any]) -> str:
    """A replay's verdict: the recorded calls sent again, and how many answered otherwise."""
    calls, differing = int(replay.get("calls", 0)), int(replay.get("differing_calls", 0))
    if not calls:
        return "NOTHING REPLAYED (no recorded call could be sent here)"
    said = f"{calls} recorded call{'' if calls == 1 else 's'} replayed"
    if differing:
        return f"REPLAY DIFFERS ({differing} of {said} answered differently)"
    return f"REPLAY MATCHES ({said}, all answered as recorded)"


def _invariants(n: int) -> str:
    return f"{n} invariant{'' if n == 1 else 's'}"


def repeat_command(report: dict[str, Any]) -> str:
    """The command that repeats the run of a report (its replay, if it was one)."""
    parts = ["pytest --pyargs conformance"]
    endpoint = (report.get("target") or {}).get("endpoint")
    if isinstance(report.get("replay"), dict):
        parts.append(f"--replay {report['replay'].get('directory')}")
    if endpoint and endpoint != "reference":
        parts.append(f"--endpoint {endpoint}")
    if report.get("profile"):
        parts.append(f"--hypothesis-profile={report['profile']}")
    if report.get("seed") is not None:
        parts.append(f"--hypothesis-seed={report['seed']}")
    return " ".join(parts)


def load_schema() -> dict[str, Any]:
    """The JSON Schema of report.json (draft 2020-12)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return schema


def validate_report(report: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``report`` follows the schema."""
    import jsonschema

    jsonschema.Draft202012Validator(load_schema()).validate(report)


def how_found(entry: dict[str, Any]) -> list[str]:
    """A failed invariant's news about how its failure was come by, for the terminal and
    the page alike: found again first from the example database (a known failure), or
    shown before shrinking could finish (``entry``: a report.json invariant)."""
    said = []
    if entry.get("from_database"):
        said.append(
            "a known failure: found again first among the examples Hypothesis' database kept"
        )
    shrinking = entry.get("shrinking") or {}
    if shrinking.get("cut_short"):
        said.append(
            f"shrinking cut short after {shrinking['seconds']:.1f} s and {shrinking['examples']} "
            f"examples (--shrink-budget {shrinking['budget_s']:g}): the smallest input found "
            "so far is shown"
        )
    return said
