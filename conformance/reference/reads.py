"""The read-only operations (``Describe*``, ``List*``, ``Get*``), answered by rules read
off the model.

A module of its own because the model has some thirty read operations and the reference
stores only four kinds of resource: one generic rule answers most of them, where a
handler each would be thirty copies of the same lookup-filter-page code. The writes stay
in :mod:`.service`; reads never create account state (see ``service._READ_ONLY``).

:class:`Describe` answers the ``Describe*`` of a kind the reference stores (phone
numbers, pools, opt-out lists, registrations) from the state. :class:`Read` answers every
other read operation; what it does is read off the input and output shapes:

- **Resource references.** An input member names a resource when its shape is an
  ``...OrArn`` string, an ARN (pattern ``arn:...``), a list of either, a list member named
  ``...Ids``/``...Names``, or a list of structures holding such a string
  (``SenderIds[].SenderId``). Each must name a resource this account holds, else
  ResourceNotFoundException with ResourceType from the model's ResourceType enum, found
  by the member's name (``RcsAgentId`` -> ``rcs-agent``, ``SenderIds`` -> ``sender-id``),
  for an id list of the operation's own items by the operation's name (``TemplateIds`` of
  DescribeNotifyTemplates -> ``notify-template``); an ARN names its type itself. Kinds the
  reference never stores (configuration sets, sender IDs, RCS agents, ...) are never
  found. Start-up fails if a reference member maps to no ResourceType.
- **Identity members of the answer.** For a single reference that was found, the output
  member of the same name carries its id (its ARN for an ARN member), ``<stem>Arn`` its ARN
  (``RegistrationId`` -> ``RegistrationArn``, ``OriginationIdentity`` ->
  ``OriginationIdentityArn``), and required output members its stored attributes
  (``RegistrationType``). Remaining required output members that an input member of the
  same name holds are echoed (``RegistrationType`` of the definition reads).
- **The result list** (the output's one list member): the items the reference holds,
  filtered by ``Filters`` (all must match; a filter name maps to the item member of the
  same name in PascalCase), paged by ``MaxResults`` (default: its model maximum) and
  ``NextToken`` (one this operation did not issue: ValidationException
  ``INVALID_NEXT_TOKEN``). Empty, it is ``[]``, or left out where the model's list has a
  minimum of 1 (DescribeNotifyConfigurations, DescribeProtectConfigurations,
  ListProtectConfigurationRuleSetNumberOverrides): ``[]`` would break the model.
- ``Owner`` with an id list: ValidationException ``PARAMETERS_CANNOT_BE_USED_TOGETHER``
  (the model's documentation of each ``Owner`` member says they can't be used together).

Choices, not known AWS behaviour (the model cannot say which items exist):

- Items: ListPoolOriginationIdentities lists the pool's phone numbers;
  ListRegistrationAssociations the phone numbers requested with the registration;
  DescribeRegistrationVersions versions 1..CurrentVersionNumber (``APPROVED`` if it is
  the approved version, else the registration's status where that is a version status
  too, else ``DRAFT``); DescribeRegistrationFieldValues answers no values, for
  ``VersionNumber`` (default: the current one; a later one is not found). Every other
  read lists nothing: no keywords on a number, no opted-out numbers, no definitions
  (registration types, sections, fields, notify countries and templates, available
  numbers), and no resources of the kinds the reference does not store.
- Account reads answer fixed content (:data:`ACCOUNT_TIER`, :data:`SPEND_LIMIT`,
  :data:`OTHER_LIMIT`; plausible values, not evidence of the real service's) and
  DescribeAccountLimits counts the account's live resources against the reference's
  own quotas where it has one.
- GetResourcePolicy of a held resource answers its ARN and no policy (none is ever put).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from botocore.model import ListShape, Shape, StructureShape

from conformance.service.listings import member_for_filter

from . import errors as E
from . import model
from .state import AccountState, Arn, RequestContext, Resource, find

Handler = Callable[[dict[str, Any], AccountState, "RequestContext"], dict[str, Any]]
Items = list[tuple[int, dict[str, Any]]]  # (order key, item) in order
# What a read lists, given the state and the resources its input named (by member name);
# the second value holds answer members the generic rules cannot fill.
Source = Callable[
    [AccountState, Mapping[str, Resource], Mapping[str, Any]], tuple[Items, dict[str, Any]]
]

T = TypeVar("T")
READ_PREFIXES = ("Describe", "List", "Get")
RESOURCE_TYPES = frozenset(model.enum(model.shape("ResourceType")))
SHARED = model.enum_value("Owner", "SHARED")
APPROVED = model.enum_value("RegistrationVersionStatus", "APPROVED")
DRAFT = model.enum_value("RegistrationVersionStatus", "DRAFT")
_VERSION_STATUSES = frozenset(model.enum(model.shape("RegistrationVersionStatus")))
_HISTORY = model.shape("RegistrationVersionStatusHistory")
assert isinstance(_HISTORY, StructureShape)
_HISTORY_MEMBERS = frozenset(_HISTORY.members)  # DraftTimestamp, ApprovedTimestamp, ...
# Plausible values, not evidence of the real service's: new accounts start in the
# sandbox (a tier name; the model types it as a plain string), spend limits of 1 USD.
ACCOUNT_TIER = (model.enum_value("AccountAttributeName", "ACCOUNT_TIER"), "SANDBOX")
SPEND_LIMIT = {"EnforcedLimit": 1, "MaxLimit": 1, "Overridden": False}
# The Max of an account limit the reference has no quota for (plausible, not evidence).
OTHER_LIMIT = 100
# Reference members whose type no member or operation name tells: the model's shape
# name says "phone or pool" but names no ResourceType. An ARN says which one; an id is
# looked up as each in turn and, not found, reported as the first.
_SHAPE_KINDS = {"PhoneOrPoolIdOrArn": (E.PHONE_NUMBER, E.POOL)}
# The kinds whose Describe* the reference answers from its state (:class:`Describe`).
DESCRIBED = {
    "DescribePhoneNumbers": E.PHONE_NUMBER,
    "DescribePools": E.POOL,
    "DescribeOptOutLists": E.OPT_OUT_LIST,
    "DescribeRegistrations": E.REGISTRATION,
}


def read_operations() -> tuple[str, ...]:
    """Every read-only operation of the model (its name starts with Describe/List/Get)."""
    names = model.service_model().operation_names
    return tuple(sorted(op for op in names if op.startswith(READ_PREFIXES)))


def handlers(quotas: Mapping[str, int]) -> dict[str, Handler]:
    """A handler for every read operation; ``quotas``: Max by ResourceType, for
    DescribeAccountLimits (kinds without one get :data:`OTHER_LIMIT`)."""
    sources = _sources(quotas)
    found: dict[str, Handler] = {}
    for op in read_operations():
        if op in DESCRIBED:
            found[op] = Describe.of(op).run
        else:
            found[op] = Read.of(op, sources.get(op)).run
    return found


def find_by_arn(state: AccountState, resource_arn: str, member: str) -> Resource:
    """The resource an ARN names: ValidationException ``INVALID_ARN`` if it is not an ARN
    of this service of a ResourceType in the model, else :func:`find` (not found unless
    the account holds it)."""
    parsed = Arn.parse(resource_arn)
    if parsed is None or parsed.kind not in RESOURCE_TYPES:
        raise E.invalid(E.INVALID_ARN, member, f"{resource_arn!r} is not a resource ARN")
    return find(state, parsed.kind, resource_arn)


# -- pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pager:
    """NextTokens of one operation: the order key of the last item given, encoded."""

    operation: str

    def page(
        self, items: list[tuple[int, T]], p: Mapping[str, Any], page_max: int
    ) -> tuple[list[T], str | None]:
        """The page of ``items`` that ``p``'s NextToken and MaxResults ask for, and the
        token of the next page (None: this was the last)."""
        after = self.after(p["NextToken"]) if "NextToken" in p else 0
        size = p.get("MaxResults", page_max)
        left = [(key, item) for key, item in items if key > after]
        token = self.token(left[size - 1][0]) if len(left) > size else None
        return [item for _, item in left[:size]], token

    def token(self, key: int) -> str:
        return base64.urlsafe_b64encode(f"{self.operation}:{key}".encode()).decode()

    def after(self, token: str) -> int:
        try:
            op, _, key = (
                base64.urlsafe_b64decode(token.encode("ascii")).decode("ascii").partition(":")
            )
            if op == self.operation and key.isdigit() and self.token(int(key)) == token:
                return int(key)  # only tokens this operation issued, byte for byte
        except (UnicodeError, binascii.Error, ValueError):
            pass
        raise E.invalid(
            E.INVALID_NEXT_TOKEN, "NextToken", "The NextToken is not valid for this operation"
        )


def _page_max(inputs: StructureShape) -> int:
    shape = inputs.members.get("MaxResults")
    return int(shape.metadata["max"]) if shape is not None else 2**31 - 1


def _refuse_owner_with(p: Mapping[str, Any], ids_member: str) -> None:
    """Owner and an id list together (the model's documentation of Owner forbids it)."""
    if p.get(ids_member) is not None and "Owner" in p:
        raise E.invalid(
            E.PARAMETERS_CANNOT_BE_USED_TOGETHER,
            "Owner",
            f"Owner and {ids_member} cannot be used together",
        )


# -- Describe* of a stored kind ------------------------------------------------------------


@dataclass(frozen=True)
class Describe:
    """A Describe* of a stored kind, read off the model: its id, filter and result members.

    The filter names come from the model's enum; each maps to the member of the
    information shape with the same name in PascalCase (``number-capability`` finds
    ``NumberCapabilities``). A filter name with no such member stops start-up.
    """

    operation: str
    kind: str
    ids_member: str
    results_member: str
    info: Shape
    filter_members: dict[str, str]
    page_max: int

    @classmethod
    def of(cls, operation: str) -> Describe:
        op = model.operation(operation)
        assert op.input_shape is not None and op.output_shape is not None
        inputs, outputs = op.input_shape.members, op.output_shape.members
        ids_member = next(
            n for n, s in inputs.items() if n != "Filters" and isinstance(s, ListShape)
        )
        results_member = next(n for n, s in outputs.items() if isinstance(s, ListShape))
        results = outputs[results_member]
        assert isinstance(results, ListShape)
        info = results.member
        assert isinstance(info, StructureShape)
        return cls(
            operation,
            DESCRIBED[operation],
            ids_member,
            results_member,
            info,
            _filter_members(op.input_shape, info),
            _page_max(op.input_shape),
        )

    def run(self, p: dict[str, Any], state: AccountState, ctx: RequestContext) -> dict[str, Any]:
        ids = p.get(self.ids_member)
        _refuse_owner_with(p, self.ids_member)
        if p.get("Owner") == SHARED:
            found: list[Resource] = []
        elif ids:
            found = list({r.id: r for r in (find(state, self.kind, i) for i in ids)}.values())
            found.sort(key=lambda r: r.seq)
        else:
            found = state.all(self.kind)
        items = _filtered([(r.seq, r) for r in found], self.filter_members, p, _attrs)
        page, token = Pager(self.operation).page(items, p, self.page_max)
        answer: dict[str, Any] = {self.results_member: [r.view(self.info) for r in page]}
        if token is not None:
            answer["NextToken"] = token
        return answer


def _filter_members(inputs: StructureShape, info: Shape) -> dict[str, str]:
    """Filter name -> the member of ``info`` it reads (none when there is no Filters)."""
    filters = inputs.members.get("Filters")
    if filters is None:
        return {}
    assert isinstance(filters, ListShape) and isinstance(filters.member, StructureShape)
    names = model.enum(filters.member.members["Name"])
    return {name: member_for_filter(name, info) for name in names}


def _filtered(
    items: list[tuple[int, T]],
    members: Mapping[str, str],
    p: Mapping[str, Any],
    attrs: Callable[[T], Mapping[str, Any]],
) -> list[tuple[int, T]]:
    """The items that every filter of ``p`` matches (``attrs``: an item's members).

    Filters of a read that never lists anything have no members to read: nothing to do.
    """
    if not items:
        return items
    for f in p.get("Filters", ()):
        member = members[f["Name"]]
        items = [(k, i) for k, i in items if _matches(attrs(i).get(member), f["Values"])]
    return items


def _attrs(resource: Resource) -> Mapping[str, Any]:
    return resource.attrs


def _itself(item: dict[str, Any]) -> Mapping[str, Any]:
    return item


def _matches(value: Any, wanted: list[str]) -> bool:
    if isinstance(value, bool):
        return ("true" if value else "false") in wanted
    if isinstance(value, list):
        return any(v in wanted for v in value)
    return value is not None and str(value) in wanted


# -- every other read --------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """An input member that names resources: of one of ``kinds`` (none for an ARN member,
    whose ARN says), one or a list (``many``), in item member ``field`` of a structure."""

    member: str
    kinds: tuple[str, ...]
    many: bool = False
    field: str | None = None

    def values(self, p: Mapping[str, Any]) -> list[str]:
        given = p.get(self.member)
        if given is None:
            return []
        items = given if self.many else [given]
        return [item[self.field] if self.field else item for item in items]

    def resolve(self, state: AccountState, value: str) -> Resource:
        if not self.kinds:
            return find_by_arn(state, value, self.member)
        parsed = Arn.parse(value) if value.startswith("arn:") else None
        kinds = (parsed.kind,) if parsed and parsed.kind in self.kinds else self.kinds
        for kind in kinds:
            try:
                return find(state, kind, value)
            except E.ServiceError:
                continue
        raise E.not_found(kinds[0], value)


@dataclass(frozen=True)
class Read:
    """A read operation answered by the generic rules of this module's docstring."""

    operation: str
    refs: tuple[Ref, ...]
    outputs: StructureShape
    results_member: str | None
    omit_empty: bool  # the model's result list has a minimum of 1 item
    filter_members: dict[str, str]
    page_max: int
    source: Source | None = field(default=None, compare=False)

    @classmethod
    def of(cls, operation: str, source: Source | None = None) -> Read:
        op = model.operation(operation)
        inputs, outputs = op.input_shape, op.output_shape
        assert isinstance(inputs, StructureShape) and isinstance(outputs, StructureShape)
        lists = [n for n, s in outputs.members.items() if isinstance(s, ListShape)]
        if len(lists) > 1:
            raise ValueError(f"{operation} answers more than one list: {lists}")
        results_member = lists[0] if lists else None
        filter_members: dict[str, str] = {}
        omit_empty = False
        if results_member is not None:
            results = outputs.members[results_member]
            omit_empty = results.metadata.get("min", 0) > 0
            if source is not None:  # filters only matter where there can be items
                filter_members = _filter_members(inputs, results.member)
        return cls(
            operation,
            _refs(operation, inputs),
            outputs,
            results_member,
            omit_empty,
            filter_members,
            _page_max(inputs),
            source,
        )

    def run(self, p: dict[str, Any], state: AccountState, ctx: RequestContext) -> dict[str, Any]:
        for ref in self.refs:
            if ref.many:
                _refuse_owner_with(p, ref.member)
        held: dict[str, Resource] = {}
        for ref in self.refs:
            for value in ref.values(p):
                resource = ref.resolve(state, value)
                if not ref.many:
                    held[ref.member] = resource
        answer = self._identity(held, p)
        items, extra = self.source(state, held, p) if self.source else ([], {})
        answer.update(extra)
        if self.results_member is not None:
            if p.get("Owner") == SHARED:
                items = []  # nothing is shared with this account
            page, token = Pager(self.operation).page(
                _filtered(items, self.filter_members, p, _itself), p, self.page_max
            )
            if page or not self.omit_empty:
                answer[self.results_member] = page
            if token is not None:
                answer["NextToken"] = token
        return answer

    def _identity(self, held: Mapping[str, Resource], p: Mapping[str, Any]) -> dict[str, Any]:
        """The answer members that name the resources found, and required echoes."""
        members = self.outputs.members
        required = set(self.outputs.required_members)
        answer: dict[str, Any] = {}
        for ref in self.refs:
            resource = held.get(ref.member)
            if resource is None:
                continue
            view = resource.view(self.outputs)
            answer.update({k: v for k, v in view.items() if k in required})
            if ref.member in members:
                answer[ref.member] = resource.arn if not ref.kinds else resource.id
            arn_member = re.sub("(Id|Name)$", "", ref.member) + "Arn"
            if ref.kinds and arn_member in members:
                answer[arn_member] = resource.arn
        for name in self.outputs.required_members:
            if name not in answer and name in p and name != self.results_member:
                answer[name] = p[name]
        return answer


