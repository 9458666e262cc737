"""Model-valid, service-refusable: the service limits, their oracle and accepted inputs."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from botocore.validate import ParamValidator
from hypothesis import given, settings
from hypothesis import strategies as st

import strategies
from strategies import LimitKind, valid

from .conftest import OPERATION, first_example, schema_errors

SHAPE = strategies.input_shape(OPERATION)
MODEL = strategies.service_model()
EVIDENCE = {
    "API reference: TagResource",
    "CloudFormation AWS::SMSVOICE::PhoneNumber schema",
    "User guide: MMS by country",
}
# Accepted by the model and within every limit: the US simulator request.
BASE: dict[str, Any] = {
    "IsoCountryCode": "US",
    "MessageType": "TRANSACTIONAL",
    "NumberCapabilities": ["SMS"],
    "NumberType": "SIMULATOR",
}
SERVICE_MAX_TAGS = 50


def _with(**members: Any) -> dict[str, Any]:
    return {**BASE, **members}


def _tags(count: int, key: str = "tag-{i}", value: str = "value {i}") -> list[dict[str, str]]:
    return [{"Key": key.format(i=i), "Value": value.format(i=i)} for i in range(count)]


def _kinds(params: dict[str, Any], operation: str = OPERATION) -> set[tuple[str, LimitKind]]:
    return {(r.path, r.limit) for r in strategies.service_refusals(operation, params)}


def _tag_refused(params: dict[str, Any]) -> bool:
    return any(r.path.startswith("Tags[") for r in strategies.service_refusals(OPERATION, params))


def _botocore_errors(params: dict[str, Any], shape: Any = SHAPE) -> str:
    report = ParamValidator().validate(params, shape)
    return report.generate_report() if report.has_errors() else ""


# --- the records ---------------------------------------------------------------------


def _tag_list_operations() -> list[str]:
    """Operations whose input has a Tags member of the TagList shape, read off the model."""
    found = []
    for name in MODEL.operation_names:
        shape = MODEL.operation_model(name).input_shape
        if shape is not None and getattr(shape.members.get("Tags"), "name", None) == "TagList":
            found.append(name)
    return sorted(found)


TAGGED = _tag_list_operations()


def test_the_tag_limits_apply_to_every_operation_with_a_tag_list() -> None:
    assert OPERATION in TAGGED and len(TAGGED) > 5  # CreatePool, RequestSenderId, ...
    for operation in sorted(MODEL.operation_names):
        limits = strategies.service_limits(operation)
        maxima = [limit for limit in limits if isinstance(limit, strategies.MaxItems)]
        if operation in TAGGED:
            assert [(m.path, m.maximum) for m in maxima] == [("Tags", SERVICE_MAX_TAGS)]
            paths = {limit.path for limit in limits}
            assert {"Tags", "Tags[].Key", "Tags[].Value"} <= paths, operation
        else:
            assert not any(limit.path.startswith("Tags") for limit in limits), operation


def test_every_limit_names_its_evidence_and_fits_the_model() -> None:
    limits = strategies.service_limits(OPERATION)
    assert {limit.evidence for limit in limits} == EVIDENCE
    assert {limit.kind for limit in limits} == set(LimitKind)
    model_max = SHAPE.members["Tags"].metadata["max"]
    assert model_max > SERVICE_MAX_TAGS  # the service is stricter than the model


# --- the oracle ----------------------------------------------------------------------

REFUSED = [
    ("51 tags", _with(Tags=_tags(51)), ("Tags", LimitKind.MAX_ITEMS)),
    ("200 tags", _with(Tags=_tags(200)), ("Tags", LimitKind.MAX_ITEMS)),
    ("an aws: key", _with(Tags=[{"Key": "aws:team", "Value": "a"}]), ("Tags[0].Key", "prefix")),
    ("an AWS: key", _with(Tags=[{"Key": "AWS:team", "Value": "a"}]), ("Tags[0].Key", "prefix")),
    (
        "an aws: value",
        _with(Tags=[{"Key": "a", "Value": "b"}, {"Key": "team", "Value": "aws:x"}]),
        ("Tags[1].Value", "prefix"),
    ),
    (
        "an @ in a value",
        _with(Tags=[{"Key": "Owner", "Value": "alice@example.com"}]),
        ("Tags[0].Value", LimitKind.ALLOWED_CHARACTERS),
    ),
    (
        "a tab in a key",
        _with(Tags=[{"Key": "a\tb", "Value": ""}]),
        ("Tags[0].Key", LimitKind.ALLOWED_CHARACTERS),
    ),
    ("a repeated tag", _with(Tags=_tags(1) * 2), ("Tags", LimitKind.UNIQUE_ITEMS)),
    (
        "a repeated capability",
        _with(NumberCapabilities=["SMS", "VOICE", "SMS"]),
        ("NumberCapabilities", LimitKind.UNIQUE_ITEMS),
    ),
    (
        "MMS on a Canadian toll-free number",
        _with(IsoCountryCode="CA", NumberType="TOLL_FREE", NumberCapabilities=["SMS", "MMS"]),
        ("NumberCapabilities", LimitKind.EXCLUDED_ITEM),
    ),
]


@pytest.mark.parametrize(
    ("params", "expected"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_service_refusals_find_each_limit(params: dict[str, Any], expected: Any) -> None:
    assert strategies.violations(OPERATION, params) == []  # model-valid ...
    path, kind = expected
    kind = LimitKind.FORBIDDEN_PREFIX if kind == "prefix" else kind
    refusals = strategies.service_refusals(OPERATION, params)
    assert (path, kind) in {(r.path, r.limit) for r in refusals}  # ... service-refusable
    for refusal in refusals:
        assert refusal.message and refusal.evidence in EVIDENCE
        assert refusal.to_dict()["limit"] == refusal.limit.value


WITHIN = [
    ("no tags", BASE),
    ("50 tags", _with(Tags=_tags(SERVICE_MAX_TAGS))),
    ("an empty tag list", _with(Tags=[])),
    (
        "every allowed kind of character",
        _with(Tags=[{"Key": "Été 2026 _./=+-", "Value": "中文 ٣ Ωmega\u3000x"}]),
    ),
    ("an empty value", _with(Tags=[{"Key": "k", "Value": ""}])),
    ("aws inside, not as a prefix", _with(Tags=[{"Key": "my-aws", "Value": "aws"}])),
    (
        "the longest key and value",
        _with(Tags=[{"Key": "k" * 128, "Value": "v" * 256}]),
    ),
    ("every capability once", _with(NumberCapabilities=["SMS", "VOICE", "MMS", "RCS"])),
    (
        "MMS on a US toll-free number",
        _with(NumberType="TOLL_FREE", NumberCapabilities=["MMS"]),
    ),
    (
        "MMS on a Canadian long code",
        _with(IsoCountryCode="CA", NumberType="LONG_CODE", NumberCapabilities=["MMS"]),
    ),
    (
        "a Canadian toll-free number without MMS",
        _with(IsoCountryCode="CA", NumberType="TOLL_FREE", NumberCapabilities=["SMS", "VOICE"]),
    ),
]


@pytest.mark.parametrize("params", [c[1] for c in WITHIN], ids=[c[0] for c in WITHIN])
def test_service_refusals_find_none_within_the_limits(params: dict[str, Any]) -> None:
    assert strategies.violations(OPERATION, params) == []
    assert strategies.service_refusals(OPERATION, params) == []


@pytest.mark.parametrize(
    "params",
    [{}, {"Tags": "not a list"}, {"Tags": [1, None, {"Key": 3}]}, {"NumberCapabilities": 7}],
)
def test_service_refusals_leave_model_validity_to_violations(params: dict[str, Any]) -> None:
    """Model-invalid inputs are not refusals (nor a crash): ``violations`` reports them."""
    assert strategies.violations(OPERATION, params) != []
    assert strategies.service_refusals(OPERATION, params) == []


def test_the_tag_limits_hold_for_other_operations_too() -> None:
    params = {"ConfigurationSetName": "set", "Tags": _tags(51, key="aws:{i}")}
    assert strategies.violations("CreateConfigurationSet", params) == []
    kinds = {kind for _, kind in _kinds(params, "CreateConfigurationSet")}
    assert kinds == {LimitKind.MAX_ITEMS, LimitKind.FORBIDDEN_PREFIX, LimitKind.ALLOWED_CHARACTERS}


def test_accepted_inputs_turn_away_mms_in_canada(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one limit left to a final check of whole inputs. Drawing rarely meets it (a
    Canadian toll-free number with MMS is about one input in several thousand), so the
    member strategies are replaced by two inputs, one of them refusable."""
    refused = _with(IsoCountryCode="CA", NumberType="TOLL_FREE", NumberCapabilities=["MMS"])
    fine = _with(IsoCountryCode="CA", NumberType="TOLL_FREE", NumberCapabilities=["SMS"])
    assert strategies.violations(OPERATION, refused) == []
    monkeypatch.setattr(valid, "_inputs", lambda *a, **k: st.sampled_from([refused, fine]))
    build = valid.accepted_strategy.__wrapped__  # uncached: the real one stays as it is
    strategy = build(OPERATION, strategies.DEFAULT_SERVICE, wire=False, realistic=True)
    drawn: list[dict[str, Any]] = []
    first_example(strategy, lambda p: drawn.append(p), tries=50)
    assert drawn and all(p == fine for p in drawn)


