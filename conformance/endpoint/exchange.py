"""Raw exchanges: what went on the wire and what came back, byte for byte.

The suite judges these, not the SDK's reading of them. Secrets (signatures, session
tokens, access key ids) are redacted when an exchange is recorded, so nothing that
reaches a message or a report can leak them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from conformance.endpoint.json_forms import bytes_form

_SIGNATURE = re.compile(r"(Signature=)[0-9a-fA-F]+")
_CREDENTIAL = re.compile(r"(Credential=)([A-Z0-9]{4})[A-Z0-9]+")
_SECRET_HEADERS = {"x-amz-security-token"}


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    out = {}
    for name, value in headers.items():
        if name.lower() in _SECRET_HEADERS:
            value = "<redacted>"
        elif name.lower() == "authorization":
            value = _CREDENTIAL.sub(r"\1\2<redacted>", _SIGNATURE.sub(r"\1<redacted>", value))
        out[name] = value
    return out


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response (``status`` None: no response arrived)."""

    operation: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""
    error: str | None = None  # transport failure (timeout, refused connection)
    elapsed_s: float = 0.0

    @classmethod
    def record(cls, **fields: Any) -> Exchange:
        fields["request_headers"] = redact_headers(
            {str(k): _text(v) for k, v in fields["request_headers"].items()}
        )
        fields["response_headers"] = {
            str(k): _text(v) for k, v in fields.get("response_headers", {}).items()
        }
        return cls(**fields)

    def header(self, name: str) -> str | None:
        """A response header, case-insensitively."""
        lowered = name.lower()
        for key, value in self.response_headers.items():
            if key.lower() == lowered:
                return value
        return None

    def json(self) -> Any:
        """The response body as JSON; raises ValueError when it is not JSON (NaN and
        Infinity, which Python's parser takes by default, are not JSON: RFC 8259 6)."""
        if not self.response_body:
            return {}
        return json.loads(self.response_body.decode("utf-8"), parse_constant=_not_json)

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "request": {
                "method": "POST",
                "url": self.url,
                "headers": self.request_headers,
                "body": bytes_form(self.request_body),
            },
            "response": None
            if self.status is None
            else {
                "status": self.status,
                "headers": self.response_headers,
                "body": bytes_form(self.response_body),
            },
            "error": self.error,
            "elapsed_s": round(self.elapsed_s, 4),
        }

    def describe(self, limit: int = 2000) -> str:
        """The exchange as HTTP text, for failure messages: control characters and bytes
        that are not UTF-8 shown escaped (``readable``), never raw."""
        lines = [f"POST {readable(self.url)}"]
        lines += [f"{readable(k)}: {readable(v)}" for k, v in self.request_headers.items()]
        lines += ["", _clip(readable(self.request_body, layout=True), limit), ""]
        if self.status is None:
            lines.append(f"<no response: {readable(str(self.error))}>")
        else:
            lines.append(f"HTTP {self.status}")
            lines += [f"{readable(k)}: {readable(v)}" for k, v in self.response_headers.items()]
            lines += ["", _clip(readable(self.response_body, layout=True), limit)]
        return "\n".join(lines)


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def readable(data: bytes | str, layout: bool = False) -> str:
    """Text a person can read safely: UTF-8 as is, every byte that is not UTF-8 as
    ``\\xNN``, and every control or invisible character (NUL, ESC, CR, bidi overrides)
    as ``\\xNN``/``\\uNNNN``; with ``layout``, newlines and tabs are kept."""
    text = data.decode("utf-8", "backslashreplace") if isinstance(data, bytes) else data
    if text.isprintable():
        return text
    kept = "\n\t" if layout else ""
    return "".join(c if c.isprintable() or c in kept else _escaped(c) for c in text)


def _escaped(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")
