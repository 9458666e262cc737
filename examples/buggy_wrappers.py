"""Moved to ``conformance.examples.buggy_wrappers`` (installed with the package); this
name keeps ``--client-factory examples.buggy_wrappers:...`` working inside the clone."""

from conformance.examples.buggy_wrappers import (  # noqa: F401
    ErrorSwallowing,
    TagDropping,
    error_swallowing,
    session_ignoring,
    tag_dropping,
)
