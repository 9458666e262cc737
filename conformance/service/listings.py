"""How the model's listings read: which filter reads which member of an item, which
members take an id or an ARN, and how a listing pages (botocore's paginators).

The model names filters in kebab case (``iso-country-code``) and never says which
member each reads: it is the member of the same name in PascalCase, or its plural
(``number-capability`` reads ``NumberCapabilities``). A filter with no such member is
an error of this reading, not of an endpoint.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import botocore.loaders
from botocore.model import ListShape, Shape, StructureShape

from strategies import DEFAULT_SERVICE, service_model


def member_for_filter(name: str, item: Shape) -> str:
    """The member of ``item`` (a listed structure) that filter ``name`` reads."""
    assert isinstance(item, StructureShape)
    pascal = "".join(word.capitalize() for word in name.split("-"))
    for candidate in (pascal, re.sub("y$", "ies", pascal), pascal + "s"):
        if candidate in item.members:
            return candidate
    raise ValueError(f"filter {name!r} matches no member of {item.name}")


def results_member(operation: str, service: str = DEFAULT_SERVICE) -> str:
    """The output's list of items (its paginator's result key)."""
    result = paginator(operation, service)["result_key"]
    assert isinstance(result, str)
    return result


def filter_members(operation: str, service: str = DEFAULT_SERVICE) -> dict[str, str]:
    """Filter name -> the member of a listed item it reads (none without Filters)."""
    op = service_model(service).operation_model(operation)
    filters = op.input_shape.members.get("Filters")
    if filters is None:
        return {}
    assert isinstance(filters, ListShape) and isinstance(filters.member, StructureShape)
    names = filters.member.members["Name"].enum
    items = op.output_shape.members[results_member(operation, service)]
    assert isinstance(items, ListShape)
    return {name: member_for_filter(name, items.member) for name in names}


def takes_arn(shape: Shape) -> bool:
    """Whether a member (or each item of a list member) takes an id or an ARN: the
    model's ``...IdOrArn``/``...NameOrArn`` shapes, documented as "either the ... Id or
    ... Arn"."""
    if isinstance(shape, ListShape):
        shape = shape.member
    return shape.name.endswith("OrArn")


@functools.cache
def _paginators(service: str) -> dict[str, Any]:
    loaded = botocore.loaders.create_loader().load_service_model(service, "paginators-1")
    pagination: dict[str, Any] = loaded.get("pagination", {})
    return pagination


def paginator(operation: str, service: str = DEFAULT_SERVICE) -> dict[str, Any]:
    """botocore's paginator configuration of ``operation`` (input and output token,
    limit key, result key); KeyError if the model pages it not."""
    return dict(_paginators(service)[operation])
