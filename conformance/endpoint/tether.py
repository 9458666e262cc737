"""Run a module as ``__main__`` that stops when the run that started it ends.

    python -m conformance.endpoint.tether -m MODULE [ARGS...]

Embedded targets run in a process group of their own, so that a Ctrl-C at the terminal
leaves them serving the run's cleanup; that also puts them out of reach of a hangup, and
a run killed outright never stops them. So their standard input is a pipe from the run:
when it closes, however the run ended, the target gets SIGTERM, its clean stop (and is
ended outright if it is still there ten seconds later).
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import threading

GRACE_S = 10.0


def _stop_when_stdin_closes() -> None:
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    os.kill(os.getpid(), signal.SIGTERM)
    deadline = threading.Timer(GRACE_S, os._exit, args=(1,))
    deadline.daemon = True  # a clean stop before it need not wait for it
    deadline.start()


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[0] != "-m":
        sys.exit("usage: python -m conformance.endpoint.tether -m MODULE [ARGS...]")
    module = argv[1]
    sys.argv = [module, *argv[2:]]
    threading.Thread(target=_stop_when_stdin_closes, daemon=True).start()
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