def _refs(operation: str, inputs: StructureShape) -> tuple[Ref, ...]:
    found = []
    for name, member in inputs.members.items():
        if _is_arn(member):
            found.append(Ref(name, ()))
        elif _is_reference(member):
            found.append(Ref(name, _kinds(operation, name, member, many=False)))
        elif isinstance(member, ListShape):
            item = member.member
            if isinstance(item, StructureShape):
                fields = [n for n, m in item.members.items() if _is_reference(m)]
                if fields:
                    kinds = _kinds(operation, name, item.members[fields[0]], many=True)
                    found.append(Ref(name, kinds, many=True, field=fields[0]))
            elif item.type_name == "string" and (
                _is_reference(item) or name.endswith(("Ids", "Names"))
            ):
                found.append(Ref(name, _kinds(operation, name, item, many=True), many=True))
    return tuple(found)


def _is_reference(shape: Shape) -> bool:
    return shape.type_name == "string" and shape.name.endswith("OrArn")


def _is_arn(shape: Shape) -> bool:
    return shape.type_name == "string" and shape.metadata.get("pattern", "").startswith("arn:")


def _kinds(operation: str, member: str, shape: Shape, *, many: bool) -> tuple[str, ...]:
    """The ResourceTypes a reference member may name (see the module docstring)."""
    if shape.name in _SHAPE_KINDS:
        return _SHAPE_KINDS[shape.name]
    stem = member[:-1] if many and member.endswith("s") else member
    candidates = [stem, re.sub("(Id|Name)$", "", stem)]
    if many:  # an id list of the operation's own items
        candidates.append(re.sub("s$", "", operation.removeprefix(_verb(operation))))
    for candidate in candidates:
        kind = _kebab(candidate)
        if kind in RESOURCE_TYPES:
            return (kind,)
    raise ValueError(f"{operation}.{member} names a resource of no ResourceType in the model")


