"""What the service remembers: resources per (account, region), and idempotency tokens.

A resource is stored as the attributes its ``Describe*`` shape would show, keyed by the
model's member names, so answering is a projection onto an output shape (see
:func:`Resource.view`) rather than a per-operation mapping. Released or deleted
resources linger (``leaving``) for a while and are then dropped, and the token cache is
a bounded LRU, so memory depends on what is alive, not on how many requests were served.

The service's asynchronous changes (a number becoming ACTIVE, a released number
vanishing) are scheduled with :meth:`AccountState.at` and applied lazily by
:meth:`AccountState.settle` at the start of each request: no background threads, and a
fake clock controls them completely.
"""

from __future__ import annotations

import heapq
import itertools
import json
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.model import Shape, StructureShape

from .errors import OPT_OUT_LIST, PHONE_NUMBER, POOL, REGISTRATION, not_found

DEFAULT_OPT_OUT_LIST = "Default"
# The members that carry a resource's own id and ARN in the model's output shapes.
_ID_AND_ARN = {
    PHONE_NUMBER: ("PhoneNumberId", "PhoneNumberArn"),
    POOL: ("PoolId", "PoolArn"),
    OPT_OUT_LIST: ("OptOutListName", "OptOutListArn"),
    REGISTRATION: ("RegistrationId", "RegistrationArn"),
}


@dataclass(frozen=True)
class RequestContext:
    """Who is asking: account (from the SigV4 access key), region, and the request id."""

    account_id: str
    region: str
    request_id: str


def arn(region: str, account: str, kind: str, resource_id: str) -> str:
    """``arn:aws:sms-voice:<region>:<account>:<kind>/<id>``; kind is a ResourceType value."""
    return f"arn:aws:sms-voice:{region}:{account}:{kind}/{resource_id}"


@dataclass(frozen=True)
class Arn:
    region: str
    account: str
    kind: str
    resource_id: str

    @classmethod
    def parse(cls, text: str) -> Arn | None:
        parts = text.split(":", 5)
        if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sms-voice":
            return None
        kind, slash, resource_id = parts[5].partition("/")
        if not slash or not resource_id or not parts[3] or not parts[4]:
            return None
        return cls(parts[3], parts[4], kind, resource_id)


@dataclass(eq=False)
class Resource:
    """One live resource: its id, ARN, model-named attributes and tags."""

    kind: str
    id: str
    arn: str
    seq: int
    attrs: dict[str, Any]
    tags: dict[str, str] = field(default_factory=dict)
    leaving: bool = False  # on its way out: still described, no longer counted or usable

    def view(self, shape: Shape) -> dict[str, Any]:
        """The members of ``shape`` this resource has (None and empty Tags left out)."""
        out: dict[str, Any] = {}
        for name in _member_names(shape):
            if name == "Tags":
                if self.tags:
                    out["Tags"] = [{"Key": k, "Value": v} for k, v in self.tags.items()]
                continue
            value = self.attrs.get(name)
            if value is not None:
                out[name] = list(value) if isinstance(value, list) else value
        return out


_MEMBER_NAMES: dict[str, tuple[str, ...]] = {}


def _member_names(shape: Shape) -> tuple[str, ...]:
    """Member names by shape name (botocore builds a new Shape object per lookup)."""
    names = _MEMBER_NAMES.get(shape.name)
    if names is None:
        assert isinstance(shape, StructureShape)
        names = _MEMBER_NAMES[shape.name] = tuple(shape.members)
    return names


