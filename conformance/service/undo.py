"""How to undo what a creation created, read off the model alone.

A creation (``CreatePool``, ``RequestSenderId``) is undone by the operation that the
model names with the inverse verb and the same noun (``DeletePool``,
``ReleaseSenderId``), when every member that one requires can be taken from the
creation's answer (its identifiers) or, failing that, from what was sent (an
``EventDestinationName``). A creation the model gives no such undo for is not one the
suite can clean up after, so it is never sent to real AWS (``write_guard``).

Deletion protection set by the creation is cleared first, through the ``Update`` of the
same noun when the model has one with ``DeletionProtectionEnabled``.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

import strategies
from strategies import DEFAULT_SERVICE

# A creating verb, and the verbs that undo it.
CREATE_VERBS = {"Create": ("Delete",), "Request": ("Release",)}
PROTECTION = "DeletionProtectionEnabled"
_VERB = re.compile(r"^([A-Z][a-z]+)(.*)$")


def _split(operation: str) -> tuple[str, str]:
    found = _VERB.match(operation)
    return (found.group(1), found.group(2)) if found else ("", operation)


def creates(operation: str, service: str = DEFAULT_SERVICE) -> bool:
    """Is ``operation``'s verb one that creates a new resource?"""
    return _split(operation)[0] in CREATE_VERBS


def _members(shape: Any) -> set[str]:
    return set(getattr(shape, "members", {}) or {})


def _required(operation: str, service: str) -> list[str]:
    shape = strategies.service_model(service).operation_model(operation).input_shape
    return list(getattr(shape, "required_members", []) or [])


@functools.cache
def undo_operation(operation: str, service: str = DEFAULT_SERVICE) -> str | None:
    """The operation that undoes creation ``operation``, or None if the model has none
    whose required members the creation's answer or request can fill."""
    verb, noun = _split(operation)
    model = strategies.service_model(service)
    if verb not in CREATE_VERBS:
        return None
    creation = model.operation_model(operation)
    known = _members(creation.output_shape) | _members(creation.input_shape)
    for inverse in CREATE_VERBS[verb]:
        name = inverse + noun
        if name in model.operation_names and set(_required(name, service)) <= known:
            return name
    return None


@functools.cache
def _unprotect_operation(undo: str, service: str) -> str | None:
    """The ``Update`` of ``undo``'s noun that can clear deletion protection, if any."""
    model = strategies.service_model(service)
    name = "Update" + _split(undo)[1]
    if name not in model.operation_names:
        return None
    shape = model.operation_model(name).input_shape
    fits = set(_required(name, service)) <= set(_required(undo, service))
    return name if fits and PROTECTION in _members(shape) else None


@dataclass(frozen=True)
class Undo:
    """One call that undoes one creation (and the call that clears its protection)."""

    operation: str
    body: dict[str, Any]
    unprotect: str | None = None

    @property
    def key(self) -> str:
        return json.dumps([self.operation, self.body], sort_keys=True)

    def to_dict(self) -> dict[str, Any]:
        return {"operation": self.operation, "body": self.body, "unprotect": self.unprotect}

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Undo:
        return cls(str(record["operation"]), dict(record["body"]), record.get("unprotect"))

    def describe(self) -> str:
        return f"{self.operation} {json.dumps(self.body, sort_keys=True)}"


def undo_of(operation: str, sent: Any, answer: Any, service: str = DEFAULT_SERVICE) -> Undo | None:
    """The undo of a creation that succeeded with ``answer`` to ``sent``, or None when
    ``operation`` is no creation the model pairs with an undo."""
    name = undo_operation(operation, service)
    if name is None or not isinstance(answer, dict):
        return None
    sent = sent if isinstance(sent, dict) else {}
    body: dict[str, Any] = {}
    for member in _required(name, service):
        value = answer.get(member, sent.get(member))
        if value is None:
            return None
        body[member] = value
    protected = sent.get(PROTECTION) is True or answer.get(PROTECTION) is True
    unprotect = _unprotect_operation(name, service) if protected else None
    return Undo(name, body, unprotect)
