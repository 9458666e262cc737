"""Typed, serialisable records of what makes an input invalid."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Constraint(enum.StrEnum):
    """The kinds of model constraint a value can break (compare equal to their names)."""

    REQUIRED = "required"
    TYPE = "type"
    ENUM = "enum"
    MIN_LENGTH = "min_length"
    MAX_LENGTH = "max_length"
    PATTERN = "pattern"
    MIN_ITEMS = "min_items"
    MAX_ITEMS = "max_items"
    MIN_VALUE = "min_value"
    MAX_VALUE = "max_value"
    UNION = "union"  # a union structure must set exactly one member

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Violation:
    """One broken constraint: where (``Tags[0].Key``), which kind, and a readable why."""

    path: str
    constraint: Constraint
    message: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "constraint": self.constraint.value, "message": self.message}


@dataclass(frozen=True)
class InvalidInput:
    """A wire body that breaks the model, with the violation(s) it was built to carry.

    ``params`` is the JSON body as it would go on the wire (it may hold wrong types, so
    send it as raw JSON or through a client with parameter validation off).
    """

    operation: str
    params: dict[str, Any]
    violations: tuple[Violation, ...]

    @property
    def primary(self) -> Violation:
        return self.violations[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "params": self.params,
            "violations": [v.to_dict() for v in self.violations],
        }
