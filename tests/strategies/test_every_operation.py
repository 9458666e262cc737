"""Every operation of the model, not only RequestPhoneNumber: the strategies draw without
raising, their labels agree with the oracle, and the output and error schemas are schemas.

The operations are read from the model, so a model update that adds one is tested too.
A few examples each (the whole file runs in well under a minute on two cores); the
RequestPhoneNumber tests go deeper.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest
from botocore.model import MapShape
from hypothesis import HealthCheck, given, settings

import strategies
from strategies import InvalidInput
from strategies.paths import shape_at

MODEL = strategies.service_model()
OPERATIONS = sorted(MODEL.operation_names)
ERRORS = sorted({e.name for op in OPERATIONS for e in MODEL.operation_model(op).error_shapes})
# Few examples, no example database: this is a sweep over 110 operations. too_slow is
# suppressed because the largest inputs (an RCS message) take tens of milliseconds an
# example on a loaded machine, which is what they cost, not a defect.
FEW = settings(
    max_examples=5, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _assert_labelled_right(record: InvalidInput) -> None:
    """The oracle finds the labelled violation, and nothing at any other member."""
    found = strategies.violations(record.operation, record.params)
    assert {(v.path, v.constraint) for v in record.violations} <= {
        (v.path, v.constraint) for v in found
    }, (record, found)
    assert {v.path for v in found} == {v.path for v in record.violations}, (record, found)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_valid_inputs_are_valid_and_invalid_sets_are_labelled_right(operation: str) -> None:
    @FEW
    @given(
        strategies.valid_inputs(operation, wire=True, realistic=False),
        strategies.accepted_inputs(operation, wire=True),
        strategies.invalid_input_sets(operation),
    )
    def check(
        valid: dict[str, Any], accepted: dict[str, Any], records: tuple[InvalidInput, ...]
    ) -> None:
        assert strategies.violations(operation, valid) == []
        assert strategies.violations(operation, accepted) == []
        assert strategies.service_refusals(operation, accepted) == []
        kinds = sorted({t.constraint for t in strategies.mutation_targets(operation)})
        assert sorted(r.primary.constraint for r in records) == kinds
        for record in records:
            _assert_labelled_right(record)

    check()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_invalid_inputs_are_labelled_right(operation: str) -> None:
    if not strategies.mutation_targets(operation):  # an input without members
        with pytest.raises(ValueError, match="no member to break"):
            strategies.invalid_inputs(operation)
        return

    @FEW
    @given(strategies.invalid_inputs(operation))
    def check(record: InvalidInput) -> None:
        _assert_labelled_right(record)

    check()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_output_schema_is_a_schema(operation: str) -> None:
    jsonschema.Draft202012Validator.check_schema(strategies.output_schema(operation))


@pytest.mark.parametrize("error", ERRORS)
def test_the_error_schema_is_a_schema(error: str) -> None:
    jsonschema.Draft202012Validator.check_schema(strategies.error_schema(error))


def _maps_of_few_keys() -> list[tuple[str, str]]:
    """(operation, member path) of every input map whose key shape has fewer distinct
    values than one more than its maximum (a map of two enum keys with max 10)."""
    found = []
    for operation in OPERATIONS:
        root = strategies.input_shape(operation)
        for target in strategies.mutation_targets(operation):
            if target.constraint != "type":
                continue
            shape = shape_at(root, target.path)
            if isinstance(shape, MapShape) and "max" in shape.metadata:
                keys = len(strategies.enum_values(shape.key)) or None
                if keys is not None and keys <= shape.metadata["max"]:
                    found.append((operation, target.path))
    return found


@pytest.mark.parametrize(("operation", "path"), _maps_of_few_keys())
def test_a_maximum_that_no_value_can_exceed_is_no_target(operation: str, path: str) -> None:
    """Its maximum cannot be broken: asking for more entries than keys made Hypothesis
    raise for every operation with such a map."""
    targets = {str(t) for t in strategies.mutation_targets(operation)}
    assert f"{path}:type" in targets
    assert f"{path}:max_items" not in targets


def _blob_maxima() -> list[tuple[str, str]]:
    """(operation, member path) of every input blob with a maximum length."""
    return [
        (operation, target.path)
        for operation in OPERATIONS
        for target in strategies.mutation_targets(operation)
        if target.constraint == "max_length"
        and shape_at(strategies.input_shape(operation), target.path).type_name == "blob"
    ]


@pytest.mark.parametrize(("operation", "path"), _blob_maxima())
def test_an_over_long_blob_is_one_byte_or_a_few_over(operation: str, path: str) -> None:
    """Even of millions of bytes (an attachment body): drawn byte by byte, ten of them
    took a minute."""
    maximum = shape_at(strategies.input_shape(operation), path).metadata["max"]

    @FEW
    @given(strategies.invalid_inputs(operation, targets=[f"{path}:max_length"]))
    def check(record: InvalidInput) -> None:
        (violation,) = strategies.violations(operation, record.params)
        assert violation.constraint == "max_length"
        measured = re.match(r"length (\d+) > max", violation.message)
        assert measured is not None, violation.message
        assert maximum < int(measured[1]) <= maximum + 4

    check()
