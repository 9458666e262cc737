"""Hypothesis strategies and a validity oracle compiled from botocore service models.

The public names here are a contract: the conformance suite and users' own tests build
on them. Everything is derived from the installed botocore model at run time.
"""

from __future__ import annotations

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
from .valid import member_values, valid_inputs
from .violation import Constraint, InvalidInput, Violation

__all__ = [
    "DEFAULT_SERVICE",
    "Constraint",
    "InvalidInput",
    "Target",
    "Violation",
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
    "service_model",
    "shape_schema",
    "valid_inputs",
    "versions",
    "violations",
]
