"""The awsJson1_0 wire layer: a raw request record in, a raw response record out.

An *app* is any callable ``RawRequest -> RawResponse``; the server only moves bytes
between sockets and an app. :class:`WireApp` is the default app: it reads the target
and the SigV4 credential scope, decodes the JSON body, calls a :class:`Service`, and
encodes the answer. Variants can wrap an app (raw bytes), wrap the service (parsed
dicts), or pass ``hooks`` that rewrite each :class:`Reply` before it is encoded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import errors as E
from . import model
from .service import ReferenceService, RequestContext, Service

log = logging.getLogger("conformance.reference")

CONTENT_TYPE = "application/x-amz-json-1.0"
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
_CREDENTIAL = re.compile(r"Credential=([^/\s,]+)/[^/\s,]*/([a-z0-9-]{1,32})/")


@dataclass(frozen=True)
class RawRequest:
    """One HTTP request as read: header names lower-cased, body fully read."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes


@dataclass
class RawResponse:
    """One HTTP response; the server adds Content-Length and Connection."""

    status: int
    headers: dict[str, str]
    body: bytes


App = Callable[[RawRequest], RawResponse]


@dataclass
class Reply:
    """A decoded answer on its way out: hooks may change any field."""

    operation: str | None
    params: dict[str, Any] | None
    context: RequestContext
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


ReplyHook = Callable[[Reply], Reply]


def context_for(headers: Mapping[str, str], request_id: str) -> RequestContext:
    """Account and region from ``Authorization: ... Credential=<key>/<date>/<region>/...``.

    A 12-digit access key is taken as the account id; any other key maps to a stable
    12-digit account derived from it; unsigned requests use DEFAULT_ACCOUNT. The
    signature itself is not checked.
    """
    found = _CREDENTIAL.search(headers.get("authorization", ""))
    if found is None:
        return RequestContext(DEFAULT_ACCOUNT, DEFAULT_REGION, request_id)
    key, region = found.groups()
    return RequestContext(_account_for(key), region, request_id)


@functools.lru_cache(maxsize=1024)
def _account_for(access_key: str) -> str:
    if len(access_key) == 12 and access_key.isdigit():
        return access_key
    digest = hashlib.sha256(access_key.encode()).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**12:012d}"


def new_request_id() -> str:
    """A random (version 4) UUID string; cheaper than ``str(uuid.uuid4())``."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def decode_body(body: bytes) -> dict[str, Any]:
    """The JSON object in ``body`` (empty means ``{}``), or SerializationException."""
    if not body.strip():
        return {}
    try:
        value = _DECODER.decode(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise E.serialization(f"Body is not valid UTF-8 (byte {exc.start})") from None
    except RecursionError:
        raise E.serialization("Body nests too deeply") from None
    except ValueError as exc:  # JSONDecodeError, over-long integers, NaN/Infinity
        raise E.serialization(f"Body is not valid JSON: {str(exc)[:200]}") from None
    if not isinstance(value, dict):
        raise E.serialization(f"Body must be a JSON object, not {type(value).__name__}")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_ENCODER = json.JSONEncoder(separators=(",", ":"))


def encode(
    status: int, body: dict[str, Any], request_id: str, extra: Mapping[str, str] | None = None
) -> RawResponse:
    """Serialise in one go; every answer carries the JSON content type and a request id."""
    headers = {"Content-Type": CONTENT_TYPE, "x-amzn-RequestId": request_id, **(extra or {})}
    return RawResponse(status, headers, _ENCODER.encode(body).encode())


def log_failure(what: str, request_id: str, exc: BaseException) -> None:
    """One stderr line per unexpected exception (not a traceback: a parent process that
    pipes our stderr without reading it must not fill the pipe and stall us)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    log.error("request %s: %s raised %r%s", request_id, what, exc, where)


def error_response(error: E.ServiceError, request_id: str | None = None) -> RawResponse:
    """The awsJson error answer for ``error`` (also used by the server and fault layer)."""
    return encode(error.status, error.body(), request_id or new_request_id())


class WireApp:
    """The default app: awsJson1_0 in front of a :class:`Service`."""

    def __init__(self, service: Service | None = None, hooks: Sequence[ReplyHook] = ()):
        self.service: Service = service if service is not None else ReferenceService()
        self.hooks = tuple(hooks)
        self._prefix = model.target_prefix() + "."

    def __call__(self, request: RawRequest) -> RawResponse:
        request_id = new_request_id()
        ctx = context_for(request.headers, request_id)
        reply = Reply(None, None, ctx, 200, {})
        try:
            reply.operation = self._operation(request)
            reply.params = decode_body(request.body)
            reply.body = self.service.handle(reply.operation, reply.params, ctx)
        except E.ServiceError as error:
            reply.status, reply.body = error.status, error.body()
        except Exception as exc:
            log_failure(f"the service ({reply.operation})", request_id, exc)
            reply.status, reply.body = 500, E.internal(request_id).body()
        try:
            for hook in self.hooks:
                reply = hook(reply)
            return encode(reply.status, reply.body, request_id, reply.headers)
        except Exception as exc:
            log_failure(f"a reply hook ({reply.operation})", request_id, exc)
            return error_response(E.internal(request_id), request_id)

    def _operation(self, request: RawRequest) -> str:
        target = request.headers.get("x-amz-target")
        if request.method != "POST":
            raise E.ServiceError("UnknownOperationException", f"{request.method} is not supported")
        if not target or not target.startswith(self._prefix):
            raise E.unknown_operation(target)
        operation = target[len(self._prefix) :]
        if operation not in self.service.operations:
            raise E.unknown_operation(target)
        return operation
