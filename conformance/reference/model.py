"""The installed botocore model of ``pinpoint-sms-voice-v2``, loaded once per process.

The reference copies no enum value, limit or pattern by hand. Domain rules still have to
name things (``DELETION_PROTECTION_ENABLED``, ``phone-number``); they do it through
:func:`enum_value`, which fails at import time if the model no longer has that value, so
a model upgrade breaks loudly instead of making the reference answer off-model values.
"""

from __future__ import annotations

import functools

import botocore
import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape, StructureShape

SERVICE_NAME = "pinpoint-sms-voice-v2"


@functools.cache
def service_model() -> ServiceModel:
    """The ServiceModel, through botocore's own loader (parsing it costs ~20 ms)."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


def target_prefix() -> str:
    """``PinpointSMSVoiceV2``: what ``X-Amz-Target`` carries before the dot."""
    prefix: str = service_model().metadata["targetPrefix"]
    return prefix


@functools.cache
def operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


def shape(name: str) -> Shape:
    return service_model().shape_for(name)


def enum(target: Shape) -> list[str]:
    """The enum values of a string shape ([] when it has none)."""
    return list(target.metadata.get("enum", ()))


def enum_value(shape_name: str, value: str) -> str:
    """``value`` if the model's enum ``shape_name`` has it; ValueError otherwise."""
    values = enum(shape(shape_name))
    if value not in values:
        raise ValueError(f"{shape_name} has no value {value!r} in botocore {botocore.__version__}")
    return value


def member_enum(shape_name: str, member: str, value: str) -> str:
    """``value`` if it is in the enum of ``shape_name.member`` (e.g. an error's Reason)."""
    target = shape(shape_name)
    assert isinstance(target, StructureShape)
    return enum_value(target.members[member].name, value)


@functools.cache
def error_status(code: str) -> int:
    """HTTP status of an error code under the Smithy defaults.

    The model has no ``httpError`` traits, so a modelled error is 500 when it is a server
    fault and 400 otherwise; unmodelled codes (SerializationException,
    UnknownOperationException) are client errors. botocore keeps ``fault`` only in the raw
    shape definition, hence the private attribute.
    """
    model = service_model()
    if code not in model.shape_names:
        return 400
    raw = getattr(model.shape_for(code), "_shape_model", {})
    return 500 if raw.get("fault") else 400


def idempotency_member(op: str) -> str | None:
    """The input member the model marks ``idempotencyToken`` (e.g. ClientToken), if any."""
    members = operation(op).idempotent_members
    return members[0] if members else None


def list_max(shape_name: str) -> int:
    """The ``max`` of a list or integer shape (page sizes, id list lengths)."""
    limit: int = shape(shape_name).metadata["max"]
    return limit


def versions() -> dict[str, str]:
    """Which botocore and model the reference was built from (for reports)."""
    model = service_model()
    return {
        "botocore": botocore.__version__,
        "api_version": model.api_version,
        "uid": str(model.metadata.get("uid")),
    }
