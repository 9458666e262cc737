"""Fault injection for testing the suite itself: throttling and latency, off by default.

:class:`FaultInjector` wraps any app. With probability ``throttle_rate`` (drawn from a
seeded RNG, so a run can be replayed) it answers ThrottlingException (400) without
calling the app; ``latency`` seconds are added before every request.
"""

from __future__ import annotations

import random
import threading
import time

from . import errors as E
from .wire import App, RawRequest, RawResponse, error_response


class FaultInjector:
    def __init__(
        self, app: App, *, throttle_rate: float = 0.0, latency: float = 0.0, seed: int | None = None
    ):
        if not 0.0 <= throttle_rate <= 1.0:
            raise ValueError(f"throttle_rate must be within [0, 1], not {throttle_rate}")
        if latency < 0:
            raise ValueError(f"latency must not be negative, not {latency}")
        self.app = app
        self.throttle_rate = throttle_rate
        self.latency = latency
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def __call__(self, request: RawRequest) -> RawResponse:
        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            throttle = self._rng.random() < self.throttle_rate
        if throttle:
            return error_response(E.throttled())
        return self.app(request)
