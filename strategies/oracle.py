"""The validity oracle: what is wrong with a wire body, read straight off the model.

It shares no code with the generators, so a generator's label can be checked against it,
and the suite asks it (not the label) whether a server should have refused an input.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from .model import DEFAULT_SERVICE, enum_values, input_shape, is_union
from .patterns import compile_pattern
from .violation import Constraint, Violation

_JSON_TYPE = {
    "structure": "object",
    "map": "object",
    "list": "array",
    "string": "string",
    "boolean": "boolean",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
    "timestamp": "epoch-seconds number",
    "blob": "base64 string",
}


def violations(operation: str, params: Any, service: str = DEFAULT_SERVICE) -> list[Violation]:
    """Every constraint of the operation's input shape that ``params`` breaks.

    ``params`` is a wire body (timestamps as epoch numbers, blobs as base64); boto3's
    Python forms (``datetime``, ``bytes``) are accepted too. Unknown members are not
    violations: the protocol tells servers to ignore them. A JSON ``null`` member counts
    as absent.
    """
    found: list[Violation] = []
    check_value(input_shape(operation, service), params, "", found)
    return found


def check_value(shape: Shape, value: Any, path: str, found: list[Violation]) -> None:
    """Append the violations of ``value`` against ``shape`` at ``path`` to ``found``."""
    type_name = shape.type_name
    if type_name == "blob":
        _check_blob(shape, value, path, found)
        return
    if not _has_type(type_name, value):
        found.append(_wrong_type(type_name, value, path))
        return
    if isinstance(shape, StructureShape):
        _check_structure(shape, value, path, found)
    elif isinstance(shape, ListShape):
        _check_bounds(shape, len(value), path, found, _ITEMS)
        for i, item in enumerate(value):
            check_value(shape.member, item, f"{path}[{i}]", found)
    elif isinstance(shape, MapShape):
        _check_bounds(shape, len(value), path, found, _ITEMS)
        for key, item in value.items():
            check_value(shape.key, key, _join(path, str(key)), found)
            check_value(shape.value, item, _join(path, str(key)), found)
    elif type_name == "string":
        _check_string(shape, value, path, found)
    elif type_name in ("integer", "long", "float", "double"):
        _check_bounds(shape, value, path, found, _VALUE)


def _wrong_type(type_name: str, value: Any, path: str) -> Violation:
    expected = _JSON_TYPE.get(type_name, type_name)
    return Violation(path, Constraint.TYPE, f"expected {expected}, got {type(value).__name__}")


def _check_blob(shape: Shape, value: Any, path: str, found: list[Violation]) -> None:
    """Bytes, or base64 text on the wire: decoded once, as it may be megabytes long."""
    data = _b64decode(value) if isinstance(value, str) else value
    if not isinstance(data, bytes):
        found.append(_wrong_type("blob", value, path))
        return
    _check_bounds(shape, len(data), path, found, _LENGTH)


def _has_type(type_name: str, value: Any) -> bool:
    if type_name in ("structure", "map"):
        return isinstance(value, dict)
    if type_name == "list":
        return isinstance(value, list)
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name in ("integer", "long"):
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name in ("float", "double", "timestamp"):
        if type_name == "timestamp" and isinstance(value, datetime.datetime):
            return True
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return True  # document: any JSON value


def _b64decode(value: str) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _check_structure(
    shape: StructureShape, value: dict[str, Any], path: str, found: list[Violation]
) -> None:
    for name in shape.required_members:
        if value.get(name) is None:
            found.append(
                Violation(_join(path, name), Constraint.REQUIRED, "required member missing")
            )
    if is_union(shape):
        chosen = [name for name in shape.members if value.get(name) is not None]
        if len(chosen) != 1:
            message = f"a union sets exactly one member, not {chosen}"
            found.append(Violation(path, Constraint.UNION, message))
    for name, member in shape.members.items():
        if value.get(name) is not None:
            check_value(member, value[name], _join(path, name), found)


def _check_string(shape: Shape, value: str, path: str, found: list[Violation]) -> None:
    enum = enum_values(shape)
    if enum and value not in enum:
        found.append(Violation(path, Constraint.ENUM, f"{value!r} is not one of {list(enum)}"))
    _check_bounds(shape, len(value), path, found, _LENGTH)
    pattern = shape.metadata.get("pattern")
    if pattern is not None and not compile_pattern(pattern).search(value):
        found.append(Violation(path, Constraint.PATTERN, f"no substring matches {pattern!r}"))


_LENGTH = (Constraint.MIN_LENGTH, Constraint.MAX_LENGTH, "length")
_ITEMS = (Constraint.MIN_ITEMS, Constraint.MAX_ITEMS, "item count")
_VALUE = (Constraint.MIN_VALUE, Constraint.MAX_VALUE, "value")


def _check_bounds(
    shape: Shape,
    measured: float,
    path: str,
    found: list[Violation],
    kinds: tuple[Constraint, Constraint, str],
) -> None:
    """The model's ``min``/``max`` of a shape, applied to a length, a count or a value."""
    low, high, what = kinds
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    if lo is not None and measured < lo:
        found.append(Violation(path, low, f"{what} {measured} < min {lo}"))
    if hi is not None and measured > hi:
        found.append(Violation(path, high, f"{what} {measured} > max {hi}"))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
