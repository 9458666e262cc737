"""Domain refinement: valid inputs that are realistic, not only legal.

The generic layer knows only the model; this layer knows what a caller of the service
would send. Every value it proposes is checked against the model when the strategy is
built, so a model update that disagrees fails loudly instead of producing invalid
"valid" inputs. Only facts from ``shared/aws-behavior.md`` are used (SIMULATOR numbers
exist in the US for TRANSACTIONAL traffic), and only enum values the model still has.

Given service limits (``strategies.limits``, by path), a refinement keeps its values
within them too: the same readable tags less those the service may refuse
(``alice@example.com``: ``@`` is not a tag character), the service's maximum as the
full tag list. Without limits it draws exactly what it always drew.
"""

from __future__ import annotations

import functools
import random
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pycountry
from botocore.model import ListShape, Shape, StructureShape
from hypothesis import strategies as st

from .limits import MaxItems, ServiceLimit, accepts
from .model import enum_values
from .oracle import check_value
from .patterns import compile_pattern
from .pools import drawn_from, weighted_pool
from .values import ValueCompiler

Strategy = st.SearchStrategy[Any]

_TAG_KEYS = (
    "Environment",
    "Team",
    "CostCenter",
    "Owner",
    "Project",
    "Application",
    "Stage",
    "Service",
    "Department",
    "Compliance",
)
_TAG_VALUES = (
    "production",
    "staging",
    "dev",
    "qa",
    "payments",
    "notifications",
    "cc-1042",
    "alice@example.com",
    "",
    "2026-Q4",
)


_UUID_LENGTH = 36
_UUID_CHARACTERS = "0123456789abcdef-"


@dataclass
class Refinement:
    """Member overrides (by path template) and extra whole-input scenarios."""

    overrides: dict[str, Strategy] = field(default_factory=dict)
    scenarios: list[Strategy] = field(default_factory=list)


def _checked(shape: Shape, values: list[Any]) -> list[Any]:
    """``values`` unchanged, after making sure the model accepts every one of them."""
    for value in values:
        problems: list[Any] = []
        check_value(shape, value, shape.name, problems)
        if problems:
            raise ValueError(f"domain value {value!r} breaks the model: {problems}")
    return values


def _member(shape: StructureShape, name: str) -> Shape:
    if name not in shape.members:
        raise ValueError(f"the model's {shape.name} has no member {name!r}")
    return shape.members[name]


@functools.cache
def _assigned_country_codes() -> tuple[str, ...]:
    return tuple(sorted(c.alpha_2 for c in pycountry.countries))


def _unassigned_country_codes() -> list[str]:
    assigned = set(_assigned_country_codes())
    letters = string.ascii_uppercase
    return [a + b for a in letters for b in letters if a + b not in assigned]


def _request_phone_number(generic: ValueCompiler, root: StructureShape) -> Refinement:
    country = _member(root, "IsoCountryCode")
    assigned = _checked(country, list(_assigned_country_codes()))
    unassigned = _checked(country, _unassigned_country_codes())
    countries = drawn_from(weighted_pool((3, assigned), (1, unassigned)))

    token = _member(root, "ClientToken")
    uuids = st.uuids(version=4).map(str)
    if not _accepts_every_uuid(token):  # then check each one as it is drawn
        uuids = uuids.filter(lambda t: not _problems(token, t))
    tokens = weighted((2, uuids), (1, generic.compile(token, "ClientToken")))

    tag_list = _member(root, "Tags")
    if not isinstance(tag_list, ListShape):
        raise ValueError(f"the model's Tags is a {tag_list.type_name}, not a list")
    tag_shape = tag_list.member
    key_shape, value_shape = _member(tag_shape, "Key"), _member(tag_shape, "Value")
    limits = generic.limits
    lo, hi = tag_list.metadata.get("min", 0), _most_items(tag_list, limits.get("Tags", ()))
    keys = _accepted(limits.get("Tags[].Key", ()), _checked(key_shape, list(_TAG_KEYS)))
    values = _accepted(limits.get("Tags[].Value", ()), _checked(value_shape, list(_TAG_VALUES)))
    realistic = _realistic_tag_lists(keys, values, lo)
    generic_tag = generic.compile(tag_shape, "Tags[]")
    # Readable tags most of the time, adversarial generic ones often, the full list now and
    # then (one tag list in seven): every request and answer that carries 200 tags costs
    # botocore three times as much as a short one, and the boundary needs only a few a run.
    tag_options = [
        (4, drawn_from(_accepted(limits.get("Tags", ()), _checked(tag_list, realistic)))),
        (2, st.lists(generic_tag, min_size=lo, max_size=lo + 4, unique_by=_key)),
    ]
    if hi is not None:
        _checked(tag_list, [_full_tags(hi)])
        if _accepted(limits.get("Tags", ()), [_full_tags(hi)]) == []:
            raise ValueError(f"a full list of {hi} tags is outside the service limits")
        # builds, not just(list): a 200-tag literal makes every repr of the strategy huge
        tag_options.append((1, st.builds(_full_tags, st.just(hi))))
    tags = weighted(*tag_options)

    overrides = {"IsoCountryCode": countries, "ClientToken": tokens, "Tags": tags}
    return Refinement(overrides, [_simulator_success(root, overrides, limits)])