# --- accepted inputs -----------------------------------------------------------------


def _check_accepted(params: dict[str, Any], operation: str = OPERATION) -> None:
    assert strategies.violations(operation, params) == []
    assert strategies.service_refusals(operation, params) == []


@settings(max_examples=500)
@given(strategies.accepted_inputs(OPERATION))
def test_accepted_inputs_are_valid_and_within_the_service_limits(params: dict[str, Any]) -> None:
    assert _botocore_errors(params) == ""
    _check_accepted(params)
    assert "alice@example.com" not in str(params.get("Tags"))


@settings(max_examples=300)
@given(strategies.accepted_inputs(OPERATION, realistic=False))
def test_generic_accepted_inputs_are_valid_and_within_the_limits(params: dict[str, Any]) -> None:
    _check_accepted(params)


@settings(max_examples=200)
@given(strategies.accepted_inputs(OPERATION, wire=True))
def test_accepted_wire_inputs_are_valid_and_within_the_limits(params: dict[str, Any]) -> None:
    assert schema_errors(params) == []
    _check_accepted(params)


@pytest.mark.parametrize("operation", TAGGED)
def test_every_tagged_operation_gets_accepted_inputs(operation: str) -> None:
    @settings(max_examples=20, deadline=None)
    @given(strategies.accepted_inputs(operation, realistic=False))
    def check(params: dict[str, Any]) -> None:
        _check_accepted(params, operation)

    check()


