"""The seeded catalog: broken variants the suite must catch, legal ones it must accept.

Every variant is the reference endpoint wrapped or configured (a reply hook, a
:class:`ServiceWrapper`, a raw-bytes app around :class:`WireApp`, or the reference's own
knobs), never a copy of it. A broken variant is one realistic bug a mock-server author
could make and names the invariant(s) that must catch it; a legal variant is a
variation the protocol or the documented service allows, and the suite must pass it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conformance.reference import (
    App,
    Quotas,
    RawRequest,
    RawResponse,
    ReferenceServer,
    ReferenceService,
    Reply,
    RequestContext,
    ServiceError,
    ServiceWrapper,
    WireApp,
)
from conformance.reference import errors as E
from conformance.reference.validation import check_operation_input

RPN = "RequestPhoneNumber"
# Variants that leak numbers (a release that does not release, ids the suite cannot
# release) must not run into the per-account quota and turn later invariants vacuous.
ROOMY = Quotas(phone_numbers=100_000)


@dataclass(frozen=True)
class Variant:
    """One catalog entry. ``caught_by`` empty: a legal variant, which must pass.

    ``tolerated``: for a legal variant, invariants allowed to fail, each for a reason
    the invariant's own documentation gives (``why``); the run must still exit 0 at
    the level ``gate``.
    """

    name: str
    family: str
    description: str
    build: Callable[[], ReferenceServer]
    caught_by: tuple[str, ...] = ()
    tolerated: tuple[str, ...] = ()
    why: str = ""
    gate: str = "strict"
    # A legal variant too slow for the whole suite (1 request a second) runs only these
    # invariants, under this Hypothesis profile (profile.py).
    select: tuple[str, ...] = ()
    profile: str = "seeded"
    # The operations the model-level tier (OPS-* invariants) runs on: ``--operations
    # REGEX``. A broken variant's: those its bug touches and a few it leaves alone, so
    # its run takes seconds, not the tier over all 110 operations. None: a broken
    # variant's run has no --operations, a legal one's test_catalog.LEGAL_OPERATIONS.
    operations: str | None = None

    @property
    def legal(self) -> bool:
        return not self.caught_by


# -- ways to build a variant -------------------------------------------------------------


def service(**options: Any) -> ReferenceService:
    return ReferenceService(quotas=ROOMY, **options)


def hooked(*hooks: Callable[[Reply], Reply]) -> Callable[[], ReferenceServer]:
    return lambda: ReferenceServer(service=service(), hooks=list(hooks))


def wrapped(wrapper: Callable[[ReferenceService], Any]) -> Callable[[], ReferenceServer]:
    return lambda: ReferenceServer(service=wrapper(service()))


def raw(wrap: Callable[[App], App]) -> Callable[[], ReferenceServer]:
    return lambda: ReferenceServer(app=wrap(WireApp(service())))


def validating(
    drop: Callable[[str, str], bool], where: Callable[[str], bool] = lambda operation: True
) -> Callable[[], ReferenceServer]:
    """A reference whose input check, of the operations ``where`` picks, forgets the
    problems ``drop(path, message)`` picks."""

    def lenient(operation: str, params: dict[str, Any]) -> Any:
        clean, problems = check_operation_input(operation, params)
        if not where(operation):
            return clean, problems
        return clean, [p for p in problems if not drop(*p)]

    return lambda: ReferenceServer(service=service(validate=lenient))


def on_success(operation: str, change: Callable[[dict[str, Any], Reply], None]) -> Any:
    def hook(reply: Reply) -> Reply:
        if reply.operation == operation and reply.status == 200:
            change(reply.body, reply)
        return reply

    hook.__name__ = change.__name__
    return hook


def on_error(
    change: Callable[[Reply], None],
    code: str | None = None,
    where: Callable[[str | None], bool] = lambda operation: True,
) -> Any:
    """A hook that ``change``s the error answers (of type ``code``, if given) of the
    operations ``where`` picks."""

    def hook(reply: Reply) -> Reply:
        if (
            reply.status >= 400
            and (code is None or reply.body.get("__type") == code)
            and where(reply.operation)
        ):
            change(reply)
        return reply

    return hook


def _set(
    name: str, value: Callable[[dict[str, Any]], Any]
) -> Callable[[dict[str, Any], Reply], None]:
    def change(body: dict[str, Any], reply: Reply) -> None:
        body[name] = value(body)

    return change


def _drop(*names: str) -> Callable[[dict[str, Any], Reply], None]:
    def change(body: dict[str, Any], reply: Reply) -> None:
        for name in names:
            body.pop(name, None)

    return change


class Validating(ServiceWrapper):
    """A wrapper that checks input the reference's way before its own (buggy) logic."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.lock = threading.Lock()

    @staticmethod
    def checked(operation: str, params: dict[str, Any]) -> dict[str, Any]:
        clean, problems = check_operation_input(operation, params)
        if problems:
            raise E.field_errors(problems)
        return clean

    @staticmethod
    def digest(value: Any) -> str:
        return hashlib.sha1(json.dumps(value, sort_keys=True).encode()).hexdigest()


# -- schema ------------------------------------------------------------------------------


def _iso_lower(body: dict[str, Any]) -> Any:
    return body["IsoCountryCode"].lower()


def _too_long(body: dict[str, Any]) -> Any:
    return str(body["OptOutListName"]) * 65


def _empty_protect_configurations(body: dict[str, Any]) -> Any:
    return body.get("ProtectConfigurations") or []


# -- idempotency -------------------------------------------------------------------------


class TokenIgnored(Validating):
    """Validates ClientToken, then never looks at it again: every retry is a new number."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        if operation == RPN and "ClientToken" in params:
            self.checked(operation, params)
            params = {**params, "ClientToken": str(uuid.uuid4())}
        return super().handle(operation, params, ctx)


class HiddenSecondNumber(ServiceWrapper):
    """Answers a retried token with the first number but quietly creates another."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.first: dict[str, dict[str, Any]] = {}

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        token = params.get("ClientToken")
        if operation != RPN or not token:
            return super().handle(operation, params, ctx)
        created = super().handle(operation, {**params, "ClientToken": str(uuid.uuid4())}, ctx)
        return copy.deepcopy(self.first.setdefault(f"{ctx.account_id}/{token}", created))


class TokenKeyedByParameters(Validating):
    """Remembers (token, parameters): the same token with other parameters is a new
    request, so a reused token creates a second number."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        if operation == RPN and "ClientToken" in params:
            self.checked(operation, params)
            params = {**params, "ClientToken": self.digest(params)}
        return super().handle(operation, params, ctx)


class CachedByParameters(Validating):
    """Caches answers by the request's parameters (without the token): two requests
    with different tokens and the same settings get the same number."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.cache: dict[str, dict[str, Any]] = {}

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        if operation != RPN:
            return super().handle(operation, params, ctx)
        clean = self.checked(operation, params)
        clean.pop("ClientToken", None)
        key = f"{ctx.account_id}/{self.digest(clean)}"
        with self.lock:
            if key not in self.cache:
                self.cache[key] = super().handle(operation, clean, ctx)
            return copy.deepcopy(self.cache[key])


