"""What the suite certifies: a named embedded target, or any URL, with safety rules.

Embedded targets run as their own process for the duration of a run and are reached
over HTTP like any other endpoint: ``reference`` (``python -m conformance.reference``;
the suite never imports its internals) and ``moto`` (``python -m moto.server``, moto's
own server, installed with the suite). Real AWS is refused unless explicitly allowed.
"""

from __future__ import annotations

import collections
import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from conformance.endpoint.transport import TransportError, proxy_for

EMBEDDED = ("reference", "moto")
_AWS_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
STARTUP_TIMEOUT_S = 20.0


class TargetError(Exception):
    """A target that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    url: str
    kind: str  # a name of EMBEDDED, "url" or "aws"
    name: str

    @property
    def is_aws(self) -> bool:
        return self.kind == "aws"


def is_aws_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "amazonaws.com" or host.endswith(_AWS_SUFFIXES)


def describe(endpoint: str, region: str) -> Target:
    """Classify ``--endpoint`` without contacting anything."""
    if endpoint in EMBEDDED:
        return Target(url="", kind=endpoint, name=endpoint)
    if endpoint == "aws":
        return Target(f"https://sms-voice.{region}.amazonaws.com", "aws", "aws")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetError(
            f"--endpoint {endpoint!r} is neither a URL (http://host:port) nor a named "
            f"target ({', '.join((*EMBEDDED, 'aws'))})"
        )
    kind = "aws" if is_aws_url(endpoint) else "url"
    return Target(endpoint.rstrip("/"), kind, endpoint)


def check_reachable(url: str, timeout: float = 3.0) -> None:
    """Fail fast, with one message, when nothing listens at ``url``, or at the proxy
    that the environment routes ``url`` through (``HTTPS_PROXY``, ...): the suite's
    requests go there, so that is what must answer (a proxied network may well refuse
    a direct connection to the endpoint)."""
    try:
        proxy = proxy_for(url)
    except TransportError as e:
        raise TargetError(f"{url}: {e}") from e
    if proxy is None:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        what = url
    else:
        address = proxy[0]  # never shown whole: it may carry the proxy's credentials
        host, port = address.host, address.port or (443 if address.scheme == "https" else 80)
        what = f"the proxy {address.scheme or 'http'}://{host}:{port} (for {url})"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as e:
        raise TargetError(
            f"cannot reach {what}: {e.strerror or e}. Is the endpoint running? "
            "(Without --endpoint the suite starts its embedded reference endpoint.)"
        ) from e


@dataclass(frozen=True)
class _Launch:
    """How to start an embedded target and where its process says its URL."""

    command: tuple[str, ...]
    stream: str  # "stdout" or "stderr"
    url_pattern: re.Pattern[str]


_LAUNCH = {
    "reference": _Launch(
        ("-m", "conformance.reference", "--host", "127.0.0.1", "--port", "0"),
        "stdout",
        re.compile(r"^(http://\S+)$"),
    ),
    # werkzeug announces " * Running on http://127.0.0.1:PORT" on stderr (port 0: a free one)
    "moto": _Launch(
        ("-m", "moto.server", "--host", "127.0.0.1", "--port", "0"),
        "stderr",
        re.compile(r"Running on (http://[^\s/]+)"),
    ),
}


@contextlib.contextmanager
def embedded(name: str, extra_args: tuple[str, ...] = ()) -> Iterator[str]:
    """Run an embedded target in its own process for the duration; yields its URL.

    Its output is drained for the whole run (moto logs every request: an undrained
    pipe would stall it), keeping the last lines for the error message should it fail
    to start.
    """
    launch = _LAUNCH.get(name)
    if launch is None:
        raise TargetError(f"no embedded target named {name!r} (one of {', '.join(EMBEDDED)})")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # A process group of its own: a Ctrl-C at the terminal goes to the run's group, and
    # the target has to outlive it long enough for the run to release its numbers. The
    # tether stops it when this process ends without stopping it (killed, hung up).
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance.endpoint.tether", *launch.command, *extra_args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        process_group=0,
    )
    try:
        url = _announced_url(process, name, launch)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdin is not None:
            process.stdin.close()


def _announced_url(process: subprocess.Popen[str], name: str, launch: _Launch) -> str:
    found: list[str] = []
    announced = threading.Event()
    tail: collections.deque[str] = collections.deque(maxlen=20)

    def drain(stream: Any, watch: bool) -> None:
        for line in iter(stream.readline, ""):
            tail.append(line.rstrip())
            match = launch.url_pattern.search(line.strip()) if watch and not found else None
            if match:
                found.append(match.group(1))
                announced.set()
        if watch:
            announced.set()  # the process closed its output: it will not announce a URL

    for stream_name in ("stdout", "stderr"):
        stream = getattr(process, stream_name)
        threading.Thread(
            target=drain, args=(stream, stream_name == launch.stream), daemon=True
        ).start()
    announced.wait(STARTUP_TIMEOUT_S)
    if not found:
        process.kill()
        process.wait(timeout=5)
        said = " | ".join(list(tail)[-5:])
        raise TargetError(f"the embedded {name} endpoint did not start: {said[-500:]}")
    return found[0]


@contextlib.contextmanager
def running(target: Target, seed: str | None = None) -> Iterator[Target]:
    """The target reachable for the duration: an embedded one is started (and stopped
    afterwards), a URL is checked once. Raises TargetError with one clear message.

    ``seed`` (the run's) seeds the embedded reference's ids and numbers, so that a run
    repeated with its seed gets the same answers, not only the same requests."""
    if target.kind in ("url", "aws"):
        check_reachable(target.url)
        yield target
        return
    extra = (
        ("--seed", str(seed_number(seed)))
        if seed is not None and target.kind == "reference"
        else ()
    )
    with embedded(target.kind, extra) as url:
        yield Target(url, target.kind, target.name)


def seed_number(seed: str) -> int:
    """A run's seed (``--hypothesis-seed`` takes any text) as an integer."""
    return int(seed) if seed.isdigit() else zlib.crc32(seed.encode())
