"""The pytest plugin (entry point ``pytest11``): options always, the run only when asked.

Installed with the package, so ``pytest --pyargs conformance [--endpoint URL]`` works in
any project. This module declares the options (``options``, which imports nothing
heavy) and, when a run asks for the suite, registers ``run``, the hooks and fixtures of
a conformance run. Any other pytest run pays for the options alone.

The plugin's modules import downwards only (endpoint, service, guards, invariants,
modes, report); nothing of the suite: it is named (``run.SUITE``), collected by pytest,
and handed what it needs through fixtures.
"""

from __future__ import annotations

import pytest

from conformance.plugin.options import pytest_addoption, suite_requested

__all__ = ["pytest_addoption", "pytest_configure"]


@pytest.hookimpl(tryfirst=True)  # before Hypothesis' own plugin reads the seed option
def pytest_configure(config: pytest.Config) -> None:
    """The suite's markers (its modules may be imported by any run); and, for a run of
    the suite, the run's hooks and fixtures (pytest then calls their own
    ``pytest_configure`` at once, still before Hypothesis' plugin)."""
    config.addinivalue_line(
        "markers", "conformance(id, level, wire): the invariant a conformance test checks"
    )
    config.addinivalue_line(
        "markers",
        "spends_nothing: its properties create no number on a conforming service (on real "
        "AWS they run first, before the run's few numbers are spent)",
    )
    if suite_requested(config) and not config.pluginmanager.has_plugin("conformance.run"):
        from conformance.plugin import run

        config.pluginmanager.register(run, "conformance.run")