@pytest.mark.parametrize("realistic", [True, False])
def test_accepted_inputs_reach_the_service_maximum_of_tags(realistic: bool) -> None:
    strategy = strategies.accepted_inputs(OPERATION, realistic=realistic)
    found = first_example(strategy, lambda p: len(p.get("Tags", [])) == SERVICE_MAX_TAGS)
    assert found is not None, "never generated 50 tags"
    _check_accepted(found)


def test_accepted_inputs_reach_long_tags_of_the_allowed_characters() -> None:
    def long_and_varied(p: dict[str, Any]) -> bool:
        tags = p.get("Tags", [])
        return any(len(t["Value"]) == 256 for t in tags) and any(
            not t["Key"].isascii() for t in tags
        )

    found = first_example(strategies.accepted_inputs(OPERATION), long_and_varied)
    assert found is not None
    _check_accepted(found)


# --- valid inputs still go beyond the service limits -----------------------------------


@pytest.mark.parametrize("realistic", [True, False])
def test_valid_inputs_still_exceed_the_service_maximum_of_tags(realistic: bool) -> None:
    strategy = strategies.valid_inputs(OPERATION, realistic=realistic)
    found = first_example(strategy, lambda p: len(p.get("Tags", [])) > SERVICE_MAX_TAGS)
    assert found is not None, "valid_inputs never sends more tags than the service allows"
    assert strategies.violations(OPERATION, found) == []
    assert ("Tags", LimitKind.MAX_ITEMS) in _kinds(found)


@pytest.mark.parametrize("realistic", [True, False])
def test_valid_inputs_still_carry_refused_tags(realistic: bool) -> None:
    strategy = strategies.valid_inputs(OPERATION, realistic=realistic)
    found = first_example(strategy, _tag_refused)
    assert found is not None, "valid_inputs never sends a tag the service may refuse"
    assert strategies.violations(OPERATION, found) == []


def test_realistic_valid_inputs_keep_the_email_tag_value() -> None:
    found = first_example(
        strategies.valid_inputs(OPERATION), lambda p: "alice@example.com" in str(p.get("Tags"))
    )
    assert found is not None


# --- member values ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["Tags", "Tags[].Key", "Tags[].Value", "NumberCapabilities"])
def test_accepted_member_values_are_within_the_limits(path: str) -> None:
    top = path.split("[")[0]

    @settings(max_examples=150, deadline=None)
    @given(strategies.member_values(OPERATION, path, accepted=True))
    def check(value: Any) -> None:
        if path == "Tags[].Key":
            params = _with(Tags=[{"Key": value, "Value": "v"}])
        elif path == "Tags[].Value":
            params = _with(Tags=[{"Key": "k", "Value": value}])
        else:
            params = _with(**{top: value})
        _check_accepted(params)

    check()


def test_member_values_differ_only_when_accepted_is_asked_for() -> None:
    valid = strategies.member_values(OPERATION, "Tags")
    accepted = strategies.member_values(OPERATION, "Tags", accepted=True)
    assert first_example(valid, lambda tags: len(tags) > SERVICE_MAX_TAGS) is not None
    assert first_example(accepted, lambda tags: len(tags) > SERVICE_MAX_TAGS, tries=500) is None


# --- the public contract ----------------------------------------------------------------


def test_every_public_name_is_documented() -> None:
    for name in strategies.__all__:
        value = getattr(strategies, name)
        if callable(value):
            assert (inspect.getdoc(value) or "").strip(), f"strategies.{name} has no docstring"
