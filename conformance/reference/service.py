"""The service core: ``handle(operation, params, ctx) -> dict`` or ``raise ServiceError``.

Nothing here knows about HTTP. Input is validated against the model first, the token of
idempotent operations is honoured, and each handler runs under its account's lock, so
concurrent requests see a consistent state and one token creates one resource.

Behaviour documented for the real service (see /work/shared/aws-behavior.md) is
implemented as documented. Where it is not known, this reference makes a choice, in the
common AWS pattern, and says so here; the suite must not treat these as facts:

- Model-trait violations answer ValidationException Reason ``FIELD_VALIDATION_FAILED``
  with every offending member in ``Fields``; a body that is not a JSON object answers
  ``SerializationException`` (wire layer).
- A reused ClientToken with *different* parameters answers ConflictException (no Reason:
  none in the model fits); with the same parameters it replays the first answer and
  creates nothing. Only successes are remembered; the cache is a bounded LRU, so a
  token older than ``token_cache_size`` other tokens is forgotten.
- The service is asynchronous (documented); this reference settles after ``settle``
  seconds (default :data:`DEFAULT_SETTLE_S`; 0 = at once), computed lazily from ``clock``:
  RequestPhoneNumber answers Status ``PENDING`` and the number is described ``PENDING``
  until it settles, then ``ACTIVE``; SIMULATOR numbers are ``simulator_status``
  (``ACTIVE`` unless configured). ReleasePhoneNumber answers ``DISASSOCIATING`` and the
  number is described so until it settles, then it is gone and its phone number may be
  handed out again. DeletePool answers ``DELETING`` and the pool is described so until it
  settles; its numbers keep their PoolId until then. With ``settle=0`` numbers are
  ``ACTIVE``, and released numbers and deleted pools gone, at once (release answers
  ``DELETED``); RequestPhoneNumber still answers ``PENDING`` for non-SIMULATOR numbers.
- Not known, chosen: a write naming a DISASSOCIATING number or a DELETING pool (Update,
  Release, Tag/Untag, CreatePool with it, DeletePool again, RequestPhoneNumber into it)
  answers ConflictException ``RESOURCE_NOT_ACTIVE`` with its ResourceType and ResourceId;
  Describe and ListTagsForResource still show it. Leaving resources count towards no
  quota and do not keep their opt-out list from being deleted. A PENDING number may be
  updated, released, tagged and pooled like an ACTIVE one (also not known).
- MonthlyLeasingPrice is ``"1.00"`` for every number.
- A request for a number that does not exist (SIMULATOR outside the US or for
  PROMOTIONAL, TOLL_FREE outside US/CA, TEN_DLC outside the US, MMS outside US/CA or on
  a CA TOLL_FREE number, or a country without numbers) answers ResourceNotFoundException,
  ResourceType ``phone-number``, no ResourceId: the failure observed for SIMULATOR +
  PROMOTIONAL.
- IsoCountryCode that is not an assigned ISO 3166-1 code: ValidationException
  ``INVALID_PARAMETER``.
- TEN_DLC without RegistrationId: ValidationException ``MISSING_PARAMETER``; with a
  registration that is not ``COMPLETE``: ConflictException ``REGISTRATION_NOT_COMPLETE``.
  New registrations start in ``registration_status`` (``CREATED`` unless configured).
- Once a released number is gone, Describe/Update/Release/tagging answer
  ResourceNotFoundException.
- Service limits stricter than the model (documented; see :mod:`.limits`), answers
  chosen: more than 50 tags on a resource (RequestPhoneNumber, Create*, TagResource):
  ServiceQuotaExceededException ``TAGS_PER_RESOURCE``; a tag key or value starting with
  ``aws:`` or holding other characters than letters, digits, whitespace and
  ``_ . / = + -``: ValidationException ``INVALID_PARAMETER`` naming ``Tags[i].Key`` or
  ``Tags[i].Value``; a repeated NumberCapabilities item: ValidationException
  ``INVALID_PARAMETER`` naming ``NumberCapabilities``. All are 400.
- Optional create/delete rate limit (``create_delete_rate`` per second per account and
  region, bucket of ``create_delete_burst``; off by default): over it, the operations in
  :data:`RATE_LIMITED` answer ThrottlingException (400) before anything else is looked
  at, so a throttled request changes nothing and consumes no idempotency token.
- The checks of UpdatePhoneNumber on a pooled number, CreatePool on a pooled number,
  and ReleasePhoneNumber on a pooled number all use ``PHONE_NUMBER_ASSOCIATED_TO_POOL``.
- CreatePool's origination identity must be a phone number id or ARN of this account;
  anything else is looked up as a sender ID, which this reference does not have
  (ResourceNotFoundException ``sender-id``). DeletePool answers Status ``DELETING``.
- DeleteOptOutList of ``Default``, or of a list a number or pool uses:
  ConflictException ``RESOURCE_DELETION_NOT_ALLOWED``.
- An ARN that does not parse as ``arn:aws:sms-voice:...:<type>/<id>`` with a type of the
  model's ResourceType enum: ValidationException ``INVALID_ARN``; an ARN of another
  account or region, or of a kind this reference does not store (a sender ID, a
  configuration set), is simply not found. Signatures are not verified.
- Every read-only operation of the model (``Describe*``, ``List*``, ``Get*``) is
  answered by :mod:`.reads` (its docstring lists its rules and choices); every other
  operation this module does not implement answers UnknownOperationException.
- Filters match when any value equals the attribute (booleans as ``true``/``false``);
  all filters must match. Owner ``SHARED`` lists nothing (nothing is shared).
- Quotas (per account and region) are configurable; see :class:`Quotas`.
"""

