"""Driving a user's SDK wrapper (``--client-factory module:callable``) instead of botocore.

The factory is called once per run (per xdist worker) with keyword arguments it
accepts among:

- ``endpoint_url``: the URL of the endpoint under test;
- ``region_name``: the region to sign for;
- ``session``: a ``boto3.Session`` holding the run's (dummy) credentials and region, on
  which the suite registered its capture handlers;
- ``aio_session``: the same for aiobotocore (an ``AioSession``; needs the ``async`` extra).

It returns any object with boto3-style methods (``request_phone_number(**kwargs)``,
``describe_phone_numbers``, ``list_tags_for_resource``, ``update_phone_number``,
``release_phone_number``) that return the parsed response and raise botocore's
``ClientError``. Methods may be coroutines (aiobotocore clients, async wrappers), and
the factory itself may be ``async``: coroutines run on a private event loop in a
thread of their own.

What the suite judges on each call is what the wrapper's caller gets, put back into
wire terms: the value returned (serialised by the output shape), or the ClientError
raised. The raw exchange a client built from the given session sent and received is
kept for the report; where the wrapper's view differs from the wire (it swallowed an
error, or raised on a success) the exchange carries an ``X-Conformance-Wrapper`` header
saying so. A wrapper that ignores the session loses the raw exchanges: the suite then
judges what it can from the returned value and ``ResponseMetadata``. Such a wrapper also
signs with whatever credentials its own client finds: the suite's guarantee that only
dummy credentials reach a non-AWS endpoint holds only for clients built from ``session``.

A method that returns something other than a response dict (None, a string) breaks
the contract the suite's callers rely on: the call raises a ``WrapperError`` whose
message names the method and what it returned, a failure of the invariant the running
test checks; the ledger's cleanup (releasing what a test left, reading no answer) asks
the client to tolerate it (``EndpointClient.tolerating``).

Where the client's calls go decides what the suite judges through it. One read at the
start (DescribePhoneNumbers, MaxResults 1) shows whether the client sends HTTP to the
endpoint (``wire``):

- **a wrapper over an endpoint** (its client, built from ``session``, sent to the
  endpoint's URL): what the lifecycle, idempotency and answers' checks send goes through
  the wrapper; raw calls (invalid and malformed bodies, unknown targets) go to the
  endpoint directly, so those verdicts are the endpoint's, and the report says which
  invariant was judged which way;
- **an in-process client** (nothing captured on the wire to the endpoint: a mock that
  patches botocore, such as moto's ``mock_aws`` or mockmesh-aws, a Stubber, or a client
  not built from ``session``, whose wire the suite cannot see): everything goes through
  the client, raw bodies included (botocore's parameter validation is off in the
  ``session`` handed over, so invalid input reaches the mock), each operation by its
  method; what only a wire carries (malformed bytes, headers, the target header) is
  ``NoWire``, not applicable. Nothing is sent to the endpoint in its place.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import contextvars
import datetime
import importlib
import importlib.util
import inspect
import json
import reprlib
import sys
import threading
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore import xform_name
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import (
    ClientError,
    ConnectionError,
    HTTPClientError,
    ParamValidationError,
)
from botocore.model import ListShape, MapShape, Shape, StructureShape

from conformance.endpoint.client import EndpointClient, Outcome, Sent, _read
from conformance.endpoint.exchange import Exchange
from conformance.endpoint.reproduce import IN_PROCESS
from conformance.endpoint.served import NoWire, OperationWithheld

# The operations the suite sends through ``call`` (the lifecycle and the ledger).
REQUIRED_METHODS = (
    "request_phone_number",
    "describe_phone_numbers",
    "list_tags_for_resource",
    "update_phone_number",
    "release_phone_number",
)
NOTE_HEADER = "X-Conformance-Wrapper"
JSON_MEDIA_TYPE = "application/x-amz-json-1.0"
FACTORY_ARGUMENTS = ("endpoint_url", "region_name", "session", "aio_session")
_TRANSPORT_ERRORS = (ConnectionError, HTTPClientError)  # no answer: not the wrapper's fault


class WrapperError(Exception):
    """The wrapper broke its contract (not a ClientError, no answer): its message one line
    saying which call; ``params`` and ``exchange`` (the raw exchange its client made, if
    any) reproduce it. Raised while a test checks an invariant, it is a failure of that
    invariant, the wrapper's and not the endpoint's (the plugin, which runs the test,
    makes it one)."""

    def __init__(self, message: str, params: Any = None, exchange: Exchange | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params = params
        self.exchange = exchange


def load_factory(spec: str) -> Callable[..., Any]:
    """``package.module:callable`` or ``path/to/file.py:callable``."""
    module_name, _, attribute = spec.rpartition(":")
    if not module_name or not attribute:
        raise ValueError(f"--client-factory {spec!r}: expected module:callable")
    if module_name.endswith(".py"):
        path = Path(module_name).resolve()
        loaded = importlib.util.spec_from_file_location(path.stem, path)
        if loaded is None or loaded.loader is None:
            raise ValueError(f"--client-factory {spec!r}: cannot load {path}")
        module = importlib.util.module_from_spec(loaded)
        sys.modules[path.stem] = module
        loaded.loader.exec_module(module)
    else:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            # the console script `pytest` does not put the working directory on sys.path
            sys.path.insert(0, str(Path.cwd()))
            module = importlib.import_module(module_name)
    factory = getattr(module, attribute, None)
    if not callable(factory):
        raise ValueError(f"--client-factory {spec!r}: {attribute} is not a callable")
    return factory


class _LoopThread:
    """A private event loop in a daemon thread; runs coroutines for any caller thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, awaitable: Awaitable[Any], timeout: float | None = None) -> Any:
        async def wrapped() -> Any:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wrapped(), self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self.loop.close()


