"""The one adapter between invariants and whatever answers: send, record, read.

``call`` goes through a botocore client (SigV4 signed, retries off, parameter
validation off) so boto3 compatibility is exercised; ``call_raw`` signs and sends a body
botocore would refuse to serialise. Both record the raw exchange of every attempt, and
both read the error type by Smithy's awsJson rules, not botocore's.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import botocore.session
import urllib3
from botocore import xform_name
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import BotoCoreError, ClientError

from strategies import DEFAULT_SERVICE, service_model

from . import interrupts
from .exchange import Exchange

THROTTLING_CODES = frozenset({"ThrottlingException", "Throttling", "TooManyRequestsException"})
MAX_THROTTLE_RETRIES = 8
MAX_SILENT_IN_A_ROW = 3


class EndpointUnavailable(BaseException):
    """The endpoint stopped answering: ends the run instead of failing every example.

    A BaseException so that Hypothesis does not shrink on it or retry it.
    """


def error_type(headers: dict[str, str], body: Any) -> str | None:
    """The error code by Smithy's awsJson rules.

    ``X-Amzn-Errortype`` first, else ``__type``, else ``code``; everything after the
    first ``:`` is cut, then everything up to the last ``#``.
    """
    raw = next((v for k, v in headers.items() if k.lower() == "x-amzn-errortype"), None)
    if raw is None and isinstance(body, dict):
        raw = body.get("__type", body.get("code"))
    if not isinstance(raw, str) or not raw:
        return None
    return raw.split(":", 1)[0].rsplit("#", 1)[-1] or None


def error_message(body: Any) -> str | None:
    if isinstance(body, dict):
        message = body.get("Message", body.get("message"))
        return message if isinstance(message, str) else None
    return None


@dataclass
class Outcome:
    """What one call produced: the final exchange and how to read it."""

    exchange: Exchange
    body: Any = None  # parsed JSON, or None when the body is not JSON
    json_error: str | None = None  # why the body could not be parsed
    error_code: str | None = None  # by Smithy's rules
    sdk_error_code: str | None = None  # what botocore read (None on raw calls)
    throttled_retries: int = 0

    @property
    def status(self) -> int | None:
        return self.exchange.status

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def is_client_error(self) -> bool:
        return self.status is not None and 400 <= self.status < 500

    @property
    def is_server_error(self) -> bool:
        return self.status is not None and self.status >= 500


@dataclass(frozen=True)
class Sent:
    """What the suite asked a client to send, so that it can be sent again elsewhere
    (parity mirrors it to a second endpoint; a recording keeps it for replay)."""

    operation: str
    params: Any  # keyword arguments (botocore path) or the body (raw path)
    raw: bool = False
    target: str | None = None
    content_type: str = "application/x-amz-json-1.0"
    sign: bool = True

    def send(self, client: EndpointClient, params: Any = None) -> Outcome:
        """Send the same request through ``client`` (with ``params`` instead, if given)."""
        payload = self.params if params is None else params
        if not self.raw:
            return client.call(self.operation, payload)
        return client.call_raw(
            self.operation,
            payload,
            target=self.target,
            content_type=self.content_type,
            sign=self.sign,
        )


Observer = Callable[[Sent, "Outcome"], None]


@dataclass
class Stats:
    requests: int = 0
    throttled_retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, requests: int = 0, throttled: int = 0) -> None:
        with self._lock:
            self.requests += requests
            self.throttled_retries += throttled


class EndpointClient:
    """Talks to one endpoint as one account; safe to share between threads."""

    def __init__(
        self,
        url: str,
        region: str,
        credentials: Credentials,
        *,
        timeout: float = 10.0,
        service: str = DEFAULT_SERVICE,
    ) -> None:
        self.url = url.rstrip("/")
        self.region = region
        self.service = service
        self.credentials = credentials
        self.timeout = timeout
        self.stats = Stats()
        self.model = service_model(service)
        self._target_prefix = self.model.metadata["targetPrefix"]
        self._signing_name = self.model.signing_name
        self._local = threading.local()
        self._silent = 0
        self._silence_lock = threading.Lock()
        session = botocore.session.Session()
        self._client = session.create_client(
            service,
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id=credentials.access_key,
            aws_secret_access_key=credentials.secret_key,
            aws_session_token=credentials.token,
            config=Config(
                retries={"total_max_attempts": 1},
                parameter_validation=False,
                connect_timeout=timeout,
                read_timeout=timeout,
                max_pool_connections=32,
            ),
        )
        events = self._client.meta.events
        events.register("before-send", self._before_send)
        events.register("after-call", self._after_call)
        events.register("before-parse", self._before_parse)
        self._pool = urllib3.PoolManager(maxsize=32, retries=False)
        # told of every call once it has its final outcome (parity, recording)
        self.observers: list[Observer] = []

    def _observed(self, sent: Sent, outcome: Outcome) -> Outcome:
        for observe in self.observers:
            observe(sent, outcome)
        return outcome

    # -- botocore path -------------------------------------------------------------
    def _before_send(self, request: Any, **_: Any) -> None:
        self._local.request = request
        self._local.started = time.perf_counter()

    def _after_call(self, http_response: Any, **_: Any) -> None:
        self._local.response = http_response

    def _before_parse(self, response_dict: dict[str, Any], **_: Any) -> None:
        """Keep the answer before botocore parses it: an answer botocore cannot parse
        (a timestamp in milliseconds) is still an answer, not silence."""
        self._local.response = SimpleNamespace(
            status_code=response_dict["status_code"],
            headers=response_dict["headers"],
            content=response_dict["body"],
        )

    def call(self, operation: str, params: dict[str, Any]) -> Outcome:
        """Send through botocore (boto3's own reading of the answer is kept too)."""
        return self._observed(Sent(operation, params), self._call(operation, params))

    def _call(self, operation: str, params: dict[str, Any]) -> Outcome:
        method = getattr(self._client, xform_name(operation))
        return self._with_retries(lambda: self._send_botocore(operation, method, params))

    def _send_botocore(self, operation: str, method: Any, params: dict[str, Any]) -> Outcome:
        self._local.request = self._local.response = None
        sdk_code = None
        failure = None
        try:
            method(**params)
        except ClientError as e:
            sdk_code = e.response.get("Error", {}).get("Code") or None
        # botocore's parsers raise these on answers of the wrong shape (a map for a list)
        except (BotoCoreError, ValueError, TypeError, AttributeError, KeyError, IndexError) as e:
            failure = f"{type(e).__name__}: {e}"
        return self._outcome_from_botocore(operation, sdk_code, failure)

    def _with_retries(self, send: Any) -> Outcome:
        """Count every attempt; back off and retry throttling (bounded); give up on an
        endpoint that stopped answering."""
        retries = 0
        while True:
            interrupts.checkpoint()  # a Ctrl-C during the run stops it here (interrupts.py)
            outcome: Outcome = send()
            self.stats.add(requests=1)
            self._note_silence(outcome)
            if outcome.error_code not in THROTTLING_CODES or retries >= MAX_THROTTLE_RETRIES:
                outcome.throttled_retries = retries
                return outcome
            retries += 1
            self.stats.add(throttled=1)
            time.sleep(min(0.02 * 2**retries, 1.0))

    def _note_silence(self, outcome: Outcome) -> None:
        with self._silence_lock:
            self._silent = self._silent + 1 if outcome.status is None else 0
            silent = self._silent
        if silent >= MAX_SILENT_IN_A_ROW:
            raise EndpointUnavailable(
                f"{self.url} stopped answering ({silent} requests in a row got no response; "
                f"last: {outcome.exchange.error})"
            )

    def _outcome_from_botocore(
        self, operation: str, sdk_code: str | None, failure: str | None
    ) -> Outcome:
        request = self._local.request
        response = self._local.response
        if request is None:
            raise RuntimeError(f"botocore did not send {operation}: {failure}")
        elapsed = _since(self._local.started)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        if response is None:
            return Outcome(
                _exchange(operation, request, body, elapsed, error=failure or "no response")
            )
        answer = (response.status_code, dict(response.headers), response.content)
        return _read(_exchange(operation, request, body, elapsed, answer=answer), sdk_code)

    # -- raw path --------------------------------------------------------------------
    def call_raw(
        self,
        operation: str,
        body: bytes | dict[str, Any] | Any,
        *,
        target: str | None = None,
        content_type: str = "application/x-amz-json-1.0",
        sign: bool = True,
    ) -> Outcome:
        """Send any body (a dict or list is JSON-encoded), SigV4-signed like botocore would.

        ``target`` overrides the ``X-Amz-Target`` header ("" leaves it out).
        """
        outcome = self._with_retries(
            lambda: self._send_raw(operation, body, target, content_type, sign)
        )
        return self._observed(Sent(operation, body, True, target, content_type, sign), outcome)

    def _send_raw(
        self, operation: str, body: Any, target: str | None, content_type: str, sign: bool
    ) -> Outcome:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": content_type}
        target_header = f"{self._target_prefix}.{operation}" if target is None else target
        if target_header:
            headers["X-Amz-Target"] = target_header
        request = AWSRequest(method="POST", url=self.url + "/", data=data, headers=headers)
        if sign:
            SigV4Auth(self.credentials, self._signing_name, self.region).add_auth(request)
        prepared = request.prepare()
        started = time.perf_counter()
        try:
            response = self._pool.request(
                "POST",
                prepared.url,
                body=data,
                headers=dict(prepared.headers),
                timeout=urllib3.Timeout(total=self.timeout),
                redirect=False,
            )
        except urllib3.exceptions.HTTPError as e:
            error = f"{type(e).__name__}: {e}"
            return Outcome(_exchange(operation, prepared, data, _since(started), error=error))
        answer = (response.status, dict(response.headers), response.data)
        return _read(_exchange(operation, prepared, data, _since(started), answer=answer), None)

    def close(self) -> None:
        self._client.close()
        self._pool.clear()


def _since(started: float) -> float:
    return time.perf_counter() - started


def _exchange(
    operation: str,
    request: Any,
    body: bytes,
    elapsed: float,
    *,
    answer: tuple[int, dict[str, str], bytes] | None = None,
    error: str | None = None,
) -> Exchange:
    """Record a sent request (``url`` and ``headers`` attributes) and what came back."""
    status, headers, content = answer if answer is not None else (None, {}, b"")
    return Exchange.record(
        operation=operation,
        url=request.url,
        request_headers=dict(request.headers),
        request_body=body,
        status=status,
        response_headers=headers,
        response_body=content,
        error=error,
        elapsed_s=elapsed,
    )


def _read(exchange: Exchange, sdk_code: str | None) -> Outcome:
    outcome = Outcome(exchange, sdk_error_code=sdk_code)
    try:
        outcome.body = exchange.json()
    except (ValueError, UnicodeDecodeError) as e:
        outcome.json_error = f"{type(e).__name__}: {e}"
    if not outcome.ok:
        outcome.error_code = error_type(exchange.response_headers, outcome.body)
    return outcome


DUMMY_SECRET = "conformance-dummy"


def dummy_credentials(access_key: str | None = None) -> Credentials:
    """Static credentials for non-AWS endpoints; a fresh access key is a fresh account."""
    key = access_key or f"AKIDCONFORMANCE{uuid.uuid4().hex[:12].upper()}"
    return Credentials(key, DUMMY_SECRET)
