"""Invalid examples carry exactly the defect their label names, as the oracle sees it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings

import strategies
from strategies import Constraint, InvalidInput

from .conftest import OPERATION, first_example, input_validator, schema_errors

TARGETS = strategies.mutation_targets(OPERATION)


def _assert_label_matches_oracle(example: InvalidInput) -> None:
    assert example.violations, "an invalid example must carry a violation"
    found = strategies.violations(example.operation, example.params)
    labelled = {(v.path, v.constraint) for v in example.violations}
    assert labelled <= {(v.path, v.constraint) for v in found}, found
    # One cause: whatever else the oracle finds is at the labelled member.
    assert {v.path for v in found} == {v.path for v in example.violations}, found


@settings(max_examples=400)
@given(strategies.invalid_inputs(OPERATION))
def test_every_invalid_example_is_rejected_and_labelled_right(example: InvalidInput) -> None:
    _assert_label_matches_oracle(example)
    assert schema_errors(example.params), "the JSON Schema accepted an invalid body"


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_every_target_is_reachable(target: strategies.Target) -> None:
    @settings(max_examples=10, deadline=None)
    @given(strategies.invalid_inputs(OPERATION, targets=[target]))
    def check(example: InvalidInput) -> None:
        assert example.primary.constraint == target.constraint
        concrete = re.escape(target.path).replace(r"\[\]", r"\[\d+\]").replace(r"\*", "[^.]+")
        assert re.fullmatch(concrete, example.primary.path), example.primary.path
        _assert_label_matches_oracle(example)

    check()


def _schema_facts(schema: dict[str, Any]) -> tuple[set[str], set[Constraint]]:
    """Member paths and constraint kinds, read from the JSON Schema, not from the targets."""
    defs = schema["$defs"]
    paths: set[str] = set()
    kinds: set[Constraint] = set()

    def walk(node: dict[str, Any], path: str, seen: frozenset[str]) -> None:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            if name in seen:
                return
            return walk(defs[name], path, seen | {name})
        if path:
            paths.add(path)
        if node.get("required"):
            kinds.add(Constraint.REQUIRED)
        for keyword, kind in (
            ("enum", Constraint.ENUM),
            ("maxLength", Constraint.MAX_LENGTH),
            ("maxItems", Constraint.MAX_ITEMS),
        ):
            if keyword in node:
                kinds.add(kind)
        if node.get("minLength"):
            kinds.add(Constraint.MIN_LENGTH)
        if node.get("minItems"):
            kinds.add(Constraint.MIN_ITEMS)
        if "oneOf" in node:
            kinds.add(Constraint.UNION)
        if "pattern" in node and not re.search(node["pattern"], ""):
            kinds.add(Constraint.PATTERN)
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{path}.{name}" if path else name, seen)
        if "items" in node:
            walk(node["items"], f"{path}[]", seen)

    walk(schema, "", frozenset())
    kinds.add(Constraint.TYPE)
    return paths, kinds


def test_every_member_and_every_constraint_kind_is_a_target() -> None:
    paths, kinds = _schema_facts(strategies.input_schema(OPERATION))
    assert paths == {t.path for t in TARGETS}
    assert kinds == {t.constraint for t in TARGETS}


def test_targets_and_constraints_narrow_the_strategy() -> None:
    with pytest.raises(ValueError, match="not a mutation target"):
        strategies.invalid_inputs(OPERATION, targets=["Nope:type"])
    strategy = strategies.invalid_inputs(OPERATION, constraints=["max_items"])

    @settings(max_examples=15)
    @given(strategy)
    def check(example: InvalidInput) -> None:
        assert example.primary.constraint == "max_items"

    check()


def test_invalid_records_serialise() -> None:
    example = first_example(
        strategies.invalid_inputs(OPERATION, targets=["MessageType:enum"]), bool
    )
    record = example.to_dict()
    assert record["violations"][0] == {
        "path": "MessageType",
        "constraint": "enum",
        "message": example.primary.message,
    }
    assert input_validator().is_valid(record["params"]) is False


NESTED = [t for t in TARGETS if "[]" in t.path or "." in t.path]


def test_breaking_a_nested_member_leaves_the_valid_examples_alone() -> None:
    """An invalid example is a valid one changed along one path; the valid example's
    parts may be shared constants (sampled lists, built tag lists), so a change made in
    place would corrupt every later valid example."""
    assert NESTED

    @settings(max_examples=300, deadline=None, database=None)
    @given(strategies.invalid_inputs(OPERATION, targets=NESTED))
    def break_nested(example: InvalidInput) -> None:
        _assert_label_matches_oracle(example)

    break_nested()

    @settings(max_examples=300, deadline=None, database=None)
    @given(strategies.valid_inputs(OPERATION, wire=True))
    def still_valid(params: dict[str, Any]) -> None:
        assert strategies.violations(OPERATION, params) == []

    still_valid()


@settings(max_examples=150, deadline=None)
@given(strategies.invalid_input_sets(OPERATION))
def test_a_set_breaks_each_kind_once_and_its_records_share_nothing(
    records: tuple[InvalidInput, ...],
) -> None:
    """One record per constraint kind the model uses, in order, each carrying only its
    own defect; changing one record's body leaves the others as they were."""
    kinds = sorted({t.constraint for t in TARGETS}, key=lambda c: c.value)
    assert [r.primary.constraint for r in records] == kinds
    for record in records:
        _assert_label_matches_oracle(record)
    before = [repr(r.params) for r in records]
    for record in records:  # deep changes to one body
        for value in record.params.values():
            if isinstance(value, list):
                value.append("changed")
                for item in value:
                    if isinstance(item, dict):
                        item["Key"] = "changed"
        record.params["changed"] = True
        changed = repr(record.params)
        assert all(
            repr(r.params) == b for r, b in zip(records, before, strict=True) if r is not record
        )
        assert changed != before[records.index(record)]
        before[records.index(record)] = changed


