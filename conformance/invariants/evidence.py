"""Why the suite believes what it checks: each invariant's claims and their sources.

The data is ``evidence.json`` beside this module (shipped in the package). Every claim
an invariant makes about the service names at least one source, and the kind of its
sources bounds the invariant's level: ``must`` rests on the model and the protocol
only; ``should`` on those, AWS documentation or code whose tests run against the real
service; ``compat`` may also rest on SDK source; ``strict`` may rest on nothing more
than plausibility (kind ``none``), and says so.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

KINDS = ("model", "protocol", "documentation", "live", "sdk", "none")
# The kinds of source each level may rest on (every claim needs one of them).
LEVEL_KINDS = {
    "must": frozenset({"model", "protocol"}),
    "should": frozenset({"model", "protocol", "documentation", "live"}),
    "compat": frozenset({"model", "protocol", "documentation", "live", "sdk"}),
    "strict": frozenset(KINDS),
}


@dataclass(frozen=True)
class Source:
    key: str
    kind: str  # one of KINDS
    title: str
    url: str

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "kind": self.kind, "title": self.title, "url": self.url}


@dataclass(frozen=True)
class Claim:
    """One statement an invariant relies on, and where it comes from."""

    text: str
    sources: tuple[Source, ...]

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(s.kind for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.text, "sources": [s.to_dict() for s in self.sources]}


@functools.cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("evidence.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@functools.cache
def sources() -> dict[str, Source]:
    return {
        key: Source(key, entry["kind"], entry["title"], entry["url"])
        for key, entry in _data()["sources"].items()
    }


@functools.cache
def claims(invariant_id: str) -> tuple[Claim, ...]:
    """The claims of one invariant (empty if the data names none)."""
    known = sources()
    return tuple(
        Claim(entry["claim"], tuple(known[key] for key in entry["sources"]))
        for entry in _data()["invariants"].get(invariant_id, [])
    )


def invariant_ids() -> set[str]:
    return set(_data()["invariants"])


def unsupported(level: str, found: tuple[Claim, ...]) -> list[str]:
    """Claims whose sources are too weak for ``level`` (empty: the level is earned)."""
    if not found:
        return ["no claim names its evidence"]
    allowed = LEVEL_KINDS[level]
    return [c.text for c in found if not c.kinds & allowed]