class AccountState:
    """The resources of one account in one region. Hold ``lock`` while using it."""

    def __init__(self, account: str, region: str, default_list_created: float):
        self.account = account
        self.region = region
        self.lock = threading.Lock()
        self._seq = itertools.count(1)
        self._by_kind: dict[str, dict[str, Resource]] = {}
        self._leaving: Counter[str] = Counter()
        self._due: list[tuple[float, int, Callable[[], None]]] = []
        self._tickets = itertools.count()
        self.add(OPT_OUT_LIST, DEFAULT_OPT_OUT_LIST, {"CreatedTimestamp": default_list_created})

    def add(self, kind: str, resource_id: str, attrs: dict[str, Any]) -> Resource:
        """Store a new resource; its id and ARN members are filled in here."""
        resource_arn = arn(self.region, self.account, kind, resource_id)
        id_member, arn_member = _ID_AND_ARN[kind]
        attrs = {id_member: resource_id, arn_member: resource_arn, **attrs}
        resource = Resource(kind, resource_id, resource_arn, next(self._seq), attrs)
        self._by_kind.setdefault(kind, {})[resource_id] = resource
        return resource

    def get(self, kind: str, resource_id: str) -> Resource | None:
        return self._by_kind.get(kind, {}).get(resource_id)

    def remove(self, resource: Resource) -> None:
        removed = self._by_kind.get(resource.kind, {}).pop(resource.id, None)
        if removed is not None and removed.leaving:
            self._leaving[resource.kind] -= 1

    def all(self, kind: str) -> list[Resource]:
        """Stored resources of ``kind`` (leaving ones too) in creation order."""
        return list(self._by_kind.get(kind, {}).values())

    def count(self, kind: str) -> int:
        """Resources of ``kind`` that are not leaving (what quotas count)."""
        return len(self._by_kind.get(kind, {})) - self._leaving[kind]

    def at(self, due: float, action: Callable[[], None]) -> None:
        """Run ``action`` in the first :meth:`settle` whose ``now`` is at or after ``due``."""
        heapq.heappush(self._due, (due, next(self._tickets), action))

    def settle(self, now: float) -> None:
        """Apply every scheduled change that is due, in the order they fall due."""
        while self._due and self._due[0][0] <= now:
            heapq.heappop(self._due)[2]()

    def retire(self, resource: Resource, due: float, then: Callable[[], None]) -> None:
        """Mark ``resource`` leaving; at ``due`` remove it and call ``then``."""
        resource.leaving = True
        self._leaving[resource.kind] += 1

        def gone() -> None:
            self.remove(resource)
            then()

        self.at(due, gone)


def find(state: AccountState, kind: str, ref: str) -> Resource:
    """The stored resource of ``kind`` named by id/name or ARN, or ResourceNotFoundException.

    Any ResourceType may be asked for: a kind this reference never stores is never found.
    """
    key = ref
    if ref.startswith("arn:"):
        parsed = Arn.parse(ref)
        if (
            parsed is None
            or parsed.kind != kind
            or (parsed.region, parsed.account) != (state.region, state.account)
        ):
            raise not_found(kind, ref)
        key = parsed.resource_id
    found = state.get(kind, key)
    if found is None:
        raise not_found(kind, ref)
    return found


class TokenCache:
    """Bounded LRU of idempotent answers: key -> (params, answer as JSON).

    The answer is kept as JSON so that each replay is a fresh copy, whatever callers
    later do to the dict they were given.
    """

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._entries: OrderedDict[tuple[str, ...], tuple[dict[str, Any], str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> tuple[dict[str, Any], str] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[str, ...], params: dict[str, Any], answer: dict[str, Any]) -> None:
        """Remember ``answer`` to ``params`` (which the caller must not change later)."""
        entry = (params, _ENCODER.encode(answer))
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


_ENCODER = json.JSONEncoder(separators=(",", ":"))


class Store:
    """All account states, created on first write.

    Reads of an account that never wrote get a fresh, unsaved state, so requests signed
    with a million random access keys leave nothing behind.
    """

    def __init__(self, token_cache_size: int, clock: Callable[[], float] = time.time):
        self.started = round(clock(), 3)
        self.tokens = TokenCache(token_cache_size)
        self._states: dict[tuple[str, str], AccountState] = {}
        self._lock = threading.Lock()

    def state(self, account: str, region: str, *, create: bool = True) -> AccountState:
        key = (account, region)
        found = self._states.get(key)
        if found is not None:
            return found
        fresh = AccountState(account, region, self.started)
        if not create:
            return fresh
        with self._lock:
            return self._states.setdefault(key, fresh)
