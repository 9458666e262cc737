"""HTTP to the endpoint under test: one keep-alive connection per thread, bytes in and out.

A botocore client spends about half a millisecond a call on work that never reaches the
wire (its event hooks, endpoint rules, user-agent assembly, urllib3's pool); on a
conformance run that was the largest share of the suite's own cost. The suite keeps
botocore's serializer, signer and parser (``conformance.client``) and sends through
``http.client`` directly. Proxies from the environment (``HTTPS_PROXY``, ``HTTP_PROXY``,
``NO_PROXY``) are honoured as botocore honours them; TLS is verified against botocore's
CA bundle (``AWS_CA_BUNDLE`` wins).
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
    """Sends POSTs to one endpoint; safe to share between threads (a connection each)."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url
        self.timeout = timeout
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._path = parts.path or "/"
        self._proxy = _proxy_for(url)
        self._tls = _tls_context() if self._https else None
        self._local = threading.local()
        self._open: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def post(self, headers: dict[str, str], body: bytes) -> Answer:
        """One request and its whole answer; a transport failure raises TransportError
        (and the connection is dropped, so the next request opens a new one)."""
        connection = self._connection()
        target = self._path
        if self._proxy is not None and not self._https:  # a plain proxy takes the whole URL
            target, headers = self.url, {**headers, **self._proxy.headers}
        try:
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, _joined(response.getheaders()), response.read())
        except (OSError, http.client.HTTPException) as e:
            connection.close()
            raise TransportError(f"{type(e).__name__}: {e}") from e
        if response.will_close:
            connection.close()  # reopened by the next request
        return answer

    def _connection(self) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._new_connection()
            self._local.connection = connection
            with self._lock:
                self._open.append(connection)
        elif connection.sock is not None and _dropped(connection.sock):
            connection.close()  # the server closed it while idle: open afresh, not fail
        return connection

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
        with self._lock:
            connections, self._open = self._open, []
        for connection in connections:
            connection.close()


def _joined(fields: list[tuple[str, str]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in fields:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
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
