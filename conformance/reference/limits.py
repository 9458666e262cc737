"""Service limits stricter than the model: input the model allows but the service refuses.

These are documented facts about the real service, not derived from the model (see
/work/shared/aws-behavior.md, "Service limits stricter than the model"):

- At most 50 tags per resource: "Each resource can have a maximum of 50 tags" (TagResource
  API reference); the model's TagList allows 200.
- Tag keys and values "cannot be prefixed with aws:" and use "Unicode letters, digits,
  whitespace, _ . / = + -" (CloudFormation resource schema for AWS::SMSVOICE::PhoneNumber);
  the model's patterns are ``.+`` and ``.*``.
- NumberCapabilities holds each capability once (the same schema marks it ``uniqueItems``).

Which error the service answers for each is not known; service.py documents the choice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

MAX_TAGS = 50
RESERVED_PREFIX = "aws:"
_TAG_PUNCTUATION = frozenset("_./=+-")


def _allowed(char: str) -> bool:
    """A Unicode letter (L*), digit (N*), whitespace (Z* or isspace) or ``_ . / = + -``."""
    return unicodedata.category(char)[0] in "LNZ" or char.isspace() or char in _TAG_PUNCTUATION


def tag_problems(tags: Iterable[dict[str, str]]) -> list[tuple[str, str]]:
    """(path, message) for each tag key or value the service refuses."""
    problems = []
    for i, tag in enumerate(tags):
        for member in ("Key", "Value"):
            text = tag[member]
            if text.startswith(RESERVED_PREFIX):
                problems.append((f"Tags[{i}].{member}", f"must not start with {RESERVED_PREFIX!r}"))
            elif not all(_allowed(c) for c in text):
                problems.append(
                    (
                        f"Tags[{i}].{member}",
                        "may hold only Unicode letters, digits, whitespace and _ . / = + -",
                    )
                )
    return problems


def repeated(items: Iterable[str]) -> list[str]:
    """The items that occur more than once, in order of their second occurrence."""
    seen: set[str] = set()
    again: list[str] = []
    for item in items:
        if item in seen and item not in again:
            again.append(item)
        seen.add(item)
    return again
