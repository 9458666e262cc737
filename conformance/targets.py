"""What the suite certifies: a named embedded target, or any URL, with safety rules.

The embedded reference is started as its own process (``python -m
conformance.reference``) and reached over HTTP like any other endpoint: the suite never
imports its internals. Real AWS is refused unless explicitly allowed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

EMBEDDED = ("reference",)
_AWS_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
STARTUP_TIMEOUT_S = 20.0


class TargetError(Exception):
    """A target that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    url: str
    kind: str  # "reference", "url" or "aws"
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
    """Fail fast, with one message, when nothing listens at ``url``."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            pass
    except OSError as e:
        raise TargetError(
            f"cannot reach {url}: {e.strerror or e}. Is the endpoint running? "
            "(Without --endpoint the suite starts its embedded reference endpoint.)"
        ) from e


@contextlib.contextmanager
def embedded(name: str, extra_args: tuple[str, ...] = ()) -> Iterator[str]:
    """Run an embedded target in its own process for the duration; yields its URL."""
    if name != "reference":
        raise TargetError(f"no embedded target named {name!r}")
    command = [
        sys.executable,
        "-m",
        "conformance.reference",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        *extra_args,
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        url = _first_line(process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _first_line(process: subprocess.Popen[str]) -> str:
    line: list[str] = []
    reader = threading.Thread(
        target=lambda: line.append(process.stdout.readline() if process.stdout else ""),
        daemon=True,
    )
    reader.start()
    reader.join(STARTUP_TIMEOUT_S)
    url = line[0].strip() if line else ""
    if not url.startswith("http"):
        process.kill()
        _, err = process.communicate(timeout=5)
        raise TargetError(f"the embedded reference endpoint did not start: {err.strip()[-500:]}")
    return url
