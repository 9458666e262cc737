"""The reference under 16 concurrent clients: still correct, and how fast beside moto.

    python -m benchmarks.bench_concurrency [--clients 16] [--seconds 5]

Each server runs as its own process, as users run it; each client is a thread with its
own boto3 client (dummy credentials, retries off), all started together.

- reference (``python -m conformance.reference``): every client loops request a US
  SIMULATOR number (with its own ClientToken), describe it by id, release it. Checked:
  no error of any kind; every id and every number held at one time is unique; each
  number is found by describe while held; after the run the account holds nothing.
- moto (``python -m moto.server``): SQS GetQueueUrl on one queue, the same clients, the
  comparable JSON-protocol operation of the other benchmarks.

Both report requests per second. Exit 1 if the reference answered anything wrong.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import threading
import time
import uuid
from collections import Counter
from typing import Any

from conformance.endpoint.targets import embedded

from .bench_reference import REQUEST, client
from .bench_suite import reference_process


class Load:
    """``clients`` threads running ``cycle`` for ``seconds``; counts and problems."""

    def __init__(self, clients: int, seconds: float):
        self.clients, self.seconds = clients, seconds
        self.requests = 0
        self.problems: Counter[str] = Counter()
        self.lock = threading.Lock()

    def run(self, make: Any, cycle: Any) -> float:
        """Requests per second over the timed window."""
        start_line = threading.Barrier(self.clients + 1)
        stop = threading.Event()

        def work() -> None:
            state = make()
            start_line.wait()
            while not stop.is_set():
                try:
                    sent = cycle(state)
                except Exception as e:  # every failure is a finding, not a crash
                    with self.lock:
                        self.problems[f"{type(e).__name__}: {str(e)[:120]}"] += 1
                    continue
                with self.lock:
                    self.requests += sent

        threads = [threading.Thread(target=work, daemon=True) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        start_line.wait()
        started = time.perf_counter()
        time.sleep(self.seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        return self.requests / (time.perf_counter() - started)


def reference_load(clients: int, seconds: float) -> tuple[float, Load, int]:
    """(requests/s, the load with its problems, numbers left) against the reference."""
    load = Load(clients, seconds)
    held: dict[str, str] = {}  # number -> id, while held
    ids: set[str] = set()
    with reference_process() as url:

        def cycle(sms: Any) -> int:
            made = sms.request_phone_number(**REQUEST, ClientToken=str(uuid.uuid4()))
            number_id, number = made["PhoneNumberId"], made["PhoneNumber"]
            with load.lock:
                if number_id in ids:
                    load.problems[f"id handed out twice: {number_id}"] += 1
                if number in held:
                    load.problems[f"number held twice: {number}"] += 1
                ids.add(number_id)
                held[number] = number_id
            found = sms.describe_phone_numbers(PhoneNumberIds=[number_id])["PhoneNumbers"]
            if [n["PhoneNumber"] for n in found] != [number]:
                with load.lock:
                    load.problems["describe does not show the held number"] += 1
            with load.lock:
                del held[number]
            sms.release_phone_number(PhoneNumberId=number_id)
            return 3

        rate = load.run(lambda: client("pinpoint-sms-voice-v2", url), cycle)
        sms = client("pinpoint-sms-voice-v2", url)
        left = len(sms.describe_phone_numbers()["PhoneNumbers"])
    return rate, load, left


def moto_load(clients: int, seconds: float) -> float:
    with embedded("moto") as url:  # moto's own server, as ``--endpoint moto`` runs it
        client("sqs", url).create_queue(QueueName="bench")

        def cycle(sqs: Any) -> int:
            sqs.get_queue_url(QueueName="bench")
            return 1

        return Load(clients, seconds).run(lambda: client("sqs", url), cycle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_concurrency")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args(argv)

    reference_rate, load, left = reference_load(args.clients, args.seconds)
    moto_rate = moto_load(args.clients, args.seconds)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print(f"{args.clients} concurrent clients, {args.seconds:.0f} s each")
    print(f"reference {reference_rate:7.0f} req/s ({load.requests} requests)")
    print(f"moto      {moto_rate:7.0f} req/s (SQS GetQueueUrl)")
    print(f"reference / moto = {reference_rate / moto_rate:.2f}x")
    for problem, count in load.problems.most_common(10):
        print(f"PROBLEM x{count}: {problem}")
    if left:
        print(f"PROBLEM: {left} numbers still held after every client released its own")
    correct = not load.problems and not left
    print(f"reference answered correctly: {'yes' if correct else 'NO'}")
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