@dataclass
class _Capture:
    """The last HTTP attempt a wrapper's client made during one call."""

    request: Any = None
    started: float = 0.0
    status: int | None = None
    headers: dict[str, str] | None = None
    body: bytes = b""
    error: str | None = None


_CURRENT: contextvars.ContextVar[_Capture | None] = contextvars.ContextVar(
    "conformance_capture", default=None
)


def _before_send(request: Any, **_: Any) -> None:
    capture = _CURRENT.get()
    if capture is not None:
        capture.request, capture.started = request, time.perf_counter()
        capture.status, capture.headers, capture.body, capture.error = None, None, b"", None


def _response_received(
    response_dict: dict[str, Any] | None = None, exception: Any = None, **_: Any
) -> None:
    capture = _CURRENT.get()
    if capture is None or capture.request is None:
        return
    if response_dict is not None:
        capture.status = int(response_dict["status_code"])
        capture.headers = {str(k): str(v) for k, v in response_dict["headers"].items()}
        body = response_dict.get("body") or b""
        capture.body = body if isinstance(body, bytes) else str(body).encode()
    else:
        capture.error = f"{type(exception).__name__}: {exception}"


class WrapperClient(EndpointClient):
    """An EndpointClient whose ``call`` goes through the user's wrapper."""

    def __init__(
        self,
        url: str,
        region: str,
        credentials: Credentials,
        factory: Callable[..., Any],
        *,
        timeout: float = 10.0,
        name: str = "",
    ) -> None:
        super().__init__(url, region, credentials, timeout=timeout)
        self.name = name or getattr(factory, "__qualname__", repr(factory))
        self._loop: _LoopThread | None = None
        self._loop_lock = threading.Lock()
        self._session: Any = None
        available = {
            "endpoint_url": lambda: self.url,
            "region_name": lambda: self.region,
            "session": self._boto3_session,
            "aio_session": self._aio_session,
        }
        wanted = _accepted(factory)
        wrapper = factory(
            **{name: available[name]() for name in FACTORY_ARGUMENTS if name in wanted}
        )
        if inspect.isawaitable(wrapper):
            wrapper = self._loop_thread().run(wrapper, timeout)
        missing = [m for m in REQUIRED_METHODS if not callable(getattr(wrapper, m, None))]
        if missing:
            raise WrapperError(
                f"the client factory's object ({type(wrapper).__name__}) lacks "
                f"{', '.join(missing)}: the suite calls {', '.join(REQUIRED_METHODS)}"
            )
        self.wrapper = wrapper
        self.wire = self._reaches_wire()

    @property
    def route(self) -> str:
        if self.wire:
            return f"through the client {self.name}, which sends to {self.url}"
        return f"in-process client {self.name}: no wire"

    def _reaches_wire(self) -> bool:
        """Whether the client sends its calls as HTTP to the endpoint: one read through
        it, and what its session's capture handlers saw (a mock that patches botocore
        answers before anything is sent, or from another URL)."""
        capture = _Capture()
        # any answer, or none, says nothing more than the capture
        with contextlib.suppress(Exception):
            self._invoke(self.wrapper.describe_phone_numbers, {"MaxResults": 1}, capture)
        request = capture.request
        return request is not None and _same_origin(str(request.url), self.url)

    # -- what the factory is given ---------------------------------------------------
    def _boto3_session(self) -> Any:
        import boto3
        import botocore.session

        core = botocore.session.Session()
        self._instrument(core)
        self._session = boto3.Session(botocore_session=core)
        return self._session

    def _aio_session(self) -> Any:
        try:
            from aiobotocore.session import AioSession
        except ImportError as e:  # pragma: no cover - depends on the installed extras
            raise WrapperError(
                "the client factory asks for aio_session: install the async extra "
                '(pip install "pinpoint-sms-conformance[async]")'
            ) from e
        session = AioSession()
        self._instrument(session)
        return session

    def _instrument(self, session: Any) -> None:
        credentials = self.credentials
        session.set_credentials(credentials.access_key, credentials.secret_key, credentials.token)
        session.set_config_variable("region", self.region)
        # invalid input sent through an in-process client must reach the mock
        session.set_default_client_config(Config(parameter_validation=False))
        session.register("before-send", _before_send)
        session.register("response-received", _response_received)

    def _loop_thread(self) -> _LoopThread:
        with self._loop_lock:  # concurrent first calls share one loop
            if self._loop is None:
                self._loop = _LoopThread()
            return self._loop

    # -- calls -----------------------------------------------------------------------
    def _call(self, operation: str, params: dict[str, Any]) -> Outcome:
        method = getattr(self.wrapper, xform_name(operation), None)
        if not callable(method):
            raise OperationWithheld(f"the client has no method {xform_name(operation)}")
        return self._with_retries(lambda _attempt: self._send_wrapped(operation, method, params))

    def call_raw(
        self,
        operation: str,
        body: bytes | dict[str, Any] | Any,
        *,
        target: str | None = None,
        content_type: str = JSON_MEDIA_TYPE,
        sign: bool = True,
    ) -> Outcome:
        """Over a wire, straight to the endpoint. In process, a JSON object body goes
        through the client as its parameters; one that botocore's serializer cannot
        turn into a request is not sent (no client could send it); what only a wire
        can carry (bytes, another target or media type, no signature) is ``NoWire``."""
        if self.wire:
            return super().call_raw(
                operation, body, target=target, content_type=content_type, sign=sign
            )
        wire_only = target is not None or content_type != JSON_MEDIA_TYPE or not sign
        if wire_only or not isinstance(body, dict):
            raise NoWire(self.route)
        try:
            self._serializer.serialize_to_request(body, self.model.operation_model(operation))
        except Exception as e:  # botocore's serializer raises many kinds on odd values
            why = f"botocore cannot serialise it ({type(e).__name__}: {e})"
            return self._observed(Sent(operation, body), self._unsent(operation, body, why))
        return self.call(operation, body)

    def _unsent(self, operation: str, params: dict[str, Any], why: str) -> Outcome:
        """What a call the client could not send produced: no exchange, its reason."""
        why = f"not sent: {why}"
        exchange = self._exchange(operation, params, _Capture(error=why), 0.0, None, {}, b"")
        return Outcome(exchange, unsent=why)

    def _send_wrapped(self, operation: str, method: Any, params: dict[str, Any]) -> Outcome:
        capture = _Capture()
        self.stats.add(through_client=1)
        started = time.perf_counter()
        returned: Any = None
        raised: ClientError | None = None
        other: BaseException | None = None
        try:
            returned = self._invoke(method, params, capture)
        except ClientError as e:
            raised = e
        except ParamValidationError as e:
            if self.wire:  # the suite sends only valid input through a wrapper over a wire
                other = e
            else:  # a client that validates (not built from ``session``) refused to send it
                why = f"the client's parameter validation refused it ({e})"
                return self._unsent(operation, params, why)
        except Exception as e:
            other = e
        elapsed = time.perf_counter() - started
        if other is not None and capture.status is None:
            if capture.error is not None or isinstance(other, _TRANSPORT_ERRORS):
                capture.error = capture.error or f"{type(other).__name__}: {other}"
                return self._outcome(operation, params, capture, elapsed, None, None, other)
            raise self._broken(
                f"the wrapper's {xform_name(operation)} raised {type(other).__name__}: "
                f"{other} (no answer from the endpoint; wrappers raise botocore ClientError)",
                operation,
                params,
                capture,
                elapsed,
            ) from other
        if other is None and raised is None:
            if isinstance(returned, Mapping) and not isinstance(returned, dict):
                returned = dict(returned)
            if not isinstance(returned, dict) and not self.tolerant:
                answered = ""
                if capture.status is not None:
                    code = _wire_error_code(capture)
                    answered = f" (the endpoint answered HTTP {capture.status}{code})"
                raise self._broken(
                    f"the wrapper's {xform_name(operation)} returned {_short_repr(returned)}, "
                    f"not a response dict{answered}",
                    operation,
                    params,
                    capture,
                    elapsed,
                )
        return self._outcome(operation, params, capture, elapsed, returned, raised, other)

    def _broken(
        self,
        message: str,
        operation: str,
        params: dict[str, Any],
        capture: _Capture,
        elapsed: float,
    ) -> WrapperError:
        """The wrapper's broken contract, with the raw exchange its client made, if any."""
        self.stats.add(requests=1)  # the call was made; it is not counted on return
        self._release_hidden(operation, capture)
        exchange = None
        if capture.request is not None:
            exchange = self._exchange(
                operation,
                params,
                capture,
                elapsed,
                capture.status,
                {**(capture.headers or {}), NOTE_HEADER: message},
                capture.body,
            )
        return WrapperError(message, params, exchange)

    def _release_hidden(self, operation: str, capture: _Capture) -> None:
        """A number the endpoint created but the wrapper did not hand back never reaches
        the ledger: release it here, directly (as the ledger would, protection cleared)."""
        if operation != "RequestPhoneNumber" or capture.status is None or not self.wire:
            return
        if not 200 <= capture.status < 300:
            return
        try:
            number_id = json.loads(capture.body.decode("utf-8")).get("PhoneNumberId")
        except (ValueError, UnicodeDecodeError, AttributeError):
            return
        if isinstance(number_id, str):
            unprotect = {"PhoneNumberId": number_id, "DeletionProtectionEnabled": False}
            EndpointClient._call(self, "UpdatePhoneNumber", unprotect)
            EndpointClient._call(self, "ReleasePhoneNumber", {"PhoneNumberId": number_id})

    def _invoke(self, method: Any, params: dict[str, Any], capture: _Capture) -> Any:
        if inspect.iscoroutinefunction(method):
            return self._loop_thread().run(_captured(method(**params), capture))
        token = _CURRENT.set(capture)
        try:
            result = method(**params)
        finally:
            _CURRENT.reset(token)
        if inspect.isawaitable(result):  # a sync method handing back a coroutine
            return self._loop_thread().run(_captured(result, capture))
        return result

    def _outcome(
        self,
        operation: str,
        params: dict[str, Any],
        capture: _Capture,
        elapsed: float,
        returned: Any,
        raised: ClientError | None,
        other: BaseException | None,
    ) -> Outcome:
        wire_ok = capture.status is not None and 200 <= capture.status < 300
        note = None
        sdk_code = None
        if other is not None:  # answered, but the wrapper raised something else
            status, headers, body = capture.status, capture.headers or {}, capture.body
            sdk_code = type(other).__name__
            note = f"raised {type(other).__name__}, not ClientError"
        elif raised is not None:
            sdk_code = raised.response.get("Error", {}).get("Code") or None
            if capture.status is not None and not wire_ok:
                status, headers, body = capture.status, capture.headers or {}, capture.body
            else:
                status, headers = _metadata(raised.response, default_status=400)
                body = json.dumps(_error_body(raised.response)).encode()
                if wire_ok:
                    note = f"raised ClientError {sdk_code}; the wire answered HTTP {capture.status}"
        else:
            wire = self._output_to_wire(operation, returned)
            if capture.status is not None:
                status, headers = capture.status, capture.headers or {}
                if not wire_ok:
                    note = f"returned normally; the wire answered HTTP {capture.status}"
                    status = 200
            else:
                status, headers = _metadata(returned, default_status=200)
            body = json.dumps(wire).encode()
        if not self.wire:
            note = (
                "no raw exchange: the client sent nothing the suite could see (in process, "
                "or it did not use the given session); the answer as the client gave it"
            ) + (f"; {note}" if note else "")
        if note:
            headers = {**headers, NOTE_HEADER: note}
        exchange = self._exchange(operation, params, capture, elapsed, status, headers, body)
        if status is None:
            return Outcome(exchange)
        return _read(exchange, sdk_code)

    def _exchange(
        self,
        operation: str,
        params: dict[str, Any],
        capture: _Capture,
        elapsed: float,
        status: int | None,
        headers: dict[str, str],
        body: bytes,
    ) -> Exchange:
        request = capture.request
        if request is not None:
            url, request_headers = request.url, dict(request.headers)
            sent = request.body or b""
            sent = sent if isinstance(sent, bytes) else str(sent).encode()
        else:
            url = self.url + "/"
            request_headers = {"X-Amz-Target": f"{self._target_prefix}.{operation}"}
            sent = json.dumps(params, default=str).encode()
        if not self.wire:  # what a mock was handed is no HTTP request to send again
            url = f"{IN_PROCESS}{self.name}"
        return Exchange.record(
            operation=operation,
            url=url,
            request_headers=request_headers,
            request_body=sent,
            status=status,
            response_headers=headers,
            response_body=body,
            error=capture.error if status is None else None,
            elapsed_s=elapsed,
        )

    def _output_to_wire(self, operation: str, value: Any) -> Any:
        """What the wrapper returned, as the wire would carry it (epoch timestamps,
        base64 blobs, no ResponseMetadata); anything that is not a dict as is."""
        if not isinstance(value, dict):
            return value
        shape = self.model.operation_model(operation).output_shape
        value = {k: v for k, v in value.items() if k != "ResponseMetadata"}
        return _to_wire(shape, value) if shape is not None else value

    def close(self) -> None:
        closer = getattr(getattr(self, "wrapper", None), "close", None)
        try:
            if callable(closer):
                result = closer()
                if inspect.isawaitable(result):
                    self._loop_thread().run(result, self.timeout)
        finally:
            if self._loop is not None:
                self._loop.close()
            super().close()


