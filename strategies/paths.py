"""Path templates: where a member sits in an input (``Tags[].Key``; ``*`` for a map value).

Generators, mutations and the service limits all name members this way, so a limit or an
override written for ``Tags[].Key`` applies wherever that member is drawn or checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from botocore.model import ListShape, MapShape, Shape, StructureShape


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