class RacyTokenCheck(Validating):
    """Looks the token up, then creates the number and stores the token, with no lock
    held in between (a read-then-write on the mock's database)."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.seen: dict[str, dict[str, Any]] = {}

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        token = params.get("ClientToken")
        if operation != RPN or not token:
            return super().handle(operation, params, ctx)
        self.checked(operation, params)
        key = f"{ctx.account_id}/{token}"
        if key in self.seen:
            return copy.deepcopy(self.seen[key])
        time.sleep(0.02)  # the round-trip to the mock's store
        created = super().handle(operation, {**params, "ClientToken": str(uuid.uuid4())}, ctx)
        self.seen[key] = created
        return copy.deepcopy(created)


# -- formats -----------------------------------------------------------------------------


class UuidIds(ServiceWrapper):
    """Consistently uses a bare UUID as the phone number id (``str(uuid4())``, no
    ``phone-`` prefix), in answers and in the ids it accepts back."""

    _REAL = re.compile(r"phone-([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})")
    _FAKE = re.compile(r"([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})")

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        inward = json.loads(self._FAKE.sub(r"phone-\1\2\3\4\5", json.dumps(params)))
        answer = super().handle(operation, inward, ctx)
        return json.loads(self._REAL.sub(r"\1-\2-\3-\4-\5", json.dumps(answer)))


def _arn_region(body: dict[str, Any]) -> Any:
    return body["PhoneNumberArn"].replace(":us-east-1:", ":eu-west-1:")


def _arn_service(body: dict[str, Any]) -> Any:
    return body["PhoneNumberArn"].replace(":sms-voice:", ":sms:")


def _arn_names_number(body: dict[str, Any]) -> Any:
    return body["PhoneNumberArn"].rsplit("/", 1)[0] + "/" + body["PhoneNumber"].lstrip("+")


def _us_number(body: dict[str, Any]) -> Any:
    digits = int(hashlib.sha1(body["PhoneNumberId"].encode()).hexdigest(), 16) % 10_000
    return f"+1206555{digits:04d}"


def _national(body: dict[str, Any]) -> Any:
    return body["PhoneNumber"].lstrip("+")


def _iso_timestamp(body: dict[str, Any]) -> Any:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(body["CreatedTimestamp"]))


def _millis(body: dict[str, Any]) -> Any:
    return int(body["CreatedTimestamp"] * 1000)


# -- errors ------------------------------------------------------------------------------


def _validation_crashes(reply: Reply) -> None:
    reply.status = 500
    reply.body = {"__type": "InternalServerException", "Message": "Internal server error"}


def _validation_500(reply: Reply) -> None:
    reply.status = 500


def _status(status: int) -> Callable[[Reply], None]:
    def change(reply: Reply) -> None:
        reply.status = status

    return change


def _type(code: str) -> Callable[[Reply], None]:
    def change(reply: Reply) -> None:
        reply.body["__type"] = code

    return change


def _no_type(reply: Reply) -> None:
    reply.body.pop("__type", None)


def _no_fields(reply: Reply) -> None:
    reply.body.pop("Fields", None)


def _fields_name_request(reply: Reply) -> None:
    reply.body["Fields"] = [{"Name": "request", "Message": reply.body.get("Message", "")}]


def _fields_as_strings(reply: Reply) -> None:
    reply.body["Fields"] = [f["Name"] for f in reply.body.get("Fields", [])]


def _reason(value: str) -> Callable[[Reply], None]:
    def change(reply: Reply) -> None:
        reply.body["Reason"] = value

    return change


def _generic_body_type(reply: Reply) -> None:
    """The right type in X-Amzn-Errortype, a generic one in the body (boto3 reads that)."""
    reply.headers["X-Amzn-Errortype"] = reply.body["__type"]
    reply.body["__type"] = "ClientError"


def _no_simulator(reply: Reply) -> Reply:
    """Only real number types implemented: SIMULATOR is refused as invalid."""
    params = reply.params if isinstance(reply.params, dict) else {}
    if reply.operation == RPN and params.get("NumberType") == "SIMULATOR":
        reply.status = 400
        reply.body = {
            "__type": "ValidationException",
            "Message": "NumberType SIMULATOR is not supported",
            "Reason": "INVALID_PARAMETER",
            "Fields": [{"Name": "NumberType", "Message": "not supported"}],
        }
    return reply


def _errors_succeed(reply: Reply) -> Reply:
    if reply.operation == RPN and reply.status == 400:
        reply.status = 200
    return reply


def _text_errors(app: App) -> App:
    def serve(request: RawRequest) -> RawResponse:
        response = app(request)
        if response.status >= 400:
            response.body = f"{response.status} Bad Request".encode()
        return response

    return serve


# -- protocol ----------------------------------------------------------------------------


def _headers(change: Callable[[RawResponse], None]) -> Callable[[App], App]:
    def wrap(app: App) -> App:
        def serve(request: RawRequest) -> RawResponse:
            response = app(request)
            change(response)
            return response

        return serve

    return wrap


def _content_type(value: str, errors_only: bool = False) -> Callable[[RawResponse], None]:
    def change(response: RawResponse) -> None:
        if not errors_only or response.status >= 400:
            response.headers["Content-Type"] = value

    return change


def _no_request_id_on_errors(response: RawResponse) -> None:
    if response.status >= 400:
        response.headers.pop("x-amzn-RequestId", None)


def _malformed_crashes(app: App) -> App:
    def serve(request: RawRequest) -> RawResponse:
        try:
            if request.body.strip():
                json.loads(request.body)
        except ValueError:
            return RawResponse(500, {"Content-Type": "text/plain"}, b"Internal Server Error")
        return app(request)

    return serve


def _catch_all_route(reply: Reply) -> Reply:
    if reply.body.get("__type") == "UnknownOperationException":
        reply.status, reply.body = 200, {}
    return reply


def _unknown_target_crashes(reply: Reply) -> Reply:
    if reply.body.get("__type") == "UnknownOperationException":
        reply.status, reply.body = 500, {"__type": "InternalServerException", "Message": "boom"}
    return reply


# -- lifecycle ---------------------------------------------------------------------------


def _describe_by_number(reply: Reply) -> Reply:
    """Describe filters the ids against PhoneNumber instead of PhoneNumberId."""
    if reply.operation == "DescribePhoneNumbers" and reply.status == 200:
        wanted = set((reply.params or {}).get("PhoneNumberIds") or [])
        if wanted:
            reply.body["PhoneNumbers"] = [
                n for n in reply.body.get("PhoneNumbers", []) if n.get("PhoneNumber") in wanted
            ]
    return reply


def _describe_default_protection(reply: Reply) -> Reply:
    if reply.operation == "DescribePhoneNumbers" and reply.status == 200:
        for number in reply.body.get("PhoneNumbers", []):
            number["DeletionProtectionEnabled"] = False
    return reply


def _tags_lost(reply: Reply) -> Reply:
    if reply.operation == "ListTagsForResource" and reply.status == 200:
        reply.body["Tags"] = []
    return reply


def _release_always_succeeds(reply: Reply) -> Reply:
    if reply.operation == "ReleasePhoneNumber" and reply.status != 200:
        number_id = (reply.params or {}).get("PhoneNumberId")
        reply.status, reply.body = 200, {"PhoneNumberId": number_id, "Status": "DELETED"}
    return reply


def _describe(inner: Any, number_id: str, ctx: RequestContext) -> dict[str, Any]:
    found = inner.handle("DescribePhoneNumbers", {"PhoneNumberIds": [number_id]}, ctx)
    number: dict[str, Any] = found["PhoneNumbers"][0]
    return number


class ProtectionIgnoredOnRelease(ServiceWrapper):
    """Stores DeletionProtectionEnabled but releases protected numbers anyway."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        if operation == "ReleasePhoneNumber" and isinstance(params.get("PhoneNumberId"), str):
            self.inner.handle(
                "UpdatePhoneNumber",
                {"PhoneNumberId": params["PhoneNumberId"], "DeletionProtectionEnabled": False},
                ctx,
            )
        return super().handle(operation, params, ctx)


