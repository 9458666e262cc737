"""How fast one sequential boto3 client gets answers from the reference endpoint.

    python -m benchmarks.bench_reference [--seconds 2] [--rounds 4]

Three servers are measured in the same run, in interleaved rounds (best round counts),
each with the same kind of client (boto3, dummy credentials, retries off, keep-alive),
each started fresh for every round so no round pays for another's garbage:

- reference: RequestPhoneNumber (SIMULATOR, US, TRANSACTIONAL) against ReferenceServer,
  with a quota high enough that no number has to be released;
- ceiling: a minimal keep-alive server answering every request with one fixed
  RequestPhoneNumber response taken from the reference (the best this client can do);
- moto: SQS GetQueueUrl against moto's ThreadedMotoServer, with werkzeug's per-request
  log line switched off (moto at its fastest).

Targets: reference >= 3x moto and >= 70% of the ceiling. Exit status 1 if missed. The
ceiling / moto ratio is printed too: no server can beat the ceiling, so when it is below
3x the moto target is out of reach for any server on that machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import platform
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
from botocore.config import Config

from conformance.reference import Quotas, ReferenceServer, ReferenceService, RequestContext

REQUEST = {
    "IsoCountryCode": "US",
    "MessageType": "TRANSACTIONAL",
    "NumberCapabilities": ["SMS"],
    "NumberType": "SIMULATOR",
}
TARGET_VS_MOTO = 3.0
TARGET_VS_CEILING = 0.70

Call = Callable[[], object]


def client(service: str, url: str) -> Any:
    return boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        endpoint_url=url,
        config=Config(retries={"total_max_attempts": 1}),
    )


def rate(call: Call, seconds: float) -> float:
    """Requests per second of ``call`` run back to back for about ``seconds``."""
    for _ in range(20):  # warm up the connection pool and caches
        call()
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(50):
            call()
        count += 50
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


@contextlib.contextmanager
def reference() -> Iterator[Call]:
    service = ReferenceService(quotas=Quotas(phone_numbers=10**9))
    with ReferenceServer(service=service) as server:
        sms = client("pinpoint-sms-voice-v2", server.url)
        yield lambda: sms.request_phone_number(**REQUEST)


class _FixedAnswer(socketserver.StreamRequestHandler):
    """Reads a request (line, headers, Content-Length body), sends ``answer``."""

    answer = b""

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self) -> None:
        with contextlib.suppress(OSError):
            while self.rfile.readline():
                length = 0
                while (line := self.rfile.readline()) not in (b"\r\n", b"\n", b""):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                self.rfile.read(length)
                self.connection.sendall(self.answer)


@contextlib.contextmanager
def ceiling() -> Iterator[Call]:
    ctx = RequestContext("123456789012", "us-east-1", "00000000-0000-4000-8000-000000000000")
    body = json.dumps(ReferenceService().handle("RequestPhoneNumber", dict(REQUEST), ctx))
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
        f"x-amzn-RequestId: {ctx.request_id}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
    )
    handler = type("Handler", (_FixedAnswer,), {"answer": (head + body).encode()})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sms = client("pinpoint-sms-voice-v2", f"http://127.0.0.1:{server.server_address[1]}")
        yield lambda: sms.request_phone_number(**REQUEST)
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def moto() -> Iterator[Call]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # else one log line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        sqs = client("sqs", f"http://{host}:{port}")
        sqs.create_queue(QueueName="bench")
        yield lambda: sqs.get_queue_url(QueueName="bench")
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_reference")
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds; best counts")
    args = parser.parse_args(argv)

    servers = {"reference": reference, "ceiling": ceiling, "moto": moto}
    best = dict.fromkeys(servers, 0.0)
    for round_ in range(1, args.rounds + 1):
        for name, serve in servers.items():
            with serve() as call:
                measured = rate(call, args.seconds)
            best[name] = max(best[name], measured)
            print(f"round {round_}: {name:<10} {measured:7.0f} req/s", flush=True)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"\n{platform.machine()}, {cores} cores, Python {platform.python_version()}")
    for name, value in best.items():
        print(f"{name:<10} {value:7.0f} req/s (best of {args.rounds})")
    vs_moto = best["reference"] / best["moto"]
    vs_ceiling = best["reference"] / best["ceiling"]
    met_moto, met_ceiling = vs_moto >= TARGET_VS_MOTO, vs_ceiling >= TARGET_VS_CEILING
    print(
        f"reference / moto    = {vs_moto:.2f}x (target >= {TARGET_VS_MOTO:.0f}x: "
        f"{'met' if met_moto else 'MISSED'})"
    )
    print(
        f"reference / ceiling = {vs_ceiling:.0%} (target >= {TARGET_VS_CEILING:.0%}: "
        f"{'met' if met_ceiling else 'MISSED'})"
    )
    bound = best["ceiling"] / best["moto"]
    print(
        f"ceiling / moto      = {bound:.2f}x: the most any server can reach with this client; "
        f"{TARGET_VS_MOTO:.0f}x moto needs {TARGET_VS_MOTO / bound:.0%} of the ceiling"
        + ("" if bound > TARGET_VS_MOTO else " (out of reach on this machine)")
    )
    return 0 if met_moto and met_ceiling else 1


if __name__ == "__main__":
    sys.exit(main())
