"""The suite's checks on answers that are odd in ways generated inputs rarely reach."""

from __future__ import annotations

import pytest

from conformance.endpoint.exchange import Exchange
from conformance.invariants.checks import format_problems

from .test_reports import exchange


def _created(number: str) -> dict[str, object]:
    return {
        "PhoneNumberArn": "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1",
        "PhoneNumberId": "phone-1",
        "PhoneNumber": number,
        "IsoCountryCode": "US",
        "MonthlyLeasingPrice": "1.00",
    }


def test_a_number_of_no_country_is_a_format_problem_not_a_crash() -> None:
    params = {"IsoCountryCode": "US"}
    for number in ("+999123456", "+2123"):  # E.164-shaped, no such country code
        problems = format_problems(params, _created(number), "us-east-1")
        assert any("not a number of any country" in p for p in problems), problems


def test_nan_and_infinity_are_not_json() -> None:
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        answer: Exchange = exchange(b'{"CreatedTimestamp": ' + constant + b"}", status=200)
        with pytest.raises(ValueError, match="is not JSON"):
            answer.json()
    assert exchange(b'{"CreatedTimestamp": 1.5}', status=200).json() == {"CreatedTimestamp": 1.5}
