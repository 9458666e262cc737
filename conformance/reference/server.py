"""The loopback HTTP/1.1 server: sockets in, an app call, sockets out.

A thread per connection with keep-alive. The HTTP parsing is done here rather than by
``http.server`` so that *every* answer, including refusals of malformed HTTP, is an
awsJson body with a request id, never an HTML page or a 5xx, and so that:

- each response leaves in one ``sendall`` of headers + body, on a socket with
  ``TCP_NODELAY`` (two small writes on loopback can cost ~40 ms through delayed ACK);
- bodies above ``max_body_bytes`` are refused from Content-Length before being read;
  a missing Content-Length means an empty body; an invalid one, chunked bodies or a
  body shorter than announced are refused and the connection closed;
- ``timeout`` bounds how long a connection may sit idle or stall mid-request.

Choices, not known AWS behaviour: an oversized body answers ValidationException
``MAXIMUM_SIZE_EXCEEDED`` (400); unreadable HTTP answers SerializationException (400).
"""

from __future__ import annotations

import contextlib
import http
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any, BinaryIO, cast

from . import errors as E
from .faults import FaultInjector
from .service import Service
from .wire import (
    App,
    RawRequest,
    RawResponse,
    ReplyHook,
    WireApp,
    error_response,
    log_failure,
    new_request_id,
)

MAX_LINE = 16 * 1024
MAX_HEADERS = 100
DEFAULT_MAX_BODY = 1024 * 1024
_LINGER_BYTES = 8 * 1024 * 1024
_LINGER_SECONDS = 2.0
_REASONS = {s.value: s.phrase for s in http.HTTPStatus}


class ReferenceServer:
    """The reference endpoint on ``host:port`` (``port=0``: a free port), in a thread.

    ``with ReferenceServer() as srv: srv.url``. By default it serves a :class:`WireApp`
    around ``service`` (a fresh ReferenceService if None) with reply ``hooks``; pass
    ``app`` instead to serve any ``RawRequest -> RawResponse`` callable. ``throttle_rate``
    and ``latency`` (seconds) wrap the app in a :class:`FaultInjector` seeded by ``seed``.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        app: App | None = None,
        service: Service | None = None,
        hooks: Sequence[ReplyHook] = (),
        throttle_rate: float = 0.0,
        latency: float = 0.0,
        seed: int | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY,
        timeout: float = 30.0,
    ):
        if app is not None and (service is not None or hooks):
            raise ValueError("pass either app, or service/hooks for the default app")
        self.service: Service | None = None
        if app is None:
            wire = WireApp(service, hooks)
            self.service = wire.service
            app = wire
        if throttle_rate or latency:
            app = FaultInjector(app, throttle_rate=throttle_rate, latency=latency, seed=seed)
        self.app: App = app
        self.max_body_bytes = max_body_bytes
        self.timeout = timeout
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._server = _TCPServer((host, port), family, self)
        address = self._server.server_address
        self.host, self.port = str(address[0]), int(address[1])
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> ReferenceServer:
        """Serve in a daemon thread; returns at once."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"reference-server-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, cut open connections, release the port. Idempotent."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.close_connections()
        self._server.server_close()

    def __enter__(self) -> ReferenceServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], family: int, owner: ReferenceServer):
        self.address_family = family
        self.owner = owner
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Connection)

    def close_connections(self) -> None:
        with self.connections_lock:
            open_now = list(self.connections)
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if exc is not None:
            log_failure(f"the connection from {client_address}", "-", exc)


class _Refused(Exception):
    """The request cannot be read further: answer ``error`` and close."""

    def __init__(self, error: E.ServiceError):
        super().__init__(error.message)
        self.error = error


