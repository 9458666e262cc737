"""The suite's Hypothesis profiles and the settings every conformance property needs.

Importing this module registers the ``quick`` (20 examples) and ``thorough`` (500)
profiles; ``--hypothesis-profile`` picks one, and other profiles may extend them.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from .plugin_state import STATE

settings.register_profile("quick", max_examples=20)
settings.register_profile("thorough", max_examples=500)


def network_settings() -> settings:
    """What every conformance property needs on top of the profile in force (so call it
    at test time, not import time): a network round-trip per example is slower than
    Hypothesis assumes, and on real AWS the spend guard filters most requests out."""
    checks = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
    if STATE.guarded:
        checks.append(HealthCheck.filter_too_much)
    return settings(settings.default, deadline=None, suppress_health_check=checks)
