"""Service limits stricter than the model: model-valid inputs the service may refuse.

The botocore model is the contract of the wire, but the real service documents more: at
most 50 tags on a resource where the model's TagList allows 200, tag characters where the
model's patterns are ``.+`` and ``.*``, unique capabilities, no MMS on Canadian toll-free
numbers. An input the model calls valid but that breaks one of these is *model-valid,
service-refusable*: the service may accept it or answer a client error, and neither is
a defect.

Each limit is a data record naming its evidence (``shared/aws-behavior.md``, "Service
limits stricter than the model"). Records are kept by (service, operation), and by
(service, shape name) for limits that belong to a shape wherever the model uses it: the
tag limits apply to every input member of the TagList shape, found in the model.
``service_refusals`` checks an input against them; ``accepted_inputs``
(``strategies.valid``) draws inputs within them.

Where the documentation is loose, the records read it narrowly ("digits" are decimal
digits, "whitespace" is the space separators, the ``aws:`` prefix in any case): a
narrow reading calls more inputs refusable, which only makes the suite more tolerant,
and accepted inputs are drawn from a subset of it anyway.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from botocore.model import ListShape, MapShape, Shape, StructureShape

from .model import DEFAULT_SERVICE, enum_values, input_shape
from .paths import item_path, member_path, shape_at, template_steps

# Where each limit comes from (shared/aws-behavior.md names them).
TAG_RESOURCE_REFERENCE = "API reference: TagResource"
PHONE_NUMBER_SCHEMA = "CloudFormation AWS::SMSVOICE::PhoneNumber schema"
MMS_BY_COUNTRY = "User guide: MMS by country"


class LimitKind(enum.StrEnum):
    """The kinds of service limit (compare equal to their names)."""

    MAX_ITEMS = "max_items"
    UNIQUE_ITEMS = "unique_items"
    FORBIDDEN_PREFIX = "forbidden_prefix"
    ALLOWED_CHARACTERS = "allowed_characters"
    EXCLUDED_ITEM = "excluded_item"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, kw_only=True)
class ServiceLimit:
    """One documented limit of the service that the model does not state.

    ``path`` is a path template from the input's root (``Tags[].Key``); in a shape's
    table it is relative to the member of that shape (``""`` for the member itself,
    ``[].Key``). ``evidence`` names the source. ``whole_input`` limits also read other
    members of the input, so they are checked on whole inputs only.
    """

    kind: ClassVar[LimitKind]
    whole_input: ClassVar[bool] = False
    path: str
    evidence: str

    def problem(self, value: Any, params: Mapping[str, Any] | None) -> str | None:
        """Why ``value`` (at ``path`` of the input ``params``) is outside this limit, or
        None. A value of the wrong type is none of this limit's business (None)."""
        raise NotImplementedError

    def rebased(self, prefix: str) -> ServiceLimit:
        """This limit with its relative path put under ``prefix``."""
        if not self.path:
            path = prefix
        elif self.path.startswith("["):
            path = prefix + self.path
        else:
            path = member_path(prefix, self.path)
        return dataclasses.replace(self, path=path)


@dataclass(frozen=True, kw_only=True)
class MaxItems(ServiceLimit):
    """A list holds at most ``maximum`` items."""

    kind: ClassVar[LimitKind] = LimitKind.MAX_ITEMS
    maximum: int

    def problem(self, value: Any, params: Mapping[str, Any] | None) -> str | None:
        if isinstance(value, list) and len(value) > self.maximum:
            return f"{len(value)} items > the service's maximum {self.maximum}"
        return None


@dataclass(frozen=True, kw_only=True)
class UniqueItems(ServiceLimit):
    """No item of a list equals another; with ``key``, no two items share that member
    (tags: no two with one Key, whatever their values)."""

    kind: ClassVar[LimitKind] = LimitKind.UNIQUE_ITEMS
    key: str | None = None

    def compared(self, item: Any) -> Any:
        """What of an item must differ from the others': the item, or its ``key``."""
        return item.get(self.key) if self.key and isinstance(item, dict) else item

    def identity(self, item: Any) -> str:
        return canonical(self.compared(item))

    def problem(self, value: Any, params: Mapping[str, Any] | None) -> str | None:
        if not isinstance(value, list):
            return None
        first: dict[str, int] = {}
        for i, item in enumerate(value):
            key = self.identity(item)
            if key in first:
                what = f"{self.key} {self.compared(item)!r}" if self.key else repr(item)
                return f"item {i} repeats item {first[key]}: {what}"
            first[key] = i
        return None


