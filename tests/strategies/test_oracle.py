"""The oracle on hand-picked cases whose answer follows from the model and ECMA-262."""

from __future__ import annotations

from typing import Any

import pytest

import strategies

from .conftest import OPERATION

BASE = {
    "IsoCountryCode": "US",
    "MessageType": "TRANSACTIONAL",
    "NumberCapabilities": ["SMS"],
    "NumberType": "SIMULATOR",
}


def _found(**changes: Any) -> set[tuple[str, str]]:
    params = {**BASE, **changes}
    return {(v.path, v.constraint.value) for v in strategies.violations(OPERATION, params)}


def test_a_minimal_valid_request_has_no_violation() -> None:
    assert _found() == set()


def test_unanchored_pattern_passes_but_length_fails() -> None:
    assert _found(IsoCountryCode="xUSx") == {("IsoCountryCode", "max_length")}


def test_lowercase_country_code_breaks_the_pattern_only() -> None:
    assert _found(IsoCountryCode="us") == {("IsoCountryCode", "pattern")}


@pytest.mark.parametrize("key", ["\n", "\n\n\n", "\r", "\u2028", "\u2029\n"])
def test_a_tag_key_of_line_terminators_breaks_dot_plus(key: str) -> None:
    assert _found(Tags=[{"Key": key, "Value": "v"}]) == {("Tags[0].Key", "pattern")}


@pytest.mark.parametrize("key", ["a\n", "\n\na", " ", "\t", "é"])
def test_any_other_character_satisfies_dot_plus(key: str) -> None:
    assert _found(Tags=[{"Key": key, "Value": ""}]) == set()


def test_pattern_matches_a_substring() -> None:
    assert _found(OptOutListName="my list!") == set()
    assert _found(OptOutListName="!!!") == {("OptOutListName", "pattern")}


def test_missing_and_null_required_members() -> None:
    params = {k: v for k, v in BASE.items() if k != "NumberType"}
    found = strategies.violations(OPERATION, params)
    assert [(v.path, v.constraint) for v in found] == [("NumberType", "required")]
    assert _found(NumberType=None) == {("NumberType", "required")}


def test_null_optional_member_counts_as_absent() -> None:
    assert _found(PoolId=None) == set()


def test_unknown_members_are_not_violations() -> None:
    assert _found(SomethingNew=1) == set()


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("IsoCountryCode", 1),
        ("IsoCountryCode", True),
        ("DeletionProtectionEnabled", "true"),
        ("DeletionProtectionEnabled", 0),
        ("NumberCapabilities", "SMS"),
        ("Tags", {"Key": "a", "Value": "b"}),
    ],
)
def test_wrong_types_are_type_violations_only(member: str, value: Any) -> None:
    assert _found(**{member: value}) == {(member, "type")}


def test_list_bounds_and_enum_members() -> None:
    assert _found(NumberCapabilities=[]) == {("NumberCapabilities", "min_items")}
    assert _found(NumberCapabilities=["SMS"] * 5) == {("NumberCapabilities", "max_items")}
    assert _found(NumberCapabilities=["sms"]) == {("NumberCapabilities[0]", "enum")}
    assert _found(MessageType="transactional") == {("MessageType", "enum")}


def test_lengths_count_code_points() -> None:
    assert _found(Tags=[{"Key": "😀" * 128, "Value": ""}]) == set()
    assert _found(Tags=[{"Key": "😀" * 129, "Value": ""}]) == {("Tags[0].Key", "max_length")}


def test_client_token_is_printable_ascii() -> None:
    assert _found(ClientToken="a b") == set()  # unanchored: "a" matches
    assert _found(ClientToken=" ") == {("ClientToken", "pattern")}
    assert _found(ClientToken="") == {("ClientToken", "min_length"), ("ClientToken", "pattern")}


def test_a_non_object_body_is_a_type_violation() -> None:
    found = strategies.violations(OPERATION, ["not", "an", "object"])
    assert [(v.path, v.constraint) for v in found] == [("", "type")]