from __future__ import annotations

import functools
import json
import math
import random
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Protocol

from . import errors as E
from . import limits, model, reads
from .numbers import SIMULATOR, TEN_DLC, NumberAllocator, is_iso_country, unavailable
from .ratelimit import RateLimiter
from .state import DEFAULT_OPT_OUT_LIST, AccountState, Arn, RequestContext, Resource, Store, find
from .validation import Errors, check_operation_input
from .validation import warm as warm_validation

ACTIVE = model.enum_value("NumberStatus", "ACTIVE")
PENDING = model.enum_value("NumberStatus", "PENDING")
DISASSOCIATING = model.enum_value("NumberStatus", "DISASSOCIATING")
DELETED = model.enum_value("NumberStatus", "DELETED")
POOL_ACTIVE = model.enum_value("PoolStatus", "ACTIVE")
POOL_DELETING = model.enum_value("PoolStatus", "DELETING")
COMPLETE = model.enum_value("RegistrationStatus", "COMPLETE")
PRICE = "1.00"
DEFAULT_SETTLE_S = 0.05
# The create/delete operations the optional rate limit applies to (user guide quotas).
RATE_LIMITED = frozenset(
    {
        "RequestPhoneNumber",
        "ReleasePhoneNumber",
        "CreatePool",
        "DeletePool",
        "CreateOptOutList",
        "DeleteOptOutList",
        "CreateRegistration",
    }
)

Validator = Callable[[str, dict[str, Any]], tuple[dict[str, Any], Errors]]


class Service(Protocol):
    """What the wire layer needs; wrap one to build a deliberately broken variant."""

    @property
    def operations(self) -> Collection[str]: ...

    def handle(
        self, operation: str, params: dict[str, Any], ctx: RequestContext
    ) -> dict[str, Any]: ...


class ServiceWrapper:
    """Forwards to ``inner``; subclass and override ``handle`` to seed a bug."""

    def __init__(self, inner: Service):
        self.inner = inner

    @property
    def operations(self) -> Collection[str]:
        return self.inner.operations

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> dict[str, Any]:
        return self.inner.handle(operation, params, ctx)


@dataclass(frozen=True)
class Quotas:
    """Per account and region. Only live resources count (leaving or released ones do not)."""

    phone_numbers: int = 50
    opt_out_lists: int = 100
    registrations: int = 100


Handler = Callable[[dict[str, Any], AccountState, RequestContext], dict[str, Any]]
# Reads never create account state: a read of an account that never wrote sees a fresh one.
_READ_ONLY = frozenset(reads.read_operations())
_ID_PREFIX = {E.PHONE_NUMBER: "phone-", E.POOL: "pool-", E.REGISTRATION: "registration-"}


