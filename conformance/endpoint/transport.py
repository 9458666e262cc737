"""HTTP to the endpoint under test: urllib3's connection pool, bytes in and out.

A botocore client spends about half a millisecond a call on work that never reaches the
wire (its event hooks, endpoint rules, user-agent assembly); on a conformance run that was
the largest share of the suite's own cost. The suite keeps botocore's serializer, signer
and parser (``conformance.endpoint.client``) and hands the bytes they make to urllib3, the library
botocore itself sends with. Keep-alive connections, stale-connection checks, proxies and
TLS are urllib3's, not ours: it keeps them correct (an idle connection the server closed
is replaced, a half-used one thrown away, CONNECT tunnels, https:// proxies and TLS
inside TLS), where the hand-written pool over ``http.client`` this replaces had to get
each of them right itself, and refused https:// proxies. urllib3 is used directly (one
pool for the endpoint) rather than through botocore's ``URLLib3Session``: that one wants
an ``AWSPreparedRequest``, looks the proxy up on every call, loads the CA bundle into
every new connection and turns failures into botocore exceptions that keep less of their
cause.

What this module guarantees:

- the request is the one given, as ``http.client`` sends it: the request line, then
  ``Host`` and ``Accept-Encoding: identity`` (unless given), ``Content-Length`` of the
  body (unless given), then the given headers in their order, then the body unchanged.
  urllib3's own default ``User-Agent`` is never added (the suite sends botocore's); a
  plain proxy gets the absolute URL and ``Proxy-Authorization`` after the given headers;
- the answer is what arrived: the status, every header (a field sent twice is joined
  with ", ", as botocore reads it) and the body's bytes, read whole; nothing is decoded
  (a gzip body stays gzip) and nothing followed (a redirect is an answer like any other);
- nothing is sent twice: retries are off, so every failure (refused, reset, timed out,
  not HTTP, TLS) is the caller's to see, as ``TransportError``;
- a connection is reused only after a whole answer: one left half-used by a failure or
  an interruption (Ctrl-C) is closed, never sent on again;
- proxies come from the environment as botocore takes them (``HTTPS_PROXY``,
  ``HTTP_PROXY``, ``NO_PROXY``; ``botocore.utils.get_environ_proxies``), http:// or
  https:// (an https endpoint goes through either by CONNECT; an https:// proxy is
  spoken to over TLS); every TLS hop is verified against the CA bundle botocore uses
  (``AWS_CA_BUNDLE`` wins);
- it is safe to share between threads.
"""

from __future__ import annotations

import http.client
import os
import ssl
import urllib.parse
from dataclasses import dataclass
from typing import Any

import urllib3
from botocore.httpsession import ProxyConfiguration, create_urllib3_context, get_cert_path
from botocore.utils import get_environ_proxies
from urllib3.exceptions import HTTPError as URLLib3Error
from urllib3.util import SKIP_HEADER, Retry, Url, parse_url

_NO_RETRIES = Retry(total=False, redirect=False)  # urllib3 would build one every call


class TransportError(Exception):
    """No answer: refused, reset, timed out, or not HTTP."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # a header sent twice is joined with ", " (RFC 9110 5.3)
    body: bytes


class Transport:
    """Sends POSTs to one endpoint; safe to share between threads.

    Connections are kept in one urllib3 pool for all threads: a call takes an idle one
    (or opens one) and gives it back after a whole answer, at most ``MAX_IDLE`` kept.
    """

    MAX_IDLE = 32

    def __init__(self, url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url
        self.timeout = timeout
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        options: dict[str, Any] = {
            "maxsize": self.MAX_IDLE,
            "block": False,  # more threads than MAX_IDLE at once: more connections
            "retries": _NO_RETRIES,
            "timeout": urllib3.Timeout(connect=timeout, read=timeout),
        }
        proxy = proxy_for(url)
        if parts.scheme == "https" or (proxy is not None and proxy[0].scheme == "https"):
            options["ssl_context"] = _tls_context()
        self._manager: urllib3.PoolManager
        if proxy is None:
            self._manager = urllib3.PoolManager(**options)
        else:
            address, proxy_headers = proxy
            self._manager = urllib3.ProxyManager(
                address._replace(auth=None).url,  # credentials go as a header, below
                proxy_headers=proxy_headers,
                proxy_ssl_context=options.get("ssl_context"),  # the same CA bundle
                **options,
            )
        # a plain proxy takes the whole URL; through a CONNECT tunnel the path is enough
        self._absolute = proxy is not None and parts.scheme == "http"
        self._pool = self._manager.connection_from_url(url)
        self._closed = False

    def post(self, headers: dict[str, str], body: bytes) -> Answer:
        """One request and its whole answer; a transport failure raises TransportError."""
        if "User-Agent" not in headers and all(k.lower() != "user-agent" for k in headers):
            headers = {**headers, "User-Agent": SKIP_HEADER}  # not urllib3's own
        pool, one_off = self._pool, self._closed
        if one_off:  # still works after close(): on a pool of its own, closed after it
            pool = self._manager.connection_from_url(self.url)
        try:
            response = pool.urlopen(
                "POST",
                self.url if self._absolute else self._target,
                body=body,
                headers=headers,
                retries=_NO_RETRIES,  # every failure is the caller's to see: nothing resent
                redirect=False,
                assert_same_host=False,
                preload_content=True,  # the whole answer is read before the connection
                decode_content=False,  # goes back; the body's bytes as they came
            )
        except (URLLib3Error, OSError, http.client.HTTPException) as e:
            raise TransportError(f"{type(e).__name__}: {e}") from e
        finally:
            if one_off:
                self._manager.clear()
                pool.close()
        return Answer(response.status, dict(response.headers.itermerged()), response.data)

    def close(self) -> None:
        """Close the idle connections; one still in use is closed when its call ends."""
        self._closed = True
        self._manager.clear()  # forgets the pools (urllib3 2 leaves them open until GC)
        self._pool.close()


def proxy_for(url: str) -> tuple[Url, dict[str, str]] | None:
    """The proxy botocore would use for ``url`` (None when NO_PROXY excludes it) and
    the headers that carry its credentials, as botocore makes them."""
    proxies = get_environ_proxies(url)
    setting = proxies.get(urllib.parse.urlsplit(url).scheme)
    if not setting:
        return None
    scheme, has_scheme, _ = setting.partition("://")
    if has_scheme and scheme.lower() not in ("http", "https"):
        raise TransportError(
            f"a {scheme}:// proxy: only http:// and https:// proxies are supported "
            "(https endpoints go through either by CONNECT)"
        )
    botocore_proxies = ProxyConfiguration(proxies)
    proxy_url = setting if has_scheme else botocore_proxies.proxy_url_for(url)  # host:port
    try:
        address = parse_url(proxy_url)
    except URLLib3Error:  # its message would show the credentials in the setting
        raise TransportError("the proxy setting is not a URL") from None
    if not address.host:
        raise TransportError("the proxy setting names no host")
    return address, botocore_proxies.proxy_headers_for(proxy_url)


def _tls_context() -> ssl.SSLContext:
    """botocore's TLS settings, verified against its CA bundle (``AWS_CA_BUNDLE`` wins)."""
    bundle = os.environ.get("AWS_CA_BUNDLE") or get_cert_path(True)
    context = create_urllib3_context()
    context.load_verify_locations(cafile=bundle)
    return context
