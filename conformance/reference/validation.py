"""Input (and output) validation against the model, compiled once per shape.

Every shape becomes one closure that checks a decoded JSON value and returns it
normalised: structures keep only modelled members whose value is not ``null`` (the
protocol tells servers to ignore unknown members, and ``null`` means absent). Violations
are collected, not raised, so one ValidationException names every offending member by
path (``Tags[0].Key``). Collection stops after :data:`MAX_REPORTED` so a list of a
million bad items costs one bounded error body.

This module deliberately shares no code with the suite's ``strategies`` oracle: the
two read the same model independently and so check each other.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from . import model
from .patterns import compile_pattern

Errors = list[tuple[str, str]]
Check = Callable[[Any, str, Errors], Any]

MAX_REPORTED = 100
_INT_RANGE = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def violations(shape: Shape, value: Any, path: str = "") -> Errors:
    """Every (path, message) by which ``value`` breaks ``shape``, up to MAX_REPORTED."""
    errors: Errors = []
    checker(shape)(value, path, errors)
    return errors


def check_operation_input(operation: str, params: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """(normalised params, violations) for the input of ``operation``."""
    errors: Errors = []
    shape = model.operation(operation).input_shape
    assert shape is not None
    clean = checker(shape)(params, "", errors)
    return clean, errors


_compiled: dict[str, Check] = {}


def checker(shape: Shape) -> Check:
    """The check closure of ``shape``, compiled on first use and cached by shape name.

    Constraints live on named shapes in botocore's JSON models (only ``required`` is on
    the enclosing structure), so the shape name is a sound cache key.
    """
    found = _compiled.get(shape.name)
    if found is None:
        found = _compiled[shape.name] = _compile(shape, set())
    return found


def _compile(shape: Shape, in_progress: set[str]) -> Check:
    if shape.name in _compiled:
        return _compiled[shape.name]
    if shape.name in in_progress:  # a recursive shape: resolve it when first called
        name = shape.name
        return lambda v, p, e: _compiled[name](v, p, e)
    in_progress.add(shape.name)
    build = _BUILDERS.get(shape.type_name, _any)
    result = build(shape, in_progress)
    in_progress.discard(shape.name)
    _compiled[shape.name] = result
    return result


def _full(errors: Errors) -> bool:
    return len(errors) >= MAX_REPORTED


def _bounds(shape: Shape) -> tuple[int | None, int | None]:
    meta = shape.metadata
    return meta.get("min"), meta.get("max")


def _size_errors(
    size: int, lo: int | None, hi: int | None, noun: str, path: str, errors: Errors
) -> None:
    if lo is not None and size < lo:
        errors.append((path, f"Member must have {noun} greater than or equal to {lo}"))
    if hi is not None and size > hi:
        errors.append((path, f"Member must have {noun} less than or equal to {hi}"))


def _structure(shape: Shape, in_progress: set[str]) -> Check:
    assert isinstance(shape, StructureShape)
    members = {n: _compile(m, in_progress) for n, m in shape.members.items()}
    required = tuple(shape.required_members)

    def check(value: Any, path: str, errors: Errors) -> Any:
        if type(value) is not dict:
            errors.append((path, "Member must be an object"))
            return value
        clean = {}
        for name, item in value.items():
            member = members.get(name)
            if member is None or item is None:
                continue
            clean[name] = member(item, f"{path}.{name}" if path else name, errors)
        for name in required:
            if name not in clean:
                errors.append((f"{path}.{name}" if path else name, "Member must not be null"))
        return clean

    return check


def _list(shape: Shape, in_progress: set[str]) -> Check:
    assert isinstance(shape, ListShape)
    item_check = _compile(shape.member, in_progress)
    lo, hi = _bounds(shape)

    def check(value: Any, path: str, errors: Errors) -> Any:
        if type(value) is not list:
            errors.append((path, "Member must be a list"))
            return value
        _size_errors(len(value), lo, hi, "size", path, errors)
        clean = []
        for i, item in enumerate(value):
            if _full(errors):
                break
            clean.append(item_check(item, f"{path}[{i}]", errors))
        return clean

    return check


def _map(shape: Shape, in_progress: set[str]) -> Check:
    assert isinstance(shape, MapShape)
    key_check = _compile(shape.key, in_progress)
    value_check = _compile(shape.value, in_progress)
    lo, hi = _bounds(shape)

    def check(value: Any, path: str, errors: Errors) -> Any:
        if type(value) is not dict:
            errors.append((path, "Member must be a map"))
            return value
        _size_errors(len(value), lo, hi, "size", path, errors)
        clean = {}
        for key, item in value.items():
            if _full(errors):
                break
            where = f"{path}.{key}" if path else key
            if item is None:
                errors.append((where, "Map values must not be null"))
                continue
            clean[key_check(key, where, errors)] = value_check(item, where, errors)
        return clean

    return check


def _string(shape: Shape, in_progress: set[str]) -> Check:
    values = model.enum(shape)
    enum = frozenset(values) if values else None
    enum_text = f"[{', '.join(values)}]"
    lo, hi = _bounds(shape)
    source = shape.metadata.get("pattern")
    regex = compile_pattern(source) if source is not None else None

    def check(value: Any, path: str, errors: Errors) -> Any:
        if type(value) is not str:
            errors.append((path, "Member must be a string"))
            return value
        if enum is not None and value not in enum:
            errors.append((path, f"Member must satisfy enum value set: {enum_text}"))
        _size_errors(len(value), lo, hi, "length", path, errors)
        if regex is not None and regex.search(value) is None:
            errors.append((path, f"Member must satisfy regular expression pattern: {source}"))
        return value

    return check


def _integer(shape: Shape, in_progress: set[str]) -> Check:
    lo, hi = _bounds(shape)
    type_lo, type_hi = _INT_RANGE[shape.type_name]

    def check(value: Any, path: str, errors: Errors) -> Any:
        if type(value) is not int:
            errors.append((path, f"Member must be an {shape.type_name}"))
            return value
        if not type_lo <= value <= type_hi:
            errors.append((path, f"Member must fit in a signed {shape.type_name}"))
        _check_range(value, lo, hi, path, errors)
        return value

    return check


def _check_range(value: float, lo: Any, hi: Any, path: str, errors: Errors) -> None:
    if lo is not None and value < lo:
        errors.append((path, f"Member must have value greater than or equal to {lo}"))
    if hi is not None and value > hi:
        errors.append((path, f"Member must have value less than or equal to {hi}"))


def _number(shape: Shape, in_progress: set[str]) -> Check:
    """float, double and timestamp (epoch seconds on the awsJson wire)."""
    lo, hi = _bounds(shape)

    def check(value: Any, path: str, errors: Errors) -> Any:
        if not (type(value) is int or (type(value) is float and math.isfinite(value))):
            errors.append((path, "Member must be a finite number"))
            return value
        _check_range(value, lo, hi, path, errors)
        return value

    return check


def _boolean(shape: Shape, in_progress: set[str]) -> Check:
    def check(value: Any, path: str, errors: Errors) -> Any:
        if type(value) is not bool:
            errors.append((path, "Member must be a boolean"))
        return value

    return check


def _blob(shape: Shape, in_progress: set[str]) -> Check:
    lo, hi = _bounds(shape)

    def check(value: Any, path: str, errors: Errors) -> Any:
        try:
            size = len(base64.b64decode(value, validate=True)) if type(value) is str else -1
        except (binascii.Error, ValueError):
            size = -1
        if size < 0:
            errors.append((path, "Member must be a base64-encoded string"))
            return value
        _size_errors(size, lo, hi, "length", path, errors)
        return value

    return check


def _any(shape: Shape, in_progress: set[str]) -> Check:
    """Documents (and any type this module does not know): any JSON value."""
    return lambda value, path, errors: value


_BUILDERS: dict[str, Callable[[Shape, set[str]], Check]] = {
    "structure": _structure,
    "list": _list,
    "map": _map,
    "string": _string,
    "integer": _integer,
    "long": _integer,
    "float": _number,
    "double": _number,
    "timestamp": _number,
    "boolean": _boolean,
    "blob": _blob,
}


def warm(operations: tuple[str, ...]) -> None:
    """Compile the input checks of ``operations`` now, so no request pays for it."""
    for op in operations:
        shape = model.operation(op).input_shape
        if shape is not None:
            checker(shape)
