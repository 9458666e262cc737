"""Boundary sizes of strings and blobs, and long values made cheaply.

A string or blob is drawn a little above its minimum, at exactly its minimum, and at
exactly its maximum, instead of leaving the boundaries to chance. Hypothesis draws a
character or a byte as one choice each and cannot draw thousands of them in reasonable
time (an over-long attachment body of 6,990,509 bytes took over a minute), so a long
value repeats a short drawn tile: its size is the boundary being tested, its content
is not.
"""

from __future__ import annotations

import base64
import functools

from hypothesis import strategies as st

# Above this many characters or bytes a value is tiled rather than drawn item by item.
TILE_ABOVE = 64
# The largest value drawn at a model maximum, in characters or bytes. A larger maximum
# (an attachment body of 6,990,508 bytes) is drawn at this size instead: each value of
# millions of bytes costs every encoding, check and request it passes through tens of
# milliseconds, on every third example. Values above a maximum are not capped (nothing
# smaller breaks it); they are made cheaply, by repetition.
LARGEST_DRAWN = 1 << 16
# How far above the minimum the "in between" sizes go.
SMALL_EXTRA = 12
_TILE = 8


def size_ranges(min_size: int, max_size: int | None) -> list[tuple[int, int]]:
    """The (shortest, longest) of each branch of sizes drawn for a value of
    ``min_size`` to ``max_size``: a few above the minimum, exactly the minimum (unless 0
    or the only size), and exactly the maximum, capped at ``LARGEST_DRAWN``."""
    small_hi = min_size + SMALL_EXTRA if max_size is None else min(max_size, min_size + SMALL_EXTRA)
    ranges = [(min_size, small_hi)]
    if min_size > 0 or max_size == 0:
        ranges.append((min_size, min_size))
    if max_size is not None and max_size > small_hi:
        top = min(max_size, max(LARGEST_DRAWN, small_hi + 1))  # above the in-between sizes
        ranges.append((top, top))
    return ranges


def tiled(tile: str, size: int) -> str:
    """``tile`` repeated (and cut) to ``size`` characters."""
    return (tile * (size // len(tile) + 1))[:size]


def sized_blobs(min_size: int, max_size: int | None, *, wire: bool) -> st.SearchStrategy[object]:
    """Blobs of ``min_size`` to ``max_size`` bytes at the boundary sizes of
    ``size_ranges``; base64 text on the ``wire``, else ``bytes``."""
    return st.one_of([blobs(lo, hi, wire=wire) for lo, hi in size_ranges(min_size, max_size)])


def blobs(lo: int, hi: int, *, wire: bool) -> st.SearchStrategy[object]:
    """Blobs of any size from ``lo`` to ``hi`` bytes (no boundary branches, no cap: also
    for sizes beyond a maximum), a repeated tile when long."""
    if hi <= TILE_ABOVE:
        data = st.binary(min_size=lo, max_size=hi)
        return data.map(_b64) if wire else data
    tile = st.binary(min_size=1, max_size=_TILE)
    make = functools.partial(repeated_bytes, wire=wire)
    if lo == hi:  # an exact size: no size (and tuple) to draw every time
        return tile.map(functools.partial(make, size=lo))
    return st.tuples(tile, st.integers(lo, hi)).map(lambda t: make(t[0], size=t[1]))


def repeated_bytes(tile: bytes, size: int, *, wire: bool) -> object:
    """``tile`` repeated to ``size`` bytes; as base64 text on the ``wire``, where it is
    the encoding of a three-byte-aligned tile repeated (encoding millions of bytes took
    tens of milliseconds; repeating its text takes one copy)."""
    unit = tile * 3  # whole base64 quanta: the encoding of unit * n is encoding(unit) * n
    whole, rest = divmod(size, len(unit))
    if not wire:
        return unit * whole + unit[:rest]
    return _b64(unit) * whole + _b64(unit[:rest])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