@dataclass(frozen=True, kw_only=True)
class ForbiddenPrefix(ServiceLimit):
    """A string does not start with ``prefix``, in any letter case."""

    kind: ClassVar[LimitKind] = LimitKind.FORBIDDEN_PREFIX
    prefix: str

    def problem(self, value: Any, params: Mapping[str, Any] | None) -> str | None:
        if isinstance(value, str) and value[: len(self.prefix)].casefold() == self.prefix:
            return f"{value[:16]!r} starts with the reserved prefix {self.prefix!r}"
        return None


# A fixed sample to draw allowed characters from: ASCII, some letters, digits and spaces
# of other scripts, and characters that a narrow class leaves out (tab, @, :).
_SAMPLE_CHARACTERS = "".join(chr(c) for c in range(0x20, 0x7F)) + "\t\u00a0\u3000éßñØΩжאع中あ한٣४"


@dataclass(frozen=True, kw_only=True)
class AllowedCharacters(ServiceLimit):
    """Every character of a string is of one of the Unicode ``categories`` (a one-letter
    category stands for all its subcategories) or one of ``symbols``; ``description``
    says it in the source's words."""

    kind: ClassVar[LimitKind] = LimitKind.ALLOWED_CHARACTERS
    categories: tuple[str, ...]
    symbols: str
    description: str

    def allows(self, character: str) -> bool:
        if character in self.symbols:
            return True
        category = unicodedata.category(character)
        return category in self.categories or category[0] in self.categories

    def sample(self) -> str:
        """Allowed characters to draw from: those of a fixed mixed sample."""
        return "".join(c for c in _SAMPLE_CHARACTERS if self.allows(c))

    def problem(self, value: Any, params: Mapping[str, Any] | None) -> str | None:
        if not isinstance(value, str):
            return None
        for i, c in enumerate(value):
            if not self.allows(c):
                return f"character {i}, {c!r} (U+{ord(c):04X}), is not one of {self.description}"
        return None


@dataclass(frozen=True, kw_only=True)
class ExcludedItem(ServiceLimit):
    """A list does not hold ``item`` when the input's members ``when`` (name, value
    pairs) all have those values."""

    kind: ClassVar[LimitKind] = LimitKind.EXCLUDED_ITEM
    whole_input: ClassVar[bool] = True
    item: str
    when: tuple[tuple[str, str], ...]

    def problem(self, value: Any, params: Mapping[str, Any] | None) -> str | None:
        if params is None or not isinstance(value, list) or self.item not in value:
            return None
        if all(params.get(name) == expected for name, expected in self.when):
            condition = ", ".join(f"{name} {expected}" for name, expected in self.when)
            return f"{self.item} is not available with {condition}"
        return None


_TAG_CHARACTERS = "Unicode letters, digits, whitespace and _ . / = + -"


def _tag_string_limits(member: str) -> tuple[ServiceLimit, ...]:
    return (
        ForbiddenPrefix(path=member, prefix="aws:", evidence=PHONE_NUMBER_SCHEMA),
        AllowedCharacters(
            path=member,
            categories=("L", "Nd", "Zs"),
            symbols="_./=+-",
            description=_TAG_CHARACTERS,
            evidence=PHONE_NUMBER_SCHEMA,
        ),
    )


# Limits of a shape, wherever an input has a member of it; paths relative to the member.
SHAPE_LIMITS: dict[tuple[str, str], tuple[ServiceLimit, ...]] = {
    ("pinpoint-sms-voice-v2", "TagList"): (
        MaxItems(path="", maximum=50, evidence=TAG_RESOURCE_REFERENCE),
        UniqueItems(path="", key="Key", evidence=TAG_RESOURCE_REFERENCE),
        *_tag_string_limits("[].Key"),
        *_tag_string_limits("[].Value"),
    ),
}

# Limits of one operation's input; paths from the input's root.
OPERATION_LIMITS: dict[tuple[str, str], tuple[ServiceLimit, ...]] = {
    ("pinpoint-sms-voice-v2", "RequestPhoneNumber"): (
        UniqueItems(path="NumberCapabilities", evidence=PHONE_NUMBER_SCHEMA),
        ExcludedItem(
            path="NumberCapabilities",
            item="MMS",
            when=(("IsoCountryCode", "CA"), ("NumberType", "TOLL_FREE")),
            evidence=MMS_BY_COUNTRY,
        ),
    ),
}


@functools.cache
def service_limits(operation: str, service: str = DEFAULT_SERVICE) -> tuple[ServiceLimit, ...]:
    """The documented service limits on ``operation``'s input that the model does not
    state: the operation's own records, and those of every shape the input uses (the tag
    limits on each member of the TagList shape). Each names its ``evidence``.

    Raises ValueError if a record no longer fits the model (a member or enum value it
    names is gone), so a model update that disagrees fails loudly.
    """
    root = input_shape(operation, service)
    found: list[ServiceLimit] = []
    for path, shape in _members(root, "", frozenset()):
        for limit in SHAPE_LIMITS.get((service, shape.name), ()):
            found.append(limit.rebased(path))
    found.extend(OPERATION_LIMITS.get((service, operation), ()))
    for limit in found:
        _check_fits(root, limit)
    return tuple(found)


