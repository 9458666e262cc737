"""Compile botocore shapes into Hypothesis strategies of valid values.

One small strategy per shape kind, composed the way the shape nests. Boundary sizes
(exact minimum, exact maximum, empty and full lists) get branches of their own instead
of being left to chance. Member paths are written as templates (``Tags[].Key``) so a
domain layer can override the strategy of any member.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import strategies as st

from .limits import (
    AllowedCharacters,
    MaxItems,
    ServiceLimit,
    UniqueItems,
    accepts,
)
from .model import enum_values, is_union, value_count
from .oracle import check_value
from .paths import item_path, member_path
from .patterns import ANY_CHARACTER, LINE_TERMINATORS, choose, compile_pattern, sized_text
from .pools import copied, drawn_from, weighted_pool
from .sizes import sized_blobs

Strategy = st.SearchStrategy[Any]
# A list this long (or a string, in a "lean" element) is a boundary case of its own.
SMALL_EXTRA = 4
LEAN_ROOM = 16
_MAX_DEPTH = 3
_EPOCH_MIN = datetime.datetime(2000, 1, 1)
_EPOCH_MAX = datetime.datetime(2100, 1, 1)


@dataclass
class ValueCompiler:
    """Builds valid-value strategies for shapes.

    ``wire`` picks the JSON wire form (epoch-number timestamps, base64 blobs) over the
    boto3 keyword form (``datetime``, ``bytes``). ``overrides`` replaces the strategy of
    a member, keyed by path template. ``limits`` (service limits by path template, from
    ``strategies.limits``) keeps the values of those members within them: lists no longer
    than the service's maximum, unique items, strings of the allowed characters without
    a forbidden prefix. ``lean`` keeps strings, blobs and lists at their smallest
    legal sizes and structures to their required members, for elements of deliberately
    full lists and the members that an invalid input needs on the way to its defect.
    """

    wire: bool = False
    overrides: Mapping[str, Strategy] = field(default_factory=dict)
    lean: bool = False
    limits: Mapping[str, Sequence[ServiceLimit]] = field(default_factory=dict)
    _depth: dict[str, int] = field(default_factory=dict)

    def lean_copy(self) -> ValueCompiler:
        return ValueCompiler(wire=self.wire, overrides={}, lean=True, limits=self.limits)

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
            limits = self.limits.get(path, ())
            if limits:
                return self._limited_lists(shape, element, item_path(path), too_deep, limits)
            return self._sized_lists(shape, element, item_path(path), too_deep)
        if isinstance(shape, MapShape):
            return self._map(shape, path, too_deep)
        if kind == "string":
            return self.string(shape, path)
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
            if self.lean:
                hi = lo + 2 if hi is None else min(hi, lo + 2)
            return sized_blobs(lo, hi, wire=self.wire)
        return st.one_of(
            st.none(), st.booleans(), st.integers(), st.text(ANY_CHARACTER)
        )  # document

    def string(self, shape: Shape, path: str = "") -> st.SearchStrategy[str]:
        """Valid strings: an enum member, or text within the length bounds and pattern
        (and within the service limits on ``path``, if any)."""
        limits = self.limits.get(path, ())
        if limits:
            return self._limited_string(shape, limits)
        if enum_values(shape):
            return st.sampled_from(enum_values(shape))
        lo = shape.metadata.get("min", 0)
        pattern = shape.metadata.get("pattern")
        hi = self._string_max(shape)
        if pattern is not None:
            return compile_pattern(pattern).matching(lo, hi)
        return sized_text(ANY_CHARACTER, lo, hi)

    def _string_max(self, shape: Shape) -> int | None:
        hi: int | None = shape.metadata.get("max")
        if self.lean:  # small; a composite pattern (\+?[0-9]{1,15}) needs room to match
            lo = shape.metadata.get("min", 0)
            pattern = shape.metadata.get("pattern")
            simple = pattern is None or compile_pattern(pattern).simple is not None
            room = 2 if simple else LEAN_ROOM
            hi = lo + room if hi is None else min(hi, lo + room)
        return hi

    def _limited_string(
        self, shape: Shape, limits: Sequence[ServiceLimit]
    ) -> st.SearchStrategy[str]:
        """Valid strings within the service ``limits``: drawn from the allowed characters,
        with a final check only for what the drawing does not ensure (a forbidden prefix,
        the model's pattern); a pattern that random text rarely matches is not for this."""
        enum = enum_values(shape)
        if enum:
            allowed = [value for value in enum if accepts(limits, value)]
            if not allowed:
                raise ValueError(f"the service limits leave no value of {shape.name}")
            return st.sampled_from(allowed)
        alphabet: st.SearchStrategy[str] = ANY_CHARACTER
        rest = []
        for limit in limits:
            if isinstance(limit, AllowedCharacters):
                sample = [c for c in limit.sample() if c not in LINE_TERMINATORS]
                alphabet = st.sampled_from(sample)
            else:
                rest.append(limit)
        text = sized_text(alphabet, shape.metadata.get("min", 0), self._string_max(shape))
        pattern = shape.metadata.get("pattern")
        if pattern is not None:
            text = text.filter(compile_pattern(pattern).search)
        if rest:
            text = text.filter(functools.partial(accepts, rest))
        return text

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
            if too_deep or self.lean
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
            options.append(long_lists(full, hi, hi))
        return choose(options)

    def _limited_lists(
        self,
        shape: Shape,
        element: Strategy,
        element_path: str,
        too_deep: bool,
        limits: Sequence[ServiceLimit],
    ) -> Strategy:
        """``_sized_lists`` within the service ``limits`` on the list: at most the
        service's maximum of items (its boundary, not the model's, is the full list), and
        unique items where the service asks for them."""
        lo = shape.metadata.get("min", 0)
        hi = shape.metadata.get("max")
        for limit in limits:
            if isinstance(limit, MaxItems):
                if limit.maximum < lo:
                    raise ValueError(f"{limit} leaves no list the model's {shape.name} allows")
                hi = limit.maximum if hi is None else min(hi, limit.maximum)
        uniqueness = next((limit for limit in limits if isinstance(limit, UniqueItems)), None)
        unique = uniqueness is not None
        whole = unique and uniqueness is not None and uniqueness.key is None
        distinct = value_count(_element_shape(shape)) if whole else None
        if distinct is not None:  # unique items of an enum: at most one of each member
            if distinct < lo:
                raise ValueError(f"{shape.name} needs {lo} unique items of {distinct} values")
            hi = distinct if hi is None else min(hi, distinct)
        other = [limit for limit in limits if not isinstance(limit, (MaxItems, UniqueItems))]

        def lists(items: Strategy, least: int, most: int) -> Strategy:
            made = st.lists(
                items,
                min_size=least,
                max_size=most,
                unique_by=uniqueness.identity if uniqueness is not None else None,
            )
            return made.filter(functools.partial(accepts, other)) if other else made

        if too_deep or self.lean:
            return lists(element, lo, lo)
        small_hi = lo + SMALL_EXTRA if hi is None else min(hi, lo + SMALL_EXTRA)
        enumerated = _enumerated_lists(_element_shape(shape), lo, small_hi, unique=unique)
        if enumerated is not None and (hi is None or hi <= small_hi):
            return drawn_from([e for e in enumerated if accepts(other, e)])
        options = [lists(element, lo, small_hi), lists(element, lo, lo)]
        if hi is not None and hi > small_hi:
            full = self.lean_copy().compile(_element_shape(shape), element_path)
            options.append(lists(full, hi, hi))
        return choose(options)

    def _map(self, shape: MapShape, path: str, too_deep: bool) -> Strategy:
        """Maps of a few entries (exactly the minimum when lean or too deep); never more
        entries than the key shape has distinct values (two enum keys, max 10)."""
        lo = shape.metadata.get("min", 0)
        hi = shape.metadata.get("max")
        keys_count = value_count(shape.key)
        if keys_count is not None:
            if keys_count < lo:
                raise ValueError(f"{shape.name} needs {lo} keys; {shape.key.name} has {keys_count}")
            hi = keys_count if hi is None else min(hi, keys_count)
        small_hi = lo if too_deep or self.lean else lo + SMALL_EXTRA
        if hi is not None:
            small_hi = min(hi, small_hi)
        keys = self.string(shape.key)
        values = self.compile(shape.value, member_path(path, "*"))
        return st.dictionaries(keys, values, min_size=lo, max_size=small_hi)


# Collections longer than this repeat a few drawn items (``long_lists``, ``long_maps``).
DRAWN_ITEMS = 4


def long_lists(element: Strategy, lo: int, hi: int) -> Strategy:
    """Lists of ``lo`` to ``hi`` items; a long one repeats a few drawn items (each a
    copy): drawing the 200 tags of a full tag list one by one cost about three thousand
    choices, most of an example's time. The size is the boundary being tested. Only
    where the model puts no uniqueness on the items: repeats are legal there."""
    if lo <= DRAWN_ITEMS:
        return st.lists(element, min_size=lo, max_size=hi)
    drawn = st.lists(element, min_size=1, max_size=DRAWN_ITEMS)
    if lo == hi:
        return drawn.map(functools.partial(_cycled, size=lo))
    return st.tuples(drawn, st.integers(lo, hi)).map(lambda t: _cycled(t[0], t[1]))


def _cycled(items: list[Any], size: int) -> list[Any]:
    return [copied(items[i % len(items)]) for i in range(size)]


def long_maps(keys: Strategy, values: Strategy, key_shape: Shape, lo: int, hi: int) -> Strategy:
    """Maps of ``lo`` to ``hi`` entries; a long one takes its keys from a run of
    enumerated distinct keys (``distinct_strings``) and repeats a few drawn values: the
    301 entries of an over-full country map took ten thousand choices an example.
    Where no keys can be enumerated, every entry is drawn."""
    pool = distinct_strings(key_shape, hi + _EXTRA_KEYS) if lo > DRAWN_ITEMS else None
    if pool is None or len(pool) < hi:
        return st.dictionaries(keys, values, min_size=lo, max_size=hi)
    return st.tuples(
        st.lists(values, min_size=1, max_size=DRAWN_ITEMS),
        st.integers(0, len(pool) - 1),
        st.integers(lo, hi),
    ).map(functools.partial(_entries, pool))


def _entries(pool: list[str], drawn: tuple[list[Any], int, int]) -> dict[str, Any]:
    """``size`` entries: keys from ``pool`` (cyclically, from ``start``), drawn values
    repeated."""
    values, start, size = drawn
    keys = (pool[(start + i) % len(pool)] for i in range(size))
    return {key: copied(values[i % len(values)]) for i, key in enumerate(keys)}


# Enumerated keys beyond the ones asked for, so that runs of them differ.
_EXTRA_KEYS = 64
# Characters that enumerated keys are made of, the readable ones first.
_KEY_CHARACTERS = string.ascii_letters + string.digits + string.punctuation + " "


def distinct_strings(shape: Shape, count: int) -> list[str] | None:
    """Up to ``count`` distinct valid values of a string ``shape``, enumerated, not
    drawn: its enum, or the shortest strings of readable characters that its pattern's
    one repeated class matches (a run of them long enough matches it anywhere). None
    for another pattern. Each is checked against the model."""
    enum = enum_values(shape)
    if enum:
        return enum[:count]
    meta = shape.metadata
    lo, hi = meta.get("min", 0), meta.get("max")
    least, chars = 0, _KEY_CHARACTERS
    if "pattern" in meta:
        simple = compile_pattern(meta["pattern"]).simple
        if simple is None:
            return None
        atom, least, _ = simple
        chars = "".join(c for c in _KEY_CHARACTERS if atom.fullmatch(c))
    if not chars:
        return None
    found: list[str] = []
    size = max(lo, least, 1)
    while len(found) < count and (hi is None or size <= hi):
        runs = itertools.product(chars, repeat=size)
        found += ["".join(run) for run in itertools.islice(runs, count - len(found))]
        size += 1
    problems: list[Any] = []
    for value in found:
        check_value(shape, value, shape.name, problems)
    if problems:
        raise ValueError(f"enumerated values of {shape.name} break the model: {problems[:3]}")
    return found


_ENUMERATED_LISTS = 1024


def _enumerated_lists(
    element: Shape, lo: int, hi: int, *, unique: bool = False
) -> list[list[Any]] | None:
    """Every list of ``lo`` to ``hi`` enum members (each size weighing the same), if
    there are at most ``_ENUMERATED_LISTS``: drawn by index, a list of capabilities
    costs one choice instead of a size and a choice per item. ``unique``: lists without
    a repeated member only (sizes up to the number of members)."""
    values = enum_values(element) if element.type_name == "string" else []
    if unique:
        hi = min(hi, len(values))
    if not values or lo > hi:
        return None
    if sum(len(values) ** n for n in range(lo, hi + 1)) > _ENUMERATED_LISTS:
        return None
    if unique:
        by_size = [[list(p) for p in itertools.permutations(values, n)] for n in range(lo, hi + 1)]
    else:
        by_size = [
            [list(p) for p in itertools.product(values, repeat=n)] for n in range(lo, hi + 1)
        ]
    return weighted_pool(*((1, lists) for lists in by_size))


def _element_shape(shape: Shape) -> Shape:
    assert isinstance(shape, ListShape)
    return shape.member


def _bounded_integers(shape: Shape) -> st.SearchStrategy[int]:
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    bounds = [b for b in (lo, hi) if b is not None]
    general = st.integers(lo, hi)
    return choose([st.sampled_from(bounds), general]) if bounds else general