def _verb(operation: str) -> str:
    return next(v for v in READ_PREFIXES if operation.startswith(v))


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


# -- what the reference lists (per operation: the model cannot say) ------------------------


def _sources(quotas: Mapping[str, int]) -> dict[str, Source]:
    def account_attributes(*_: Any) -> tuple[Items, dict[str, Any]]:
        name, value = ACCOUNT_TIER
        return [(1, {"Name": name, "Value": value})], {}

    limit_kinds = [(n, _limit_kind(n)) for n in model.enum(model.shape("AccountLimitName"))]
    spend_names = model.enum(model.shape("SpendLimitName"))

    def account_limits(state: AccountState, *_: Any) -> tuple[Items, dict[str, Any]]:
        items = []
        for i, (name, kind) in enumerate(limit_kinds, 1):
            used, most = state.count(kind), quotas.get(kind, OTHER_LIMIT)
            items.append((i, {"Name": name, "Used": used, "Max": most}))
        return items, {}

    def spend_limits(*_: Any) -> tuple[Items, dict[str, Any]]:
        return [(i, {"Name": n, **SPEND_LIMIT}) for i, n in enumerate(spend_names, 1)], {}

    return {
        "DescribeAccountAttributes": account_attributes,
        "DescribeAccountLimits": account_limits,
        "DescribeSpendLimits": spend_limits,
        "ListPoolOriginationIdentities": _pool_origination_identities,
        "ListRegistrationAssociations": _registration_associations,
        "DescribeRegistrationVersions": _registration_versions,
        "DescribeRegistrationFieldValues": _registration_field_values,
    }


