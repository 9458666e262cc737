"""The README's sample outputs stay true to the suite: each level line counts every
invariant of its level, and the closing pytest line accounts for every invariant."""

from __future__ import annotations

import collections
import re
from pathlib import Path

from conformance import catalog
from conformance.service.operations import catalogue

README = Path(__file__).resolve().parents[2] / "README.md"
LEVEL_LINE = re.compile(r"^  (must|should|compat|strict) +(\d+)/(\d+) invariants passed$", re.M)
CLOSING = re.compile(
    r"^(\d+ (?:passed|failed|skipped)(?:, \d+ (?:passed|failed|skipped))*) in ", re.M
)


def samples() -> list[str]:
    """The README's fenced blocks that show a run's summary."""
    blocks, current = [], None
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if current is not None:
                blocks.append("\n".join(current))
            current = [] if current is None else None
        elif current is not None:
            current.append(line)
    return [block for block in blocks if LEVEL_LINE.search(block)]


def test_every_sample_counts_the_invariants_of_each_level() -> None:
    per_level = collections.Counter(i.level for i in catalog.invariants().values())
    found = samples()
    assert len(found) >= 2  # the reference and moto
    for block in found:
        for level, passed, total in LEVEL_LINE.findall(block):
            assert int(total) == per_level[level], (level, block)
            assert int(passed) <= int(total)


def test_every_sample_closes_with_every_invariant_accounted_for() -> None:
    for block in samples():
        closing = CLOSING.search(block)
        assert closing, block
        counted = sum(int(n) for n in re.findall(r"\d+", closing.group(1)))
        assert counted == TESTS, block


# The tests a whole run collects: one per invariant of the deep tier, one per invariant
# and operation of the model-level tier (OPS-*).
_TIER = sum(1 for i in catalog.invariants() if i.startswith("OPS-"))
TESTS = len(catalog.invariants()) - _TIER + _TIER * len(catalogue())
