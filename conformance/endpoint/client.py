"""The one adapter between invariants and whatever answers: send, record, read.

``call`` sends what a botocore client sends: the parameters through botocore's
serializer (ClientToken filled in as botocore fills it, no parameter validation), its
user agent, retry and trace headers, SigV4 by botocore's signer; an error answer is also
read by botocore's parser, so the suite knows the error code boto3 users would see.
``call_raw`` signs and sends a body botocore would refuse to serialise. Both go through
a pool of keep-alive connections (``conformance.endpoint.transport``), record the raw exchange of
every attempt, and read the error type by Smithy's awsJson rules, not botocore's.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HeadersDict
from botocore.credentials import Credentials
from botocore.handlers import add_recursion_detection_header, generate_idempotent_uuid
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from botocore.useragent import UserAgentString

from conformance.endpoint import interrupts
from conformance.endpoint.exchange import Exchange
from conformance.endpoint.transport import Transport, TransportError
from strategies import DEFAULT_SERVICE, service_model

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
    unsent: str | None = None  # why nothing was sent (an in-process client could not send it)

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
    """Calls made; ``through_client`` of them went through a user's client
    (``--client-factory``), the others straight to the endpoint."""

    requests: int = 0
    throttled_retries: int = 0
    through_client: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, requests: int = 0, throttled: int = 0, through_client: int = 0) -> None:
        with self._lock:
            self.requests += requests
            self.throttled_retries += throttled
            self.through_client += through_client


class EndpointClient:
    """Talks to one endpoint as one account; safe to share between threads.

    ``wire``: its answers are raw HTTP exchanges with the endpoint (False for a user's
    in-process client, whose answers exist only as what the client returned)."""

    wire = True
    # a caller that reads no answer (a cleanup) needs no well-formed one: see ``tolerating``
    tolerant = False

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
        # where requests go: the endpoint's own path if it has one, else "/" (as botocore)
        self._request_url = url if urllib.parse.urlsplit(url).path else url + "/"
        self.region = region
        self.service = service
        self.credentials = credentials
        self.timeout = timeout
        self.stats = Stats()
        self.model = service_model(service)
        self._target_prefix = self.model.metadata["targetPrefix"]
        self._signing_name = self.model.signing_name
        self._serializer = create_serializer(self.model.protocol, include_validation=False)
        self._parser = create_parser(self.model.protocol)
        self._user_agent = UserAgentString.from_environment().to_string()
        self._silent = 0
        self._silence_lock = threading.Lock()
        self._transport = Transport(self._request_url, timeout)
        # told of every call once it has its final outcome (parity, recording)
        self.observers: list[Observer] = []

    @property
    def route(self) -> str:
        """How this client's calls reach what answers them, for the report."""
        return f"sent to {self.url} directly"

    def _observed(self, sent: Sent, outcome: Outcome) -> Outcome:
        for observe in self.observers:
            observe(sent, outcome)
        return outcome

    # -- as boto3 sends ------------------------------------------------------------
    def call(self, operation: str, params: dict[str, Any]) -> Outcome:
        """Send as a boto3 client would (boto3's reading of an error is kept too)."""
        return self._observed(Sent(operation, params), self._call(operation, params))

    def _call(self, operation: str, params: dict[str, Any]) -> Outcome:
        model = self.model.operation_model(operation)
        params = dict(params)
        generate_idempotent_uuid(params=params, model=model)
        try:
            request = self._serializer.serialize_to_request(params, model)
        except Exception as e:  # parameters botocore cannot serialise: the suite's bug
            raise RuntimeError(f"botocore did not send {operation}: {e}") from e
        send = self._attempts(operation, dict(request["headers"]), request["body"])
        return self._with_retries(lambda attempt: self._sdk_read(model, send(attempt)))

    def _sdk_read(self, model: Any, outcome: Outcome) -> Outcome:
        """The error code botocore's parser reads from an error answer (what a boto3
        ClientError carries); None when it cannot read one."""
        if outcome.status is not None and outcome.status >= 300:
            answer = {
                "status_code": outcome.status,
                "headers": HeadersDict(outcome.exchange.response_headers),
                "body": outcome.exchange.response_body,
            }
            try:
                parsed = self._parser.parse(answer, model.output_shape)
            except Exception:  # botocore's parsers raise many kinds on odd bodies
                parsed = {}
            code = parsed.get("Error", {}).get("Code") if isinstance(parsed, dict) else None
            outcome.sdk_error_code = code or None
        return outcome

    def _with_retries(self, send: Callable[[int], Outcome]) -> Outcome:
        """Count every attempt (``send`` is given its number, from 1); back off and retry
        throttling (bounded); give up on an endpoint that stopped answering."""
        retries = 0
        while True:
            interrupts.checkpoint()  # a Ctrl-C during the run stops it here (interrupts.py)
            outcome = send(retries + 1)
            self.stats.add(requests=1)
            self._note_silence(outcome)
            if outcome.error_code not in THROTTLING_CODES or retries >= MAX_THROTTLE_RETRIES:
                outcome.throttled_retries = retries
                return outcome
            retries += 1
            self.stats.add(throttled=1)
            time.sleep(min(0.02 * 2**retries, 1.0))

    def _note_silence(self, outcome: Outcome) -> None:
        if outcome.unsent is not None:  # nothing was asked of the endpoint
            return
        with self._silence_lock:
            self._silent = self._silent + 1 if outcome.status is None else 0
            silent = self._silent
        if silent >= MAX_SILENT_IN_A_ROW:
            raise EndpointUnavailable(
                f"{self.url} stopped answering ({silent} requests in a row got no response; "
                f"last: {outcome.exchange.error})"
            )

    # -- raw -----------------------------------------------------------------------
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
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": content_type}
        target_header = f"{self._target_prefix}.{operation}" if target is None else target
        if target_header:
            headers["X-Amz-Target"] = target_header
        outcome = self._with_retries(self._attempts(operation, headers, data, sign))
        return self._observed(Sent(operation, body, True, target, content_type, sign), outcome)

    # -- the wire ------------------------------------------------------------------
    def _attempts(
        self, operation: str, headers: dict[str, str], body: bytes, sign: bool = True
    ) -> Callable[[int], Outcome]:
        """Sends one call's attempt number N: all attempts share one invocation id."""
        invocation = str(uuid.uuid4())
        return lambda attempt: self._send(
            operation, headers, body, sign=sign, invocation=invocation, attempt=attempt
        )

    def _send(
        self,
        operation: str,
        headers: dict[str, str],
        body: bytes,
        *,
        sign: bool = True,
        invocation: str,
        attempt: int,
    ) -> Outcome:
        """One attempt: botocore's headers and signature on ``body``, the raw answer read.
        Retries of one call keep its invocation id and count up, as botocore's do."""
        url = self._request_url
        common = {
            **headers,
            "User-Agent": self._user_agent,
            "amz-sdk-invocation-id": invocation,
            "amz-sdk-request": f"attempt={attempt}",  # as botocore sends it, retries off
        }
        add_recursion_detection_header(params={"headers": common})  # in Lambda, as botocore
        request = AWSRequest(method="POST", url=url, data=body, headers=common)
        if sign:
            SigV4Auth(self.credentials, self._signing_name, self.region).add_auth(request)
        sent = dict(request.headers.items())
        started = time.perf_counter()
        try:
            answer = self._transport.post(sent, body)
        except TransportError as e:
            return Outcome(_exchange(operation, url, sent, body, started, error=str(e)))
        received = (answer.status, answer.headers, answer.body)
        return _read(_exchange(operation, url, sent, body, started, answer=received), None)

    @contextlib.contextmanager
    def tolerating(self) -> Iterator[None]:
        """Calls whose answers nobody reads (releasing what a test left): a client that
        checks what its answers look like (a user's wrapper) lets a bad one pass."""
        before, self.tolerant = self.tolerant, True
        try:
            yield
        finally:
            self.tolerant = before

    def close(self) -> None:
        self._transport.close()


def _exchange(
    operation: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    started: float,
    *,
    answer: tuple[int, dict[str, str], bytes] | None = None,
    error: str | None = None,
) -> Exchange:
    """Record a sent request and what came back (``started``: its perf_counter)."""
    status, response_headers, content = answer if answer is not None else (None, {}, b"")
    return Exchange.record(
        operation=operation,
        url=url,
        request_headers=headers,
        request_body=body,
        status=status,
        response_headers=response_headers,
        response_body=content,
        error=error,
        elapsed_s=time.perf_counter() - started,
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
