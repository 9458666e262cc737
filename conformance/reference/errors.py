"""The one exception type of the service core, and the names it may carry.

Handlers raise :class:`ServiceError`; the wire layer turns it into an awsJson error
body (``__type`` + ``Message`` + the modelled members). Every Reason and ResourceType
named here is looked up in the model at import time (:func:`model.member_enum`), so a
name the installed model lacks stops the reference from starting.
"""

from __future__ import annotations

from typing import Any

from . import model


class ServiceError(Exception):
    """An error answer: its code, HTTP status and the extra members of its body.

    ``status`` defaults to the Smithy default for ``code`` (400 client, 500 fault);
    members whose value is None are left out of the body.
    """

    def __init__(self, code: str, message: str, *, status: int | None = None, **members: Any):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = model.error_status(code) if status is None else status
        self.members = {k: v for k, v in members.items() if v is not None}

    def body(self) -> dict[str, Any]:
        return {"__type": self.code, "Message": self.message, **self.members}


def _reason(error: str, value: str) -> str:
    return model.member_enum(error, "Reason", value)


def _resource(value: str) -> str:
    return model.enum_value("ResourceType", value)


# ValidationExceptionReason
FIELD_VALIDATION_FAILED = _reason("ValidationException", "FIELD_VALIDATION_FAILED")
MISSING_PARAMETER = _reason("ValidationException", "MISSING_PARAMETER")
INVALID_PARAMETER = _reason("ValidationException", "INVALID_PARAMETER")
INVALID_ARN = _reason("ValidationException", "INVALID_ARN")
INVALID_NEXT_TOKEN = _reason("ValidationException", "INVALID_NEXT_TOKEN")
MAXIMUM_SIZE_EXCEEDED = _reason("ValidationException", "MAXIMUM_SIZE_EXCEEDED")
PARAMETERS_CANNOT_BE_USED_TOGETHER = _reason(
    "ValidationException", "PARAMETERS_CANNOT_BE_USED_TOGETHER"
)
# ConflictExceptionReason
DELETION_PROTECTION_ENABLED = _reason("ConflictException", "DELETION_PROTECTION_ENABLED")
PHONE_NUMBER_ASSOCIATED_TO_POOL = _reason("ConflictException", "PHONE_NUMBER_ASSOCIATED_TO_POOL")
REGISTRATION_NOT_COMPLETE = _reason("ConflictException", "REGISTRATION_NOT_COMPLETE")
RESOURCE_ALREADY_EXISTS = _reason("ConflictException", "RESOURCE_ALREADY_EXISTS")
RESOURCE_DELETION_NOT_ALLOWED = _reason("ConflictException", "RESOURCE_DELETION_NOT_ALLOWED")
RESOURCE_NOT_ACTIVE = _reason("ConflictException", "RESOURCE_NOT_ACTIVE")
# ServiceQuotaExceededExceptionReason
PHONE_NUMBERS_PER_ACCOUNT = _reason("ServiceQuotaExceededException", "PHONE_NUMBERS_PER_ACCOUNT")
OPT_OUT_LISTS_PER_ACCOUNT = _reason("ServiceQuotaExceededException", "OPT_OUT_LISTS_PER_ACCOUNT")
REGISTRATIONS_PER_ACCOUNT = _reason("ServiceQuotaExceededException", "REGISTRATIONS_PER_ACCOUNT")
TAGS_PER_RESOURCE = _reason("ServiceQuotaExceededException", "TAGS_PER_RESOURCE")
# ResourceType (also the resource segment of the service's ARNs)
PHONE_NUMBER = _resource("phone-number")
POOL = _resource("pool")
OPT_OUT_LIST = _resource("opt-out-list")
REGISTRATION = _resource("registration")
SENDER_ID = _resource("sender-id")


def field_errors(
    errors: list[tuple[str, str]], reason: str = FIELD_VALIDATION_FAILED
) -> ServiceError:
    """ValidationException naming each offending member by path."""
    count = len(errors)
    detail = "; ".join(f"Value at '{p}' failed to satisfy constraint: {m}" for p, m in errors[:3])
    more = f" (and {count - 3} more)" if count > 3 else ""
    return ServiceError(
        "ValidationException",
        f"{count} validation error{'s' if count != 1 else ''} detected: {detail}{more}",
        Reason=reason,
        Fields=[{"Name": p, "Message": m} for p, m in errors],
    )


def invalid(reason: str, field: str, message: str) -> ServiceError:
    """ValidationException for one member that breaks a domain rule (not a model trait)."""
    return ServiceError(
        "ValidationException", message, Reason=reason, Fields=[{"Name": field, "Message": message}]
    )


def not_found(
    resource_type: str, resource_id: str | None, message: str | None = None
) -> ServiceError:
    return ServiceError(
        "ResourceNotFoundException",
        message or f"No {resource_type} {resource_id!r} in this account and region",
        ResourceType=resource_type,
        ResourceId=resource_id,
    )


def conflict(reason: str, resource_type: str, resource_id: str, message: str) -> ServiceError:
    return ServiceError(
        "ConflictException",
        message,
        Reason=reason,
        ResourceType=resource_type,
        ResourceId=resource_id,
    )


def quota_exceeded(reason: str, limit: int) -> ServiceError:
    return ServiceError(
        "ServiceQuotaExceededException", f"Quota {reason} of {limit} reached", Reason=reason
    )


def serialization(message: str) -> ServiceError:
    """A body that is not a JSON object (unmodelled; what awsJson services answer)."""
    return ServiceError("SerializationException", message)


def unknown_operation(target: str | None) -> ServiceError:
    return ServiceError(
        "UnknownOperationException",
        f"Unknown operation {target!r}" if target else "Missing X-Amz-Target header",
    )


def throttled() -> ServiceError:
    return ServiceError("ThrottlingException", "Rate exceeded")


def internal(request_id: str) -> ServiceError:
    return ServiceError("InternalServerException", "Internal server error", RequestId=request_id)
