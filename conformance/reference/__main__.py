"""``python -m conformance.reference --host 127.0.0.1 --port 0``

Prints the base URL as the first line of stdout, serves until SIGINT or SIGTERM, then
shuts down and exits 0.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import NoReturn

from .server import DEFAULT_MAX_BODY, ReferenceServer
from .service import DEFAULT_SETTLE_S, Quotas, ReferenceService

PROG = "conformance.reference"


class _Parser(argparse.ArgumentParser):
    """Reports a bad flag in one line, like the values the service itself refuses."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: {message}\n")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = _Parser(
        prog="python -m conformance.reference",
        description="Serve the reference PinpointSMSVoiceV2 endpoint (awsJson1_0) over HTTP.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument(
        "--quota",
        type=int,
        default=Quotas.phone_numbers,
        help="phone numbers per account and region (default %(default)s)",
    )
    parser.add_argument(
        "--registration-status",
        default="CREATED",
        help="status of new registrations; COMPLETE lets TEN_DLC succeed",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=DEFAULT_SETTLE_S,
        metavar="SECONDS",
        help="seconds numbers stay PENDING/DISASSOCIATING and pools DELETING"
        " (default %(default)s; 0 = at once)",
    )
    parser.add_argument(
        "--simulator-status",
        default="ACTIVE",
        metavar="ACTIVE|PENDING",
        help="status of new SIMULATOR numbers (default %(default)s)",
    )
    parser.add_argument(
        "--create-delete-rate",
        type=float,
        default=None,
        metavar="R",
        help="create/delete requests per second per account and region (default: no limit)",
    )
    parser.add_argument(
        "--create-delete-burst",
        type=int,
        default=1,
        metavar="N",
        help="requests the create/delete rate limit lets through at once (default %(default)s)",
    )
    parser.add_argument(
        "--throttle-rate",
        type=float,
        default=0.0,
        help="probability of answering ThrottlingException (default 0)",
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="latency added to every request, in milliseconds",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed ids, numbers and faults")
    parser.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY)
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="seconds a connection may idle or stall (default %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    try:
        service = ReferenceService(
            quotas=Quotas(phone_numbers=args.quota),
            registration_status=args.registration_status,
            seed=args.seed,
            settle=args.settle,
            simulator_status=args.simulator_status,
            create_delete_rate=args.create_delete_rate,
            create_delete_burst=args.create_delete_burst,
        )
        server = ReferenceServer(
            args.host,
            args.port,
            service=service,
            throttle_rate=args.throttle_rate,
            latency=args.latency_ms / 1000,
            seed=args.seed,
            max_body_bytes=args.max_body_bytes,
            timeout=args.timeout,
        )
    except (ValueError, OverflowError, OSError) as exc:  # a bad flag, or the port is taken
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    server.start()
    print(server.url, flush=True)
    while not stopping.wait(0.5):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