class _Connection(socketserver.BaseRequestHandler):
    """One client connection: read requests, answer each in one send, until closed."""

    server: _TCPServer
    request: socket.socket

    def setup(self) -> None:
        self.owner = self.server.owner
        if self.request.family in (socket.AF_INET, socket.AF_INET6):
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request.settimeout(self.owner.timeout)
        with self.server.connections_lock:
            self.server.connections.add(self.request)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.request)

    def handle(self) -> None:
        rfile = cast(BinaryIO, self.request.makefile("rb", 64 * 1024))
        try:
            try:
                while self._serve_one(rfile):
                    pass
            except _Refused as refused:
                self._send(error_response(refused.error), keep_alive=False)
                self._linger()
        except OSError:  # reset, broken pipe, idle timeout, shut down by stop()
            pass
        finally:
            rfile.close()

    def _serve_one(self, rfile: BinaryIO) -> bool:
        """Read and answer one request; False when the connection should close."""
        line = rfile.readline(MAX_LINE + 1)
        for _ in range(8):  # tolerate stray blank lines between requests (RFC 9112 2.2)
            if line not in (b"\r\n", b"\n"):
                break
            line = rfile.readline(MAX_LINE + 1)
        if not line:
            return False
        if len(line) > MAX_LINE or not line.endswith(b"\n"):
            raise _Refused(E.serialization("Request line too long or incomplete"))
        parts = line.split()
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            raise _Refused(E.serialization("Malformed HTTP request line"))
        method, path, version = (p.decode("latin-1") for p in parts)
        headers = _read_headers(rfile)
        connection = {t.strip().lower() for t in headers.get("connection", "").split(",")}
        keep_alive = "close" not in connection and (
            version != "HTTP/1.0" or "keep-alive" in connection
        )
        length = self._content_length(headers)
        if length and headers.get("expect", "").lower() == "100-continue":
            self.request.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        try:
            body = rfile.read(length) if length else b""
        except TimeoutError:
            raise _Refused(E.serialization("Timed out reading the request body")) from None
        if len(body) < length:
            raise _Refused(E.serialization(f"Body ended after {len(body)} of {length} bytes"))
        try:
            response = self.owner.app(RawRequest(method, path, headers, body))
            if not isinstance(response, RawResponse):
                raise TypeError(f"app returned {type(response).__name__}, not RawResponse")
        except Exception as exc:
            request_id = new_request_id()
            log_failure(f"the app ({headers.get('x-amz-target')})", request_id, exc)
            response = error_response(E.internal(request_id), request_id)
        self._send(response, keep_alive)
        return keep_alive

    def _content_length(self, headers: dict[str, str]) -> int:
        if "transfer-encoding" in headers:
            raise _Refused(
                E.serialization("Transfer-Encoding is not supported; send Content-Length")
            )
        raw = headers.get("content-length")
        if raw is None:
            return 0
        values = {v.strip() for v in raw.split(",")}
        value = values.pop() if len(values) == 1 else ""
        if not (value.isascii() and value.isdigit()) or len(value) > 18:
            raise _Refused(E.serialization(f"Invalid Content-Length {raw[:40]!r}"))
        length = int(value)
        if length > self.owner.max_body_bytes:
            raise _Refused(
                E.invalid(
                    E.MAXIMUM_SIZE_EXCEEDED,
                    "body",
                    f"Request body of {length} bytes exceeds {self.owner.max_body_bytes} bytes",
                )
            )
        return length

    def _send(self, response: RawResponse, keep_alive: bool) -> None:
        self.request.sendall(_render(response, keep_alive))

    def _linger(self) -> None:
        """Half-close, then discard what the client still sends (bounded), so it can
        read the refusal instead of getting a reset."""
        try:
            self.request.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + _LINGER_SECONDS
            self.request.settimeout(_LINGER_SECONDS)
            drained = 0
            while drained < _LINGER_BYTES and time.monotonic() < deadline:
                chunk = self.request.recv(64 * 1024)
                if not chunk:
                    break
                drained += len(chunk)
        except OSError:
            pass


def _read_headers(rfile: BinaryIO) -> dict[str, str]:
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS + 1):
        line = rfile.readline(MAX_LINE + 1)
        if line in (b"\r\n", b"\n"):
            return headers
        if not line.endswith(b"\n") or len(line) > MAX_LINE:
            raise _Refused(E.serialization("Header line too long or incomplete"))
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip():
            raise _Refused(E.serialization("Malformed header line"))
        key = name.decode("latin-1").lower()
        text = value.strip().decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    raise _Refused(E.serialization(f"More than {MAX_HEADERS} headers"))


def _render(response: RawResponse, keep_alive: bool) -> bytes:
    """Status line, headers and body as one buffer (one send, no delayed-ACK stall)."""
    body = response.body
    lines = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Unknown')}"]
    for name, value in response.headers.items():
        if name.lower() not in ("content-length", "connection", "transfer-encoding"):
            lines.append(f"{name}: {value}".replace("\r", " ").replace("\n", " "))
    lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    lines.append("\r\n")
    return "\r\n".join(lines).encode("latin-1", "replace") + body