def limits_by_path(
    operation: str, service: str = DEFAULT_SERVICE
) -> dict[str, tuple[ServiceLimit, ...]]:
    """``service_limits`` grouped by path template, for the generators."""
    grouped: dict[str, list[ServiceLimit]] = {}
    for limit in service_limits(operation, service):
        grouped.setdefault(limit.path, []).append(limit)
    return {path: tuple(limits) for path, limits in grouped.items()}


@dataclass(frozen=True, order=True)
class Refusal:
    """Why the service may refuse a model-valid input: where (``Tags[3].Key``), which
    kind of limit, a readable why, and the limit's evidence."""

    path: str
    limit: LimitKind
    message: str = field(default="", compare=False)
    evidence: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, str]:
        return {
            "path": self.path,
            "limit": self.limit.value,
            "message": self.message,
            "evidence": self.evidence,
        }


def service_refusals(operation: str, params: Any, service: str = DEFAULT_SERVICE) -> list[Refusal]:
    """Why the service may refuse ``params`` although the model accepts it: one Refusal
    per documented service limit it is outside (see ``service_limits``); empty when it is
    within all of them.

    It does not check model validity (that is ``violations``): a member of the wrong
    type, or beyond the model's own bounds, is not reported here, and an input with no
    refusals may still break the model. Wire and boto3 forms are both accepted.
    """
    return refusals(service_limits(operation, service), params)


def refusals(limits: Sequence[ServiceLimit], params: Any) -> list[Refusal]:
    """The refusals of ``params`` under ``limits``."""
    found = []
    for limit in limits:
        for path, value in values_at(params, limit.path):
            message = limit.problem(value, params if isinstance(params, Mapping) else None)
            if message is not None:
                found.append(Refusal(path, limit.kind, message, limit.evidence))
    return found


def accepts(limits: Sequence[ServiceLimit], value: Any) -> bool:
    """Whether a member's ``value`` is within ``limits`` (its own; limits that read the
    whole input are not checked here)."""
    return all(limit.problem(value, None) is None for limit in limits)


def values_at(params: Any, template: str) -> Iterator[tuple[str, Any]]:
    """Each value at a path template in ``params``, with its concrete path (``Tags[3].Key``);
    absent members, nulls and values of the wrong type lead nowhere."""
    found: list[tuple[str, Any]] = [("", params)]
    for step in template_steps(template):
        deeper: list[tuple[str, Any]] = []
        for path, value in found:
            if step.kind == "member" and isinstance(value, Mapping):
                if value.get(step.name) is not None:
                    deeper.append((member_path(path, step.name), value[step.name]))
            elif step.kind == "item" and isinstance(value, list):
                deeper.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
            elif step.kind == "value" and isinstance(value, Mapping):
                deeper.extend((member_path(path, str(k)), v) for k, v in value.items())
        found = deeper
    yield from found


def canonical(value: Any) -> str:
    """A string equal for equal JSON values (dict order aside), for uniqueness."""
    return json.dumps(value, sort_keys=True, default=repr)


def _members(shape: Shape, path: str, seen: frozenset[str]) -> Iterator[tuple[str, Shape]]:
    """Every member below ``shape`` with its path template (a recursive shape once)."""
    if shape.name in seen:
        return
    seen = seen | {shape.name}
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            child = member_path(path, name)
            yield child, member
            yield from _members(member, child, seen)
    elif isinstance(shape, ListShape):
        yield from _members(shape.member, item_path(path), seen)
    elif isinstance(shape, MapShape):
        yield from _members(shape.value, member_path(path, "*"), seen)


def _check_fits(root: Shape, limit: ServiceLimit) -> None:
    try:
        shape = shape_at(root, limit.path)
    except ValueError:
        raise ValueError(f"{limit} names a member the model's {root.name} lacks") from None
    if isinstance(limit, (MaxItems, UniqueItems, ExcludedItem)) and not isinstance(
        shape, ListShape
    ):
        raise ValueError(f"{limit} applies to a list, and the model's is a {shape.type_name}")
    if isinstance(limit, ExcludedItem):
        assert isinstance(shape, ListShape)
        conditions = [(shape_at(root, name), value) for name, value in limit.when]
        for member, value in [*conditions, (shape.member, limit.item)]:
            if enum_values(member) and value not in enum_values(member):
                raise ValueError(f"{limit}: {value!r} is not a value of {member.name}")
