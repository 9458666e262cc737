"""Smithy patterns are ECMA-262 and unanchored; the translation must keep ECMA meaning."""

from __future__ import annotations

import botocore.session
import pytest

from conformance.reference.patterns import ECMA_WHITESPACE, compile_pattern, satisfies


def _model_patterns() -> list[str]:
    model = botocore.session.get_session().get_service_model("pinpoint-sms-voice-v2")
    found = set()
    for name in model.shape_names:
        pattern = model.shape_for(name).metadata.get("pattern")
        if pattern is not None:
            found.add(pattern)
    return sorted(found)


@pytest.mark.parametrize("pattern", _model_patterns())
def test_every_model_pattern_compiles(pattern: str) -> None:
    compile_pattern(pattern)


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        # unanchored: any substring may match
        ("[A-Z]{2}", "xUSx", True),
        ("[A-Z]{2}", "us", False),
        ("[A-Za-z0-9_:/-]+", "+12065550100", True),
        ("arn:[A-Za-z0-9_:/-]+", "xx arn:aws", True),
        ("arn:[A-Za-z0-9_:/-]+", "ARN:aws", False),
        # '.' excludes exactly the ECMA line terminators
        (".+", "\n", False),
        (".+", "\r", False),
        (".+", "\u2028\u2029", False),
        (".+", "\x85", True),  # NEL: a line break for Python's str.splitlines, not for ECMA
        (".+", "\t", True),
        (".*", "", True),
        # \d and \w are ASCII
        ("\\d", "\u0663", False),
        ("[\\d]+", "7", True),
        ("\\w", "\u00e9", False),
        ("\\w", "_", True),
        # \s is ECMA white space, inside and outside classes
        ("\\S+", "\u00a0\ufeff\u3000 \t", False),
        ("\\S+", "\x1c", True),  # a Python \s character that ECMA does not count as space
        ("[ \\S]+", " ", True),
        ("[ \\S]+", "\t", False),
        ("arn:\\S+", "arn:\u2003", False),
        # $ is the end of input, not "before a final newline"
        ("^a$", "a\n", False),
        ("^a$", "a", True),
        # look-arounds as in the model's trimmed-text pattern
        ("(?!\\s)^[\\s\\S]+(?<!\\s)", " a", False),
        ("(?!\\s)^[\\s\\S]+(?<!\\s)", "\u3000", False),
        ("(?!\\s)^[\\s\\S]+(?<!\\s)", "a b", True),
        ("(?!\\s*$)[\\s\\S]+", " \t ", False),
        ("(?!\\s*$)[\\s\\S]+", " x ", True),
        # a [ inside a class is a literal; [] and [^] keep their ECMA meaning
        ("\\+[({\\s\\[]?[1-9]", "+[1", True),
        ("[]", "anything", False),
        ("[^]", "\n", True),
        # ECMA named groups and back-references
        ("(?<n>a)\\k<n>", "aa", True),
        ("(?<n>a)\\k<n>", "ab", False),
    ],
)
def test_ecma_semantics(pattern: str, value: str, expected: bool) -> None:
    assert satisfies(pattern, value) is expected


def test_whitespace_set_is_ecma() -> None:
    for char in ECMA_WHITESPACE:
        assert satisfies("\\s", char), repr(char)
    for char in "\x1c\x1d\x1e\x1f\x85\u180e\u200b":  # Python or old-Unicode spaces, not ECMA
        assert not satisfies("\\s", char), repr(char)
