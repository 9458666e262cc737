"""Every invariant names its evidence, and its level is no stronger than the evidence."""

from __future__ import annotations

from pathlib import Path

from conformance import catalog
from conformance.invariants import evidence
from conformance.invariants.registry import LEVELS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_invariant_has_claims_and_only_registered_ones_do() -> None:
    registry = catalog.invariants()
    assert set(registry) == evidence.invariant_ids()
    for inv in registry.values():
        assert inv.evidence, inv.id
        for claim in inv.evidence:
            assert claim.text and claim.sources, (inv.id, claim)


def test_every_source_has_a_known_kind_and_a_citation() -> None:
    for source in evidence.sources().values():
        assert source.kind in evidence.KINDS
        assert source.title
        assert source.url.startswith("https://") or source.kind == "none", source


def test_each_level_is_earned_by_its_evidence() -> None:
    weak = {
        inv.id: evidence.unsupported(inv.level, inv.evidence)
        for inv in catalog.invariants().values()
        if evidence.unsupported(inv.level, inv.evidence)
    }
    assert not weak, weak


def test_the_level_rule_refuses_weak_evidence() -> None:
    unobserved = evidence.sources()["unobserved"]
    live = evidence.sources()["terraform-live"]
    guess = (evidence.Claim("a guess", (unobserved,)),)
    seen = (evidence.Claim("seen live", (live,)),)
    assert evidence.unsupported("must", seen) == ["seen live"]
    assert evidence.unsupported("should", seen) == []
    assert evidence.unsupported("should", guess) == ["a guess"]
    assert evidence.unsupported("strict", guess) == []
    assert evidence.unsupported("must", ()) != []
    assert list(evidence.LEVEL_KINDS) == list(LEVELS)


def test_the_readme_table_is_the_registry_and_its_evidence() -> None:
    assert catalog.table() in README.read_text(encoding="utf-8")
