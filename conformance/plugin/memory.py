"""Memory housekeeping of a long run: garbage collected during and between tests.

Each Hypothesis example leaves cyclic garbage (its choice data and the values drawn,
up to a few hundred kB with a 200-tag body) that only a full collection frees, and
CPython defers those while the heap is large: a long run's memory then grew with its
length (about 120 MB over 80,000 requests). ``GARBAGE`` observes every call to the
endpoint (the fixtures attach it) and ``pytest_runtest_teardown`` settles it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from typing import Any

import pytest


class GarbageCollector:
    """A full garbage collection every ``every`` calls to the endpoint.

    After the first test, what is alive (modules, models, compiled strategies and
    schemas: most of the heap, and none of it garbage) is moved out of the collector's
    sight with ``gc.freeze()``: a full collection scanned it all every time, about 55 ms,
    some 6 % of a run."""

    def __init__(self, every: int = 500):
        self.every = every
        self.calls = 0
        self.lock = threading.Lock()
        self.settled = False
        self.settled_at = 0  # calls when last settled

    def settle(self) -> None:
        """Between two tests: collect what the last property left, and give the pages
        it freed back to the system (glibc keeps them otherwise, so a run's resident
        memory stayed at its largest property's peak). After the first test, freeze
        what survives. A test that sent nothing (an operation not implemented, the
        tier's checks of it skipped) left nothing to collect: not scanned again."""
        with self.lock:
            quiet, self.settled_at = self.calls == self.settled_at, self.calls
        if quiet and self.settled:
            return
        gc.collect()
        if _MALLOC_TRIM is not None:
            _MALLOC_TRIM(0)
        self.settled = True
        gc.freeze()

    def observe(self, *_: Any) -> None:
        with self.lock:
            self.calls += 1
            due = self.calls % self.every == 0
        if due:
            gc.collect()


def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None elsewhere (macOS, musl, Windows)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _malloc_trim()
GARBAGE = GarbageCollector()


def pytest_runtest_teardown(item: pytest.Item) -> None:
    if item.get_closest_marker("conformance") is not None:
        GARBAGE.settle()
