"""Pure checks of recorded outcomes; each returns what is wrong (empty: nothing).

Kept apart from the tests so that the same reading of the model serves every
invariant, and so that each can be tested on hand-made exchanges.
"""

from __future__ import annotations

import functools
import re
import time
from decimal import Decimal, InvalidOperation
from typing import Any

import jsonschema
import phonenumbers
from botocore.model import ListShape, MapShape, Shape, StructureShape

import strategies
from conformance.endpoint.client import Outcome
from strategies import DEFAULT_SERVICE, enum_values, service_model

# Errors any AWS JSON endpoint may answer besides the operation's own (documented in
# the AWS common-errors reference and the awsJson1_0 protocol).
COMMON_ERRORS = frozenset(
    {
        "AccessDeniedException",
        "IncompleteSignature",
        "InvalidSignatureException",
        "MissingAuthenticationTokenException",
        "NotAuthorized",
        "RequestExpired",
        "SerializationException",
        "ServiceUnavailable",
        "ThrottlingException",
        "UnknownOperationException",
        "UnrecognizedClientException",
        "ValidationException",
        "InternalFailure",
    }
)
# Present in every fresh RequestPhoneNumber answer of the AWS user guide's sample;
# PoolId, RegistrationId, Tags and TwoWayChannel* are left out when unset.
DOCUMENTED_MEMBERS = (
    "PhoneNumberArn",
    "PhoneNumberId",
    "PhoneNumber",
    "Status",
    "IsoCountryCode",
    "MessageType",
    "NumberCapabilities",
    "NumberType",
    "MonthlyLeasingPrice",
    "TwoWayEnabled",
    "SelfManagedOptOutsEnabled",
    "OptOutListName",
    "DeletionProtectionEnabled",
    "CreatedTimestamp",
)
# Documented false on a new number; RequestPhoneNumber has no member to set them.
NOT_REQUESTABLE_FLAGS = ("TwoWayEnabled", "SelfManagedOptOutsEnabled")
PHONE_NUMBER_ID = re.compile(r"^phone-[0-9a-f]{32}$")
TIMESTAMP_TOLERANCE_S = 15 * 60


@functools.cache
def _validator(schema_key: tuple[str, str, bool]) -> jsonschema.Draft202012Validator:
    kind, name, constraints = schema_key
    if kind == "output":
        schema = strategies.output_schema(name, constraints=constraints)
    else:
        schema = strategies.error_schema(name)
    return jsonschema.Draft202012Validator(schema)


def schema_problems(kind: str, name: str, body: Any, constraints: bool = True) -> list[str]:
    """Where ``body`` breaks the JSON Schema of an output (``kind="output"``) or error;
    ``constraints=False``: an output's types, required members and enums only."""
    validator = _validator((kind, name, constraints))
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    return [f"{_json_path(e.absolute_path)}: {e.message[:200]}" for e in errors]


def constraint_problems(operation: str, body: Any) -> list[str]:
    """Where a success ``body`` breaks only the model's constraint traits (lengths,
    ranges, sizes, patterns): its problems under the whole output shape that its types
    alone do not have."""
    typed = set(schema_problems("output", operation, body, constraints=False))
    return [p for p in schema_problems("output", operation, body) if p not in typed]