class ReleaseNeverApplied(ServiceWrapper):
    """Answers ReleasePhoneNumber (Status DELETED, protection honoured) but never
    removes the number: it stays ACTIVE and can be released again."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        if operation != "ReleasePhoneNumber" or not isinstance(params.get("PhoneNumberId"), str):
            return super().handle(operation, params, ctx)
        number = _describe(self.inner, params["PhoneNumberId"], ctx)
        if number.get("DeletionProtectionEnabled"):
            raise E.conflict(
                E.DELETION_PROTECTION_ENABLED, E.PHONE_NUMBER, number["PhoneNumberId"], "protected"
            )
        return {**number, "Status": "DELETED"}


class UpdateNotStored(ServiceWrapper):
    """UpdatePhoneNumber answers the number with the changes applied but never stores
    them."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        if operation != "UpdatePhoneNumber" or not isinstance(params.get("PhoneNumberId"), str):
            return super().handle(operation, params, ctx)
        number = _describe(self.inner, params["PhoneNumberId"], ctx)
        return {**number, **{k: v for k, v in params.items() if k != "PhoneNumberId"}}


class MissingResourcesIgnored(ServiceWrapper):
    """Treats a pool, opt-out list or registration it cannot find as not given."""

    def __init__(self, inner: Any, members: tuple[str, ...]) -> None:
        super().__init__(inner)
        self.members = members

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        while True:
            try:
                return super().handle(operation, params, ctx)
            except ServiceError as error:
                missing = error.members.get("ResourceType")
                member = {"pool": "PoolId", "opt-out-list": "OptOutListName"}.get(str(missing))
                if operation != RPN or error.code != "ResourceNotFoundException":
                    raise
                if member not in self.members or member not in params:
                    raise
                params = {k: v for k, v in params.items() if k != member}


def _not_found_type(reply: Reply) -> Reply:
    if reply.body.get("ResourceType") == "pool":
        reply.body["ResourceType"] = "phone-number"
    return reply


def _not_found_no_id(reply: Reply) -> Reply:
    if reply.body.get("__type") == "ResourceNotFoundException":
        reply.body.pop("ResourceId", None)
    return reply


class ReleasedStatus(ServiceWrapper):
    """After a release, DescribePhoneNumbers by id answers the number in ``statuses``,
    one look after another (the last one for ever); other operations find it gone."""

    def __init__(self, inner: Any, *statuses: str) -> None:
        super().__init__(inner)
        self.statuses = statuses
        self.released: dict[str, tuple[dict[str, Any], list[int]]] = {}
        self.lock = threading.Lock()

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        ids = params.get("PhoneNumberIds") if operation == "DescribePhoneNumbers" else None
        if isinstance(ids, list) and ids and all(i in self.released for i in ids):
            with self.lock:
                numbers = []
                for number_id in ids:
                    number, looks = self.released[number_id]
                    status = self.statuses[min(looks[0], len(self.statuses) - 1)]
                    looks[0] += 1
                    numbers.append({**number, "Status": status})
            return {"PhoneNumbers": numbers}
        if operation == "ReleasePhoneNumber" and isinstance(params.get("PhoneNumberId"), str):
            number = _describe(self.inner, params["PhoneNumberId"], ctx)
            answer = super().handle(operation, params, ctx)
            with self.lock:
                self.released[answer["PhoneNumberId"]] = (number, [0])
            return {**answer, "Status": self.statuses[0]}
        return super().handle(operation, params, ctx)


class AnyNumberAvailable(ServiceWrapper):
    """Hands out every number it is asked for, also those that do not exist (the way
    an emulator without availability rules does): it asks the reference for a US
    TRANSACTIONAL number of the same kind and answers with the requested settings."""

    def __init__(self, inner: Any, applies: Callable[[dict[str, Any]], bool]) -> None:
        super().__init__(inner)
        self.applies = applies

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        if operation != RPN or not isinstance(params, dict) or not self.applies(params):
            return super().handle(operation, params, ctx)
        asked = {**params, "IsoCountryCode": "US", "MessageType": "TRANSACTIONAL"}
        answer = super().handle(operation, asked, ctx)
        return {
            **answer,
            "IsoCountryCode": params.get("IsoCountryCode"),
            "MessageType": params.get("MessageType"),
        }


def _promotional_simulator(params: dict[str, Any]) -> bool:
    return params.get("NumberType") == "SIMULATOR" and params.get("MessageType") == "PROMOTIONAL"


def _simulator_abroad(params: dict[str, Any]) -> bool:
    return params.get("NumberType") == "SIMULATOR" and params.get("IsoCountryCode") != "US"


# -- operations (the model-level tier) -----------------------------------------------------

# What the deep tier sends: RequestPhoneNumber's family, and ListTagsForResource of its
# lifecycle check. The operations variants leave alone, so that only the OPS-* checks
# of the operations beyond it see their bugs.
DEEP_TIER = frozenset(
    {RPN, "DescribePhoneNumbers", "ReleasePhoneNumber", "UpdatePhoneNumber", "ListTagsForResource"}
)


def beyond_deep_tier(*verbs: str) -> Callable[[str | None], bool]:
    """Picks the operations whose verb is one of ``verbs`` (no verbs: any), but not the
    deep tier's."""

    def picks(operation: str | None) -> bool:
        if not operation or operation in DEEP_TIER:
            return False
        return not verbs or operation.startswith(verbs)

    return picks


def _target(request: RawRequest) -> str:
    """The operation a raw request names (``X-Amz-Target: <prefix>.<Operation>``)."""
    return request.headers.get("x-amz-target", "").rpartition(".")[2]


def _answers_of(
    picks: Callable[[str | None], bool], change: Callable[[RawResponse], None]
) -> Callable[[App], App]:
    """``change`` the raw answers to the operations ``picks`` picks."""

    def wrap(app: App) -> App:
        def serve(request: RawRequest) -> RawResponse:
            response = app(request)
            if picks(_target(request)):
                change(response)
            return response

        return serve

    return wrap


def _names_lowercased(results: str) -> Callable[[dict[str, Any], Reply], None]:
    def lowercase_names(body: dict[str, Any], reply: Reply) -> None:
        for item in body.get(results, []):
            item["Name"] = item["Name"].lower()

    return lowercase_names


def _next_token_crashes(reply: Reply) -> None:
    """The pager decodes a NextToken it did not issue and crashes: the framework's bare
    500 page, with no error type."""
    if reply.body.get("Reason") == E.INVALID_NEXT_TOKEN:
        reply.status, reply.body = 500, {"message": "Internal Server Error"}


def _not_found_named_after_kind(reply: Reply) -> None:
    """ResourceNotFoundException named after the kind: ConfigurationSetNotFoundException."""
    kind = str(reply.body.get("ResourceType") or "resource")
    reply.body["__type"] = "".join(w.capitalize() for w in kind.split("-")) + "NotFoundException"


def _reads_parse_json_themselves(app: App) -> App:
    """The Describe*/List* handlers parse the body themselves, and a body that is not
    JSON escapes as a crash: HTTP 500."""
    picks = beyond_deep_tier("Describe", "List")

    def serve(request: RawRequest) -> RawResponse:
        if picks(_target(request)):
            try:
                json.loads(request.body or b"{}")
            except ValueError:
                return RawResponse(500, {"Content-Type": "text/plain"}, b"Internal Server Error")
        return app(request)

    return serve


def _no_request_id(response: RawResponse) -> None:
    response.headers.pop("x-amzn-RequestId", None)


# -- legal variations --------------------------------------------------------------------