def test_a_set_can_be_narrowed_to_some_kinds() -> None:
    strategy = strategies.invalid_input_sets(OPERATION, constraints=["pattern", "enum"])
    records = first_example(strategy, bool)
    assert [r.primary.constraint for r in records] == ["pattern", "enum"]
    with pytest.raises(ValueError, match="no member with a union constraint"):
        strategies.invalid_input_sets(OPERATION, constraints=["union"])


SIMULATOR_BASE = strategies.valid_inputs(OPERATION, wire=True).map(
    lambda body: {**body, "IsoCountryCode": "US", "NumberType": "SIMULATOR"}
)


@settings(max_examples=100, deadline=None)
@given(strategies.invalid_input_sets(OPERATION, base=SIMULATOR_BASE))
def test_a_set_breaks_copies_of_the_base_it_is_given(records: tuple[InvalidInput, ...]) -> None:
    """What a caller may send somewhere (the simulator request, on real AWS) stays as
    it was in every record but the one that breaks it; each still has its one defect."""
    for record in records:
        _assert_label_matches_oracle(record)
        broken = record.primary.path.split("[")[0].split(".")[0]
        for member, kept in (("IsoCountryCode", "US"), ("NumberType", "SIMULATOR")):
            if member != broken:
                assert record.params[member] == kept, (member, record.primary)


def test_an_over_long_list_is_legal_item_by_item() -> None:
    """Too many tags, each of them a valid tag: the one defect is the count."""

    @settings(max_examples=30, deadline=None)
    @given(strategies.invalid_inputs(OPERATION, targets=["Tags:max_items"]))
    def check(example: InvalidInput) -> None:
        shape = strategies.input_shape(OPERATION).members["Tags"]  # type: ignore[attr-defined]
        assert len(example.params["Tags"]) > shape.metadata["max"]
        assert [v.constraint for v in strategies.violations(OPERATION, example.params)] == [
            "max_items"
        ]

    check()


@settings(max_examples=300, deadline=None)
@given(strategies.invalid_input_sets(OPERATION), strategies.valid_inputs(OPERATION, wire=True))
def test_every_body_can_go_on_the_wire_as_utf8(
    records: tuple[InvalidInput, ...], valid: dict[str, Any]
) -> None:
    """No lone surrogate anywhere: a body that cannot be encoded as UTF-8 never reaches
    the endpoint, and the suite would fail its own request instead of judging an answer."""
    for body in (valid, *(r.params for r in records)):
        json.dumps(body, ensure_ascii=False).encode("utf-8")