async def _captured(coroutine: Coroutine[Any, Any, Any] | Awaitable[Any], capture: _Capture) -> Any:
    _CURRENT.set(capture)  # the task runs in a copy of the context: this stays local
    return await coroutine


def _same_origin(url: str, other: str) -> bool:
    """Same scheme, host and port (a default port spelt or not)."""
    a, b = urllib.parse.urlsplit(url), urllib.parse.urlsplit(other)
    defaults = {"http": 80, "https": 443}
    return (
        a.scheme == b.scheme
        and (a.hostname or "").lower() == (b.hostname or "").lower()
        and (a.port or defaults.get(a.scheme)) == (b.port or defaults.get(b.scheme))
    )


def _short_repr(value: Any) -> str:
    """What a wrapper returned, short and on one line."""
    if value is None:
        return "None"
    return f"{reprlib.repr(value)} (a {type(value).__name__})".replace("\n", "\\n")


def _wire_error_code(capture: _Capture) -> str:
    if capture.status is None or capture.status < 300:
        return ""
    try:
        body = json.loads(capture.body.decode("utf-8")) if capture.body else {}
    except (ValueError, UnicodeDecodeError):
        return ""
    code = body.get("__type") if isinstance(body, dict) else None
    return f" {str(code).rpartition('#')[2]}" if code else ""


