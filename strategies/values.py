"""Compile botocore shapes into Hypothesis strategies of valid values.

One small strategy per shape kind, composed the way the shape nests. Boundary sizes
(exact minimum, exact maximum, empty and full lists) get branches of their own instead
of being left to chance. Member paths are written as templates (``Tags[].Key``) so a
domain layer can override the strategy of any member.
"""

from __future__ import annotations

import base64
import datetime
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import strategies as st

from .model import enum_values, is_union
from .patterns import ANY_CHARACTER, choose, compile_pattern, sized_text
from .pools import drawn_from, weighted_pool

Strategy = st.SearchStrategy[Any]
# A list this long (or a string, in a "lean" element) is a boundary case of its own.
SMALL_EXTRA = 4
LEAN_ROOM = 16
_MAX_DEPTH = 3
_EPOCH_MIN = datetime.datetime(2000, 1, 1)
_EPOCH_MAX = datetime.datetime(2100, 1, 1)


def member_path(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def item_path(parent: str) -> str:
    return f"{parent}[]"


@dataclass(frozen=True)
class Step:
    """One step of a path template: into a member, a list item or a map value."""

    kind: str  # "member", "item" or "value" (map value)
    name: str = ""


def template_steps(template: str) -> list[Step]:
    """The steps of a path template as ``member_path`` and ``item_path`` write it
    (``Tags[].Key``; ``*`` for a map value)."""
    steps: list[Step] = []
    for part in template.split("."):
        if part == "*":
            steps.append(Step("value"))
            continue
        m = re.fullmatch(r"([^\[]+)((?:\[\])*)", part)
        if m is None:
            raise ValueError(f"not a path template: {template!r}")
        steps.append(Step("member", m[1]))
        steps.extend(Step("item") for _ in range(len(m[2]) // 2))
    return steps


def shape_at(root: Shape, template: str) -> Shape:
    """The shape a path template leads to from ``root``; ValueError if there is none."""
    shape = root
    for step in template_steps(template):
        if step.kind == "member" and isinstance(shape, StructureShape):
            if step.name not in shape.members:
                raise ValueError(f"{root.name} has no member {template!r}")
            shape = shape.members[step.name]
        elif step.kind == "item" and isinstance(shape, ListShape):
            shape = shape.member
        elif step.kind == "value" and isinstance(shape, MapShape):
            shape = shape.value
        else:
            raise ValueError(f"{root.name} has no member {template!r}")
    return shape


@dataclass
class ValueCompiler:
    """Builds valid-value strategies for shapes.

    ``wire`` picks the JSON wire form (epoch-number timestamps, base64 blobs) over the
    boto3 keyword form (``datetime``, ``bytes``). ``overrides`` replaces the strategy of
    a member, keyed by path template. ``lean`` keeps strings and lists at their smallest
    legal sizes, for elements of deliberately full lists.
    """

    wire: bool = False
    overrides: Mapping[str, Strategy] = field(default_factory=dict)
    lean: bool = False
    _depth: dict[str, int] = field(default_factory=dict)

    def lean_copy(self) -> ValueCompiler:
        return ValueCompiler(wire=self.wire, overrides={}, lean=True)

    def compile(self, shape: Shape, path: str = "") -> Strategy:
        if path in self.overrides:
            return self.overrides[path]
        depth = self._depth.get(shape.name, 0)
        self._depth[shape.name] = depth + 1
        try:
            return self._compile(shape, path, too_deep=depth >= _MAX_DEPTH)
        finally:
            self._depth[shape.name] = depth

    def _compile(self, shape: Shape, path: str, too_deep: bool) -> Strategy:
        kind = shape.type_name
        if isinstance(shape, StructureShape):
            return self._structure(shape, path, too_deep)
        if isinstance(shape, ListShape):
            element = self.compile(shape.member, item_path(path))
            return self._sized_lists(shape, element, item_path(path), too_deep)
        if isinstance(shape, MapShape):
            return self._map(shape, path, too_deep)
        if kind == "string":
            return self.string(shape)
        if kind == "boolean":
            return st.booleans()
        if kind in ("integer", "long"):
            return _bounded_integers(shape)
        if kind in ("float", "double"):
            lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
            return st.floats(lo, hi, allow_nan=False, allow_infinity=False)
        if kind == "timestamp":
            moments = st.datetimes(_EPOCH_MIN, _EPOCH_MAX, timezones=st.just(datetime.UTC))
            return moments.map(lambda d: d.timestamp()) if self.wire else moments
        if kind == "blob":
            lo, hi = shape.metadata.get("min", 0), shape.metadata.get("max")
            data = st.binary(min_size=lo, max_size=hi if hi is not None else lo + 32)
            return data.map(lambda b: base64.b64encode(b).decode()) if self.wire else data
        return st.one_of(
            st.none(), st.booleans(), st.integers(), st.text(ANY_CHARACTER)
        )  # document

    def string(self, shape: Shape) -> st.SearchStrategy[str]:
        """Valid strings: an enum member, or text within the length bounds and pattern."""
        if enum_values(shape):
            return st.sampled_from(enum_values(shape))
        lo = shape.metadata.get("min", 0)
        hi = shape.metadata.get("max")
        pattern = shape.metadata.get("pattern")
        if self.lean:  # small; a composite pattern (\+?[0-9]{1,15}) needs room to match
            simple = pattern is None or compile_pattern(pattern).simple is not None
            room = 2 if simple else LEAN_ROOM
            hi = lo + room if hi is None else min(hi, lo + room)
        if pattern is not None:
            return compile_pattern(pattern).matching(lo, hi)
        return sized_text(ANY_CHARACTER, lo, hi)

    def _structure(self, shape: StructureShape, path: str, too_deep: bool) -> Strategy:
        if is_union(shape):  # exactly one member set
            return st.one_of(
                [
                    st.fixed_dictionaries({name: self.compile(member, member_path(path, name))})
                    for name, member in shape.members.items()
                ]
            )
        required = {
            name: self.compile(member, member_path(path, name))
            for name, member in shape.members.items()
            if name in shape.required_members
        }
        optional = (
            {}
            if too_deep
            else {
                name: self.compile(member, member_path(path, name))
                for name, member in shape.members.items()
                if name not in shape.required_members
            }
        )
        return st.fixed_dictionaries(required, optional=optional)

    def _sized_lists(
        self, shape: Shape, element: Strategy, element_path: str, too_deep: bool
    ) -> Strategy:
        lo = shape.metadata.get("min", 0)
        hi = shape.metadata.get("max")
        if too_deep or self.lean:
            return st.lists(element, min_size=lo, max_size=lo)
        small_hi = lo + SMALL_EXTRA if hi is None else min(hi, lo + SMALL_EXTRA)
        enumerated = _enumerated_lists(_element_shape(shape), lo, small_hi)
        if enumerated is not None and (hi is None or hi <= small_hi):
            return drawn_from(enumerated)
        options = [
            st.lists(element, min_size=lo, max_size=small_hi),
            st.lists(element, min_size=lo, max_size=lo),
        ]
        if hi is not None and hi > small_hi:
            full = self.lean_copy().compile(_element_shape(shape), element_path)
            options.append(st.lists(full, min_size=hi, max_size=hi))
        return choose(options)

    def _map(self, shape: MapShape, path: str, too_deep: bool) -> Strategy:
        lo = shape.metadata.get("min", 0)
        hi = shape.metadata.get("max")
        small_hi = lo if too_deep or self.lean else lo + SMALL_EXTRA
        if hi is not None:
            small_hi = min(hi, small_hi)
        keys = self.string(shape.key)
        values = self.compile(shape.value, member_path(path, "*"))
        return st.dictionaries(keys, values, min_size=lo, max_size=small_hi)


_ENUMERATED_LISTS = 1024


def _enumerated_lists(element: Shape, lo: int, hi: int) -> list[list[Any]] | None:
    """Every list of ``lo`` to ``hi`` enum members (each size weighing the same), if
    there are at most ``_ENUMERATED_LISTS``: drawn by index, a list of capabilities
    costs one choice instead of a size and a choice per item."""
    values = enum_values(element) if element.type_name == "string" else []
    if not values or sum(len(values) ** n for n in range(lo, hi + 1)) > _ENUMERATED_LISTS:
        return None
    by_size = [[list(p) for p in itertools.product(values, repeat=n)] for n in range(lo, hi + 1)]
    return weighted_pool(*((1, lists) for lists in by_size))


def _element_shape(shape: Shape) -> Shape:
    assert isinstance(shape, ListShape)
    return shape.member


def _bounded_integers(shape: Shape) -> st.SearchStrategy[int]:
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    bounds = [b for b in (lo, hi) if b is not None]
    general = st.integers(lo, hi)
    return choose([st.sampled_from(bounds), general]) if bounds else general
