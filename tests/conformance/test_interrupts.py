"""Ctrl-C during a run is raised at the next checkpoint (a request, a test), where the
suite stops cleanly; a second Ctrl-C at once."""

from __future__ import annotations

import gc
import signal
import sys
import threading
from typing import Any

import pytest

from conformance.endpoint.interrupts import checkpoint, deferring_interrupts


def _ctrl_c() -> None:
    signal.raise_signal(signal.SIGINT)  # Python runs the handler before this returns


def _interrupt_in_a_gc_callback() -> None:
    """A KeyboardInterrupt raised while the main thread runs a gc callback."""

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            raise KeyboardInterrupt

    gc.callbacks.append(callback)
    try:
        gc.collect()  # CPython cannot raise it here: it goes to sys.unraisablehook
    finally:
        gc.callbacks.remove(callback)


class _RaisesWhenFinalised:
    def __init__(self, error: type[BaseException]) -> None:
        self.error = error

    def __del__(self) -> None:
        raise self.error


def test_ctrl_c_is_raised_at_the_next_checkpoint_once() -> None:
    with deferring_interrupts():
        _ctrl_c()  # noted, not raised here
        with pytest.raises(KeyboardInterrupt):
            checkpoint()
        checkpoint()  # once only
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_second_ctrl_c_before_a_checkpoint_is_raised_at_once() -> None:
    with deferring_interrupts():
        _ctrl_c()
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c()
        checkpoint()  # nothing left to raise


@pytest.mark.parametrize("where", ["gc callback", "finaliser"])
def test_an_interrupt_cpython_dropped_is_raised_at_the_next_checkpoint(where: str) -> None:
    with deferring_interrupts():
        if where == "gc callback":
            _interrupt_in_a_gc_callback()
        else:
            _RaisesWhenFinalised(KeyboardInterrupt)
        with pytest.raises(KeyboardInterrupt):
            checkpoint()


def test_other_unraisable_exceptions_go_to_the_hook_in_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[Any] = []

    def in_place(unraisable: Any) -> None:
        seen.append(unraisable.exc_type)

    monkeypatch.setattr(sys, "unraisablehook", in_place)
    with deferring_interrupts():
        _RaisesWhenFinalised(ValueError)
        checkpoint()
    assert seen == [ValueError]
    assert sys.unraisablehook is in_place  # put back after the run


def test_only_the_main_thread_raises_it_and_nothing_is_kept_after_the_run() -> None:
    with deferring_interrupts():
        _ctrl_c()
        worker = threading.Thread(target=checkpoint)
        worker.start()
        worker.join()  # a worker thread would only end itself: left for the main thread
        with pytest.raises(KeyboardInterrupt):
            checkpoint()
        _ctrl_c()
    checkpoint()  # the run is over: nothing left to raise


def test_nothing_changes_where_someone_else_handles_ctrl_c() -> None:
    def theirs(signum: int, frame: Any) -> None:
        pass

    previous = signal.signal(signal.SIGINT, theirs)
    try:
        with deferring_interrupts():
            assert signal.getsignal(signal.SIGINT) is theirs
            _ctrl_c()
            checkpoint()
    finally:
        signal.signal(signal.SIGINT, previous)