def _namespaced(reply: Reply) -> Reply:
    if reply.status >= 400:
        reply.body["__type"] = f"com.amazonaws.pinpointsmsvoicev2#{reply.body['__type']}"
    return reply


_CORAL = ":http://internal.amazon.com/coral/com.amazonaws.pinpointsmsvoicev2/"


def _suffixed(reply: Reply) -> Reply:
    if reply.status >= 400:
        reply.body["__type"] += _CORAL
    return reply


def _header_type(suffix: str, keep_body: bool) -> Callable[[Reply], Reply]:
    def hook(reply: Reply) -> Reply:
        if reply.status >= 400:
            code = reply.body["__type"]
            reply.headers["X-Amzn-Errortype"] = code + suffix
            if keep_body:
                reply.body["__type"] = f"com.amazonaws.pinpointsmsvoicev2#{code}"
            else:
                del reply.body["__type"]
        return reply

    return hook


def _lowercase_message(reply: Reply) -> Reply:
    if reply.status >= 400 and "Message" in reply.body:
        reply.body["message"] = reply.body.pop("Message")
    return reply


def _reformat_json(app: App) -> App:
    """Pretty-printed JSON, keys in reverse order, whitespace around every token."""

    def reorder(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: reorder(value[k]) for k in reversed(list(value))}
        if isinstance(value, list):
            return [reorder(v) for v in value]
        return value

    def serve(request: RawRequest) -> RawResponse:
        response = app(request)
        value = json.loads(response.body)
        text = json.dumps(reorder(value), indent=3, separators=(" , ", " : "))
        response.body = f"\n  {text}\n\n".encode()
        return response

    return serve


def _jitter(app: App) -> App:
    """Up to 30 ms more on one request in ten (seeded), so concurrent answers reorder."""
    rng = random.Random(6)
    lock = threading.Lock()

    def serve(request: RawRequest) -> RawResponse:
        with lock:
            delay = rng.random() * 0.03 if rng.random() < 0.1 else 0.0
        time.sleep(delay)
        return app(request)

    return serve


def _extra_members(reply: Reply) -> Reply:
    if reply.status == 200:
        reply.body["SmsFeatureFlags"] = {"Beta": True, "Region": "us-east-1"}
        if reply.operation == "DescribePhoneNumbers":
            for number in reply.body.get("PhoneNumbers", []):
                number["CarrierName"] = "Example Carrier"
    else:
        reply.body["RequestId"] = reply.context.request_id
        reply.body["Details"] = {"retryable": False}
    return reply


def _pending(reply: Reply) -> Reply:
    if reply.operation == RPN and reply.status == 200:
        reply.body["Status"] = "PENDING"
    return reply


class ReleasedStayListed(ServiceWrapper):
    """After a release, DescribePhoneNumbers still lists the number, Status DELETED
    (one of the two answers AWS gives); other operations find it gone."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.released: dict[str, dict[str, Any]] = {}

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        ids = params.get("PhoneNumberIds") if operation == "DescribePhoneNumbers" else None
        if ids and isinstance(ids, list) and all(isinstance(i, str) for i in ids):
            gone = [self.released[i] for i in ids if i in self.released]
            live = [i for i in ids if i not in self.released]
            found = (
                super().handle(operation, {**params, "PhoneNumberIds": live}, ctx) if live else {}
            )
            return {**found, "PhoneNumbers": [*found.get("PhoneNumbers", []), *gone]}
        answer = super().handle(operation, params, ctx)
        if operation == "ReleasePhoneNumber":
            self.released[answer["PhoneNumberId"]] = {**copy.deepcopy(answer), "Status": "DELETED"}
        return answer


class ReusedTokenAnswersFirstNumber(ServiceWrapper):
    """A reused ClientToken with other parameters answers the first number (not a
    ConflictException): undocumented on AWS, and allowed by IDEMP-MISMATCH."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.first: dict[str, dict[str, Any]] = {}

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        token = params.get("ClientToken")
        key = f"{ctx.account_id}/{token}"
        try:
            answer = super().handle(operation, params, ctx)
        except ServiceError as error:
            if operation == RPN and error.code == "ConflictException" and key in self.first:
                return copy.deepcopy(self.first[key])
            raise
        if operation == RPN and token:
            self.first.setdefault(key, copy.deepcopy(answer))
        return answer


def _camel_fields(reply: Reply) -> Reply:
    """Fields named the way Java services do: ``isoCountryCode``, ``tags[0].key``."""
    if reply.body.get("__type") == "ValidationException":
        for entry in reply.body.get("Fields", []):
            entry["Name"] = re.sub(
                r"(^|\.)([A-Z])", lambda m: m.group(1) + m.group(2).lower(), entry["Name"]
            )
    return reply


def _internal_fields(reply: Reply) -> Reply:
    """Fields named as the service's internals name them (a real ValidationException
    named ``senderId`` for OriginationIdentity), not after the API's members."""
    if reply.body.get("__type") == "ValidationException":
        for i, entry in enumerate(reply.body.get("Fields", [])):
            entry["Name"] = f"internalField{i}"
    return reply


class TooManyTagsInvalid(ServiceWrapper):
    """More tags than the service allows (50; the model allows 200) are refused with
    ValidationException, before the reference's own answer to them."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        tags = params.get("Tags") if isinstance(params, dict) else None
        if operation == RPN and isinstance(tags, list) and 50 < len(tags) <= 200:
            raise E.invalid(E.FIELD_VALIDATION_FAILED, "Tags", "at most 50 tags per resource")
        return super().handle(operation, params, ctx)


# -- the catalog -------------------------------------------------------------------------


# -- reads across calls ------------------------------------------------------------------

DESCRIBE = "DescribePhoneNumbers"
BY_ID_OR_ARN = {DESCRIBE: "PhoneNumberIds", "UpdatePhoneNumber": "PhoneNumberId"}


class ArnRefused(ServiceWrapper):
    """Finds a number by its id only: a PhoneNumberArn where the model takes either is
    "not found" (a mock that keys its store by id)."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        member = BY_ID_OR_ARN.get(operation) or (
            "PhoneNumberId" if operation == "ReleasePhoneNumber" else None
        )
        given = params.get(member) if member else None
        for value in given if isinstance(given, list) else [given]:
            if isinstance(value, str) and value.startswith("arn:"):
                raise E.not_found(E.PHONE_NUMBER, value)
        return super().handle(operation, params, ctx)


class UpdateNotKept(ServiceWrapper):
    """UpdatePhoneNumber answers the number as updated but keeps nothing of it."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        if operation != "UpdatePhoneNumber":
            return super().handle(operation, params, ctx)
        found = super().handle(DESCRIBE, {"PhoneNumberIds": [params["PhoneNumberId"]]}, ctx)
        number = dict(found["PhoneNumbers"][0])
        number.update({k: v for k, v in params.items() if k in number and k != "PhoneNumberId"})
        return number


class Dropping(ServiceWrapper):
    """DescribePhoneNumbers without the members it ignores (``DROPPED``)."""

    DROPPED: tuple[str, ...] = ()

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        if operation == DESCRIBE:
            params = {k: v for k, v in params.items() if k not in self.DROPPED}
        return super().handle(operation, params, ctx)


class FiltersIgnored(Dropping):
    """Every number, whatever the Filters."""

    DROPPED = ("Filters",)


class MaxResultsIgnored(Dropping):
    """Every number on one page, whatever MaxResults."""

    DROPPED = ("MaxResults",)


class TokenRestarts(Dropping):
    """A NextToken leads back to the first page, so a paginator never ends."""

    DROPPED = ("NextToken",)


class OneAccount(ServiceWrapper):
    """Every access key is the same account: all callers share one store."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        shared = RequestContext("123456789012", ctx.region, ctx.request_id)
        return super().handle(operation, params, shared)


