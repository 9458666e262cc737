"""JSON Schema (draft 2020-12) of botocore shapes, in wire form, for validating raw JSON.

Timestamps are epoch-second numbers and blobs base64 strings, as awsJson puts them on
the wire. Patterns are the ECMA-faithful translations (valid ECMA and Python alike), so
``jsonschema``'s unanchored ``re.search`` gives Smithy's meaning. Unknown members are
allowed, as the protocol tells clients to ignore them.
"""

from __future__ import annotations

import functools
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from .model import (
    DEFAULT_SERVICE,
    enum_values,
    input_shape,
    is_union,
    operation_model,
    service_model,
)
from .patterns import compile_pattern

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_BASE64 = r"^[A-Za-z0-9+/]*={0,2}$"
_SIMPLE_TYPES = {
    "string": "string",
    "boolean": "boolean",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
    "timestamp": "number",
}


def shape_schema(shape: Shape, constraints: bool = True) -> dict[str, Any]:
    """A self-contained JSON Schema of ``shape``; named shapes go under ``$defs``.
    ``constraints=False``: types, required members, unions and enums only, without the
    model's lengths, ranges, list and map sizes and patterns (Smithy servers do not
    enforce those on what they answer)."""
    defs: dict[str, Any] = {}
    root = _body(shape, defs, constraints)
    return {"$schema": DIALECT, "title": shape.name, **root, "$defs": defs}


def _ref(shape: Shape, defs: dict[str, Any], constraints: bool) -> dict[str, Any]:
    if shape.name not in defs:
        defs[shape.name] = {}  # placeholder first: recursive shapes refer to themselves
        defs[shape.name] = _body(shape, defs, constraints)
    return {"$ref": f"#/$defs/{shape.name}"}


def _body(shape: Shape, defs: dict[str, Any], constraints: bool = True) -> dict[str, Any]:
    meta = shape.metadata if constraints else {}
    lo, hi = meta.get("min"), meta.get("max")
    if isinstance(shape, StructureShape):
        out: dict[str, Any] = {
            "type": "object",
            "properties": {name: _ref(m, defs, constraints) for name, m in shape.members.items()},
        }
        if shape.required_members:
            out["required"] = list(shape.required_members)
        if is_union(shape):  # exactly one of the known members
            out["oneOf"] = [{"required": [name]} for name in shape.members]
        return out
    if isinstance(shape, ListShape):
        out = {"type": "array", "items": _ref(shape.member, defs, constraints)}
        _bounds(out, "minItems", "maxItems", lo, hi)
        return out
    if isinstance(shape, MapShape):
        out = {
            "type": "object",
            "additionalProperties": _ref(shape.value, defs, constraints),
            "propertyNames": _body(shape.key, defs, constraints),
        }
        _bounds(out, "minProperties", "maxProperties", lo, hi)
        return out
    kind = shape.type_name
    if kind == "blob":
        return {"type": "string", "contentEncoding": "base64", "pattern": _BASE64}
    if kind not in _SIMPLE_TYPES:
        return {}  # document: any JSON value
    out = {"type": _SIMPLE_TYPES[kind]}
    if kind == "string":
        if enum_values(shape):
            out["enum"] = enum_values(shape)
        _bounds(out, "minLength", "maxLength", lo, hi)
        if "pattern" in meta:
            out["pattern"] = compile_pattern(meta["pattern"]).python
    elif kind != "boolean":
        _bounds(out, "minimum", "maximum", lo, hi)
    return out


def _bounds(out: dict[str, Any], lo_key: str, hi_key: str, lo: Any, hi: Any) -> None:
    if lo is not None:
        out[lo_key] = lo
    if hi is not None:
        out[hi_key] = hi


@functools.cache
def input_schema(operation: str, service: str = DEFAULT_SERVICE) -> dict[str, Any]:
    """JSON Schema (2020-12) of the operation's input as a wire body: the model's
    constraints only, not the service limits beyond them."""
    return shape_schema(input_shape(operation, service))


@functools.cache
def output_schema(
    operation: str, service: str = DEFAULT_SERVICE, constraints: bool = True
) -> dict[str, Any]:
    """Schema of the success body; an operation with no output answers ``{}``.
    ``constraints=False``: the shape's types, required members and enums only."""
    shape = operation_model(operation, service).output_shape
    if shape is None:
        return {"$schema": DIALECT, "type": "object"}
    return shape_schema(shape, constraints)


@functools.cache
def error_schema(error: str, service: str = DEFAULT_SERVICE) -> dict[str, Any]:
    """Schema of an error body (its ``__type`` and any message casing are extra members)."""
    return shape_schema(service_model(service).shape_for(error))
