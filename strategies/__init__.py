"""Hypothesis strategies and a validity oracle compiled from botocore service models.

The public names here are a contract: the conformance suite and users' own tests build
on them. Everything is derived from the installed botocore model at run time, except the
service limits that the model does not state (``service_limits``), which are records
that name their evidence.

Two meanings of "valid": ``valid_inputs`` and ``violations`` are about the model;
``accepted_inputs`` and ``service_refusals`` add the service's documented limits. An
input that is valid but has refusals is *model-valid, service-refusable*: the service
may accept or refuse it, and neither answer is a defect.
"""

from __future__ import annotations

from .limits import (
    AllowedCharacters,
    ExcludedItem,
    ForbiddenPrefix,
    LimitKind,
    MaxItems,
    Refusal,
    ServiceLimit,
    UniqueItems,
    service_limits,
    service_refusals,
)
from .model import (
    DEFAULT_SERVICE,
    enum_values,
    input_shape,
    operation_model,
    output_shape,
    service_model,
    versions,
)
from .mutations import Target, invalid_input_sets, invalid_inputs, mutation_targets
from .oracle import violations
from .patterns import compile_pattern
from .schema import error_schema, input_schema, output_schema, shape_schema
from .valid import accepted_inputs, member_values, valid_inputs
from .violation import Constraint, InvalidInput, Violation

__all__ = [
    "DEFAULT_SERVICE",
    "AllowedCharacters",
    "Constraint",
    "ExcludedItem",
    "ForbiddenPrefix",
    "InvalidInput",
    "LimitKind",
    "MaxItems",
    "Refusal",
    "ServiceLimit",
    "Target",
    "UniqueItems",
    "Violation",
    "accepted_inputs",
    "compile_pattern",
    "enum_values",
    "error_schema",
    "input_schema",
    "input_shape",
    "invalid_input_sets",
    "invalid_inputs",
    "member_values",
    "mutation_targets",
    "operation_model",
    "output_schema",
    "output_shape",
    "service_limits",
    "service_model",
    "service_refusals",
    "shape_schema",
    "valid_inputs",
    "versions",
    "violations",
]
