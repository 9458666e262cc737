"""Load service models through botocore's loader, once per process.

The installed botocore model is the specification: nothing in this project copies an
enum, a limit or a pattern out of it by hand. Everything reads it from here at run time.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore
import botocore.loaders
from botocore.model import OperationModel, ServiceModel, Shape

DEFAULT_SERVICE = "pinpoint-sms-voice-v2"


@functools.cache
def _loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


@functools.lru_cache(maxsize=32)
def service_model(service: str = DEFAULT_SERVICE) -> ServiceModel:
    """The botocore ServiceModel of ``service`` (cached: loading parses a large JSON)."""
    data = _loader().load_service_model(service, "service-2")
    model = ServiceModel(data, service_name=service)
    protocol = model.metadata.get("protocol")
    if protocol not in ("json",):
        raise ValueError(
            f"{service} uses the {protocol!r} protocol; only JSON-protocol services are supported"
        )
    return model


def operation_model(operation: str, service: str = DEFAULT_SERVICE) -> OperationModel:
    """The OperationModel; raises ValueError naming the known operations on a typo."""
    model = service_model(service)
    if operation not in model.operation_names:
        raise ValueError(
            f"{service} has no operation {operation!r}; "
            f"known: {', '.join(sorted(model.operation_names))}"
        )
    return model.operation_model(operation)


def input_shape(operation: str, service: str = DEFAULT_SERVICE) -> Shape:
    """The operation's input shape; ValueError if it takes no input."""
    shape = operation_model(operation, service).input_shape
    if shape is None:
        raise ValueError(f"{service}.{operation} takes no input")
    return shape


def output_shape(operation: str, service: str = DEFAULT_SERVICE) -> Shape | None:
    """The operation's output shape, or None if it answers nothing."""
    return operation_model(operation, service).output_shape


def versions(service: str = DEFAULT_SERVICE) -> dict[str, Any]:
    """What every report must record: which botocore, which model."""
    model = service_model(service)
    return {
        "botocore": botocore.__version__,
        "service": service,
        "api_version": model.api_version,
        "model_uid": model.metadata.get("uid"),
    }


def enum_values(shape: Shape) -> list[str]:
    """The enum members of a string shape (empty for any other shape)."""
    return list(getattr(shape, "enum", None) or [])


def value_count(shape: Shape) -> int | None:
    """How many distinct values ``shape`` allows, where the model lists them (an enum);
    None where it does not, and they are not known to be few (a pattern may still bound
    them: ``[A-Z]{2}`` allows 676 country-code keys, where the model's map takes 300).

    A map's keys are distinct, so a map of enum keys holds at most this many entries,
    whatever its ``max`` says: no generator may ask for more.
    """
    return len(enum_values(shape)) or None


@functools.lru_cache(maxsize=32)
def _definitions(service: str) -> dict[str, Any]:
    return dict(_loader().load_service_model(service, "service-2")["shapes"])


def is_server_fault(error: str, service: str = DEFAULT_SERVICE) -> bool:
    """Is this error shape a server fault (``fault: true``; botocore's Shape drops it)?"""
    return bool(_definitions(service).get(error, {}).get("fault"))


def is_union(shape: Shape) -> bool:
    """A Smithy union: a structure of which exactly one member is set."""
    return bool(getattr(shape, "is_tagged_union", False) or shape.metadata.get("union"))
