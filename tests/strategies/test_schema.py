"""JSON Schemas of shapes, in wire form, as jsonschema reads them."""

from __future__ import annotations

import jsonschema
import pytest

import strategies

from .conftest import OPERATION

# The response from the AWS user guide (see shared/aws-behavior.md), as it is on the wire.
GUIDE_SAMPLE = {
    "PhoneNumberArn": "arn:aws:sms-voice:us-east-1:111122223333:phone-number/"
    "phone-12345678901234567890123456789012",
    "PhoneNumberId": "phone-12345678901234567890123456789012",
    "PhoneNumber": "+12045550123",
    "Status": "PENDING",
    "IsoCountryCode": "CA",
    "MessageType": "TRANSACTIONAL",
    "NumberCapabilities": ["SMS"],
    "NumberType": "LONG_CODE",
    "MonthlyLeasingPrice": "1.00",
    "TwoWayEnabled": False,
    "SelfManagedOptOutsEnabled": False,
    "OptOutListName": "Default",
    "DeletionProtectionEnabled": False,
    "CreatedTimestamp": 1645568542.0,
}


@pytest.fixture(scope="module")
def output_validator() -> jsonschema.Draft202012Validator:
    schema = strategies.output_schema(OPERATION)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_documented_response_validates(output_validator: jsonschema.Validator) -> None:
    assert list(output_validator.iter_errors(GUIDE_SAMPLE)) == []


def test_unknown_extra_members_are_tolerated(output_validator: jsonschema.Validator) -> None:
    assert output_validator.is_valid({**GUIDE_SAMPLE, "SomethingNew": {"x": 1}})


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("Status", "BOGUS"),
        ("CreatedTimestamp", "2022-02-22T22:22:22Z"),
        ("TwoWayEnabled", "false"),
        ("NumberCapabilities", []),
        ("NumberCapabilities", ["SMS", "FAX"]),
        ("PhoneNumber", "12"[:1]),
        ("PhoneNumber", "not a number"),
        ("OptOutListName", ""),
        ("IsoCountryCode", "CAN"),
    ],
)
def test_wrong_members_fail(
    output_validator: jsonschema.Validator, member: str, value: object
) -> None:
    assert not output_validator.is_valid({**GUIDE_SAMPLE, member: value})


def test_error_schemas_describe_modelled_members() -> None:
    schema = strategies.error_schema("ValidationException")
    validator = jsonschema.Draft202012Validator(schema)
    body = {
        "__type": "ValidationException",
        "Message": "x",
        "Reason": "INVALID_PARAMETER",
        "Fields": [{"Name": "IsoCountryCode", "Message": "bad"}],
    }
    assert validator.is_valid(body)
    assert not validator.is_valid({**body, "Reason": "NOT_A_REASON"})
    assert not validator.is_valid({**body, "Fields": [{"Name": "x"}]})


def test_recursive_and_every_output_schema_is_a_valid_schema() -> None:
    model = strategies.operation_model(OPERATION).service_model
    for name in model.operation_names:
        jsonschema.Draft202012Validator.check_schema(strategies.output_schema(name))