def _limit_kind(name: str) -> str:
    """``PHONE_NUMBERS`` -> ``phone-number``: the ResourceType an account limit counts."""
    kind = re.sub("s$", "", name.lower()).replace("_", "-")
    if kind not in RESOURCE_TYPES:
        raise ValueError(f"account limit {name} counts no ResourceType of the model")
    return kind


def _numbers_where(state: AccountState, member: str, value: str) -> list[Resource]:
    return [n for n in state.all(E.PHONE_NUMBER) if n.attrs.get(member) == value]


def _pool_origination_identities(
    state: AccountState, held: Mapping[str, Resource], p: Mapping[str, Any]
) -> tuple[Items, dict[str, Any]]:
    """The phone numbers of the pool (the only origination identities stored)."""
    items = [
        (
            n.seq,
            {
                "OriginationIdentityArn": n.arn,
                "OriginationIdentity": n.id,
                "IsoCountryCode": n.attrs["IsoCountryCode"],
                "NumberCapabilities": list(n.attrs["NumberCapabilities"]),
                "PhoneNumber": n.attrs["PhoneNumber"],
            },
        )
        for n in _numbers_where(state, "PoolId", held["PoolId"].id)
    ]
    return items, {}


def _registration_associations(
    state: AccountState, held: Mapping[str, Resource], p: Mapping[str, Any]
) -> tuple[Items, dict[str, Any]]:
    """The phone numbers requested with the registration."""
    items = [
        (
            n.seq,
            {
                "ResourceArn": n.arn,
                "ResourceId": n.id,
                "ResourceType": n.kind,
                "IsoCountryCode": n.attrs["IsoCountryCode"],
                "PhoneNumber": n.attrs["PhoneNumber"],
            },
        )
        for n in _numbers_where(state, "RegistrationId", held["RegistrationId"].id)
    ]
    return items, {}


