"""Boundary sizes of blobs, and long values made by repetition."""

from __future__ import annotations

import base64

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import strategies
from strategies.paths import shape_at
from strategies.sizes import LARGEST_DRAWN, repeated_bytes, size_ranges


@given(st.binary(min_size=1, max_size=8), st.integers(0, 300))
def test_repeated_bytes_on_the_wire_are_the_base64_of_the_bytes(tile: bytes, size: int) -> None:
    raw = repeated_bytes(tile, size, wire=False)
    assert isinstance(raw, bytes)
    assert len(raw) == size
    assert repeated_bytes(tile, size, wire=True) == base64.b64encode(raw).decode()


def test_a_maximum_of_millions_is_drawn_at_the_cap() -> None:
    assert size_ranges(1, 6_990_508) == [(1, 13), (1, 1), (LARGEST_DRAWN, LARGEST_DRAWN)]
    assert size_ranges(0, 2048) == [(0, 12), (2048, 2048)]
    assert size_ranges(0, None) == [(0, 12)]


def _blobs() -> list[tuple[str, str]]:
    """(operation, member path) of every blob member of an input, from the model."""
    model = strategies.service_model()
    return [
        (operation, target.path)
        for operation in sorted(model.operation_names)
        for target in strategies.mutation_targets(operation)
        if target.constraint == "type"
        and shape_at(strategies.input_shape(operation), target.path).type_name == "blob"
    ]


@pytest.mark.parametrize(("operation", "path"), _blobs())
def test_valid_blobs_reach_their_boundaries_within_the_cap(operation: str, path: str) -> None:
    meta = shape_at(strategies.input_shape(operation), path).metadata
    least, most = meta.get("min", 0), min(meta.get("max", LARGEST_DRAWN), LARGEST_DRAWN)
    sizes: set[int] = set()

    # sizes seen, not first_example: a found example is reported, and its repr is 87 kB
    @settings(max_examples=60, phases=[Phase.generate], database=None, deadline=None)
    @given(strategies.member_values(operation, path, realistic=False))
    def draw(blob: bytes) -> None:
        sizes.add(len(blob))

    draw()
    assert {least, most} <= sizes
    assert least <= min(sizes) and max(sizes) <= most
