"""ECMA-262 semantics of Smithy patterns, on cases where Python's defaults differ."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import compile_pattern
from strategies.patterns import _GENERATION_LIMIT, ECMA_SPACE, translate


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        (".", "\r", False),  # ECMA . excludes every line terminator
        (".", "\u2028", False),
        (".", "\x85", True),
        (r"\s", "\ufeff", True),  # ECMA white space includes the BOM ...
        (r"\s", "\x1c", False),  # ... and not the C0 separators Python counts
        (r"\S", "\x1c", True),
        (r"\d", "\u0663", False),  # ASCII digits only
        (r"\w", "é", False),
        (r"[\s\S]", "\n", True),
        (r"[^\s]", "\u3000", False),
        ("a$", "a\n", False),  # $ is end of input only
        ("^a", "ba", False),
        (r"(?!\s*$)[\s\S]+", " \t\n", False),
        (r"(?!\s*$)[\s\S]+", " x ", True),
        (r"\+?[1-9][0-9]{1,18}", "tel:+12065550100", True),
    ],
)
def test_ecma_semantics(pattern: str, value: str, matches: bool) -> None:
    assert compile_pattern(pattern).search(value) is matches


def test_translation_is_the_identity_on_plain_classes() -> None:
    assert compile_pattern("[A-Za-z0-9_:/-]+").python == "[A-Za-z0-9_:/-]+"


@pytest.mark.parametrize(
    ("pattern", "lo", "hi"),
    [
        ("[A-Z]{2}", 2, 2),
        (".+", 1, 128),
        (r"\S+", 20, 2048),
        ("arn:\\S+", 20, 2048),
        (r"(?!\s*$)[\s\S]+", 1, 1600),
        ("[!-~]+", 1, 64),
        (r"[0-9]{0,2}\.[0-9]{1,5}", 2, 8),
    ],
)
def test_matching_and_violating_strategies_agree_with_search(
    pattern: str, lo: int, hi: int
) -> None:
    compiled = compile_pattern(pattern)

    @settings(max_examples=60, deadline=None)
    @given(compiled.matching(lo, hi))
    def check_matching(good: str) -> None:
        assert lo <= len(good) <= hi and compiled.search(good)

    @settings(max_examples=60, deadline=None)
    @given(compiled.violating(lo, hi))
    def check_violating(bad: str) -> None:
        assert lo <= len(bad) <= hi and not compiled.search(bad)

    check_matching()
    if compiled.violable(lo, hi):
        check_violating()


def test_patterns_that_match_everything_are_not_violable() -> None:
    assert not compile_pattern(".*").violable(0, 256)
    assert not compile_pattern("[A-Za-z0-9_:/-]*").violable(0, 256)
    assert not compile_pattern(r"[\s\S]+").violable(1, 10)
    assert compile_pattern(".+").violable(1, 128)


@given(st.characters(codec="utf-8"))
def test_translated_space_class_is_exactly_ecma_white_space(char: str) -> None:
    assert (re.fullmatch(compile_pattern(r"\s").python, char) is not None) is (char in ECMA_SPACE)


@pytest.mark.parametrize("pattern", [r"[\S]+", r"[\s\S]+", r"[\D\W]+", r"(?!\s*$)[\s\S]+"])
def test_generation_narrows_negated_class_escapes_to_a_subset(pattern: str) -> None:
    """The generation form of a class matches a small subset of what the pattern does:
    every code point it adds from a negated escape lies below the generation limit
    (Hypothesis enumerates class ranges when it builds a regex strategy)."""
    judge = re.compile(translate(pattern))
    generate = re.compile(translate(pattern, for_generation=True))
    wide = [chr(i) for i in range(0x3001) if not 0xD800 <= i <= 0xDFFF] + ["\ufefe", "\U0001f600"]
    generated = [c for c in wide if generate.fullmatch(c)]
    assert generated
    assert all(judge.fullmatch(c) for c in generated)
    added = [c for c in generated if c not in ECMA_SPACE]
    assert max(map(ord, added)) <= _GENERATION_LIMIT