def _simulator_success(
    root: StructureShape, overrides: dict[str, Strategy], limits: Mapping[str, Sequence[Any]]
) -> Strategy:
    """The one request known to succeed on real AWS at no cost: a US simulator number."""
    capability = _member(root, "NumberCapabilities")
    capabilities = _checked(capability, [["SMS"], ["VOICE"], ["SMS", "VOICE"], ["VOICE", "SMS"]])
    fixed = {
        "IsoCountryCode": st.just(_checked(_member(root, "IsoCountryCode"), ["US"])[0]),
        "MessageType": st.just(_checked(_member(root, "MessageType"), ["TRANSACTIONAL"])[0]),
        "NumberType": st.just(_checked(_member(root, "NumberType"), ["SIMULATOR"])[0]),
        "NumberCapabilities": st.sampled_from(
            _accepted(limits.get("NumberCapabilities", ()), capabilities)
        ).map(list),  # a list of its own: a caller that changes it changes no later example
    }
    optional = {
        "OptOutListName": st.just(_checked(_member(root, "OptOutListName"), ["Default"])[0]),
        "DeletionProtectionEnabled": st.booleans(),
        "Tags": overrides["Tags"],
        "ClientToken": overrides["ClientToken"],
    }
    if "InternationalSendingEnabled" in root.members:
        optional["InternationalSendingEnabled"] = st.booleans()
    return st.fixed_dictionaries(fixed, optional=optional)


def weighted(*options: tuple[int, Strategy]) -> Strategy:
    """Pick among strategies with integer weights (``one_of`` has no weights and drops
    repeated branches). Only the chosen branch is drawn: drawing every branch and
    keeping one (``tuples(...).map``) paid for the unused ones on every example."""
    slots = [strategy for weight, strategy in options for _ in range(weight)]
    return st.sampled_from(slots).flatmap(_itself)


def _itself(strategy: Strategy) -> Strategy:
    return strategy


def _full_tags(count: int) -> list[dict[str, str]]:
    """A full tag list that people would write: tag-000 = value-0, ..."""
    return [{"Key": f"tag-{i:03d}", "Value": f"value-{i}"} for i in range(count)]


def _most_items(shape: Shape, limits: Sequence[ServiceLimit]) -> int | None:
    """The most items a list may hold: the model's maximum, or the service's if less."""
    most: int | None = shape.metadata.get("max")
    for limit in limits:
        if isinstance(limit, MaxItems):
            most = limit.maximum if most is None else min(most, limit.maximum)
    return most


def _accepted(limits: Sequence[ServiceLimit], values: list[Any]) -> list[Any]:
    """The ``values`` within the service ``limits`` (all of them, without limits)."""
    return [value for value in values if accepts(limits, value)] if limits else values


def _key(tag: dict[str, Any]) -> Any:
    return tag["Key"]


_REALISTIC_TAG_SETS = 256


def _realistic_tag_lists(keys: list[str], values: list[str], least: int) -> list[list[Any]]:
    """A fixed sample of tag lists people write (unique keys from ``keys``, values from
    ``values``), smallest first: drawing one is a single choice, where drawing keys and
    values one by one cost about a tenth of an example."""
    sample = random.Random(0)
    lists = []
    for i in range(_REALISTIC_TAG_SETS):
        size = max(least, 1 + i % len(keys))  # no empty list: other branches make those
        chosen = sample.sample(keys, size)
        lists.append([{"Key": key, "Value": sample.choice(values)} for key in chosen])
    return sorted(lists, key=len)


def _accepts_every_uuid(shape: Shape) -> bool:
    """Whether every UUID string (36 characters of ``0-9a-f-``) is a valid ``shape``.

    Decided for a plain string, or one whose pattern is one repeated class; for any other
    pattern it is not known (False).
    """
    meta = shape.metadata
    if shape.type_name != "string" or enum_values(shape):
        return False
    if not meta.get("min", 0) <= _UUID_LENGTH <= meta.get("max", _UUID_LENGTH):
        return False
    if "pattern" not in meta:
        return True
    simple = compile_pattern(meta["pattern"]).simple
    if simple is None:
        return False
    atom, least, _ = simple  # a run of `least` matching characters is a match
    return least <= _UUID_LENGTH and all(atom.fullmatch(c) for c in _UUID_CHARACTERS)


def _problems(shape: Shape, value: Any) -> list[Any]:
    found: list[Any] = []
    check_value(shape, value, "", found)
    return found


_REFINERS: dict[tuple[str, str], Callable[[ValueCompiler, StructureShape], Refinement]] = {
    ("pinpoint-sms-voice-v2", "RequestPhoneNumber"): _request_phone_number,
}


def refinement(
    service: str,
    operation: str,
    root: Shape,
    wire: bool,
    limits: Mapping[str, Sequence[ServiceLimit]] | None = None,
) -> Refinement:
    """The registered refinement of an operation, or an empty one; with service
    ``limits`` (by path template), one whose values are within them."""
    refiner = _REFINERS.get((service, operation))
    if refiner is None or not isinstance(root, StructureShape):
        return Refinement()
    return refiner(ValueCompiler(wire=wire, limits=limits or {}), root)