class ListingReversed(ServiceWrapper):
    """DescribePhoneNumbers lists its page in the other order (no order is documented)."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        answer = super().handle(operation, params, ctx)
        if operation == DESCRIBE and isinstance(answer.get("PhoneNumbers"), list):
            answer = {**answer, "PhoneNumbers": answer["PhoneNumbers"][::-1]}
        return answer


class BooleanFilterRefused(ServiceWrapper):
    """A boolean filter's value must be TRUE or FALSE (the form is not documented):
    true/false are refused with ValidationException."""

    def handle(self, operation: str, params: dict[str, Any], ctx: RequestContext) -> Any:
        filters = params.get("Filters") if operation == DESCRIBE else None
        for f in filters if isinstance(filters, list) else []:
            name, values = (f.get("Name"), f.get("Values")) if isinstance(f, dict) else ("", [])
            if (
                isinstance(name, str)
                and name.endswith("-enabled")
                and isinstance(values, list)
                and {"true", "false"} & {v for v in values if isinstance(v, str)}
            ):
                raise ServiceError(
                    "ValidationException",
                    "Filter values of booleans are TRUE or FALSE",
                    Reason="INVALID_FILTER_VALUES",
                )
        return super().handle(operation, params, ctx)


def _v(
    name: str,
    family: str,
    caught_by: str,
    description: str,
    build: Any,
    *,
    operations: str | None = None,
) -> Variant:
    return Variant(
        name, family, description, build, tuple(caught_by.split()), operations=operations
    )


BROKEN: list[Variant] = [
    # schema
    _v(
        "schema-missing-status",
        "schema",
        "RPN-MEMBERS",
        "RequestPhoneNumber answers without Status",
        hooked(on_success(RPN, _drop("Status"))),
    ),
    _v(
        "schema-missing-created-timestamp",
        "schema",
        "RPN-MEMBERS",
        "RequestPhoneNumber answers without CreatedTimestamp",
        hooked(on_success(RPN, _drop("CreatedTimestamp"))),
    ),
    _v(
        "schema-missing-price-and-two-way",
        "schema",
        "RPN-MEMBERS",
        "MonthlyLeasingPrice, TwoWayEnabled and SelfManagedOptOutsEnabled left out",
        hooked(
            on_success(
                RPN, _drop("MonthlyLeasingPrice", "TwoWayEnabled", "SelfManagedOptOutsEnabled")
            )
        ),
    ),
    _v(
        "schema-boolean-as-string",
        "schema",
        "RPN-SCHEMA",
        "TwoWayEnabled serialised as the string 'false'",
        hooked(on_success(RPN, _set("TwoWayEnabled", lambda b: str(b["TwoWayEnabled"]).lower()))),
    ),
    _v(
        "schema-capabilities-as-string",
        "schema",
        "RPN-SCHEMA",
        "NumberCapabilities joined into one comma-separated string",
        hooked(
            on_success(RPN, _set("NumberCapabilities", lambda b: ",".join(b["NumberCapabilities"])))
        ),
    ),
    _v(
        "schema-price-as-number",
        "schema",
        "RPN-SCHEMA",
        "MonthlyLeasingPrice as a JSON number instead of a decimal string",
        hooked(
            on_success(RPN, _set("MonthlyLeasingPrice", lambda b: float(b["MonthlyLeasingPrice"])))
        ),
    ),
    _v(
        "schema-tags-as-map",
        "schema",
        "RPN-SCHEMA",
        "Tags answered as a {key: value} map instead of a list of Key/Value",
        hooked(
            on_success(
                RPN, _set("Tags", lambda b: {t["Key"]: t["Value"] for t in b.get("Tags", [])})
            )
        ),
    ),
    _v(
        "schema-country-lowercase",
        "schema",
        "RPN-OUTPUT-CONSTRAINTS",
        "IsoCountryCode answered in lower case (breaks its [A-Z]{2} pattern)",
        hooked(on_success(RPN, _set("IsoCountryCode", _iso_lower))),
    ),
    # enums
    _v(
        "enum-status-lowercase",
        "enum",
        "RPN-ENUM",
        "Status in lower case ('active')",
        hooked(on_success(RPN, _set("Status", lambda b: b["Status"].lower()))),
    ),
    _v(
        "enum-status-provisioning",
        "enum",
        "RPN-ENUM",
        "Status PROVISIONING, a value the model does not have",
        hooked(on_success(RPN, _set("Status", lambda b: "PROVISIONING"))),
    ),
    _v(
        "enum-capability-text",
        "enum",
        "RPN-ENUM",
        "SMS capability answered as TEXT",
        hooked(
            on_success(
                RPN,
                _set(
                    "NumberCapabilities",
                    lambda b: ["TEXT" if c == "SMS" else c for c in b["NumberCapabilities"]],
                ),
            )
        ),
    ),
    # echo
    _v(
        "echo-wrong-message-type",
        "echo",
        "RPN-ECHO",
        "MessageType always answered PROMOTIONAL",
        hooked(on_success(RPN, _set("MessageType", lambda b: "PROMOTIONAL"))),
    ),
    _v(
        "echo-capabilities-first-only",
        "echo",
        "RPN-ECHO",
        "only the first requested capability comes back",
        hooked(on_success(RPN, _set("NumberCapabilities", lambda b: b["NumberCapabilities"][:1]))),
    ),
    _v(
        "echo-opt-out-list-as-arn",
        "echo",
        "RPN-ECHO",
        "OptOutListName answered as the list's ARN",
        hooked(
            on_success(
                RPN,
                _set(
                    "OptOutListName",
                    lambda b: (
                        "arn:aws:sms-voice:us-east-1:123456789012:opt-out-list/"
                        + b["OptOutListName"]
                    ),
                ),
            )
        ),
    ),
    _v(
        "echo-deletion-protection-ignored",
        "echo",
        "RPN-ECHO",
        "DeletionProtectionEnabled in the request is dropped before it is stored",
        hooked(on_success(RPN, _set("DeletionProtectionEnabled", lambda b: False))),
    ),
    _v(
        "echo-two-way-on",
        "echo",
        "RPN-ECHO",
        "a fresh number answers TwoWayEnabled true (documented false by default)",
        hooked(on_success(RPN, _set("TwoWayEnabled", lambda b: True))),
    ),
    _v(
        "echo-status-deleted",
        "echo",
        "RPN-ECHO",
        "a fresh number answers Status DELETED (copied from the release handler)",
        hooked(on_success(RPN, _set("Status", lambda b: "DELETED"))),
    ),
    # formats
    _v(
        "formats-id-uuid",
        "formats",
        "RPN-FORMATS",
        "phone number ids are bare UUIDs (used consistently in and out)",
        wrapped(UuidIds),
    ),
    _v(
        "formats-arn-wrong-region",
        "formats",
        "RPN-FORMATS",
        "ARNs name a hard-coded region, not the signing region",
        hooked(on_success(RPN, _set("PhoneNumberArn", _arn_region))),
    ),
    _v(
        "formats-arn-wrong-service",
        "formats",
        "RPN-FORMATS",
        "ARNs use the service 'sms' instead of 'sms-voice'",
        hooked(on_success(RPN, _set("PhoneNumberArn", _arn_service))),
    ),
    _v(
        "formats-arn-names-the-number",
        "formats",
        "RPN-FORMATS",
        "the ARN ends in the phone number, not the PhoneNumberId",
        hooked(on_success(RPN, _set("PhoneNumberArn", _arn_names_number))),
    ),
    _v(
        "formats-number-always-us",
        "formats",
        "RPN-FORMATS",
        "every country gets a +1 number from one US pool (E.164, wrong country)",
        hooked(on_success(RPN, _set("PhoneNumber", _us_number))),
    ),
    _v(
        "formats-number-no-plus",
        "formats",
        "RPN-FORMATS",
        "PhoneNumber without the E.164 '+'",
        hooked(on_success(RPN, _set("PhoneNumber", _national))),
    ),
    _v(
        "formats-timestamp-iso-string",
        "formats",
        "RPN-SCHEMA",
        "CreatedTimestamp as an ISO 8601 string, not epoch seconds",
        hooked(on_success(RPN, _set("CreatedTimestamp", _iso_timestamp))),
    ),
    _v(
        "formats-timestamp-millis",
        "formats",
        "RPN-FORMATS",
        "CreatedTimestamp in epoch milliseconds",
        hooked(on_success(RPN, _set("CreatedTimestamp", _millis))),
    ),
    _v(
        "formats-price-with-currency",
        "formats",
        "RPN-FORMATS",
        "MonthlyLeasingPrice '$1.00'",
        hooked(
            on_success(RPN, _set("MonthlyLeasingPrice", lambda b: "$" + b["MonthlyLeasingPrice"]))
        ),
    ),
    # idempotency
    _v(
        "idemp-token-ignored",
        "idempotency",
        "IDEMP-SAME IDEMP-CONCURRENT",
        "ClientToken validated but ignored: a retry creates a new number",
        wrapped(TokenIgnored),
    ),
    _v(
        "idemp-hidden-second-number",
        "idempotency",
        "IDEMP-SAME",
        "a retry answers the first number but creates another one",
        wrapped(HiddenSecondNumber),
    ),
    _v(
        "idemp-mismatch-accepted",
        "idempotency",
        "IDEMP-MISMATCH",
        "a reused token with other parameters creates a second number",
        wrapped(TokenKeyedByParameters),
    ),
    _v(
        "idemp-race-creates-two",
        "idempotency",
        "IDEMP-CONCURRENT",
        "token checked, then stored, without a lock: concurrent retries create several",
        wrapped(RacyTokenCheck),
    ),
    _v(
        "idemp-cached-by-parameters",
        "idempotency",
        "IDEMP-DISTINCT",
        "answers cached by parameters: distinct tokens, same settings, one number",
        wrapped(CachedByParameters),
    ),
    # error classification
    _v(
        "err-pattern-unchecked",
        "errors",
        "ERR-INVALID-REJECTED",
        "patterns are not checked",
        validating(lambda path, message: "pattern" in message),
    ),
    _v(
        "err-lengths-unchecked",
        "errors",
        "ERR-INVALID-REJECTED",
        "length and size limits are not checked",
        validating(
            lambda path, message: (
                "length" in message or "size" in message or "than or equal" in message
            )
        ),
    ),
    _v(
        "err-enums-unchecked",
        "errors",
        "ERR-INVALID-REJECTED",
        "enum members are not checked",
        validating(lambda path, message: "enum" in message),
    ),
    _v(
        "err-validation-crashes",
        "errors",
        "ERR-INVALID-REJECTED",
        "a validation failure escapes as a crash: 500 InternalServerException",
        hooked(on_error(_validation_crashes, "ValidationException")),
    ),
    _v(
        "err-validation-status-500",
        "errors",
        "ERR-STATUS-CLASS ERR-INVALID-REJECTED",
        "ValidationException sent with HTTP 500",
        hooked(on_error(_validation_500, "ValidationException")),
    ),
    _v(
        "err-unmodelled-code",
        "errors",
        "ERR-MODELLED-CODE ERR-INVALID-REJECTED",
        "validation errors named InvalidParameterValueException (the SNS name)",
        hooked(on_error(_type("InvalidParameterValueException"), "ValidationException")),
    ),
    _v(
        "err-not-found-404",
        "errors",
        "ERR-STATUS-400",
        "ResourceNotFoundException answered with HTTP 404",
        hooked(on_error(_status(404), "ResourceNotFoundException")),
    ),
    _v(
        "err-conflict-409",
        "errors",
        "ERR-STATUS-400",
        "ConflictException answered with HTTP 409",
        hooked(on_error(_status(409), "ConflictException")),
    ),
    _v(
        "err-client-errors-403",
        "errors",
        "ERR-STATUS-400",
        "every client error answered with HTTP 403",
        hooked(on_error(_status(403))),
    ),
    _v(
        "err-generic-body-type",
        "errors",
        "ERR-SDK-READABLE",
        "the type only right in X-Amzn-Errortype; the body's __type is ClientError",
        hooked(on_error(_generic_body_type)),
    ),
    _v(
        "rpn-simulator-unsupported",
        "schema",
        "RPN-SIMULATOR",
        "SIMULATOR numbers are refused with ValidationException",
        hooked(_no_simulator),
    ),
    _v(
        "err-errors-are-200",
        "errors",
        "ERR-INVALID-REJECTED",
        "RequestPhoneNumber errors answered with HTTP 200 (the error body kept)",
        hooked(_errors_succeed),
    ),
    _v(
        "err-no-type",
        "errors",
        "ERR-MODELLED-CODE",
        "error bodies without __type (and no X-Amzn-Errortype)",
        hooked(on_error(_no_type)),
    ),
    _v(
        "err-text-body",
        "errors",
        "ERR-BODY",
        "error bodies are plain text ('400 Bad Request')",
        raw(_text_errors),
    ),
    _v(
        "err-fields-missing",
        "errors",
        "ERR-FIELDS",
        "ValidationException without Fields",
        hooked(on_error(_no_fields, "ValidationException")),
    ),
    _v(
        "err-fields-unnamed",
        "errors",
        "ERR-FIELDS",
        "Fields always name 'request', not the offending member",
        hooked(on_error(_fields_name_request, "ValidationException")),
    ),
    _v(
        "err-fields-as-strings",
        "errors",
        "ERR-BODY",
        "Fields is a list of member names instead of {Name, Message} objects",
        hooked(on_error(_fields_as_strings, "ValidationException")),
    ),
    _v(
        "err-reason-unmodelled",
        "errors",
        "ERR-BODY",
        "ValidationException Reason INVALID_INPUT, not in the model's enum",
        hooked(on_error(_reason("INVALID_INPUT"), "ValidationException")),
    ),
    # protocol
    _v(
        "proto-content-type-json",
        "protocol",
        "PROTO-CONTENT-TYPE",
        "every answer says Content-Type application/json",
        raw(_headers(_content_type("application/json"))),
    ),
    _v(
        "proto-error-content-type-text",
        "protocol",
        "PROTO-CONTENT-TYPE",
        "errors say Content-Type text/plain",
        raw(_headers(_content_type("text/plain; charset=utf-8", errors_only=True))),
    ),
    _v(
        "proto-request-id-only-on-success",
        "protocol",
        "PROTO-REQUEST-ID",
        "errors carry no x-amzn-RequestId",
        raw(_headers(_no_request_id_on_errors)),
    ),
    _v(
        "proto-malformed-crashes",
        "protocol",
        "PROTO-MALFORMED",
        "a body that is not JSON crashes the handler: HTTP 500",
        raw(_malformed_crashes),
    ),
    _v(
        "proto-catch-all-route",
        "protocol",
        "PROTO-UNKNOWN-TARGET",
        "unknown targets answer 200 {} (a catch-all route)",
        hooked(_catch_all_route),
    ),
    _v(
        "proto-unknown-target-crashes",
        "protocol",
        "PROTO-UNKNOWN-TARGET",
        "unknown or missing targets answer 500",
        hooked(_unknown_target_crashes),
    ),
    # lifecycle
    _v(
        "life-describe-misses-number",
        "lifecycle",
        "LIFECYCLE",
        "DescribePhoneNumbers matches the ids against PhoneNumber: a new number is not listed",
        hooked(_describe_by_number),
    ),
    _v(
        "life-describe-stale-protection",
        "lifecycle",
        "LIFECYCLE",
        "DescribePhoneNumbers always says DeletionProtectionEnabled false",
        hooked(_describe_default_protection),
    ),
    _v(
        "life-protection-ignored",
        "lifecycle",
        "LIFECYCLE",
        "ReleasePhoneNumber releases a number with deletion protection",
        wrapped(ProtectionIgnoredOnRelease),
    ),
    _v(
        "life-release-twice",
        "lifecycle",
        "LIFECYCLE",
        "ReleasePhoneNumber of a released or unknown number succeeds",
        hooked(_release_always_succeeds),
    ),
    _v(
        "life-release-not-applied",
        "lifecycle",
        "LIFECYCLE",
        "ReleasePhoneNumber answers DELETED but the number stays ACTIVE",
        wrapped(ReleaseNeverApplied),
    ),
    _v(
        "life-update-ignored",
        "lifecycle",
        "LIFECYCLE",
        "UpdatePhoneNumber answers the change but never stores it",
        wrapped(UpdateNotStored),
    ),
    _v(
        "life-tags-lost",
        "lifecycle",
        "LIFECYCLE",
        "ListTagsForResource answers no tags",
        hooked(_tags_lost),
    ),
    _v(
        "life-never-disassociated",
        "lifecycle",
        "LIFECYCLE",
        "a released number is described DISASSOCIATING for ever",
        wrapped(lambda inner: ReleasedStatus(inner, "DISASSOCIATING")),
    ),
    _v(
        "life-released-comes-back",
        "lifecycle",
        "LIFECYCLE",
        "a released number is DISASSOCIATING, then ACTIVE again",
        wrapped(lambda inner: ReleasedStatus(inner, "DISASSOCIATING", "ACTIVE")),
    ),
    # availability
    _v(
        "avail-promotional-simulator",
        "availability",
        "RPN-SIMULATOR-PROMOTIONAL",
        "hands out SIMULATOR numbers for PROMOTIONAL traffic",
        wrapped(lambda inner: AnyNumberAvailable(inner, _promotional_simulator)),
    ),
    _v(
        "avail-simulator-abroad",
        "availability",
        "RPN-UNAVAILABLE",
        "hands out SIMULATOR numbers in any country",
        wrapped(lambda inner: AnyNumberAvailable(inner, _simulator_abroad)),
    ),
    _v(
        "res-missing-pool-ignored",
        "lifecycle",
        "RES-NOT-FOUND",
        "a PoolId that does not exist is ignored: the number is created",
        wrapped(lambda inner: MissingResourcesIgnored(inner, ("PoolId",))),
    ),
    _v(
        "res-missing-opt-out-list-defaults",
        "lifecycle",
        "RES-NOT-FOUND",
        "an opt-out list that does not exist falls back to Default",
        wrapped(lambda inner: MissingResourcesIgnored(inner, ("OptOutListName",))),
    ),
    _v(
        "res-wrong-resource-type",
        "lifecycle",
        "RES-NOT-FOUND",
        "a missing pool is reported as ResourceType phone-number",
        hooked(_not_found_type),
    ),
    _v(
        "res-no-resource-id",
        "lifecycle",
        "RES-NOT-FOUND",
        "ResourceNotFoundException without ResourceId",
        hooked(_not_found_no_id),
    ),
    # operations (the model-level tier; RequestPhoneNumber's family untouched)
    _v(
        "ops-describe-enum-lowercase",
        "operations",
        "OPS-OUTPUT",
        "DescribeAccountAttributes and DescribeSpendLimits answer Name in lower case",
        hooked(
            on_success("DescribeAccountAttributes", _names_lowercased("AccountAttributes")),
            on_success("DescribeSpendLimits", _names_lowercased("SpendLimits")),
        ),
        operations="^(DescribeAccountAttributes|DescribeAccountLimits|DescribeSpendLimits"
        "|DescribeConfigurationSets|ListNotifyCountries)$",
    ),
    _v(
        "ops-name-too-long",
        "operations",
        "OPS-OUTPUT-CONSTRAINTS",
        "CreateOptOutList answers the list's name repeated past its 64 characters",
        hooked(on_success("CreateOptOutList", _set("OptOutListName", _too_long))),
        operations="^(CreateOptOutList|DescribeOptOutLists)$",
    ),
    _v(
        "ops-next-token-crashes",
        "operations",
        "OPS-ERRORS",
        "a NextToken the list operation did not issue crashes it: HTTP 500, untyped body",
        hooked(on_error(_next_token_crashes, "ValidationException", beyond_deep_tier())),
        operations="^(DescribeAccountAttributes|DescribeSpendLimits|DescribeConfigurationSets"
        "|ListNotifyCountries|GetResourcePolicy)$",
    ),
    _v(
        "ops-not-found-named-after-kind",
        "operations",
        "OPS-ERRORS",
        "Describe* name ResourceNotFoundException after the kind "
        "(ConfigurationSetNotFoundException, PoolNotFoundException)",
        hooked(
            on_error(
                _not_found_named_after_kind,
                "ResourceNotFoundException",
                beyond_deep_tier("Describe"),
            )
        ),
        # DescribeKeywords and DescribeRegistrationVersions name a resource in a required
        # member: their valid inputs meet it not found, where the id lists of the others
        # are often empty, left out or refused with Owner.
        operations="^(DescribeConfigurationSets|DescribePools|DescribeKeywords"
        "|DescribeRegistrationVersions|DescribeAccountAttributes|ListPoolOriginationIdentities)$",
    ),
    _v(
        "ops-describe-unvalidated",
        "operations",
        "OPS-INVALID-REJECTED",
        "Describe* skip the input check: invalid input is accepted (or crashes them)",
        validating(lambda path, message: True, beyond_deep_tier("Describe")),
        operations="^(DescribeAccountLimits|DescribeConfigurationSets|DescribeKeywords"
        "|ListNotifyCountries|GetResourcePolicy)$",
    ),
    _v(
        "ops-malformed-crashes",
        "operations",
        "OPS-MALFORMED",
        "Describe*/List* parse the body themselves: one that is not JSON answers HTTP 500",
        raw(_reads_parse_json_themselves),
        operations="^(DescribeSpendLimits|DescribeRegistrations|ListRegistrationAssociations"
        "|GetResourcePolicy|GetProtectConfigurationCountryRuleSet)$",
    ),
    _v(
        "ops-content-type-json",
        "operations",
        "OPS-CONTENT-TYPE",
        "Describe*/List* answers say Content-Type application/json",
        raw(_answers_of(beyond_deep_tier("Describe", "List"), _content_type("application/json"))),
        operations="^(DescribeAccountAttributes|DescribeOptOutLists|ListAvailablePhoneNumbers"
        "|GetResourcePolicy)$",
    ),
    _v(
        "ops-no-request-id-on-reads",
        "operations",
        "OPS-REQUEST-ID",
        "Get*/List* answers carry no x-amzn-RequestId",
        raw(_answers_of(beyond_deep_tier("Get", "List"), _no_request_id)),
        operations="^(GetResourcePolicy|GetProtectConfigurationCountryRuleSet"
        "|ListNotifyCountries|DescribeSpendLimits|DescribeKeywords)$",
    ),
    # reads across calls
    _v(
        "reads-arn-refused",
        "reads",
        "READ-ID-OR-ARN",
        "a number named by its ARN is not found (the store is keyed by id)",
        wrapped(ArnRefused),
        operations="^DescribePhoneNumbers$",
    ),
    _v(
        "reads-update-not-kept",
        "reads",
        "READ-BACK",
        "UpdatePhoneNumber answers the new settings but a later Describe shows the old",
        wrapped(UpdateNotKept),
        operations="^UpdatePhoneNumber$",
    ),
    _v(
        "reads-filters-ignored",
        "reads",
        "READ-FILTERS",
        "DescribePhoneNumbers ignores Filters",
        wrapped(FiltersIgnored),
        operations="^DescribePhoneNumbers$",
    ),
    _v(
        "reads-max-results-ignored",
        "reads",
        "READ-PAGING",
        "DescribePhoneNumbers ignores MaxResults: every number on one page",
        wrapped(MaxResultsIgnored),
        operations="^DescribePhoneNumbers$",
    ),
    _v(
        "reads-token-restarts",
        "reads",
        "READ-PAGING",
        "a NextToken leads back to the first page: a paginator never ends",
        wrapped(TokenRestarts),
        operations="^DescribePhoneNumbers$",
    ),
    _v(
        "reads-one-account",
        "reads",
        "READ-ACCOUNTS",
        "every access key is one account: another account lists and releases the numbers",
        wrapped(OneAccount),
        operations="^DescribePhoneNumbers$",
    ),
]

_BOTO3_HEADER = (
    "ERR-SDK-READABLE (compat) documents exactly this: legal, but boto3 reads only __type"
)


def _legal(
    name: str,
    description: str,
    build: Any,
    tolerated: str = "",
    why: str = "",
    gate: str = "",
    *,
    select: str = "",
    profile: str = "seeded",
    operations: str | None = None,
) -> Variant:
    return Variant(
        name,
        "legal",
        description,
        build,
        (),
        tuple(tolerated.split()),
        why,
        gate or "strict",
        tuple(select.split()),
        profile,
        operations,
    )


LEGAL: list[Variant] = [
    _legal(
        "legal-namespaced-type",
        "__type is com.amazonaws.pinpointsmsvoicev2#<Code>",
        hooked(_namespaced),
    ),
    _legal(
        "legal-type-with-suffix",
        "__type carries the ':http://internal.amazon.com/...' suffix",
        hooked(_suffixed),
    ),
    _legal(
        "legal-header-type-only",
        "the error type only in X-Amzn-Errortype (no __type)",
        hooked(_header_type("", keep_body=False)),
        "ERR-SDK-READABLE",
        _BOTO3_HEADER,
        "should",
    ),
    _legal(
        "legal-header-type-suffix-only",
        "the error type only in X-Amzn-Errortype, with the ':http://...' suffix",
        hooked(_header_type(_CORAL, keep_body=False)),
        "ERR-SDK-READABLE",
        _BOTO3_HEADER,
        "should",
    ),
    _legal(
        "legal-header-and-namespaced-body",
        "X-Amzn-Errortype with suffix, and a namespaced __type in the body",
        hooked(_header_type(_CORAL, keep_body=True)),
    ),
    _legal(
        "legal-lowercase-message",
        "error bodies say 'message', not 'Message'",
        hooked(_lowercase_message),
    ),
    _legal(
        "legal-reordered-pretty-json",
        "keys in reverse order, indented, spaces everywhere",
        raw(_reformat_json),
    ),
    _legal(
        "legal-content-type-charset",
        "Content-Type application/x-amz-json-1.0; charset=utf-8",
        raw(_headers(_content_type("application/x-amz-json-1.0; charset=utf-8"))),
    ),
    _legal(
        "legal-transient-throttling",
        "one request in ten answered ThrottlingException",
        lambda: ReferenceServer(service=service(), throttle_rate=0.1, seed=6),
    ),
    _legal("legal-latency", "up to 30 ms added to one request in ten", raw(_jitter)),
    _legal(
        "legal-extra-members", "unknown members in success and error bodies", hooked(_extra_members)
    ),
    _legal(
        "legal-status-pending",
        "a new number answers Status PENDING (also for SIMULATOR)",
        hooked(_pending),
    ),
    _legal(
        "legal-released-listed-deleted",
        "a released number stays listed with Status DELETED (one of AWS's two answers)",
        wrapped(ReleasedStayListed),
    ),
    _legal(
        "legal-reused-token-first-number",
        "a reused token with other parameters answers the first number, no error",
        wrapped(ReusedTokenAnswersFirstNumber),
    ),
    _legal(
        "legal-camel-case-fields", "Fields named isoCountryCode, tags[0].key", hooked(_camel_fields)
    ),
    _legal(
        "legal-tags-not-echoed",
        "Tags stored but left out of the RequestPhoneNumber answer (not known either way)",
        hooked(on_success(RPN, _drop("Tags"))),
    ),
    _legal(
        "legal-fields-internal-names",
        "ValidationException Fields name internal fields (senderId-style), not API members",
        hooked(_internal_fields),
        "ERR-FIELDS",
        "ERR-FIELDS (strict) documents exactly this: a real error named senderId",
        "compat",
    ),
    _legal(
        "legal-disassociating-linger",
        "released numbers linger in DISASSOCIATING for two seconds, new numbers PENDING as long",
        lambda: ReferenceServer(service=service(settle=2.0, simulator_status="PENDING")),
        select="LIFECYCLE IDEMP-SAME IDEMP-DISTINCT RPN-ECHO",
        profile="seeded-few",
    ),
    _legal(
        "legal-simulator-pending",
        "SIMULATOR numbers start PENDING and become ACTIVE a moment later",
        lambda: ReferenceServer(service=service(simulator_status="PENDING")),
    ),
    _legal(
        "legal-tags-over-50-validation",
        "more than 50 tags refused with ValidationException (the service limit)",
        wrapped(TooManyTagsInvalid),
    ),
    _legal(
        "legal-create-delete-throttled",
        "create and delete operations throttled at 1 request per second per account",
        lambda: ReferenceServer(service=service(create_delete_rate=1.0, create_delete_burst=1)),
        select="IDEMP-CONCURRENT LIFECYCLE",
        profile="seeded-few",
    ),
    _legal(
        "legal-listing-reversed",
        "DescribePhoneNumbers lists a page in the other order (no order is documented)",
        wrapped(ListingReversed),
    ),
    _legal(
        "legal-boolean-filter-refused",
        "boolean filter values true/false refused with ValidationException (undocumented form)",
        wrapped(BooleanFilterRefused),
    ),
    _legal(
        "legal-empty-min-one-list",
        "DescribeProtectConfigurations answers an empty ProtectConfigurations list",
        hooked(
            on_success(
                "DescribeProtectConfigurations",
                _set("ProtectConfigurations", _empty_protect_configurations),
            )
        ),
        "OPS-OUTPUT-CONSTRAINTS",
        "the model gives this optional list a minimum of one item; whether the service "
        "answers [] or leaves it out is not known, and a server does not refuse to "
        "render an output constraint it breaks (smithy-lang/smithy#1039): strict only",
        "compat",
        operations="^(RequestPhoneNumber|DescribePhoneNumbers|ReleasePhoneNumber"
        "|UpdatePhoneNumber|DescribeProtectConfigurations)$",
    ),
]

CATALOG: list[Variant] = BROKEN + LEGAL
assert len({v.name for v in CATALOG}) == len(CATALOG), "variant names must be unique"
