"""Every operation of the service model, as the model-level tier sees it: its resource
family, whether it only reads, and whether a run selected it.

Read off the model alone (nothing written per operation), so the same catalogue serves
any awsJson service's model: an operation's family is the longest of the model's
``ResourceType`` names that its noun starts with (``DescribeOptOutLists`` is
``opt-out-list``), and it only reads when its verb is one of ``READ_VERBS``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import strategies
from strategies import DEFAULT_SERVICE

# Verbs of the operations that read and never create, change or send anything. AWS's
# own naming rule (the API reference's Describe*/List*/Get* operations of this service
# are all reads); an operation whose verb is not here is never sent to real AWS.
READ_VERBS = ("Describe", "List", "Get")
OTHER_FAMILY = "other"
_VERB = re.compile(r"^[A-Z][a-z]+")


@dataclass(frozen=True)
class Operation:
    name: str
    family: str  # a ResourceType of the model, or OTHER_FAMILY
    read_only: bool

    def to_dict(self) -> dict[str, object]:
        return {"family": self.family, "read_only": self.read_only}


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


@functools.cache
def _families(service: str) -> tuple[str, ...]:
    model = strategies.service_model(service)
    if "ResourceType" not in model.shape_names:
        return ()
    kinds = strategies.enum_values(model.shape_for("ResourceType"))
    return tuple(sorted(kinds, key=len, reverse=True))  # the longest match first


def family(name: str, service: str = DEFAULT_SERVICE) -> str:
    """The resource family of operation ``name``: the model's resource type that its
    noun (the name without its verb) starts with, singular or plural, else the longest
    one it names (``SetDefaultSenderId``: ``sender-id``), else ``other``."""
    noun = _kebab(_VERB.sub("", name, count=1))
    for kind in _families(service):
        if noun == kind or noun.startswith((f"{kind}-", f"{kind}s")):
            return kind
    words = f"-{noun}-"  # else the longest resource type named anywhere in the noun
    for kind in _families(service):
        if f"-{kind}-" in words or f"-{kind}s-" in words:
            return kind
    return OTHER_FAMILY


@functools.cache
def catalogue(service: str = DEFAULT_SERVICE) -> dict[str, Operation]:
    """Every operation of the installed model, by name, in the model's order."""
    names = sorted(strategies.service_model(service).operation_names)
    return {
        name: Operation(name, family(name, service), name.startswith(READ_VERBS)) for name in names
    }


def selected(name: str, include: str | None, exclude: str | None) -> bool:
    """Does ``--operations include`` / ``--skip-operations exclude`` select ``name``?
    Both are regular expressions searched in the name (``^Describe``, ``Pool``)."""
    if include and not re.search(include, name):
        return False
    return not (exclude and re.search(exclude, name))