def _registration_versions(
    state: AccountState, held: Mapping[str, Resource], p: Mapping[str, Any]
) -> tuple[Items, dict[str, Any]]:
    """Versions 1..CurrentVersionNumber, or those of ``VersionNumbers`` among them."""
    attrs = held["RegistrationId"].attrs
    wanted = p.get("VersionNumbers")
    items = []
    for version in range(1, attrs["CurrentVersionNumber"] + 1):
        if wanted is not None and version not in wanted:
            continue
        status = _version_status(attrs, version)
        created = attrs["CreatedTimestamp"]
        history = {"DraftTimestamp": created}
        stamp = _pascal(status) + "Timestamp"
        if stamp in _HISTORY_MEMBERS:
            history[stamp] = created
        items.append(
            (
                version,
                {
                    "VersionNumber": version,
                    "RegistrationVersionStatus": status,
                    "RegistrationVersionStatusHistory": history,
                },
            )
        )
    return items, {}


def _version_status(attrs: Mapping[str, Any], version: int) -> str:
    if attrs.get("ApprovedVersionNumber") == version:
        return APPROVED
    status: str = attrs["RegistrationStatus"]
    return status if status in _VERSION_STATUSES else DRAFT


def _pascal(name: str) -> str:
    return "".join(word.capitalize() for word in name.split("_"))


def _registration_field_values(
    state: AccountState, held: Mapping[str, Resource], p: Mapping[str, Any]
) -> tuple[Items, dict[str, Any]]:
    """No field values (none is ever set), of ``VersionNumber`` (default: the current)."""
    registration = held["RegistrationId"]
    current = registration.attrs["CurrentVersionNumber"]
    version = p.get("VersionNumber", current)
    if version > current:
        raise E.not_found(
            E.REGISTRATION,
            registration.id,
            f"Registration {registration.id} has no version {version}",
        )
    return [], {"VersionNumber": version}
