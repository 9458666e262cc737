"""A token bucket per key, on an injected clock: the reference's create/delete rate limit.

The user guide's quotas page limits most create/delete operations to about one request
per second per account (see /work/shared/aws-behavior.md, "Rates"); over it the service
answers ThrottlingException. Each key (account, region) gets ``burst`` tokens that refill
at ``rate`` per second; a request takes one or is refused. ``rate=None``: no limit.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Hashable

_PRUNE_AT = 4096


class RateLimiter:
    """``allow(key)``: True and a token taken, or False (throttled, nothing taken)."""

    def __init__(self, rate: float | None, burst: int, clock: Callable[[], float]):
        if rate is not None and not (math.isfinite(rate) and rate > 0):
            raise ValueError(f"create_delete_rate must be a positive number, not {rate}")
        if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
            raise ValueError(f"create_delete_burst must be an integer >= 1, not {burst}")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, at)
        self._prune_at = _PRUNE_AT
        self._lock = threading.Lock()

    def allow(self, key: Hashable) -> bool:
        if self.rate is None:
            return True
        with self._lock:
            now = self._clock()
            tokens = self._tokens(key, now)
            if len(self._buckets) >= self._prune_at:
                self._prune(now)
                self._prune_at = max(_PRUNE_AT, 2 * len(self._buckets))  # amortised
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True

    def _tokens(self, key: Hashable, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        assert self.rate is not None
        return min(float(self.burst), tokens + max(0.0, now - at) * self.rate)

    def _prune(self, now: float) -> None:
        """Forget full buckets: a full bucket and no bucket are the same (bounded memory)."""
        for key in [k for k in self._buckets if self._tokens(k, now) >= self.burst]:
            del self._buckets[key]
