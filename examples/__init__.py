"""Moved to ``conformance.examples``; these modules re-export it (inside the clone)."""
