"""HTTP to the endpoint under test: a small pool of keep-alive connections, bytes in and out.

A botocore client spends about half a millisecond a call on work that never reaches the
wire (its event hooks, endpoint rules, user-agent assembly, urllib3's pool); on a
conformance run that was the largest share of the suite's own cost. The suite keeps
botocore's serializer, signer and parser (``conformance.client``) and sends through
``http.client`` directly. Proxies from the environment (``HTTPS_PROXY``, ``HTTP_PROXY``,
``NO_PROXY``) are honoured as botocore honours them, http:// proxies only (an https
endpoint goes through one by CONNECT); TLS is verified against botocore's CA bundle
(``AWS_CA_BUNDLE`` wins).
"""

from __future__ import annotations

import base64
import http.client
import os
import select
import socket
import ssl
import threading
import urllib.parse
from dataclasses import dataclass

from botocore.httpsession import get_cert_path
from botocore.utils import get_environ_proxies


class TransportError(Exception):
    """No answer: refused, reset, timed out, or not HTTP."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # a header sent twice is joined with ", " (RFC 9110 5.3)
    body: bytes


class Transport:
    """Sends POSTs to one endpoint; safe to share between threads.

    Connections are kept in one pool for all threads: a call takes an idle one (or opens
    one) and gives it back after a whole answer, at most ``MAX_IDLE`` kept. A call that
    ends any other way (a transport failure, a Ctrl-C half-way) closes its connection,
    so no half-used one is ever sent on again.
    """

    MAX_IDLE = 32

    def __init__(self, url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url
        self.timeout = timeout
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._proxy = _proxy_for(url)
        self._tls = _tls_context() if self._https else None
        self._idle: list[http.client.HTTPConnection] = []
        self._closed = False
        self._lock = threading.Lock()

    def post(self, headers: dict[str, str], body: bytes) -> Answer:
        """One request and its whole answer; a transport failure raises TransportError."""
        target = self._target
        if self._proxy is not None and not self._https:  # a plain proxy takes the whole URL
            target, headers = self.url, {**headers, **self._proxy.headers}
        connection = self._take()
        try:
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, _joined(response.getheaders()), response.read())
        except (OSError, http.client.HTTPException) as e:
            connection.close()
            raise TransportError(f"{type(e).__name__}: {e}") from e
        except BaseException:
            connection.close()  # interrupted half-way: its state is unknown
            raise
        if response.will_close:
            connection.close()
        else:
            self._give_back(connection)
        return answer

    def _take(self) -> http.client.HTTPConnection:
        while True:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                return self._new_connection()
            if connection.sock is not None and not _dropped(connection.sock):
                return connection
            connection.close()  # the server closed it while idle: try the next, not fail

    def _give_back(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self.MAX_IDLE:
                self._idle.append(connection)
                return
        connection.close()

    def _new_connection(self) -> http.client.HTTPConnection:
        host, port = self._host, self._port
        if self._proxy is not None:
            host, port = self._proxy.host, self._proxy.port
        if self._https:
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, port, timeout=self.timeout, context=self._tls
            )
            if self._proxy is not None:
                connection.set_tunnel(self._host, self._port, headers=self._proxy.headers)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=self.timeout)
        return connection

    def close(self) -> None:
        """Close the idle connections; one still in use is closed when its call ends."""
        with self._lock:
            idle, self._idle, self._closed = self._idle, [], True
        for connection in idle:
            connection.close()


def _joined(fields: list[tuple[str, str]]) -> dict[str, str]:
    """Header fields as one dict; names compare case-insensitively (the first spelling
    is kept), and a field sent twice is joined with ", " as urllib3 joins it."""
    headers: dict[str, str] = {}
    spelling: dict[str, str] = {}
    for name, value in fields:
        key = spelling.setdefault(name.lower(), name)
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _dropped(sock: socket.socket) -> bool:
    """True when an idle keep-alive socket is readable: the server closed it (or sent
    something unasked), so it must not carry the next request."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


@dataclass(frozen=True)
class _Proxy:
    host: str
    port: int
    headers: dict[str, str]  # Proxy-Authorization, when the proxy URL carries a user


def _proxy_for(url: str) -> _Proxy | None:
    """The proxy botocore would use for ``url`` (None when NO_PROXY excludes it)."""
    proxy = get_environ_proxies(url).get(urllib.parse.urlsplit(url).scheme)
    if not proxy:
        return None
    address = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if not address.hostname:
        return None
    if address.scheme != "http":
        raise TransportError(
            f"proxy {proxy!r}: only http:// proxies are supported (https endpoints go "
            "through them by CONNECT); set the proxy variable to its http:// address"
        )
    headers = {}
    if address.username:
        user = urllib.parse.unquote(address.username)
        password = urllib.parse.unquote(address.password or "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        headers["Proxy-Authorization"] = f"Basic {token}"
    return _Proxy(address.hostname, address.port or 80, headers)


def _tls_context() -> ssl.SSLContext:
    bundle = os.environ.get("AWS_CA_BUNDLE") or get_cert_path(True)
    return ssl.create_default_context(cafile=bundle if isinstance(bundle, str) else None)
