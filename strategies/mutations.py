"""Invalid inputs: a valid wire body with exactly one model constraint broken.

Every member of the input shape (list elements and map values included) is a target for
every constraint kind the model puts on it, so each kind the model uses is reachable.
The broken value is chosen to break only the labelled constraint where the model
allows that, so a failing example names one cause.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import strategies as st

from .model import DEFAULT_SERVICE, enum_values, input_shape, is_union, value_count
from .paths import Step, item_path, member_path, shape_at, template_steps
from .patterns import ANY_CHARACTER, choose, compile_pattern, sized_text
from .pools import copied
from .sizes import blobs
from .valid import valid_strategy
from .values import ValueCompiler, long_lists, long_maps
from .violation import Constraint, InvalidInput, Violation

Strategy = st.SearchStrategy[Any]
_MAX_DEPTH = 2


@dataclass(frozen=True, order=True)
class Target:
    """A member (by path template, ``Tags[].Key``) and a constraint to break there."""

    path: str
    constraint: Constraint

    def __str__(self) -> str:
        return f"{self.path}:{self.constraint.value}"


def _targets_of(shape: Shape, path: str, required: bool, depth: dict[str, int]) -> list[Target]:
    if depth.get(shape.name, 0) >= _MAX_DEPTH:
        return []
    depth = {**depth, shape.name: depth.get(shape.name, 0) + 1}
    found = [Target(path, Constraint.REQUIRED)] if required else []
    found.append(Target(path, Constraint.TYPE))
    meta = shape.metadata
    lo, hi = meta.get("min"), meta.get("max")
    kind = shape.type_name
    if isinstance(shape, StructureShape):
        if is_union(shape):
            found.append(Target(path, Constraint.UNION))
        for name, member in shape.members.items():
            found += _targets_of(
                member, member_path(path, name), name in shape.required_members, depth
            )
    elif isinstance(shape, (ListShape, MapShape)):
        if lo:
            found.append(Target(path, Constraint.MIN_ITEMS))
        if hi is not None and _can_hold(shape, hi + 1):
            found.append(Target(path, Constraint.MAX_ITEMS))
        if isinstance(shape, ListShape):
            found += _targets_of(shape.member, item_path(path), False, depth)
        else:
            found += _targets_of(shape.value, member_path(path, "*"), False, depth)
    elif kind in ("string", "blob"):
        if enum_values(shape):
            found.append(Target(path, Constraint.ENUM))
        if lo:
            found.append(Target(path, Constraint.MIN_LENGTH))
        if hi is not None:
            found.append(Target(path, Constraint.MAX_LENGTH))
        pattern = meta.get("pattern")
        if pattern and not enum_values(shape) and compile_pattern(pattern).violable(lo or 0, hi):
            found.append(Target(path, Constraint.PATTERN))
    elif kind in ("integer", "long", "float", "double"):
        if lo is not None:
            found.append(Target(path, Constraint.MIN_VALUE))
        if hi is not None:
            found.append(Target(path, Constraint.MAX_VALUE))
    return found


def _can_hold(shape: Shape, entries: int) -> bool:
    """Can a value of the list or map ``shape`` have ``entries`` entries at all? Not a
    map with fewer distinct keys (a map of two enum keys cannot have 11): its maximum
    cannot be broken, and asking for it made Hypothesis raise."""
    if not isinstance(shape, MapShape):
        return True
    keys = value_count(shape.key)
    return keys is None or keys >= entries


def _wrong_type(shape: Shape) -> Strategy:
    """JSON values of a type the member does not have."""
    text = st.text(ANY_CHARACTER, max_size=8)
    numbers = st.one_of(st.integers(-5, 10**6), st.floats(0.5, 1e6).filter(lambda f: f % 1 != 0))
    kind = shape.type_name
    if kind == "string":
        return st.one_of(numbers, st.booleans(), st.just([]), st.just({}))
    if kind == "boolean":
        return st.one_of(st.sampled_from(["true", "false", "1"]), st.integers(0, 1))
    if kind in ("integer", "long"):
        return st.one_of(
            st.text(alphabet="0123456789", min_size=1, max_size=4),
            st.booleans(),
            st.floats(0.5, 1e6).filter(lambda f: f % 1 != 0),
        )
    if kind in ("float", "double"):
        return st.one_of(text, st.booleans(), st.just([]))
    if kind == "timestamp":
        return st.one_of(st.just("2024-01-01T00:00:00Z"), st.booleans(), st.just({}))
    if kind == "blob":
        return st.one_of(numbers, st.booleans(), st.just("not base64!"))
    if kind == "list":
        return st.one_of(text, numbers, st.just({}))
    return st.one_of(text, numbers, st.booleans(), st.just([]))  # structure, map


class _Plan:
    """Per-operation precomputation: the base strategy, targets and broken values."""

    def __init__(self, operation: str, service: str) -> None:
        self.operation = operation
        self.root = input_shape(operation, service)
        self.targets = tuple(_targets_of(self.root, "", False, {})[1:])  # not the body itself
        self.base = valid_strategy(operation, service, wire=True, realistic=True)
        self.lean = ValueCompiler(wire=True, lean=True)
        self._lean_values: dict[str, Strategy] = {}
        self._lean_keys: dict[str, Strategy] = {}
        self._shapes = {t.path: s for t, s in self._walk_shapes()}

    def _walk_shapes(self) -> Iterable[tuple[Target, Shape]]:
        for target in self.targets:
            if target.constraint is Constraint.TYPE:
                yield target, self.shape_at(target.path)

    def shape_at(self, template: str) -> Shape:
        return shape_at(self.root, template)

    @functools.cache  # noqa: B019 - plans live as long as the process, by design
    def broken(self, target: Target) -> Strategy:
        """Values that break ``target.constraint`` and, where possible, nothing else."""
        shape = self._shapes[target.path]
        meta = shape.metadata
        lo, hi = meta.get("min", 0), meta.get("max")
        c = target.constraint
        if c is Constraint.TYPE:
            return _wrong_type(shape)
        if c is Constraint.UNION:
            assert isinstance(shape, StructureShape)
            members = list(shape.members.items())
            pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
            return choose(
                [
                    st.fixed_dictionaries({name: self.lean_value(member) for name, member in pair})
                    for pair in pairs
                ]
            )
        if c is Constraint.ENUM:
            enum = enum_values(shape)
            near = st.sampled_from(enum).flatmap(
                lambda v: st.sampled_from([v.lower(), v.title(), f"{v}_", f" {v}"])
            )
            return st.one_of(near, st.text(ANY_CHARACTER, max_size=20)).filter(
                lambda v: v not in enum
            )
        if c in (Constraint.MIN_ITEMS, Constraint.MAX_ITEMS):
            sizes = (0, lo - 1) if c is Constraint.MIN_ITEMS else (meta["max"] + 1, meta["max"] + 2)
            if isinstance(shape, MapShape):
                keys = value_count(shape.key)  # no more entries than distinct keys
                most = sizes[1] if keys is None else min(sizes[1], keys)
                value = self.lean_value(shape.value)
                return long_maps(self.lean_key(shape), value, shape.key, sizes[0], most)
            assert isinstance(shape, ListShape)
            return long_lists(self.lean_value(shape.member), *sizes)
        if c in (Constraint.MIN_VALUE, Constraint.MAX_VALUE):
            if c is Constraint.MIN_VALUE:
                return st.integers(max_value=meta["min"] - 1)
            return st.integers(min_value=meta["max"] + 1)
        pattern = compile_pattern(meta["pattern"]) if "pattern" in meta else None
        if c is Constraint.PATTERN:
            assert pattern is not None
            return pattern.violating(lo, hi)
        if c is Constraint.MAX_LENGTH:
            if shape.type_name == "blob":  # repeated bytes: a maximum may be millions
                return blobs(meta["max"] + 1, meta["max"] + 4, wire=True)
            if pattern is not None:
                return pattern.matching(meta["max"] + 1, meta["max"] + 8)
            return sized_text(ANY_CHARACTER, meta["max"] + 1, meta["max"] + 8)
        if c is Constraint.MIN_LENGTH:
            if shape.type_name == "blob":
                return blobs(0, lo - 1, wire=True)
            # matching characters only (too short is the one fault), drawn from the class
            # itself: filtering arbitrary characters by [A-Z] failed nearly every draw
            alphabet = pattern.characters() if pattern is not None else None
            return st.text(ANY_CHARACTER if alphabet is None else alphabet, max_size=lo - 1)
        raise ValueError(f"no broken values for {target}")

    def fill(self, template: str) -> Strategy:
        """A valid value for a member that the base example left out."""
        return self.lean_value(self.shape_at(template))

    def lean_value(self, shape: Shape) -> Strategy:
        """Small valid values of ``shape``, compiled once per shape: compiling them on
        every draw (an RCS message's thousands of members) cost over a second an example.
        Kept by shape name: botocore makes a new Shape for each reference to one."""
        if shape.name not in self._lean_values:
            self._lean_values[shape.name] = self.lean.compile(shape)
        return self._lean_values[shape.name]

    def lean_key(self, shape: MapShape) -> Strategy:
        """Small valid keys of the map ``shape``, compiled once per key shape."""
        key = shape.key
        if key.name not in self._lean_keys:
            self._lean_keys[key.name] = self.lean.string(key)
        return self._lean_keys[key.name]


@functools.cache
def _plan(operation: str, service: str) -> _Plan:
    return _Plan(operation, service)


def mutation_targets(operation: str, service: str = DEFAULT_SERVICE) -> tuple[Target, ...]:
    """Every (member, constraint) pair that ``invalid_inputs`` can break."""
    return _plan(operation, service).targets


def invalid_inputs(
    operation: str,
    service: str = DEFAULT_SERVICE,
    *,
    targets: Iterable[Target | str] | None = None,
    constraints: Iterable[Constraint | str] | None = None,
) -> st.SearchStrategy[InvalidInput]:
    """Records of wire bodies that break one labelled constraint of the input shape.

    ``targets`` (``Target`` or ``"Tags[].Key:pattern"``) and ``constraints`` narrow
    what is broken; by default every target is eligible. ValueError if none is: an
    operation whose input has no members (``mutation_targets`` is empty) has nothing
    to break, and ``invalid_input_sets`` gives it empty sets.
    """
    plan = _plan(operation, service)
    chosen = list(plan.targets)
    if not chosen:
        raise ValueError(f"{operation}'s input has no member to break")
    if targets is not None:
        wanted = {str(t) for t in targets}
        unknown = wanted - {str(t) for t in chosen}
        if unknown:
            raise ValueError(f"not a mutation target of {operation}: {sorted(unknown)}")
        chosen = [t for t in chosen if str(t) in wanted]
    if constraints is not None:
        kinds = {Constraint(c) for c in constraints}
        chosen = [t for t in chosen if t.constraint in kinds]
    if not chosen:
        raise ValueError(f"no mutation target of {operation} matches")
    return _invalid(plan, plan.base, (st.sampled_from(chosen),)).map(_only)


def invalid_input_sets(
    operation: str,
    service: str = DEFAULT_SERVICE,
    *,
    constraints: Iterable[Constraint | str] | None = None,
    base: st.SearchStrategy[dict[str, Any]] | None = None,
) -> st.SearchStrategy[tuple[InvalidInput, ...]]:
    """One record per constraint kind (in the order of ``constraints``, by default every
    kind the model uses, sorted), all breaking copies of one drawn valid body (drawn
    from ``base`` if given: valid wire bodies of the operation, such as the only kind a
    caller may send somewhere).

    What ``invalid_inputs(operation, constraints=[kind])`` gives for each kind, for the
    price of one valid body instead of one per kind, and with every kind in every
    example: a short run cannot miss one.
    """
    plan = _plan(operation, service)
    kinds = (
        sorted({t.constraint for t in plan.targets}, key=lambda c: c.value)
        if constraints is None
        else [Constraint(c) for c in constraints]
    )
    groups = []
    for kind in kinds:
        targets = [t for t in plan.targets if t.constraint is kind]
        if not targets:
            raise ValueError(f"{operation} has no member with a {kind.value} constraint")
        groups.append(st.sampled_from(targets))
    return _invalid(plan, plan.base if base is None else base, tuple(groups))


def _only(records: tuple[InvalidInput, ...]) -> InvalidInput:
    return records[0]


@st.composite
def _invalid(
    draw: st.DrawFn,
    plan: _Plan,
    base: Strategy,
    groups: tuple[st.SearchStrategy[Target], ...],
) -> tuple[InvalidInput, ...]:
    """A valid body, then for each group of targets a copy with one of them broken.

    A single record copies only the containers on the path it breaks; records of a set
    get copies of their own, so that changing one body changes no other (nor a constant
    the valid body was drawn from)."""
    body = draw(base)
    records = []
    for targets in groups:
        params = dict(body) if len(groups) == 1 else copied(body)
        target = draw(targets)
        where = _apply(draw, plan, params, plan.root, template_steps(target.path), "", target)
        violation = Violation(where, target.constraint, f"generated to break {target.constraint}")
        records.append(InvalidInput(plan.operation, params, (violation,)))
    return tuple(records)


def _apply(
    draw: st.DrawFn,
    plan: _Plan,
    container: Any,
    shape: Shape,
    steps: list[Step],
    path: str,
    target: Target,
) -> str:
    """Walk ``steps`` into ``container`` (creating what is missing); break the last one."""
    step, rest = steps[0], steps[1:]
    if step.kind == "member":
        assert isinstance(shape, StructureShape)
        key: Any = step.name
        if is_union(shape):  # the member on the path is the one set: no second break
            for other in [name for name in container if name in shape.members]:
                if other != key:
                    del container[other]
        child_shape = shape.members[step.name]
        where = member_path(path, step.name)
    elif step.kind == "item":
        assert isinstance(shape, ListShape)
        child_shape = shape.member
        if not container:
            container.append(draw(plan.lean_value(child_shape)))
        key = draw(st.integers(0, len(container) - 1))
        where = f"{path}[{key}]"
    else:
        assert isinstance(shape, MapShape)
        child_shape = shape.value
        if not container:
            container[draw(plan.lean_key(shape))] = draw(plan.lean_value(child_shape))
        key = draw(st.sampled_from(sorted(container)))
        where = member_path(path, str(key))
    if not rest:
        if target.constraint is Constraint.REQUIRED:
            container.pop(key)
        else:
            container[key] = draw(plan.broken(target))
        return where
    if step.kind == "member" and container.get(key) is None:
        container[key] = draw(plan.fill(_template(target.path, len(steps))))
    else:  # a drawn value may be shared (a sampled or built constant): copy, then change
        container[key] = _shallow_copy(container[key])
    return _apply(draw, plan, container[key], child_shape, rest, where, target)


def _shallow_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


def _template(full: str, remaining: int) -> str:
    """The template of the ancestor that still has ``remaining`` steps to go (inclusive)."""
    steps = template_steps(full)
    upto = len(steps) - remaining + 1
    out = ""
    for step in steps[:upto]:
        if step.kind == "member":
            out = member_path(out, step.name)
        elif step.kind == "item":
            out = item_path(out)
        else:
            out = member_path(out, "*")
    return out