def _accepted(factory: Callable[..., Any]) -> set[str]:
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):
        return set(FACTORY_ARGUMENTS[:3])
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return set(FACTORY_ARGUMENTS[:3])
    return {p.name for p in parameters}


def _metadata(response: Any, default_status: int) -> tuple[int, dict[str, str]]:
    meta = response.get("ResponseMetadata", {}) if isinstance(response, dict) else {}
    status = meta.get("HTTPStatusCode") or default_status
    headers = {str(k): str(v) for k, v in (meta.get("HTTPHeaders") or {}).items()}
    return int(status), headers


def _error_body(response: Any) -> dict[str, Any]:
    """An awsJson error body from what botocore parsed (code, message, modelled members)."""
    error = response.get("Error", {})
    body: dict[str, Any] = {
        k: v for k, v in response.items() if k not in ("Error", "ResponseMetadata")
    }
    body["__type"] = error.get("Code", "")
    if "Message" in error:
        body["Message"] = error["Message"]
    return body


def _to_wire(shape: Shape, value: Any) -> Any:
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        members = shape.members
        return {k: _to_wire(members[k], v) if k in members else _plain(v) for k, v in value.items()}
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [_to_wire(shape.member, v) for v in value]
    if isinstance(shape, MapShape) and isinstance(value, dict):
        return {k: _to_wire(shape.value, v) for k, v in value.items()}
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
