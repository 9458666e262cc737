"""A pytest plugin for the end-to-end tests (``-p tests.conformance.ctrl_c_in_gc``).

Once a first test has passed, it presses Ctrl-C while the garbage collector runs a
callback in the main thread, as Hypothesis' own callback may be running when a user
presses it: a KeyboardInterrupt raised there cannot propagate, CPython drops it (see
``conformance/endpoint/interrupts.py``).
"""

from __future__ import annotations

import gc
import signal
import threading

import pytest

_pressed = threading.Event()


def _press_ctrl_c(phase: str, info: dict[str, int]) -> None:
    in_main_thread = threading.current_thread() is threading.main_thread()
    if phase == "start" and in_main_thread and not _pressed.is_set():
        _pressed.set()
        signal.raise_signal(signal.SIGINT)  # handled at once: raised in this callback


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and _press_ctrl_c not in gc.callbacks:
        gc.callbacks.append(_press_ctrl_c)
