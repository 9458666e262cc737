"""Worked examples of driving the conformance suite (see README "Use")."""