def _json_path(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(body)"


def enum_problems(shape: Shape, body: Any, path: str = "") -> list[str]:
    """Enum-typed members whose value the installed model does not list."""
    found: list[str] = []
    if isinstance(shape, StructureShape) and isinstance(body, dict):
        for name, member in shape.members.items():
            if name in body:
                found += enum_problems(member, body[name], f"{path}.{name}" if path else name)
    elif isinstance(shape, ListShape) and isinstance(body, list):
        for i, item in enumerate(body):
            found += enum_problems(shape.member, item, f"{path}[{i}]")
    elif isinstance(shape, MapShape) and isinstance(body, dict):
        for key, item in body.items():
            found += enum_problems(shape.value, item, f"{path}.{key}")
    elif enum_values(shape) and isinstance(body, str) and body not in enum_values(shape):
        found.append(f"{path}={body!r} is not one of {enum_values(shape)}")
    return found


def operation_errors(operation: str, service: str = DEFAULT_SERVICE) -> frozenset[str]:
    model = service_model(service).operation_model(operation)
    return frozenset(shape.name for shape in model.error_shapes)


def error_shape(code: str, service: str = DEFAULT_SERVICE) -> StructureShape | None:
    model = service_model(service)
    if code in model.shape_names:
        shape = model.shape_for(code)
        if isinstance(shape, StructureShape) and shape.metadata.get("exception"):
            return shape
    return None


def echo_problems(params: dict[str, Any], body: dict[str, Any]) -> list[str]:
    """Requested members that did not come back as sent (the documented defaults apply)."""
    found = []
    for name in ("IsoCountryCode", "MessageType", "NumberType"):
        if body.get(name) != params[name]:
            found.append(f"{name}: sent {params[name]!r}, got {body.get(name)!r}")
    if set(body.get("NumberCapabilities") or []) != set(params["NumberCapabilities"]):
        found.append(
            f"NumberCapabilities: sent {sorted(set(params['NumberCapabilities']))}, "
            f"got {body.get('NumberCapabilities')!r}"
        )
    for name in ("DeletionProtectionEnabled", "InternationalSendingEnabled"):
        if name in body and body[name] != params.get(name, False):
            found.append(f"{name}: sent {params.get(name)!r} (default false), got {body[name]!r}")
    if "DeletionProtectionEnabled" not in body:
        found.append("DeletionProtectionEnabled: missing (documented as present, false by default)")
    for name in NOT_REQUESTABLE_FLAGS:  # the request cannot set them: the default applies
        if name in body and body[name] is not False:
            found.append(f"{name}: {body[name]!r} on a new number (documented false by default)")
    if body.get("Status") == "DELETED":
        found.append("Status: a number just created is answered DELETED")
    sent_list = _resource_name(params.get("OptOutListName") or "Default")
    if body.get("OptOutListName") != sent_list:
        found.append(f"OptOutListName: expected {sent_list!r}, got {body.get('OptOutListName')!r}")
    for name in ("PoolId", "RegistrationId"):
        if name in params and _resource_name(str(body.get(name))) != _resource_name(params[name]):
            found.append(f"{name}: sent {params[name]!r}, got {body.get(name)!r}")
    # Whether the answer echoes Tags is not known (no real answer with tags was seen):
    # judged only when it carries them.
    sent_tags = sorted((t["Key"], t["Value"]) for t in params.get("Tags") or [])
    got_tags = sorted(
        (t.get("Key"), t.get("Value")) for t in body.get("Tags") or [] if isinstance(t, dict)
    )
    if "Tags" in body and sent_tags != got_tags:
        found.append(f"Tags: sent {len(sent_tags)} tags, got {len(got_tags)} that differ")
    return found


def missing_members(operation: str, body: dict[str, Any]) -> list[str]:
    """Members the AWS user guide's sample of a fresh number shows that ``body`` lacks
    (only those the installed model still has)."""
    shape = strategies.output_shape(operation)
    modelled = shape.members if isinstance(shape, StructureShape) else {}
    return [name for name in DOCUMENTED_MEMBERS if name in modelled and name not in body]


def _resource_name(value: str) -> str:
    """A name or id from a name, an id or an ARN (both are accepted on input)."""
    return value.rsplit("/", 1)[-1] if value.startswith("arn:") else value


def format_problems(params: dict[str, Any], body: dict[str, Any], region: str) -> list[str]:
    """Identifier, number, time and price formats of a RequestPhoneNumber answer."""
    found = []
    number_id = body.get("PhoneNumberId")
    if not isinstance(number_id, str) or not PHONE_NUMBER_ID.match(number_id):
        found.append(f"PhoneNumberId {number_id!r} is not 'phone-' + 32 lowercase hex digits")
    arn = body.get("PhoneNumberArn")
    arn_re = rf"^arn:aws[a-z-]*:sms-voice:{re.escape(region)}:\d{{12}}:phone-number/(.+)$"
    match = re.match(arn_re, arn) if isinstance(arn, str) else None
    if match is None:
        found.append(
            f"PhoneNumberArn {arn!r} is not arn:aws:sms-voice:{region}:<account>:phone-number/<id>"
        )
    elif match.group(1) != number_id:
        found.append(f"PhoneNumberArn ends in {match.group(1)!r}, not the PhoneNumberId")
    found += _number_problems(body.get("PhoneNumber"), params["IsoCountryCode"])
    price = body.get("MonthlyLeasingPrice")
    if price is not None and not _is_decimal(price):
        found.append(f"MonthlyLeasingPrice {price!r} is not a decimal string")
    created = body.get("CreatedTimestamp")
    is_number = isinstance(created, (int, float)) and not isinstance(created, bool)
    if is_number and abs(float(created or 0) - time.time()) > TIMESTAMP_TOLERANCE_S:
        found.append(f"CreatedTimestamp {created} is not near the request time {time.time():.0f}")
    return found


def _number_problems(number: Any, country: str) -> list[str]:
    if not isinstance(number, str) or not re.fullmatch(r"\+[1-9]\d{1,14}", number):
        return [f"PhoneNumber {number!r} is not E.164 (+ and at most 15 digits)"]
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException as e:  # +999..., +2123: no such country code
        return [f"PhoneNumber {number} is not a number of any country ({e})"]
    expected = phonenumbers.country_code_for_region(country)
    if expected and parsed.country_code != expected:
        return [
            f"PhoneNumber {number} has country code +{parsed.country_code}, "
            f"{country} is +{expected}"
        ]
    return []


def _is_decimal(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d+(\.\d+)?", value):
        return False
    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return True


def field_names_match(fields: Any, path: str) -> bool:
    """Does some ``Fields[].Name`` name the member at ``path`` (or its top-level member)?"""
    if not isinstance(fields, list):
        return False
    wanted = _tokens(path)
    for entry in fields:
        name = entry.get("Name") if isinstance(entry, dict) else None
        if isinstance(name, str):
            got = _tokens(name)
            if got and wanted and (got[0] == wanted[0]):
                return True
    return False


def _tokens(path: str) -> list[str]:
    return [t for t in re.split(r"[^a-z0-9]+", path.lower()) if t and not t.isdigit()]


def media_type(outcome: Outcome) -> str | None:
    value = outcome.exchange.header("Content-Type")
    return value.split(";", 1)[0].strip().lower() if value is not None else None
