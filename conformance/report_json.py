"""report.json as a document: its schema, how values appear in it, what it implies.

Everything here reads or shapes a report dictionary and nothing else, so the model of
a run (``results``) and the writers of the files (``report_html``, ``badge``,
``report_files``) all depend on this module and never on each other backwards.

``reportable`` is the one place that decides how a value the run saw appears in a
report: the inputs the suite sent (a malformed body is raw bytes), response bodies and
headers all pass through it, so whatever reaches report.json is JSON by construction.
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
BYTES_KEY = "base64"  # bytes that are not UTF-8 text: {"base64": "<standard base64>"}


def reportable(value: Any) -> Any:
    """``value`` as plain JSON (dict with string keys, list, string, finite number, bool,
    None). Bytes become their text when they are valid UTF-8, else ``{"base64": ...}``;
    tuples and sets become lists, non-finite floats and other objects their text, and
    a string that cannot be written as UTF-8 (a lone surrogate) shows it escaped."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return _writable(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes_form(bytes(value))
    if isinstance(value, dict):
        return {_key(k): reportable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [reportable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((reportable(v) for v in value), key=canonical_json)
    return _writable(str(value))


def bytes_form(data: bytes) -> str | dict[str, str]:
    """Bytes in a report: the text if they are UTF-8, else the marked base64 form."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {BYTES_KEY: base64.b64encode(data).decode("ascii")}


def is_bytes_form(value: Any) -> bool:
    """Is ``value`` the marked form ``bytes_form`` gives bytes that are not UTF-8?"""
    return (
        isinstance(value, dict) and set(value) == {BYTES_KEY} and isinstance(value[BYTES_KEY], str)
    )


def _writable(text: str) -> str:
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _key(key: Any) -> str:
    """A dictionary key as JSON needs it: text (bytes decoded, undecodable ones escaped)."""
    if isinstance(key, bytes):
        return key.decode("utf-8", "backslashreplace")
    return _writable(key if isinstance(key, str) else str(key))


def canonical_json(value: Any) -> str:
    """Keys sorted, no spaces: the same value always gives the same text."""
    return json.dumps(reportable(value), sort_keys=True, separators=(",", ":"))


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


def verdict(summary: dict[str, int]) -> str:
    """The one-line verdict of a run from its ``summary`` counts."""
    if summary.get("failed"):
        return f"DOES NOT CONFORM ({_invariants(summary['failed'])} failed)"
    if not summary.get("passed"):
        return f"NOTHING CHECKED ({_invariants(summary.get('skipped', 0))} skipped)"
    if summary.get("skipped"):
        return f"CONFORMS on what was checked; {_invariants(summary['skipped'])} skipped"
    return "CONFORMS"


def _invariants(n: int) -> str:
    return f"{n} invariant{'' if n == 1 else 's'}"


def load_schema() -> dict[str, Any]:
    """The JSON Schema of report.json (draft 2020-12)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return schema


def validate_report(report: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``report`` follows the schema."""
    import jsonschema

    jsonschema.Draft202012Validator(load_schema()).validate(report)
