"""Values the run saw as plain JSON: the one place that decides how bytes, odd strings
and other objects appear in a record, a recording or a report.

The inputs the suite sent (a malformed body is raw bytes), response bodies and headers
all pass through ``reportable``, so whatever is written is JSON by construction.
"""

from __future__ import annotations

import base64
import json
import math
from typing import Any

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
