"""The RequestPhoneNumber refinement is realistic and still legal."""

from __future__ import annotations

import re
from typing import Any

import pycountry
from hypothesis import given, settings

import strategies

from .conftest import OPERATION

READABLE = re.compile(r"[A-Za-z][A-Za-z0-9_.:/=+@-]*")  # what people write in AWS tags
ASSIGNED = {c.alpha_2 for c in pycountry.countries}
seen: list[dict[str, Any]] = []


@settings(max_examples=400, derandomize=True, database=None)
@given(strategies.valid_inputs(OPERATION))
def _collect(params: dict[str, Any]) -> None:
    seen.append(params)


def _sample() -> list[dict[str, Any]]:
    if not seen:
        _collect()
    return seen


def _share(predicate: Any) -> float:
    sample = _sample()
    return sum(1 for p in sample if predicate(p)) / len(sample)


def _simulator(p: dict[str, Any]) -> bool:
    return (p["IsoCountryCode"], p["MessageType"], p["NumberType"]) == (
        "US",
        "TRANSACTIONAL",
        "SIMULATOR",
    )


def test_the_success_path_is_exercised_often() -> None:
    assert _share(_simulator) >= 0.2


def test_country_codes_are_mostly_assigned_with_some_unassigned() -> None:
    assigned = _share(lambda p: p["IsoCountryCode"] in ASSIGNED)
    assert 0.6 <= assigned < 1.0


def test_tags_are_often_readable_and_keys_unique() -> None:
    tagged = [p["Tags"] for p in _sample() if p.get("Tags")]
    assert tagged
    readable = [t for t in tagged if all(READABLE.fullmatch(tag["Key"]) for tag in t)]
    assert len(readable) / len(tagged) >= 0.5
    for tags in tagged:
        keys = [tag["Key"] for tag in tags]
        assert len(keys) == len(set(keys))


def test_realistic_tokens_are_mostly_uuids() -> None:
    tokens = [p["ClientToken"] for p in _sample() if "ClientToken" in p]
    uuid_like = [t for t in tokens if len(t) == 36 and t.count("-") == 4]
    assert tokens and len(uuid_like) / len(tokens) >= 0.4
