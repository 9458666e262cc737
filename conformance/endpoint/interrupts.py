"""Ctrl-C during a run, acted on where the suite can stop cleanly.

Python's SIGINT handler raises KeyboardInterrupt in whatever bytecode the main thread
runs next. In a run of the suite that is now and then a place where the exception does
not get through as itself (each of these was seen in the suite's own Ctrl-C test):

- a garbage-collector callback (Hypothesis registers one) or a finaliser: CPython
  cannot raise it there, hands it to ``sys.unraisablehook``, and the run goes on;
- Hypothesis' bookkeeping as a property starts: the interrupt becomes an internal
  AssertionError, reported as a failure of that invariant, and the run goes on;
- code run by ``exec()`` (dataclass methods being made, say): CPython 3.11 then ends
  the process by SIGINT (exit status -2) after pytest has reported the interrupt;
- an instruction without a line number: pytest's report of the interrupt crashes on
  it (exit status 1).

So while a run is in progress (:func:`deferring_interrupts`), the first Ctrl-C is only
noted, and :func:`checkpoint` raises the KeyboardInterrupt: the client calls it before
every request and the plugin before every test, so it is raised in plain code, inside
the test, and the ledger releases the example's numbers on the way out as usual. That
is at most one request away (``--request-timeout`` if the endpoint stalls); a second
Ctrl-C before then raises it at once, as Python would. A KeyboardInterrupt that CPython
dropped all the same (a second Ctrl-C raised in a gc callback) is noted again.

The handler takes no lock and starts no thread (it runs between any two bytecodes of
the main thread, possibly inside code holding a lock): it only sets a flag.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType


class _State:
    noted = False  # Ctrl-C pressed, its KeyboardInterrupt not raised yet


@contextlib.contextmanager
def deferring_interrupts() -> Iterator[None]:
    """For the duration, Ctrl-C raises KeyboardInterrupt at the next :func:`checkpoint`
    (or at once if pressed again before). Nothing changes off the main thread or where
    SIGINT is not Python's default handler (someone else handles Ctrl-C)."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        if not _State.noted:
            _State.noted = True
            return
        _State.noted = False  # pressed again before a checkpoint: at once
        raise KeyboardInterrupt

    def lost(unraisable: sys.UnraisableHookArgs) -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            _State.noted = True
        else:
            previous_hook(unraisable)

    previous_hook = sys.unraisablehook
    sys.unraisablehook = lost
    previous_handler = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGINT) is on_sigint:
            signal.signal(signal.SIGINT, previous_handler)
        if sys.unraisablehook is lost:
            sys.unraisablehook = previous_hook
        _State.noted = False


def checkpoint() -> None:
    """Raise the KeyboardInterrupt of a Ctrl-C noted since the last checkpoint, once,
    in the main thread (in another thread it would only end that thread)."""
    if _State.noted and threading.current_thread() is threading.main_thread():
        _State.noted = False
        raise KeyboardInterrupt
