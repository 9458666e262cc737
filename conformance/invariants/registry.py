"""The invariant registry: stable ids, titles, levels, and typed failures.

Each suite test checks one invariant and is registered with ``@invariant``; the level
decides whether its failure gates the exit status (``--conformance-level``). A failure
is an ``InvariantFailure`` carrying the minimal input and the raw exchange, so every
message and report entry is reproducible.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from conformance.endpoint.client import Outcome
from conformance.endpoint.exchange import Exchange
from conformance.endpoint.reproduce import boto3_snippet, curl_command
from conformance.invariants import evidence
from conformance.invariants.levels import LEVEL_MEANING as LEVEL_MEANING
from conformance.invariants.levels import LEVELS as LEVELS


@dataclass(frozen=True)
class Invariant:
    id: str
    title: str
    level: str
    description: str
    wire: bool = False  # judges the raw exchange itself: not applicable without a wire

    @property
    def evidence(self) -> tuple[evidence.Claim, ...]:
        """What the invariant relies on, each claim with its sources (evidence.json)."""
        return evidence.claims(self.id)


REGISTRY: dict[str, Invariant] = {}
F = TypeVar("F", bound=Callable[..., Any])


def invariant(id: str, title: str, level: str, *, wire: bool = False) -> Callable[[F], F]:
    """Register a suite test as the check of one invariant (its docstring says why).
    ``wire``: it judges what only a wire carries (bytes, headers, the target header), so
    it is not applicable to an in-process client."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; one of {LEVELS}")

    def register(test: F) -> F:
        entry = Invariant(id, title, level, inspect.cleandoc(test.__doc__ or ""), wire)
        if REGISTRY.get(id, entry) != entry:  # a module imported twice registers again
            raise ValueError(f"invariant id {id} registered twice with different meanings")
        REGISTRY[id] = entry
        marked: F = pytest.mark.conformance(id=id, level=level, wire=wire)(test)
        return marked

    return register


# json.dumps escapes the C0 controls; DEL and the C1 controls would reach a terminal raw.
_C1_AND_DEL = re.compile("[\x7f-\x9f]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


@dataclass(eq=False)  # exceptions keep identity hashing
class InvariantFailure(AssertionError):
    """An endpoint broke an invariant on a given input; carries what reproduces it."""

    invariant_id: str
    message: str
    params: Any = None
    exchange: Exchange | None = None
    extra: list[Exchange] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    @property
    def fingerprint(self) -> str:
        """Same invariant, same kind of message: one failure (inputs and ids differ)."""
        return hashlib.sha1(f"{self.invariant_id}|{self.message[:120]}".encode()).hexdigest()[:12]

    def reproducer(self) -> dict[str, str]:
        if self.exchange is None:
            return {}
        return {
            "boto3": boto3_snippet(self.exchange, self.params),
            "http": curl_command(self.exchange),
        }

    def render(self) -> str:
        inv = REGISTRY.get(self.invariant_id)
        title = f" ({inv.title}, level {inv.level})" if inv else ""
        parts = [f"[{self.invariant_id}]{title}: {self.message}"]
        if self.params is not None:
            shown = json.dumps(self.params, indent=2, ensure_ascii=False)[:3000]
            parts.append("Input:\n" + _C1_AND_DEL.sub(_escaped, shown))
        if self.exchange is not None:
            parts.append("Exchange:\n" + self.exchange.describe())
            parts.append("Reproduce with:\n" + self.reproducer()["http"])
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "invariant": self.invariant_id,
            "message": self.message,
            "fingerprint": self.fingerprint,
            "input": self.params,
            "exchange": self.exchange.to_dict() if self.exchange else None,
            "related_exchanges": [e.to_dict() for e in self.extra],
            "reproducer": self.reproducer(),
        }


def require(
    condition: object,
    invariant_id: str,
    message: str,
    outcome: Outcome | None = None,
    params: Any = None,
) -> None:
    """Raise an InvariantFailure unless ``condition`` holds."""
    if not condition:
        raise InvariantFailure(
            invariant_id, message, params, outcome.exchange if outcome is not None else None
        )


def load_registry(package: str) -> dict[str, Invariant]:
    """Every invariant of the suite ``package`` (named by the caller, which knows what it
    runs): registering happens when its ``test_`` modules are imported."""
    import importlib
    import pkgutil

    suite = importlib.import_module(package)
    for module in pkgutil.iter_modules(suite.__path__):
        if module.name.startswith("test_"):
            importlib.import_module(f"{package}.{module.name}")
    return REGISTRY


def invariant_table(registry: dict[str, Invariant]) -> str:
    """The README's table of invariants, from the registry and evidence.json: id, level,
    title and the sources of its claims (reference-style links, defined below the
    table), so the README cannot drift from either."""
    rows = ["| id | level | what it asserts | evidence |", "| --- | --- | --- | --- |"]
    cited: dict[str, str] = {}
    for inv in sorted(registry.values(), key=lambda i: (LEVELS.index(i.level), i.id)):
        keys = {s.key: s for claim in inv.evidence for s in claim.sources}
        cited.update((s.key, s.url) for s in keys.values() if s.url)
        links = ", ".join(f"[{k}]" if keys[k].url else f"{k} (no source)" for k in keys)
        rows.append(f"| {inv.id} | {inv.level} | {inv.title} | {links} |")
    return "\n".join([*rows, "", *(f"[{key}]: {url}" for key, url in sorted(cited.items()))])