class ReferenceService:
    """The reference implementation of the operations in :attr:`operations`.

    ``quotas``: per account/region limits. ``token_cache_size``: how many idempotency
    tokens are remembered (LRU). ``registration_status``: the status new registrations
    get (set ``COMPLETE`` to let TEN_DLC requests succeed). ``seed``: makes ids and
    numbers reproducible. ``clock``: epoch seconds. ``validate``: the input check, a
    seam for variants that must accept what the model forbids. ``settle``: seconds a
    number stays PENDING or DISASSOCIATING and a pool DELETING (0: at once).
    ``simulator_status``: ``ACTIVE`` or ``PENDING``, what new SIMULATOR numbers are.
    ``create_delete_rate`` / ``create_delete_burst``: the optional token bucket of
    :data:`RATE_LIMITED` operations (None: no limit).
    """

    def __init__(
        self,
        *,
        quotas: Quotas | None = None,
        token_cache_size: int = 10_000,
        registration_status: str = "CREATED",
        seed: int | None = None,
        clock: Callable[[], float] = time.time,
        validate: Validator = check_operation_input,
        settle: float = DEFAULT_SETTLE_S,
        simulator_status: str = ACTIVE,
        create_delete_rate: float | None = None,
        create_delete_burst: int = 1,
    ):
        if not (math.isfinite(settle) and settle >= 0):
            raise ValueError(f"settle must be a number of seconds >= 0, not {settle}")
        if simulator_status not in (ACTIVE, PENDING):
            raise ValueError(
                f"simulator_status must be {ACTIVE} or {PENDING}, not {simulator_status!r}"
            )
        self.quotas = quotas or Quotas()
        self.registration_status = model.enum_value("RegistrationStatus", registration_status)
        self.clock = clock
        self.settle = settle
        self.simulator_status = simulator_status
        self.limiter = RateLimiter(create_delete_rate, create_delete_burst, clock)
        self.validate = validate
        self.store = Store(token_cache_size, clock)
        self._rng = random.Random(seed)
        self.numbers = NumberAllocator(random.Random(self._rng.getrandbits(64)))
        self._handlers: dict[str, Handler] = {
            "RequestPhoneNumber": self._request_phone_number,
            "ReleasePhoneNumber": self._release_phone_number,
            "UpdatePhoneNumber": self._update_phone_number,
            "CreatePool": self._create_pool,
            "DeletePool": self._delete_pool,
            "CreateOptOutList": self._create_opt_out_list,
            "DeleteOptOutList": self._delete_opt_out_list,
            "TagResource": self._tag_resource,
            "UntagResource": self._untag_resource,
            "ListTagsForResource": self._list_tags_for_resource,
            "CreateRegistration": self._create_registration,
        }
        quota_of = {
            E.PHONE_NUMBER: self.quotas.phone_numbers,
            E.OPT_OUT_LIST: self.quotas.opt_out_lists,
            E.REGISTRATION: self.quotas.registrations,
        }
        for operation, handler in reads.handlers(quota_of).items():
            self._handlers.setdefault(operation, handler)  # ListTagsForResource is above
        self._outputs = {op: model.operation(op).output_shape for op in self._handlers}
        self._tokens = {op: model.idempotency_member(op) for op in self._handlers}
        warm_validation(tuple(self._handlers))

    @property
    def operations(self) -> Collection[str]:
        return self._handlers.keys()

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> dict[str, Any]:
        handler = self._handlers.get(operation)
        if handler is None:
            raise E.unknown_operation(f"{model.target_prefix()}.{operation}")
        if operation in RATE_LIMITED and not self.limiter.allow((ctx.account_id, ctx.region)):
            raise E.throttled()
        clean, problems = self.validate(operation, params)
        if problems:
            raise E.field_errors(problems)
        token_member = self._tokens[operation]
        token = clean.pop(token_member, None) if token_member else None
        state = self.store.state(ctx.account_id, ctx.region, create=operation not in _READ_ONLY)
        with state.lock:
            state.settle(self.clock())
            if token is None:
                return handler(clean, state, ctx)
            key = (ctx.account_id, ctx.region, operation, token)
            seen = self.store.tokens.get(key)
            if seen is not None:
                if seen[0] != clean:
                    raise E.ServiceError(
                        "ConflictException",
                        f"{token_member} {token!r} was already used with different parameters",
                    )
                replay: dict[str, Any] = json.loads(seen[1])
                return replay
            answer = handler(clean, state, ctx)
            self.store.tokens.put(key, clean, answer)
            return answer

    # -- helpers -------------------------------------------------------------------------

    def _now(self) -> float:
        return round(self.clock(), 3)

    def _new_id(self, kind: str) -> str:
        return f"{_ID_PREFIX[kind]}{self._rng.getrandbits(128):032x}"

    def _out(self, operation: str, resource: Resource, **overrides: Any) -> dict[str, Any]:
        shape = self._outputs[operation]
        assert shape is not None
        answer = resource.view(shape)
        answer.update(overrides)
        return answer

    @staticmethod
    def _tags(
        tags: list[dict[str, str]] | None, old: dict[str, str] | None = None
    ) -> dict[str, str]:
        """``old`` with ``tags`` set, or the error the service limits call for."""
        problems = limits.tag_problems(tags or ())
        if problems:
            raise E.field_errors(problems, E.INVALID_PARAMETER)
        merged = dict(old or {})
        merged.update((t["Key"], t["Value"]) for t in tags or ())
        if len(merged) > limits.MAX_TAGS:
            raise E.quota_exceeded(E.TAGS_PER_RESOURCE, limits.MAX_TAGS)
        return merged

    # -- phone numbers ------------------------------------------------------------------

    def _request_phone_number(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        iso, number_type = p["IsoCountryCode"], p["NumberType"]
        if not is_iso_country(iso):
            raise E.invalid(
                E.INVALID_PARAMETER, "IsoCountryCode", f"{iso!r} is not an ISO 3166-1 country code"
            )
        twice = limits.repeated(p["NumberCapabilities"])
        if twice:
            raise E.invalid(
                E.INVALID_PARAMETER, "NumberCapabilities", f"{twice[0]} is given more than once"
            )
        tags = self._tags(p.get("Tags"))
        opt_out = find(state, E.OPT_OUT_LIST, p.get("OptOutListName", DEFAULT_OPT_OUT_LIST))
        pool = find(state, E.POOL, p["PoolId"]) if "PoolId" in p else None
        if pool is not None:
            _refuse_if_leaving(pool)
        registration = (
            find(state, E.REGISTRATION, p["RegistrationId"]) if "RegistrationId" in p else None
        )
        if number_type == TEN_DLC:
            if registration is None:
                raise E.invalid(
                    E.MISSING_PARAMETER,
                    "RegistrationId",
                    f"{TEN_DLC} numbers need a RegistrationId",
                )
            if registration.attrs["RegistrationStatus"] != COMPLETE:
                raise E.conflict(
                    E.REGISTRATION_NOT_COMPLETE,
                    E.REGISTRATION,
                    registration.id,
                    f"Registration {registration.id} is not {COMPLETE}",
                )
        why = unavailable(iso, number_type, p["MessageType"], p["NumberCapabilities"])
        if why is not None:
            raise E.not_found(E.PHONE_NUMBER, None, f"No phone number available: {why}")
        if state.count(E.PHONE_NUMBER) >= self.quotas.phone_numbers:
            raise E.quota_exceeded(E.PHONE_NUMBERS_PER_ACCOUNT, self.quotas.phone_numbers)
        number = self.numbers.allocate(iso, number_type)
        if number is None:
            raise E.not_found(
                E.PHONE_NUMBER, None, f"No {number_type} phone number available in {iso}"
            )
        phone_id = self._new_id(E.PHONE_NUMBER)
        status = self.simulator_status if number_type == SIMULATOR else PENDING
        resource = state.add(
            E.PHONE_NUMBER,
            phone_id,
            {
                "PhoneNumber": number,
                "Status": status if self.settle else ACTIVE,
                "IsoCountryCode": iso,
                "MessageType": p["MessageType"],
                "NumberCapabilities": list(p["NumberCapabilities"]),
                "NumberType": number_type,
                "MonthlyLeasingPrice": PRICE,
                "TwoWayEnabled": False,
                "SelfManagedOptOutsEnabled": False,
                "OptOutListName": opt_out.id,
                "InternationalSendingEnabled": p.get("InternationalSendingEnabled", False),
                "DeletionProtectionEnabled": p.get("DeletionProtectionEnabled", False),
                "PoolId": pool.id if pool else None,
                "RegistrationId": registration.id if registration else None,
                "CreatedTimestamp": self._now(),
            },
        )
        resource.tags = tags
        if resource.attrs["Status"] == PENDING:
            state.at(self.clock() + self.settle, functools.partial(_activate, resource))
        return self._out("RequestPhoneNumber", resource, Status=status)

    def _release_phone_number(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        number = find(state, E.PHONE_NUMBER, p["PhoneNumberId"])
        _refuse_if_leaving(number)
        _refuse_if_protected(number, E.PHONE_NUMBER, "Phone number")
        self._refuse_if_pooled(number)
        free = functools.partial(self.numbers.free, number.attrs["PhoneNumber"])
        if not self.settle:
            state.remove(number)
            free()
            return self._out("ReleasePhoneNumber", number, Status=DELETED)
        number.attrs["Status"] = DISASSOCIATING
        state.retire(number, self.clock() + self.settle, free)
        return self._out("ReleasePhoneNumber", number)

    def _update_phone_number(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        number = find(state, E.PHONE_NUMBER, p["PhoneNumberId"])
        _refuse_if_leaving(number)
        self._refuse_if_pooled(number)
        changes = {k: v for k, v in p.items() if k != "PhoneNumberId"}
        if "OptOutListName" in changes:
            changes["OptOutListName"] = find(state, E.OPT_OUT_LIST, p["OptOutListName"]).id
        number.attrs.update(changes)
        return self._out("UpdatePhoneNumber", number)

    @staticmethod
    def _refuse_if_pooled(number: Resource) -> None:
        if number.attrs.get("PoolId"):
            raise E.conflict(
                E.PHONE_NUMBER_ASSOCIATED_TO_POOL,
                E.PHONE_NUMBER,
                number.id,
                f"Phone number {number.id} is associated with pool {number.attrs['PoolId']}",
            )

    # -- pools --------------------------------------------------------------------------

    def _create_pool(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        identity = p["OriginationIdentity"]
        parsed = Arn.parse(identity) if identity.startswith("arn:") else None
        is_phone = (
            parsed.kind == E.PHONE_NUMBER
            if parsed
            else identity.startswith(_ID_PREFIX[E.PHONE_NUMBER])
        )
        if not is_phone:
            raise E.not_found(E.SENDER_ID, identity)
        number = find(state, E.PHONE_NUMBER, identity)
        _refuse_if_leaving(number)
        self._refuse_if_pooled(number)
        tags = self._tags(p.get("Tags"))
        pool_id = self._new_id(E.POOL)
        inherited = (
            "TwoWayEnabled",
            "TwoWayChannelArn",
            "TwoWayChannelRole",
            "SelfManagedOptOutsEnabled",
            "OptOutListName",
        )
        pool = state.add(
            E.POOL,
            pool_id,
            {
                "Status": POOL_ACTIVE,
                "MessageType": p["MessageType"],
                **{k: number.attrs.get(k) for k in inherited},
                "SharedRoutesEnabled": False,
                "DeletionProtectionEnabled": p.get("DeletionProtectionEnabled", False),
                "CreatedTimestamp": self._now(),
            },
        )
        pool.tags = tags
        number.attrs["PoolId"] = pool_id
        return self._out("CreatePool", pool)

    def _delete_pool(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        pool = find(state, E.POOL, p["PoolId"])
        _refuse_if_leaving(pool)
        _refuse_if_protected(pool, E.POOL, "Pool")

        def disassociate() -> None:
            for number in state.all(E.PHONE_NUMBER):
                if number.attrs.get("PoolId") == pool.id:
                    number.attrs["PoolId"] = None

        if not self.settle:
            state.remove(pool)
            disassociate()
            return self._out("DeletePool", pool, Status=POOL_DELETING)
        pool.attrs["Status"] = POOL_DELETING
        state.retire(pool, self.clock() + self.settle, disassociate)
        return self._out("DeletePool", pool)

    # -- opt-out lists ------------------------------------------------------------------

    def _create_opt_out_list(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        name = p["OptOutListName"]
        if state.get(E.OPT_OUT_LIST, name) is not None:
            raise E.conflict(
                E.RESOURCE_ALREADY_EXISTS, E.OPT_OUT_LIST, name, f"Opt-out list {name!r} exists"
            )
        tags = self._tags(p.get("Tags"))
        if state.count(E.OPT_OUT_LIST) >= self.quotas.opt_out_lists:
            raise E.quota_exceeded(E.OPT_OUT_LISTS_PER_ACCOUNT, self.quotas.opt_out_lists)
        listing = state.add(E.OPT_OUT_LIST, name, {"CreatedTimestamp": self._now()})
        listing.tags = tags
        return self._out("CreateOptOutList", listing)

    def _delete_opt_out_list(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        listing = find(state, E.OPT_OUT_LIST, p["OptOutListName"])
        users = [
            r
            for kind in (E.PHONE_NUMBER, E.POOL)
            for r in state.all(kind)
            if r.attrs.get("OptOutListName") == listing.id and not r.leaving
        ]
        if listing.id == DEFAULT_OPT_OUT_LIST or users:
            why = "is the account default" if not users else f"is used by {users[0].id}"
            raise E.conflict(
                E.RESOURCE_DELETION_NOT_ALLOWED,
                E.OPT_OUT_LIST,
                listing.id,
                f"Opt-out list {listing.id!r} {why}",
            )
        state.remove(listing)
        return self._out("DeleteOptOutList", listing)

    # -- tags ---------------------------------------------------------------------------

    def _tagged(self, state: AccountState, resource_arn: str) -> Resource:
        return reads.find_by_arn(state, resource_arn, "ResourceArn")

    def _tag_resource(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        resource = self._tagged(state, p["ResourceArn"])
        _refuse_if_leaving(resource)
        resource.tags = self._tags(p["Tags"], resource.tags)
        return {}

    def _untag_resource(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        resource = self._tagged(state, p["ResourceArn"])
        _refuse_if_leaving(resource)
        removed = set(p["TagKeys"])
        resource.tags = {k: v for k, v in resource.tags.items() if k not in removed}
        return {}

    def _list_tags_for_resource(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        resource = self._tagged(state, p["ResourceArn"])
        return {
            "ResourceArn": resource.arn,
            "Tags": [{"Key": k, "Value": v} for k, v in resource.tags.items()],
        }

    # -- registrations ------------------------------------------------------------------

    def _create_registration(
        self, p: dict[str, Any], state: AccountState, ctx: RequestContext
    ) -> dict[str, Any]:
        tags = self._tags(p.get("Tags"))
        if state.count(E.REGISTRATION) >= self.quotas.registrations:
            raise E.quota_exceeded(E.REGISTRATIONS_PER_ACCOUNT, self.quotas.registrations)
        registration_id = self._new_id(E.REGISTRATION)
        approved = self.registration_status == COMPLETE
        registration = state.add(
            E.REGISTRATION,
            registration_id,
            {
                "RegistrationType": p["RegistrationType"],
                "RegistrationStatus": self.registration_status,
                "CurrentVersionNumber": 1,
                "ApprovedVersionNumber": 1 if approved else None,
                "CreatedTimestamp": self._now(),
            },
        )
        registration.tags = tags
        return self._out("CreateRegistration", registration)


def _activate(number: Resource) -> None:
    """A number's provisioning settled (unless it was released meanwhile)."""
    if number.attrs["Status"] == PENDING:
        number.attrs["Status"] = ACTIVE


def _refuse_if_leaving(resource: Resource) -> None:
    """A write to a number being released or a pool being deleted (a choice, see above)."""
    if resource.leaving:
        raise E.conflict(
            E.RESOURCE_NOT_ACTIVE,
            resource.kind,
            resource.id,
            f"{resource.kind} {resource.id} is {resource.attrs['Status']}",
        )


def _refuse_if_protected(resource: Resource, resource_type: str, label: str) -> None:
    """Deleting a resource with deletion protection on is a conflict."""
    if resource.attrs["DeletionProtectionEnabled"]:
        raise E.conflict(
            E.DELETION_PROTECTION_ENABLED,
            resource_type,
            resource.id,
            f"{label} {resource.id} has deletion protection enabled",
        )
